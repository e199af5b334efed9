"""SearchBox: the list's search line, an Input that never lays the screen out again while typing.

Textual's Input sets its ``virtual_size`` to the width of its text on every
keystroke, and ``virtual_size`` is a reactive that asks for a layout of the whole
screen: ~7 ms per key here, and the layout repainted the list's scrollbar in a
frame of its own (1.7 KB per keystroke over SSH). The box is one line of fixed
width whatever it holds, so a repaint is all a keystroke needs; the Input still
scrolls its text sideways from ``virtual_size`` as before.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """An Input of fixed size whose typing repaints it and nothing else."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
