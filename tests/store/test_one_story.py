"""Issue 14: the list's badges, the board, Today and 'infoint agenda' tell the same story, however
the user recorded what happened (a logged interaction, a stage changed by hand, a follow-up done)."""

from datetime import timedelta

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import IllegalMove, Invalid
from infoint_tui.domain.listing import Filter
from infoint_tui.domain.pipeline import ArchiveReason, Kind, Stage
from infoint_tui.store import Store

from ..conftest import Clock

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def _agenda_rules(store: Store) -> list[tuple[int, str]]:
    a = store.agenda()
    return sorted((f.contact_id, f.rule) for f in (*a.overdue, *a.today, *a.upcoming))


def test_moved_to_met_by_hand_starts_the_thank_you_clock(store: Store, clock: Clock) -> None:
    """The repro: 'infoint move ID met' showed "thank-you due" in the list while Today said nothing."""
    ada = store.add(make_draft("Ada", company="Acme"))
    clock.now += timedelta(hours=2)
    store.move(ada.id, Stage.MET)
    [f] = store.followups()
    assert (f.rule, f.due) == ("thank-you", clock.now + timedelta(hours=24))
    assert _agenda_rules(store) == [(ada.id, "thank-you")]
    assert store.summary(ada.id).thank_you_due
    assert store.summaries(Filter(), follow_ups=False)[0].thank_you_due  # 'infoint list' says the same


def test_moved_to_thanked_by_hand_starts_the_report_back_clock(store: Store, clock: Clock) -> None:
    ada = store.add(make_draft("Ada"))
    store.log(ada.id, Kind.CALL)
    clock.now += timedelta(hours=3)
    store.move(ada.id, Stage.THANKED)
    [f] = store.followups()
    assert (f.rule, f.due) == ("report-back", clock.now + timedelta(days=14))
    assert not store.summary(ada.id).thank_you_due


def test_a_move_by_mistake_taken_back_owes_nothing(store: Store) -> None:
    ada = store.add(make_draft("Ada"))
    store.move(ada.id, Stage.MET)
    store.move(ada.id, Stage.TO_CONTACT)
    assert store.followups() == []
    assert not store.summary(ada.id).thank_you_due


def test_a_logged_call_still_anchors_its_thank_you(store: Store) -> None:
    """The move a logged call makes adds nothing: the thank-you is the call's (answers stored before stay)."""
    ada = store.add(make_draft("Ada"))
    call = store.log(ada.id, Kind.CALL)
    [f] = store.followups()
    assert f.anchor == str(call.id)


def test_done_on_a_thank_you_moves_to_thanked_like_logging_it(store: Store) -> None:
    ada = store.add(make_draft("Ada"))
    store.log(ada.id, Kind.CALL)
    [f] = store.followups()
    store.answer_followup(f.key, "done")
    assert store.contact(ada.id).stage is Stage.THANKED
    assert [x.rule for x in store.followups()] == ["report-back"]


def test_done_on_a_decline_says_to_add_who_they_suggested(store: Store) -> None:
    ada = store.add(make_draft("Ada"))
    store.log(ada.id, Kind.DECLINED)
    [f] = store.followups()
    assert f.rule == "ask-referral"
    assert f.log is None
    with pytest.raises(Invalid, match=f"infoint add NAME --referred-by {ada.id}"):
        store.answer_followup(f.key, "done")
    assert [e.kind for e in store.detail(ada.id).history].count(Kind.REFERRAL) == 0  # nobody unnamed logged
    store.add(make_draft("Bo", referred_by=ada.id))
    assert store.followups(include_snoozed=True) == []  # the referral ended it


def test_archiving_a_decliner_ends_the_ask(store: Store) -> None:
    ada = store.add(make_draft("Ada"))
    store.log(ada.id, Kind.DECLINED)
    store.archive(ada.id, ArchiveReason.DECLINED)
    assert store.followups() == []


def test_restoring_someone_not_archived_says_so(store: Store) -> None:
    ada = store.add(make_draft("Ada"))
    before = store.detail(ada.id)
    with pytest.raises(IllegalMove, match="Ada is not archived; nothing changed"):
        store.restore(ada.id)
    assert store.detail(ada.id) == before


def _intro_items(store: Store, contact_id: int) -> list[tuple[str, str]]:
    return [(f.anchor, f.title) for f in store.followups(include_snoozed=True)
            if f.contact_id == contact_id and f.rule == "thank-introducer"]


def test_a_referral_moved_to_met_by_hand_starts_the_introducer_thanks(store: Store, clock: Clock) -> None:
    """As a logged call does: the card moved to met, the one who introduced them is owed a thank-you,
    in the list's badge, Today and 'infoint agenda' alike."""
    ada = store.add(make_draft("Ada", company="Acme"))
    bo = store.add(make_draft("Bo", company="Globex", referred_by=ada.id))
    clock.now += timedelta(hours=2)
    store.move(bo.id, Stage.MET)
    moved = store.detail(bo.id).history[-1]
    assert (moved.kind, moved.stage_to) == (Kind.STAGE, Stage.MET)
    [f] = [f for f in store.followups() if f.contact_id == ada.id]
    assert (f.rule, f.anchor, f.due) == ("thank-introducer", f"intro-{moved.id}", clock.now + timedelta(days=1))
    assert f.title == "Thank them for introducing you to Bo"
    assert _agenda_rules(store) == [(ada.id, "thank-introducer"), (bo.id, "thank-you")]
    assert not store.summary(ada.id).follow_up_due  # due tomorrow
    clock.now += timedelta(days=1)
    assert store.summary(ada.id).follow_up_due
    assert (ada.id, "thank-introducer") in [(x.contact_id, x.rule) for x in store.agenda().today]
    # Done: a follow-up to Ada logged, as for a logged call; Bo's own thank-you is still owed.
    store.answer_followup(f.key, "done")
    assert _intro_items(store, ada.id) == []
    assert [x.rule for x in store.followups()] == ["thank-you"]


def test_a_referral_moved_to_met_and_back_owes_the_introducer_nothing(store: Store) -> None:
    ada = store.add(make_draft("Ada"))
    bo = store.add(make_draft("Bo", referred_by=ada.id))
    store.move(bo.id, Stage.MET)
    store.move(bo.id, Stage.SCHEDULED)  # by mistake, taken back
    assert store.followups() == []
    assert not store.summary(ada.id).follow_up_due


def test_a_move_to_met_then_the_call_logged_is_one_thanks_to_the_introducer(store: Store, clock: Clock) -> None:
    """The card moved to met, then the call logged with its notes: one meeting, one item, anchored on the
    call (as the person's own thank-you is)."""
    ada = store.add(make_draft("Ada"))
    bo = store.add(make_draft("Bo", referred_by=ada.id))
    store.move(bo.id, Stage.MET)
    clock.now += timedelta(minutes=30)
    call = store.log(bo.id, Kind.CALL)
    assert _intro_items(store, ada.id) == [(f"intro-{call.id}", "Thank them for introducing you to Bo")]
    [own] = [f for f in store.followups() if f.contact_id == bo.id]
    assert (own.rule, own.anchor) == ("thank-you", str(call.id))


def test_a_logged_call_with_a_referral_still_anchors_the_introducer_thanks(store: Store) -> None:
    """The move a logged call makes adds nothing: answers stored before keep their anchor."""
    ada = store.add(make_draft("Ada"))
    bo = store.add(make_draft("Bo", referred_by=ada.id))
    call = store.log(bo.id, Kind.CALL)
    assert _intro_items(store, ada.id) == [(f"intro-{call.id}", "Thank them for introducing you to Bo")]


def test_the_introducer_thanked_after_the_move_owes_nothing_more(store: Store, clock: Clock) -> None:
    ada = store.add(make_draft("Ada"))
    bo = store.add(make_draft("Bo", referred_by=ada.id))
    store.move(bo.id, Stage.MET)
    clock.now += timedelta(hours=1)
    store.log(ada.id, Kind.THANK_YOU)
    assert _intro_items(store, ada.id) == []
