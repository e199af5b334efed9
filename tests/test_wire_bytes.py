"""Bytes on the wire, on a real pseudo-terminal: what a user over a slow SSH link pays per key."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.store import Store

from .conftest import NOW
from .terminal import PtyApp

pytestmark = pytest.mark.slow


@pytest.fixture
def namesakes(tmp_path: Path) -> Path:
    """Forty people at one company: every letter typed of its name finds all of them."""
    path = tmp_path / "namesakes.sqlite3"
    store = Store.open(path, lambda: NOW)
    for i in range(40):
        store.add(make_draft(f"Person {i:02d}", company="Northwind"))
    store.close()
    return path


@pytest.fixture
def app(namesakes: Path) -> Iterator[PtyApp]:
    running = PtyApp(db=namesakes, size=(100, 30), env={"INFOINT_NO_BLINK": "1"})
    yield running
    running.kill()


def key_bytes(app: PtyApp, key: str, quiet: float = 0.4, timeout: float = 10.0) -> int:
    """Bytes the app writes in answer to ``key``, once it has been quiet for ``quiet`` seconds."""
    start = len(app.output)
    app.write(key)
    deadline = time.monotonic() + timeout
    seen, since = len(app.output), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        if len(app.output) != seen:
            seen, since = len(app.output), time.monotonic()
        elif time.monotonic() - since > quiet:
            break
    return len(app.output) - start


def test_a_search_keystroke_that_changes_no_row_sends_only_the_echo_and_the_count(app: PtyApp) -> None:
    app.wait_for("Person 00")
    key_bytes(app, "/")
    first = key_bytes(app, "n")  # "Northwind" finds everyone: the same rows as before
    assert "40 people" in app.text()
    longer = [key_bytes(app, ch) for ch in "orth"]
    # The echo and the top bar ("filter: …") are a few hundred bytes; a repainted list at 100x30 is
    # several KB, and a relayout for the growing text repainted the list's scrollbar too (1.7 KB).
    assert max(longer) < 1200, (first, longer)
    assert "filter: “north”" in app.text()


def test_a_search_typed_at_once_after_the_slash_goes_into_the_box(app: PtyApp) -> None:
    """"/" and the letters after it in one read (a fast typist over SSH, a paste): every letter lands
    in the search box, none acts on the list ("n" would open a new-person form)."""
    app.wait_for("Person 00")
    time.sleep(0.5)
    app.write("/north")
    app.wait_for("filter: “north”")
    assert "New person" not in app.text()
    app.write("\x7f")  # and typing goes on at the end of it (nothing left selected to be replaced)
    app.wait_for("filter: “nort”")
    app.write("w")
    app.wait_for("filter: “nortw”")
