"""A yes/no question."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question; y or Enter confirms, n or Esc declines. A ``final`` question (an erase: nothing
    brings it back) takes only y for yes: Enter, pressed once too often after the key that asked, says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("enter", "enter", "Yes", show=False, id="confirm.enter"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Content, *, final: bool = False) -> None:
        super().__init__()
        self.question = question
        self.final = final

    def compose(self) -> ComposeResult:
        hint = "y: yes     n / Esc / Enter: no" if self.final else "y / Enter: yes     n / Esc: no"
        with Vertical(classes="form", id="confirm"):
            yield Static(self.question, classes="form-title")
            yield Static(Content(hint), classes="form-hint")

    def action_enter(self) -> None:
        self.dismiss(not self.final)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
