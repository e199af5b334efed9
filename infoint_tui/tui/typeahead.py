"""Keys typed before the widget they are meant for can take them.

Two waits, each the text kept so far (None: not waiting):

* for the notes pane, asked for (3, Enter on a person) while it is still being put on
  screen just after start-up: the keys are text for it, not commands for the list
  (where "c" would start a call);
* for the search box, when keys were read in the same read as the "/" that moves the
  focus there ("/north" in one read: a fast typist over SSH, a paste). Textual hands
  every key of a read to the list before the "/" binding moves the focus: they are
  text for the box, not commands ("n" would open a new-person form).

Plain Python over Textual's key events: nothing to import at start-up beyond them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual import events
    from textual.timer import Timer
    from textual.widgets import TextArea

SEARCH_GRACE_S = 0.25
"""The search box takes the keys read with its "/" at the latest this long after it."""


class TypeAhead:
    """The keys typed ahead of the notes pane and of the search box, kept until they can be placed."""

    def __init__(self, set_timer: Callable[[float, Callable[[], None]], Timer],
                 open_search: Callable[[], None], focused_editor: Callable[[], TextArea | None]) -> None:
        """``set_timer``: the screen's; ``open_search``: moves the focus to the search box and calls
        :meth:`take_search` (the "/" binding's action); ``focused_editor``: the note editor if it is
        there and has the focus (asked only for keys that could be text)."""
        self._set_timer = set_timer
        self._open_search = open_search
        self._focused_editor = focused_editor
        self.for_notes: list[str] | None = None
        """Keys typed for the notes pane before it was mounted (None: not waiting for it)."""
        self.for_search: list[str] | None = None
        """Keys read with a "/", before its binding moved the focus to the search box (None: none)."""

    # --- the notes pane -----------------------------------------------------------------------

    def wait_for_notes(self) -> None:
        """The notes pane was asked for and is not there yet: what is typed until it is goes into it."""
        if self.for_notes is None:
            self.for_notes = []

    def take_notes(self) -> list[str] | None:
        """The keys kept for the notes pane (None if it was not waited for); the wait ends."""
        typed, self.for_notes = self.for_notes, None
        return typed

    # --- the search box -----------------------------------------------------------------------

    def slash_read(self) -> None:
        """A "/" was read with the focus off the search box: keep the keys read after it until its
        binding (run after the key handler) takes them, and never leave them waiting."""
        self.for_search = []
        self._set_timer(SEARCH_GRACE_S, self._search_if_still_ahead)

    def take_search(self) -> list[str] | None:
        """The keys read with the "/" (None if none were waited for); the wait ends."""
        ahead, self.for_search = self.for_search, None
        return ahead

    def _search_if_still_ahead(self) -> None:
        if self.for_search is not None:
            self._open_search()

    # --- keys -----------------------------------------------------------------------------------

    def keep(self, event: events.Key) -> bool:
        """Take ``event`` as typed-ahead text if something waits for it; True if it was taken (the key
        then acts no further)."""
        if is_text(event):
            if self.for_notes is not None:
                # The notes pane was asked for and is still being put on screen.
                _keep_typed(self.for_notes, event)
                return True
            editor = self._focused_editor()
            if editor is not None:
                # Typed while the focus was still moving to the editor (the editor itself never lets a
                # key through to the screen): text for it too.
                type_into(editor, event)
                return True
        if self.for_search is not None and (event.is_printable or event.key == "backspace"):
            _keep_typed(self.for_search, event)  # the "/" binding's action puts it in the box
            return True
        return False


def is_text(event: events.Key) -> bool:
    """Whether ``event`` is a key that types into a note (a character, Enter or Backspace)."""
    return event.is_printable or event.key in ("enter", "backspace")


def type_into(editor: TextArea, event: events.Key) -> None:
    """Apply a text key (:func:`is_text`) to ``editor`` now, wherever it was read; it acts no further."""
    event.stop()
    event.prevent_default()
    if event.key == "backspace":
        editor.action_delete_left()
    else:
        editor.insert("\n" if event.key == "enter" else event.character or "")


def _keep_typed(typed: list[str], event: events.Key) -> None:
    """Keep a key as text typed ahead (Backspace takes the last one back); it acts no further."""
    event.stop()
    event.prevent_default()
    if event.key == "backspace":
        if typed:
            typed.pop()
    else:
        typed.append("\n" if event.key == "enter" else event.character or "")
