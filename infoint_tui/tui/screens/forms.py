"""Modal forms: add or edit a person, schedule a meeting, log an interaction, archive, pitch, filter, confirm.

Each form validates with the domain's own rules and shows the problem under the
field it concerns (which field, what is wrong, what to do); nothing is written
until the form is valid. Forms return plain values; the main screen writes them.
Enter submits from any one-line field, Ctrl+S from anywhere, Esc cancels.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static, TextArea

from ...domain.contacts import EDITABLE, clean_field
from ...domain.dates import ACCEPTED, parse_when
from ...domain.errors import Invalid
from ...domain.model import Contact
from ...domain.pipeline import (
    DEFAULT_MINUTES,
    KIND_LABELS,
    LOGGABLE,
    ArchiveReason,
    Kind,
    Medium,
    Source,
    Stage,
    parse_enum,
)
from ..text import cursor_blink, safe, when
from ..widgets.notes import SafeTextArea

T = TypeVar("T")

Lookup = Callable[[str], Awaitable[list[tuple[int, str, str]]]]
"""Finds people by ``#id``, exact name or search: (id, name, company)."""


class FormModal(ModalScreen[T], Generic[T]):
    """A titled form of labelled one-line fields, each with a place for its error."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True),
    ]
    """Esc cancels; Ctrl+S (or Enter in a field) saves."""

    TITLE_TEXT = ""
    HINT = ""

    def __init__(self, title: str | Content | None = None) -> None:
        super().__init__()
        self._title = title if title is not None else self.TITLE_TEXT

    def compose(self) -> ComposeResult:
        with Vertical(id="form", classes="form"):
            yield Static(self._title if isinstance(self._title, Content) else Content(self._title),
                         classes="form-title")
            with VerticalScroll(classes="form-body"):
                yield from self.fields()
            if self.HINT:
                yield Static(Content(self.HINT), classes="form-hint")
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(classes="form-buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def fields(self) -> Iterable[Widget]:
        """The form's rows (use :meth:`row`)."""
        return ()

    def row(self, name: str, label: str, value: str = "", placeholder: str = "",
            suggestions: Iterable[str] = ()) -> Iterable[Widget]:
        """One labelled Input and its (hidden until needed) error line."""
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield Input(value=value, placeholder=placeholder, id=f"f-{name}", compact=True,
                        suggester=SuggestFromList(list(suggestions), case_sensitive=False) if suggestions else None)
        yield Static("", id=f"e-{name}", classes="field-error")

    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def error(self, name: str, message: str) -> None:
        """Show ``message`` under field ``name`` (empty clears it)."""
        target = self.query_one(f"#e-{name}", Static) if name else self.query_one("#form-error", Static)
        target.update(Content(message))
        target.set_class(bool(message), "-shown")
        target.remove_class("-preview")

    def clear_errors(self) -> None:
        for w in self.query(".field-error"):
            if isinstance(w, Static):
                w.update("")
                w.remove_class("-shown")

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = cursor_blink()
        first = self.query(Input).first() if self.query(Input) else None
        if first is not None:
            first.focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        self._validate_and_close()

    @work(exclusive=True, group="form-validate")
    async def _validate_and_close(self) -> None:
        self.clear_errors()
        try:
            result = await self.validate()
        except Invalid as err:
            self._show_invalid(err)
            return
        if result is not None:
            self.dismiss(result)

    def _show_invalid(self, err: Invalid) -> None:
        name = err.field.replace(" ", "_").lstrip("-")
        if self.query(f"#e-{name}"):
            self.error(name, f"{err.reason}")
            self.query_one(f"#f-{name}").focus()
        else:
            self.error("", str(err))

    async def validate(self) -> T | None:
        """Check every field; return the result or raise :class:`Invalid`."""
        raise NotImplementedError


# --- people --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactFormResult:
    """Fields to store (all of them for a new person, only the changed ones for an edit)."""

    values: dict[str, Any]
    version: int | None = None


class ContactFormModal(FormModal[ContactFormResult]):
    """Add or edit a person."""

    HINT = "Enter or Ctrl+S saves · Esc cancels · tags: comma-separated · referred by: a name or #id"

    def __init__(self, lookup: Lookup, contact: Contact | None = None, *, referred_by: tuple[int, str] | None = None,
                 companies: Iterable[str] = ()) -> None:
        super().__init__(Content("Edit ").append(Content(safe(contact.name))) if contact else Content("New person"))
        self.contact = contact
        self.lookup = lookup
        self.companies = list(companies)
        self.referrer = referred_by

    def fields(self) -> Iterable[Widget]:
        c = self.contact
        ref = f"{c.referred_by_name} #{c.referred_by}" if c and c.referred_by else \
            f"{self.referrer[1]} #{self.referrer[0]}" if self.referrer else ""
        yield from self.row("name", "Name", c.name if c else "", "required")
        yield from self.row("title", "Title", c.title if c else "")
        yield from self.row("company", "Company", c.company if c else "", suggestions=self.companies)
        yield from self.row("email", "E-mail", c.email if c else "", "name@example.com")
        yield from self.row("phone", "Phone", c.phone if c else "")
        yield from self.row("address", "Address", c.address if c else "")
        yield from self.row("url", "Profile URL", c.url if c else "", "https://www.linkedin.com/in/…")
        yield from self.row("source", "Source", c.source.value if c and c.source else "",
                            ", ".join(s.value for s in Source), suggestions=[s.value for s in Source])
        yield from self.row("referred_by", "Referred by", ref, "name or #id")
        yield from self.row("tags", "Tags", ", ".join(c.tags) if c else "", "e.g. fintech, target")

    async def validate(self) -> ContactFormResult | None:
        values: dict[str, Any] = {}
        errors: list[Invalid] = []
        for field in EDITABLE:
            raw = self.value(field)
            if field == "referred_by":
                continue
            try:
                values[field] = clean_field(field, raw)
            except Invalid as err:
                errors.append(Invalid(field, err.reason))
        ref_text = self.value("referred_by").strip()
        values["referred_by"] = None
        if ref_text:
            token = ref_text.rsplit("#", 1)[-1] if "#" in ref_text else ref_text
            found = await self.lookup(token if token.isdigit() else ref_text)
            if len(found) != 1 and not token.isdigit():
                errors.append(Invalid("referred_by", f"{len(found) or 'no'} people match '{ref_text}'; "
                                                     "type their full name or #id."))
            elif not found:
                errors.append(Invalid("referred_by", f"there is no contact {ref_text}; give a name or #id."))
            else:
                values["referred_by"] = found[0][0]
        for err in errors:
            self.error(err.field, err.reason)
        if errors:
            self.query_one(f"#f-{errors[0].field}").focus()
            return None
        if self.contact is None:
            return ContactFormResult(values)
        c = self.contact
        current = {"name": c.name, "title": c.title, "company": c.company, "email": c.email, "phone": c.phone,
                   "address": c.address, "url": c.url, "source": c.source, "referred_by": c.referred_by,
                   "tags": c.tags}
        changed = {k: v for k, v in values.items() if v != current[k]}
        return ContactFormResult(changed, c.version)


# --- meetings and interactions ----------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleResult:
    """A meeting to plan."""

    when: datetime
    minutes: int
    medium: Medium
    location: str


def _minutes(field: str, raw: str, default: int | None, low: int, high: int) -> int | None:
    raw = raw.strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise Invalid(field, f"'{raw}' is not a number of minutes; give {low} to {high}.")
    return int(raw)


class _DatePreview(FormModal[T]):
    """A form with a date field that shows how it was read, as it is typed."""

    DATE_FIELD = "when"

    def __init__(self, title: Content, now: Callable[[], datetime]) -> None:
        super().__init__(title)
        self.now = now

    @on(Input.Changed)
    def _date_changed(self, event: Input.Changed) -> None:
        if event.input.id == f"f-{self.DATE_FIELD}":
            self._preview(event.value)

    @work(exclusive=True, group="date-preview")
    async def _preview(self, text: str) -> None:
        await asyncio.sleep(0.15)
        line = self.query_one(f"#e-{self.DATE_FIELD}", Static)
        try:
            # dateparser's first parse loads language data (~0.3 s): never on the event loop.
            moment = await asyncio.to_thread(parse_when, text, self.now()) if text.strip() else None
        except Invalid:
            moment = None
        if moment is None:
            if line.has_class("-preview"):  # clear our own preview, never a validation error
                self.error(self.DATE_FIELD, "")
                line.remove_class("-preview")
            return
        line.update(Content.styled(f"→ {when(moment, self.now())} ({moment.astimezone():%a %Y-%m-%d %H:%M})",
                                   "$text-success"))
        line.add_class("-shown", "-preview")

    async def read_date(self, field: str, raw: str) -> datetime:
        return await asyncio.to_thread(parse_when, raw, self.now(), field)


class ScheduleModal(_DatePreview[ScheduleResult]):
    """Plan a meeting: when, how long, how, where."""

    HINT = f"When: {ACCEPTED}"

    def fields(self) -> Iterable[Widget]:
        yield from self.row("when", "When", "", "tomorrow 10:00")
        yield from self.row("minutes", "Minutes", str(DEFAULT_MINUTES))
        yield from self.row("medium", "Medium", Medium.PHONE.value, ", ".join(m.value for m in Medium),
                            suggestions=[m.value for m in Medium])
        yield from self.row("location", "Location", "", "address, room, or call link")

    async def validate(self) -> ScheduleResult | None:
        moment = await self.read_date("when", self.value("when"))
        minutes = _minutes("minutes", self.value("minutes"), DEFAULT_MINUTES, 5, 600) or DEFAULT_MINUTES
        medium = parse_enum(Medium, "medium", self.value("medium") or "phone")
        return ScheduleResult(moment, minutes, medium, self.value("location"))


@dataclass(frozen=True)
class LogResult:
    """An interaction to record."""

    kind: Kind
    at: datetime | None
    channel: str
    minutes: int | None
    note: str


class LogModal(_DatePreview[LogResult]):
    """Record an interaction: outreach sent, reply, declined, call held, thank-you sent..."""

    DATE_FIELD = "at"
    HINT = "Kind: " + ", ".join(k.value for k in LOGGABLE if k is not Kind.MEETING) + " · When: empty = now"

    def __init__(self, title: Content, now: Callable[[], datetime], kind: Kind | None = None) -> None:
        super().__init__(title, now)
        self.kind = kind

    def fields(self) -> Iterable[Widget]:
        kinds = [k.value for k in LOGGABLE if k is not Kind.MEETING]
        yield from self.row("kind", "Kind", self.kind.value if self.kind else "", "outreach, reply, thank-you…",
                            suggestions=kinds)
        yield from self.row("at", "When", "", "now")
        yield from self.row("channel", "Channel", "", "email, linkedin, phone…",
                            suggestions=["email", "linkedin", "phone", "in-person"])
        yield from self.row("minutes", "Minutes", "", "for a call: how long it lasted")
        yield from self.row("note", "Note", "", "optional")

    async def validate(self) -> LogResult | None:
        kind = parse_enum(Kind, "kind", self.value("kind") or "")
        if kind not in LOGGABLE or kind is Kind.MEETING:
            raise Invalid("kind", f"'{kind.value}' cannot be logged here; use "
                                  + ", ".join(k.value for k in LOGGABLE if k is not Kind.MEETING) + ".")
        at = await self.read_date("at", self.value("at")) if self.value("at").strip() else None
        minutes = _minutes("minutes", self.value("minutes"), None, 1, 600)
        return LogResult(kind, at, self.value("channel"), minutes, self.value("note"))


@dataclass(frozen=True)
class ArchiveResult:
    """Why a person leaves the board."""

    reason: ArchiveReason
    note: str


class ArchiveModal(FormModal[ArchiveResult]):
    """Archive with a reason."""

    HINT = "Reasons: declined, no-reply, other. They stay searchable; u restores them."

    def fields(self) -> Iterable[Widget]:
        yield from self.row("reason", "Reason", "", "declined, no-reply, other",
                            suggestions=[r.value for r in ArchiveReason])
        yield from self.row("note", "Note", "", "optional: whom they suggested instead…")

    async def validate(self) -> ArchiveResult | None:
        return ArchiveResult(parse_enum(ArchiveReason, "reason", self.value("reason")), self.value("note"))


@dataclass(frozen=True)
class FilterResult:
    """Which people the list (and board) show."""

    stage: Stage | None
    company: str
    tag: str
    archived: bool


class FilterModal(FormModal[FilterResult]):
    """Filter by stage, company, tag; or show the archived."""

    HINT = "Empty fields do not filter · archived: yes/no"

    def __init__(self, current: FilterResult, companies: Iterable[str], tags: Iterable[str]) -> None:
        super().__init__(Content("Filter people"))
        self.current = current
        self.companies = list(companies)
        self.tags = list(tags)

    def fields(self) -> Iterable[Widget]:
        c = self.current
        yield from self.row("stage", "Stage", c.stage.value if c.stage else "", "to-contact, scheduled, met, thanked",
                            suggestions=[s.value for s in Stage])
        yield from self.row("company", "Company", c.company, suggestions=self.companies)
        yield from self.row("tag", "Tag", c.tag, suggestions=self.tags)
        yield from self.row("archived", "Archived", "yes" if c.archived else "no", suggestions=["yes", "no"])

    async def validate(self) -> FilterResult | None:
        stage = parse_enum(Stage, "stage", self.value("stage")) if self.value("stage").strip() else None
        archived = self.value("archived").strip().lower()
        if archived not in ("", "yes", "no", "y", "n"):
            raise Invalid("archived", "answer yes or no.")
        return FilterResult(stage, self.value("company").strip(), self.value("tag").strip().lower(),
                            archived.startswith("y"))


class PitchModal(ModalScreen[str | None]):
    """Edit the pitch: a few sentences on interests, experience and background."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pitch.cancel"),
        Binding("ctrl+s", "save", "Save", id="pitch.save", priority=True),
    ]

    def __init__(self, pitch: str) -> None:
        super().__init__()
        self.pitch = pitch

    def compose(self) -> ComposeResult:
        with Vertical(classes="form", id="pitch-form"):
            yield Static(Content("Your pitch"), classes="form-title")
            yield SafeTextArea(self.pitch, id="pitch-text", soft_wrap=True, tab_behavior="focus",
                           placeholder="I'm a … with experience in …; I'm curious about …")
            yield Static("", id="pitch-count", classes="form-hint")
            yield Static(Content("Ctrl+S saves · Esc cancels · aim for under 75 words"), classes="form-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._count()

    @on(TextArea.Changed)
    def _count(self) -> None:
        words = len(self.query_one(TextArea).text.split())
        self.query_one("#pitch-count", Static).update(Content(f"{words} words"))

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question; y or Enter confirms, n or Esc declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Content) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="form", id="confirm"):
            yield Static(self.question, classes="form-title")
            yield Static(Content("y / Enter: yes     n / Esc: no"), classes="form-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
