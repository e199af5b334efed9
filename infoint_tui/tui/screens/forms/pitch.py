"""Edit the pitch."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ...widgets.notes import SafeTextArea


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
