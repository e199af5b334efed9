"""SearchBox: the list's search line, an Input that never lays the screen out again while typing.

Textual's Input sets its ``virtual_size`` to the width of its text on every
keystroke, and ``virtual_size`` is a reactive that asks for a layout of the whole
screen: ~7 ms per key here, and the layout repainted the list's scrollbar in a
frame of its own (1.7 KB per keystroke over SSH). The box is one line of fixed
width whatever it holds, so a repaint is all a keystroke needs; the Input still
scrolls its text sideways from ``virtual_size`` as before.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """An Input of fixed size whose typing repaints it and nothing else."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    _typed_ahead: str | None = None

    def take_typed(self, text: str) -> None:
        """Text typed before the focus reached the box (read with the "/" that moves it here). It
        replaces the query, as typing just after the focus does (the box then selects all it holds),
        and typing goes on after it, once the focus has arrived."""
        if self.has_focus:
            self._replace_with(text)
        else:
            self._typed_ahead = text

    def _on_focus(self, event: events.Focus) -> None:
        # Input's own focus handler (run after this one) selects everything: the text goes in after it.
        if self._typed_ahead is not None:
            text, self._typed_ahead = self._typed_ahead, None
            self.call_next(self._replace_with, text)

    def _replace_with(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)  # and nothing selected: the next key adds to the text
