"""One change, one frame.

Textual paints at most 60 frames a second, each showing the widgets whose
repaint requests reached the screen before the frame's tick. A change that
touches several widgets (a card move: two columns, their headings, the footer,
the top bar) sees each widget post its request from its own task, so a tick
falling between them splits the change over two frames: a second one ~30 ms
later on this machine, which a user over SSH waits for, and more bytes, since
rows painted in the first are painted again.

:func:`one_frame` holds the repaints while the change is made and until every
widget has had its turn to ask (a few turns of the event loop, no clock), then
lets the screen paint them all at once. The body may await (a trip to the
database): the parts of the change made before it are processed meanwhile. The
screen is never held for longer than ``hold_at_most``, so a slow trip (a
database locked by another program) cannot freeze it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.app import App

TURNS = 6
"""Event-loop turns for a widget's refresh to reach the screen (the message, the widget's idle,
the screen's Update): three, doubled for the widgets that react to another's message."""


@asynccontextmanager
async def one_frame(app: App, hold_at_most: float = 0.25) -> AsyncIterator[None]:  # type: ignore[type-arg]
    """Make the changes in the ``async with`` body appear in one frame."""
    batch = app.batch_update()
    batch.__enter__()
    held = True

    def release() -> None:
        nonlocal held
        if held:
            held = False
            batch.__exit__(None, None, None)
            app.screen.check_idle()  # the screen went idle while held: wake it to paint what is waiting

    timer = app.set_timer(hold_at_most, release)
    try:
        yield
        for _ in range(TURNS):
            await asyncio.sleep(0)
    finally:
        timer.stop()
        release()
