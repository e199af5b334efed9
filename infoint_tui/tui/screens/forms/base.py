"""FormModal: a titled form of labelled one-line fields, each with a place for its error.

Enter submits from any one-line field, Ctrl+S from anywhere, Esc cancels; nothing is returned until
:meth:`FormModal.validate` accepts every field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from ....domain.errors import Invalid
from ...text import cursor_blink

T = TypeVar("T")

Lookup = Callable[[str], Awaitable[list[tuple[int, str, str]]]]
"""Finds people by ``#id``, exact name or search: (id, name, company)."""


class FormModal(ModalScreen[T], Generic[T]):
    """A titled form of labelled one-line fields, each with a place for its error."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True),
        # Priority: the focus moves as Tab is read, before the keys read after it are handed to a field.
        # Without it, "Zed Test<Tab>CTO" typed fast (or over a slow link) all went into the Name field.
        Binding("tab", "app.focus_next", "Next field", show=False, id="form.next", priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, id="form.previous",
                priority=True),
    ]
    """Esc cancels; Ctrl+S (or Enter in a field) saves; Tab and Shift+Tab move between fields."""

    TITLE_TEXT = ""
    HINT = ""
    SUBMIT = "Save"
    """The submit button's word: what Enter or Ctrl+S does here."""
    CANCEL = "Cancel"
    """The cancel button's label (Esc does the same)."""

    def __init__(self, title: str | Content | None = None) -> None:
        super().__init__()
        self._title = title if title is not None else self.TITLE_TEXT
        self._hint = self.HINT
        self._cancel = self.CANCEL

    def compose(self) -> ComposeResult:
        with Vertical(id="form", classes="form"):
            yield Static(self._title if isinstance(self._title, Content) else Content(self._title),
                         classes="form-title")
            with VerticalScroll(classes="form-body"):
                yield from self.fields()
            if self._hint:
                yield Static(Content(self._hint), classes="form-hint")
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(classes="form-buttons"):
                yield Button(self.SUBMIT, variant="primary", id="save", compact=True)
                yield Button(self._cancel, id="cancel", compact=True)

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
