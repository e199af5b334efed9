"""Follow-up rules, table-driven, with a fixed clock across weekends and month ends (local time = UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from infoint_tui.domain.followups import FollowUp, PersonFacts, Rules, agenda, calls_held, compute
from infoint_tui.domain.model import Event, Meeting
from infoint_tui.domain.pipeline import Kind, Medium, Stage

K = Kind


def at(day: str, hm: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day} {hm}").replace(tzinfo=UTC)


def person(*events: tuple[Kind, datetime], company: str = "Acme", archived: bool = False,
           company_answers: tuple[datetime, ...] = (), intros: tuple[tuple[int, str, datetime], ...] = ()
           ) -> PersonFacts:
    evs = [Event(i + 1, 1, kind, when) for i, (kind, when) in enumerate(events)]
    return PersonFacts(1, "Ada", company, archived, evs, company_answers, intros)


def rules_of(p: PersonFacts, r: Rules = Rules()) -> dict[str, datetime]:
    return {f.rule: f.due for f in compute(p, r)}


@pytest.mark.parametrize(
    ("sent", "next_contact", "nudge"),
    [
        (at("2026-11-25"), at("2026-11-30", "09:00"), at("2026-12-04", "09:00")),  # Wed → Mon, Fri
        (at("2026-11-27"), at("2026-12-02", "09:00"), at("2026-12-08", "09:00")),  # Fri over a weekend
        (at("2026-11-28"), at("2026-12-02", "09:00"), at("2026-12-08", "09:00")),  # sent on a Saturday
        (at("2026-12-30"), at("2027-01-04", "09:00"), at("2027-01-08", "09:00")),  # across the year end
        (at("2027-02-25"), at("2027-03-02", "09:00"), at("2027-03-08", "09:00")),  # across a month end
    ],
)
def test_outreach_clock_counts_business_days(sent: datetime, next_contact: datetime, nudge: datetime) -> None:
    due = rules_of(person((K.OUTREACH, sent)))
    assert (due["next-contact"], due["nudge"]) == (next_contact, nudge)


def test_holidays_push_the_clock() -> None:
    r = Rules(holidays=frozenset({date(2026, 11, 26), date(2026, 11, 27)}))
    assert rules_of(person((K.OUTREACH, at("2026-11-25"))), r)["next-contact"] == at("2026-12-02", "09:00")


@pytest.mark.parametrize(
    ("events", "company_answers", "expected"),
    [
        # a reply from the person cancels both
        (((K.OUTREACH, at("2026-11-25")), (K.REPLY, at("2026-11-26"))), (), set()),
        # a reply from someone else at the company cancels only next-contact
        (((K.OUTREACH, at("2026-11-25")),), (at("2026-11-26"),), {"nudge"}),
        # a company reply from before the outreach changes nothing
        (((K.OUTREACH, at("2026-11-25")),), (at("2026-11-20"),), {"next-contact", "nudge"}),
        # a follow-up sent ends the nudge, not the next-contact
        (((K.OUTREACH, at("2026-11-25")), (K.FOLLOW_UP, at("2026-12-04"))), (), {"next-contact"}),
        # a new outreach after a reply starts a fresh clock
        (((K.OUTREACH, at("2026-11-01")), (K.REPLY, at("2026-11-02")), (K.OUTREACH, at("2026-11-25"))), (),
         {"next-contact", "nudge"}),
        # a declined answer: ask for a referral
        (((K.OUTREACH, at("2026-11-25")), (K.DECLINED, at("2026-11-26"))), (), {"ask-referral"}),
        (((K.DECLINED, at("2026-11-26")), (K.REFERRAL, at("2026-11-27"))), (), set()),
        # met: thank-you due in 24 h; sent: report back in 2 weeks; reported: keep in touch
        (((K.CALL, at("2026-11-25")),), (), {"thank-you"}),
        (((K.CALL, at("2026-11-25")), (K.THANK_YOU, at("2026-11-25", "18:00"))), (), {"report-back"}),
        (((K.CALL, at("2026-11-25")), (K.THANK_YOU, at("2026-11-25", "18:00")),
          (K.FOLLOW_UP, at("2026-12-09"))), (), {"keep-in-touch"}),
        # a second call needs a second thank-you
        (((K.CALL, at("2026-10-01")), (K.THANK_YOU, at("2026-10-02")), (K.CALL, at("2026-11-25"))), (),
         {"thank-you"}),
    ],
)
def test_which_rules_are_open(events, company_answers, expected) -> None:  # type: ignore[no-untyped-def]
    assert set(rules_of(person(*events, company_answers=company_answers))) == expected


def test_due_dates_of_the_meeting_rules() -> None:
    call = at("2026-11-25", "15:00")
    assert rules_of(person((K.CALL, call)))["thank-you"] == call + timedelta(hours=24)
    thanks = at("2026-11-26", "09:00")
    assert rules_of(person((K.CALL, call), (K.THANK_YOU, thanks)))["report-back"] == thanks + timedelta(days=14)
    news = at("2026-12-10")
    due = rules_of(person((K.CALL, call), (K.THANK_YOU, thanks), (K.FOLLOW_UP, news)))["keep-in-touch"]
    assert due == news + timedelta(days=45)
    # any interaction restarts the keep-in-touch clock
    later = at("2027-01-05")
    due = rules_of(person((K.CALL, call), (K.THANK_YOU, thanks), (K.FOLLOW_UP, news), (K.REPLY, later)))
    assert due["keep-in-touch"] == later + timedelta(days=45)


def test_thank_the_introducer() -> None:
    met = at("2026-11-25", "15:00")
    p = person(intros=((77, "Bob", met),))
    [f] = compute(p)
    assert (f.rule, f.anchor, f.due, f.title) == ("thank-introducer", "intro-77", met + timedelta(days=1),
                                                  "Thank them for introducing you to Bob")
    assert compute(person((K.THANK_YOU, met + timedelta(hours=3)), intros=((77, "Bob", met),))) == []


def test_the_calls_held_include_a_move_to_met_by_hand() -> None:
    """What starts the introducer's thanks (issue 14): a logged call or a card moved to met, as for the
    person's own thank-you; a move taken back holds none, and the move a logged call makes adds none."""
    moved = Event(7, 2, K.STAGE, at("2026-11-25"), stage_from=Stage.SCHEDULED, stage_to=Stage.MET)
    assert [(e.id, e.kind, e.at) for e in calls_held([moved])] == [(7, K.CALL, at("2026-11-25"))]
    back = Event(8, 2, K.STAGE, at("2026-11-25", "10:05"), stage_from=Stage.MET, stage_to=Stage.SCHEDULED)
    assert calls_held([moved, back]) == []
    call = Event(9, 2, K.CALL, at("2026-11-26"))
    logged_move = Event(10, 2, K.STAGE, at("2026-11-26"), stage_from=Stage.SCHEDULED, stage_to=Stage.MET)
    assert [e.id for e in calls_held([call, logged_move])] == [9]


def test_no_company_no_next_contact_and_archived_nothing() -> None:
    assert set(rules_of(person((K.OUTREACH, at("2026-11-25")), company=""))) == {"nudge"}
    assert compute(person((K.OUTREACH, at("2026-11-25")), archived=True)) == []


def test_agenda_sections_and_order() -> None:
    now = at("2026-11-25", "08:00")

    def f(name: str, due: datetime) -> FollowUp:
        return FollowUp(1, name, "", "nudge", name, due, "x")

    def m(name: str, when: datetime) -> tuple[Meeting, str, str]:
        return Meeting(1, 1, when, 30, Medium.PHONE, "", False, None, False), name, ""

    a = agenda([f("later", at("2026-11-27")), f("old", at("2026-11-20")), f("older", at("2026-11-19")),
                f("today pm", at("2026-11-25", "15:00")), f("today am", at("2026-11-25", "09:00")),
                f("far", at("2026-12-20"))],
               [m("m2", at("2026-11-25", "16:00")), m("m1", at("2026-11-25", "11:00")), m("m3", at("2026-11-26"))],
               now)
    assert [x.name for x in a.overdue] == ["older", "old"]
    assert [x.name for x in a.today] == ["today am", "today pm"]
    assert [x[1] for x in a.meetings_today] == ["m1", "m2"]
    assert [x.name for x in a.upcoming] == ["later"]  # "far" is past the 7 days
    assert [x[1] for x in a.upcoming_meetings] == ["m3"]


def test_histories_of_moves_alone_give_what_reading_them_whole_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """``compute`` answers a history of moves forward to scheduled, then to met (``moved_to_met_only``)
    without reading it whole: every history of up to three moves (and a logged call, an outreach) says
    the same either way, an introducer's call included."""
    import itertools

    from infoint_tui.domain import followups

    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    stages = list(Stage)
    steps: list[tuple[Kind, Stage | None, Stage | None]] = [
        (Kind.STAGE, a, b) for a in [None, *stages] for b in stages if a is not b]
    steps += [(Kind.CALL, None, None), (Kind.OUTREACH, None, None)]
    histories = [h for n in range(1, 4) for h in itertools.product(steps, repeat=n)]
    seen_fast = 0
    for i, history in enumerate(histories):
        events = [Event(id=10 * i + k, contact_id=1, kind=kind, at=start + timedelta(hours=k), stage_from=a,
                        stage_to=b) for k, (kind, a, b) in enumerate(history)]
        for intros in ((), ((99, "Bo", start),)):
            p = PersonFacts(id=1, name="Ann", company="Acme", archived=False, events=events,
                            introduced_calls=intros)
            fast = compute(p)
            seen_fast += followups.moved_to_met_only(events) and not intros
            with monkeypatch.context() as m:
                m.setattr(followups, "moved_to_met_only", lambda _events: False)
                assert compute(p) == fast, history
    assert seen_fast > 10
