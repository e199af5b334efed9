"""The contact list: one row per person — stage mark, name, company, and what is next."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style

from ...domain.dates import utcnow
from ...domain.listing import Summary
from ..text import STAGE_MARKS, badges, person, safe
from .vlist import VirtualList, fit_pad


class ContactList(VirtualList):
    """People, one per line, with search and filters applied by the screen."""

    ITEM_HEIGHT: ClassVar[int] = 1

    def __init__(self, *, now: datetime | None = None, id: str | None = None) -> None:
        super().__init__(empty_text="No one here yet: press n to add a person.", id=id)
        self.now = now
        """Fixed clock for tests and screenshots; None = the real time."""

    def columns(self, width: int) -> tuple[int, int, int]:
        """Cells for name, company and badge at this width (the same for every row, so columns align)."""
        avail = max(0, width - 3)
        badge = 17 if width >= 64 else 0
        company = (avail - badge) * 2 // 5 if width >= 40 else 0
        return avail - badge - company - (1 if company else 0) - (1 if badge else 0), company, badge

    def render_item(self, item: Summary, line: int, width: int, style: Style) -> list[Segment]:
        now = self.now or utcnow()
        name_w, company_w, badge_w = self.columns(width)
        segs = [Segment(f" {STAGE_MARKS[item.stage]} ", style + self.style_of(item.stage.value)),
                Segment(fit_pad(person(item.name), name_w), style + self.style_of("name"))]
        if company_w:
            segs.append(Segment(" " + fit_pad(safe(item.company), company_w), style + self.style_of("dim")))
        if badge_w:
            shown = [b for b in badges(item, now) if b[1] != "dim"]
            text, kind = shown[0] if shown else ("", "dim")
            segs.append(Segment(" " + fit_pad(text, badge_w), style + self.style_of(kind)))
        return segs
