"""Two names for one change: merge a company into another, rename a company, merge two people."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence

from textual.content import Content
from textual.widget import Widget

from ....domain.errors import InfointError, Invalid
from .base import FormModal

Check = Callable[[str], Awaitable[object]]
"""Raises an InfointError when a value names nothing (or several things): shown under its field."""


class PairModal(FormModal[tuple[str, str]]):
    """Two one-line fields, each checked by its own ``check`` (None: only that it is not empty)."""

    def __init__(self, title: str | Content, labels: tuple[str, str], checks: tuple[Check | None, Check | None],
                 *, hint: str = "", suggestions: Sequence[str] = (), first: str = "", second: str = "") -> None:
        super().__init__(title)
        self.labels, self.checks, self.suggestions = labels, checks, suggestions
        self.first, self.second = first, second
        self.HINT = hint

    def fields(self) -> Iterable[Widget]:
        yield from self.row("first", self.labels[0], self.first, suggestions=self.suggestions)
        yield from self.row("second", self.labels[1], self.second, suggestions=self.suggestions)

    async def validate(self) -> tuple[str, str] | None:
        values = (self.value("first").strip(), self.value("second").strip())
        for field, value, check in zip(("first", "second"), values, self.checks, strict=True):
            if not value:
                raise Invalid(field, "is empty.")
            if check is not None:
                try:
                    await check(value)
                except InfointError as err:
                    raise Invalid(field, err.reason if isinstance(err, Invalid) else str(err)) from err
        return values
