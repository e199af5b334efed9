"""VirtualList's in-place edits: rows shift, a page left short is fetched again, stale answers are dropped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.app import App, ComposeResult

from infoint_tui.domain.model import Summary
from infoint_tui.domain.pipeline import Stage
from infoint_tui.tui.widgets.contact_list import ContactList
from infoint_tui.tui.widgets.vlist import VirtualList

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def person(i: int) -> Summary:
    return Summary(id=i, name=f"P{i:03d}", company="", title="", stage=Stage.TO_CONTACT, archived=False,
                   last_activity=WHEN)


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.wanted: list[int] = []

    def compose(self) -> ComposeResult:
        yield ContactList(now=WHEN)

    def on_virtual_list_page_wanted(self, event: VirtualList.PageWanted) -> None:
        self.wanted.append(event.page)


def ids(vlist: VirtualList, n: int) -> list[int | None]:
    return [item.id if item else None for item in (vlist.item(i) for i in range(n))]


async def test_removing_and_inserting_shift_the_loaded_pages() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        vlist = app.query_one(ContactList)
        page = VirtualList.PAGE
        vlist.reset(250, [person(i) for i in range(page)], pages={1: [person(i) for i in range(page, 2 * page)]})
        await pilot.pause()
        vlist.remove_at(3)
        assert vlist.total == 249
        assert ids(vlist, 5) == [0, 1, 2, 4, 5]
        assert vlist.item(page - 1).id == page  # the first row of page 1 moved up into page 0
        assert vlist.item(2 * page - 2).id == 2 * page - 1
        assert vlist.item(2 * page - 1) is None  # unknown until page 1 is fetched again
        vlist.insert_at(0, person(999))
        assert vlist.total == 250
        assert ids(vlist, 5) == [999, 0, 1, 2, 4]
        assert vlist.item(2 * page - 1).id == 2 * page - 1


async def test_a_page_left_short_is_fetched_again_and_old_answers_are_dropped() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        vlist = app.query_one(ContactList)
        page = VirtualList.PAGE
        vlist.reset(250, [person(i) for i in range(page)])
        await pilot.pause()
        before = vlist.generation
        vlist.remove_at(0)  # page 0 now lacks its last row: page 1 was never loaded
        assert vlist.item(page - 1) is None
        vlist.set_page(0, [person(i) for i in range(page)], before)  # an answer to a request made before
        assert vlist.item(0).id == 1  # dropped: it counts rows from the old offsets
        app.wanted.clear()
        vlist.select_index(page - 1)  # the missing row comes into view
        await pilot.pause()
        assert 0 in app.wanted
        vlist.set_page(0, [person(i) for i in range(1, page + 1)], vlist.generation)
        assert vlist.item(page - 1).id == page


class BothApp(App[None]):
    """A contact list (Textual's scrollbar) beside a board column (its scrollbar drawn inline)."""

    CSS = "Horizontal > * { width: 1fr; } StageColumn { scrollbar-size-vertical: 0; }"

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        from infoint_tui.tui.widgets.board import StageColumn

        with Horizontal():
            yield ContactList(now=WHEN)
            yield StageColumn(Stage.TO_CONTACT, now=WHEN)


@pytest.mark.parametrize("no_color", [False, True])
async def test_lists_draw_the_same_lines_as_textuals_own_path(monkeypatch: pytest.MonkeyPatch,
                                                              no_color: bool) -> None:
    """VirtualList.render_lines skips Textual's styles cache (borders, padding, tint: a list has
    none); what it draws must be what that path draws, scrollbars, cursors and the app's filters
    (NO_COLOR turns colours to greys) included."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    from textual.geometry import Region
    from textual.widget import Widget

    from infoint_tui.tui.widgets.board import StageColumn

    app = BothApp()
    async with app.run_test(size=(70, 12)) as pilot:
        people = [person(i) for i in range(VirtualList.PAGE)]
        lists: list[VirtualList] = [app.query_one(ContactList), app.query_one(StageColumn)]
        for vlist in lists:
            size = vlist.PAGE
            pages = {p: people[p * size:(p + 1) * size] for p in range(1, VirtualList.PAGE // size)}
            vlist.reset(VirtualList.PAGE, people[: vlist.PAGE], pages=pages)
        lists[0].focus()
        lists[0].cursor = 15  # scrolled: the scrollbar's thumb is not at the top
        lists[1].cursor = 2
        await pilot.pause()
        for vlist in lists:
            width, height = vlist.region.size
            assert vlist.max_scroll_y > 0, "the list must scroll for its scrollbar to show"
            for crop in (Region(0, 0, width, height), Region(2, 1, width - 5, 3)):
                ours = vlist.render_lines(crop)
                vlist._styles_cache.clear()  # Textual's path, drawn afresh
                textuals = Widget.render_lines(vlist, crop)
                drawn = [(list(s), s.cell_length) for s in ours]
                assert drawn == [(list(s), s.cell_length) for s in textuals]
        lists[1].styles.padding = (0, 1)  # a style the fast path does not draw: Textual's path does
        await pilot.pause()
        crop = Region(0, 0, *lists[1].region.size)
        lists[1]._styles_cache.clear()
        assert lists[1].render_lines(crop)[0].text.startswith("  P000")
