"""agenda, followup, tree, dossier, draft and stats from the shell."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from infoint_tui.cli import main

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def js(db: Path, capsys, *args: str):  # type: ignore[no-untyped-def]
    code = main(["--db", str(db), *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_agenda_and_followups(db_path: Path, capsys) -> None:
    main(["--db", str(db_path), "add", "Ada", "--company", "Acme"])
    main(["--db", str(db_path), "log", "1", "call", "--minutes", "20"])
    capsys.readouterr()
    agenda = js(db_path, capsys, "agenda")
    [item] = agenda["today"] + agenda["upcoming"]
    assert item["title"] == "Send a thank-you"
    assert item["key"].startswith("1:thank-you:")
    assert main(["--db", str(db_path), "agenda"]) == 0
    assert "Send a thank-you" in capsys.readouterr().out
    js(db_path, capsys, "followup", item["key"], "snooze", "--until", "+3d")
    js(db_path, capsys, "followup", item["key"], "done")
    shown = js(db_path, capsys, "show", "1")
    assert [e["kind"] for e in shown["history"][-2:]] == ["thank-you", "stage"]  # as 'infoint log' does
    assert shown["stage"] == "thanked"
    assert main(["--db", str(db_path), "followup", "1:nope:1", "done"]) == 1
    assert "no open follow-up" in capsys.readouterr().err


def test_tree_dossier_draft_stats(db_path: Path, capsys, tmp_path: Path) -> None:
    for args in (["add", "Maya", "--company", "Northwind"], ["add", "Jonas", "--company", "Northwind",
                                                             "--referred-by", "1"],
                 ["log", "2", "outreach"], ["log", "2", "reply"], ["log", "2", "call", "--note", "Learn dbt"]):
        main(["--db", str(db_path), *args])
    capsys.readouterr()
    tree = js(db_path, capsys, "tree")
    assert [(r["depth"], r["name"]) for r in tree] == [(0, "Maya"), (1, "Jonas")]
    assert main(["--db", str(db_path), "tree", "2"]) == 0
    assert "Maya (#1" in capsys.readouterr().out
    out = tmp_path / "d.md"
    js(db_path, capsys, "dossier", "northwind", "-o", str(out))
    assert out.read_text().startswith("# Northwind")
    assert "> Learn dbt" in out.read_text()
    assert (os.stat(out).st_mode & 0o777) == 0o600
    draft = js(db_path, capsys, "draft", "2", "--template", "thank-you", "--sent")
    assert draft["text"].startswith("Hi Jonas,")
    assert draft["sent"] is True
    assert "thank-you" in [e["kind"] for e in js(db_path, capsys, "show", "2")["history"][-2:]]
    stats = js(db_path, capsys, "stats")
    assert (stats["asked"], stats["replied"], stats["stages"]["thanked"]) == (1, 1, 1)
    assert main(["--db", str(db_path), "draft", "2", "--template", "nope"]) == 1
    assert main(["--db", str(db_path), "dossier", "nowhere"]) == 1


def test_a_sent_draft_is_logged_as_its_templates_kind(db_path: Path, capsys) -> None:
    main(["--db", str(db_path), "add", "Ada"])
    capsys.readouterr()
    for template, kind in (("cold", "outreach"), ("referral", "outreach"), ("follow-up", "follow-up"),
                           ("thank-you", "thank-you")):
        js(db_path, capsys, "draft", "1", "--template", template, "--sent")
        logged = [e["kind"] for e in js(db_path, capsys, "show", "1")["history"] if e["kind"] != "stage"]
        assert logged[-1] == kind, template


def test_done_on_a_decline_tells_how_to_add_the_referral(db_path: Path, capsys) -> None:
    main(["--db", str(db_path), "add", "Ada"])
    main(["--db", str(db_path), "log", "1", "declined"])
    capsys.readouterr()
    [item] = js(db_path, capsys, "agenda")["overdue"] + js(db_path, capsys, "agenda")["today"]
    assert item["key"].startswith("1:ask-referral:")
    assert main(["--db", str(db_path), "followup", item["key"], "done"]) == 1
    assert "infoint add NAME --referred-by 1" in capsys.readouterr().err
    assert all(e["kind"] != "referral" for e in js(db_path, capsys, "show", "1")["history"])


def test_moved_to_met_the_list_and_the_agenda_agree(db_path: Path, capsys) -> None:
    main(["--db", str(db_path), "add", "Ada"])
    main(["--db", str(db_path), "move", "1", "met"])
    capsys.readouterr()
    [row] = js(db_path, capsys, "list")
    agenda = js(db_path, capsys, "agenda")
    assert row["thank_you_due"]
    assert [i["title"] for i in agenda["today"] + agenda["upcoming"]] == ["Send a thank-you"]


def test_a_referral_moved_to_met_puts_the_introducer_on_the_agenda(db_path: Path, capsys) -> None:
    """As 'infoint log 2 call' does (issue 14): the one who introduced them is owed a thank-you."""
    main(["--db", str(db_path), "add", "Maya"])
    main(["--db", str(db_path), "add", "Jonas", "--referred-by", "1"])
    main(["--db", str(db_path), "move", "2", "met"])
    capsys.readouterr()
    agenda = js(db_path, capsys, "agenda")
    items = sorted((i["name"], i["title"]) for i in agenda["today"] + agenda["upcoming"])
    assert items == [("Jonas", "Send a thank-you"), ("Maya", "Thank them for introducing you to Jonas")]
    main(["--db", str(db_path), "move", "2", "scheduled"])  # by mistake: taken back
    capsys.readouterr()
    agenda = js(db_path, capsys, "agenda")
    assert agenda["today"] + agenda["upcoming"] == []
