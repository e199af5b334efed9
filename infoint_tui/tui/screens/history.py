"""A person's history, meetings and earlier notes, to correct: e edits the line under the cursor, x or
Delete removes it (asking, naming it), Esc goes back. Scrolls with the arrows, j/k and the page keys,
so the whole record is reachable at 80x24."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...domain.corrections import CORRECTABLE
from ...domain.errors import InfointError, Invalid
from ...domain.model import Detail, Event, Meeting, Note
from ...domain.pipeline import KIND_LABELS, Kind, Medium, parse_enum
from ..text import private, safe
from .forms import ConfirmModal, DatePreviewForm
from .forms.dated import read_minutes
from .list_screen import ListScreenMixin, list_keys

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.widget import Widget

Item = Event | Meeting | Note


def describe(item: Item) -> str:
    """One line naming a history entry, a meeting or a note (user text made safe, never markup)."""
    if isinstance(item, Event):
        what = KIND_LABELS[item.kind]
        if item.kind is Kind.STAGE and item.stage_from and item.stage_to:
            what = f"moved {item.stage_from.label} → {item.stage_to.label}"
        extra = ", ".join(x for x in (item.channel, f"{item.minutes} min" if item.minutes else "",
                                       private(item.detail)) if x)
        return f"{item.at.astimezone():%Y-%m-%d %H:%M}  {what}" + (f" ({extra})" if extra else "")
    if isinstance(item, Meeting):
        state = "held" if item.held else "cancelled" if item.cancelled else "planned"
        return (f"{item.starts_at.astimezone():%Y-%m-%d %H:%M}  meeting, {item.minutes} min, {item.medium.value}"
                + (f", {private(item.location)}" if item.location else "") + f" ({state})")
    first = (private(item.text).splitlines() or [""])[0]  # private: the privacy mask (F4) hides it
    return f"{item.created.astimezone():%Y-%m-%d %H:%M}  note: {first[:70]}"


@dataclass(frozen=True, slots=True)
class EventChange:
    at: datetime | None
    kind: Kind | None
    channel: str
    note: str


@dataclass(frozen=True, slots=True)
class MeetingChange:
    starts_at: datetime | None
    minutes: int | None
    medium: Medium
    location: str


class EventForm(DatePreviewForm[EventChange]):
    """When, kind, channel and note of a logged interaction or a move."""

    DATE_FIELD = "at"
    HINT = "when: 2026-12-01 10:00, yesterday 15:00; kind: outreach, reply, declined, call, thank-you…"

    def __init__(self, title: Content, now: object, event: Event) -> None:
        super().__init__(title, now)  # type: ignore[arg-type]
        self.event = event

    def fields(self) -> Iterable[Widget]:
        e = self.event
        yield from self.row("at", "When", f"{e.at.astimezone():%Y-%m-%d %H:%M}")
        if e.kind is not Kind.STAGE:
            yield from self.row("kind", "Kind", e.kind.value)
            yield from self.row("channel", "Channel", e.channel)
        yield from self.row("note", "Note", e.detail)

    async def validate(self) -> EventChange | None:
        at = await self.read_date("at", self.value("at")) if self.value("at").strip() else None
        if self.event.kind is Kind.STAGE:
            return EventChange(at, None, self.event.channel, self.value("note"))
        kind = parse_enum(Kind, "kind", self.value("kind") or "")
        return EventChange(at, kind, self.value("channel"), self.value("note"))


class MeetingForm(DatePreviewForm[MeetingChange]):
    """When, length, medium and place of a meeting."""

    DATE_FIELD = "when"
    HINT = "when: 2026-12-01 10:00, friday 14:00; medium: phone, video, in-person, email"

    def __init__(self, title: Content, now: object, meeting: Meeting) -> None:
        super().__init__(title, now)  # type: ignore[arg-type]
        self.meeting = meeting

    def fields(self) -> Iterable[Widget]:
        m = self.meeting
        yield from self.row("when", "When", f"{m.starts_at.astimezone():%Y-%m-%d %H:%M}")
        yield from self.row("minutes", "Minutes", str(m.minutes))
        yield from self.row("medium", "Medium", m.medium.value)
        yield from self.row("location", "Where", m.location)

    async def validate(self) -> MeetingChange | None:
        when = await self.read_date("when", self.value("when")) if self.value("when").strip() else None
        minutes = read_minutes("minutes", self.value("minutes"), None, 5, 600)
        medium = parse_enum(Medium, "medium", self.value("medium") or "phone")
        return MeetingChange(when, minutes, medium, self.value("location"))


class NoteForm(DatePreviewForm[str]):
    """An earlier one-line note's text (longer notes are edited in the notes pane's earlier notes, F3)."""

    DATE_FIELD = "-"

    def __init__(self, title: Content, now: object, note: Note) -> None:
        super().__init__(title, now)  # type: ignore[arg-type]
        self.note = note

    def fields(self) -> Iterable[Widget]:
        yield from self.row("text", "Note", self.note.text)

    async def validate(self) -> str | None:
        if not self.value("text").strip():
            raise Invalid("text", "is empty; x removes the note instead.")
        return self.value("text")


class HistoryScreen(ListScreenMixin, Screen[None]):
    """One person's record, each line correctable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="history.edit", tooltip="Edit the line under the cursor"),
        Binding("x,delete", "remove", "Remove", key_display="x", id="history.remove",
                tooltip="Remove the line under the cursor (asks first)"),
        Binding("escape,H", "close", "Back", key_display="Esc", id="history.back"),
        *list_keys("history"),
    ]

    def __init__(self, contact_id: int, *, now: datetime | None = None) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.fixed_now = now
        self.items: dict[str, Item] = {}
        self.name_ = ""

    @work(exclusive=True, group="history", exit_on_error=False)
    async def load(self) -> None:
        try:
            d: Detail = await self.app_.db.call(self.app_.store.detail, self.contact_id)
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            self.dismiss(None)
            return
        self.name_ = d.contact.name
        self.query_one("#agenda-title", Static).update(Content.assemble(
            ("History of ", "bold"), (safe(d.contact.name), "bold"), f" — {d.contact.stage.label}"))
        self._fill(d)

    def _fill(self, d: Detail) -> None:
        options: list[Option | None] = []
        self.items = {}

        def heading(text: str) -> None:
            if options:
                options.append(None)
            options.append(Option(Content.styled(text, "bold $text-muted"), disabled=True))

        def line(key: str, item: Item, muted: bool = False) -> None:
            self.items[key] = item
            options.append(Option(Content.styled(describe(item), "$text-muted" if muted else ""), id=key,
                                  disabled=muted))

        heading("HISTORY (newest first)")
        for e in reversed(d.history):
            line(f"e:{e.id}", e, muted=e.kind not in CORRECTABLE)
        if d.meetings:
            heading("MEETINGS")
            for m in d.meetings:
                line(f"m:{m.id}", m)
        if d.notes:
            heading("EARLIER NOTES")
            for n in d.notes:
                line(f"n:{n.id}", n)
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted
        ol.clear_options()
        ol.add_options(options)
        choosable = [i for i, o in enumerate(options) if o is not None and not o.disabled]
        if choosable:
            ol.highlighted = min(choosable, key=lambda i: abs(i - (highlighted or 0)))

    def _current(self) -> Item | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        return self.items.get(ol.get_option_at_index(ol.highlighted).id or "")

    def action_close(self) -> None:
        self.dismiss(None)

    async def _run(self, fn: object, *args: object, done: str, **kwargs: object) -> None:
        try:
            await self.app_.db.call(fn, *args, **kwargs)  # type: ignore[arg-type]
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self.notify(done, markup=False)
        self.load()

    @work(exit_on_error=False)
    async def action_edit(self) -> None:
        item, store = self._current(), self.app_.store
        if item is None:
            return
        title = Content("Edit: ").append(Content(describe(item)))
        if isinstance(item, Event):
            change = await self.app.push_screen_wait(EventForm(title, self.now, item))
            if change is not None:
                await self._run(store.edit_event, item.id, at=change.at, kind=change.kind, channel=change.channel,
                                note=change.note, done=f"Changed: {KIND_LABELS[change.kind or item.kind]}.")
        elif isinstance(item, Meeting):
            mc = await self.app.push_screen_wait(MeetingForm(title, self.now, item))
            if mc is not None:
                await self._run(store.edit_meeting, item.id, starts_at=mc.starts_at, minutes=mc.minutes,
                                medium=mc.medium, location=mc.location, done="Meeting changed.")
        elif "\n" in item.text:
            self.notify("A note of several lines is edited in the notes pane: Esc, Enter, then F3 (earlier "
                        "notes).", markup=False)
        else:
            text = await self.app.push_screen_wait(NoteForm(title, self.now, item))
            if text is not None:
                await self._run(store.edit_note, item.id, text, done="Note changed.")

    @work(exit_on_error=False)
    async def action_remove(self) -> None:
        item, store = self._current(), self.app_.store
        if item is None:
            return
        what = describe(item)
        question = Content("Remove ").append(Content(what)).append(Content(" from ")).append(
            Content(safe(self.name_))).append(Content("'s record? (z on the list undoes it)"))
        if not await self.app.push_screen_wait(ConfirmModal(question)):
            return
        fn = store.remove_event if isinstance(item, Event) else store.remove_meeting \
            if isinstance(item, Meeting) else store.remove_note
        await self._run(fn, item.id, done=f"Removed: {what}")
