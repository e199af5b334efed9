"""The screens that are one list: Today and a person's history (kept out of ``base``, which the main
screen imports before the first frame)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static

from ..widgets.stop_list import StopList
from .base import AppScreenMixin

if TYPE_CHECKING:
    from textual.app import ComposeResult


def list_keys(prefix: str) -> list[Binding]:
    """The keys of a one-list screen (:class:`ListScreenMixin`), with the screen's ids for the keymap."""
    return [
        Binding("j", "cursor_down", show=False, id=f"{prefix}.down"),
        Binding("k", "cursor_up", show=False, id=f"{prefix}.up"),
        Binding("g", "first", "First", show=False, id=f"{prefix}.first", tooltip="The first line"),
        Binding("G", "last", "Last", show=False, id=f"{prefix}.last", tooltip="The last line"),
    ]


class ListScreenMixin(AppScreenMixin):
    """A screen that is one list (Today, a person's history): its heading (:meth:`compose_heading`) over a
    :class:`StopList`, j/k/g/G (:func:`list_keys`), read by ``load()`` when shown and again when the
    privacy mask changes."""

    def compose_heading(self) -> ComposeResult:
        yield Static("", id="agenda-title")

    def compose(self) -> ComposeResult:
        with Vertical(id="agenda"):
            yield from self.compose_heading()
            yield StopList(id="agenda-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()  # type: ignore[attr-defined]
        self.load()

    def load(self) -> object:
        raise NotImplementedError

    def remask(self) -> None:
        """The privacy mask was turned on or off (F4): what the list shows follows it."""
        self.load()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()  # type: ignore[attr-defined]

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()  # type: ignore[attr-defined]

    def action_first(self) -> None:
        self.query_one(OptionList).action_first()  # type: ignore[attr-defined]

    def action_last(self) -> None:
        self.query_one(OptionList).action_last()  # type: ignore[attr-defined]
