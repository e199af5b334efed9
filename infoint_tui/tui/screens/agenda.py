"""Today: overdue follow-ups, what is due today, today's meetings, then the next seven days.

Each line acts on its person with one key: Enter opens them, d marks it done (logging the
thank-you or follow-up it asks for), z snoozes, x dismisses, c starts call mode.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...domain.errors import InfointError
from ...domain.followups import Agenda, FollowUp
from ...domain.model import Meeting
from ...domain.stats import Stats
from ..text import person, safe, when
from .forms import FormModal
from .list_screen import ListScreenMixin, list_keys

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.widget import Widget



class SnoozeModal(FormModal[datetime]):
    """Snooze until: +2d, +1b (business day), tomorrow 9:00, a date."""

    HINT = "+2d, +1b (business days), tomorrow 9:00, 2026-12-03"

    def __init__(self, title: Content, now: datetime) -> None:
        super().__init__(title)
        self.now = now

    def fields(self) -> Iterable[Widget]:
        yield from self.row("until", "Until", "+1d")

    async def validate(self) -> datetime | None:
        import asyncio

        from ...domain.dates import parse_when

        return await asyncio.to_thread(parse_when, self.value("until"), self.now, "until")


class AgendaScreen(ListScreenMixin, Screen[int | None]):
    """The Today view; dismisses with the id of the person to show, if one was chosen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="agenda.open", tooltip="Show the person"),
        Binding("d", "answer('done')", "Done", id="agenda.done", tooltip="Done (logs the thank-you or follow-up)"),
        Binding("z", "snooze", "Snooze", id="agenda.snooze", tooltip="Snooze until a date"),
        Binding("x", "answer('dismissed')", "Dismiss", id="agenda.dismiss", tooltip="Dismiss for good"),
        Binding("c", "call", "Call", id="agenda.call", tooltip="Call mode with the person"),
        Binding("w", "write", "Write", id="agenda.write",
                tooltip="Write to the person: the thank-you when one is due (logged when marked sent)"),
        Binding("escape,t", "close", "Back", id="agenda.back"),
        *list_keys("agenda"),
    ]

    def __init__(self, *, now: datetime | None = None) -> None:
        super().__init__()
        self.fixed_now = now
        self.items: dict[str, FollowUp | tuple[Meeting, str, str]] = {}


    def compose_heading(self) -> ComposeResult:
        yield Static(Content.styled("Today", "bold"), id="agenda-title")
        yield Static("", id="agenda-stats")

    @work(exclusive=True, group="agenda", exit_on_error=False)
    async def load(self) -> None:
        store, db = self.app_.store, self.app_.db
        agenda: Agenda = await db.call(store.agenda, 7)
        stats: Stats = await db.call(store.stats)
        rate = f"{stats.reply_rate:.0%}" if stats.reply_rate is not None else "–"
        days = f"{stats.median_days_to_reply:g}d" if stats.median_days_to_reply is not None else "–"
        funnel = "  ".join(f"{k.replace('-', ' ')} {v}" for k, v in stats.stages.items())
        self.query_one("#agenda-stats", Static).update(Content.styled(
            f"{funnel}  ·  replies {stats.replied}/{stats.asked} ({rate}), median {days}  ·  "
            f"meetings: {stats.meetings_this_week} this week, {stats.meetings_this_month} this month",
            "$text-muted"))
        self._fill(agenda)

    def _fill(self, a: Agenda) -> None:
        options: list[Option | None] = []
        self.items = {}
        now = self.now()

        def heading(text: str) -> None:
            if options:
                options.append(None)
            options.append(Option(Content.styled(text, "bold $text-muted"), disabled=True))

        def follow(f: FollowUp, style: str = "") -> None:
            key = f"f:{f.key}"
            self.items[key] = f
            options.append(Option(Content.assemble((f"{when(f.due, now):<16}", style or "$text-muted"),
                                                   (person(f.name), "bold"),
                                                   (f" ({safe(f.company)})" if f.company else "", "$text-muted"),
                                                   ": ", f.title), id=key))

        def meeting(m: tuple[Meeting, str, str]) -> None:
            mt, name, company = m
            key = f"m:{mt.id}"
            self.items[key] = m
            options.append(Option(Content.assemble((f"{when(mt.starts_at, now):<16}", "$text-accent"),
                                                   (safe(name), "bold"),
                                                   (f" ({safe(company)})" if company else "", "$text-muted"),
                                                   f": meeting, {mt.medium.value}, {mt.minutes} min",
                                                   (f", {safe(mt.location)}" if mt.location else "", "")), id=key))

        if a.overdue:
            heading(f"OVERDUE ({len(a.overdue)})")
            for f in a.overdue:
                follow(f, "$text-error")
        if a.today or a.meetings_today:
            heading("TODAY")
            # In time order, meetings and follow-ups together (a 14:30 meeting listed above a thank-you due
            # at 12:58 read as if the thank-you could wait), as the next days are.
            today: list[tuple[datetime, FollowUp | tuple[Meeting, str, str]]] = [(f.due, f) for f in a.today]
            today += [(m[0].starts_at, m) for m in a.meetings_today]
            for _, item in sorted(today, key=lambda x: x[0]):
                meeting(item) if isinstance(item, tuple) else follow(item, "$text-warning")
        if a.upcoming or a.upcoming_meetings:
            heading("NEXT 7 DAYS")
            later: list[tuple[datetime, FollowUp | tuple[Meeting, str, str]]] = [(f.due, f) for f in a.upcoming]
            later += [(m[0].starts_at, m) for m in a.upcoming_meetings]
            for _, item in sorted(later, key=lambda x: x[0]):
                meeting(item) if isinstance(item, tuple) else follow(item)
        if not options:
            options.append(Option(Content.styled("Nothing due. Log an outreach (i on a person) to start the "
                                                 "follow-up clock.", "$text-muted"), disabled=True))
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted
        ol.clear_options()
        ol.add_options(options)
        first = next((i for i, o in enumerate(options) if o is not None and not o.disabled), None)
        if first is not None:
            ol.highlighted = min(highlighted, len(options) - 1) if highlighted is not None else first
            if ol.highlighted is not None and ol.get_option_at_index(ol.highlighted).disabled:
                ol.highlighted = first

    def _current(self) -> FollowUp | tuple[Meeting, str, str] | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        option = ol.get_option_at_index(ol.highlighted)
        return self.items.get(option.id or "")

    @staticmethod
    def _contact_of(item: FollowUp | tuple[Meeting, str, str]) -> int:
        return item[0].contact_id if isinstance(item, tuple) else item.contact_id

    @on(OptionList.OptionSelected)
    def action_open(self) -> None:
        item = self._current()
        if item is not None:
            self.dismiss(self._contact_of(item))

    def action_close(self) -> None:
        self.dismiss(None)

    @work(exit_on_error=False)
    async def action_write(self) -> None:
        item = self._current()
        if item is not None:
            from .documents import open_draft

            await open_draft(self.app_, self._contact_of(item))
            self.load()

    def action_call(self) -> None:
        item = self._current()
        if item is not None:
            from .call import CallScreen

            self.app.push_screen(CallScreen(self._contact_of(item), now=self.fixed_now),
                                 callback=lambda _: self.load())

    @work(exit_on_error=False)
    async def action_answer(self, state: str, until: datetime | None = None) -> None:
        item = self._current()
        if not isinstance(item, FollowUp):
            self.notify("Meetings are done by holding them: c starts call mode.", markup=False)
            return
        if state == "done" and item.rule == "ask-referral":
            await self._after_decline(item)
            return
        try:
            await self.app_.db.call(self.app_.store.answer_followup, item.key, state, until)
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self.notify(f"{state.capitalize()}: {item.name}: {item.title}", markup=False)
        self.load()

    async def _after_decline(self, item: FollowUp) -> None:
        """Done on a decline: who did they suggest (added as referred by them, which ends it)? Nobody:
        archive them as declined, if the user says so."""
        from ...domain.contacts import make_draft
        from ...domain.pipeline import ArchiveReason
        from .call import Referral, ReferralModal
        from .forms import ConfirmModal

        store, db = self.app_.store, self.app_.db
        name = Content(person(item.name))
        ref: Referral | None = await self.app.push_screen_wait(ReferralModal(
            Content("Who did ").append(name).append(" suggest? (Esc: nobody)")))
        try:
            if ref is not None:
                added = await db.call(store.add, make_draft(ref.name, company=ref.company, title=ref.title,
                                                            referred_by=item.contact_id))
                self.notify(f"Added {added.name} to 'to contact', referred by {item.name}.", markup=False)
            elif await self.app.push_screen_wait(ConfirmModal(
                    Content("No one suggested: archive ").append(name).append(" as declined?"))):
                await db.call(store.archive, item.contact_id, ArchiveReason.DECLINED)
                self.notify(f"Archived {item.name} (declined).", markup=False)
            else:
                return
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self.load()

    @work(exit_on_error=False)
    async def action_snooze(self) -> None:
        item = self._current()
        if not isinstance(item, FollowUp):
            if item is not None:  # a meeting: it moves by being scheduled again, not snoozed
                self.notify("A meeting is moved, not snoozed: Enter opens the person, s schedules it again.",
                            markup=False)
            return
        until = await self.app.push_screen_wait(SnoozeModal(Content("Snooze: ").append(Content(safe(item.name))),
                                                            self.now()))
        if until is not None:
            self.action_answer("snoozed", until)
