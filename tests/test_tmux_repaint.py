"""What a real terminal shows after focus moves: drawn through tmux, compared with a full redraw.

MainScreen drops Textual's whole-screen repaint on focus changes (30 KB per card move over SSH) and
repaints only what focus changes. If a widget forgot to repaint itself, the terminal would keep a
stale highlight: tmux's copy of the screen, colours included, would then differ from a fresh
full redraw of the same state.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


class Tmux:
    def __init__(self, db: Path, size: tuple[int, int]) -> None:
        self.name = f"infoint-{uuid.uuid4().hex[:8]}"
        env = f"env TERM=xterm-256color TEXTUAL_ANIMATION=none INFOINT_NO_BLINK=1 INFOINT_DB={db}"
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]),
                  f"{env} {sys.executable} -m infoint_tui")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True,
                              env={**os.environ, "TMUX": ""}).stdout

    def screen(self) -> str:
        """The screen with its colours (SGR codes), as tmux holds it."""
        return self.tmux("capture-pane", "-p", "-e", "-t", self.name)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(0.3)  # one key at a time: ESC then a key within Textual's ESCDELAY reads as Alt+key

    def settle(self, quiet: float = 0.6, timeout: float = 15) -> str:
        """The screen once it has stopped changing."""
        end = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < end:
            time.sleep(0.1)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return now
        raise AssertionError("the screen never settled")

    def wait_for(self, needle: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.screen():
                return
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never appeared")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def wide(demo_path: Path) -> Iterator[Tmux]:
    term = Tmux(demo_path, (160, 40))
    yield term
    term.close()


def redrawn(term: Tmux) -> str:
    """The same state drawn whole: a screen pushed and popped repaints everything underneath."""
    term.keys("F1")
    term.wait_for("People and board")  # the help screen
    term.keys("Escape")
    return term.settle()


def test_focus_moves_leave_no_stale_highlight_on_the_terminal(wide: Tmux) -> None:
    wide.wait_for(" people")  # the top bar: the list and its count are in
    wide.settle()
    # list → board, across the columns, a card moved (focus follows it), back to the list
    wide.keys("Tab", "l", "l", "h", "S-Right", "l", "S-Left")
    after_moves = wide.settle()
    assert after_moves == redrawn(wide)
    # board → notes (the editor) → list, the search box and out of it
    wide.keys("Tab", "Tab", "j", "slash", "a", "Escape", "Escape", "Escape")
    after_panes = wide.settle()
    assert after_panes == redrawn(wide)
