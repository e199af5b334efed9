"""Everyone's follow-ups are computed ahead (schema 8: ``followup_open``, kept by triggers and recomputed
before each write commits): Today and ``infoint agenda`` read them instead of every history. Whatever
changes, they must stay what the rules give each person's history read now (``followups(ids)``)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.followups import FollowUp, Rules
from infoint_tui.domain.pipeline import ArchiveReason, Kind, Stage
from infoint_tui.paths import ServerAddress
from infoint_tui.store import Store

from .conftest import NOW, Clock

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def _everyone(store: Store) -> list[FollowUp]:
    """Everyone's follow-ups as read (computed ahead), checked against the rules run on every history now."""
    ids = [cid for cid, in store.db.execute_sql("SELECT id FROM contact ORDER BY id").fetchall()]
    found = store.followups()
    assert found == store.followups(ids)
    assert store.followups(include_snoozed=True) == store.followups(ids, include_snoozed=True)
    return found


def _stale(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM followup_stale").fetchone()[0])


def _titles(store: Store, cid: int) -> list[tuple[str, str, str, str]]:
    return [(f.rule, f.name, f.company, f.title) for f in _everyone(store) if f.contact_id == cid]


def test_an_answer_at_a_company_ends_the_next_contact_there(store: Store, clock: Clock) -> None:
    ann = store.add(make_draft("Ann Lee", company="Acme")).id
    bob = store.add(make_draft("Bob Ray", company="Acme")).id
    store.log(ann, Kind.OUTREACH)
    assert [r for r, *_ in _titles(store, ann)] == ["next-contact", "nudge"]
    clock.now += timedelta(hours=2)
    store.log(bob, Kind.REPLY)  # Bob answered: nobody need write to the next person at Acme
    assert [r for r, *_ in _titles(store, ann)] == ["nudge"]
    store.remove_event(store.detail(bob).history[-1].id)  # a mistake: Bob never answered
    assert [r for r, *_ in _titles(store, ann)] == ["next-contact", "nudge"]
    assert _stale(store) == 0  # every write recomputed whom it concerned before it committed


def test_names_and_companies_follow_a_rename(store: Store) -> None:
    ada = store.add(make_draft("Ada Byron", company="Acme")).id
    cy = store.add(make_draft("Cy Diaz", company="Globex", referred_by=ada)).id
    store.log(cy, Kind.CALL)
    store.log(ada, Kind.OUTREACH)
    assert ("thank-introducer", "Ada Byron", "Acme", "Thank them for introducing you to Cy Diaz") in \
        _titles(store, ada)
    store.edit(cy, {"name": "Cyril Diaz"})
    store.rename_company("Acme", "Acme Labs")
    assert set(_titles(store, ada)) == {
        ("next-contact", "Ada Byron", "Acme Labs", "No reply yet: write to the next person at Acme Labs"),
        ("nudge", "Ada Byron", "Acme Labs", "Send one short follow-up"),
        ("thank-introducer", "Ada Byron", "Acme Labs", "Thank them for introducing you to Cyril Diaz")}
    store.edit(ada, {"name": "Ada King", "company": "Initech"})
    assert {(name, company) for _, name, company, _ in _titles(store, ada)} == {("Ada King", "Initech")}
    store.edit(cy, {"referred_by": None})  # not introduced by Ada after all
    assert "thank-introducer" not in [r for r, *_ in _titles(store, ada)]


def test_archived_and_erased_people_leave_the_agenda(store: Store) -> None:
    ada = store.add(make_draft("Ada Byron")).id
    cy = store.add(make_draft("Cy Diaz", referred_by=ada)).id
    store.move(cy, Stage.MET)
    assert {(f.contact_id, f.rule) for f in _everyone(store)} == {(cy, "thank-you"), (ada, "thank-introducer")}
    store.archive(cy, ArchiveReason.OTHER)
    assert {(f.contact_id, f.rule) for f in _everyone(store)} == {(ada, "thank-introducer")}
    store.undo()  # the archiving undone
    assert {(f.contact_id, f.rule) for f in _everyone(store)} == {(cy, "thank-you"), (ada, "thank-introducer")}
    store.archive(cy, ArchiveReason.OTHER)
    store.restore(cy)
    assert {(f.contact_id, f.rule) for f in _everyone(store)} == {(cy, "thank-you"), (ada, "thank-introducer")}
    store.delete(cy)  # erased: nobody to thank for introducing them either
    assert _everyone(store) == []


def test_merging_two_people_merges_their_follow_ups(store: Store) -> None:
    one = store.add(make_draft("Ann Lee", company="Acme")).id
    two = store.add(make_draft("Ann Lee", company="Acme")).id
    store.log(two, Kind.CALL)
    store.merge_people(one, two)
    assert [(f.contact_id, f.rule) for f in _everyone(store)] == [(one, "thank-you")]


@pytest.mark.parametrize("many", [False, True], ids=["by-ids", "by-table"])
def test_what_another_program_wrote_is_read_at_once(db_path: Path | ServerAddress, store: Store, many: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that did not go through this version of the store (an older infoint, a sqlite3 shell):
    the triggers mark whom it concerns, readers compute those themselves, the next write stores them
    (``by-table``: as when a whole file was written, read with one query naming the marked people)."""
    if many:
        monkeypatch.setattr("infoint_tui.store.followups._BY_IDS_MAX", 0)
    cid = store.add(make_draft("Ann Lee", company="Acme")).id
    assert _everyone(store) == []
    other = Store.open(db_path, lambda: NOW)
    with other.db.atomic():  # straight into the table, as another program would
        at = (NOW - timedelta(days=3)).replace(tzinfo=None).isoformat(" ")
        other.db.execute_sql("INSERT INTO event (contact_id, kind, at, created, channel, detail) "
                             "VALUES (?, 'call', ?, ?, '', '')", (cid, at, at))
    other.close()
    assert _stale(store) == 1
    [f] = _everyone(store)
    assert (f.rule, f.due) == ("thank-you", NOW - timedelta(days=2))
    store.add(make_draft("Bob Ray"))  # any write: what was marked is computed and stored
    assert _stale(store) == 0
    assert [g.key for g in _everyone(store)] == [f.key for f in [f]]


def test_other_rules_or_another_time_zone_compute_them_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    cid = store.add(make_draft("Ann Lee", company="Acme")).id
    store.log(cid, Kind.OUTREACH)  # Wednesday 09:00 UTC: next-contact 3 business days later, at 9:00 local
    store.log(cid, Kind.CALL)
    due = {f.rule: f.due for f in _everyone(store)}
    assert due["thank-you"] == NOW + timedelta(hours=24)
    store.rules = Rules(thank_you_hours=48)  # another config's [rules]
    assert {f.rule: f.due for f in _everyone(store)}["thank-you"] == NOW + timedelta(hours=48)
    store.rules = Rules()
    assert {f.rule: f.due for f in _everyone(store)} == due
    store.log(cid, Kind.OUTREACH)
    before = {f.rule: f.due for f in _everyone(store)}["next-contact"]
    monkeypatch.setenv("TZ", "America/New_York")  # 9:00 in New York is 14:00 UTC
    time.tzset()
    after = {f.rule: f.due for f in _everyone(store)}["next-contact"]
    assert after - before == timedelta(hours=5)


def test_a_store_that_cannot_write_computes_them_itself(db_path: Path | ServerAddress, store: Store) -> None:
    """Computed ahead on another basis while another program holds the write lock: the reader neither
    waits nor fails; it computes them, and a later look stores them."""
    cid = store.add(make_draft("Ann Lee")).id
    store.log(cid, Kind.CALL)
    store.rules = Rules(thank_you_hours=12)
    holder = Store.open(db_path, lambda: NOW)
    with holder._tx():  # the write lock, held
        start = time.monotonic()
        [f] = store.followups()
        assert time.monotonic() - start < 2
        assert f.due == NOW + timedelta(hours=12)
    holder.close()
    assert _everyone(store) == [f]
    assert store.db.execute_sql("SELECT basis FROM followup_basis").fetchone()[0].startswith("rules 1; 3,7,12,")


def test_a_mark_made_during_a_write_is_not_lost(db_path: Path | ServerAddress, store: Store,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program (psql, a script: no infoint lock) logs an outreach for Bob while an infoint write
    is recomputing Ann's: Bob's mark must outlive that write (on PostgreSQL it was deleted with Ann's,
    under READ COMMITTED, and Bob's follow-ups never computed)."""
    import threading

    ann = store.add(make_draft("Ann Lee")).id
    bob = store.add(make_draft("Bob Ray")).id
    assert _everyone(store) == []
    done = threading.Event()

    def other_program() -> None:
        other = Store.open(db_path, lambda: NOW)
        try:
            with other.db.atomic():
                at = NOW.replace(tzinfo=None).isoformat(" ")
                other.db.execute_sql("INSERT INTO event (contact_id, kind, at, created, channel, detail) "
                                     "VALUES (?, 'outreach', ?, ?, '', '')", (bob, at, at))
        finally:
            other.close()
            done.set()

    facts = type(store)._facts
    started: list[threading.Thread] = []

    def facts_meanwhile(self: Store, *args: object, **kwargs: object) -> object:
        if not started:  # once, while Ann's follow-ups are being computed again
            started.append(threading.Thread(target=other_program))
            started[0].start()
            done.wait(0.5)  # it commits now, or waits for this write to end
        return facts(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(type(store), "_facts", facts_meanwhile)
    store.log(ann, Kind.OUTREACH)
    monkeypatch.undo()
    started[0].join(10)
    assert sorted((f.name, f.rule) for f in _everyone(store)) == [("Ann Lee", "nudge"), ("Bob Ray", "nudge")]


@pytest.mark.sqlite_only
def test_a_shells_replace_or_unguarded_delete_is_marked(db_path: Path, store: Store) -> None:
    """A sqlite3 shell: INSERT OR REPLACE deletes the row it replaces without the delete trigger, and a
    shell's foreign keys are off (the person's rows would not go with them)."""
    import sqlite3

    ann = store.add(make_draft("Ann Lee")).id
    bob = store.add(make_draft("Bob Ray")).id
    outreach = store.log(ann, Kind.OUTREACH).id
    store.log(bob, Kind.CALL)
    assert {f.name for f in _everyone(store)} == {"Ann Lee", "Bob Ray"}
    shell = sqlite3.connect(db_path)
    with shell:
        shell.execute("INSERT OR REPLACE INTO event (id, contact_id, kind, at, created, channel, detail) "
                      "VALUES (?, ?, 'edited', '2026-11-25 09:00:00', '2026-11-25 09:00:00', '', '')", (outreach, bob))
    assert {f.name for f in _everyone(store)} == {"Bob Ray"}
    with shell:
        shell.execute("DELETE FROM contact WHERE id = ?", (bob,))
    shell.close()
    assert _everyone(store) == []
