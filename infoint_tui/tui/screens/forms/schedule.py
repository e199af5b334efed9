"""Plan a meeting: when, how long, how, where."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from textual.content import Content
from textual.widget import Widget

from ....domain.dates import ACCEPTED
from ....domain.pipeline import DEFAULT_MINUTES, Medium, parse_enum
from .dated import DatePreviewForm, read_minutes


@dataclass(frozen=True)
class ScheduleResult:
    """A meeting to plan."""

    when: datetime
    minutes: int
    medium: Medium
    location: str


class ScheduleModal(DatePreviewForm[ScheduleResult]):
    """Plan a meeting: when, how long, how, where.

    ``skip`` is what Esc does instead of cancelling, when the form is a question asked on the way (a
    card moved to *scheduled*: "move the card without a meeting"); the cancel button says "Skip".
    """

    HINT = f"When: {ACCEPTED}"

    def __init__(self, title: Content, now: Callable[[], datetime], *, skip: str = "") -> None:
        super().__init__(title, now)
        if skip:
            self._hint = f"{self.HINT}\nEsc: {skip}."
            self._cancel = "Skip"

    def fields(self) -> Iterable[Widget]:
        yield from self.row("when", "When", "", "tomorrow 10:00")
        yield from self.row("minutes", "Minutes", str(self.default_minutes()))
        yield from self.row("medium", "Medium", Medium.PHONE.value, ", ".join(m.value for m in Medium),
                            suggestions=[m.value for m in Medium])
        yield from self.row("location", "Location", "", "address, room, or call link")

    def default_minutes(self) -> int:
        """The planned length offered: ``[call] default_minutes`` in the config file."""
        config = getattr(self.app, "config", None)
        return config.call.default_minutes if config is not None else DEFAULT_MINUTES

    async def validate(self) -> ScheduleResult | None:
        moment = await self.read_date("when", self.value("when"))
        default = self.default_minutes()
        minutes = read_minutes("minutes", self.value("minutes"), default, 5, 600) or default
        medium = parse_enum(Medium, "medium", self.value("medium") or "phone")
        return ScheduleResult(moment, minutes, medium, self.value("location"))
