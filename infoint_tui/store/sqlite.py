"""SQLITE-ONLY CODE LIVES HERE, AND ONLY HERE.

Everything in this module is specific to SQLite: the connection and its pragmas,
file permissions of the database and its -wal/-shm companions, PRAGMA
user_version, VACUUM INTO backups, integrity checks, PRAGMA data_version
(change detection between processes) and the FTS5 full-text index.

The rest of the store uses Peewee's portable query builder. To serve a user
from a server database, replace this module (connect, schema version, backup,
search) and keep the rest.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.errors import Locked, StoreError
from ..domain.pipeline import Kind, Stage

if TYPE_CHECKING:  # imported where used: first_screen runs before the app has Peewee
    import peewee

    from ..domain.listing import Summary

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # FULL: a committed note survives power loss too (P1); a commit costs ~0.6 ms here.
    "synchronous": "full",
    # Deleted people's bytes are overwritten, not left in free pages (privacy).
    "secure_delete": 1,
    "cache_size": -16000,
    # The search's hits table (fill_hits) in memory: filling it with 90,000 ids took ~37 ms in a
    # temporary file, ~23 ms here.
    "temp_store": "memory",
}
BUSY_TIMEOUT_S = 5
SERVER = False
"""A database in a file on this machine (:mod:`.postgres` is the one on a server)."""
SCHEMA = 8
"""The schema this program writes: ``migrations.LATEST``, here for :func:`first_screen`, which must
not import the migrations (Peewee). A test checks that the two agree."""


def _private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 if absent; tighten it to 0600 if others can read it."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        mode = path.stat().st_mode
        if mode & 0o077 and path.stat().st_uid == os.getuid():
            os.chmod(path, stat.S_IMODE(mode) & 0o700)


def _private_dir(path: Path) -> None:
    """Create the folder 0700 (and its parents as needed)."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)


def refuse_empty(path: Path) -> None:
    """Refuse a database file of 0 bytes (:func:`connect` skips a file it has just created).

    SQLite takes an empty file for a new database and would fill it with an empty schema, silently:
    but an empty file where a database should be is more likely one that was truncated (a failed
    copy, a full disk, a sync tool) than a wish to start afresh, and the people it held would then
    look gone without a word.

    Raises:
        StoreError: the file is empty.
    """
    try:
        empty = path.stat().st_size == 0
    except OSError:
        return  # missing or unreadable: the caller's own checks say so
    if empty:
        raise StoreError(f"{path} is empty (0 bytes): not a database; move it aside or delete it.")


def tighten(path: Path) -> None:
    """Make the database and its -wal/-shm files readable by the owner only."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        if st.st_mode & 0o077 and st.st_uid == os.getuid():
            os.chmod(p, stat.S_IMODE(st.st_mode) & 0o700)


def _cause(exc: BaseException) -> BaseException:
    """The error that tells what happened: after a failed statement or commit SQLite has often rolled the
    transaction back by itself (SQLITE_FULL, SQLITE_IOERR), and Peewee's own rollback then fails with
    "cannot rollback - no transaction is active", which hides the first error in its context."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        msg = str(current).lower()
        if "cannot rollback" not in msg and "no transaction is active" not in msg:
            return current
        current = current.__context__ or current.__cause__
    return exc


def describe(exc: BaseException, path: Path | str) -> StoreError:
    """Turn a SQLite/Peewee error into one readable line saying what happened and what to do."""
    exc = _cause(exc)
    msg = str(exc).lower()
    name = _error_name(exc)
    where = str(path)
    if "locked" in msg or "busy" in msg or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return Locked(f"the database {where} is locked by another program; close it or try again.")
    if name == "SQLITE_FULL" or ("disk" in msg and "full" in msg):
        return StoreError(f"the disk holding {where} is full; free some space and try again.")
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return StoreError(
            f"the database {where} is damaged ({exc}); restore a backup with 'infoint restore FILE' "
            "or start afresh with --db NEWPATH."
        )
    if "readonly" in msg or "read-only" in msg or "permission" in msg or name.startswith("SQLITE_READONLY"):
        return StoreError(
            f"the database {where} is read-only; check its and its folder's permissions (or a disk mounted "
            "read-only), or use --db to pick a writable file."
        )
    if "unable to open" in msg:
        return StoreError(f"cannot open the database {where}; check that the folder exists and is writable.")
    if name.startswith("SQLITE_IOERR") or "i/o error" in msg:
        return StoreError(f"the disk holding {where} failed to read or write (I/O error); check the disk "
                          "(removed, failing, or a network share gone) and try again.")
    return StoreError(f"database error on {where}: {exc}")


def _error_name(exc: BaseException) -> str:
    """SQLite's name for the error (``SQLITE_FULL``...), from sqlite3's exception or the one Peewee wraps."""
    for e in (exc, exc.__cause__, exc.__context__):
        name = getattr(e, "sqlite_errorname", None)
        if name:
            return str(name)
    return ""


def connect(path: Path | str, *, create: bool = True, timeout: float = BUSY_TIMEOUT_S) -> peewee.SqliteDatabase:
    """Open the database file with the app's pragmas, creating it 0600 in a 0700 folder.

    ``journal_mode=wal`` is set later by :func:`enable_wal`, after the schema
    version was checked, so that a database from a newer version is refused
    without a single write.

    Raises:
        StoreError: the file cannot be created or opened, or is not a database.
    """
    p = Path(path)
    created = False
    if str(path) != ":memory:":
        if p.is_dir():
            raise StoreError(f"{p} is a folder; give --db the path of a database file.")
        try:
            if not p.exists():
                if not create:
                    raise StoreError(f"there is no database at {p}; check the path (the app, or a command that "
                                     "adds something, creates a new one).")
                _private_dir(p.parent)
                _private_file(p)  # empty, and ours: SQLite writes the new database into it
                created = True
            else:
                refuse_empty(p)
            tighten(p)
        except OSError as exc:
            raise StoreError(f"cannot create the database {p}: {exc.strerror}; check the folder.") from exc
    import peewee

    pragmas = {k: v for k, v in PRAGMAS.items() if k != "journal_mode"}
    # check_same_thread=False: an import writes its search index on this connection from a thread of its
    # own (NewPeople), while it reads on; Peewee still gives each thread a connection of its own.
    db = peewee.SqliteDatabase(str(p), pragmas=pragmas, timeout=timeout, lock_type="IMMEDIATE",
                               check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
        # Reading the header forces SQLite to look at the file: garbage fails here, not later.
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        if created:  # the header written now: a process killed before the schema leaves an empty
            db.execute_sql("PRAGMA user_version = 0")  # database (opened next time), not 0 bytes (refused)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise describe(exc, p) from exc
    return db


def enable_wal(db: peewee.SqliteDatabase, path: Path | str) -> None:
    """Switch to WAL (persistent in the file) and make the -wal/-shm files private."""
    if str(path) == ":memory:":
        return
    mode = db.execute_sql("PRAGMA journal_mode=wal").fetchone()[0]
    if str(mode).lower() != "wal":  # e.g. a read-only folder: WAL cannot be set up
        raise StoreError(f"cannot use write-ahead logging for {path} (journal mode {mode}); "
                         "check that its folder is writable.")
    tighten(Path(path))


def read_transaction(db: peewee.SqliteDatabase) -> AbstractContextManager[Any]:
    """One snapshot for several queries, taken DEFERRED: it never asks for the write lock."""
    return db.atomic("DEFERRED")


@contextmanager
def without_waiting(db: peewee.SqliteDatabase) -> Iterator[None]:
    """The transactions begun in it fail at once ("locked") if another connection holds the write lock,
    instead of waiting for it (the busy timeout)."""
    (waited,) = db.execute_sql("PRAGMA busy_timeout").fetchone()
    db.execute_sql("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(waited)}")


def revive(db: peewee.SqliteDatabase) -> None:
    """Nothing to do: a file does not hang up (see :func:`.postgres.revive`)."""


def notify(db: peewee.SqliteDatabase) -> None:
    """Nothing to send: other connections see a commit in :func:`data_version`."""


def executemany(db: peewee.SqliteDatabase, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """One statement for many rows."""
    if rows:
        db.cursor().executemany(sql, rows)


def after_explicit_ids(db: peewee.SqliteDatabase, tables: object) -> None:
    """Nothing to do: SQLite's next id is the largest one plus one."""


def begin_write(db: peewee.SqliteDatabase) -> None:
    """Nothing to do: a write transaction begins IMMEDIATE (the connection's lock type), which takes
    SQLite's one write lock already."""


class ImportKeys:
    """An import's keys (``importing.PeopleImport``): who holds each profile URL and e-mail (and the few
    names the name index does not tell), for the chunks still to come, one table of (key, seq, id) per
    kind in a scratch database of their own.

    The scratch is a file beside the database (its folder is private), created 0600 and unlinked at
    once: nobody can open it, and it is gone when it is closed or the process dies. Its pages are
    cached up to 2 MiB and written to the file past that (no journal, no sync: it is thrown away),
    so that the keys of 100,000 people (~6 MiB) are not held in memory as a temporary table would
    hold them (``temp_store`` is memory), nor written into the database's own file and transaction.
    """

    KINDS = ("url", "email", "name")

    def __init__(self, path: Path | str) -> None:
        scratch = ":memory:"
        if str(path) != ":memory:":
            try:
                fd, scratch = tempfile.mkstemp(prefix=f".{Path(path).name}-import-", dir=Path(path).parent)
                os.close(fd)
            except OSError:
                scratch = ":memory:"
        self._conn = sqlite3.connect(scratch, isolation_level=None)
        self._file = scratch if scratch != ":memory:" else None
        if self._file is not None:
            try:
                os.unlink(self._file)  # open, it stays readable to us alone (not on Windows: unlinked on close)
                self._file = None
            except OSError:
                pass
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE", "cache_size = -2048"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._conn.execute("BEGIN")
        for kind in self.KINDS:
            self._conn.execute(f"CREATE TABLE {kind} (key TEXT NOT NULL, seq INTEGER NOT NULL, id INTEGER NOT NULL, "
                               "PRIMARY KEY (key, seq)) WITHOUT ROWID")

    def holders(self, kind: str, keys: Sequence[str]) -> Iterator[tuple[str, int, int]]:
        """(key, seq, id) of each holder of one of ``keys`` of ``kind``."""
        for i in range(0, len(keys), 1000):
            part = keys[i:i + 1000]
            yield from self._conn.execute(f"SELECT key, seq, id FROM {kind} WHERE key IN "
                                          f"({', '.join('?' * len(part))})", part)

    def add(self, kind: str, rows: Sequence[tuple[str, int, int]]) -> None:
        """Write (key, seq, id) rows of ``kind``."""
        if rows:
            self._conn.executemany(f"INSERT INTO {kind} (key, seq, id) VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        """Throw the keys away."""
        self._conn.close()
        if self._file is not None:
            Path(self._file).unlink(missing_ok=True)


def open_import_keys(db: peewee.SqliteDatabase, path: Path | str) -> ImportKeys:
    """A new, empty :class:`ImportKeys` for an import into the database at ``path``."""
    return ImportKeys(path)


def after_step(db: peewee.SqliteDatabase) -> None:
    """Nothing to do after a migration step (see :func:`.postgres.after_step`)."""


def user_version(db: peewee.SqliteDatabase) -> int:
    """The schema version stamped in the file."""
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def set_user_version(db: peewee.SqliteDatabase, version: int) -> None:
    """Stamp the schema version (transactional in SQLite: it rolls back with the migration)."""
    db.execute_sql(f"PRAGMA user_version = {int(version)}")


def table_names(db: peewee.SqliteDatabase) -> list[str]:
    """Names of the tables in the file."""
    return [r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table'").fetchall()]


def backup(db: peewee.SqliteDatabase, target: Path) -> Path:
    """A consistent copy of the live database (VACUUM INTO), created 0600.

    Raises:
        StoreError: the target exists or cannot be written.
    """
    import peewee

    target = Path(target)
    if target.exists() and target.stat().st_size:
        raise StoreError(f"{target} already exists; choose another path for the backup.")
    try:
        _private_dir(target.parent)
        _private_file(target)
        db.execute_sql("VACUUM INTO ?", (str(target),))
    except OSError as exc:
        raise StoreError(f"cannot write the backup {target}: {exc.strerror}.") from exc
    except peewee.DatabaseError as exc:
        raise describe(exc, target) from exc
    os.chmod(target, 0o600)
    return target


def quick_check(db: peewee.SqliteDatabase) -> str:
    """``ok`` or the first problem found by PRAGMA quick_check."""
    return str(db.execute_sql("PRAGMA quick_check").fetchone()[0])


def integrity_problems(db: peewee.SqliteDatabase) -> list[str]:
    """Problems found by integrity_check and foreign_key_check (empty when healthy)."""
    problems = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
    problems += [f"broken reference in {r[0]} row {r[1]}" for r in db.execute_sql("PRAGMA foreign_key_check")]
    return problems


def data_version(db: peewee.SqliteDatabase) -> int:
    """A number that changes when another connection commits (cheap; poll it to notice other terminals)."""
    return int(db.execute_sql("PRAGMA data_version").fetchone()[0])


# --- Full-text search (FTS5) -------------------------------------------------------------
# Two standalone FTS5 tables, both with rowid = contact id: one row per contact for their fields
# (contact_fts) and one per contact for all of their notes (person_notes_fts; schema 5, which
# replaced one row per note: a search then had to look up the person of every matching note, ~40
# ms for a word in 90,000 notes). Writes keep them in sync inside the same transaction as the rows
# they index. unicode61 with diacritics removed; prefix indexes make search-as-you-type cheap.

FTS_OPTIONS = "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'"


def create_search(db: peewee.SqliteDatabase) -> None:
    """Create the FTS5 tables as the first schema had them (part of the first migration)."""
    db.execute_sql(f"CREATE VIRTUAL TABLE contact_fts USING fts5(name, company, title, tags, {FTS_OPTIONS})")
    db.execute_sql(f"CREATE VIRTUAL TABLE note_fts USING fts5(text, {FTS_OPTIONS})")


def index_notes_by_person(db: peewee.SqliteDatabase) -> None:
    """Schema 5: one index row per person for all of their notes, in place of one per note."""
    db.execute_sql(f"CREATE VIRTUAL TABLE person_notes_fts USING fts5(text, {FTS_OPTIONS})")
    reindex_all_notes(db)
    db.execute_sql("DROP TABLE note_fts")


def reindex_all_notes(db: peewee.SqliteDatabase) -> None:
    """Index every person's notes again (after a bulk load)."""
    db.execute_sql("DELETE FROM person_notes_fts")
    db.execute_sql("INSERT INTO person_notes_fts(rowid, text) "
                   "SELECT contact_id, group_concat(text, char(10)) FROM note GROUP BY contact_id")


def index_contacts(db: peewee.SqliteDatabase, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
    """Index many new contacts' fields (none of them is in the index yet)."""
    executemany(db, "INSERT INTO contact_fts(rowid, name, company, title, tags) VALUES (?, ?, ?, ?, ?)", rows)


NEW_CONTACT = (
    "INSERT INTO contact (id, name, name_key, title, company_id, email, phone, address, url, source, "
    "referred_by_id, stage, archived, archive_reason, version, created, updated, last_activity) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, FALSE, NULL, 1, ?, ?, ?)")
"""An imported person (id, name, name_key, title, company_id, email, phone, address, url, source, then
stage, created, updated and last_activity), as the models would write them. Portable SQL."""

CREATED_EVENTS = (
    "INSERT INTO event (contact_id, kind, at, created, channel, stage_from, stage_to, minutes, meeting_id, detail) "
    "SELECT id, ?, created, created, '', NULL, ?, NULL, NULL, 'imported' FROM contact WHERE id BETWEEN ? AND ? "
    "ORDER BY id")
"""The creation event of each of the people with ids from ? to ? (an import's new ones), from their rows:
(kind, stage, first, last). Portable SQL."""

_INDEX_NEW_PEOPLE = (
    "INSERT INTO contact_fts(rowid, name, company, title, tags) "
    "SELECT c.id, c.name, coalesce(co.name, ''), c.title, "
    "coalesce((SELECT group_concat(t.name, ' ') FROM tag AS t WHERE t.contact_id = c.id), '') "
    "FROM contact AS c LEFT OUTER JOIN company AS co ON co.id = c.company_id WHERE c.id BETWEEN ? AND ?")


class NewPeople:
    """Writes an import's new people a chunk at a time (``importing.PeopleImport``): their rows, their
    tags, their creation events and their search index (from the stored rows: the company by its
    stored name, the tags as the tag table holds them, as :meth:`StoreBase._reindex` indexes one person).

    :meth:`write` stages the chunk's rows in temporary tables (a chunk's worth: no index, no foreign
    key to check) and hands the rest to a thread of its own, on this thread's connection and in its
    transaction: copying them into the people's table (its indexes, its checks), the events and the
    search index are single statements during which SQLite releases the GIL, so the import reads and
    matches its next chunk meanwhile (~0.5 s of 100,000 people's ~2.6 s). It returns the function that
    waits for the thread (and raises what it raised): call it before this connection runs anything else.

    The connection is opened with ``check_same_thread=False`` for this (SQLite serialises the calls of
    two threads on it). While the thread runs, the interpreter's switch interval is 0.5 ms instead of
    5: the thread takes the GIL back around each of its statements, and waited up to 5 ms each time for
    the reading thread to let go of it (the index took ~35 ms a chunk instead of ~20)."""

    def __init__(self, db: peewee.SqliteDatabase) -> None:
        self.db = db
        db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS infoint_new_people (id INTEGER, name, name_key, title, "
                       "company_id, email, phone, address, url, source)")
        db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS infoint_new_tags (contact_id INTEGER, name)")

    def write(self, contacts: Sequence[Sequence[Any]], tags: Sequence[Sequence[Any]], first: int, last: int,
              kind: str, stage: str, stamp: str) -> Callable[[], None]:
        """Write the people ``contacts`` (the first ten values of :data:`NEW_CONTACT`'s rows, ids ``first`` to
        ``last``), all in ``stage`` and created at ``stamp``, and their ``tags`` ((contact_id, name)), with
        their creation events (``kind``) and their index."""
        self.db.execute_sql("DELETE FROM temp.infoint_new_people")  # (the last chunk's)
        self.db.execute_sql("DELETE FROM temp.infoint_new_tags")
        executemany(self.db, "INSERT INTO temp.infoint_new_people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", contacts)
        executemany(self.db, "INSERT INTO temp.infoint_new_tags VALUES (?, ?)", tags)
        conn = self.db.connection()
        statements = [
            ("INSERT INTO contact (id, name, name_key, title, company_id, email, phone, address, url, source, "
             "referred_by_id, stage, archived, archive_reason, version, created, updated, last_activity) "
             "SELECT id, name, name_key, title, company_id, email, phone, address, url, source, NULL, ?, "
             "FALSE, NULL, 1, ?, ?, ? FROM temp.infoint_new_people ORDER BY rowid", (stage, stamp, stamp, stamp)),
            *([("INSERT INTO tag (contact_id, name) SELECT contact_id, name FROM temp.infoint_new_tags "
                "ORDER BY rowid", ())] if tags else []),
            (CREATED_EVENTS, (kind, stage, first, last)),
            (_INDEX_NEW_PEOPLE, (first, last)),
        ]
        failed: list[BaseException] = []

        def work() -> None:
            try:
                for sql, params in statements:
                    conn.execute(sql, params)
            except BaseException as exc:  # handed to the waiting thread
                failed.append(exc)

        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        thread = threading.Thread(target=work, name="infoint-import-writer", daemon=True)
        thread.start()

        def wait() -> None:
            try:
                thread.join()
            finally:
                sys.setswitchinterval(interval)
            if failed:
                raise failed.pop()

        return wait

    def close(self) -> None:
        """Drop the staging tables (after the last :meth:`write` was waited for)."""
        self.db.execute_sql("DROP TABLE IF EXISTS temp.infoint_new_people")
        self.db.execute_sql("DROP TABLE IF EXISTS temp.infoint_new_tags")


SWITCH_INTERVAL = 0.0005
"""The interpreter's switch interval while an import's new people are written in a thread (see
:class:`NewPeople`)."""


def index_contact(db: peewee.SqliteDatabase, contact_id: int, name: str, company: str, title: str,
                  tags: str) -> None:
    """(Re)index one contact's searchable fields."""
    db.execute_sql("DELETE FROM contact_fts WHERE rowid = ?", (contact_id,))
    db.execute_sql("INSERT INTO contact_fts(rowid, name, company, title, tags) VALUES (?, ?, ?, ?, ?)",
                   (contact_id, name, company, title, tags))


def unindex_contact(db: peewee.SqliteDatabase, contact_id: int) -> None:
    """Drop a contact and their notes from the index."""
    db.execute_sql("DELETE FROM contact_fts WHERE rowid = ?", (contact_id,))
    db.execute_sql("DELETE FROM person_notes_fts WHERE rowid = ?", (contact_id,))


def index_notes_of(db: peewee.SqliteDatabase, contact_id: int) -> None:
    """(Re)index one person's notes, after one of them was added, changed or deleted."""
    db.execute_sql("DELETE FROM person_notes_fts WHERE rowid = ?", (contact_id,))
    db.execute_sql("INSERT INTO person_notes_fts(rowid, text) SELECT contact_id, group_concat(text, char(10)) "
                   "FROM note WHERE contact_id = ? GROUP BY contact_id", (contact_id,))


_TOKEN = re.compile(r"\S+")


def fts_query(text: str) -> str | None:
    """Turn whatever the user typed into a safe FTS5 prefix query (None when nothing is left).

    Raw input breaks FTS5's query syntax (``eve"``, ``AND``, ``(``, ``c++``), so
    each whitespace-separated token becomes a quoted string with a prefix star:
    ``c++ (lead`` → ``"c++"* "(lead"*``. All tokens must match.
    """
    tokens = _TOKEN.findall(text.replace("\x00", ""))
    # Tokens made only of punctuation tokenize to nothing and would match nothing: drop them.
    parts = ['"' + t.replace('"', '""') + '"*' for t in tokens if any(ch.isalnum() for ch in t)]
    return " ".join(parts) if parts else None


LITERAL_CHARS = frozenset("+#@&/.%$*=<>|~^[]{}")
"""Characters the word index drops that make a term what it is (``c++``, ``c#``, ``.net``, ``a/b``, ``[/]``):
a token holding one is also matched as typed. Quotes, brackets of a phrase, colons, hyphens and
apostrophes are not among them (``eve"``, ``(lead``, ``re:``, ``o'neill`` match by their words)."""


def literal_match(token: str, find: str = "instr") -> tuple[str, list[str]]:
    """The ids of the contacts whose name, title, company or notes hold ``token`` as typed (case-folded
    for ASCII, as lower() is in SQLite and in PostgreSQL's "C" collation), ``find`` being the backend's
    function for where a string stands in another (SQLite's instr, PostgreSQL's strpos)."""
    needle = token.casefold()
    return ("SELECT id FROM (SELECT c.id AS id FROM contact AS c LEFT JOIN company AS co ON co.id = c.company_id "
            f"WHERE {find}(lower(c.name || ' ' || c.title || ' ' || coalesce(co.name, '')), ?) > 0 "
            f"UNION SELECT contact_id AS id FROM note WHERE {find}(lower(text), ?) > 0) AS lit", [needle, needle])



def _matches(query: str) -> list[tuple[str, list[str]]] | None:
    """SELECTs of the ids of the contacts matching ``query``, each with its parameters (None: no filter).

    Every token must match, in the contact's fields or in their notes. CJK text (which unicode61
    does not split into words) also matches by substring on name and company. A token with a
    character of :data:`LITERAL_CHARS` must also be there as typed: "c++" found everyone with a word
    starting with "c" (22 of the demo's 36 people), "[/]" filtered nothing.
    """
    return compose_matches(
        query, fts_query(query),
        lambda q: [("SELECT rowid FROM person_notes_fts WHERE person_notes_fts MATCH ?", [q]),
                   ("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?", [q])],
        literal_match,
        lambda needle: ("SELECT id FROM contact WHERE instr(name, ?) > 0 "
                        "OR company_id IN (SELECT id FROM company WHERE instr(name, ?) > 0)", [needle, needle]))


Part = tuple[str, list[Any]]
"""A SELECT of contact ids and its parameters."""


def compose_matches(query: str, words: Any, by_words: Callable[[Any], list[Part]], literal: Callable[[str], Part],
                    cjk: Callable[[str], Part]) -> list[Part] | None:
    """The search's rules, the same on every backend, over each backend's own SQL: ``words`` is the
    query of its word index (None: no word typed), ``by_words`` its SELECTs (notes, fields), ``literal``
    a token matched as typed, ``cjk`` the substring match of name and company."""
    literals = [literal(t) for t in _TOKEN.findall(query.replace("\x00", "")) if LITERAL_CHARS.intersection(t)]
    if words is None:
        if not literals:
            return None
        sql = " INTERSECT ".join(part for part, _ in literals)
        return [(sql, [p for _, params in literals for p in params])]
    parts = by_words(words)
    if any(_is_cjk(ch) for ch in query):
        parts.append(cjk(query.strip()))
    if literals:  # each part, and every literal token as typed (a part is one SELECT: compound, left to right)
        parts = [(" INTERSECT ".join([part, *(lit for lit, _ in literals)]),
                  [*params, *(p for _, lit_params in literals for p in lit_params)]) for part, params in parts]
    return parts


def search_clause(query: str, id_field: peewee.Field) -> peewee.Expression | None:
    """A WHERE expression for the contacts matching ``query`` (None: no filter); see :func:`_matches`."""
    import peewee

    parts = _matches(query)
    if parts is None:
        return None
    sql = " UNION ALL ".join(part for part, _ in parts)
    return id_field.in_(peewee.SQL(f"({sql})", [p for _, params in parts for p in params]))


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF


HITS = "temp.infoint_hits"
"""A connection-private table of the people matching one search (SQLite's temp schema)."""


@dataclass(frozen=True)
class Hits:
    """The people of one search, in :data:`HITS`: what a next keystroke needs to tell whether they are
    still its people."""

    tokens: tuple[str, ...]
    """What was typed, word by word."""
    counts: tuple[int, ...]
    """How many ids each part of the match gave (see :func:`_matches`)."""
    total: int
    """How many people, all parts together."""
    stamp: tuple[int, int]
    """The database's :func:`data_version` and this connection's count of changed rows when filled:
    if either moved, a note or a name may have changed and the table is filled again."""


def _narrower(tokens: tuple[str, ...], before: tuple[str, ...]) -> bool:
    """Does every person matching ``tokens`` match ``before`` too? Yes when each word typed before is
    the start of the word now in its place (prefix matches: "ro" → "road"), words added included."""
    return len(tokens) >= len(before) and all(t.startswith(b) for t, b in zip(tokens, before, strict=False))


def fill_hits(db: peewee.Database, query: str, before: Hits | None = None) -> tuple[peewee.Node, Hits] | None:
    """Run a search once and keep its ids in :data:`HITS`: the expression that reads them back, and
    what :class:`Hits` says of them. None if ``query`` filters nothing or the table cannot be written
    (the caller then matches directly).

    A search keystroke asks three questions of the same match (how many, the first page, where the
    selected person stands); each would run the full-text match again (100,000 people and a word
    in nearly all of their notes: ~30 ms each, against ~13 ms to fill this table once).

    ``before``, the previous keystroke's hits, saves the filling when the new query is narrower
    ("roa" after "ro") and its parts count as many people as before with nothing written since:
    then they are the same people (a subset of equal size). Counting is cheap (~5 ms for 90,000
    matches); filling is not (~35 ms for 90,000 ids). Typing a word, its last letters rarely
    change who matches.
    """

    connection = db.connection()
    try:
        return reuse_or_fill_hits(db, _matches(query), query, before,
                                  lambda: (data_version(db), connection.total_changes), HITS,
                                  reset=("CREATE TEMP TABLE IF NOT EXISTS infoint_hits (id INTEGER PRIMARY KEY)",
                                         f"DELETE FROM {HITS}"), insert="INSERT OR IGNORE INTO {hits} (id) {part}")
    except sqlite3.OperationalError:
        return None


def reuse_or_fill_hits(db: peewee.Database, parts: list[Part] | None, query: str, before: Any,
                       stamp_now: Callable[[], tuple[int, int]], hits: str, *, reset: Sequence[str], insert: str,
                       distinct: bool = True, finish: Sequence[str] = (), finish_from: int = 0
                       ) -> tuple[peewee.Node, Hits] | None:
    """:func:`fill_hits` over a backend's ``parts``: its temp table ``hits`` (made empty by the statements
    of ``reset``, made ready to be read by those of ``finish``), the changes ``stamp_now`` counts (others',
    this connection's) and the INSERT of a part (``insert``, formatted with ``hits`` and ``part``), which
    skips ids already in when ``distinct`` (else the table may hold an id twice: reading it as
    ``id IN (...)`` does not mind, and each part's count is what its INSERT wrote). ``finish`` runs when
    the parts wrote ``finish_from`` ids or more."""
    import peewee

    if parts is None:
        return None
    tokens = tuple(_TOKEN.findall(query))
    if (before is not None and len(before.counts) == len(parts) and _narrower(tokens, before.tokens)
            and before.stamp == stamp_now()):
        counts = tuple(int(db.execute_sql(f"SELECT count(*) FROM ({part}) AS p", params).fetchone()[0])
                       for part, params in parts)
        if counts == before.counts:
            return peewee.SQL(f"(SELECT id FROM {hits})"), Hits(tokens, counts, before.total, before.stamp)
    for statement in reset:
        db.execute_sql(statement)
    counts_list = []
    # One statement each: as one UNION ALL it took ~37 ms against ~24 (SQLite).
    for i, (part, params) in enumerate(parts):
        cursor = db.execute_sql(insert.format(hits=hits, part=part), params)
        # The first part fills an empty table: all its ids are counted; later ones may repeat some.
        counts_list.append(cursor.rowcount if i == 0 or not distinct else
                           int(db.execute_sql(f"SELECT count(*) FROM ({part}) AS p", params).fetchone()[0]))
    for statement in finish if sum(counts_list) >= finish_from else ():
        db.execute_sql(statement)
    count = int(db.execute_sql(f"SELECT count({'' if distinct else 'DISTINCT '}id) FROM {hits}").fetchone()[0])
    return peewee.SQL(f"(SELECT id FROM {hits})"), Hits(tokens, tuple(counts_list), count, stamp_now())


# --- The app's first screen, before Peewee ------------------------------------------------

def page_facts(execute: Callable[[str, Sequence[Any]], Any], ids: Sequence[int], now: datetime
               ) -> dict[int, dict[str, Any]]:
    """What a page of people's badges need (``rows.summaries``' facts): the latest date of each of
    ``rows.BADGE_FACTS`` and the next planned meeting, in two grouped queries over the page's ids.
    ``execute`` runs SQL with parameters (``sqlite3.Connection.execute`` or the store's ``execute_sql``).

    Plain SQL text: building the same queries with Peewee took ~10 ms per 1,000 ids (the command
    line's list reads 100 such pages at 100,000 people)."""
    from . import rows

    if not ids:  # "IN ()" is SQLite's; PostgreSQL refuses it
        return {}
    marks = ", ".join("?" * len(ids))
    cases = ", ".join(f"MAX(CASE WHEN kind IN ({', '.join('?' * len(kinds))}) THEN at END) AS {name}"
                      for name, kinds in rows.BADGE_FACTS)
    kinds = [k.value for _, ks in rows.BADGE_FACTS for k in ks]
    cur = execute(f"SELECT contact_id AS cid, {cases} FROM event WHERE contact_id IN ({marks}) "
                  "GROUP BY contact_id", [*kinds, *ids])
    facts: dict[int, dict[str, Any]] = {r["cid"]: r for r in rows.dicts(cur)}
    utc_now = now.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    for cid, nxt in execute(f"SELECT contact_id, MIN(starts_at) FROM meeting WHERE contact_id IN ({marks}) "
                            "AND NOT held AND NOT cancelled AND starts_at >= ? GROUP BY contact_id", [*ids, utc_now]):
        facts.setdefault(cid, {})["next"] = nxt
    return facts


def read_setting(path: Path | str, key: str) -> str:
    """One setting read with plain sqlite3 before the app's first frame (the privacy mask must be on
    from the first frame, not a moment after); "" when unset or unreadable (the store says why later)."""
    try:
        con = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return ""
    try:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else ""
    except sqlite3.Error:
        return ""
    finally:
        con.close()


def first_screen(path: Path | str, page: int, schema: int, now: datetime
                 ) -> tuple[str, int, list[Summary]] | None:
    """(theme, how many people, the first ``page`` of them by name) read with plain sqlite3, for the
    app's first frame: Peewee and the store are imported after it (~40 ms at start-up). The same
    rows as ``Store.summaries(Filter(), 0, page, follow_ups=False)`` (a test checks it).

    None when the file is missing or not at schema ``schema`` (a new database, or one to upgrade):
    the caller opens the store the full way, which creates or upgrades it.

    Raises:
        StoreError: the file is not a database, is locked or cannot be read.
    """
    from . import rows

    p = Path(path)
    if not p.is_file():
        return None
    refuse_empty(p)
    try:
        tighten(p)  # as Store.open does: the file and its companions readable by the owner only
        con = sqlite3.connect(p, timeout=BUSY_TIMEOUT_S)
    except OSError as exc:
        raise StoreError(f"cannot open the database {p}: {exc.strerror}; check its permissions.") from exc
    except sqlite3.Error as exc:
        raise describe(exc, p) from exc
    try:
        if con.execute("PRAGMA user_version").fetchone()[0] != schema:
            return None
        theme = con.execute("SELECT value FROM setting WHERE key = 'theme'").fetchone()
        total = con.execute("SELECT count(id) FROM contact WHERE archived = 0").fetchone()[0]
        cur = con.execute(
            "SELECT c.id, c.name, c.title, c.stage, c.archived, c.last_activity, c.updated, "
            "co.name AS company_name FROM contact AS c LEFT OUTER JOIN company AS co ON c.company_id = co.id "
            "WHERE c.archived = 0 ORDER BY c.name_key, c.id LIMIT ?", (page,))
        people = rows.dicts(cur)
        facts = page_facts(con.execute, [r["id"] for r in people], now) if people else {}
        return (theme[0] if theme else ""), int(total), rows.summaries(people, facts)
    except sqlite3.Error as exc:
        raise describe(exc, p) from exc
    finally:
        con.close()


# --- who can have a follow-up (Store.followups, the list's thank-you badges) ---------------------

CAN_FOLLOW_UP = (
    "SELECT contact_id FROM event WHERE kind IN (?, ?, ?) OR (kind = ? AND stage_to = ?) "
    "UNION SELECT c.referred_by_id FROM contact AS c WHERE c.referred_by_id IS NOT NULL AND EXISTS (SELECT 1 "
    "FROM event AS e WHERE e.contact_id = c.id AND (e.kind = ? OR (e.kind = ? AND e.stage_to = ?)))")
"""The people who can have a follow-up at all (domain.followups.compute): an outreach (next-contact,
nudge), a decline (ask-referral), a call held or a move to met (thank-you, report-back,
keep-in-touch: the only sources of a call, ``effective``), or someone they referred met
(thank-introducer: a call logged with them, or a move to met by hand, as ``calls_held`` reads it).
Everyone else's rules give nothing: their histories need not be read. (The referrers from the people
referred, by their index: joined to the events, SQLite scanned all of them, ~20 ms at 100,000 people.)"""
CAN_FOLLOW_UP_PARAMS = (Kind.OUTREACH.value, Kind.DECLINED.value, Kind.CALL.value, Kind.STAGE.value,
                        Stage.MET.value, Kind.CALL.value, Kind.STAGE.value, Stage.MET.value)

IDS_FROM_JSON = "SELECT value FROM json_each(?)"
"""The ids of a JSON array given as one parameter, as a SELECT (SQLite's json_each; PostgreSQL would say
``SELECT json_array_elements_text(?::json)::int``): thousands of ids without thousands of parameters."""

MAY_OWE_THANKS = "SELECT contact_id FROM event WHERE kind = ? OR (kind = ? AND stage_to = ?)"
"""The people who can owe a thank-you: a call held, or a move to met (what ``effective`` reads as one)."""
MAY_OWE_THANKS_PARAMS = (Kind.CALL.value, Kind.STAGE.value, Stage.MET.value)


def _stage_index(column: str) -> str:
    return "CASE " + column + "".join(f" WHEN '{s.value}' THEN {s.index}" for s in Stage) + " END"


OWE_THANKS = (
    "SELECT contact_id, MAX(CASE WHEN kind = ? OR (kind = ? AND (stage_to = ? OR (stage_from IS NOT NULL AND "
    f"{_stage_index('stage_to')} < {_stage_index('stage_from')}))) THEN 1 ELSE 0 END) "
    "FROM event WHERE kind IN (?, ?, ?){among} GROUP BY contact_id "
    "HAVING MAX(CASE WHEN kind = ? OR (kind = ? AND stage_to = ?) THEN 1 ELSE 0 END) = 1")
"""The people who :data:`MAY_OWE_THANKS` (archived ones too: the caller asks only of the active), each
with whether something could end or take back what they owe (1) or not (0): a thank-you (logged, or a
move to thanked), a move back (which takes back what the moves by hand stood for). Someone with
neither, and no answer of the user to a thank-you (:data:`ANSWERED_THANKS`: done, dismissed, snoozed,
anchored on one call), surely owes one, as the rules would say; the rules (``domain.followups``) decide
for the others; a test compares both on random histories. One pass over the events (``{among}``: an
optional `` AND contact_id IN (...)``): ~50 ms at 100,000 people, against ~115 ms for two correlated
subqueries per person."""
OWE_THANKS_PARAMS = (Kind.THANK_YOU.value, Kind.STAGE.value, Stage.THANKED.value,
                     Kind.CALL.value, Kind.STAGE.value, Kind.THANK_YOU.value)
"""The parameters before ``{among}``'s; :data:`OWE_THANKS_HAVING` after them."""
OWE_THANKS_HAVING = MAY_OWE_THANKS_PARAMS
ANSWERED_THANKS = "SELECT contact_id FROM followup WHERE rule = ?"
"""Who answered a thank-you follow-up (done, dismissed, snoozed): the rules decide whether one is open."""
ANSWERED_THANKS_PARAMS = ("thank-you",)


# --- the open follow-ups, computed ahead (schema 8: Store.followups, the agenda) ------------------
# ``followup_open`` holds what the rules gave each person when last computed; triggers mark stale
# (``followup_stale``) whoever a change may concern, whatever wrote it (the store, an older infoint, a
# sqlite3 shell), and the store recomputes them (FollowupsMixin). The marks, in standard SQL: the same
# statements serve PostgreSQL's trigger functions (.postgres.create_followup_triggers).

def _kinds() -> tuple[list[str], list[str]]:
    """The kinds of event the rules never read (``FollowupsMixin._facts`` reads the interactions and the
    moves: a "created" or "edited" line concerns nobody's follow-ups), and those of an answer, which ends
    the next-contact of whoever at the same company awaits one (``company_answers``). (Imported here:
    this module is read before the app's first frame, the rules after it.)"""
    from ..domain.followups import ANSWERS, INTERACTIONS

    read = {k.value for k in (*INTERACTIONS, Kind.STAGE)}
    return sorted(k.value for k in Kind if k.value not in read), sorted(k.value for k in ANSWERS)


def _listed(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # the enum's own values: no quote in any of them


def _stale(select: str) -> str:
    return f"INSERT INTO followup_stale (contact_id) {select} ON CONFLICT DO NOTHING"


def rule_event(row: str) -> str:
    """Whether an event (``row``: NEW or OLD in a trigger) may be one the rules read: not one of the others
    (a kind added later counts until said otherwise). Comparisons, not ``IN (…)``: SQLite builds the list
    for every row, and an import of 100,000 people (each one a "created" event) took 0.17 s longer."""
    return "(" + " AND ".join(f"{row}.kind <> '{k}'" for k in _kinds()[0]) + ")"


def stale_marks(row: str) -> list[str]:
    """The statements marking stale whom an event the rules read (``row``: NEW or OLD in a trigger, see
    :func:`rule_event`) concerns: its person, whoever introduced them (their thank-introducer reads this
    person's calls), and, for an answer, everyone at the person's company who ever wrote to someone (the
    only ones whose rules read it)."""
    return [
        _stale(f"SELECT {row}.contact_id WHERE {row}.contact_id IS NOT NULL"),
        _stale(f"SELECT referred_by_id FROM contact WHERE id = {row}.contact_id AND referred_by_id IS NOT NULL"),
        _stale("SELECT p.id FROM contact AS c JOIN contact AS p ON p.company_id = c.company_id "
               f"WHERE c.id = {row}.contact_id AND {row}.kind IN ({_listed(_kinds()[1])}) "
               f"AND EXISTS (SELECT 1 FROM event AS o WHERE o.contact_id = p.id AND o.kind = '{Kind.OUTREACH.value}')"),
    ]


def person_marks(old: str, new: str | None) -> list[str]:
    """The statements marking stale whom a change to a person concerns (``new`` None: erased): them (their
    name, company, archiving), their introducers before and after (whose thank-you to them names them and
    reads their calls), and the people who wrote to someone at their companies before and after (whose
    next-contact reads their answers)."""
    ids = f"{old}.referred_by_id" + (f", {new}.referred_by_id" if new else "")
    companies = f"{old}.company_id" + (f", {new}.company_id" if new else "")
    return [
        # Them: erased too (their rows go with them by the cascade, but not if a shell's foreign keys are off).
        _stale(f"SELECT {new or old}.id WHERE {new or old}.id IS NOT NULL"),
        _stale(f"SELECT id FROM contact WHERE id IN ({ids})"),
        _stale(f"SELECT p.id FROM contact AS p WHERE p.company_id IN ({companies}) AND EXISTS "
               f"(SELECT 1 FROM event AS o WHERE o.contact_id = p.id AND o.kind = '{Kind.OUTREACH.value}')"
               + (f" AND ({old}.company_id IS NULL OR {new}.company_id IS NULL OR {old}.company_id <> {new}.company_id)"
                  if new else "")),
    ]


COMPANY_MARKS = [_stale("SELECT id FROM contact WHERE company_id = NEW.id")]
"""A company renamed: its people's next-contact names it."""

PERSON_CHANGED = ("OLD.name IS NOT NEW.name OR OLD.company_id IS NOT NEW.company_id OR "
                  "OLD.referred_by_id IS NOT NEW.referred_by_id OR OLD.archived IS NOT NEW.archived")


def hold_marks(db: peewee.SqliteDatabase) -> None:
    """Nothing to do: this transaction holds the file's write lock, so no other writer can mark anyone
    until it commits (see :func:`.postgres.hold_marks`)."""


def create_followup_triggers(db: peewee.SqliteDatabase) -> None:
    """The triggers keeping ``followup_stale`` (schema 8)."""
    def trigger(name: str, when: str, body: list[str]) -> None:
        db.execute_sql(f"CREATE TRIGGER {name} {when} BEGIN " + "".join(f"{s}; " for s in body) + "END")

    trigger("followup_event_insert", f"AFTER INSERT ON event WHEN {rule_event('NEW')}", stale_marks("NEW"))
    # INSERT OR REPLACE (a shell's) deletes the row it replaces without its delete trigger: marked before.
    # NEW.id is -1 here unless given: an import's events skip the body (~0.01 s per 100,000 rows).
    trigger("followup_event_replace", "BEFORE INSERT ON event WHEN NEW.id >= 0", [
        _stale("SELECT contact_id FROM event WHERE id = NEW.id"),
        _stale("SELECT c.referred_by_id FROM event AS e JOIN contact AS c ON c.id = e.contact_id "
               "WHERE e.id = NEW.id AND c.referred_by_id IS NOT NULL"),
        _stale("SELECT p.id FROM event AS e JOIN contact AS c ON c.id = e.contact_id "
               "JOIN contact AS p ON p.company_id = c.company_id "
               f"WHERE e.id = NEW.id AND e.kind IN ({_listed(_kinds()[1])}) AND EXISTS "
               f"(SELECT 1 FROM event AS o WHERE o.contact_id = p.id AND o.kind = '{Kind.OUTREACH.value}')")])
    trigger("followup_event_delete", f"AFTER DELETE ON event WHEN {rule_event('OLD')}", stale_marks("OLD"))
    trigger("followup_event_update", f"AFTER UPDATE ON event WHEN {rule_event('OLD')} OR {rule_event('NEW')}",
            stale_marks("OLD") + stale_marks("NEW"))
    trigger("followup_person_update", f"AFTER UPDATE ON contact WHEN {PERSON_CHANGED}", person_marks("OLD", "NEW"))
    trigger("followup_person_delete", "AFTER DELETE ON contact", person_marks("OLD", None))
    trigger("followup_company_rename", "AFTER UPDATE OF name ON company WHEN OLD.name IS NOT NEW.name",
            COMPANY_MARKS)
