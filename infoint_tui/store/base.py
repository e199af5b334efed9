"""What every facet of the :class:`~.store.Store` shares: the base class they are mixins on.

Opening, closing and guarding (every public method binds this store's database for the models on
the calling thread and turns database errors into one-line StoreErrors), transactions, rows into
domain records, the cache of compiled queries (the list's badges and the follow-up facts both run
through it), and the few helpers that writes in more than one facet share (an event in the history,
a person's last activity, a note, the search index). A facet needing another facet's helper gets it
moved here: facets never import one another.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Self, TypeVar

import peewee

from ..domain.companies import CompanyRef, need_company, pick_company
from ..domain.corrections import stage_from_history
from ..domain.dates import utcnow
from ..domain.errors import NotFound, StoreError
from ..domain.model import Contact, Detail, Event, Filter, Meeting, Note, Summary
from ..domain.pipeline import ArchiveReason, Kind, Medium, Source, Stage
from ..domain.text import MAX_NOTE, check_length, clean_note, company_key
from . import backends, migrations, sqlite
from . import rows as rows_
from .tables import CompanyRow, ContactRow, EventRow, MeetingRow, NoteRow, TagRow, database

if TYPE_CHECKING:
    from ..domain.followups import FollowUp, Rules
    from ..paths import ServerAddress

P = ParamSpec("P")
T = TypeVar("T")

Clock = Callable[[], datetime]


def _guarded(method: Callable[P, T]) -> Callable[P, T]:
    """Bind the store's database for the models on this thread, and turn database errors raised by a
    Store method into one-line StoreErrors."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        store = args[0]
        database.obj = store.db  # type: ignore[attr-defined]  # the models use this store's database
        store.sql.revive(store.db)  # type: ignore[attr-defined]  # a server's dropped connection: a new one
        try:
            return method(*args, **kwargs)
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            raise store.sql.describe(exc, store.path) from exc  # type: ignore[attr-defined]

    return wrapper


_MARK = -(2**62)
"""Stand-in ids (no row has them) marking where the real ids go in a compiled query (Store._by_ids)."""


class StoreBase:
    """The store's state and the helpers its facets share (see the module docstring)."""

    def __init__(self, db: peewee.Database, path: Path | str | ServerAddress, clock: Clock = utcnow) -> None:
        """Wrap an open, upgraded database; use :meth:`open`."""
        self.db = db
        self.sql = backends.of(db)
        """The module that speaks this database's own SQL (:mod:`.sqlite` or :mod:`.postgres`)."""
        self.path = path
        """Where the database is: a file's path, or a server's address (``str`` shows it without a password)."""
        self.clock = clock
        self.migrated_from = 0
        self._compiled: dict[tuple[str, int], tuple[str, list[Any], list[tuple[int, int]]]] = {}
        self._hits: tuple[str, peewee.Node, int] | None = None
        """A search matched once (:meth:`_searched_once`): its query, the expression reading its ids and
        how many there are."""
        self._last_hits: sqlite.Hits | None = None
        """What the last search put in the hits table: the next keystroke may find the same people."""

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | ServerAddress, clock: Clock = utcnow, *, create: bool = True,
             timeout: float = sqlite.BUSY_TIMEOUT_S, check: bool = False) -> Self:
        """Open (creating if needed) and upgrade the database at ``path``.

        Args:
            path: The database file, or a PostgreSQL database's address (``paths.ServerAddress``).
            clock: Returns the current time (aware); tests fix it.
            create: Create the file when it does not exist.
            timeout: Seconds to wait for another writer before "locked".
            check: Run PRAGMA quick_check first (it reads the whole file, so commands and the TUI skip it to
                stay constant-time; ``infoint info`` runs it).

        Raises:
            StoreError: locked, damaged, read-only, newer, or not an infoint database.
        """
        sql = backends.for_location(path)
        db = sql.connect(path, create=create, timeout=timeout)
        try:
            database.initialize(db)
            store = cls(db, path, clock)
            store.migrated_from = migrations.upgrade(db, path, clock())
            sql.enable_wal(db, path)
            problem = sql.quick_check(db) if check else "ok"
            if problem != "ok":
                raise StoreError(f"the database {path} is damaged ({problem}); restore a backup with "
                                 "'infoint restore FILE'.")
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            db.close()
            raise sql.describe(exc, path) from exc
        except BaseException:
            db.close()
            raise
        return store

    def close(self) -> None:
        """Close this thread's connection (the WAL is checkpointed by SQLite on the last close)."""
        if not self.db.is_closed():
            self.db.close()

    @contextmanager
    def _tx(self) -> Iterator[None]:
        """A write transaction: IMMEDIATE (the connection's lock type), so that a read-then-write takes
        the write lock first and waits for another writer (busy timeout) instead of failing half-way."""
        with self.db.atomic():
            outermost = self.db.transaction_depth() == 1
            if outermost:
                self.sql.begin_write(self.db)  # PostgreSQL: one writer at a time, as SQLite's lock makes it
            yield
            if outermost:
                self._before_commit()  # the follow-ups of whom this transaction's changes concern
            self.sql.notify(self.db)  # PostgreSQL: other machines hear of it on commit

    if TYPE_CHECKING:
        def _before_commit(self) -> None:
            """The last work of every write transaction, in it (defined by the follow-ups' facet)."""

    @contextmanager
    def _read(self) -> Iterator[None]:
        """A read-only transaction: one consistent snapshot for several queries, taken DEFERRED, so that
        it never asks for the write lock: in WAL a reader goes on while another program writes (an
        import, a ``sqlite3`` shell). With IMMEDIATE, ``infoint list`` waited five seconds for such a
        writer and then failed with "locked". Inside a write transaction it is a savepoint of that one.
        Nothing may be written in it but the connection's temp tables (a write would need the lock
        after the snapshot: SQLITE_BUSY at once if another program committed meanwhile)."""
        with self.sql.read_transaction(self.db):
            yield

    # --- rows into records ----------------------------------------------------------------

    def _row(self, contact_id: int) -> ContactRow:
        row = ContactRow.get_or_none(ContactRow.id == contact_id)
        if row is None:
            raise NotFound(f"there is no contact #{contact_id}; 'infoint list' shows the ids.")
        return row

    def _to_contact(self, row: ContactRow) -> Contact:
        tags = tuple(t.name for t in TagRow.select(TagRow.name).where(TagRow.contact == row.id).order_by(TagRow.id))
        referrer = ""
        if row.referred_by_id:
            ref = ContactRow.get_or_none(ContactRow.id == row.referred_by_id)
            referrer = ref.name if ref else ""
        company = CompanyRow.get_by_id(row.company_id).name if row.company_id else ""
        return Contact(
            id=row.id, name=row.name, title=row.title, company=company, email=row.email, phone=row.phone,
            address=row.address, url=row.url, source=Source(row.source) if row.source else None,
            referred_by=row.referred_by_id, referred_by_name=referrer, tags=tags, stage=Stage(row.stage),
            archived=row.archived,
            archive_reason=ArchiveReason(row.archive_reason) if row.archive_reason else None,
            version=row.version, created=row.created, updated=row.updated,
            last_activity=row.last_activity or row.updated,
        )

    @staticmethod
    def _to_event(e: EventRow) -> Event:
        return Event(
            id=e.id, contact_id=e.contact_id, kind=Kind(e.kind), at=e.at, channel=e.channel,
            stage_from=Stage(e.stage_from) if e.stage_from else None,
            stage_to=Stage(e.stage_to) if e.stage_to else None,
            minutes=e.minutes, meeting_id=e.meeting_id, detail=e.detail,
        )

    @staticmethod
    def _to_meeting(m: MeetingRow) -> Meeting:
        return Meeting(id=m.id, contact_id=m.contact_id, starts_at=m.starts_at, minutes=m.minutes,
                       medium=Medium(m.medium), location=m.location, held=m.held, held_minutes=m.held_minutes,
                       cancelled=m.cancelled)

    @staticmethod
    def _to_note(n: NoteRow) -> Note:
        return Note(id=n.id, contact_id=n.contact_id, text=n.text, created=n.created, updated=n.updated,
                    version=n.version, meeting_id=n.meeting_id)

    # --- compiled queries and raw rows ----------------------------------------------------

    def _by_ids(self, key: str, build: Callable[[list[int]], peewee.Query], ids: Sequence[int]) -> sqlite3.Cursor:
        """Run ``build(ids)``, its SQL compiled once per shape (``key`` and the number of ids) and the ids
        bound into it: Peewee takes ~0.3 ms to build a query and more for each value of an IN list,
        on every page and every card move. Only ids may vary between two runs of one ``key``."""
        shape = (key, len(ids))
        compiled = self._compiled.get(shape)
        if compiled is None:
            marks = [_MARK - i for i in range(len(ids))]
            sql, params = build(marks).sql()
            index = {m: i for i, m in enumerate(marks)}
            slots = [(p, index[v]) for p, v in enumerate(params) if type(v) is int and v in index]
            if len(slots) != len(ids):  # not the shape expected: build it the slow way, uncached
                return self.db.execute(build(list(ids)))
            if len(self._compiled) > 512:
                self._compiled.clear()
            compiled = self._compiled[shape] = (sql, params, slots)
        sql, params, slots = compiled
        values = list(params)
        for p, i in slots:
            values[p] = ids[i]
        return self.db.execute_sql(sql, values)

    def _raw_dicts(self, query: peewee.Query) -> list[dict[str, Any]]:
        """Rows as dicts of raw column values: timestamps stay text for :func:`.rows.dt`'s fast path, which
        saves Peewee's per-value conversion (about 0.2 s per 10,000 rows)."""
        return rows_.dicts(self.db.execute(query))

    # --- what every write shares ----------------------------------------------------------

    def _event(self, contact_id: int, kind: Kind, at: datetime | None = None, **fields: Any) -> EventRow:
        now = self.clock()
        row = EventRow.create(contact=contact_id, kind=kind.value, at=at or now, created=now, **fields)
        self._touch(contact_id, at or now)
        return row

    def _move_time(self, contact_id: int, at: datetime | None) -> datetime:
        """When a move made now is recorded: ``at`` (the interaction's time, now by default), but never before
        the person's last move. The stage is where the history's last move by (time, id) leaves them: a
        move recorded before an earlier-recorded one (a line corrected to later, another machine's clock a
        little ahead) would leave the stored stage and the history disagreeing."""
        moment = at or self.clock()
        last = EventRow.select(peewee.fn.MAX(EventRow.at)).where(
            (EventRow.contact == contact_id) & (EventRow.kind == Kind.STAGE.value)).scalar()
        last_at = rows_.dt(last)
        return last_at if last_at is not None and last_at > moment else moment

    @contextmanager
    def _journaled(self, contact_id: int, label: str, also: Sequence[int] = ()) -> Iterator[None]:
        """Record the change made inside (in the caller's transaction) in the undo journal: the person's
        rows before and after. Only the outermost of nested journaled changes is recorded (a follow-up
        done that logs a thank-you is one change); a new change ends what could be redone. ``also``: other
        people the change touches (a merge: the person merged away), recorded with the first."""
        if getattr(self, "_journal_open", False):
            yield
            return
        from . import journal
        from .tables import JournalRow

        self._journal_open = True
        try:
            companies = journal.last_company(self.db)
            people = [contact_id, *also]
            before = journal.snapshot(self.db, people, companies)
            yield
            changes = journal.diff(before, journal.snapshot(self.db, people, companies))
        finally:
            self._journal_open = False
        if changes:
            JournalRow.delete().where(JournalRow.undone == True).execute()  # noqa: E712
            name = ContactRow.get_by_id(contact_id).name
            JournalRow.create(contact=contact_id, at=self.clock(), label=f"{label}: {name}",
                              changes=journal.dumps(changes))

    def _touch(self, contact_id: int, at: datetime) -> None:
        # last_activity only moves forward: logging a past interaction does not make a person older.
        ContactRow.update(last_activity=at).where(
            (ContactRow.id == contact_id)
            & (ContactRow.last_activity.is_null() | (ContactRow.last_activity < at))).execute()

    def _reindex(self, contact_id: int) -> None:
        row = self._row(contact_id)
        company = CompanyRow.get_by_id(row.company_id).name if row.company_id else ""
        tags = " ".join(t for (t,) in TagRow.select(TagRow.name).where(TagRow.contact == contact_id).tuples())
        self.sql.index_contact(self.db, contact_id, row.name, company, row.title, tags)

    def _reindex_everyone(self) -> None:
        """Index everyone's fields and notes from scratch, in bulk (after a restore or a copy, into a
        database whose index is empty)."""
        tags: dict[int, list[str]] = {}
        for cid, name in self.db.execute_sql("SELECT contact_id, name FROM tag ORDER BY id"):
            tags.setdefault(cid, []).append(name)
        rows = [(cid, name, company or "", title, " ".join(tags.get(cid, ())))
                for cid, name, company, title in self.db.execute_sql(
                    "SELECT c.id, c.name, co.name, c.title FROM contact AS c "
                    "LEFT JOIN company AS co ON co.id = c.company_id ORDER BY c.id")]
        for i in range(0, len(rows), 1000):
            self.sql.index_contacts(self.db, rows[i:i + 1000])
        self.sql.reindex_all_notes(self.db)

    def _add_note(self, contact_id: int, text: str, meeting_id: int | None = None) -> NoteRow:
        text = check_length("note", clean_note(text), MAX_NOTE)
        now = self.clock()
        note = NoteRow.create(contact=contact_id, meeting=meeting_id, text=text, created=now, updated=now)
        self.sql.index_notes_of(self.db, contact_id)
        self._touch(contact_id, now)
        return note

    # --- what a correction or a merge recomputes -------------------------------------------

    def _restage(self, contact_id: int) -> None:
        """Set the person's stage to what their corrected history says."""
        changes = EventRow.select(EventRow.id, EventRow.kind, EventRow.at, EventRow.stage_to).where(
            (EventRow.contact == contact_id) & EventRow.stage_to.is_null(False)
            & EventRow.kind.in_([Kind.STAGE.value, Kind.CREATED.value]))
        stage = stage_from_history((e.at, e.id, Stage(e.stage_to), e.kind == Kind.CREATED.value) for e in changes)
        ContactRow.update(stage=stage.value, version=ContactRow.version + 1, updated=self.clock()).where(
            (ContactRow.id == contact_id) & (ContactRow.stage != stage.value)).execute()

    def _reactivity(self, contact_id: int) -> None:
        """Last activity from what is left: the latest event or note (a removal can make a person older)."""
        row = self._row(contact_id)
        times = [row.created]
        last_event = EventRow.select(EventRow.at).where(EventRow.contact == contact_id).order_by(
            EventRow.at.desc()).first()
        last_note = NoteRow.select(NoteRow.updated).where(NoteRow.contact == contact_id).order_by(
            NoteRow.updated.desc()).first()
        times += [last_event.at] if last_event else []
        times += [last_note.updated] if last_note else []
        ContactRow.update(last_activity=max(times)).where(ContactRow.id == contact_id).execute()

    # --- companies by any part of their name ---------------------------------------------------

    def _company(self, text: str, *, need: bool = False) -> CompanyRef | None:
        """The company ``text`` names (its key, else the one company whose key holds it): what every
        ``--company``, the dossier, the tree and the filter form take. None when there is none (unless
        ``need``).

        Raises:
            Invalid: several companies hold it (the message names them).
            NotFound: ``need`` and there is none.
        """
        key = company_key(text)
        exact = CompanyRow.select(CompanyRow.id, CompanyRow.name, CompanyRow.key).where(CompanyRow.key == key)
        rows = list(exact.tuples()) or list(CompanyRow.select(CompanyRow.id, CompanyRow.name, CompanyRow.key)
                                           .where(CompanyRow.key.contains(key)).tuples()) if key else []
        refs = [CompanyRef(int(i), str(n), str(k)) for i, n, k in rows]
        return need_company(text, refs) if need else pick_company(text, refs)

    def _need_company(self, text: str) -> CompanyRef:
        """:meth:`_company` when there must be one (NotFound otherwise)."""
        found = self._company(text, need=True)
        assert found is not None  # need=True raises instead
        return found

    # --- what one facet asks of another -------------------------------------------------------

    if TYPE_CHECKING:
        # Public methods a facet calls on ``self`` that another facet defines (the Store has them all).
        # Declared for the type checker only: at run time the facet's own method is the one found.

        def detail(self, contact_id: int) -> Detail: ...  # listing

        def summary(self, contact_id: int) -> Summary: ...  # listing

        def position(self, flt: Filter, contact_id: int) -> int | None: ...  # listing

        def stage_counts(self, flt: Filter = ...) -> dict[Stage, int]: ...  # listing

        def edit(self, contact_id: int, changes: Mapping[str, object],
                 expected_version: int | None = None) -> Contact: ...  # commands

        def followups(self, contact_ids: Sequence[int] | None = None, rules: Rules | None = None,
                      include_snoozed: bool = False) -> list[FollowUp]: ...  # followups

        def _followups(self, contact_ids: Sequence[int] | None, among: str | None, params: Sequence[Any],
                       rules: Rules | None = None, include_snoozed: bool = False, *,
                       thanks_only: bool = False) -> list[FollowUp]: ...  # followups

        def referral_chain(self, contact_id: int) -> list[tuple[int, str]]: ...  # followups

        def log(self, contact_id: int, kind: Kind, at: datetime | None = None, *, note: str = "",
                channel: str = "", minutes: int | None = None, medium: Medium = ...,
                detail: str = "") -> Event: ...  # commands
