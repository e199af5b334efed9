"""Correcting the record: edits and removals of logged interactions, moves, meetings and notes."""

from datetime import timedelta

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.corrections import stage_from_history
from infoint_tui.domain.errors import Invalid, NotFound
from infoint_tui.domain.model import Filter
from infoint_tui.domain.pipeline import Kind, Medium, Stage
from infoint_tui.store import Store

from ..conftest import NOW, Clock

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def test_the_stage_is_the_last_changes_target() -> None:
    assert stage_from_history([]) is Stage.TO_CONTACT
    later = NOW + timedelta(days=1)
    assert stage_from_history([(later, 1, Stage.MET), (NOW, 2, Stage.THANKED)]) is Stage.MET
    assert stage_from_history([(NOW, 2, Stage.SCHEDULED), (NOW, 1, Stage.MET)]) is Stage.SCHEDULED


def test_an_outreach_logged_twice_is_removed_and_its_follow_up_with_it(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada"))
    first = store.log(c.id, Kind.OUTREACH, channel="email")
    clock.now += timedelta(days=3)
    twice = store.log(c.id, Kind.OUTREACH, channel="email")
    removed = store.remove_event(twice.id)
    assert removed.id == twice.id
    assert [e.id for e in store.detail(c.id).history if e.kind is Kind.OUTREACH] == [first.id]
    assert store.detail(c.id).contact.last_activity == NOW
    with pytest.raises(NotFound):
        store.remove_event(twice.id)


def test_removing_a_call_takes_back_its_move_and_the_meeting_is_planned_again(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada"))
    m = store.schedule(c.id, NOW + timedelta(days=1))
    clock.now += timedelta(days=1)
    call = store.log(c.id, Kind.CALL, minutes=25)
    assert store.detail(c.id).contact.stage is Stage.MET
    store.remove_event(call.id)
    d = store.detail(c.id)
    assert d.contact.stage is Stage.SCHEDULED
    assert [e.kind for e in d.history] == [Kind.CREATED, Kind.MEETING, Kind.STAGE]
    assert not d.meetings[0].held
    assert d.meetings[0].id == m.id


def test_removing_a_move_recomputes_the_stage(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    store.move(c.id, Stage.SCHEDULED)
    store.move(c.id, Stage.THANKED)
    moves = [e for e in store.detail(c.id).history if e.kind is Kind.STAGE]
    store.remove_event(moves[-1].id)
    assert store.detail(c.id).contact.stage is Stage.SCHEDULED
    store.remove_event(moves[0].id)
    assert store.detail(c.id).contact.stage is Stage.TO_CONTACT


def test_editing_a_moves_time_reorders_the_history(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada"))
    clock.now += timedelta(hours=1)
    store.move(c.id, Stage.MET)
    clock.now += timedelta(hours=1)
    store.move(c.id, Stage.SCHEDULED)
    met = next(e for e in store.detail(c.id).history if e.stage_to is Stage.MET)
    store.edit_event(met.id, at=clock.now + timedelta(hours=1))
    assert store.detail(c.id).contact.stage is Stage.MET


def test_a_call_that_was_an_outreach_takes_back_its_move(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    call = store.log(c.id, Kind.CALL)
    assert store.detail(c.id).contact.stage is Stage.MET
    e = store.edit_event(call.id, kind=Kind.OUTREACH, channel="linkedin", note="asked for 20 minutes")
    assert (e.kind, e.channel, e.detail) == (Kind.OUTREACH, "linkedin", "asked for 20 minutes")
    d = store.detail(c.id)
    assert d.contact.stage is Stage.TO_CONTACT
    assert Kind.STAGE not in [h.kind for h in d.history]
    store.edit_event(call.id, kind=Kind.THANK_YOU)
    assert store.detail(c.id).contact.stage is Stage.THANKED


def test_the_records_own_lines_and_meetings_are_refused_with_what_to_do(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    created = store.detail(c.id).history[0]
    with pytest.raises(Invalid, match="only logged interactions"):
        store.remove_event(created.id)
    m = store.schedule(c.id, NOW + timedelta(days=1))
    scheduled = next(e for e in store.detail(c.id).history if e.kind is Kind.MEETING)
    with pytest.raises(Invalid, match=f"meeting remove {m.id}"):
        store.remove_event(scheduled.id)
    with pytest.raises(Invalid, match="cannot become"):
        store.edit_event(scheduled.id, kind=Kind.CALL)


def test_a_meeting_is_edited_and_removed_with_its_move(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    m = store.schedule(c.id, NOW + timedelta(days=1))
    later = NOW + timedelta(days=2, hours=3)
    e = store.edit_meeting(m.id, starts_at=later, minutes=45, medium=Medium.VIDEO, location="Zoom")
    assert (e.starts_at, e.minutes, e.medium, e.location) == (later, 45, Medium.VIDEO, "Zoom")
    [line] = [h for h in store.detail(c.id).history if h.kind is Kind.MEETING]
    assert (line.minutes, line.channel, line.detail) == (45, "video", "Zoom")
    with pytest.raises(Invalid):
        store.edit_meeting(m.id, minutes=2)
    store.remove_meeting(m.id)
    d = store.detail(c.id)
    assert d.meetings == ()
    assert d.contact.stage is Stage.TO_CONTACT
    assert [h.kind for h in d.history] == [Kind.CREATED]


def test_an_earlier_note_is_edited_found_by_search_and_removed(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    n = store.add_note(c.id, "likes teh cello")
    edited = store.edit_note(n.id, "likes the cello")
    assert (edited.text, edited.version) == ("likes the cello", 2)
    assert store.count(Filter(query="cello")) == 1
    assert store.count(Filter(query="teh")) == 0
    with pytest.raises(Invalid, match="note remove"):
        store.edit_note(n.id, "  ")
    store.remove_note(n.id)
    assert store.detail(c.id).notes == ()
    assert store.count(Filter(query="cello")) == 0


def _state(store: Store) -> dict[str, object]:
    data = store.export_all()
    data.pop("exported")
    return data


def test_undo_restores_the_exact_earlier_state_and_redo_reapplies(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada", company="Acme"))
    n = store.add_note(c.id, "first note")
    steps = [
        lambda: store.move(c.id, Stage.SCHEDULED),
        lambda: store.log(c.id, Kind.OUTREACH, channel="email", note="sent"),
        lambda: store.log(c.id, Kind.MEETING, NOW + timedelta(days=2), note="agenda"),
        lambda: store.log(c.id, Kind.CALL, minutes=20),
        lambda: store.edit(c.id, {"title": "Lead", "company": "Initech", "tags": ["x"]}),
        lambda: store.answer_followup(next(f.key for f in store.followups([c.id], include_snoozed=True)
                                           if f.rule == "thank-you"), "done"),
        lambda: store.archive(c.id, store_reason(), "gone quiet"),
        lambda: store.restore(c.id),
        lambda: store.remove_event(store.detail(c.id).history[2].id),
        lambda: store.edit_note(n.id, "first note, fixed"),
        lambda: store.remove_note(n.id),
    ]
    states = []
    for step in steps:
        states.append(_state(store))
        clock.now += timedelta(minutes=5)
        step()
    final = _state(store)
    for before in reversed(states):
        label = store.undo()
        assert label.endswith(": Ada")
        assert _state(store) == before, label
    with pytest.raises(NotFound, match="nothing to undo"):
        store.undo()
    for after in [*states[1:], final]:
        store.redo()
        assert _state(store) == after
    with pytest.raises(NotFound, match="nothing to redo"):
        store.redo()


def store_reason():  # type: ignore[no-untyped-def]
    from infoint_tui.domain.pipeline import ArchiveReason

    return ArchiveReason.NO_REPLY


def test_undo_works_across_terminals_and_refuses_what_changed_since(store: Store, db_path, clock: Clock) -> None:
    c = store.add(make_draft("Ada"))
    store.move(c.id, Stage.MET)
    other = Store.open(db_path, clock)
    try:
        assert other.undo() == "moved to met: Ada"
        assert store.detail(c.id).contact.stage is Stage.TO_CONTACT
        store.redo()
        store.edit(c.id, {"title": "CTO"})
        other.undo()  # the edit
        store.move(c.id, Stage.THANKED)  # a new change: nothing to redo any more
        with pytest.raises(NotFound):
            other.redo()
    finally:
        other.close()


def test_erasing_a_person_leaves_nothing_of_them_in_the_journal(store: Store) -> None:
    from infoint_tui.store.tables import JournalRow

    c = store.add(make_draft("Ada Secret"))
    store.move(c.id, Stage.MET)
    store.delete(c.id)
    assert JournalRow.select().count() == 0
    with pytest.raises(NotFound):
        store.undo()


def _history_says(store: Store, contact_id: int) -> Stage:
    """The stage the person's history leaves them in, read again from it (what a correction recomputes)."""
    events = store.detail(contact_id).history
    return stage_from_history((e.at, e.id, e.stage_to, e.kind is Kind.CREATED) for e in events
                              if e.kind in (Kind.STAGE, Kind.CREATED))


def test_a_call_logged_for_before_the_person_was_added_leaves_them_met(store: Store, clock: Clock) -> None:
    """Found by the state machine: a move dated before the person's creation was replayed before it, so
    the stored stage (met) and the history (to contact) disagreed after the next correction."""
    ada = store.add(make_draft("Ada"))
    call = store.log(ada.id, Kind.CALL, at=NOW - timedelta(days=1))
    assert store.contact(ada.id).stage is Stage.MET
    assert _history_says(store, ada.id) is Stage.MET
    store.edit_event(call.id, at=NOW - timedelta(days=2))  # the stage is recomputed from the history
    assert store.contact(ada.id).stage is Stage.MET
    assert _history_says(store, ada.id) is Stage.MET


def test_a_move_is_never_recorded_before_the_last_one(store: Store, clock: Clock) -> None:
    """A line corrected to a later time (or another machine's clock a little ahead), then a new log: the
    new move comes after, so the stage is the one the user just made."""
    ada = store.add(make_draft("Ada"))
    outreach = store.log(ada.id, Kind.OUTREACH)
    store.edit_event(outreach.id, kind=Kind.CALL, at=NOW + timedelta(hours=1))
    store.log(ada.id, Kind.THANK_YOU)
    assert store.contact(ada.id).stage is Stage.THANKED
    assert _history_says(store, ada.id) is Stage.THANKED


def test_undo_never_overwrites_a_row_whose_id_was_given_to_someone_else(store: Store) -> None:
    """Found by the trust state machine: a removed history line's id was given again (SQLite reuses the
    largest id once its row is deleted) to the next person's creation, and undoing the removal
    overwrote that person's row with the old line. Now such an undo is refused (on PostgreSQL, whose ids
    are never given twice, it goes through); nobody else's row ever changes."""
    from infoint_tui.domain.errors import Conflict

    ada = store.add(make_draft("Ada"))
    outreach = store.log(ada.id, Kind.OUTREACH)
    store.remove_event(outreach.id)
    bob = store.add(make_draft("Bob"))
    bobs_before = store.detail(bob.id).history
    if store.sql.SERVER:  # PostgreSQL's sequences never give an id twice: the line comes back
        store.undo()
        assert [e.kind for e in store.detail(ada.id).history] == [Kind.CREATED, Kind.OUTREACH]
    else:
        with pytest.raises(Conflict, match="its place in the record was taken since"):
            store.undo()
        assert [e.kind for e in store.detail(ada.id).history] == [Kind.CREATED]
    assert store.detail(bob.id).history == bobs_before
    assert store.contact(bob.id).stage is Stage.TO_CONTACT


def test_an_answer_to_a_removed_lines_follow_up_goes_with_it(store: Store, clock: Clock) -> None:
    """A nudge dismissed on an outreach that is then removed: the next outreach (which SQLite may give
    the removed one's id) has a nudge of its own, not a dismissed one."""
    ada = store.add(make_draft("Ada", company="Acme"))
    first = store.log(ada.id, Kind.OUTREACH)
    clock.now = NOW + timedelta(days=10)
    nudge = next(f for f in store.followups([ada.id]) if f.rule == "nudge")
    store.answer_followup(nudge.key, "dismissed")
    assert not any(f.rule == "nudge" for f in store.followups([ada.id]))
    store.remove_event(first.id)
    again = store.log(ada.id, Kind.OUTREACH)
    clock.now = NOW + timedelta(days=25)
    nudges = [f for f in store.followups([ada.id]) if f.rule == "nudge"]
    assert [f.anchor for f in nudges] == [str(again.id)]


def test_a_merge_with_ones_own_introducer_is_undone(store: Store) -> None:
    """Ann was recorded as introduced by Bob, a duplicate of her: merged, then the merge undone. The
    people came back in id order, Ann first, still naming Bob, who was not back yet: "FOREIGN KEY
    constraint failed" (found by a fuzzer of the follow-ups computed ahead)."""
    ann = store.add(make_draft("Ann Lee", company="Acme")).id
    bob = store.add(make_draft("Ann Lee", company="Acme")).id
    store.edit(ann, {"referred_by": bob})
    store.log(bob, Kind.CALL)
    store.merge_people(ann, bob)
    store.undo()
    assert (store.contact(ann).referred_by, store.contact(bob).name) == (bob, "Ann Lee")
    assert [e.kind for e in store.detail(bob).history if e.kind is Kind.CALL] == [Kind.CALL]
    store.redo()
    assert store.contact(ann).referred_by is None
