"""The pipeline board: four stage columns of cards, each a virtualized list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ...domain.dates import utcnow
from ...domain.listing import Summary
from ...domain.pipeline import ORDER, Stage
from ..text import badges, person, safe
from .vlist import VirtualList, fit


class StageColumn(VirtualList):
    """One column of the board: a card of three lines per person, and a spacer."""

    ITEM_HEIGHT: ClassVar[int] = 4
    INLINE_SCROLLBAR: ClassVar[bool] = True
    PAGE: ClassVar[int] = 40
    """Cards per fetched page: a column shows about ten, and each page's follow-up badges are computed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "column(-1)", "◀ Column", show=False, id="board.left"),
        Binding("right,l", "column(1)", "Column ▶", show=False, id="board.right"),
        # Padded to the width of "Schedule" (the same keys in the first column, where moving on asks for the
        # meeting): the footer relabels the key in place, with no layout, and the move stays one frame. At
        # 80 columns the footer has room for two cells more than "Move ▶", not for "Schedule ▶".
        Binding("shift+right,greater_than_sign,right_square_bracket", "move(1)", "Move ▶  ", key_display="⇧→/>",
                id="board.move-right", tooltip="Move the card to the next stage (recorded in the history)"),
        Binding("shift+right,greater_than_sign,right_square_bracket", "schedule_card", "Schedule",
                key_display="⇧→/>", id="board.schedule-right",
                tooltip="From to contact: ask for the meeting's date and time, then move the card to scheduled "
                        "(Esc moves it without a meeting)"),
        Binding("shift+left,less_than_sign,left_square_bracket", "move(-1)", "◀ Move", key_display="⇧←/<",
                id="board.move-left", tooltip="Move the card back one stage"),
    ]
    """Between columns with ←/→ (h/l); a card moves with Shift+←/→, < > or [ ]. Out of *to contact* the
    move is "Schedule": the screen asks when the meeting is (:meth:`CardMoves.move_card`)."""

    @dataclass
    class MoveRequested(Message):
        """The user asked to move the card under the cursor one stage."""

        column: StageColumn
        item: Summary
        delta: int

        @property
        def control(self) -> StageColumn:
            return self.column

    @dataclass
    class ColumnRequested(Message):
        """Focus the neighbouring column."""

        column: StageColumn
        delta: int

    def __init__(self, stage: Stage, *, now: datetime | None = None) -> None:
        super().__init__(empty_text="—", id=f"col-{stage.value}", classes="stage-column")
        self.stage = stage
        self.now = now

    def on_focus(self) -> None:
        super().on_focus()
        self._light_heading(True)

    def on_blur(self) -> None:
        super().on_blur()
        self._light_heading(False)

    def _light_heading(self, on: bool) -> None:
        """The focused column's heading lights up (:meth:`StageHead.light`)."""
        if self.parent is not None:
            for heading in self.parent.query(StageHead):
                heading.light(on)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        asks = self.stage is Stage.TO_CONTACT  # moving on from here asks for the meeting
        if action == "schedule_card":
            return asks  # hidden elsewhere (False): the keys are move(1)'s there
        if action == "move" and parameters:
            delta = int(parameters[0])  # type: ignore[call-overload]
            if delta > 0 and asks:
                return False  # schedule_card's here
            i = self.stage.index + delta
            return None if not 0 <= i < len(ORDER) else True  # greyed out past either end
        return True

    def action_move(self, delta: int) -> None:
        item = self.current
        if item is not None:
            self.post_message(self.MoveRequested(self, item, delta))

    def action_schedule_card(self) -> None:
        """Move on from *to contact*: the screen asks for the meeting first."""
        self.action_move(1)

    def action_column(self, delta: int) -> None:
        self.post_message(self.ColumnRequested(self, delta))

    def render_item(self, item: Summary, line: int, width: int, style: Style) -> list[Segment]:
        if line == 3:
            return []
        pad = " "
        inner = max(1, width - 2)
        if line == 0:
            return [Segment(pad + fit(person(item.name), inner), style + self.style_of("name"))]
        if line == 1:
            return [Segment(pad + fit(safe(item.company) or "—", inner), style + self.style_of("dim"))]
        segs: list[Segment] = [Segment(pad, style)]
        used = 1
        for text, kind in badges(item, self.now or utcnow()):
            piece = fit(text, width - used - 1)
            if not piece:
                break
            segs += [Segment(piece, style + self.style_of(kind)), Segment(" ", style)]
            used += len(piece) + 1
        return segs


class StageHead(Widget):
    """A column's heading: its stage and how many people are in it. The count always shows; a
    narrow column shortens the stage name instead (TO CONT… 14). The focused column's heading is lit.

    Drawn with the Line API and lit with a component style, not a CSS class: a class restyles the
    widget, and a Content is laid out anew; on a card move (two headings) that was ~2 ms."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"stage-head--lit"}

    def __init__(self, stage: Stage) -> None:
        super().__init__(id=f"head-{stage.value}", classes="stage-head")
        self.stage = stage
        self.count: int | None = None
        self.lit = False
        self._drawn: tuple[tuple[object, ...], Strip] | None = None

    def set_count(self, count: int) -> None:
        if count != self.count:
            self.count = count
            self.refresh()  # one line of fixed size: no layout

    def light(self, on: bool) -> None:
        """Light the heading (its column has the focus) or not."""
        if on != self.lit:
            self.lit = on
            self.refresh()

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        key = (self.count, self.lit, width)
        if self._drawn is None or self._drawn[0] != key:
            style = self.rich_style
            if self.lit:  # its colour over what is behind the heading, as a CSS background would be
                base, _ = self.background_colors
                lit = base + self.get_component_styles("stage-head--lit").background
                style += Style(bgcolor=lit.rich_color)
            count = "" if self.count is None else f"{self.count:,}"
            label = fit(self.stage.label.upper(), width - 2 - len(count) - (2 if count else 0))
            segments = [Segment(" " + label, style + Style(bold=True))]
            if count:
                segments.append(Segment(f"  {count}", style))
            self._drawn = (key, Strip(segments).adjust_cell_length(width, style))
        return self._drawn[1] if y == 0 else Strip.blank(width, self.rich_style)


class PipelineBoard(Horizontal):
    """Four columns with their counts: to contact, scheduled, met, thanked."""

    def __init__(self, *, now: datetime | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.now = now

    def compose(self) -> ComposeResult:
        for stage in ORDER:
            with Vertical(classes="stage-box"):
                yield StageHead(stage)
                yield StageColumn(stage, now=self.now)

    def column(self, stage: Stage) -> StageColumn:
        """The column of ``stage``."""
        return self.query_one(f"#col-{stage.value}", StageColumn)

    def set_count(self, stage: Stage, count: int) -> None:
        """Show how many people are in ``stage``."""
        self.query_one(f"#head-{stage.value}", StageHead).set_count(count)

    @property
    def focused_column(self) -> StageColumn | None:
        """The column with the focus, if any."""
        focused = self.screen.focused
        return focused if isinstance(focused, StageColumn) else None
