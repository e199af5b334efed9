"""The person's history screen at 80x24: reachable with H, lines edited with e and removed with x."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.pipeline import Kind
from infoint_tui.store import Store
from infoint_tui.tui.screens.history import HistoryScreen

from ..conftest import NOW
from .conftest import ask, screen_text, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


def _seed(db_path: Path) -> int:
    store = Store.open(db_path, lambda: NOW)
    c = store.add(make_draft("[b]Ada[/b] Lovelace"))
    store.log(c.id, Kind.OUTREACH, channel="email")
    store.log(c.id, Kind.OUTREACH, channel="[red]x")
    store.add_note(c.id, "one line")
    store.close()
    return c.id


async def _open(app, pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("H")
    await settle(pilot)
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


async def test_an_outreach_logged_twice_is_removed_after_asking(db_path: Path, make_app) -> None:
    cid = _seed(db_path)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        text = screen_text(app)
        assert "[b]Ada[/b] Lovelace" in text
        assert "outreach sent ([red]x)" in text
        assert "EARLIER NOTES" in text
        assert screen._current().kind is Kind.OUTREACH  # the newest correctable line first  # type: ignore[union-attr]
        await pilot.press("x")
        await settle(pilot)
        assert "Remove" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        d = await ask(app, app.store.detail, cid)
        assert [e.channel for e in d.history if e.kind is Kind.OUTREACH] == ["email"]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryScreen)


async def test_e_edits_an_event_and_a_note(db_path: Path, make_app) -> None:
    cid = _seed(db_path)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-kind", Input).value = "reply"
        await pilot.press("ctrl+s")
        await settle(pilot)
        d = await ask(app, app.store.detail, cid)
        assert d.history[-1].kind is Kind.REPLY  # type: ignore[attr-defined]
        ol = screen.query_one(OptionList)
        ol.highlighted = next(i for i in range(ol.option_count) if (ol.get_option_at_index(i).id or "")
                              .startswith("n:"))
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-text", Input).value = "two lines? no, one"
        await pilot.press("ctrl+s")
        await settle(pilot)
        d = await ask(app, app.store.detail, cid)
        assert d.notes[0].text == "two lines? no, one"  # type: ignore[attr-defined]


async def test_the_history_stops_at_its_ends_and_jumps_to_them(db_path: Path, make_app) -> None:
    """As Today's list: no wrapping round from the last line to the first (one's place is lost in a long
    history), g and G to the first and last line."""
    _seed(db_path)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        ol = app.screen.query_one(OptionList)
        enabled = [i for i, o in enumerate(ol.options) if not o.disabled]
        assert len(enabled) >= 3
        await pilot.press("G")
        assert ol.highlighted == enabled[-1]
        await pilot.press("j", "j")
        assert ol.highlighted == enabled[-1]  # no wrap-around to the top
        await pilot.press("g")
        assert ol.highlighted == enabled[0]
        await pilot.press("k")
        assert ol.highlighted == enabled[0]
