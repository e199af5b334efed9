"""Pilot helpers: an app on a real database file with a fixed clock, and ways to read the screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.worker import WorkerCancelled

from infoint_tui.store import Store
from infoint_tui.tui.app import InfointApp
from infoint_tui.tui.screens.main import MainScreen

from ..conftest import NOW


async def settle(pilot: Pilot) -> None:
    """Let workers, database calls and repaints finish."""
    for _ in range(3):
        # Actions that opened a form wait for it to close, and so does a card move that asks for its
        # meeting while the form is open: waiting on them would never end.
        asking = isinstance(pilot.app.screen, ModalScreen)
        busy = [w for w in pilot.app.workers if not w.is_finished and not w.name.startswith("action_")
                and not (asking and w.name == "move_card")]
        if busy:  # an empty list would mean "all of them"
            try:
                await pilot.app.workers.wait_for_complete(busy)
            except WorkerCancelled:
                pass  # an exclusive worker was replaced by a newer one: the next round waits for that
        await pilot.pause(0.05)
    await pilot.pause()


def screen_text(app: InfointApp) -> str:
    """What the terminal shows, as plain text lines (what a user reads)."""
    strips = app.screen._compositor.render_strips()  # test-only use of a private API: no public equivalent
    return "\n".join(strip.text for strip in strips)


def form_errors(app: InfointApp) -> str:
    """The error lines a form shows now (they wrap on a narrow screen, so read them whole)."""
    from textual.widgets import Static

    return " | ".join(str(w.render()) for w in app.screen.query(".field-error.-shown") if isinstance(w, Static))


def main_screen(app: InfointApp) -> MainScreen:
    screen = app.main_screen
    assert screen is not None
    return screen


@pytest.fixture
def make_app() -> Callable[[Path], InfointApp]:
    apps: list[InfointApp] = []

    def make(path: Path) -> InfointApp:
        store = Store.open(path, lambda: NOW)
        store.close()
        app = InfointApp(store, now=NOW)
        apps.append(app)
        return app

    return make


async def ask(app: InfointApp, fn: Callable[..., object], *args: object) -> object:
    """Read the store through the app's own database thread (the state a user's next look would show)."""
    return await app.db.call(fn, *args)
