"""Ending at awkward moments: a screen already gone, a closed terminal, a shutdown that never ends."""

from __future__ import annotations

import errno
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infoint_tui.tui import run as run_module

from .conftest import main_screen, settle


async def test_the_first_frame_hook_on_a_screen_already_gone_does_nothing(demo_path: Path, make_app) -> None:
    """Ctrl+Q as the first frame appears: the hook that mounts the footer runs after the screen left
    (it raised MountError: "unexpected error", exit 1)."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = main_screen(app)
    assert not screen.is_attached
    screen._after_first_frame(True)  # the late call, on the screen the exit took away


async def test_an_error_while_quitting_keeps_the_quit(demo_path: Path, make_app, tmp_path: Path) -> None:
    """A worker that finds its pane gone while the app ends (a race with Ctrl+Q) is logged, not turned
    into "unexpected error", exit 1."""
    app = make_app(demo_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        await app.action_quit()
        app._handle_exception(RuntimeError("pane gone"))
        assert app.exit_message is None
    assert app.return_code == 0
    log = tmp_path / "xdg-data" / "infoint" / "infoint.log"
    assert "pane gone" in log.read_text()


class _ClosedTerminal:
    """sys.stderr once the terminal is gone: every write fails with EIO."""

    def write(self, _text: str) -> int:
        raise OSError(errno.EIO, "Input/output error")

    def flush(self) -> None:
        raise OSError(errno.EIO, "Input/output error")


def test_the_exit_message_on_a_closed_terminal_is_not_a_crash(demo_path: Path, monkeypatch) -> None:
    class Ended:
        exit_message: str | None = "infoint: the last note could not be saved: disk full"
        return_code = 129

        def __init__(self, *_args: object, **_kwargs: object) -> None:
            pass

        def run(self) -> None:
            pass

    monkeypatch.setattr(run_module, "not_a_terminal", lambda: None)
    monkeypatch.setattr("infoint_tui.tui.app.InfointApp", Ended)
    monkeypatch.setattr(sys, "stderr", _ClosedTerminal())
    assert run_module.run(demo_path) == 129


def watchdog_child(code: str) -> tuple[int, float]:
    start = time.monotonic()
    rc = subprocess.run([sys.executable, "-c", "import time, threading, sys\n"
                         "from infoint_tui.tui.app import Watchdog\n" + code], timeout=20).returncode
    return rc, time.monotonic() - start


@pytest.mark.slow
def test_the_watchdog_ends_a_process_whose_shutdown_waits_for_ever() -> None:
    """A thread that never ends keeps threading._shutdown waiting (as a database thread stuck in a
    lock did): the watchdog ends the process with the code it was given."""
    rc, took = watchdog_child("w = Watchdog()\nw.alarm(3, 0.3)\n"
                              "threading.Thread(target=time.sleep, args=(60,)).start()\nsys.exit(0)")
    assert rc == 3
    assert took < 5


@pytest.mark.slow
def test_the_watchdog_waits_while_the_notes_are_saved() -> None:
    rc, took = watchdog_child("w = Watchdog()\nw.alarm(5, 0.1)\nw.alarm(5, None)\ntime.sleep(0.6)\n"
                              "w.alarm(7, 0.2)\ntime.sleep(30)")
    assert rc == 7
    assert 0.7 < took < 5

