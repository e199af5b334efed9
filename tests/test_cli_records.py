"""Issue 16 from the shell: companies by any part of their name, listed, merged and renamed; duplicate
people warned about, listed and merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli import js, run

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def test_the_demo_company_is_found_by_part_of_its_name(demo_path: Path, capsys) -> None:
    people = js(demo_path, capsys, "list", "--company", "northwind")
    assert sorted(p["name"] for p in people) == ["Jonas Berg", "Maya Okafor", "Priya Raman"]  # type: ignore
    code, out, _ = run(demo_path, capsys, "dossier", "Northwind")
    assert code == 0
    assert "Northwind Analytics" in out
    assert "Maya Okafor" in out
    code, out, _ = run(demo_path, capsys, "tree", "--company", "northwind")
    assert code == 0
    assert "Priya Raman" in out
    code, out, _ = run(demo_path, capsys, "export", "md", "--company", "northwind")
    assert "Jonas Berg" in out


def test_companies_are_one_whatever_the_suffix_and_ambiguity_names_the_choices(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada", "--company", "Northwind Analytics")
    run(db_path, capsys, "add", "Bob", "--company", "Northwind Analytics, Inc.")
    run(db_path, capsys, "add", "Cy", "--company", "Northwind Traders Ltd")
    companies = js(db_path, capsys, "companies")
    assert [(c["name"], c["people"]) for c in companies] == [  # type: ignore[index]
        ("Northwind Analytics", 2), ("Northwind Traders Ltd", 1)]
    code, _, err = run(db_path, capsys, "list", "--company", "northwind")
    assert code == 1
    assert "'Northwind Analytics', 'Northwind Traders Ltd'" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(db_path, capsys, "dossier", "north")
    assert code == 1
    assert "could be 2 companies" in err
    code, out, _ = run(db_path, capsys, "companies")
    assert "Northwind Analytics: 2 people" in out

    code, out, _ = run(db_path, capsys, "company", "merge", "traders", "analytics")
    assert code == 0
    assert "1 person moved" in out
    code, out, _ = run(db_path, capsys, "company", "rename", "northwind", "Northwind Group")
    assert code == 0
    people = js(db_path, capsys, "list", "--company", "group")
    assert [p["name"] for p in people] == ["Ada", "Bob", "Cy"]  # type: ignore[index]


def test_a_duplicate_is_warned_about_listed_and_merged(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada Lovelace", "--company", "Acme", "--email", "ada@acme.io")
    run(db_path, capsys, "note", "1", "first note")
    code, out, err = run(db_path, capsys, "add", "ada lovelace", "--company", "ACME Inc.")
    assert (code, out.strip()) == (0, "2")
    assert "looks like #1 Ada Lovelace (same name at the same company)" in err
    assert "infoint merge 1 2" in err
    run(db_path, capsys, "note", "2", "second note")
    pairs = js(db_path, capsys, "duplicates")
    assert pairs == [{"id": 1, "name": "Ada Lovelace", "other_id": 2, "other_name": "ada lovelace",
                      "reason": "same name at the same company"}]
    before = js(db_path, capsys, "info")
    code, out, _ = run(db_path, capsys, "merge", "1", "2")
    assert code == 0
    assert "Merged #2" in out
    after = js(db_path, capsys, "info")
    assert after["notes"] == before["notes"]  # type: ignore[index]
    assert after["contacts"] == before["contacts"] - 1  # type: ignore[index]
    assert js(db_path, capsys, "duplicates") == []
    assert len(js(db_path, capsys, "show", "1")["notes"]) == 2  # type: ignore[index]
    code, _, _ = run(db_path, capsys, "undo")
    assert code == 0
    assert js(db_path, capsys, "info")["notes"] == before["notes"]  # type: ignore[index]
    assert js(db_path, capsys, "show", "2")["name"] == "ada lovelace"  # type: ignore[index]


@pytest.mark.parametrize("args", [("merge", "1", "1"), ("merge", "1", "9"), ("company", "merge", "x", "y")])
def test_merges_that_cannot_be_are_one_line_errors(db_path: Path, capsys, args: tuple[str, ...]) -> None:
    run(db_path, capsys, "add", "Ada", "--company", "Acme")
    code, _, err = run(db_path, capsys, *args)
    assert code == 1
    assert len(err.strip().splitlines()) == 1
