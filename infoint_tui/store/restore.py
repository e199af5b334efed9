"""Restoring a backup: check it first, keep the current database aside, then copy it in consistently."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from ..domain.errors import StoreError
from . import migrations
from .store import Store


def check_backup(path: Path) -> int:
    """The backup's schema version, after checking it is a healthy infoint database this program can read.

    Raises:
        StoreError: missing, damaged, not infoint's, or from a newer infoint.
    """
    if not path.is_file():
        raise StoreError(f"there is no file {path}.")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [r[0] for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        try:
            with path.open("rb") as f:
                export = f.read(64).lstrip().startswith(b"{")
        except OSError:
            export = False
        if export:  # `infoint backup` of a server's database, or `export json`
            raise StoreError(f"{path} is a JSON export, not a backup file: restore it with 'infoint --db NEWFILE "
                             "import FILE' (into an empty database); nothing was changed.") from exc
        raise StoreError(f"{path} is not a database ({exc}); nothing was changed.") from exc
    if problems:
        raise StoreError(f"{path} is damaged ({problems[0]}); nothing was changed.")
    if "contact" not in tables or version < 1:
        raise StoreError(f"{path} is not an infoint database; nothing was changed.")
    if version > migrations.LATEST:
        raise StoreError(f"{path} comes from a newer infoint (schema {version}); upgrade infoint to restore it.")
    return version


def restore(backup: Path, target: Path) -> Path | None:
    """Replace ``target``'s contents with ``backup``'s; returns where the previous database was kept."""
    check_backup(backup)
    kept: Path | None = None
    current = Store.open(target)
    try:
        if current.count() or current.info()["events"]:
            kept = target.with_name(f"{target.stem}.before-restore-{datetime.now().astimezone():%Y%m%dT%H%M%S}"
                                    f"{target.suffix or '.sqlite3'}")
            current.backup(kept)
    finally:
        current.close()
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # page by page under SQLite's own locking: never a half-copied file
    finally:
        src.close()
        dst.close()
    Store.open(target).close()  # upgrades an older backup, with its own pre-migration copy
    return kept
