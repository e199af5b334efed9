"""The main screen's top line: the pane tabs (narrow) or the app's name (wide), how many people,
the filter and the order. Plain text building: the screen decides when to show it."""

from __future__ import annotations

from textual.content import Content

from ..domain.listing import Filter
from ..domain.text import people
from .text import safe

PANE_LABELS = ("People", "Board", "Notes")


def topbar_text(*, narrow: bool, panes: tuple[str, ...], active_pane: str, total: int | None,
                flt: Filter) -> Content:
    """The top line; ``total`` is None until the list has been read."""
    parts: list[Content] = []
    if narrow:
        for i, (pane, label) in enumerate(zip(panes, PANE_LABELS, strict=True), 1):
            style = "reverse bold" if pane == active_pane else "$text-muted"
            parts.append(Content.styled(f" {i} {label} ", style))
        parts.append(Content("  "))
    else:
        parts.append(Content.styled(" infoint ", "bold"))
    if total is not None:
        parts.append(Content.styled(f"{total:,} archived" if flt.archived else people(total), "$text-muted"))
    filt = [x for x in (f"“{safe(flt.query)}”" if flt.query else "",
                        flt.stage.label if flt.stage else "", safe(flt.company),
                        f"#{safe(flt.tag)}" if flt.tag else "") if x]
    if filt:
        parts.append(Content.styled("  filter: " + ", ".join(filt), "$text-warning"))
    if flt.sort == "activity":
        parts.append(Content.styled("  by activity", "$text-muted"))
    return Content("").join(parts)
