"""Record an interaction: outreach sent, reply, declined, call held, thank-you sent..."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from textual.content import Content
from textual.widget import Widget

from ....domain.errors import Invalid
from ....domain.pipeline import LOGGABLE, Kind, parse_enum
from .dated import DatePreviewForm, read_minutes


@dataclass(frozen=True)
class LogResult:
    """An interaction to record."""

    kind: Kind
    at: datetime | None
    channel: str
    minutes: int | None
    note: str


class LogModal(DatePreviewForm[LogResult]):
    """Record an interaction: outreach sent, reply, declined, call held, thank-you sent..."""

    DATE_FIELD = "at"
    HINT = "Kind: " + ", ".join(k.value for k in LOGGABLE if k is not Kind.MEETING) + " · When: empty = now"

    def __init__(self, title: Content, now: Callable[[], datetime], kind: Kind | None = None) -> None:
        super().__init__(title, now)
        self.kind = kind

    def fields(self) -> Iterable[Widget]:
        kinds = [k.value for k in LOGGABLE if k is not Kind.MEETING]
        yield from self.row("kind", "Kind", self.kind.value if self.kind else "", "outreach, reply, thank-you…",
                            suggestions=kinds)
        yield from self.row("at", "When", "", "now")
        yield from self.row("channel", "Channel", "", "email, linkedin, phone…",
                            suggestions=["email", "linkedin", "phone", "in-person"])
        yield from self.row("minutes", "Minutes", "", "for a call: how long it lasted")
        yield from self.row("note", "Note", "", "optional")

    async def validate(self) -> LogResult | None:
        kind = parse_enum(Kind, "kind", self.value("kind") or "")
        if kind not in LOGGABLE or kind is Kind.MEETING:
            raise Invalid("kind", f"'{kind.value}' cannot be logged here; use "
                                  + ", ".join(k.value for k in LOGGABLE if k is not Kind.MEETING) + ".")
        at = await self.read_date("at", self.value("at")) if self.value("at").strip() else None
        minutes = read_minutes("minutes", self.value("minutes"), None, 1, 600)
        return LogResult(kind, at, self.value("channel"), minutes, self.value("note"))
