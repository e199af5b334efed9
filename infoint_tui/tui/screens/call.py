"""Call mode: take notes during a phone or video call without losing a word.

The editor has the focus from the first frame and keeps it: every key of the
call is a Ctrl or function key, so typing never triggers anything. Notes save
about a second after the last key and at least every two seconds while typing;
quitting, SIGHUP, SIGTERM and Esc save first.

Ending the call (Ctrl+F) records it with its real length, ties the note to the
meeting, moves the person to *met* (asking first if they were not scheduled),
which starts the "send a thank-you within 24 hours" follow-up, and returns to
where the user was.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static, TextArea

from ...domain.contacts import make_draft
from ...domain.dates import utcnow
from ...domain.errors import InfointError
from ...domain.model import Detail, Question
from ...domain.pipeline import KIND_LABELS, Kind, Stage
from ...domain.text import clean_note
from ...store import SaveResult
from ..external_editor import edit_externally
from ..failures import WorkerFailures
from ..text import person, safe, when
from ..widgets.notes import Autosave, NoteDraft, SafeTextArea
from .forms import ConfirmModal, FormModal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.widget import Widget

    from ..app import InfointApp

WARN_AT_MIN = 20
ALERT_AT_MIN = 30


def timer_state(elapsed_s: float, planned_min: int | None, warn_at: int = WARN_AT_MIN,
                alert_at: int = ALERT_AT_MIN) -> str:
    """"", "warn" or "alert": amber at ``warn_at`` minutes and red at ``alert_at`` (20 and 30 unless the
    config file's ``[call]`` says otherwise), or at 2/3 and all of the planned length."""
    alert = planned_min or alert_at
    warn = warn_at if planned_min is None else max(1, planned_min * 2 // 3)
    minutes = elapsed_s / 60
    return "alert" if minutes >= alert else "warn" if minutes >= warn else ""


def stamp(elapsed_s: float) -> str:
    """The call-time stamp typed into the note: ``[mm:ss]`` (``[h:mm:ss]`` past an hour)."""
    s = int(elapsed_s)
    return f"[{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}]" if s >= 3600 else f"[{s // 60:02d}:{s % 60:02d}]"


@dataclass(frozen=True)
class Referral:
    """Someone they suggested talking to."""

    name: str
    company: str
    title: str


class ReferralModal(FormModal[Referral]):
    """Who else should I talk to? Name, then Enter (company and title are optional)."""

    HINT = "Enter adds them to 'to contact', referred by the person on the call · Esc cancels"

    def fields(self) -> Iterable[Widget]:
        yield from self.row("name", "Name", "", "required")
        yield from self.row("company", "Company", "")
        yield from self.row("title", "Title", "")

    async def validate(self) -> Referral | None:
        draft = make_draft(self.value("name"), company=self.value("company"), title=self.value("title"))
        return Referral(draft.name, draft.company, draft.title)


class LeaveCallModal(ModalScreen[str]):
    """Esc in a call: end and record it, leave without recording, or go on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,enter", "choose('end')", "End call", id="leave.end"),
        Binding("l", "choose('leave')", "Leave, no record", id="leave.leave"),
        Binding("escape,c", "choose('stay')", "Keep going", id="leave.stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form", id="leave-call"):
            yield Static(Content("Leave call mode? Your notes are saved either way."), classes="form-title")
            yield Static(Content("e / Enter  end the call and record it\n"
                                 "l          leave without recording the call\n"
                                 "Esc        keep going"), classes="form-hint")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class CallEditor(SafeTextArea):
    """The call's note editor. Ctrl+T is handled here, in the same queue as the typed characters,
    so the stamp lands exactly where the cursor was however fast the typing."""

    def __init__(self, stamp_text: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stamp_text = stamp_text

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "ctrl+t":
            event.stop()
            event.prevent_default()
            self.insert(self.stamp_text())
            return
        await super()._on_key(event)


class CallScreen(WorkerFailures, Screen[None]):
    """A running call with one person: header, timer, pitch, questions and a large note editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # First: the footer shows them in this order and cuts the last at 80 columns, and ending the call
        # is the key that must never be cut.
        Binding("ctrl+f,f10", "end_call", "End call", id="call.end", priority=True,
                tooltip="Record the call, save the note, move to met, return"),
        Binding("ctrl+t", "stamp", "Stamp", id="call.stamp", tooltip="Insert the call time, e.g. [12:04]"),
        Binding("ctrl+n", "tick", "Asked", id="call.tick", priority=True,
                tooltip="Tick the highlighted question as asked and move to the next"),
        Binding("ctrl+b", "next_question", "Next Q", id="call.next-question", priority=True,
                tooltip="Highlight the next question without ticking it"),
        Binding("ctrl+r", "referral", "Referral", id="call.referral", priority=True,
                tooltip="Add someone they suggest, referred by this person"),
        Binding("ctrl+l", "toggle_pitch", "Pitch", id="call.pitch", priority=True, tooltip="Show or hide your pitch"),
        Binding("ctrl+o", "external_editor", "$EDITOR", id="call.editor", priority=True,
                tooltip="Edit the note in your $EDITOR, then come back"),
        Binding("escape", "leave", "Leave", id="call.leave", priority=True,
                tooltip="End, leave without recording, or stay"),
        Binding("ctrl+s", "save_now", "Save", show=False, id="call.save", priority=True),
    ]
    """Only Ctrl and function keys: every printable key goes into the note. Priority bindings, so they act
    in the order typed (a stamp lands where the cursor was) and before the editor sees them."""

    def __init__(self, contact_id: int, *, now: datetime | None = None) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.fixed_now = now
        self.started_at = now or utcnow()
        self._t0 = time.monotonic()
        self.detail: Detail | None = None
        self.questions: list[Question] = []
        self.ticked: set[int] = set()
        self.current_q = 0
        self.planned_minutes: int | None = None
        self.meeting_id: int | None = None
        self.planned_at: datetime | None = None
        """When the meeting this call is was planned (the header shows it)."""
        self.skipped: set[int] = set()
        """Questions passed over (Ctrl+B) without ticking: kept with the note, as the ticked ones are."""
        self.autosave: Autosave | None = None
        self.ended = False

    @property
    def app_(self) -> InfointApp:
        return self.app  # type: ignore[return-value]

    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    def compose(self) -> ComposeResult:
        with Horizontal(id="call-top"):
            yield Static(Content("Calling…"), id="call-header")
            yield Static("00:00", id="call-timer")
        with Horizontal(id="call-body"):
            with Vertical(id="call-side"):
                yield Static("", id="call-pitch")
                yield Static("", id="call-always")
                with VerticalScroll(id="call-questions-box", can_focus=False):
                    yield Static("", id="call-questions")
                yield Static(Content("Ask for advice, not a job."), id="call-reminder")
            yield CallEditor(lambda: stamp(self.elapsed()) + " ", id="call-editor", soft_wrap=True,
                             tab_behavior="indent", highlight_cursor_line=False,
                             placeholder="Type as you listen. Ctrl+T stamps the time, Ctrl+N ticks a question.")
        yield Footer()

    @property
    def editor(self) -> CallEditor:
        return self.query_one("#call-editor", CallEditor)

    def on_mount(self) -> None:
        self.editor.focus()
        self.autosave = Autosave(self, self.editor, self._submit)
        self.autosave.start(NoteDraft(self.contact_id))
        self.query_one("#call-pitch").display = False
        self.set_interval(1.0, self._tick_timer)
        self.load()

    @work(exclusive=True, group="call-load", exit_on_error=False)
    async def load(self) -> None:
        store, db = self.app_.store, self.app_.db
        try:
            self.detail = await db.call(store.detail, self.contact_id)
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            self.dismiss_call()
            return
        self.questions = await self._questions_in_force()
        meeting = await db.call(store.planned_meeting, self.contact_id)
        if meeting is not None:
            self.meeting_id, self.planned_minutes, self.planned_at = meeting.id, meeting.minutes, meeting.starts_at
            if self.autosave and self.autosave.draft:
                self.autosave.draft.meeting_id = meeting.id
        pitch = await db.call(store.pitch)
        self.query_one("#call-pitch", Static).update(
            Content.assemble(("Your pitch\n", "bold"), safe_pitch(pitch) or ("No pitch yet: p on the main "
                                                                             "screen writes one.", "$text-muted")))
        self._render_header()
        self._render_questions()

    async def _questions_in_force(self) -> list[Question]:
        """The user's ``questions.txt`` when there is a good one (infoint_tui.userfiles), else the bank in
        the database. The file's questions get negative ids: they never meet the database's."""
        path = self.app_.user_files
        if path is not None:
            from ... import userfiles

            loaded = await asyncio.to_thread(userfiles.load_questions, path)
            if loaded.problems:
                self.notify("\n".join(loaded.problems), title="Your questions", severity="warning", timeout=12,
                            markup=False)
            if loaded.value:
                return [Question(-n, group, text, always) for n, (group, text, always) in enumerate(loaded.value, 1)]
        return await self.app_.db.call(self.app_.store.questions)

    # --- drawing -------------------------------------------------------------------------------

    def remask(self) -> None:
        """The privacy mask was turned on or off (F4): the header's names follow it."""
        self._render_header()

    def _render_header(self) -> None:
        d = self.detail
        if d is None:
            return
        c = d.contact
        now = self.fixed_now or utcnow()
        lines = [Content.assemble(("Call with ", "$text-muted"), (person(c.name), "bold"),
                                  (f"  · {c.stage.label}", "$text-muted"))]
        role = " · ".join(x for x in (safe(c.title), safe(c.company)) if x)
        via = f"via {person(c.referred_by_name)}" if c.referred_by_name else ""
        if role or via:
            lines.append(Content("  ·  ".join(x for x in (role, via) if x)))
        # The meeting this call is, then what happened last; a "meeting scheduled" event says when it was
        # planned, not when it is, so it is left out (the header said "today" for tomorrow's meeting).
        recent = [e for e in d.history if e.kind not in (Kind.EDITED, Kind.STAGE, Kind.CREATED, Kind.MEETING)][-2:]
        parts = [f"meeting {when(self.planned_at, now, False)}"] if self.planned_at else []
        parts += [f"{KIND_LABELS[e.kind]} {when(e.at, now, False)}" for e in reversed(recent)]
        if parts:
            lines.append(Content.styled("  ·  ".join(parts), "$text-muted"))
        self.query_one("#call-header", Static).update(Content("\n").join(lines))

    def _render_questions(self) -> None:
        """The checklist by TIARA group; the always-asked questions stay pinned in view above it."""
        pinned: list[Content] = []
        parts: list[Content] = []
        group = None
        for i, q in enumerate(self.questions):
            line = self._question_line(i, q)
            if q.always:
                pinned.append(line)
                continue
            if q.group != group:
                group = q.group
                parts.append(Content.styled(group, "bold $text-muted"))
            parts.append(line)
        self.query_one("#call-always", Static).update(Content("\n").join(pinned))
        self.query_one("#call-questions", Static).update(Content("\n").join(parts))

    def _question_line(self, i: int, q: Question) -> Content:
        box = "[x]" if q.id in self.ticked else "[ ]"
        mark = "›" if i == self.current_q else " "
        if q.id in self.ticked:
            style = "$text-muted strike"
        elif i == self.current_q:
            style = "bold $accent"
        else:
            style = "$text-warning" if q.always else ""
        return Content.assemble(f"{mark}{box} ", (q.text, style))

    def _tick_timer(self) -> None:
        elapsed = self.elapsed()
        timer = self.query_one("#call-timer", Static)
        timer.update(stamp(elapsed).strip("[]"))
        call = self.app_.config.call
        state = timer_state(elapsed, self.planned_minutes, call.amber_minutes, call.red_minutes)
        timer.set_class(state == "warn", "-warn")
        timer.set_class(state == "alert", "-alert")

    # --- typing and saving -------------------------------------------------------------------

    @on(TextArea.Changed, "#call-editor")
    def _changed(self) -> None:
        if self.autosave is not None:
            self.autosave.changed()

    def _submit(self, draft: NoteDraft, text: str) -> None:
        self.save_note(draft, text)

    # A description, or Textual describes the worker with repr() of its arguments: 26 ms per 1 MB note.
    @work(group="call-save", exit_on_error=False, description="save the call's note")
    async def save_note(self, draft: NoteDraft, text: str) -> None:
        result: SaveResult | None = await self.app_.save_patiently(draft, text, self._say)
        if result is not None and result.conflict:
            self.notify("The note was changed elsewhere: this text was kept as a new note.", severity="warning",
                        markup=False)

    def _say(self, message: str, severity: str) -> None:
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def flush_sync(self) -> None:
        """Save what was typed, blocking (quit, SIGHUP, SIGTERM).

        Raises:
            NoteNotSaved: the database did not take it (it was kept in a recovery file).
        """
        if self.autosave is None:
            return
        pending = self.autosave.take_pending()
        if pending is not None:
            self.app_.save_sync(*pending)

    async def _flush(self) -> NoteDraft | None:
        """Save what was typed and wait for it (and for any save already queued)."""
        if self.autosave is None:
            return None
        pending = self.autosave.take_pending()
        if pending is not None:
            await self.app_.save_patiently(*pending, self._say)
        else:
            await self.app_.db.call(lambda: None)  # saves run in order: this waits for queued ones
        return self.autosave.draft

    def action_save_now(self) -> None:
        if self.autosave is not None:
            self.autosave.save()

    # --- call actions -----------------------------------------------------------------------

    def action_stamp(self) -> None:
        self.editor.insert(stamp(self.elapsed()) + " ")

    def action_tick(self) -> None:
        if not self.questions:
            return
        q = self.questions[self.current_q]
        if q.id in self.ticked:
            self.ticked.discard(q.id)  # a second press unticks: mistakes happen mid-call
        else:
            self.ticked.add(q.id)
            self._advance()
        self._render_questions()

    def _advance(self) -> None:
        n = len(self.questions)
        for step in range(1, n + 1):
            i = (self.current_q + step) % n
            if self.questions[i].id not in self.ticked:
                self.current_q = i
                return

    def action_next_question(self) -> None:
        if self.questions:
            passed = self.questions[self.current_q].id
            if passed not in self.ticked:
                self.skipped.add(passed)
            self.current_q = (self.current_q + 1) % len(self.questions)
            self._render_questions()

    def action_toggle_pitch(self) -> None:
        pitch = self.query_one("#call-pitch")
        pitch.display = not pitch.display

    @work(exit_on_error=False)
    async def action_referral(self) -> None:
        name = safe(self.detail.contact.name) if self.detail else "them"
        ref: Referral | None = await self.app.push_screen_wait(
            ReferralModal(Content("Who else should I talk to? (suggested by ").append(name).append(")")))
        self.editor.focus()
        if ref is None:
            return
        try:
            added = await self.app_.db.call(self.app_.store.add, make_draft(
                ref.name, company=ref.company, title=ref.title, referred_by=self.contact_id))
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        for q in self.questions:  # the question is answered
            if q.always:
                self.ticked.add(q.id)
        self._render_questions()
        self.notify(f"Added {added.name} to 'to contact', referred by {name}.", markup=False)

    @work(exit_on_error=False)
    async def action_external_editor(self) -> None:
        """Hand the note to $EDITOR (the app suspends) and take back what was written."""
        draft = await self._flush()
        text = edit_externally(self.app, self.editor.text)
        if text is None:
            return
        if text != self.editor.text:
            self.editor.load_text(text)
            self.editor.move_cursor(self.editor.document.end)
            if self.autosave is not None and draft is not None:
                self.autosave.changed()
                self.autosave.save()
        self.editor.focus()

    @work(exclusive=True, group="call-end", exit_on_error=False)
    async def action_end_call(self) -> None:
        if self.ended:
            return
        minutes = max(1, round(self.elapsed() / 60))
        self._keep_questions()
        draft = await self._flush()
        move = True
        stage = self.detail.contact.stage if self.detail else None
        if stage is Stage.TO_CONTACT:
            name = safe(self.detail.contact.name) if self.detail else ""
            move = bool(await self.app.push_screen_wait(ConfirmModal(
                Content(f"{name} was not scheduled (stage: to contact). Move them to met?"))))
        try:
            await self.app_.db.call(self.app_.store.record_call, self.contact_id, self.started_at, minutes,
                                    note_id=draft.note_id if draft else None, meeting_id=self.meeting_id, move=move)
        except InfointError as err:
            self.notify(f"The call was not recorded: {err}", severity="error", markup=False)
            return
        self.ended = True
        hours = self.app_.config.rules.thank_you_hours
        self.notify(f"Call recorded ({minutes} min). Send a thank-you within {hours} hours.", markup=False)
        self.dismiss_call()

    def _keep_questions(self) -> None:
        """Write which questions were asked and which skipped at the end of the call's note (once)."""
        if self.ended or getattr(self, "_questions_kept", False):
            return
        self._questions_kept = True
        asked = [q.text for q in self.questions if q.id in self.ticked]
        skipped = [q.text for q in self.questions if q.id in self.skipped and q.id not in self.ticked]
        if not asked and not skipped:
            return
        lines = [f"Asked: {t}" for t in asked] + [f"Skipped: {t}" for t in skipped]
        text = self.editor.text
        self.editor.move_cursor(self.editor.document.end)
        self.editor.insert(("\n\n" if text.strip() else "") + "\n".join(lines) + "\n")
        if self.autosave is not None:
            self.autosave.changed()

    @work(exit_on_error=False)
    async def action_leave(self) -> None:
        choice = await self.app.push_screen_wait(LeaveCallModal())
        if choice == "end":
            self.action_end_call()
        elif choice == "leave":
            await self._flush()
            self.dismiss_call()
        else:
            self.editor.focus()

    def dismiss_call(self) -> None:
        """Back to where the user was, with fresh data: dismissed (not popped), so the screen that
        opened the call hears of it and reads again (Today still listed the meeting it had started)."""
        if self.app.screen is self:
            self.dismiss(None)
        main = self.app_.main_screen
        if main is not None:
            main.selected_id = self.contact_id
            main.load_everything()


def safe_pitch(text: str) -> str:
    """The pitch as plain text for the side panel."""
    return clean_note(text).strip()

