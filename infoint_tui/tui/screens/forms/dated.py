"""What the forms with a date field share: the date read back as it is typed, and minutes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from textual import on, work
from textual.content import Content
from textual.widgets import Input, Static

from ....domain.dates import parse_when
from ....domain.errors import Invalid
from ...text import when
from .base import FormModal, T


def read_minutes(field: str, raw: str, default: int | None, low: int, high: int) -> int | None:
    raw = raw.strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise Invalid(field, f"'{raw}' is not a number of minutes; give {low} to {high}.")
    return int(raw)


class DatePreviewForm(FormModal[T]):
    """A form with a date field that shows how it was read, as it is typed."""

    DATE_FIELD = "when"

    def __init__(self, title: Content, now: Callable[[], datetime]) -> None:
        super().__init__(title)
        self.now = now

    @on(Input.Changed)
    def _date_changed(self, event: Input.Changed) -> None:
        if event.input.id == f"f-{self.DATE_FIELD}":
            self._preview(event.value)

    @work(exclusive=True, group="date-preview")
    async def _preview(self, text: str) -> None:
        await asyncio.sleep(0.15)
        line = self.query_one(f"#e-{self.DATE_FIELD}", Static)
        try:
            # dateparser's first parse loads language data (~0.3 s): never on the event loop.
            moment = await asyncio.to_thread(parse_when, text, self.now()) if text.strip() else None
        except Invalid:
            moment = None
        if moment is None:
            if line.has_class("-preview"):  # clear our own preview, never a validation error
                self.error(self.DATE_FIELD, "")
                line.remove_class("-preview")
            return
        line.update(Content.styled(f"→ {when(moment, self.now())} ({moment.astimezone():%a %Y-%m-%d %H:%M})",
                                   "$text-success"))
        line.add_class("-shown", "-preview")

    async def read_date(self, field: str, raw: str) -> datetime:
        return await asyncio.to_thread(parse_when, raw, self.now(), field)
