"""Follow-up rules: what to do next, computed from a person's history (shared/DOMAIN.md §1.2, §1.5).

Nothing here is stored: a follow-up exists while its rule says so (the store keeps what these rules
gave everyone, computed ahead and recomputed for whom each change concerns, on the :func:`basis` they
were computed on: a cache of this module, never a second truth). Doing the thing
(logging the reply, the thank-you, the follow-up) ends it. The user's own answers
(done, snoozed, dismissed) are remembered by the store per rule and anchor (the
event that started the rule), so a new outreach starts a fresh clock.

| rule | trigger | due | ends when |
|---|---|---|---|
| next-contact | outreach, no reply | +3 business days | any reply from the person or anyone at the company |
| nudge | outreach, no reply | +7 business days | a reply from the person, or a follow-up sent |
| ask-referral | declined | at once | they referred someone, or they are archived |
| thank-you | call held (or moved to met) | +24 hours (overdue after) | a thank-you sent (or moved to thanked) |
| thank-introducer | someone they referred was met (or moved to met) | +1 day | a thank-you or follow-up to them after |
| report-back | thank-you sent (or moved to thanked) | +14 days | a follow-up sent after the thank-you |
| keep-in-touch | met, reported back | +45 days after the last interaction | any interaction (restarts the clock) |

A stage change made by hand counts as the event it stands for (:func:`effective`): moved to
*scheduled* is a meeting scheduled, to *met* a call held, to *thanked* a thank-you sent. So the
list's badges, the board, Today and ``infoint agenda``, all computed here, tell the same story
whichever way the user recorded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from .dates import add_business_days, local_zone, to_local
from .model import Event, Meeting
from .pipeline import Kind, Stage

INTERACTIONS = frozenset({Kind.OUTREACH, Kind.REPLY, Kind.DECLINED, Kind.MEETING, Kind.CALL, Kind.THANK_YOU,
                          Kind.FOLLOW_UP, Kind.REFERRAL})
ANSWERS = frozenset({Kind.REPLY, Kind.DECLINED, Kind.MEETING, Kind.CALL})
"""Events that show the person answered an outreach."""


@dataclass(frozen=True)
class Rules:
    """The rule timings (defaults from the method; all configurable)."""

    next_contact_bdays: int = 3
    nudge_bdays: int = 7
    thank_you_hours: int = 24
    thank_introducer_days: int = 1
    report_back_days: int = 14
    keep_in_touch_days: int = 45
    holidays: frozenset[date] = field(default_factory=frozenset)


RULES_VERSION = 1
"""Raise it whenever :func:`compute` comes to give other follow-ups for the same history (a new rule, a
new trigger, another due time): follow-ups computed ahead by an older version (the store's
``followup_open``) are then computed again, as a change of :class:`Rules` has them."""


def basis(rules: Rules) -> str:
    """What follow-ups computed ahead depend on besides the histories: the rules (their version, timings
    and holidays) and the local time zone (business days end at 9:00 local). Two processes agreeing on
    it compute the same follow-ups from the same histories."""
    timings = ",".join(str(getattr(rules, f.name)) for f in fields(rules) if f.name != "holidays")
    holidays = ",".join(sorted(d.isoformat() for d in rules.holidays))
    return f"rules {RULES_VERSION}; {timings}; holidays {holidays}; zone {local_zone()}"


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need to know about one person.

    Attributes:
        events: The person's history, oldest first: the interactions and the stage changes (the rules read
            a stage change made by hand as the interaction it stands for, :func:`effective`).
        company_answers: When other people at the same company answered (cancels next-contact); only
            needed, and the store only fills it, while the person :func:`awaits_answer`.
        introduced_calls: The latest call held with each person this person referred, as that person's
            own rules read it (:func:`calls_held`: a move to met by hand counts): (event id, name, when).
    """

    id: int
    name: str
    company: str
    archived: bool
    events: Sequence[Event]
    company_answers: Sequence[datetime] = ()
    introduced_calls: Sequence[tuple[int, str, datetime]] = ()


@dataclass(frozen=True)
class FollowUp:
    """One thing to do for one person.

    Attributes:
        rule: Which rule (see the module table).
        anchor: The occurrence: the id of the event that started it.
        due: When it is due (aware).
        title: What to do, for people.
        log: The interaction to log when it is done by hand (None: nothing to log).
    """

    contact_id: int
    name: str
    company: str
    rule: str
    anchor: str
    due: datetime
    title: str
    log: Kind | None = None

    @property
    def key(self) -> str:
        """Stable handle for the command line: ``CONTACT:RULE:ANCHOR``."""
        return f"{self.contact_id}:{self.rule}:{self.anchor}"


def _business(at: datetime, days: int, rules: Rules) -> datetime:
    """``at`` plus business days, first thing in the morning (9:00 local), when reminders are for."""
    local = to_local(at)
    day = add_business_days(local.date(), days, rules.holidays)
    return datetime.combine(day, time(9, 0)).astimezone()


def _last(events: Iterable[Event], kinds: Iterable[Kind]) -> Event | None:
    wanted = set(kinds)
    found = None
    for e in events:
        if e.kind in wanted:
            found = e
    return found


def _after(events: Sequence[Event], kinds: Iterable[Kind], anchor: Event | datetime) -> bool:
    """Whether an event of ``kinds`` follows ``anchor`` (an event of the list: by position, so two events
    logged within the same second keep their order; or a moment: strictly later)."""
    wanted = set(kinds)
    if isinstance(anchor, Event):
        start = next((i for i, e in enumerate(events) if e.id == anchor.id), -1) + 1
        return any(e.kind in wanted for e in events[start:])
    return any(e.kind in wanted and e.at > anchor for e in events)


STANDS_FOR: dict[Stage, Kind] = {Stage.SCHEDULED: Kind.MEETING, Stage.MET: Kind.CALL, Stage.THANKED: Kind.THANK_YOU}
"""The interaction a stage change made by hand stands for."""


_INDEX = {s: s.index for s in Stage}
_PAST = {t: frozenset(k for s, k in STANDS_FOR.items() if s.index > t.index) for t in Stage}
"""What a move back to each stage takes back: what the stages past it stand for."""
_FROM = {t: frozenset(k for s, k in STANDS_FOR.items() if s.index >= t.index) for t in Stage}
"""What each stage and the later ones stand for."""


def effective(events: Sequence[Event]) -> list[Event]:
    """The history as the rules read it (oldest first): a stage change made by hand becomes the interaction
    it stands for (:data:`STANDS_FOR`), with its own id and moment, unless the history says so already
    (logging a call moves the person to met right after it: that move adds nothing).

    A move back by hand takes back what the moves by hand past the new stage stood for (a card moved to
    met by mistake and back again owes no thank-you); logged interactions stay, they happened.
    """
    out: list[Event] = []
    stood: set[int] = set()  # ids of the events in ``out`` that stand for a move by hand
    for e in events:
        if e.kind is not Kind.STAGE:
            if e.kind in INTERACTIONS:
                out.append(e)
            continue
        if e.stage_to is None:
            continue
        if e.stage_from is not None and _INDEX[e.stage_to] < _INDEX[e.stage_from]:
            undone = _PAST[e.stage_to]
            out = [x for x in out if not (x.id in stood and x.kind in undone)]
            continue
        kind = STANDS_FOR.get(e.stage_to)
        if kind is None:
            continue
        # Already so: the latest event of this stage or a later one is the one this move stands for.
        later = _FROM[e.stage_to]
        latest = _last(out, later)
        if latest is not None and latest.kind is kind:
            continue
        out.append(Event(id=e.id, contact_id=e.contact_id, kind=kind, at=e.at, stage_from=e.stage_from,
                         stage_to=e.stage_to, detail="moved by hand"))
        stood.add(e.id)
    return out


def calls_held(events: Sequence[Event]) -> list[Event]:
    """The calls a history (oldest first) holds as the rules read it (:func:`effective`): the logged ones
    and the moves to met by hand that stand for one (a move taken back holds none). The calls of the
    people someone referred start that person's thank-introducer, as their own call starts their
    thank-you: whichever way the user recorded the meeting."""
    return [e for e in effective(events) if e.kind is Kind.CALL]


def awaits_answer(events: Sequence[Event]) -> bool:
    """Whether the latest outreach in ``events`` (oldest first) has had no answer since: the only case
    in which other people's answers at the same company matter (``PersonFacts.company_answers``)."""
    events = effective(events)
    outreach = _last(events, [Kind.OUTREACH])
    return outreach is not None and not _after(events, ANSWERS, outreach)


def moved_to_met_only(events: Sequence[Event]) -> bool:
    """Whether a history (oldest first) is nothing but moves by hand forward to scheduled, then once to met,
    last: what :func:`effective` reads as meetings and then one call, with no outreach, no decline and
    no thank-you. Its only follow-up of its own is then that call's thank-you (most people met, at
    100,000 people; :func:`compute` says so without reading the history twice)."""
    if not events or events[-1].stage_to is not Stage.MET:
        return False
    for e in events[:-1]:
        if e.kind is not Kind.STAGE or e.stage_to is not Stage.SCHEDULED or (
                e.stage_from is not None and _INDEX[e.stage_from] >= _INDEX[Stage.SCHEDULED]):
            return False
    last = events[-1]
    return last.kind is Kind.STAGE and (last.stage_from is None or _INDEX[last.stage_from] < _INDEX[Stage.MET])


def compute(p: PersonFacts, rules: Rules = Rules()) -> list[FollowUp]:
    """Every open follow-up for one person, whatever its due date."""
    if p.archived:
        return []
    if not p.introduced_calls and moved_to_met_only(p.events):  # the move to met is the call: its thank-you
        return [_thank_you(p, p.events[-1], rules)]
    ev = effective(p.events)
    out: list[FollowUp] = []

    def add(rule: str, anchor: object, due: datetime, title: str, log: Kind | None) -> None:
        out.append(FollowUp(p.id, p.name, p.company, rule, str(anchor), due, title, log))

    outreach = _last(ev, [Kind.OUTREACH])
    if outreach is not None and awaits_answer(ev):
        company_answered = any(t > outreach.at for t in p.company_answers)
        if p.company and not company_answered:
            add("next-contact", outreach.id, _business(outreach.at, rules.next_contact_bdays, rules),
                f"No reply yet: write to the next person at {p.company}", None)
        if not _after(ev, [Kind.FOLLOW_UP], outreach):
            add("nudge", outreach.id, _business(outreach.at, rules.nudge_bdays, rules),
                "Send one short follow-up", Kind.FOLLOW_UP)

    declined = _last(ev, [Kind.DECLINED])
    if declined is not None and not _after(ev, [Kind.REFERRAL], declined):
        # Nothing to log when done: a referral names someone (added as referred by them), or they are archived.
        add("ask-referral", declined.id, declined.at, "Declined: ask them to recommend someone else, then archive",
            None)

    call = _last(ev, [Kind.CALL])
    if call is not None:
        if not _after(ev, [Kind.THANK_YOU], call):
            out.append(_thank_you(p, call, rules))
        else:
            thanks = _last(ev, [Kind.THANK_YOU])
            assert thanks is not None
            if not _after(ev, [Kind.FOLLOW_UP], thanks):
                add("report-back", thanks.id, thanks.at + timedelta(days=rules.report_back_days),
                    "Tell them how their advice helped", Kind.FOLLOW_UP)
            else:
                last = _last(ev, INTERACTIONS)
                assert last is not None
                add("keep-in-touch", last.id, last.at + timedelta(days=rules.keep_in_touch_days), "Keep in touch",
                    Kind.FOLLOW_UP)

    for event_id, other, at in p.introduced_calls:
        if not _after(ev, [Kind.THANK_YOU, Kind.FOLLOW_UP], at):
            add("thank-introducer", f"intro-{event_id}", at + timedelta(days=rules.thank_introducer_days),
                f"Thank them for introducing you to {other}", Kind.FOLLOW_UP)
    return out


def _thank_you(p: PersonFacts, call: Event, rules: Rules) -> FollowUp:
    return FollowUp(p.id, p.name, p.company, "thank-you", str(call.id),
                    call.at + timedelta(hours=rules.thank_you_hours), "Send a thank-you", Kind.THANK_YOU)


def thank_you(p: PersonFacts, rules: Rules = Rules()) -> FollowUp | None:
    """The thank-you follow-up :func:`compute` gives ``p`` (None: none open), alone: what the list's
    thank-you badge needs, without the other rules (nor ``company_answers`` and ``introduced_calls``,
    which only they read)."""
    if p.archived:
        return None
    ev = effective(p.events)
    call = _last(ev, [Kind.CALL])
    if call is None or _after(ev, [Kind.THANK_YOU], call):
        return None
    return _thank_you(p, call, rules)


def order(f: FollowUp) -> tuple[datetime, str, int]:
    """The order follow-ups are listed in: by due time, then name, then person (then as the rules gave
    them: the sorts using it are stable). The store's query of those computed ahead sorts the same way."""
    return f.due, f.name, f.contact_id


@dataclass(frozen=True)
class Agenda:
    """The Today view: overdue, due today, today's meetings, then the next days."""

    overdue: tuple[FollowUp, ...]
    today: tuple[FollowUp, ...]
    meetings_today: tuple[tuple[Meeting, str, str], ...]
    """(meeting, person's name, company)."""
    upcoming: tuple[FollowUp, ...]
    upcoming_meetings: tuple[tuple[Meeting, str, str], ...]


def agenda(followups: Iterable[FollowUp], meetings: Iterable[tuple[Meeting, str, str]], now: datetime,
           days: int = 7) -> Agenda:
    """Sort follow-ups and meetings into the agenda's sections, each by due time."""
    today = to_local(now).date()
    end = today + timedelta(days=days)

    def midnight(day: date) -> datetime:  # local midnight starting ``day``, aware
        return datetime.combine(day, time()).astimezone()

    # Compared with the local days' bounds, not each follow-up converted (tens of thousands overdue).
    start, tomorrow, after = midnight(today), midnight(today + timedelta(days=1)), midnight(end + timedelta(days=1))
    overdue, due_today, upcoming = [], [], []
    for f in sorted(followups, key=order):
        if f.due < start:
            overdue.append(f)
        elif f.due < tomorrow:
            due_today.append(f)
        elif f.due < after:
            upcoming.append(f)
    m_today, m_later = [], []
    for m in sorted(meetings, key=lambda m: m[0].starts_at):
        d = to_local(m[0].starts_at).date()
        if d == today:
            m_today.append(m)
        elif today < d <= end:
            m_later.append(m)
    return Agenda(tuple(overdue), tuple(due_today), tuple(m_today), tuple(upcoming), tuple(m_later))
