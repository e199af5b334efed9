"""The lean editor repaints only what changed, and what it shows always equals a full repaint."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from infoint_tui.tui.widgets.notes import LeanTextArea

TEXT = "\n".join(f"line {i:03d} " + "word " * (i % 17) for i in range(200))


class Harness(App[None]):
    def __init__(self, widget: TextArea) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def visible(app: App[None]) -> list[str]:
    return [s.text for s in app.screen._compositor.render_strips()]  # what the terminal holds now


KEYS = [
    [*"hello"],  # typing in a line
    ["end", *" more words to wrap the line past the edge of the widget" * 2],  # a line that grows a row
    ["enter", *"new line"],  # a line added
    ["home", "backspace"],  # lines joined
    ["down", "down", "up", "right", "left", "pagedown", "pageup"],  # moving
    ["shift+down", "shift+down", "shift+right"],  # selecting
    ["delete", "ctrl+z", "ctrl+y"],  # deleting, undo, redo
]


@pytest.mark.parametrize("keys", KEYS)
@pytest.mark.parametrize("soft_wrap", [True, False])
async def test_partial_repaints_match_a_full_repaint(keys: list[str], soft_wrap: bool) -> None:
    app = Harness(LeanTextArea(TEXT, soft_wrap=soft_wrap))
    async with app.run_test(size=(60, 20)) as pilot:
        app.widget.focus()
        app.widget.cursor_blink = False
        app.widget.move_cursor((5, 3))
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            partial = visible(app)
            app.widget.refresh()
            await pilot.pause()
            assert visible(app) == partial, f"stale rows after {key!r}"


async def test_same_screen_as_the_stock_widget() -> None:
    screens = []
    for cls in (TextArea, LeanTextArea):
        app = Harness(cls(TEXT))
        async with app.run_test(size=(60, 20)) as pilot:
            app.widget.focus()
            app.widget.cursor_blink = False
            await pilot.press("down", "down", *"typed", "enter", *"x", "backspace", "backspace", "end")
            await pilot.pause()
            screens.append(visible(app))
    assert screens[0] == screens[1]


async def test_a_typed_character_repaints_one_row_not_the_widget() -> None:
    app = Harness(LeanTextArea(TEXT))
    async with app.run_test(size=(60, 20)) as pilot:
        app.widget.focus()
        app.widget.cursor_blink = False
        await pilot.pause()
        regions = []
        original = app.widget.refresh

        def spy(*regions_: object, **kw: object):  # type: ignore[no-untyped-def]
            regions.extend(regions_ or ["ALL"])
            return original(*regions_, **kw)  # type: ignore[arg-type]

        app.widget.refresh = spy  # type: ignore[method-assign]
        await pilot.press("a")
        assert regions
        assert "ALL" not in regions
        assert all(r.height <= 2 for r in regions)  # type: ignore[attr-defined]
