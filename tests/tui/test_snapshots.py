"""A few curated SVG snapshots (fixed clock, cursor blink off). Textual is pinned exactly in pyproject.toml.

Update after looking at the report: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from .conftest import settle


def _app(path: Path, make_app):  # type: ignore[no-untyped-def]
    return make_app(path)


def _steady(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        for screen in pilot.app.screen_stack:
            for widget in screen.query("Input, TextArea"):
                widget.cursor_blink = False  # type: ignore[union-attr]
        await pilot.pause()

    return run_before


def test_people_80x24(snap_compare, demo_path: Path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=(80, 24), run_before=_steady())


def test_board_80x24(snap_compare, demo_path: Path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=(80, 24), run_before=_steady("2", "j"))


def test_all_panes_160x48(snap_compare, demo_path: Path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=(160, 48), run_before=_steady("j", "j", "j"))


def test_form_error_80x24(snap_compare, demo_path: Path, make_app) -> None:
    assert snap_compare(make_app(demo_path), terminal_size=(80, 24),
                        run_before=_steady("n", *"Ada", "tab", "tab", "tab", *"ada@", "enter"))
