"""Archive a person, with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.widget import Widget

from ....domain.pipeline import ArchiveReason, parse_enum
from .base import FormModal


@dataclass(frozen=True)
class ArchiveResult:
    """Why a person leaves the board."""

    reason: ArchiveReason
    note: str


class ArchiveModal(FormModal[ArchiveResult]):
    """Archive with a reason."""

    HINT = "Reasons: declined, no-reply, other. They stay searchable; u restores them."

    def fields(self) -> Iterable[Widget]:
        yield from self.row("reason", "Reason", "", "declined, no-reply, other",
                            suggestions=[r.value for r in ArchiveReason])
        yield from self.row("note", "Note", "", "optional: whom they suggested instead…")

    async def validate(self) -> ArchiveResult | None:
        return ArchiveResult(parse_enum(ArchiveReason, "reason", self.value("reason")), self.value("note"))
