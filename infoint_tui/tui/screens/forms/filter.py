"""Filter the list and the board: by stage, company, tag; or show the archived."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

from ....domain.errors import Invalid
from ....domain.pipeline import Stage, parse_enum
from .base import FormModal


@dataclass(frozen=True)
class FilterResult:
    """Which people the list (and board) show."""

    stage: Stage | None
    company: str
    tag: str
    archived: bool


class FilterModal(FormModal[FilterResult]):
    """Filter by stage, company, tag; or show the archived."""

    HINT = "Empty fields do not filter · archived: yes/no"

    def __init__(self, current: FilterResult, companies: Iterable[str], tags: Iterable[str]) -> None:
        super().__init__(Content("Filter people"))
        self.current = current
        self.companies = list(companies)
        self.tags = list(tags)

    def fields(self) -> Iterable[Widget]:
        c = self.current
        yield from self.row("stage", "Stage", c.stage.value if c.stage else "", "to-contact, scheduled, met, thanked",
                            suggestions=[s.value for s in Stage])
        yield from self.row("company", "Company", c.company, suggestions=self.companies)
        yield from self.row("tag", "Tag", c.tag, suggestions=self.tags)
        yield from self.row("archived", "Archived", "yes" if c.archived else "no", suggestions=["yes", "no"])

    async def validate(self) -> FilterResult | None:
        stage = parse_enum(Stage, "stage", self.value("stage")) if self.value("stage").strip() else None
        archived = self.value("archived").strip().lower()
        if archived not in ("", "yes", "no", "y", "n"):
            raise Invalid("archived", "answer yes or no.")
        return FilterResult(stage, self.value("company").strip(), self.value("tag").strip().lower(),
                            archived.startswith("y"))
