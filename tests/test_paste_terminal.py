"""A forged paste end on a real terminal: what follows it in the same burst is text, never keys."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from .terminal import ANSI, PtyApp

pytestmark = pytest.mark.slow

ESC = "\x1b"
START, END = f"{ESC}[200~", f"{ESC}[201~"


def drawn_since(app: PtyApp, mark: int) -> str:
    return ANSI.sub("", bytes(app.output[mark:]).decode("utf-8", "replace"))


def last_note(db: Path, contact_id: int) -> str:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT text FROM note WHERE contact_id = ? ORDER BY id DESC",
                          (contact_id,)).fetchone()
    finally:
        con.close()
    return row[0] if row else ""


def test_a_forged_end_neither_leaves_the_call_nor_opens_help(demo_path: Path, running: list[PtyApp]) -> None:
    app = PtyApp("call", "16", db=demo_path)
    running.append(app)
    app.wait_for("Call with")
    time.sleep(0.5)
    mark = len(app.output)
    # Escape, Escape, then "more": unguarded, Esc asks to leave the call and "e" ends it.
    app.write(f"{START}first{END}{ESC}{ESC} more{END}")
    time.sleep(0.4)
    app.write(f"{START} second{END}{ESC}OP{ESC}^{END}")  # F1 opens help; ESC ^ was stored as "^"
    time.sleep(0.6)
    app.write(" typed after")
    time.sleep(0.3)
    app.write("\x13")  # Ctrl+S
    time.sleep(1.0)
    assert app.poll() is None, "the paste ended the call"
    shown = drawn_since(app, mark)
    assert "Keep going" not in shown
    assert "infoint — keys" not in shown
    note = last_note(demo_path, 16)
    assert note.startswith("first more second")
    assert note.endswith(" typed after")
    assert not any(ch in note for ch in "\x1b^\x07")
    app.write("\x11")
    assert app.wait() == 0


def test_a_forged_end_does_not_leave_the_search_box(demo_path: Path, running: list[PtyApp]) -> None:
    app = PtyApp(db=demo_path)
    running.append(app)
    app.wait_for("people")
    time.sleep(0.5)
    app.write("/")
    time.sleep(0.5)
    # Unguarded, Escape clears the box and leaves it: the next letter then acts on the list ("a" archives).
    app.write(f"{START}Zo{END}{ESC}{ESC}{END}")
    time.sleep(0.6)
    mark = len(app.output)
    app.write("a")  # still in the box: the query becomes "Zoa"
    time.sleep(0.8)
    shown = drawn_since(app, mark)
    assert "Archive" not in shown
    assert "Zoa" in shown
    app.write("\x11")
    assert app.wait() == 0
