"""The notes pane: the person's header, the note being typed, and earlier notes, newest first.

Typing autosaves about a second after the last key, and at least every two
seconds while typing goes on, so a crash loses at most about two seconds. The
pane never touches the store: it posts ``SaveWanted`` and the screen saves on
the database thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Edit, EditResult, Selection

from ...domain.dates import utcnow
from ...domain.model import Detail, Note
from ...domain.pipeline import KIND_LABELS, Kind
from ..text import cursor_blink, person, private, safe, safe_block, when
from .earlier_notes import EarlierNotes

if TYPE_CHECKING:
    from ...store import SaveResult

IDLE_SAVE_S = 1.0
"""Save this long after the last key."""
MAX_UNSAVED_S = 2.0
"""Never let typing go unsaved for longer than this (crash loses at most ~2 s)."""


@dataclass(eq=False)
class NoteDraft:
    """The note being typed and what is known to be stored of it.

    ``note_id``, ``version`` and ``saved_text`` are updated on the database
    thread by each save, in order, so consecutive saves of one draft update the
    same row instead of creating duplicates.
    """

    contact_id: int
    note_id: int | None = None
    version: int | None = None
    meeting_id: int | None = None
    saved_text: str = ""
    conflicts: int = field(default=0)
    recovery: Path | None = None
    """The recovery file this draft's text was kept in when the database could not take it (removed once
    the database has it: :meth:`InfointApp.save_patiently`)."""
    asked: int = 0
    """How many saves of this draft were asked for: a save waiting for the database gives up when a newer
    one (with the newer text) was asked for after it."""


REFUSED = "\x00unsaved"
"""A draft's ``saved_text`` after the database refused its last save: never the editor's text, so the
note counts as unsaved (the next key, Ctrl+S, or the database answering again saves it)."""


def save_draft(store, draft: NoteDraft, text: str) -> SaveResult | None:  # type: ignore[no-untyped-def]
    """Save a draft's text (runs on the database thread; drafts are updated in order there)."""
    if text == draft.saved_text:
        return None
    if draft.note_id is None and not text.strip():
        return None
    if draft.note_id is not None and not text.strip():
        store.delete_note(draft.note_id)  # the user emptied the note: remove it rather than keep a blank
        draft.note_id, draft.version, draft.saved_text = None, None, text
        return None
    result: SaveResult = store.save_note(draft.contact_id, draft.note_id, text, draft.version, draft.meeting_id)
    draft.note_id, draft.version, draft.saved_text = result.note.id, result.note.version, text
    return result


class LeanTextArea(TextArea):
    """A TextArea that repaints only the rows an edit or a cursor move touched.

    The stock widget repaints itself whole on every key (its ``selection`` reactive
    repaints): about 15 KB written to the terminal per typed character at 120x40,
    118 ms on a 1 Mbit/s link (shared/PERFORMANCE.md §7). Here a cursor move
    refreshes the rows of the lines it left and reached, and an edit that keeps the
    layout (no line added or removed, no change in wrapped height) refreshes the
    rows of the lines it touched; anything else still repaints everything.
    tests/tui/test_lean_editor.py checks the screen against a full repaint.
    """

    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    def _line_rows(self, line: int) -> tuple[int, int]:
        """(first wrapped row, number of rows) of document line ``line``."""
        wrapped = self.wrapped_document
        return wrapped.location_to_offset((line, 0))[1], len(wrapped.get_offsets(line)) + 1

    def _rows_of(self, first: int, last: int) -> int:
        """Wrapped rows of document lines ``first`` to ``last``. (The wrapped document's ``height``
        adds up every line's: ~0.2 ms a call in a 100 KB note, several calls a key.)"""
        get_offsets = self.wrapped_document.get_offsets
        return sum(len(get_offsets(i)) + 1 for i in range(first, last + 1))

    def _refresh_line_span(self, first: int, last: int) -> None:
        last_line = self.document.line_count - 1
        first, last = max(0, min(first, last_line)), max(0, min(last, last_line))
        top, _ = self._line_rows(first)
        bottom, count = self._line_rows(last)
        self.refresh_lines(top, bottom + count - top)

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        if not self.is_mounted:
            return
        lines = (previous_selection.start[0], previous_selection.end[0], selection.start[0], selection.end[0])
        self._refresh_line_span(min(lines), max(lines))

    def edit(self, edit: Edit) -> EditResult:
        top, bottom = edit.top[0], edit.bottom[0]
        line_count = self.document.line_count
        rows = self._rows_of(top, min(bottom, line_count - 1))  # the rest of the document keeps its rows
        result = super().edit(edit)
        end = result.end_location[0]
        if self.document.line_count != line_count or self._rows_of(top, end) != rows:
            self.refresh()  # rows below moved
        else:
            self._refresh_line_span(top, end)
        return result

    def load_text(self, text: str) -> None:
        super().load_text(text)
        self.refresh()

    def undo(self) -> None:
        super().undo()
        self.refresh()

    def redo(self) -> None:
        super().redo()
        self.refresh()


class SafeTextArea(LeanTextArea):
    """A TextArea whose pastes are cleaned of control characters and escape sequences."""

    def on_mount(self) -> None:
        self.cursor_blink = cursor_blink()

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual re-issues escape sequences inside a paste as text; strip them before they land.
        event.prevent_default()
        event.stop()
        if self.read_only:
            return
        text = safe_block(event.text)
        if text:
            self.replace(text, *self.selection)


class NoteEditor(SafeTextArea):
    """The notes pane's editor: Esc goes back, Ctrl+S saves now, F2 starts call mode."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", id="notes.back", tooltip="Back to the list (the note is saved)"),
        Binding("ctrl+s", "save_now", "Save", id="notes.save", tooltip="Save the note now (it autosaves anyway)"),
        Binding("f2", "screen.call", "Call", id="notes.call", tooltip="Call mode with this person"),
        Binding("f3", "earlier", "Earlier", id="notes.earlier",
                tooltip="Read the earlier notes (↑/↓ scroll; Ctrl+O opens one whole in $EDITOR; Esc comes back)"),
    ]
    """Esc leaves the editor; Ctrl+S saves at once; F3 goes to the earlier notes. Tab moves to the next pane."""

    class Leave(Message):
        """Esc in the editor."""

    class SaveNow(Message):
        """Ctrl+S in the editor."""

    class Earlier(Message):
        """F3 in the editor."""

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    def action_save_now(self) -> None:
        self.post_message(self.SaveNow())

    def action_earlier(self) -> None:
        self.post_message(self.Earlier())


class Autosave:
    """Debounced saving of one NoteEditor into its NoteDraft.

    About a second after the last key, and at least every two seconds while
    typing goes on; ``save`` hands the text to ``submit`` (which saves it on the
    database thread). Used by the notes pane and by call mode.
    """

    def __init__(self, host: Widget, editor: SafeTextArea, submit: Callable[[NoteDraft, str], None]) -> None:
        self.host = host
        self.editor = editor
        self.submit = submit
        self.draft: NoteDraft | None = None
        self._timer: Timer | None = None
        self._unsaved_since: float | None = None

    def start(self, draft: NoteDraft | None, text: str = "") -> None:
        """Edit ``draft`` from now on, with ``text`` in the editor (its stored text)."""
        self.draft = draft
        self._stop_timer()
        self._unsaved_since = None
        self.editor.load_text(text)

    @property
    def dirty(self) -> bool:
        """Typed text not yet handed to the store."""
        return self.draft is not None and self.editor.text != self.draft.saved_text and (
            self.draft.note_id is not None or bool(self.editor.text.strip()))

    def changed(self) -> None:
        """Call on every TextArea.Changed."""
        if not self.dirty:  # includes the Changed that load_text() itself posts
            return
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        self._stop_timer()
        if now - self._unsaved_since >= MAX_UNSAVED_S:
            self.save()
        else:
            self._timer = self.host.set_timer(IDLE_SAVE_S, self.save)

    def take_pending(self) -> tuple[NoteDraft, str] | None:
        """What must still be saved, if anything; the caller saves it."""
        self._stop_timer()
        self._unsaved_since = None
        if self.draft is not None and self.dirty:
            return self.draft, self.editor.text
        return None

    def save(self) -> None:
        """Hand the text over for saving now."""
        pending = self.take_pending()
        if pending is not None:
            self.submit(*pending)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


class NotesPane(Vertical):
    """Header, editor and earlier notes of the selected person."""

    @dataclass
    class SaveWanted(Message):
        """Save ``text`` into ``draft`` (on the database thread)."""

        draft: NoteDraft
        text: str

    def __init__(self, *, now: datetime | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.now = now
        self.detail: Detail | None = None
        self.autosave: Autosave | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content("Select a person to see their notes."), id="note-header")
        yield NoteEditor(id="editor", soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                         placeholder="Type notes here: they save as you type.", highlight_cursor_line=False)
        yield EarlierNotes(self._to_editor, id="past")

    def on_mount(self) -> None:
        self.autosave = Autosave(self, self.editor, lambda d, t: self.post_message(self.SaveWanted(d, t)))

    @property
    def editor(self) -> NoteEditor:
        return self.query_one("#editor", NoteEditor)

    @property
    def earlier(self) -> EarlierNotes:
        return self.query_one("#past", EarlierNotes)

    @property
    def draft(self) -> NoteDraft | None:
        """The note being typed."""
        return self.autosave.draft if self.autosave else None

    # --- showing a person --------------------------------------------------------------------

    def begin(self, contact_id: int | None) -> None:
        """Start a fresh, empty note for ``contact_id`` at once (call :meth:`take_pending` first), so that
        typing is captured before the person's details have even loaded."""
        assert self.autosave is not None
        if self.draft is not None and self.draft.contact_id == contact_id and not self.editor.text:
            return
        if contact_id is None and self.draft is None:
            return
        self.autosave.start(NoteDraft(contact_id) if contact_id is not None else None)
        if self.editor.disabled != (contact_id is None):
            self.editor.disabled = contact_id is None
        if self.detail is not None and self.detail.contact.id != contact_id:
            self.detail = None
            self._render_detail()

    def show(self, detail: Detail | None) -> None:
        """Begin a note for ``detail``'s person and show their details."""
        self.begin(detail.contact.id if detail else None)
        self.update_detail(detail)

    def update_detail(self, detail: Detail | None) -> None:
        """Details for the person being typed about (new, or changed in another window); the editor is
        left alone."""
        if detail is not None and (self.draft is None or detail.contact.id != self.draft.contact_id):
            return
        self.detail = detail
        self._render_detail()

    def continue_note(self, note: Note) -> None:
        """Put an existing note in the editor to go on typing in it."""
        assert self.autosave is not None
        self.autosave.start(NoteDraft(note.contact_id, note.id, note.version, note.meeting_id, note.text), note.text)
        self.editor.move_cursor(self.editor.document.end)
        self._render_detail()

    def remask(self) -> None:
        """The privacy mask was turned on or off (F4): the header's details and names follow it."""
        self._render_detail()

    def _render_detail(self) -> None:
        header = self.query_one("#note-header", Static)
        past = self.earlier
        d = self.detail
        if d is None:
            header.update(Content("Loading…" if self.draft is not None else "Select a person to see their notes."))
            past.show_message(Content(""))
            return
        now = self.now or utcnow()
        c = d.contact
        lines: list[Content] = [Content.assemble((person(c.name), "bold"), ("  · " + c.stage.label, "$text-muted"),
                                                 (f"  (archived: {c.archive_reason.value})" if c.archived and
                                                  c.archive_reason else "", "$text-warning"))]
        role = " · ".join(x for x in (safe(c.title), safe(c.company)) if x)
        if role:
            lines.append(Content(role))
        reach = "  ".join(x for x in (private(c.email), private(c.phone)) if x)
        if reach:
            lines.append(Content.styled(reach, "$text-muted"))
        extra: list[Content] = []
        if d.chain:
            extra.append(Content.assemble(("via ", "$text-muted"),
                                          Content(" ← ").join(Content(safe(n)) for _, n in d.chain)))
        upcoming = [m for m in d.meetings if not m.held and not m.cancelled and m.starts_at >= now]
        if upcoming:
            m = upcoming[0]
            extra.append(Content.assemble(("next: ", "$text-muted"),
                                          (f"{when(m.starts_at, now)} ({m.medium.value}, {m.minutes} min)",
                                           "$text-accent")))
        last = [e for e in d.history if e.kind not in (Kind.EDITED, Kind.STAGE, Kind.CREATED)]
        if last:
            e = last[-1]
            extra.append(Content.assemble(("last: ", "$text-muted"), f"{KIND_LABELS[e.kind]} {when(e.at, now, False)}"))
        if extra:
            lines.append(Content("  ·  ").join(extra))
        header.update(Content("\n").join(lines))
        # Only a reference to each note here: the previews are made off the event loop (earlier_notes.py).
        shown = [n for n in d.notes if n.text.strip() and (self.draft is None or n.id != self.draft.note_id)]
        if not shown:
            past.show_message(Content.styled("No earlier notes.", "$text-muted"))
            return
        past.show(shown, now)

    # --- earlier notes --------------------------------------------------------------------------

    @on(NoteEditor.Earlier)
    def _to_earlier(self) -> None:
        if self.earlier.note_to_open() is not None:  # something to read there
            self.screen.set_focus(self.earlier)

    def _to_editor(self, key: events.Key | None) -> None:
        """From the earlier notes back to the editor, now (the next key read goes there), typing ``key``."""
        editor = self.editor
        if editor.disabled:
            return
        self.screen.set_focus(editor)
        if key is not None:
            from ..typeahead import type_into

            type_into(editor, key)

    # --- autosave -------------------------------------------------------------------------------

    @on(TextArea.Changed, "#editor")
    def _changed(self) -> None:
        if self.autosave is not None:
            self.autosave.changed()

    def take_pending(self) -> tuple[NoteDraft, str] | None:
        """What must still be saved, if anything (the caller saves it)."""
        return self.autosave.take_pending() if self.autosave else None

    def save(self) -> None:
        """Hand the text to the screen for saving now."""
        if self.autosave is not None:
            self.autosave.save()

    @on(NoteEditor.SaveNow)
    def _save_now(self) -> None:
        self.save()
