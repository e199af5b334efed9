"""Follow-ups (the facts their rules need, the user's answers), the agenda, referrals (a person's
chain of introducers, their lineage, the whole forest) and the funnel's stats."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import peewee

from ..domain.dates import to_local
from ..domain.errors import Invalid, NotFound
from ..domain.followups import (
    INTERACTIONS,
    Agenda,
    FollowUp,
    PersonFacts,
    Rules,
    awaits_answer,
    calls_held,
    order,
    thank_you,
)
from ..domain.followups import agenda as make_agenda
from ..domain.followups import basis as basis_of
from ..domain.followups import compute as compute_followups
from ..domain.model import Detail, Event, Meeting
from ..domain.pipeline import Kind, Stage
from ..domain.stats import ANSWERS, Stats
from ..domain.stats import compute as compute_stats
from . import rows as rows_
from .base import StoreBase, _guarded
from .sqlite import CAN_FOLLOW_UP, CAN_FOLLOW_UP_PARAMS
from .tables import CompanyRow, ContactRow, EventRow, FollowUpRow, MeetingRow

_dt = rows_.dt

_KINDS = {k.value: k for k in Kind}
_STAGES = {s.value: s for s in Stage}
"""Stored values to their members (a lookup, where ``Kind(value)`` costs a call per event)."""

_BY_IDS_MAX = 2_000
"""More people marked stale than this are read by one query naming the table (``_STALE``), not by ids."""
_STALE = "SELECT contact_id FROM followup_stale"


_CHAIN_LIMIT = 20
"""The most introducers above a person: ``referral_chain`` and ``referral_lineage`` stop there."""


def awaits_answer_logged(events: Sequence[Event]) -> bool:
    """``awaits_answer``, asked only of a history with an outreach logged (never what a move stands for:
    without one, nobody awaits an answer; most histories, and the cheap test first)."""
    return any(e.kind is Kind.OUTREACH for e in events) and awaits_answer(events)


class FollowupsMixin(StoreBase):
    """Follow-ups, agenda, referrals and stats."""

    rules: Rules = Rules()
    """The follow-up timings every computation here uses unless given others: the method's defaults
    until whoever opens the store sets the user's (``[rules]`` in the config file, infoint_tui.config),
    so the list's badges, Today and ``infoint agenda`` all read the same ones."""
    first_weekday: int = 0
    """Where "this week" starts in :meth:`stats` (0 Monday … 6 Sunday: ``[ui] first_day_of_week``)."""

    def _facts(self, contact_ids: Sequence[int] | None = None, among: str | None = None,
               params: Sequence[Any] = (), *, others: bool = True) -> list[PersonFacts]:
        """What the follow-up rules need, for active people: ``contact_ids``, or those that the SQL
        ``among`` (a SELECT of ids, with ``params``) names, or else everyone who can have a follow-up
        at all (:data:`CAN_FOLLOW_UP`: the others' histories are not read). ``others=False`` leaves out
        what other people did (answers at the same company, calls with those referred): their own
        histories only, for the rules that read nothing else (the thank-you)."""
        kinds = [k.value for k in INTERACTIONS] + [Kind.STAGE.value]  # a move by hand counts as what it stands for
        if contact_ids is not None:
            people = (ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.company.alias("company"),
                                        ContactRow.referred_by.alias("referred_by"), ContactRow.archived,
                                        CompanyRow.name.alias("company_name"))
                      .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id)))
            # By key, filtered here: with `archived = 0` in the same WHERE a planner without statistics walks
            # the archived index over every person (100,000 people: 25 ms instead of 0.3 ms).
            cursor = self._by_ids("facts-people", lambda of: people.where(ContactRow.id.in_(of)), list(contact_ids))
            rows = [r for r in rows_.dicts(cursor) if not r["archived"]]
            if not rows:
                return []
            ids = [r["id"] for r in rows]
            query = (EventRow.select(EventRow.id, EventRow.contact, EventRow.kind, EventRow.at, EventRow.channel,
                                     EventRow.stage_from, EventRow.stage_to, EventRow.minutes, EventRow.meeting,
                                     EventRow.detail)
                     .where(EventRow.kind.in_(kinds)).order_by(EventRow.at, EventRow.id))
            found = self._by_ids("facts-events", lambda of: query.where(EventRow.contact.in_(of)), ids).fetchall()
        else:
            # One pass over the people who can have a follow-up (100,000 people, a quarter of them met:
            # their histories only, not all 100,000), in plain SQL.
            if among is None:
                among, params = CAN_FOLLOW_UP, CAN_FOLLOW_UP_PARAMS
            # The people and their histories in one query: ``among`` (at 100,000 people a scan of the events,
            # ~45 ms) matched once. In the order the whole list was read in, by its index (ties in
            # followups' sort keep it), each person's events oldest first, as below.
            marks = ", ".join("?" * len(kinds))
            rows, found = [], []
            last = None
            for cid, name, company, referred_by, company_name, eid, *event in self.db.execute_sql(
                    "SELECT c.id, c.name, c.company_id, c.referred_by_id, co.name, e.id, e.kind, e.at, e.channel, "
                    "e.stage_from, e.stage_to, e.minutes, e.meeting_id, e.detail FROM contact AS c "
                    "LEFT OUTER JOIN company AS co ON co.id = c.company_id "
                    f"LEFT OUTER JOIN event AS e ON e.contact_id = c.id AND e.kind IN ({marks}) "
                    f"WHERE NOT c.archived AND c.id IN ({among}) ORDER BY c.last_activity, c.id, e.at, e.id",
                    [*kinds, *params]):
                if cid != last:
                    rows.append({"id": cid, "name": name, "company": company, "referred_by": referred_by,
                                 "archived": False, "company_name": company_name})
                    last = cid
                if eid is not None:
                    found.append((eid, cid, *event))
            if not rows:
                return []
        events: dict[int, list[Event]] = {r["id"]: [] for r in rows}
        # Raw rows and the fast timestamp path: model instances cost ~5 ms per page of 100 people.
        kind_of, stage_of = _KINDS, _STAGES
        for eid, cid, kind, at, channel, stage_from, stage_to, minutes, meeting_id, detail in found:
            if cid in events:
                events[cid].append(Event(
                    id=eid, contact_id=cid, kind=kind_of[kind], at=_dt(at), channel=channel,  # type: ignore[arg-type]
                    stage_from=stage_of[stage_from] if stage_from else None,
                    stage_to=stage_of[stage_to] if stage_to else None,
                    minutes=minutes, meeting_id=meeting_id, detail=detail))
        ids = [r["id"] for r in rows]
        # Other people's answers at the same company matter only to someone awaiting an answer: at
        # 100,000 people, reading them for every company of a page cost ~10 ms per page.
        if not others:
            return [PersonFacts(id=r["id"], name=r["name"], company=r["company_name"] or "", archived=False,
                                events=events[r["id"]]) for r in rows]
        # (an outreach is never what a move stands for: without one logged, nobody awaits an answer)
        companies = {r["company"] for r in rows if r["company"] and awaits_answer_logged(events[r["id"]])}
        answers: dict[int, list[tuple[int, datetime]]] = {}
        if companies:
            q = (EventRow.select(EventRow.contact, EventRow.at, ContactRow.company)
                 .join(ContactRow, on=(EventRow.contact == ContactRow.id))
                 .where(ContactRow.company.in_(list(companies)),
                        EventRow.kind.in_([k.value for k in ANSWERS])).tuples())
            for cid, at, company in self.db.execute(q).fetchall():
                answers.setdefault(company, []).append((cid, _dt(at)))  # type: ignore[arg-type]
        intros = self._introduced_calls(ids if contact_ids is not None else None, kinds)
        return [PersonFacts(
            id=r["id"], name=r["name"], company=r["company_name"] or "", archived=False, events=events[r["id"]],
            company_answers=[at for cid, at in answers.get(r["company"], []) if cid != r["id"]],
            introduced_calls=intros.get(r["id"], []),
        ) for r in rows]

    def _introduced_calls(self, ids: list[int] | None, kinds: list[str]
                          ) -> dict[int, list[tuple[int, str, datetime]]]:
        """Per introducer (among ``ids``, or anyone), the latest call held with each person they referred, as
        that person's own rules read it (:func:`calls_held`): a logged call, or a move to met by hand.

        Their histories are read whole, interactions and moves: a move back by hand takes back what a move
        to met stood for, and the move a logged call makes stands for nothing more. The latest call only,
        as the person's own thank-you is: a card moved to met and the call logged after it are one meeting,
        and one thank-you to the introducer."""
        query = (EventRow.select(EventRow.id, EventRow.contact, EventRow.kind, EventRow.at, EventRow.stage_from,
                                 EventRow.stage_to, ContactRow.name, ContactRow.referred_by)
                 .join(ContactRow, on=(EventRow.contact == ContactRow.id))
                 .where(EventRow.kind.in_(kinds)).order_by(EventRow.at, EventRow.id))
        if ids is not None:
            cursor = self._by_ids("facts-intros", lambda of: query.where(ContactRow.referred_by.in_(of)), ids)
        else:
            cursor = self.db.execute(query.where(ContactRow.referred_by.is_null(False)))
        referred: dict[int, tuple[str, int, list[Event]]] = {}
        for eid, cid, kind, at, stage_from, stage_to, name, referrer in cursor.fetchall():
            referred.setdefault(cid, (name, referrer, []))[2].append(Event(
                id=eid, contact_id=cid, kind=Kind(kind), at=_dt(at),  # type: ignore[arg-type]
                stage_from=Stage(stage_from) if stage_from else None,
                stage_to=Stage(stage_to) if stage_to else None))
        intros: dict[int, list[tuple[int, str, datetime]]] = {}
        for name, referrer, history in referred.values():
            calls = calls_held(history)
            if calls:
                intros.setdefault(referrer, []).append((calls[-1].id, name, calls[-1].at))
        return intros

    @_guarded
    def followups(self, contact_ids: Sequence[int] | None = None, rules: Rules | None = None,
                  include_snoozed: bool = False) -> list[FollowUp]:
        """Open follow-ups, with the user's answers applied: done and dismissed ones are gone, snoozed
        ones move to their new date. ``rules`` default to the store's (:attr:`rules`)."""
        return self._followups(contact_ids, None, (), self.rules if rules is None else rules, include_snoozed)

    def _followups(self, contact_ids: Sequence[int] | None, among: str | None, params: Sequence[Any],
                   rules: Rules | None = None, include_snoozed: bool = False, *,
                   thanks_only: bool = False) -> list[FollowUp]:
        """:meth:`followups` of ``contact_ids``, or of the people the SQL ``among`` names (see :meth:`_facts`);
        ``thanks_only``: their thank-you follow-ups alone (domain.followups.thank_you: the list's badge).
        ``rules`` default to the store's (:attr:`rules`). Everyone's are read as computed ahead
        (:meth:`_everyones`); the others are computed here."""
        rules = self.rules if rules is None else rules
        if contact_ids is None and among is None and not thanks_only:
            return self._everyones(rules, include_snoozed)
        return self._computed(contact_ids, among, params, rules, include_snoozed, thanks_only=thanks_only)

    def _computed(self, contact_ids: Sequence[int] | None, among: str | None, params: Sequence[Any], rules: Rules,
                  include_snoozed: bool = False, *, thanks_only: bool = False) -> list[FollowUp]:
        """:meth:`_followups`, computed from the histories: the rules run on each person's facts, the
        user's answers applied, in the order of :func:`order`."""
        with self._read():
            if thanks_only:
                found = [f for p in self._facts(contact_ids, among, params, others=False)
                         if (f := thank_you(p, rules)) is not None]
            else:
                found = [f for p in self._facts(contact_ids, among, params) for f in compute_followups(p, rules)]
            if not found:
                return []
            if contact_ids is None:  # the user's answers, all of them (a few, beside tens of thousands of ids)
                states = {(r.contact_id, r.rule, r.anchor): r for r in FollowUpRow.select()}
            else:
                states = {(r.contact_id, r.rule, r.anchor): r for r in FollowUpRow.select().where(
                    FollowUpRow.contact.in_(list({f.contact_id for f in found})))}
        out = []
        for f in found:
            state = states.get((f.contact_id, f.rule, f.anchor))
            if state is None:
                out.append(f)
            elif state.state == "snoozed" and state.until is not None:
                out.append(replace(f, due=state.until) if not include_snoozed else f)
        return sorted(out, key=order)

    # --- the open follow-ups computed ahead (schema 8) ------------------------------------------
    # ``followup_open`` holds what :func:`compute_followups` gave every person who can have a follow-up
    # (:data:`CAN_FOLLOW_UP`), as of the last write transaction: the backend's triggers mark stale
    # (``followup_stale``) whoever a change concerns, and :meth:`_before_commit` computes them again before
    # the change commits. What another program wrote (an older infoint, a sqlite3 shell) stays marked
    # until then: a reader computes those people itself. ``followup_basis`` says which rules and local
    # zone the rows were computed with (domain.followups.basis); a store on another basis (another
    # config's [rules], another zone, another version of the rules) computes them all again, once.

    def _everyones(self, rules: Rules, include_snoozed: bool) -> list[FollowUp]:
        """Everyone's open follow-ups, read as computed ahead (100,000 people: one query of the 25,000
        open ones, instead of every history: ~0.1 s against ~0.45), computed first if they were computed
        on another basis, and computed the old way if they cannot be stored (a read-only file)."""
        wanted = basis_of(rules)
        found = self._open_followups(wanted, rules, include_snoozed)
        if found is not None:
            return found
        try:  # a reader never waits for a writer: if another one is writing, computed here, this time
            with self.sql.without_waiting(self.db):
                self._compute_ahead(rules, wanted)
        except (peewee.DatabaseError, sqlite3.DatabaseError):  # another writer, or a read-only file
            return self._computed(None, None, (), rules, include_snoozed)
        found = self._open_followups(wanted, rules, include_snoozed)
        return found if found is not None else self._computed(None, None, (), rules, include_snoozed)

    def _open_followups(self, wanted: str, rules: Rules, include_snoozed: bool) -> list[FollowUp] | None:
        """The stored open follow-ups with the user's answers applied and, for the people marked stale,
        the computed ones, in :func:`order`; None when they were stored on another basis than ``wanted``."""
        due = "f.due" if include_snoozed else "COALESCE(s.until, f.due)"
        with self._read():
            if self._stored_basis() != wanted:
                return None
            rows = self.db.execute_sql(
                "SELECT f.contact_id, f.name, f.company, f.rule, f.anchor, f.due, f.title, f.log, s.until "
                "FROM followup_open AS f LEFT OUTER JOIN followup AS s ON s.contact_id = f.contact_id "
                "AND s.rule = f.rule AND s.anchor = f.anchor "
                "WHERE (s.id IS NULL OR (s.state = 'snoozed' AND s.until IS NOT NULL)) "
                "AND NOT EXISTS (SELECT 1 FROM followup_stale AS x WHERE x.contact_id = f.contact_id) "
                f"ORDER BY {due}, f.name, f.contact_id, f.position").fetchall()
            stale = [cid for (cid,) in self.db.execute_sql(_STALE).fetchall()]
            if len(stale) > _BY_IDS_MAX:  # a whole file written by another program: one query, not ids
                extra = self._computed(None, _STALE, (), rules, include_snoozed)
            else:
                extra = self._computed(stale, None, (), rules, include_snoozed) if stale else []
        kind_of, dt = _KINDS, _dt
        out = [FollowUp(cid, name, company, rule, anchor,
                        dt(until if until is not None and not include_snoozed else at),  # type: ignore[arg-type]
                        title, kind_of[log] if log else None)
               for cid, name, company, rule, anchor, at, title, log, until in rows]
        return sorted(out + extra, key=order) if extra else out

    def _stored_basis(self) -> str | None:
        row = self.db.execute_sql("SELECT basis FROM followup_basis WHERE id = 1").fetchone()
        return None if row is None else str(row[0])

    def _compute_ahead(self, rules: Rules, wanted: str) -> None:
        """Compute and store everyone's open follow-ups on the basis ``wanted``, in a write transaction."""
        with self._tx():
            self.sql.hold_marks(self.db)
            found = [f for p in self._facts() for f in compute_followups(p, rules)]
            self.db.execute_sql("DELETE FROM followup_open")
            self.db.execute_sql("DELETE FROM followup_stale")
            self._store_open(found)
            self.db.execute_sql("INSERT INTO followup_basis (id, basis) VALUES (1, ?) ON CONFLICT (id) "
                                "DO UPDATE SET basis = excluded.basis", (wanted,))

    def _before_commit(self) -> None:
        """Compute again the open follow-ups of the people this transaction's changes concern (the triggers
        marked them), when the stored ones are on this store's basis (else the next reader computes them
        all on its own)."""
        marked = self.db.execute_sql("SELECT s.contact_id, b.basis FROM followup_stale AS s "  # one round trip
                                     "LEFT OUTER JOIN followup_basis AS b ON b.id = 1").fetchall()
        if not marked or marked[0][1] != basis_of(self.rules):
            return
        self.sql.hold_marks(self.db)  # the marks read next are all there are until this commits
        stale = [cid for (cid,) in self.db.execute_sql(_STALE).fetchall()]
        # Many (an import of histories, a company's people): one query naming the table, not their ids.
        facts = self._facts(stale) if len(stale) <= _BY_IDS_MAX else self._facts(None, _STALE, ())
        found = [f for p in facts for f in compute_followups(p, self.rules)]
        self.db.execute_sql(f"DELETE FROM followup_open WHERE contact_id IN ({_STALE})")
        self.db.execute_sql("DELETE FROM followup_stale")
        self._store_open(found)

    def _store_open(self, found: list[FollowUp]) -> None:
        """Insert computed follow-ups (grouped by person, as the rules gave them) into ``followup_open``."""
        rows: list[tuple[Any, ...]] = []
        last, position = None, 0
        for f in found:
            position = position + 1 if f.contact_id == last else 0
            last = f.contact_id
            rows.append((f.contact_id, position, f.name, f.company, f.rule, f.anchor,
                         f.due.astimezone(UTC).replace(tzinfo=None).isoformat(" "), f.title,
                         f.log.value if f.log else None))
        self.sql.executemany(self.db, "INSERT INTO followup_open (contact_id, position, name, company, rule, anchor, "
                                      "due, title, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    @_guarded
    def answer_followup(self, key: str, state: str, until: datetime | None = None) -> FollowUp:
        """Mark a follow-up ``done``, ``dismissed`` or ``snoozed`` (until a date); ``key`` is FollowUp.key.

        A done follow-up that has an interaction to log (a thank-you, a follow-up sent) logs it as
        :meth:`log` does, stage move included, so the history says what happened. Done on a decline
        (ask-referral) is refused with what to do instead: add the person they suggested, or archive.
        """
        if state not in ("done", "dismissed", "snoozed"):
            raise Invalid("state", f"'{state}' is not one of: done, dismissed, snoozed.")
        try:
            cid_text, rule, anchor = key.split(":", 2)
            contact_id = int(cid_text)
        except ValueError:
            raise Invalid("follow-up", f"'{key}' is not a follow-up key; 'infoint agenda' shows them "
                                       "(like 12:thank-you:345).") from None
        match = [f for f in self.followups([contact_id], include_snoozed=True) if f.rule == rule and
                 f.anchor == anchor]
        if not match:
            raise NotFound(f"there is no open follow-up {key}; 'infoint agenda' lists the open ones.")
        if state == "snoozed" and until is None:
            raise Invalid("until", "give a date to snooze to, such as +2d, +1b or 2026-12-03.")
        found = match[0]
        if state == "done" and found.rule == "ask-referral":
            # A referral names someone: "done" alone would log one with nobody named.
            raise Invalid("follow-up", f"done on a decline means {found.name} suggested someone: add them with "
                                       f"'infoint add NAME --referred-by {contact_id}' (that ends it), or archive "
                                       f"{found.name} with 'infoint archive {contact_id} --reason declined', or "
                                       f"dismiss it ('infoint followup {key} dismiss').")
        with self._tx(), self._journaled(contact_id, f"follow-up {state}"):
            if state == "done" and found.log is not None:
                # Exactly what logging it does (a thank-you moves the person to thanked).
                self.log(contact_id, found.log, detail=f"done: {found.title}")
            now = self.clock()
            FollowUpRow.insert(contact=contact_id, rule=rule, anchor=anchor, state=state, until=until,
                               at=now).on_conflict(
                conflict_target=[FollowUpRow.contact, FollowUpRow.rule, FollowUpRow.anchor],
                update={FollowUpRow.state: state, FollowUpRow.until: until, FollowUpRow.at: now}).execute()
        return found

    @_guarded
    def meetings_between(self, start: datetime, end: datetime) -> list[tuple[Meeting, str, str]]:
        """Planned meetings (not held, not cancelled) starting in [start, end): (meeting, name, company)."""
        q = (MeetingRow.select(MeetingRow.id, ContactRow.name.alias("person"), CompanyRow.name.alias("company_name"))
             .join(ContactRow, on=(MeetingRow.contact == ContactRow.id))
             .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))
             .where(MeetingRow.starts_at >= start, MeetingRow.starts_at < end, MeetingRow.held == False,  # noqa: E712
                    MeetingRow.cancelled == False, ContactRow.archived == False)  # noqa: E712
             .order_by(MeetingRow.starts_at, MeetingRow.id).dicts())  # ties in one order on every backend
        rows = list(q)
        meetings = {m.id: m for m in MeetingRow.select().where(MeetingRow.id.in_([r["id"] for r in rows]))}
        return [(self._to_meeting(meetings[r["id"]]), r["person"], r["company_name"] or "") for r in rows]

    @_guarded
    def agenda(self, days: int = 7, rules: Rules | None = None) -> Agenda:
        """Today: overdue, due today, today's meetings, then the next ``days`` days."""
        now = self.clock()
        local = to_local(now)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        meetings = self.meetings_between(day_start, day_start + timedelta(days=days + 1))
        return make_agenda(self.followups(rules=rules), meetings, now, days)

    @_guarded
    def referral_chain(self, contact_id: int) -> list[tuple[int, str]]:
        """Who introduced whom, up from this person: [(id, name)] nearest first (cycles cut)."""
        chain: list[tuple[int, str]] = []
        seen = {contact_id}
        row = self._row(contact_id)
        while row.referred_by_id and row.referred_by_id not in seen and len(chain) < _CHAIN_LIMIT:
            row = self._row(row.referred_by_id)
            seen.add(row.id)
            chain.append((row.id, row.name))
        return chain

    @_guarded
    def referral_lineage(self, contact_id: int) -> list[tuple[int, int, str, str, str]]:
        """A person's line of referrals as (depth, id, name, stage, company) rows in display order.

        Their chain of introducers with the first one on top (depth 0; cut as :meth:`referral_chain`
        cuts it), then the person, then the people they referred, by name, one level deeper. The stage
        is the stage a person is in, archived or not. Two queries however long the chain: the
        introducers come up in one recursive query (``WITH RECURSIVE``: SQLite and PostgreSQL alike).

        Raises:
            NotFound: no such id.
        """
        person, parent = ContactRow.alias("person"), ContactRow.alias("parent")
        start = (person.select(person.id, person.referred_by, peewee.SQL("0"))
                 .where(person.id == contact_id)
                 .cte("lineage", recursive=True, columns=("id", "referred_by", "level")))
        up = (parent.select(parent.id, parent.referred_by, start.c.level + 1)
              .join(start, on=(parent.id == start.c.referred_by))
              .where(start.c.level < _CHAIN_LIMIT))  # a cycle repeats up to here; the walk below cuts it
        lineage = start.union_all(up)
        query = (ContactRow.select(lineage.c.level, ContactRow.id, ContactRow.name, ContactRow.stage,
                                   CompanyRow.name)
                 .join(lineage, on=(ContactRow.id == lineage.c.id))
                 .join_from(ContactRow, CompanyRow, peewee.JOIN.LEFT_OUTER,
                            on=(ContactRow.company == CompanyRow.id))
                 .with_cte(lineage).order_by(lineage.c.level))
        found = self.db.execute(query).fetchall()  # raw rows: (level, id, name, stage, company or None)
        if not found:
            raise NotFound(f"there is no contact #{contact_id}; 'infoint list' shows the ids.")
        chain: list[tuple[int, str, str, str]] = []  # the introducers, nearest first
        seen = {contact_id}
        for _, cid, name, stage, company in found[1:]:
            if cid in seen:
                break
            seen.add(cid)
            chain.append((cid, name, stage, company or ""))
        # The first introducer on top, the person below the nearest one, then whom they referred.
        rows = [(depth, *introducer) for depth, introducer in enumerate(reversed(chain))]
        _, cid, name, stage, company = found[0]
        rows.append((len(chain), cid, name, stage, company or ""))
        referred = (ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.stage, CompanyRow.name)
                    .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))
                    .where(ContactRow.referred_by == contact_id).order_by(ContactRow.name_key, ContactRow.id))
        rows += [(len(chain) + 1, i, n, s, c or "") for i, n, s, c in self.db.execute(referred).fetchall()]
        return rows

    @_guarded
    def referral_tree(self, company: str = "") -> list[tuple[int, int, str, str, str]]:
        """Referral forest as (depth, id, name, stage, company) rows in display order.

        With ``company`` (any part of its name that names one company), the trees that reach anyone at
        that company, rooted at the first introducer.

        Raises:
            Invalid: several companies have that name (none: no trees).
        """
        rows = {r["id"]: r for r in (ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.stage,
                                                       ContactRow.referred_by, ContactRow.archived,
                                                       CompanyRow.name.alias("company_name"))
                                     .join(CompanyRow, peewee.JOIN.LEFT_OUTER,
                                           on=(ContactRow.company == CompanyRow.id)).dicts())}
        children: dict[int | None, list[int]] = {}
        for r in rows.values():
            parent = r["referred_by"] if r["referred_by"] in rows else None
            children.setdefault(parent, []).append(r["id"])
        for kids in children.values():
            kids.sort(key=lambda i: rows[i]["name"].casefold())
        roots = [i for i in children.get(None, []) if children.get(i)]
        if company:
            target = self._company(company)
            at = {i for (i,) in ContactRow.select(ContactRow.id).where(
                ContactRow.company == (target.id if target else None)).tuples()}

            def reaches(i: int) -> bool:
                return i in at or any(reaches(k) for k in children.get(i, []))

            roots = [i for i in roots if reaches(i)]
        out: list[tuple[int, int, str, str, str]] = []

        def walk(i: int, depth: int, seen: frozenset[int]) -> None:
            r = rows[i]
            out.append((depth, i, r["name"], "archived" if r["archived"] else r["stage"], r["company_name"] or ""))
            for k in children.get(i, []):
                if k not in seen:
                    walk(k, depth + 1, seen | {k})

        for root in roots:
            walk(root, 0, frozenset({root}))
        return out

    @_guarded
    def stats(self) -> Stats:
        """The funnel: per stage, reply rate, median days to a reply, meetings this week and month."""
        with self._read():
            histories: dict[int, list[Event]] = {}
            for e in (EventRow.select().where(EventRow.kind.in_([k.value for k in INTERACTIONS]))
                      .order_by(EventRow.at, EventRow.id)):
                histories.setdefault(e.contact_id, []).append(self._to_event(e))
            starts = [m for (m,) in MeetingRow.select(MeetingRow.starts_at).where(
                MeetingRow.cancelled == False).tuples()]  # noqa: E712
            archived = ContactRow.select().where(ContactRow.archived == True).count()  # noqa: E712
            return compute_stats(self.stage_counts(), archived, histories.values(),
                                 [ContactRow.last_activity.python_value(m) for m in starts], self.clock(),
                                 self.first_weekday)

    @_guarded
    def company_people(self, company: str) -> tuple[str, list[Detail]]:
        """Everyone at a company (archived too), with their history, meetings and notes: the dossier's data."""
        row = self._need_company(company)
        ids = [i for (i,) in ContactRow.select(ContactRow.id).where(ContactRow.company == row.id)
               .order_by(ContactRow.name_key).tuples()]
        return row.name, [self.detail(i) for i in ids]
