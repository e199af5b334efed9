"""The process's life on real terminals and real files: it starts only on a terminal, and always ends.

- no terminal (``infoint </dev/null``, ``nohup infoint``): one line, exit 2, nothing drawn into a file;
- the terminal closed at any moment of start-up: the process is gone within 3 s (a watchdog ends it when
  Textual's shutdown blocks on a dead terminal);
- Ctrl+Q as the first frame appears: a clean exit 0, not "unexpected error (MountError)".
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .terminal import PtyApp

pytestmark = pytest.mark.slow


def infoint(*args: str) -> list[str]:
    return [sys.executable, "-m", "infoint_tui", *args]


def child_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg"), "TERM": "xterm-256color"}
    env.pop("INFOINT_DB", None)
    return env


@pytest.mark.parametrize("args", [[], ["call", "16"]])
def test_no_terminal_on_standard_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "never-created.sqlite3"
    started = time.monotonic()
    result = subprocess.run(infoint("--db", str(db), *args), stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, env=child_env(tmp_path), timeout=20)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "standard input is not a terminal" in result.stderr
    assert not db.exists(), "the database was opened before the terminal was checked"
    assert time.monotonic() - started < 10


def test_standard_output_to_a_file_draws_nothing_into_it(tmp_path: Path, demo_path: Path) -> None:
    """``nohup infoint``: standard output goes to nohup.out; the screen, names and all, must not."""
    out = tmp_path / "nohup.out"
    master, slave = pty.openpty()
    try:
        with out.open("wb") as f:
            proc = subprocess.Popen(infoint("--db", str(demo_path)), stdin=slave, stdout=f, stderr=slave,
                                    env=child_env(tmp_path), start_new_session=True)
            os.close(slave)
            slave = -1
            try:
                rc = proc.wait(timeout=20)
            finally:
                if proc.poll() is None:  # it started the app: do not leave it running
                    proc.kill()
                    proc.wait()
        said = b""
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            said += chunk
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    assert rc == 2
    assert out.read_bytes() == b""
    assert b"standard output is not a terminal" in said
    assert b"Aiko" not in said
    assert b"\x1b[?1049h" not in said


@pytest.mark.parametrize("batch", range(5))
def test_closing_the_terminal_during_start_up_always_ends_the_process(demo_path: Path, tmp_path: Path,
                                                                     running: list[PtyApp], batch: int) -> None:
    """sshd closing the pty at a random moment of start-up (0-300 ms from the spawn, or from the first byte
    the app draws), 50 times in 5 batches (seeded: a failure names its batch, and reruns the same moments):
    gone within 3 s each time. Before the watchdog, about half the closes in the first 200 ms of drawing
    left the process blocked for ever (scripts/hangup_soak.py: 16 of 50 left, 0 after)."""
    import random

    rng = random.Random(batch)
    for _ in range(10):
        after, delay = rng.choice(("spawn", "first byte")), rng.uniform(0.0, 0.3)
        app = PtyApp(db=demo_path, env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
        running.append(app)
        if after == "first byte":
            deadline = time.monotonic() + 20
            while not app.output and app.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
        time.sleep(delay)
        app.close_terminal()
        deadline = time.monotonic() + 3.0
        while app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert app.poll() is not None, f"still running 3 s after the terminal closed {delay * 1000:.0f} ms " \
                                       f"after the {after} (batch {batch})"


@pytest.mark.parametrize("delay", [0.005, 0.01, 0.015])
def test_ctrl_q_as_the_first_frame_appears_exits_cleanly(demo_path: Path, tmp_path: Path,
                                                        running: list[PtyApp], delay: float) -> None:
    """Around 10 ms after the list shows, the footer's mount raced the exit (about 1 in 4 runs there);
    tests/tui/test_exit_races.py has the deterministic version."""
    for _ in range(2):
        app = PtyApp(db=demo_path, env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
        running.append(app)
        deadline = time.monotonic() + 20
        while "people" not in app.text() and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(delay)
        app.write("\x11")
        assert app.wait() == 0
        assert "unexpected error" not in app.text()


def test_the_web_driver_is_a_terminal_and_a_stray_driver_name_is_not(monkeypatch) -> None:
    """`infoint serve` runs the app on pipes with textual-serve's web driver: that is its terminal.
    Any other TEXTUAL_DRIVER value does not lift the check (tests here run on pipes)."""
    from infoint_tui.tui import run as run_module

    monkeypatch.setenv("TEXTUAL_DRIVER", run_module.WEB_DRIVER)
    assert run_module.not_a_terminal() is None
    monkeypatch.setenv("TEXTUAL_DRIVER", "something.else:Driver")
    assert run_module.not_a_terminal() is not None
