"""POSTGRESQL-ONLY CODE LIVES HERE, AND ONLY HERE (the twin of :mod:`.sqlite`).

The same functions as :mod:`.sqlite`, for a database on a PostgreSQL server (``--db
postgresql://user@host/dbname``): connecting through libpq (psycopg 3, an optional extra imported
only when an address asks for it), the schema version in a table of its own, change signals between
machines (LISTEN/NOTIFY instead of SQLite's ``PRAGMA data_version``), and search on PostgreSQL's own
machinery (``tsvector`` with GIN indexes, prefix queries) in place of FTS5.

The rest of the store is shared: its raw SQL is standard SQL with ``?`` placeholders, which
:class:`Database` turns into psycopg's ``%s`` (the one translation, at the one door every statement
goes through). Which module serves a database is :func:`.backends.of`'s choice.
"""

from __future__ import annotations

import functools
import getpass
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import peewee

from ..domain.errors import Locked, StoreError
from .sqlite import (  # portable SQL and the search's rules, shared as they are
    ANSWERED_THANKS,
    ANSWERED_THANKS_PARAMS,
    CAN_FOLLOW_UP,
    CAN_FOLLOW_UP_PARAMS,
    COMPANY_MARKS,
    CREATED_EVENTS,
    MAY_OWE_THANKS,
    MAY_OWE_THANKS_PARAMS,
    NEW_CONTACT,
    OWE_THANKS,
    OWE_THANKS_HAVING,
    OWE_THANKS_PARAMS,
    Hits,
    compose_matches,
    literal_match,
    page_facts,
    person_marks,
    reuse_or_fill_hits,
    rule_event,
    stale_marks,
)

if TYPE_CHECKING:
    from ..paths import ServerAddress

__all__ = ["ANSWERED_THANKS", "ANSWERED_THANKS_PARAMS", "CAN_FOLLOW_UP", "CAN_FOLLOW_UP_PARAMS", "MAY_OWE_THANKS",
           "MAY_OWE_THANKS_PARAMS", "OWE_THANKS", "OWE_THANKS_HAVING", "OWE_THANKS_PARAMS", "Hits", "page_facts"]

SERVER = True
"""A database on a server: no file to back up or check, other machines may write."""
BUSY_TIMEOUT_S = 5
CHANNEL = "infoint"
"""The LISTEN/NOTIFY channel: every write transaction notifies it on commit."""
IDS_FROM_JSON = "SELECT value::bigint FROM json_array_elements_text(?::json) AS value"
"""The ids of a JSON array given as one parameter, as a SELECT (see :data:`.sqlite.IDS_FROM_JSON`)."""
VERSION_TABLE = "infoint_schema"
"""One row: the schema version (SQLite keeps it in ``PRAGMA user_version``)."""


# --- one door for every statement ---------------------------------------------------------

@functools.lru_cache(maxsize=1024)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders (the store's raw SQL, as SQLite takes it) as psycopg's ``%s``; a literal ``%``
    doubled. Peewee's own SQL (already ``%s``, no ``?``) comes out as it went in; ``?`` inside quotes
    stays."""
    if "?" not in sql:
        return sql
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(sql):
        ch = sql[i]
        if quote:
            if ch == quote:
                quote = ""
            out.append("%%" if ch == "%" else ch)
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%" and sql[i + 1:i + 2] != "s":
            out.append("%%")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class Signals:
    """What one connection heard on :data:`CHANNEL`: commits of others, and its own."""

    others: int = 0
    own: int = 0


class Database(peewee.PostgresqlDatabase):
    """Peewee's PostgreSQL database with the store's ``?`` placeholders, and a connection that listens
    for other machines' commits from the moment it opens."""

    def init(self, database: Any, **kwargs: Any) -> None:
        self._signals: dict[int, Signals] = {}
        self._lock_timeout = kwargs.pop("lock_timeout", BUSY_TIMEOUT_S)
        super().init(database, prefer_psycopg3=True, **kwargs)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        return super().execute_sql(to_pyformat(sql), params)

    def _connect(self) -> Any:
        conn = super()._connect()
        signals = self._signals[id(conn)] = Signals()
        pid = conn.info.backend_pid

        def heard(notify: Any) -> None:
            if notify.pid == pid:
                signals.own += 1
            else:
                signals.others += 1

        conn.add_notify_handler(heard)
        conn.execute(f"LISTEN {CHANNEL}")
        # A row another transaction holds is waited for this long, then "locked" (SQLite's busy timeout).
        conn.execute(f"SET lock_timeout = '{int(self._lock_timeout * 1000)}ms'")
        return conn

    def _close(self, conn: Any) -> None:
        self._signals.pop(id(conn), None)
        super()._close(conn)

    def signals(self) -> Signals:
        """This thread's connection's signals (it is opened if need be)."""
        return self._signals[id(self.connection())]


# --- connecting ----------------------------------------------------------------------------

def _driver() -> None:
    """Import psycopg and give it to Peewee, which was imported without it (see ``store/__init__``):
    the module globals and the adapter's status constants Peewee sets when it finds psycopg itself."""
    if peewee.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg, peewee.TransactionStatus = psycopg, TransactionStatus
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle, adapter.txn_inerror = TransactionStatus.IDLE, TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


def connect(address: ServerAddress, *, create: bool = True, timeout: float = BUSY_TIMEOUT_S) -> Database:
    """Open the database at ``address`` (it must exist on the server: infoint creates tables, not
    databases). libpq finds the password by itself (``PGPASSWORD``, ``~/.pgpass``, a service file).

    Raises:
        StoreError: no driver, the server cannot be reached, refuses us, or has no such database.
    """
    try:
        _driver()
    except ImportError as exc:
        raise StoreError(f"PostgreSQL needs the psycopg driver, which is not installed; run: pip install "
                         f"'infoint-tui[postgresql]' (then open {address} again).") from exc
    from psycopg.conninfo import conninfo_to_dict

    try:  # the URL or the key=value form, as libpq reads it (a parameter it does not know: one line)
        params: dict[str, Any] = conninfo_to_dict(address.url)
    except Exception as exc:  # psycopg.ProgrammingError
        raise describe(exc, address) from exc
    # Defaults only: what the address says (connect_timeout=2, its own application_name) wins.
    for key, value in (("connect_timeout", 10), ("application_name", "infoint")):
        params.setdefault(key, value)
    # Peewee wants the database's name apart; libpq's default for it is the user's name.
    dbname = (params.pop("dbname", None) or os.environ.get("PGDATABASE") or params.get("user")
              or os.environ.get("PGUSER") or getpass.getuser())
    db = Database(dbname, lock_timeout=timeout, **params)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # psycopg's own errors while connecting, or Peewee's wrapping of them
        db.close()
        raise describe(exc, address) from exc
    return db


def enable_wal(db: peewee.Database, path: object) -> None:
    """Nothing to do: the server has its own write-ahead log."""


def revive(db: peewee.Database) -> None:
    """Drop this thread's connection if the server ended it (a restart, a network gone): the next
    statement connects again (and LISTENs again) instead of failing for the rest of the session. Only
    outside a transaction: nothing half-done is ever retried."""
    if db.is_closed() or db.transaction_depth() > 0:
        return
    conn = db._state.conn
    if conn is not None and (conn.closed or conn.broken):
        try:
            db.close()
        except Exception:  # closing a dead connection may fail; it is gone either way
            db._state.reset()


def read_transaction(db: peewee.Database) -> AbstractContextManager[Any]:
    """One snapshot for several queries (REPEATABLE READ), which never waits for a writer."""
    if db.transaction_depth() > 0:
        return db.atomic()  # a savepoint of the transaction in force
    return db.atomic(isolation_level="REPEATABLE READ")


def notify(db: peewee.Database) -> None:
    """Tell every listening connection (other machines' apps) that this transaction changed something:
    delivered when it commits, dropped with it if it rolls back."""
    db.execute_sql(f"NOTIFY {CHANNEL}")


def data_version(db: Database) -> int:
    """How many commits of other connections this one has heard of (:func:`.sqlite.data_version`'s
    twin): a trivial query lets the connection read what the server sent it."""
    db.execute_sql("SELECT 1")
    return db.signals().others


def own_changes(db: Database) -> int:
    """How many transactions this connection has committed (SQLite's ``total_changes`` for
    :func:`fill_hits`)."""
    return db.signals().own


def executemany(db: peewee.Database, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """One statement for many rows (psycopg pipelines them)."""
    if rows:
        with peewee.__exception_wrapper__:  # psycopg's errors as Peewee's, as every other statement's
            db.cursor().executemany(to_pyformat(sql), rows)


def after_explicit_ids(db: peewee.Database, tables: Iterable[str]) -> None:
    """Move each table's id sequence past its largest id: rows inserted with their ids (an import, a
    copy) do not advance it, and the next row added would then take an id that is in use."""
    for table in tables:
        db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")


WRITE_LOCK = 0x1F0_1F0
"""The advisory lock every infoint write transaction holds (:func:`begin_write`)."""


@contextmanager
def without_waiting(db: peewee.Database) -> Iterator[None]:
    """The transactions begun in it fail at once ("busy") if another writer holds the write lock
    (:func:`begin_write`), instead of waiting ``lock_timeout`` for it (see :func:`.sqlite.without_waiting`)."""
    (waited,) = db.execute_sql("SHOW lock_timeout").fetchone()
    db.execute_sql("SET lock_timeout = 1")
    try:
        yield
    finally:
        db.execute_sql("SELECT set_config('lock_timeout', ?, false)", (waited,))


def begin_write(db: peewee.Database) -> None:
    """Take the database's write lock for this transaction, as SQLite's IMMEDIATE transactions do: one
    infoint writer at a time, each seeing everything committed before it. The store's writes read and
    then write (the undo journal's before and after, an import's next ids, a card's place in its
    column): under READ COMMITTED alone, another machine's write could land in between and be taken for
    part of this change (and undone with it). Readers never wait for it. Released at commit or rollback;
    waited for ``lock_timeout`` at most, then "busy"."""
    db.execute_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


class ImportKeys:
    """An import's keys (see :class:`.sqlite.ImportKeys`): temporary tables here, which live on the
    server, made in the import's transaction and gone at its end (``ON COMMIT DROP``, or its rollback)."""

    KINDS = ("url", "email", "name")

    def __init__(self, db: peewee.Database) -> None:
        self._db = db
        for kind in self.KINDS:
            db.execute_sql(f"DROP TABLE IF EXISTS pg_temp.infoint_import_{kind}")
            db.execute_sql(f"CREATE TEMP TABLE infoint_import_{kind} (key TEXT COLLATE \"C\" NOT NULL, "
                           "seq BIGINT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (key, seq)) ON COMMIT DROP")

    def holders(self, kind: str, keys: Sequence[str]) -> Iterator[tuple[str, int, int]]:
        """(key, seq, id) of each holder of one of ``keys`` of ``kind``."""
        for i in range(0, len(keys), 1000):
            part = keys[i:i + 1000]
            yield from self._db.execute_sql(f"SELECT key, seq, id FROM pg_temp.infoint_import_{kind} WHERE key IN "
                                            f"({', '.join('?' * len(part))})", part).fetchall()

    def add(self, kind: str, rows: Sequence[tuple[str, int, int]]) -> None:
        """Write (key, seq, id) rows of ``kind``."""
        executemany(self._db, f"INSERT INTO pg_temp.infoint_import_{kind} (key, seq, id) VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        """Nothing to do: the tables go with the transaction."""


def open_import_keys(db: peewee.Database, path: object) -> ImportKeys:
    """A new, empty :class:`ImportKeys` for an import, in the caller's transaction."""
    return ImportKeys(db)


# --- the schema's version and shape ---------------------------------------------------------

def user_version(db: peewee.Database) -> int:
    """The schema version stamped in the database (0: none yet)."""
    if db.execute_sql("SELECT to_regclass(?)", (VERSION_TABLE,)).fetchone()[0] is None:
        return 0
    row = db.execute_sql(f"SELECT version FROM {VERSION_TABLE}").fetchone()
    return int(row[0]) if row else 0


def set_user_version(db: peewee.Database, version: int) -> None:
    """Stamp the schema version (in the migration's transaction: PostgreSQL's DDL is transactional)."""
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)")
    db.execute_sql(f"DELETE FROM {VERSION_TABLE}")
    db.execute_sql(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (int(version),))


def table_names(db: peewee.Database) -> list[str]:
    """The tables of the schema in use (its search path's first), but the version's."""
    return [t for t in db.get_tables() if t != VERSION_TABLE]


def after_step(db: peewee.Database) -> None:
    """After each migration step: text columns as ``text`` with the "C" collation. Peewee makes a
    CharField ``VARCHAR(255)`` (SQLite ignores the length; a long address would be refused here), and
    the database's collation would sort names unlike SQLite's byte order (and unlike each other's
    servers): the list's order must not depend on where the data lives."""
    rows = db.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND data_type IN ('character varying', 'text') AND (data_type <> 'text' OR collation_name IS NULL "
        "OR collation_name <> 'C') ORDER BY table_name, ordinal_position").fetchall()
    for table, column in rows:
        db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE text COLLATE "C"')
    if ("contact", "last_activity") in {tuple(r) for r in db.execute_sql(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name = 'last_activity'").fetchall()}:
        for name, on in ORDER_INDEXES:
            db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")


ORDER_INDEXES = (("contact_board_by_activity", "contact (archived, stage, last_activity DESC NULLS LAST, id DESC)"),
                 ("contact_list_by_activity", "contact (archived, last_activity DESC NULLS LAST, id DESC)"))
"""The orders of a board column and of the list by activity, as the store asks for them ("DESC NULLS
LAST", SQLite's own order for DESC): PostgreSQL puts NULLs first in DESC, and could not read the
ascending indexes backwards for it: each column's page sorted its whole stage (12-25 ms at 100,000
people, 0.1 ms with these)."""


def server_version(db: peewee.Database) -> str:
    """The server's version ("16.2")."""
    return str(db.execute_sql("SHOW server_version").fetchone()[0]).split()[0]


def quick_check(db: peewee.Database) -> str:
    """The server checks its own pages; "ok" when it answers."""
    db.execute_sql("SELECT 1")
    return "ok"


def integrity_problems(db: peewee.Database) -> list[str]:
    """None to report: the server enforces the foreign keys at every statement."""
    return []


# --- errors ---------------------------------------------------------------------------------

def _sqlstate(exc: BaseException) -> str:
    for e in (exc, exc.__cause__, exc.__context__):
        state = getattr(e, "sqlstate", None)
        if state:
            return str(state)
    return ""


def describe(exc: BaseException, where: object) -> StoreError:
    """A PostgreSQL/psycopg/Peewee error as one readable line (never the password: ``where`` is shown
    by its ``str``, the address without it)."""
    state = _sqlstate(exc)
    scrub = getattr(where, "scrub", None) or (lambda text: text)  # libpq may quote the password it was given
    first = scrub((str(exc).strip().splitlines() or [type(exc).__name__])[0])
    msg = str(exc).lower()
    if state in ("55P03", "40001", "40P01") or "lock timeout" in msg:
        return Locked(f"the database {where} is busy with another writer; try again in a moment.")
    if ("invalid uri" in msg or "invalid connection option" in msg or "invalid integer value" in msg
            or "servname not supported" in msg or "invalid sslmode" in msg or "missing \"=\"" in msg
            or "percent-encoded" in msg or "unexpected spaces" in msg or ("invalid" in msg and "conninfo" in msg)):
        return StoreError(f"the database address {where} is not valid ({first}); write it as "
                          "postgresql://user@host:port/dbname?param=value with libpq's parameters.")
    if state == "3D000" or ("database" in msg and "does not exist" in msg):
        return StoreError(f"there is no such database on the server ({where}); create it first "
                          "(createdb NAME, or CREATE DATABASE on the server).")
    if "role" in msg and "does not exist" in msg:
        return StoreError(f"the server has no such user ({first.split('FATAL:')[-1].strip()}) for {where}; put the "
                          "right one in the address (postgresql://USER@host/dbname).")
    if state == "28P01" or "password authentication failed" in msg or "no password supplied" in msg:
        return StoreError(f"the server refused the login for {where}; put the password in PGPASSWORD or "
                          "~/.pgpass (mode 0600), never in the address.")
    if state.startswith("28") or "pg_hba.conf" in msg:
        return StoreError(f"the server refused the connection to {where} ({first}); check the user and the "
                          "server's pg_hba.conf.")
    if state == "42501":
        return StoreError(f"the database user has no permission for this on {where} ({first}); ask for "
                          "the rights or use another database.")
    if state == "25006" or "read-only transaction" in msg:
        return StoreError(f"the database {where} is read-only (a standby, or a read-only user); use the "
                          "primary server.")
    if state in ("53100",) or "could not extend file" in msg or "no space left" in msg:
        return StoreError(f"the server's disk holding {where} is full; free some space and try again.")
    if (state.startswith("08") or "connection" in msg or "server closed" in msg or "could not" in msg
            or "failed to resolve host" in msg):
        return StoreError(f"cannot reach the PostgreSQL server for {where} ({first}); check that it runs, the "
                          "host and port, and the network.")
    return StoreError(f"database error on {where}: {first}")


# --- search: tsvector and GIN, prefix queries ------------------------------------------------
# One row per contact for their fields (search_contact) and one per contact for all their notes
# (search_notes), kept in the same transaction as the rows they index, as the FTS5 tables are.
# Words are split, case-folded and stripped of accents here, in Python, the same way for what is
# indexed and what is typed (no server extension needed: unaccent is contrib, not always there),
# and stored as the set of a person's distinct words (array_to_tsvector: no parser in between).

_WORD = re.compile(r"[^\W_]+")
MAX_WORD_BYTES = 2000
"""PostgreSQL refuses a lexeme over 2 KiB: such a "word" (a pasted blob) is left out of the index."""
MAX_INDEX_BYTES = 900_000
"""A tsvector holds at most 1 MiB: a person's distinct words are indexed up to this much (a note is
never refused for its size: searching misses only the words past it)."""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The distinct words of ``text``, as the index holds them (FTS5's unicode61 with diacritics removed
    splits text the same way: letters and digits are word characters, the rest separate)."""
    seen: dict[str, None] = {}
    size = 0
    for w in _WORD.findall(_fold(text)):
        if w in seen:
            continue
        n = len(w.encode()) + 8
        if n > MAX_WORD_BYTES or size + n > MAX_INDEX_BYTES:
            continue
        seen[w] = None
        size += n
    return list(seen)


def create_search(db: peewee.Database) -> None:
    """The search tables (part of the first migration; notes by person from the start, which SQLite
    reached at schema 5)."""
    for table in ("search_contact", "search_notes"):
        db.execute_sql(f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, words tsvector NOT NULL)")
        db.execute_sql(f"CREATE INDEX {table}_words ON {table} USING gin (words)")


def index_notes_by_person(db: peewee.Database) -> None:
    """Schema 5: notes are indexed by person already (see :func:`create_search`)."""
    reindex_all_notes(db)


def _upsert(db: peewee.Database, table: str, rows: Sequence[tuple[int, list[str]]]) -> None:
    executemany(db, f"INSERT INTO {table} (id, words) VALUES (?, array_to_tsvector(?::text[])) "
                    "ON CONFLICT (id) DO UPDATE SET words = excluded.words", rows)


def reindex_all_notes(db: peewee.Database) -> None:
    """Index every person's notes again (after a bulk load)."""
    db.execute_sql("DELETE FROM search_notes")
    batch: list[tuple[int, list[str]]] = []
    for cid, text in db.execute_sql("SELECT contact_id, string_agg(text, E'\\n' ORDER BY id) FROM note "
                                    "GROUP BY contact_id").fetchall():
        batch.append((cid, words(text or "")))
        if len(batch) >= 1000:
            _upsert(db, "search_notes", batch)
            batch = []
    _upsert(db, "search_notes", batch)


def index_contact(db: peewee.Database, contact_id: int, name: str, company: str, title: str, tags: str) -> None:
    """(Re)index one contact's searchable fields."""
    index_contacts(db, [(contact_id, name, company, title, tags)])


def index_contacts(db: peewee.Database, rows: Iterable[tuple[int, str, str, str, str]]) -> None:
    """(Re)index many contacts' fields."""
    _upsert(db, "search_contact", [(cid, words(" ".join(fields))) for cid, *fields in rows])


class NewPeople:
    """Writes an import's new people a chunk at a time (see :class:`.sqlite.NewPeople`): here at once, in
    this thread (the search index's words are split in Python)."""

    def __init__(self, db: peewee.Database) -> None:
        self.db = db

    def write(self, contacts: Sequence[Sequence[Any]], tags: Sequence[Sequence[Any]], first: int, last: int,
              kind: str, stage: str, stamp: str) -> Callable[[], None]:
        """Write the people ``contacts`` and their ``tags``, with their creation events and index."""
        executemany(self.db, NEW_CONTACT, [(*row, stage, stamp, stamp, stamp) for row in contacts])
        executemany(self.db, "INSERT INTO tag (contact_id, name) VALUES (?, ?)", tags)
        self.db.execute_sql(CREATED_EVENTS, (kind, stage, first, last))
        index_contacts(self.db, self.db.execute_sql(
            "SELECT c.id, c.name, coalesce(co.name, ''), c.title, "
            "coalesce((SELECT string_agg(t.name, ' ') FROM tag AS t WHERE t.contact_id = c.id), '') "
            "FROM contact AS c LEFT OUTER JOIN company AS co ON co.id = c.company_id WHERE c.id BETWEEN ? AND ?",
            (first, last)).fetchall())
        return _nothing

    def close(self) -> None:
        """Nothing to drop."""


def _nothing() -> None:
    """Nothing to wait for."""


def unindex_contact(db: peewee.Database, contact_id: int) -> None:
    """Drop a contact and their notes from the index."""
    db.execute_sql("DELETE FROM search_contact WHERE id = ?", (contact_id,))
    db.execute_sql("DELETE FROM search_notes WHERE id = ?", (contact_id,))


def index_notes_of(db: peewee.Database, contact_id: int) -> None:
    """(Re)index one person's notes, after one of them was added, changed or deleted."""
    texts = [t for (t,) in db.execute_sql("SELECT text FROM note WHERE contact_id = ? ORDER BY id", (contact_id,))]
    if texts:
        _upsert(db, "search_notes", [(contact_id, words("\n".join(texts)))])
    else:
        db.execute_sql("DELETE FROM search_notes WHERE id = ?", (contact_id,))


def ts_query(text: str) -> str | None:
    """What the user typed as a tsquery's text: every word, as a prefix, all of them (None: no word).
    Each word is a quoted lexeme, so nothing typed is query syntax (``eve"``, ``AND``, ``(``, ``!``)."""
    found = words(text.replace("\x00", ""))
    if not found:
        return None
    return " & ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "':*" for w in found)


def _literal(token: str) -> tuple[str, list[str]]:
    return literal_match(token, "strpos")


def _matches(query: str) -> list[tuple[str, list[Any]]] | None:
    """SELECTs of the ids of the contacts matching ``query`` (:func:`.sqlite.compose_matches`: the same rules)."""
    return compose_matches(
        query, ts_query(query),
        lambda q: [("SELECT id FROM search_notes WHERE words @@ ?::tsquery", [q]),
                   ("SELECT id FROM search_contact WHERE words @@ ?::tsquery", [q])],
        _literal,
        lambda needle: ("SELECT id FROM contact WHERE strpos(name, ?) > 0 "
                        "OR company_id IN (SELECT id FROM company WHERE strpos(name, ?) > 0)", [needle, needle]))


def search_clause(query: str, id_field: peewee.Field) -> peewee.Expression | None:
    """A WHERE expression for the contacts matching ``query`` (None: no filter)."""
    parts = _matches(query)
    if parts is None:
        return None
    sql = " UNION ALL ".join(f"({part})" for part, _ in parts)
    return id_field.in_(peewee.SQL(f"({sql})", [p for _, params in parts for p in params]))


HITS = "pg_temp.infoint_hits"


def fill_hits(db: Database, query: str, before: Hits | None = None) -> tuple[peewee.Node, Hits] | None:
    """Run a search once into a temporary table (see :func:`.sqlite.fill_hits`: the same reuse rule, with
    other machines' commits and this connection's own as the stamp)."""
    # A new table each time, filled without a key (an id found by two parts is there twice), then indexed
    # and analysed: at 100,000 people a word in nearly every note (~90,000 ids) took 155-200 ms to insert
    # through a key (ON CONFLICT DO NOTHING), ~35 ms without, and 68 ms more for the fields' part without
    # its repeats (EXCEPT); the index then takes ~15 ms and ANALYZE ~10 ms, and with them the list's page
    # walks the name index and stops after a page (~1 ms) instead of joining and sorting everyone (~175 ms).
    return reuse_or_fill_hits(
        db, _matches(query), query, before, lambda: (data_version(db), own_changes(db)), HITS,
        reset=(f"DROP TABLE IF EXISTS {HITS}", "CREATE TEMP TABLE infoint_hits (id BIGINT NOT NULL)"),
        insert="INSERT INTO {hits} (id) {part}", distinct=False,
        finish=(f"CREATE INDEX ON {HITS} (id)", f"ANALYZE {HITS}"), finish_from=HITS_INDEXED_FROM)


HITS_INDEXED_FROM = 5000
"""Hits indexed and analysed from this many ids: fewer are joined well without (the planner's default
guess for a table without statistics is of that order), and the two statements cost ~6 ms at any size."""


def backup(db: peewee.Database, target: object) -> None:
    """No file to copy: ``infoint backup`` writes a JSON export of a server's database, or use pg_dump.

    Raises:
        StoreError: always (the command line does the export instead).
    """
    raise StoreError("a PostgreSQL database is backed up as a JSON export ('infoint backup' writes one; "
                     "'infoint import FILE' restores it into an empty database) or with pg_dump.")


# --- the open follow-ups, computed ahead (schema 8; see the same section of .sqlite) --------------

PERSON_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ("name", "company_id", "referred_by_id",
                                                                          "archived"))


def hold_marks(db: peewee.Database) -> None:
    """Keep every other transaction from marking anyone stale until this one ends, and wait for those
    that did to end: the marks read after it are all there will be, and the histories read after it
    include what made them. (Another infoint waits for the advisory lock anyway; this is for a program
    that writes without it, psql or a script: under READ COMMITTED its mark, committed between our read
    of the marks and our DELETE of them, was deleted with them, its person never computed again.)"""
    db.execute_sql("LOCK TABLE followup_stale IN SHARE ROW EXCLUSIVE MODE")


def create_followup_triggers(db: peewee.Database) -> None:
    """The triggers keeping ``followup_stale`` (schema 8): the statements of :mod:`.sqlite`'s, run by
    trigger functions."""
    def function(name: str, body: str) -> None:
        db.execute_sql(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
                       "RETURN NULL; END $$")

    def run(statements: list[str]) -> str:
        return "".join(f"{s}; " for s in statements)

    function("followup_event_marks",
             f"IF TG_OP <> 'INSERT' AND {rule_event('OLD')} THEN {run(stale_marks('OLD'))}END IF; "
             f"IF TG_OP <> 'DELETE' AND {rule_event('NEW')} THEN {run(stale_marks('NEW'))}END IF;")
    function("followup_person_marks",
             f"IF TG_OP = 'DELETE' THEN {run(person_marks('OLD', None))}"
             f"ELSIF {PERSON_CHANGED} THEN {run(person_marks('OLD', 'NEW'))}END IF;")
    function("followup_company_marks",
             f"IF OLD.name IS DISTINCT FROM NEW.name THEN {run(COMPANY_MARKS)}END IF;")
    for table, events, name in (("event", "INSERT OR UPDATE OR DELETE", "followup_event_marks"),
                                 ("contact", "UPDATE OR DELETE", "followup_person_marks"),
                                 ("company", "UPDATE", "followup_company_marks")):
        db.execute_sql(f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
