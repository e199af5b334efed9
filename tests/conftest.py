"""Shared fixtures: a fixed clock, local time pinned to UTC, a store on a real file in tmp_path."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infoint_tui.paths import ServerAddress
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


BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run the module's database tests on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "sqlite_only: a test of SQLite's file (permissions, pragmas, the file itself)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests of modules marked ``both_backends`` that use a database (``db_path``, ``store``...) run once per
    backend; ``sqlite_only`` keeps one to SQLite."""
    if "backend" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("both_backends") is None:
        return
    only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize("backend", BACKENDS[:1] if only else BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: "sqlite" unless the module is marked ``both_backends``."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgCluster]:
    """A real PostgreSQL server (pgserver: PostgreSQL 16 from pip), one per test process."""
    cluster = PgCluster(tmp_path_factory.mktemp("pg"))
    yield cluster
    cluster.stop()


class PgCluster:
    """A throw-away PostgreSQL cluster; each test gets a database of its own, copied from a template that
    the store has already created (~30 ms a database, against ~110 ms to migrate each)."""

    def __init__(self, folder: Path) -> None:
        import warnings

        import pgserver

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR not set
            self.server = pgserver.get_server(folder, cleanup_mode="stop")
        self.uri = self.server.get_uri()
        self._n = 0
        import psycopg

        self.admin = psycopg.connect(self.uri, autocommit=True)
        self.admin.execute("CREATE DATABASE infoint_template")
        Store.open(self.address("infoint_template"), lambda: NOW).close()

    def address(self, name: str) -> ServerAddress:
        from infoint_tui.paths import parse_location

        location = parse_location(self.uri.replace("/postgres?", f"/{name}?"))
        assert isinstance(location, ServerAddress)
        return location

    def new_database(self, *, empty: bool = False) -> ServerAddress:
        """A new database: with infoint's tables (none with ``empty``)."""
        self._n += 1
        name = f"t{os.getpid()}_{self._n}"
        self.admin.execute(f"CREATE DATABASE {name} TEMPLATE {'template0' if empty else 'infoint_template'}")
        return self.address(name)

    def stop(self) -> None:
        self.admin.close()
        self.server.cleanup()


@pytest.fixture
def db_path(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | ServerAddress:
    """Where the test's database is: a file (SQLite), or a database of its own on the test server."""
    if backend == "postgresql":
        cluster: PgCluster = request.getfixturevalue("postgres")
        return cluster.new_database()
    return tmp_path / "data" / "infoint.sqlite3"


@pytest.fixture
def store(db_path: Path | ServerAddress, clock: Clock) -> Iterator[Store]:
    s = Store.open(db_path, clock)
    yield s
    s.close()


@pytest.fixture
def demo_path(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | ServerAddress:
    """A database with the demo people (the same as `infoint --demo`): a file, or on the test server."""
    from infoint_tui.store import Store
    from infoint_tui.store.demo import seed_demo

    if backend == "postgresql":
        path: Path | ServerAddress = request.getfixturevalue("postgres").new_database()
    else:
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
