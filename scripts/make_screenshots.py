"""Regenerate screenshots/*.svg (and .png when rsvg-convert exists) from the demo data.

Run: python scripts/make_screenshots.py. Uses a fixed clock, so the pictures only
change when the UI does.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATION", "none")
os.environ["TZ"] = "UTC"

from textual.pilot import Pilot

from infoint_tui.store import Store
from infoint_tui.store.demo import seed_demo
from infoint_tui.tui.app import InfointApp

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
OUT = Path(__file__).resolve().parent.parent / "screenshots"

Step = Callable[[Pilot], Awaitable[None]]


async def _settle(pilot: Pilot) -> None:
    for _ in range(3):
        busy = [w for w in pilot.app.workers if not w.name.startswith("action_") and not w.is_finished]
        if busy:
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause(0.05)


def _keys(*keys: str) -> Step:
    async def step(pilot: Pilot) -> None:
        await pilot.press(*keys)
        await _settle(pilot)

    return step


SHOTS: list[tuple[str, tuple[int, int], list[Step]]] = [
    ("wide", (200, 50), [_keys("j", "j", "j")]),
    ("people-80x24", (80, 24), []),
    ("board-80x24", (80, 24), [_keys("2")]),
    ("notes-80x24", (80, 24), [_keys("j"), _keys("enter")]),
    ("add-person-80x24", (80, 24), [_keys("n", *"Grace Hopper", "tab", "tab", "tab", *"grace@", "ctrl+s")]),
    ("help", (100, 40), [_keys("question_mark")]),
]


async def shoot(db: Path, name: str, size: tuple[int, int], steps: list[Step]) -> Path:
    store = Store.open(db, lambda: NOW)
    app = InfointApp(store, now=NOW)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        for step in steps:
            await step(pilot)
        await pilot.pause(0.2)
        svg = OUT / f"{name}.svg"
        app.save_screenshot(filename=svg.name, path=str(OUT))
    return svg


async def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        store = Store.open(db, lambda: NOW)
        seed_demo(store)
        store.close()
        for name, size, steps in SHOTS:
            svg = await shoot(db, name, size, steps)
            if shutil.which("rsvg-convert"):
                subprocess.run(["rsvg-convert", "-o", str(svg.with_suffix(".png")), str(svg)],  # noqa: ASYNC221
                               check=False)  # a script, not the app: nothing else waits on its loop
            print(svg)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
