"""The earlier notes of the notes pane: a bounded preview of each, prepared off the event loop, drawn
line by line.

A person may have notes of megabytes (notes may be 2,000,000 characters) and many of them. Shown as
one Static, every note whole, Textual wrapped all of it on the event loop, twice per layout (height,
then lines): 1.8 s + 3.3 s for 2 MB, during which no key reached the editor (issue 15). Here each
note shows at most ``PREVIEW_LINES`` lines and ``PREVIEW_CHARS`` characters, with its size and how to
read it whole when it is cut; the previews are cleaned and wrapped in a worker thread in batches of
about ``BATCH_CHARS`` (the view fills in as they come), and only the rows in view are ever drawn.
Nothing on the event loop grows with the size of a note.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import events, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from ...domain.model import Note
from ..text import safe_block, when

PREVIEW_CHARS = 10_000
"""A note longer than this (about four screens) shows its beginning and its size."""
PREVIEW_LINES = 200
"""A note of more lines than this shows its first lines and its size."""
BATCH_CHARS = 40_000
"""Preview text prepared per trip to the worker thread (~20–60 ms of wrapping there)."""


def human_size(text: str) -> str:
    """A note's size as the user would see its file: "12 KB", "1.0 MB"."""
    size = len(text.encode("utf-8", "replace"))
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} KB"


def clip(text: str) -> tuple[str, bool]:
    """The beginning of ``text`` that a preview shows, and whether that is not all of it."""
    head = text[:PREVIEW_CHARS]
    lines = head.split("\n", PREVIEW_LINES)
    if len(lines) > PREVIEW_LINES:
        head = "\n".join(lines[:PREVIEW_LINES])
    head = head.rstrip()
    return head, len(head) < len(text.rstrip())


def preview(note: Note, now: datetime) -> Content:
    """A note as the earlier-notes view shows it: a dated rule, then its text (only its beginning if it is
    long, then its size). User text is never markup."""
    head, cut = clip(note.text)
    rule = Content.styled(f"── {when(note.created, now)} " + ("(call) " if note.meeting_id else ""), "$text-muted")
    body = Content(safe_block(head).rstrip("\n"))
    if not cut:
        return Content("\n").join([rule, body])
    # Said at the top, where it is seen without scrolling through the preview; "…" marks the cut.
    notice = Content.styled(f"{human_size(note.text)}, shown in part: F3 then Ctrl+O opens it whole in $EDITOR",
                            "$text-warning")
    return Content("\n").join([rule, notice, body, Content.styled("…", "$text-warning")])


def wrap_notes(notes: Sequence[Note], first: int, now: datetime, width: int) -> list[tuple[Content, int]]:
    """The rows of ``notes`` (the view's notes from index ``first``) wrapped to ``width``, each with the index
    of its note. Pure: runs in a worker thread."""
    rows: list[tuple[Content, int]] = []
    for i, note in enumerate(notes, first):
        rows.extend((line, i) for line in preview(note, now).wrap(max(1, width)))
    return rows


class EarlierNotes(ScrollView, can_focus=True):
    """Earlier notes, newest first (F3 in the editor comes here; Esc or F3 goes back)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "open_whole", "Open in $EDITOR", id="earlier.open",
                tooltip="Open a note whole in $EDITOR: the first one in view that is shown in part, else the top one"),
        Binding("escape,f3", "back", "Back to the note", id="earlier.back", key_display="Esc",
                tooltip="Back to the note being typed (typing does that too)"),
    ]
    """↑/↓, PgUp/PgDn, Home/End scroll (ScrollView's own bindings)."""

    @dataclass
    class OpenWanted(Message):
        """Open ``note`` whole in $EDITOR."""

        note: Note

    def __init__(self, to_editor: Callable[[events.Key | None], None], *, id: str | None = None) -> None:
        """``to_editor``: moves the focus to the note editor, typing there the key it is given, if any (typing
        here never turns into commands)."""
        super().__init__(id=id)
        self._to_editor = to_editor
        self._notes: tuple[Note, ...] = ()
        self._now: datetime | None = None
        self._shows: tuple[object, ...] | None = None
        """What the rows were made from (notes, clock, width): unchanged, nothing is redone."""
        self._rows: list[tuple[Content, int]] = []
        self._strips: dict[int, Strip] = {}
        """Drawn rows by index, until the rows, the width or the theme change."""
        self._generation = 0

    # --- what to show ---------------------------------------------------------------------------

    def show(self, notes: Sequence[Note], now: datetime) -> None:
        """Show ``notes`` (newest first); their rows are prepared off the event loop and appear as they come."""
        notes = tuple(notes)
        if (notes, now) == (self._notes, self._now) and self._rows:
            return
        self._notes, self._now = notes, now
        self._rebuild()

    def show_message(self, message: Content) -> None:
        """Show one line instead of notes ("No earlier notes.", or nothing)."""
        self._notes, self._now, self._shows = (), None, None
        self._generation += 1
        self._set_rows([(message, -1)] if message else [])

    def _rebuild(self) -> None:
        size = self.size  # inside the padding; Textual's scrollbar, when shown, is taken from it
        if not self._notes or self._now is None or size.width <= 0:
            return
        shows = (self._notes, self._now, size)
        if shows == self._shows:
            return
        self._shows = shows
        self._generation += 1
        self._set_rows([])
        self._prepare(self._generation, self._notes, self._now, size)

    # A description, or Textual describes the worker with repr() of its arguments: 26 ms per 1 MB note.
    @work(exclusive=True, group="earlier-notes", exit_on_error=False, description="earlier notes")
    async def _prepare(self, generation: int, notes: tuple[Note, ...], now: datetime, size: Size) -> None:
        """Clean and wrap the previews in a worker thread, a batch at a time, adding each batch's rows as it
        comes (the top of the view first).

        Wrapped to the whole width while everything fits; once the rows overflow the view, the scrollbar
        takes its columns, so the rows are wrapped again, narrower, from the first (once)."""
        loop = asyncio.get_running_loop()
        width, rows, start = size.width, [], 0
        while start < len(notes):
            end, budget = start, 0
            while end < len(notes) and (end == start or budget < BATCH_CHARS):
                budget += min(len(notes[end].text), PREVIEW_CHARS)
                end += 1
            batch = await loop.run_in_executor(None, wrap_notes, notes[start:end], start, now, width)
            if generation != self._generation:
                return  # other notes, or another size, meanwhile
            rows += batch
            if width == size.width and len(rows) > size.height and self.styles.scrollbar_size_vertical:
                width, rows, start = max(1, size.width - self.styles.scrollbar_size_vertical), [], 0
                continue
            self._set_rows(list(rows))
            start = end

    def _set_rows(self, rows: list[tuple[Content, int]]) -> None:
        self._rows = rows
        self._strips.clear()
        size = Size(self.scrollable_content_region.width, len(rows))
        if size != self.virtual_size:
            self.virtual_size = size
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._notes:
            self._rebuild()
        else:
            self._set_rows(self._rows)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # drawn in the colours of the theme before

    # --- drawing ----------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        blank = self.rich_style.background_style  # what a Static pads with: no colour for the spaces
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, blank)
        strip = self._strips.get(index)
        if strip is None:
            line = self._rows[index][0]
            strip = Visual.to_strips(self, line, width, 1, self.visual_style)[0].extend_cell_length(width, blank)
            self._strips[index] = strip
        return strip

    # --- keys -------------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        from ..typeahead import is_text

        if is_text(event):
            self._to_editor(event)  # into the note being typed, in order: never a command

    def action_back(self) -> None:
        self._to_editor(None)

    def action_open_whole(self) -> None:
        note = self.note_to_open()
        if note is not None:
            self.post_message(self.OpenWanted(note))

    def note_to_open(self) -> Note | None:
        """The first note in view that is shown in part, else the one at the top of the view."""
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        in_view = [i for _, i in self._rows[top:top + max(1, height)] if i >= 0]
        if not in_view:
            return None
        for i in dict.fromkeys(in_view):
            if clip(self._notes[i].text)[1]:
                return self._notes[i]
        return self._notes[in_view[0]]
