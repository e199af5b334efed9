"""Shared fixtures: a fixed clock, local time pinned to UTC, a store on a real file in tmp_path."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infoint_tui.store import Store

from .terminal import PtyApp

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
"""A Wednesday morning: tests see the same "days ago" every run."""

os.environ.setdefault("TEXTUAL_ANIMATION", "none")


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC in every test, so displayed times do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def _no_real_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing in a test may touch the user's real data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # nor the real config file
    monkeypatch.delenv("INFOINT_DB", raising=False)
    monkeypatch.delenv("INFOINT_CONFIG", raising=False)


class Clock:
    """A clock that tests move by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "infoint.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[Store]:
    s = Store.open(db_path, clock)
    yield s
    s.close()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A database file with the demo people (the same as `infoint --demo`)."""
    from infoint_tui.store import Store
    from infoint_tui.store.demo import seed_demo

    path = tmp_path / "demo.sqlite3"
    store = Store.open(path, lambda: NOW)
    seed_demo(store)
    store.close()
    return path


@pytest.fixture
def running() -> Iterator[list[PtyApp]]:
    """Apps started on a pty by a test (tests/terminal.py): killed, whatever the test's outcome."""
    apps: list[PtyApp] = []
    yield apps
    for app in apps:
        app.kill()
