"""Issue 16: companies as things (any part of the name, merge, rename) and duplicate people (found,
listed, merged keeping everything of both, undone whole)."""

from pathlib import Path

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import Invalid, NotFound
from infoint_tui.domain.model import Filter
from infoint_tui.domain.pipeline import Kind, Stage
from infoint_tui.store import Store

from ..conftest import NOW

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def _add(store: Store, name: str, **fields: object) -> int:
    return store.add(make_draft(name, **fields)).id  # type: ignore[arg-type]


def test_northwind_is_found_by_a_part_of_its_name(demo_path: Path) -> None:
    store = Store.open(demo_path, lambda: NOW)
    names = [s.name for s in store.summaries(Filter(company="northwind"))]
    assert names == ["Jonas Berg", "Maya Okafor", "Priya Raman"]
    assert store.company_people("Northwind")[0] == "Northwind Analytics"
    assert {n for _, _, n, _, _ in store.referral_tree("northwind")} >= set(names)
    store.close()


def test_spellings_of_one_company_are_one_company(store: Store) -> None:
    a = _add(store, "Ada", company="Northwind Analytics")
    b = _add(store, "Bob", company="Northwind Analytics, Inc.")
    c = _add(store, "Cy", company="NORTHWIND analytics llc")
    assert {store.contact(i).company for i in (a, b, c)} == {"Northwind Analytics"}
    assert [(ref.name, n) for ref, n, _ in store.company_counts()] == [("Northwind Analytics", 3)]


def test_an_ambiguous_part_lists_the_choices(store: Store) -> None:
    _add(store, "Ada", company="Acme Robotics")
    _add(store, "Bob", company="Acme Foods GmbH")
    with pytest.raises(Invalid) as err:
        store.summaries(Filter(company="acme"))
    assert "'Acme Foods GmbH', 'Acme Robotics'" in str(err.value)
    with pytest.raises(Invalid):
        store.company_people("acme")
    assert [s.name for s in store.summaries(Filter(company="robot"))] == ["Ada"]
    assert store.summaries(Filter(company="nowhere")) == []
    with pytest.raises(NotFound):
        store.company_people("nowhere")


def test_companies_merge_and_rename_keep_everyone(store: Store) -> None:
    a = _add(store, "Ada", company="Globex")
    b = _add(store, "Bob", company="Globex Corporation International")
    store.log(b, Kind.OUTREACH, note="hello")
    history = store.detail(b).history
    kept, moved = store.merge_companies("international", "#1")
    assert (kept.name, moved) == ("Globex", 1)
    assert store.contact(b).company == "Globex"
    assert store.detail(b).history == history
    renamed = store.rename_company("globex", "Globex Group")
    assert renamed.name == "Globex Group"
    assert {store.contact(i).company for i in (a, b)} == {"Globex Group"}
    assert [s.name for s in store.summaries(Filter(query="Group"))] == ["Ada", "Bob"]
    _add(store, "Cy", company="Initech")
    with pytest.raises(Invalid, match="merge"):
        store.rename_company("initech", "globex group")


def test_look_alikes_and_duplicate_pairs(store: Store) -> None:
    a = _add(store, "Ada Lovelace", company="Acme", email="ada@acme.io")
    b = _add(store, "Grace", url="https://www.linkedin.com/in/grace/", phone="+1 555 010 0200")
    assert store.look_alikes({"name": "Someone", "email": "ADA@acme.io"}) == [(a, "Ada Lovelace", "same e-mail")]
    assert store.look_alikes({"name": "G", "url": "linkedin.com/in/grace"}) == [(b, "Grace", "same profile URL")]
    assert store.look_alikes({"name": "G", "phone": "(555) 010-0200"}) == []  # no country code: not sure
    assert store.look_alikes({"name": "ada lovelace", "company": "ACME Inc."}) == [
        (a, "Ada Lovelace", "same name at the same company")]
    assert store.look_alikes({"name": "Ada Lovelace", "company": "Globex"}) == []
    c = _add(store, "Ada  Lovelace", company="Acme, Inc.")
    assert store.duplicates() == [(a, "Ada Lovelace", c, "Ada Lovelace", "same name at the same company")]


def _counts(store: Store) -> dict[str, int]:
    info = store.info()
    return {k: info[k] for k in ("contacts", "archived", "meetings", "notes", "events")}


def test_merging_two_people_keeps_everything_of_both_and_undoes_whole(store: Store, clock) -> None:
    ref = _add(store, "Referrer")
    keep = _add(store, "Ada Lovelace", company="Acme", tags=["a"])
    other = _add(store, "Ada L.", email="ada@acme.io", phone="+1 555 0100", referred_by=ref, tags=["a", "b"])
    child = _add(store, "Child", referred_by=other)
    store.log(keep, Kind.OUTREACH, note="first try")
    store.add_note(other, "met at a meetup")
    store.schedule(other, NOW.replace(day=28))
    before = _counts(store)
    detail_keep, detail_other = store.detail(keep), store.detail(other)
    export_before = store.export_all()

    merged = store.merge_people(keep, other)
    after = _counts(store)
    assert after["contacts"] == before["contacts"] - 1
    assert after["meetings"] == before["meetings"]
    assert after["notes"] == before["notes"]
    assert after["events"] == before["events"] + 1  # the merge's own line
    d = store.detail(keep)
    assert len(d.history) == len(detail_keep.history) + len(detail_other.history) + 1
    assert len(d.notes) == len(detail_keep.notes) + len(detail_other.notes)
    assert (merged.email, merged.phone, merged.company, merged.referred_by) == ("ada@acme.io", "+1 555 0100",
                                                                             "Acme", ref)
    assert merged.tags == ("a", "b")
    assert merged.stage is Stage.SCHEDULED  # the joined history's last move
    assert store.contact(child).referred_by == keep
    with pytest.raises(NotFound):
        store.contact(other)
    assert [s.id for s in store.summaries(Filter(query="meetup"))] == [keep]

    assert "merged" in store.undo()
    assert _counts(store) == before
    assert store.detail(other).notes[0].text == "met at a meetup"
    assert store.contact(child).referred_by == other
    assert store.contact(keep).tags == ("a",)
    assert [s.id for s in store.summaries(Filter(query="meetup"))] == [other]
    assert store.export_all() == export_before
    store.redo()
    assert _counts(store) == after
    with pytest.raises(Invalid):
        store.merge_people(keep, keep)
