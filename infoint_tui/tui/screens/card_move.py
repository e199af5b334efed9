"""Moving a card on the board (Shift+arrows or < and >), mixed into MainScreen.

A card moved from *to contact* to *scheduled* asks first for the meeting's date and time (the
schedule form): Enter schedules the meeting, which moves the card; Esc moves it without one. Every
other move asks nothing and reaches the screen in one frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content

from ...domain.errors import Conflict, IllegalMove, InfointError
from ...domain.listing import Filter, Summary
from ...domain.pipeline import Stage, step
from ..frames import one_frame
from ..text import safe, when
from ..widgets.vlist import VirtualList
from .base import AppScreenMixin

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget
    from textual.worker import Worker

    from ..widgets.board import PipelineBoard, StageColumn
    from ..widgets.contact_list import ContactList
    from .forms import ScheduleResult


class CardMoves(AppScreenMixin):
    """A card moved one stage, patched into the board in one frame; the rest is the screen's (declared
    below for the type checker)."""

    if TYPE_CHECKING:
        app: App[Any]
        flt: Filter
        counts: dict[Stage, int] | None
        selected_id: int | None
        _data_version: int | None

        @property
        def board(self) -> PipelineBoard: ...
        @property
        def contact_list(self) -> ContactList: ...
        def say(self, message: str, severity: str = "information") -> None: ...
        def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
                      ) -> None: ...
        def has_class(self, *class_names: str) -> bool: ...
        def _board_filter(self, stage: Stage) -> Filter: ...
        def _show_counts(self, counts: dict[Stage, int]) -> None: ...
        def _notes_visible(self) -> bool: ...
        def load_detail(self, contact_id: int) -> Worker[None]: ...
        def load_everything(self, first: bool = False) -> Worker[None]: ...

    def on_stage_column_move_requested(self, event: StageColumn.MoveRequested) -> None:
        event.stop()
        self.move_card(event.item, event.delta)

    @work(exclusive=True, group="move", exit_on_error=False)
    async def move_card(self, item: Summary, delta: int) -> None:
        """Move a card one stage: one short trip to the database (the move, the card as it now is and
        its place in its new column) and one frame. The columns are patched in place, not read again,
        and the counts change by one; if another terminal changed the database since the board was
        read, the two columns and the counts are read again instead.

        From *to contact* to *scheduled* (:func:`asks_for_meeting`), the schedule form comes first: the
        meeting it plans is scheduled in the same trip (:meth:`Store.schedule_card`); Esc moves the card
        without one."""
        store, db = self.app_.store, self.app_.db
        flt = self._board_filter
        try:
            to = step(item.stage, 1 if delta > 0 else -1)  # the store's own rule for the move
        except IllegalMove:
            return  # past either end: the key is greyed out in the footer
        seen = self._data_version  # read before the question: a change made while it is open reads again
        asked = asks_for_meeting(item, to)
        plan = await self._ask_meeting(item) if asked else None
        source, target = self.board.column(item.stage), self.board.column(to)

        def again() -> tuple[dict[Stage, int], dict[Stage, list[Summary]]]:
            return store.stage_counts(self.flt), {stage: store.summaries(flt(stage), 0, target.PAGE)
                                                   for stage in (item.stage, card.stage)}

        async with one_frame(self.app):
            # The database works alone: Textual's focus change made alongside it (two restyles, the
            # footer) slowed it by half, each thread waiting for the other's turn with the GIL.
            try:
                if plan is None:
                    card, pos, version = await db.call(store.step_card, item.id, delta, flt(item.stage), item.stage)
                else:
                    card, pos, version = await db.call(store.schedule_card, item.id, flt(item.stage), plan.when,
                                                       plan.minutes, plan.medium, plan.location)
            except Conflict as err:  # moved elsewhere since this board was read: show where they are now
                self.say(str(err), "warning")
                self.load_everything()
                return
            except InfointError as err:
                self.say(str(err), "error")
                return
            self.set_focus(target)  # and the footer greys the move keys past either end
            index = source.index_of(item.id)
            if (index is not None and pos is not None and self.counts is not None
                    and seen is not None and version == seen):
                source.remove_at(index)  # its cursor stays where the card was: on the next card
                target.insert_at(pos, card)
                target.cursor = pos
                counts = dict(self.counts)
                counts[item.stage] -= 1
                counts[card.stage] += 1
            else:  # the board changed elsewhere too: read both columns again
                counts, pages = await db.call(again)
                for stage, rows in pages.items():
                    self.board.column(stage).reset(counts[stage], rows,
                                                   keep_index=pos if stage is card.stage else None)
                # The rest of the screen is read again by poll_changes, which sees the new version.
            self._show_counts(counts)
            self.selected_id = card.id
            if not self.has_class("-narrow"):
                self._show_move_in_list(card)
        if self._notes_visible():
            self.load_detail(card.id)  # the header names the stage (a frame later: it waits 50 ms)
        if plan is not None:
            self.say(f"Meeting with {card.name} scheduled: {when(plan.when, self.now())}.")
        elif asked:
            self.say(f"{card.name} moved to {card.stage.label} with no meeting date: s schedules one.")

    async def _ask_meeting(self, item: Summary) -> ScheduleResult | None:
        """The schedule form for the person on the card; None: Esc, move it without a meeting."""
        from .forms import ScheduleModal

        title = Content("Meeting with ").append(Content(safe(item.name)))
        form = ScheduleModal(title, self.now, skip="move the card without a meeting")
        return await self.app.push_screen_wait(form)

    @work(exclusive=True, group="list-after-move", exit_on_error=False)
    async def _show_move_in_list(self, card: Summary) -> None:
        """The list shows the stage mark: in name order only the person's row changes; in activity
        order the move is their latest activity and the list is read again; a list of one stage
        loses (or gains) the person, and is read again whole."""
        if self.flt.stage is not None:
            self.load_everything()
            return
        if self.flt.sort != "activity":
            self.contact_list.replace(card)
            return
        store, db = self.app_.store, self.app_.db
        page = self.contact_list.cursor // VirtualList.PAGE
        rows = await db.call(store.summaries, self.flt, page * VirtualList.PAGE, VirtualList.PAGE)
        self.contact_list.set_page(page, rows, self.contact_list.generation)


def asks_for_meeting(item: Summary, to: Stage) -> bool:
    """Whether moving ``item`` to ``to`` asks for the meeting's date and time first: from *to contact* to
    *scheduled*, unless a meeting is planned already (a card moved back by mistake, moved on again)."""
    return item.stage is Stage.TO_CONTACT and to is Stage.SCHEDULED and item.next_meeting is None
