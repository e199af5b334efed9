"""Random sequences of store actions, and what must hold after every one of them (issue 14).

Steps include correcting the record (issue 16): removing or changing a logged line, undo and redo,
merging two people. Invariants: a person's stage agrees with their history; every badge in the list has its item in the
agenda and every agenda item its badge (the two come from one rule evaluation); a call with someone a
person referred, logged or a card moved to met, is owed to the introducer as to the person; an action
changes the person it was asked about (and, where the method says so, the one who referred them), no
one else.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import IllegalMove, InfointError, Invalid
from infoint_tui.domain.model import Filter
from infoint_tui.domain.pipeline import LOGGABLE, ORDER, ArchiveReason, Kind, Stage
from infoint_tui.store import Store

from ..conftest import Clock

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL

NAMES = ("Ada Byron", "Bo Chen", "Cy Diaz", "Di Evans", "Ed Fox", "Fay Gill")
COMPANIES = ("", "Acme", "Globex")


class TrustMachine(RuleBasedStateMachine):
    """A store driven the way the app and the command line drive it."""

    people = Bundle("people")

    def __init__(self) -> None:
        super().__init__()
        self.clock = Clock()
        self.store = Store.open(":memory:", self.clock)

    def teardown(self) -> None:
        self.store.close()

    # --- what the user does ------------------------------------------------------------------------

    def _snapshot(self) -> dict[int, tuple[object, ...]]:
        """Per person, everything an action could change (one query: this runs around every step)."""
        rows = self.store.db.execute_sql(
            "SELECT c.id, c.stage, c.archived, c.version,"
            " (SELECT COUNT(*) FROM event e WHERE e.contact_id = c.id),"
            " (SELECT COUNT(*) FROM meeting m WHERE m.contact_id = c.id),"
            " (SELECT COUNT(*) FROM note n WHERE n.contact_id = c.id),"
            " (SELECT COUNT(*) FROM followup f WHERE f.contact_id = c.id) FROM contact c").fetchall()
        return {r[0]: tuple(r[1:]) for r in rows}

    def _gone(self, cid: int, before: dict[int, tuple[object, ...]]) -> bool:
        """Erased by an earlier step (the bundle still holds the id): nothing to ask of them."""
        return cid not in before

    def _acts_only_on(self, allowed: set[int], before: dict[int, tuple[object, ...]]) -> None:
        after = self._snapshot()
        changed = {cid for cid in after if before.get(cid) != after[cid]}
        assert changed <= allowed, f"acted on {changed - allowed}, asked for {allowed}"

    @rule(target=people, name=st.sampled_from(NAMES), company=st.sampled_from(COMPANIES),
          referrer=st.none() | people)
    def add(self, name: str, company: str, referrer: int | None) -> int:
        before = self._snapshot()
        if referrer is not None and referrer not in before:
            referrer = None
        c = self.store.add(make_draft(name, company=company, referred_by=referrer))
        self._acts_only_on({c.id} | ({referrer} if referrer else set()), before)
        return c.id

    @rule(cid=people, stage=st.sampled_from(ORDER))
    def move(self, cid: int, stage: Stage) -> None:
        before = self._snapshot()
        if self._gone(cid, before):
            return
        try:
            self.store.move(cid, stage)
        except IllegalMove:
            assert self.store.contact(cid).archived
        self._acts_only_on({cid}, before)

    @rule(cid=people, kind=st.sampled_from([k for k in LOGGABLE if k is not Kind.MEETING]))
    def log(self, cid: int, kind: Kind) -> None:
        before = self._snapshot()
        if self._gone(cid, before):
            return
        try:
            self.store.log(cid, kind)
        except IllegalMove:
            assert self.store.contact(cid).archived
        self._acts_only_on({cid}, before)

    @rule(cid=people, days=st.integers(-3, 10))
    def schedule(self, cid: int, days: int) -> None:
        before = self._snapshot()
        if self._gone(cid, before):
            return
        try:
            self.store.schedule(cid, self.clock.now + timedelta(days=days, hours=1))
        except IllegalMove:
            assert self.store.contact(cid).archived
        self._acts_only_on({cid}, before)

    @rule(pick=st.integers(0, 20), state=st.sampled_from(["done", "snoozed", "dismissed"]),
          days=st.integers(1, 20))
    def answer(self, pick: int, state: str, days: int) -> None:
        open_ = self.store.followups(include_snoozed=True)
        if not open_:
            return
        f = open_[pick % len(open_)]
        before = self._snapshot()
        until = self.clock.now + timedelta(days=days) if state == "snoozed" else None
        try:
            self.store.answer_followup(f.key, state, until)
        except Invalid:
            assert state == "done"
            assert f.rule == "ask-referral"
        self._acts_only_on({f.contact_id}, before)
        if state == "done" and f.log is Kind.THANK_YOU:
            assert self.store.contact(f.contact_id).stage.index >= Stage.THANKED.index

    @rule(cid=people, reason=st.sampled_from(list(ArchiveReason)))
    def archive(self, cid: int, reason: ArchiveReason) -> None:
        before = self._snapshot()
        if self._gone(cid, before):
            return
        self.store.archive(cid, reason)
        self._acts_only_on({cid}, before)

    @rule(cid=people)
    def restore(self, cid: int) -> None:
        before = self._snapshot()
        if self._gone(cid, before):
            return
        try:
            self.store.restore(cid)
        except IllegalMove:
            assert not before[cid][1]  # not archived: nothing changes
        self._acts_only_on({cid}, before)

    @rule(cid=people, by_hand=st.booleans())
    def meet(self, cid: int, by_hand: bool) -> None:
        """A meeting held, recorded either way: the card moved to met by hand, or the call logged. For a
        person someone referred, both start the introducer's thank-you, from that moment, as both start
        the person's own."""
        before = self._snapshot()
        if self._gone(cid, before):
            return
        person = self.store.contact(cid)
        if person.archived or (by_hand and person.stage is Stage.MET):
            return
        if by_hand:
            self.store.move(cid, Stage.MET)
            # The newest line (a corrected line may stand later in time: the history is in time order).
            event = max(self.store.detail(cid).history, key=lambda e: e.id)
            assert (event.kind, event.stage_to) == (Kind.STAGE, Stage.MET)
        else:
            event = self.store.log(cid, Kind.CALL)
        self._acts_only_on({cid}, before)
        own = [f for f in self.store.followups([cid], include_snoozed=True) if f.rule == "thank-you"]
        referrer = self._active_referrer(cid)
        if referrer is None or [f.anchor for f in own] != [str(event.id)]:
            return  # no one to thank, or the move added nothing (a call held before it is still unthanked)
        [intro] = [f for f in self.store.followups([referrer], include_snoozed=True)
                   if f.rule == "thank-introducer" and f.anchor == f"intro-{event.id}"]
        assert intro.due == self.clock.now + timedelta(days=1)

    def _active_referrer(self, cid: int) -> int | None:
        row = self.store.db.execute_sql("SELECT r.id FROM contact c JOIN contact r ON r.id = c.referred_by_id"
                                        " WHERE c.id = ? AND r.archived = 0", (cid,)).fetchone()
        return row[0] if row else None

    @rule(hours=st.integers(1, 24 * 20))
    def time_passes(self, hours: int) -> None:
        self.clock.now += timedelta(hours=hours)

    # --- correcting the record (issue 16) ---------------------------------------------------------

    def _events_of(self, cid: int) -> list[tuple[int, str, str | None]]:
        return self.store.db.execute_sql(
            "SELECT id, kind, stage_from FROM event WHERE contact_id = ? ORDER BY at, id", (cid,)).fetchall()

    @rule(cid=people, pick=st.integers(0, 20), remove=st.booleans(),
          kind=st.sampled_from([Kind.OUTREACH, Kind.REPLY, Kind.CALL, Kind.THANK_YOU, Kind.FOLLOW_UP]),
          hours=st.integers(-72, 72))
    def correct_a_logged_line(self, cid: int, pick: int, remove: bool, kind: Kind, hours: int) -> None:
        """Remove a logged line or a move, or change its kind or time: only that person changes."""
        before = self._snapshot()
        if self._gone(cid, before):
            return
        lines = [e for e in self._events_of(cid) if e[1] in {k.value for k in LOGGABLE} | {Kind.STAGE.value}]
        if not lines:
            return
        event_id, line_kind, _ = lines[pick % len(lines)]
        try:
            if remove:
                self.store.remove_event(event_id)
            elif line_kind == Kind.STAGE.value:
                self.store.edit_event(event_id, at=self.clock() + timedelta(hours=hours))
            else:
                self.store.edit_event(event_id, kind=kind, at=self.clock() + timedelta(hours=hours))
        except (Invalid, IllegalMove):
            return  # refused as a whole (e.g. a line that cannot be changed): nothing may have moved
        finally:
            self._acts_only_on({cid}, before)

    @rule(redo=st.booleans())
    def undo_or_redo(self, redo: bool) -> None:
        """Undo or redo the last change (refused, writing nothing, when there is none or it is stale)."""
        try:
            (self.store.redo if redo else self.store.undo)()
        except InfointError:
            pass

    @rule(keep=people, other=people)
    def merge(self, keep: int, other: int) -> None:
        """Merging two people changes those two (and who they referred: the links move), no one else."""
        before = self._snapshot()
        if keep == other or self._gone(keep, before) or self._gone(other, before):
            return
        referred = {cid for cid, in self.store.db.execute_sql(
            "SELECT id FROM contact WHERE referred_by_id IN (?, ?)", (keep, other)).fetchall()}
        try:
            self.store.merge_people(keep, other)
        except InfointError:
            return
        after = self._snapshot()
        assert other not in after
        assert keep in after
        changed = {c for c in after if before.get(c) != after[c]}
        assert changed <= {keep} | referred, f"merge changed {changed - {keep} - referred}"

    @rule(query=st.sampled_from(["a", "bo", "cy", "acme", "fox", "zz"]), pick=st.integers(0, 10),
          action=st.sampled_from(["outreach", "met", "archive", "delete"]))
    def act_on_a_filtered_list(self, query: str, pick: int, action: str) -> None:
        """What the app does: the list filtered by a search, an action on the id it shows selected."""
        shown = self.store.summaries(Filter(query=query), 0, 100)
        if not shown:
            return
        cid = shown[pick % len(shown)].id
        before = self._snapshot()
        if action == "outreach":
            self.store.log(cid, Kind.OUTREACH)
        elif action == "met":
            self.store.move(cid, Stage.MET)
        elif action == "archive":
            self.store.archive(cid, ArchiveReason.OTHER)
        else:
            self.store.delete(cid)
        after = self._snapshot()
        assert (cid in after) == (action != "delete")
        self._acts_only_on({cid}, {k: v for k, v in before.items() if k in after} | {cid: before[cid]}
                           if cid in after else {k: v for k, v in before.items() if k != cid})

    @rule(cid=people, name=st.sampled_from(NAMES), company=st.sampled_from(COMPANIES), referrer=st.none() | people,
          what=st.sampled_from(["name", "company", "referred_by"]))
    def edit(self, cid: int, name: str, company: str, referrer: int | None, what: str) -> None:
        """A person renamed, moved to another company, or said to be referred by someone else: what the
        follow-ups of others name and read (an introducer's thank-you, the next person at a company)."""
        if cid not in self._snapshot() or (referrer is not None and referrer not in self._snapshot()):
            return
        value = {"name": name, "company": company, "referred_by": referrer}[what]
        try:
            self.store.edit(cid, {what: value})
        except InfointError:  # referred by themselves, or in a loop
            pass

    @rule(company=st.sampled_from(COMPANIES[1:]), new=st.sampled_from(["Initech", "Acme Two", "Globex"]))
    def rename_company(self, company: str, new: str) -> None:
        try:
            self.store.rename_company(company, new)
        except InfointError:  # no such company (yet), or the name is another's
            pass

    # --- what must hold ----------------------------------------------------------------------------

    @invariant()
    def follow_ups_computed_ahead_are_the_rules_own(self) -> None:
        """Everyone's follow-ups, read from those computed ahead (schema 8), are what the rules give each
        person's history read now: the same items, in the same order, snoozed or not."""
        ids = [cid for cid, in self.store.db.execute_sql("SELECT id FROM contact ORDER BY id").fetchall()]
        for snoozed in (False, True):
            assert self.store.followups(include_snoozed=snoozed) == \
                self.store.followups(ids, include_snoozed=snoozed)

    @invariant()
    def stage_agrees_with_history(self) -> None:
        """The stage is where the history's last move put them (a logged interaction's move included)."""
        last: dict[int, str] = {}
        for cid, stage_to in self.store.db.execute_sql(
                "SELECT contact_id, stage_to FROM event WHERE stage_to IS NOT NULL "
                "ORDER BY CASE WHEN kind = 'created' THEN 0 ELSE 1 END, at, id").fetchall():  # creation first
            last[cid] = stage_to
        for cid, stage in self.store.db.execute_sql("SELECT id, stage FROM contact").fetchall():
            assert last.get(cid) == stage, f"#{cid} is in {stage}; their history says {last.get(cid)}"

    @invariant()
    def badges_and_agenda_tell_the_same_story(self) -> None:
        now = self.clock.now
        followups = self.store.followups()
        agenda = self.store.agenda(7)
        listed = {f.key for f in (*agenda.overdue, *agenda.today, *agenda.upcoming)}
        assert listed <= {f.key for f in followups}
        rows = {s.id: s for flt in (Filter(), Filter(archived=True)) for s in self.store.summaries(flt, 0, 1000)}
        cheap = {s.id: s for s in self.store.summaries(Filter(), 0, 1000, follow_ups=False)}
        for cid, s in rows.items():
            mine = [f for f in followups if f.contact_id == cid]
            thanks = [f for f in mine if f.rule == "thank-you"]
            assert s.thank_you_due == bool(thanks), (s, mine)
            assert s.follow_up_due == any(f.due <= now for f in mine if f.rule != "thank-you"), (s, mine)
            if cid in cheap:  # the command line's listing says the same
                assert cheap[cid].thank_you_due == s.thank_you_due
            for f in thanks:  # an open thank-you due within the agenda's days is in it
                if f.due <= now + timedelta(days=7):
                    assert f.key in listed
            if s.follow_up_due:  # a follow-up due now is in the agenda (overdue or today)
                assert any(f.contact_id == cid and f.rule != "thank-you" for f in (*agenda.overdue, *agenda.today))
        for f in (*agenda.overdue, *agenda.today, *agenda.upcoming):
            assert f.contact_id in rows
            assert not rows[f.contact_id].archived
            if f.rule == "thank-you":
                assert rows[f.contact_id].thank_you_due


    @invariant()
    def a_call_with_a_referral_is_owed_to_their_introducer(self) -> None:
        """Whichever way a meeting with someone a person referred was recorded (a call logged, the card
        moved to met), the call their own thank-you is owed for is the one their introducer is owed a
        thank-you for, unless the user answered it or wrote to the introducer since; and every such item
        is for a call with someone they referred."""
        open_ = self.store.followups(include_snoozed=True)
        keys = {(f.contact_id, f.rule, f.anchor) for f in open_}
        answered = set(self.store.db.execute_sql(
            "SELECT contact_id, anchor FROM followup WHERE rule = 'thank-introducer'").fetchall())
        for f in open_:
            referrer = self._active_referrer(f.contact_id) if f.rule == "thank-you" else None
            if referrer is None:
                continue
            anchor = f"intro-{f.anchor}"
            if (referrer, "thank-introducer", anchor) in keys or (referrer, anchor) in answered:
                continue
            call_at = f.due - timedelta(hours=24)  # include_snoozed: the due the rule gives
            wrote = [e for e in self.store.detail(referrer).history if e.at > call_at and (
                e.kind in (Kind.THANK_YOU, Kind.FOLLOW_UP) or e.stage_to is Stage.THANKED)]
            assert wrote, f"#{referrer} owes no thanks for #{f.contact_id}'s call {f.anchor}"
        for f in open_:
            if f.rule == "thank-introducer":
                found = self.store.db.execute_sql(
                    "SELECT e.kind, e.stage_to FROM event e JOIN contact c ON c.id = e.contact_id"
                    " WHERE e.id = ? AND c.referred_by_id = ?", (int(f.anchor.removeprefix("intro-")),
                                                              f.contact_id)).fetchone()
                assert found in (("call", None), ("stage", "met")), (f, found)


TrustMachine.TestCase.settings = settings(max_examples=50, stateful_step_count=20, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_trust = TrustMachine.TestCase
