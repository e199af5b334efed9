"""Full disks, I/O errors and other writers: what the store says, and that readers never wait."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import peewee
import pytest

from infoint_tui.domain.errors import Locked, StoreError
from infoint_tui.domain.model import ContactDraft, PersonRecord
from infoint_tui.store import Store, sqlite

from ..conftest import NOW


def _fill_up(store: Store) -> None:
    """SQLite's own limit on the file's size (SQLITE_FULL, "database or disk is full"): this connection
    may not grow the file past its current page count."""
    pages = store.db.execute_sql("PRAGMA page_count").fetchone()[0]
    store.db.execute_sql(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_named_as_such_not_as_cannot_rollback(store: Store) -> None:
    cid = store.add(ContactDraft(name="Ann Lee")).id
    _fill_up(store)
    big = "a pasted transcript line\n" * 12_000  # ~300 KB
    for write in (lambda: store.add_note(cid, big), lambda: store.save_note(cid, None, big, None),
                  lambda: store.import_people([PersonRecord(line=i, name=f"P{i}", notes=(big[:2000],))
                                               for i in range(300)])):
        with pytest.raises(StoreError) as err:
            write()
        line = str(err.value)
        assert "is full; free some space" in line
        assert str(store.path) in line
        assert "rollback" not in line
        assert "\n" not in line
    assert store.detail(cid).notes == ()  # nothing half-written, and the store is still usable for reads


@pytest.mark.parametrize(("message", "name", "says"), [
    ("database or disk is full", "SQLITE_FULL", "is full; free some space"),
    ("disk I/O error", "SQLITE_IOERR_WRITE", "I/O error"),
    ("attempt to write a readonly database", "SQLITE_READONLY", "is read-only"),
    ("database is locked", "SQLITE_BUSY", "is locked by another program"),
])
def test_each_cause_hidden_behind_cannot_rollback_is_reported(message: str, name: str, says: str) -> None:
    cause = sqlite3.OperationalError(message)
    cause.sqlite_errorname = name  # type: ignore[attr-defined]
    try:
        try:
            raise peewee.OperationalError(message) from cause
        except peewee.OperationalError:
            raise peewee.OperationalError("cannot rollback - no transaction is active")  # noqa: B904
    except peewee.OperationalError as exc:
        got = sqlite.describe(exc, "/d/infoint.sqlite3")
    assert says in str(got)
    assert "rollback" not in str(got)
    assert isinstance(got, Locked) == (name == "SQLITE_BUSY")


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another program in the middle of writing: BEGIN IMMEDIATE and an uncommitted insert."""
    con = sqlite3.connect(path, isolation_level=None, timeout=0)
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO setting(key, value) VALUES ('other-writer', 'x')")
    return con


def test_reads_do_not_wait_for_a_writer_in_the_same_process(store: Store, db_path: Path) -> None:
    from infoint_tui.domain.listing import Filter

    cid = store.add(ContactDraft(name="Ann Lee", company="Acme")).id
    store.add_note(cid, "talked about hiring")
    other = _hold_write_lock(db_path)
    try:
        reader = Store.open(db_path, lambda: NOW, timeout=5)
        start = time.monotonic()
        assert reader.detail(cid).contact.name == "Ann Lee"
        assert reader.count(Filter(query="hiring")) == 1
        assert [s.name for s in reader.summaries(Filter(), 0, 10)] == ["Ann Lee"]
        assert reader.followups() is not None
        assert reader.stats() is not None
        assert list(reader.iter_summaries(Filter()))
        assert list(reader.iter_contacts())
        assert reader.info()["contacts"] == 1
        assert time.monotonic() - start < 1.0
        with pytest.raises(Locked):  # a write still waits, and then says "locked"
            Store.open(db_path, lambda: NOW, timeout=0.2).add_note(cid, "x")
        reader.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.slow
def test_list_show_and_search_run_while_another_process_writes(store: Store, db_path: Path) -> None:
    cid = store.add(ContactDraft(name="Ann Lee", company="Acme")).id
    store.add_note(cid, "talked about hiring")
    store.close()
    other = _hold_write_lock(db_path)
    try:
        for argv, expect in ((["list"], "Ann Lee"), (["show", str(cid)], "hiring"), (["search", "hiring"], "Ann")):
            done = subprocess.run([sys.executable, "-m", "infoint_tui", "--db", str(db_path), *argv],
                                  capture_output=True, text=True, timeout=30)
            # A read that took the write lock would wait out the busy timeout and fail with "locked".
            assert done.returncode == 0, done.stderr
            assert expect in done.stdout, argv
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_opening_an_up_to_date_database_writes_nothing(store: Store, db_path: Path) -> None:
    """Store.open on a database at the current schema asks for no write lock: it opens while another
    program writes (the TUI's and every command's start)."""
    store.close()
    other = _hold_write_lock(db_path)
    try:
        start = time.monotonic()
        Store.open(db_path, lambda: NOW, timeout=2).close()
        assert time.monotonic() - start < 1.0
    finally:
        other.execute("ROLLBACK")
        other.close()
