"""The Store: every query and command on the data, returning domain records.

All writes run in one transaction each (IMMEDIATE on SQLite, so a read-then-write
never fails half-way with "database is locked"), record an event in the history,
and keep the full-text index in step. Every database error leaves as a
:class:`StoreError` with one readable line.

One Store per process: Peewee's tables are bound to one database. Peewee keeps a
connection per thread; the TUI therefore calls the Store from a single thread.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import peewee

from ..domain import contacts as contact_rules
from ..domain.dates import to_local, utcnow
from ..domain.followups import INTERACTIONS, Agenda, FollowUp, PersonFacts, Rules, awaits_answer
from ..domain.followups import agenda as make_agenda
from ..domain.followups import compute as compute_followups
from ..domain.stats import ANSWERS, Stats
from ..domain.stats import compute as compute_stats
from ..domain.errors import Conflict, IllegalMove, Invalid, NotFound, StoreError
from ..domain.model import (
    Contact,
    ContactDraft,
    Detail,
    Event,
    Filter,
    ImportReport,
    Meeting,
    Note,
    PersonRecord,
    Question,
    Summary,
)
from ..domain.pipeline import (
    DEFAULT_MINUTES,
    LOGGABLE,
    ArchiveReason,
    Kind,
    Medium,
    Source,
    Stage,
    stage_after,
    step,
)
from ..domain.text import MAX_NOTE, check_length, clean_line, clean_note, company_key, url_key
from . import migrations, sqlite
from . import rows as rows_
from .tables import (
    CompanyRow,
    ContactRow,
    EventRow,
    FollowUpRow,
    MeetingRow,
    NoteRow,
    QuestionRow,
    SettingRow,
    TagRow,
    database,
)

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
        try:
            return method(*args, **kwargs)
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            raise sqlite.describe(exc, store.path) from exc  # type: ignore[attr-defined]

    return wrapper


_dt = rows_.dt

_MARK = -(2**62)
"""Stand-in ids (no row has them) marking where the real ids go in a compiled query (Store._by_ids)."""


class _DryRun(Exception):
    """Raised inside a dry-run import to roll everything back."""


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The outcome of an autosave.

    Attributes:
        note: The note as stored now.
        conflict: The note had been changed elsewhere; ``note`` is a new copy holding this text.
    """

    note: Note
    conflict: bool = False


class Store:
    """Queries and transactional commands over one database file."""

    def __init__(self, db: peewee.SqliteDatabase, path: Path | str, clock: Clock = utcnow) -> None:
        """Wrap an open, upgraded database; use :meth:`open`."""
        self.db = db
        self.path = path
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
    def open(cls, path: Path | str, clock: Clock = utcnow, *, create: bool = True,
             timeout: float = sqlite.BUSY_TIMEOUT_S, check: bool = False) -> Store:
        """Open (creating if needed) and upgrade the database at ``path``.

        Args:
            path: The database file.
            clock: Returns the current time (aware); tests fix it.
            create: Create the file when it does not exist.
            timeout: Seconds to wait for another writer before "locked".
            check: Run PRAGMA quick_check first (it reads the whole file, so commands and the TUI skip it to
                stay constant-time; ``infoint info`` runs it).

        Raises:
            StoreError: locked, damaged, read-only, newer, or not an infoint database.
        """
        db = sqlite.connect(path, create=create, timeout=timeout)
        try:
            database.initialize(db)
            store = cls(db, path, clock)
            store.migrated_from = migrations.upgrade(db, path, clock())
            sqlite.enable_wal(db, path)
            problem = sqlite.quick_check(db) if check else "ok"
            if problem != "ok":
                raise StoreError(f"the database {path} is damaged ({problem}); restore a backup with "
                                 "'infoint restore FILE'.")
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            db.close()
            raise sqlite.describe(exc, path) from exc
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
        with self.db.atomic():
            yield

    # --- reading --------------------------------------------------------------------------

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

    @_guarded
    def contact(self, contact_id: int) -> Contact:
        """One person.

        Raises:
            NotFound: no such id.
        """
        return self._to_contact(self._row(contact_id))

    @_guarded
    def detail(self, contact_id: int) -> Detail:
        """A person with history (oldest first), meetings (soonest first) and notes (newest first)."""
        with self._tx():
            contact = self._to_contact(self._row(contact_id))
            history = tuple(self._to_event(e) for e in
                            EventRow.select().where(EventRow.contact == contact_id).order_by(EventRow.at, EventRow.id))
            meetings = tuple(self._to_meeting(m) for m in MeetingRow.select().where(
                MeetingRow.contact == contact_id).order_by(MeetingRow.starts_at))
            notes = tuple(self._to_note(n) for n in NoteRow.select().where(
                NoteRow.contact == contact_id).order_by(NoteRow.created.desc(), NoteRow.id.desc()))
            referrals = tuple((r.id, r.name) for r in ContactRow.select(ContactRow.id, ContactRow.name).where(
                ContactRow.referred_by == contact_id).order_by(ContactRow.name_key))
            chain = tuple(self.referral_chain(contact_id))
        return Detail(contact, history, meetings, notes, referrals, chain)

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

    def _matching(self, flt: Filter, *columns: Any) -> peewee.ModelSelect:
        """``columns`` of the people matching ``flt``, from the contact table alone: counts and positions
        are then answered from an index (100,000 people: ~3 ms instead of ~150 ms with the company join)."""
        query = ContactRow.select(*(columns or (ContactRow.id,))).where(ContactRow.archived == flt.archived)
        if flt.stage is not None:
            query = query.where(ContactRow.stage == flt.stage.value)
        if flt.company:
            query = query.where(ContactRow.company.in_(
                CompanyRow.select(CompanyRow.id).where(CompanyRow.key == company_key(flt.company))))
        if flt.tag:
            query = query.where(ContactRow.id.in_(TagRow.select(TagRow.contact).where(
                TagRow.name == flt.tag.strip().lower())))
        if flt.query.strip():
            if self._hits is not None and self._hits[0] == flt.query:
                query = query.where(ContactRow.id.in_(self._hits[1]))
            else:
                clause = sqlite.search_clause(flt.query, ContactRow.id)
                if clause is not None:
                    query = query.where(clause)
        return query

    @contextmanager
    def _searched_once(self, query: str) -> Iterator[None]:
        """Within the block, the search ``query`` is matched once, not once per question."""
        filled = sqlite.fill_hits(self.db, query, self._last_hits) if query.strip() else None
        if filled is not None:
            expr, self._last_hits = filled
            self._hits = (query, expr, self._last_hits.total)
        else:
            self._hits = None
        try:
            yield
        except BaseException:
            self._last_hits = None  # the transaction is rolled back, the hits table with it
            raise
        finally:
            self._hits = None

    @_guarded
    def list_screen(self, flt: Filter, selected: int | None, page: int
                    ) -> tuple[int, list[Summary], int | None, list[Summary]]:
        """What a list shows when its filter changes, in one go: how many match, the first page, where
        ``selected`` now stands (None: not among them) and that position's page if it is not the first.
        A search in ``flt`` is matched once for all of it."""
        with self._tx(), self._searched_once(flt.query):
            rows = self.summaries(flt, 0, page)
            pos = self.position(flt, selected) if selected is not None else None
            around = self.summaries(flt, pos // page * page, page) if pos is not None and pos >= page else []
            return self.count(flt), rows, pos, around

    def _filtered(self, flt: Filter) -> peewee.ModelSelect:
        """What the list and the board show of the people matching ``flt``."""
        return self._with_company(self._matching(flt, *self._SHOWN))

    _SHOWN = (ContactRow.id, ContactRow.name, ContactRow.title, ContactRow.stage, ContactRow.archived,
              ContactRow.last_activity, ContactRow.updated, CompanyRow.name.alias("company_name"))
    """The columns a list row or a card shows (:meth:`_with_badges` adds the rest)."""

    @staticmethod
    def _with_company(query: peewee.ModelSelect) -> peewee.ModelSelect:
        return query.join_from(ContactRow, CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))

    def _count(self, query: peewee.ModelSelect) -> int:
        return int(query.select(peewee.fn.COUNT(ContactRow.id)).scalar() or 0)

    @_guarded
    def count(self, flt: Filter = Filter()) -> int:
        """How many people match ``flt``."""
        if (self._hits is not None and self._hits[0] == flt.query and not flt.archived
                and flt.stage is None and not flt.company and not flt.tag):
            # Everyone the search found, less the archived among them (few: read from their index).
            return self._hits[2] - self._count(self._matching(replace(flt, archived=True)))
        return self._count(self._matching(flt))

    @_guarded
    def summaries(self, flt: Filter = Filter(), offset: int = 0, limit: int = 100, *,
                  follow_ups: bool = True) -> list[Summary]:
        """One page of people matching ``flt``, with what the list and the board show of each.

        ``follow_ups=False`` skips the follow-up badge (the costliest one), for long listings that
        do not show it.
        """
        query = self._filtered(flt)
        if flt.sort == "activity":
            query = query.order_by(ContactRow.last_activity.desc(nulls="LAST"), ContactRow.id.desc())
        else:
            query = query.order_by(ContactRow.name_key, ContactRow.id)
        with self._tx():
            rows = self._raw_dicts(query.offset(offset).limit(limit))
            # A long listing filters the history by the same query instead of a list of thousands of ids.
            source: Any = [r["id"] for r in rows] if len(rows) <= 500 else self._matching(flt)
            return self._with_badges(rows, source, follow_ups and len(rows) <= 500)

    @_guarded
    def summary(self, contact_id: int) -> Summary:
        """One person as the list and the board show them (a card that just moved, for one).

        Raises:
            NotFound: no such id.
        """
        with self._tx():
            rows = self._raw_dicts(self._with_company(ContactRow.select(*self._SHOWN))
                                   .where(ContactRow.id == contact_id))
            if not rows:
                raise NotFound(f"there is no contact #{contact_id}; 'infoint list' shows the ids.")
            return self._with_badges(rows, [contact_id], True)[0]

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
        """Rows as dicts of raw column values: timestamps stay text for :func:`_dt`'s fast path, which
        saves Peewee's per-value conversion (about 0.2 s per 10,000 rows)."""
        return rows_.dicts(self.db.execute(query))

    def _with_badges(self, rows: Sequence[Mapping[str, Any]], ids: Any, follow_ups: bool) -> list[Summary]:
        """Compute the page's badges from the history: one grouped query over the page's events."""
        facts: dict[int, dict[str, Any]] = {}
        if rows:
            def latest(kinds: tuple[Kind, ...]) -> peewee.Function:
                return peewee.fn.MAX(peewee.Case(None, [(EventRow.kind.in_([k.value for k in kinds]), EventRow.at)],
                                                 None))

            def agg(of: Any) -> peewee.Query:
                return (EventRow.select(EventRow.contact_id.alias("cid"),
                                        *(latest(kinds).alias(name) for name, kinds in rows_.BADGE_FACTS))
                        .where(EventRow.contact.in_(of)).group_by(EventRow.contact))

            cursor = self._by_ids("badges", agg, ids) if isinstance(ids, list) else self.db.execute(agg(ids))
            facts = {r["cid"]: r for r in rows_.dicts(cursor)}
            now = self.clock()
            upcoming = (MeetingRow.select(MeetingRow.contact_id.alias("cid"),
                                          peewee.fn.MIN(MeetingRow.starts_at).alias("next"))
                        .where(MeetingRow.contact.in_(ids), MeetingRow.held == False,  # noqa: E712
                               MeetingRow.cancelled == False, MeetingRow.starts_at >= now)  # noqa: E712
                        .group_by(MeetingRow.contact))
            for r in upcoming.dicts():
                facts.setdefault(r["cid"], {})["next"] = r["next"]
        now = self.clock()
        due_ids = {f.contact_id for f in self.followups(ids) if f.due <= now and f.rule != "thank-you"} \
            if follow_ups and rows else set()
        return rows_.summaries(rows, facts, due_ids)

    @_guarded
    def stage_counts(self, flt: Filter = Filter()) -> dict[Stage, int]:
        """People per stage among those matching ``flt`` (its stage is ignored)."""
        base = self._matching(Filter(query=flt.query, company=flt.company, tag=flt.tag, archived=flt.archived),
                              ContactRow.stage, peewee.fn.COUNT(ContactRow.id))
        counts = {s: 0 for s in Stage}
        for stage, n in base.group_by(
                ContactRow.stage).tuples():
            counts[Stage(stage)] = n
        return counts

    @_guarded
    def all_ids(self) -> list[int]:
        """Every person's id (archived too), by name."""
        return [i for (i,) in ContactRow.select(ContactRow.id).order_by(ContactRow.name_key, ContactRow.id).tuples()]

    @_guarded
    def companies(self) -> list[tuple[str, int]]:
        """Companies with how many active people work there, by name."""
        q = (CompanyRow.select(CompanyRow.name, peewee.fn.COUNT(ContactRow.id))
             .join(ContactRow, peewee.JOIN.LEFT_OUTER, on=((ContactRow.company == CompanyRow.id)
                                                            & (ContactRow.archived == False)))  # noqa: E712
             .group_by(CompanyRow.id).order_by(CompanyRow.key))
        return [(name, n) for name, n in q.tuples()]

    @_guarded
    def tags(self) -> list[str]:
        """Every tag in use, sorted."""
        return [t for (t,) in TagRow.select(TagRow.name).distinct().order_by(TagRow.name).tuples()]

    @_guarded
    def names(self, limit: int = 100_000) -> list[tuple[int, str, str]]:
        """(id, name, company) of active people, by name: for "go to person…"."""
        q = (ContactRow.select(ContactRow.id, ContactRow.name, CompanyRow.name)
             .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))
             .where(ContactRow.archived == False).order_by(ContactRow.name_key).limit(limit))  # noqa: E712
        return [(i, n, c or "") for i, n, c in q.tuples()]

    @_guarded
    def position(self, flt: Filter, contact_id: int) -> int | None:
        """Where ``contact_id`` stands in the list ``flt`` orders (None: not in it)."""
        row = (ContactRow.select(ContactRow.id, ContactRow.name_key, ContactRow.last_activity)
               .where(ContactRow.id == contact_id).first())
        if row is None:
            return None
        if not self._matching(flt).where(ContactRow.id == contact_id).exists():
            return None
        # Row-value comparisons (SQL-92; SQLite, PostgreSQL and MySQL all have them) walk the list's index.
        if flt.sort == "activity":
            la = row.last_activity
            if la is None:  # last in the list, among the others without activity by id descending
                before = ContactRow.last_activity.is_null(False) | (ContactRow.id > row.id)
            else:  # people without activity compare as NULL: after everyone, as in the list
                # (the same test spelled "a > x OR (a = x AND id > y)" is not a range for SQLite's
                # planner: it counted a whole stage, 9 ms at 100,000 people, instead of 0.06)
                before = (peewee.Tuple(ContactRow.last_activity, ContactRow.id)
                          > peewee.Tuple(ContactRow.last_activity.to_value(la), row.id))
        else:
            before = peewee.Tuple(ContactRow.name_key, ContactRow.id) < peewee.Tuple(row.name_key, row.id)
        return self._count(self._matching(flt).where(before))

    @_guarded
    def find(self, text: str, limit: int = 10) -> list[tuple[int, str, str]]:
        """People matching ``#id``, an exact name, or else a search: (id, name, company)."""
        text = text.strip()
        if text.lstrip("#").isdigit():
            row = ContactRow.get_or_none(ContactRow.id == int(text.lstrip("#")))
            return [(row.id, row.name, self._to_contact(row).company)] if row else []
        exact = ContactRow.select(ContactRow.id).where(ContactRow.name_key == text.casefold())
        ids = [i for (i,) in exact.tuples()]
        if not ids:
            ids = [s.id for s in self.summaries(Filter(query=text), 0, limit)]
        return [(c.id, c.name, c.company) for c in (self._to_contact(self._row(i)) for i in ids[:limit])]

    @_guarded
    def info(self) -> dict[str, Any]:
        """Paths, schema version and counts."""
        return {
            "database": str(Path(self.path).resolve()) if str(self.path) != ":memory:" else ":memory:",
            "schema_version": sqlite.user_version(self.db),
            "contacts": ContactRow.select().where(ContactRow.archived == False).count(),  # noqa: E712
            "archived": ContactRow.select().where(ContactRow.archived == True).count(),  # noqa: E712
            "companies": CompanyRow.select().count(),
            "meetings": MeetingRow.select().count(),
            "notes": NoteRow.select().count(),
            "events": EventRow.select().count(),
            "stages": {s.value: n for s, n in self.stage_counts().items()},
            "integrity": sqlite.quick_check(self.db),
        }

    @_guarded
    def data_version(self) -> int:
        """Changes when another process commits: poll it to notice other terminals."""
        return sqlite.data_version(self.db)

    # --- writing --------------------------------------------------------------------------

    def _event(self, contact_id: int, kind: Kind, at: datetime | None = None, **fields: Any) -> EventRow:
        now = self.clock()
        row = EventRow.create(contact=contact_id, kind=kind.value, at=at or now, created=now, **fields)
        self._touch(contact_id, at or now)
        return row

    def _touch(self, contact_id: int, at: datetime) -> None:
        # last_activity only moves forward: logging a past interaction does not make a person older.
        ContactRow.update(last_activity=at).where(
            (ContactRow.id == contact_id)
            & (ContactRow.last_activity.is_null() | (ContactRow.last_activity < at))).execute()

    def _company_id(self, name: str) -> int | None:
        if not name:
            return None
        key = company_key(name)
        row = CompanyRow.get_or_none(CompanyRow.key == key)
        if row is None:
            row = CompanyRow.create(name=name, key=key, created=self.clock())
        return int(row.id)

    def _reindex(self, contact_id: int) -> None:
        row = self._row(contact_id)
        company = CompanyRow.get_by_id(row.company_id).name if row.company_id else ""
        tags = " ".join(t for (t,) in TagRow.select(TagRow.name).where(TagRow.contact == contact_id).tuples())
        sqlite.index_contact(self.db, contact_id, row.name, company, row.title, tags)

    def _set_tags(self, contact_id: int, tags: Sequence[str]) -> None:
        TagRow.delete().where(TagRow.contact == contact_id).execute()
        if tags:
            TagRow.insert_many([{"contact": contact_id, "name": t} for t in tags]).execute()

    def _check_referrer(self, referred_by: int | None, contact_id: int | None = None) -> None:
        if referred_by is None:
            return
        if ContactRow.get_or_none(ContactRow.id == referred_by) is None:
            raise Invalid("referred by", f"there is no contact #{referred_by}; give the id of the person who "
                                         "referred you.")
        if referred_by == contact_id:
            raise Invalid("referred by", "a person cannot refer themselves; give someone else's id.")

    @_guarded
    def add(self, draft: ContactDraft) -> Contact:
        """Add a person in *to contact*; a referral is also logged on the person who referred them."""
        now = self.clock()
        with self._tx():
            self._check_referrer(draft.referred_by)
            row = ContactRow.create(
                name=draft.name, name_key=draft.name.casefold(), title=draft.title,
                company=self._company_id(draft.company), email=draft.email, phone=draft.phone,
                address=draft.address, url=draft.url,
                source=(draft.source or (Source.REFERRAL if draft.referred_by else None)),
                referred_by=draft.referred_by, stage=Stage.TO_CONTACT.value, created=now, updated=now,
                last_activity=now,
            )
            self._set_tags(row.id, draft.tags)
            self._event(row.id, Kind.CREATED, stage_to=Stage.TO_CONTACT.value)
            if draft.referred_by:
                self._event(draft.referred_by, Kind.REFERRAL, detail=f"#{row.id} {draft.name}")
            self._reindex(row.id)
            return self._to_contact(self._row(row.id))

    @_guarded
    def edit(self, contact_id: int, changes: Mapping[str, object], expected_version: int | None = None) -> Contact:
        """Change fields of a person (values are validated here too).

        Args:
            contact_id: The person.
            changes: Field name → new value, for the fields in ``domain.contacts.EDITABLE``.
            expected_version: The version the caller read; when another process changed the
                person since, nothing is written and :class:`Conflict` is raised.
        """
        values = contact_rules.clean_changes(changes)
        with self._tx():
            before = self._to_contact(self._row(contact_id))
            version = before.version if expected_version is None else expected_version
            if before.version != version:
                raise Conflict(f"{before.name} was changed in another window; your edit was not saved. "
                               "Reopen the person and apply it again.")
            if "referred_by" in values:
                self._check_referrer(values["referred_by"], contact_id)  # type: ignore[arg-type]
            updates: dict[str, Any] = {}
            diffs = []
            for field, value in values.items():
                old = getattr(before, field)
                if field == "source":
                    old = old.value if old else None
                    value = value.value if value else None  # type: ignore[attr-defined]
                if field == "tags":
                    if tuple(value) != old:  # type: ignore[arg-type]
                        diffs.append(f"tags: {', '.join(old) or '-'} → {', '.join(value) or '-'}")  # type: ignore[arg-type]
                    continue
                if value == old:
                    continue
                diffs.append(f"{field.replace('_', ' ')}: {old or '-'} → {value or '-'}")
                if field == "company":
                    updates["company"] = self._company_id(str(value))
                elif field == "name":
                    updates.update(name=value, name_key=str(value).casefold())
                else:
                    updates[field] = value
            if not diffs:
                return before
            now = self.clock()
            n = (ContactRow.update(**updates, version=ContactRow.version + 1, updated=now)
                 .where((ContactRow.id == contact_id) & (ContactRow.version == version)).execute())
            if n == 0:
                raise Conflict(f"{before.name} was changed in another window; your edit was not saved. "
                               "Reopen the person and apply it again.")
            if "tags" in values:
                self._set_tags(contact_id, values["tags"])  # type: ignore[arg-type]
            self._event(contact_id, Kind.EDITED, detail="; ".join(diffs))
            self._reindex(contact_id)
            return self._to_contact(self._row(contact_id))

    def _set_stage(self, row: ContactRow, stage: Stage, at: datetime | None = None) -> None:
        if row.stage == stage.value:
            return
        ContactRow.update(stage=stage.value, version=ContactRow.version + 1, updated=self.clock()).where(
            ContactRow.id == row.id).execute()
        self._event(row.id, Kind.STAGE, at=at, stage_from=row.stage, stage_to=stage.value)

    def _active_row(self, contact_id: int) -> ContactRow:
        row = self._row(contact_id)
        if row.archived:
            raise IllegalMove(f"{row.name} is archived; restore them first ('infoint restore-contact "
                              f"{contact_id}' or R in the app).")
        return row

    @_guarded
    def move(self, contact_id: int, stage: Stage) -> Contact:
        """Put a person in ``stage`` (recorded in the history)."""
        with self._tx():
            row = self._active_row(contact_id)
            self._set_stage(row, stage)
            return self._to_contact(self._row(contact_id))

    @_guarded
    def step_card(self, contact_id: int, delta: int, board: Filter) -> tuple[Summary, int | None, int]:
        """Move a card one stage forward (+1) or back (-1), recorded in the history, and answer what a
        board needs to show it, in one transaction: the card as it is now, its place in its new column
        (``board`` with that stage) and :meth:`data_version` as the move saw it. A board read at that
        same version knows its counts: its own, one less in the old stage and one more in the new; at
        another, a second terminal changed it meanwhile (counting the stages instead took 12 ms at
        100,000 people).

        Raises:
            IllegalMove: past either end of the board, or archived.
        """
        with self._tx():
            row = self._active_row(contact_id)
            stage = step(Stage(row.stage), 1 if delta > 0 else -1)
            version = sqlite.data_version(self.db)
            self._set_stage(row, stage)
            card = self.summary(contact_id)
            return card, self.position(replace(board, stage=stage), contact_id), version

    @_guarded
    def archive(self, contact_id: int, reason: ArchiveReason, note: str = "") -> Contact:
        """Take a person off the board (declined, no reply, other); their history stays."""
        with self._tx():
            row = self._row(contact_id)
            ContactRow.update(archived=True, archive_reason=reason.value, version=ContactRow.version + 1,
                              updated=self.clock()).where(ContactRow.id == contact_id).execute()
            self._event(contact_id, Kind.ARCHIVED, detail=reason.value)
            if note.strip():
                self._add_note(row.id, note)
            return self._to_contact(self._row(contact_id))

    @_guarded
    def restore(self, contact_id: int) -> Contact:
        """Put an archived person back on the board, in the stage they had."""
        with self._tx():
            row = self._row(contact_id)
            if not row.archived:
                return self._to_contact(row)
            ContactRow.update(archived=False, archive_reason=None, version=ContactRow.version + 1,
                              updated=self.clock()).where(ContactRow.id == contact_id).execute()
            self._event(contact_id, Kind.RESTORED)
            return self._to_contact(self._row(contact_id))

    @_guarded
    def delete(self, contact_id: int) -> None:
        """Erase a person, their history and notes (secure_delete overwrites the bytes)."""
        with self._tx():
            row = self._row(contact_id)
            sqlite.unindex_contact(self.db, contact_id)
            row.delete_instance()

    @_guarded
    def schedule(self, contact_id: int, when: datetime, minutes: int = DEFAULT_MINUTES,
                 medium: Medium = Medium.PHONE, location: str = "") -> Meeting:
        """Plan a meeting; a *to contact* person becomes *scheduled*."""
        if not 5 <= minutes <= 600:
            raise Invalid("minutes", f"{minutes} is not a meeting length; give 5 to 600 minutes (default 30).")
        location = check_length("location", clean_line(location))
        with self._tx():
            row = self._active_row(contact_id)
            meeting = MeetingRow.create(contact=contact_id, starts_at=when, minutes=minutes, medium=medium.value,
                                        location=location, created=self.clock())
            self._event(contact_id, Kind.MEETING, meeting=meeting.id, minutes=minutes, channel=medium.value,
                        detail=location)
            self._set_stage(row, stage_after(Stage(row.stage), Kind.MEETING))
            return self._to_meeting(MeetingRow.get_by_id(meeting.id))

    @_guarded
    def log(self, contact_id: int, kind: Kind, at: datetime | None = None, *, note: str = "", channel: str = "",
            minutes: int | None = None, medium: Medium = Medium.PHONE) -> Event:
        """Record an interaction; it moves the person forward when it should (call → met...).

        A ``meeting`` is scheduled at ``at``; a ``call`` marks the next planned meeting held.
        """
        if kind is Kind.MEETING:
            meeting = self.schedule(contact_id, at or self.clock(), minutes or DEFAULT_MINUTES, medium)
            if note.strip():
                self.add_note(contact_id, note, meeting.id)
            with self._tx():
                return self._to_event(EventRow.select().where(EventRow.meeting == meeting.id).get())
        if kind not in LOGGABLE:
            raise Invalid("kind", f"'{kind.value}' cannot be logged by hand.")
        if minutes is not None and not 0 < minutes <= 600:
            raise Invalid("minutes", f"{minutes} is not a duration; give 1 to 600 minutes.")
        with self._tx():
            row = self._active_row(contact_id)
            meeting_id = None
            if kind is Kind.CALL:
                planned = (MeetingRow.select().where(MeetingRow.contact == contact_id, MeetingRow.held == False,  # noqa: E712
                                                     MeetingRow.cancelled == False)  # noqa: E712
                           .order_by(MeetingRow.starts_at).first())
                if planned is not None:
                    meeting_id = planned.id
                    MeetingRow.update(held=True, held_minutes=minutes).where(MeetingRow.id == planned.id).execute()
            event = self._event(contact_id, kind, at, channel=clean_line(channel), minutes=minutes,
                                meeting=meeting_id)
            self._set_stage(row, stage_after(Stage(row.stage), kind), at)
            if note.strip():
                self._add_note(contact_id, note, meeting_id)
            return self._to_event(event)

    @_guarded
    def planned_meeting(self, contact_id: int) -> Meeting | None:
        """The person's next meeting not yet held (the one a call most likely is)."""
        row = (MeetingRow.select().where(MeetingRow.contact == contact_id, MeetingRow.held == False,  # noqa: E712
                                         MeetingRow.cancelled == False)  # noqa: E712
               .order_by(MeetingRow.starts_at).first())
        return self._to_meeting(row) if row else None

    @_guarded
    def record_call(self, contact_id: int, started: datetime, minutes: int, *, note_id: int | None = None,
                    meeting_id: int | None = None, move: bool = True) -> Meeting:
        """End a call: the meeting held with its real length, the call in the history, the note tied to
        the meeting, and the person moved forward to *met* (unless ``move`` is False).

        A call with nobody scheduled gets a meeting record of its own, starting when the call did.
        """
        minutes = max(1, min(int(minutes), 600))
        with self._tx():
            row = self._active_row(contact_id)
            meeting = MeetingRow.get_or_none((MeetingRow.id == meeting_id) & (MeetingRow.contact == contact_id)) \
                if meeting_id else None
            if meeting is None:
                meeting = MeetingRow.create(contact=contact_id, starts_at=started, minutes=minutes,
                                            medium=Medium.PHONE.value, created=self.clock())
            MeetingRow.update(held=True, held_minutes=minutes).where(MeetingRow.id == meeting.id).execute()
            self._event(contact_id, Kind.CALL, minutes=minutes, meeting=meeting.id)
            if note_id is not None:
                NoteRow.update(meeting=meeting.id).where(
                    (NoteRow.id == note_id) & (NoteRow.contact == contact_id)).execute()
            if move:
                self._set_stage(row, stage_after(Stage(row.stage), Kind.CALL))
            return self._to_meeting(MeetingRow.get_by_id(meeting.id))

    def _add_note(self, contact_id: int, text: str, meeting_id: int | None = None) -> NoteRow:
        text = check_length("note", clean_note(text), MAX_NOTE)
        now = self.clock()
        note = NoteRow.create(contact=contact_id, meeting=meeting_id, text=text, created=now, updated=now)
        sqlite.index_notes_of(self.db, contact_id)
        self._touch(contact_id, now)
        return note

    @_guarded
    def add_note(self, contact_id: int, text: str, meeting_id: int | None = None) -> Note:
        """Append a note (control characters and escape sequences removed; newlines and tabs kept)."""
        if not clean_note(text).strip():
            raise Invalid("note", "is empty; type some text.")
        with self._tx():
            self._row(contact_id)
            return self._to_note(self._add_note(contact_id, text, meeting_id))

    @_guarded
    def save_note(self, contact_id: int, note_id: int | None, text: str, expected_version: int | None,
                  meeting_id: int | None = None) -> SaveResult:
        """Autosave: create the note, or update it if nobody else changed it since ``expected_version``.

        When another window changed the note meanwhile, neither text is lost: this
        text is saved as a new note and the result says so.
        """
        clean = check_length("note", clean_note(text), MAX_NOTE)
        with self._tx():
            self._row(contact_id)
            if note_id is None:
                return SaveResult(self._to_note(self._add_note(contact_id, clean, meeting_id)))
            now = self.clock()
            n = (NoteRow.update(text=clean, updated=now, version=NoteRow.version + 1)
                 .where((NoteRow.id == note_id) & (NoteRow.version == (expected_version or 0))).execute())
            if n == 0:
                copy = self._add_note(contact_id, clean, meeting_id)
                return SaveResult(self._to_note(copy), conflict=True)
            sqlite.index_notes_of(self.db, contact_id)
            self._touch(contact_id, now)
            return SaveResult(self._to_note(NoteRow.get_by_id(note_id)))

    @_guarded
    def note(self, note_id: int) -> Note:
        """One note."""
        row = NoteRow.get_or_none(NoteRow.id == note_id)
        if row is None:
            raise NotFound(f"there is no note #{note_id}.")
        return self._to_note(row)

    @_guarded
    def delete_note(self, note_id: int) -> None:
        """Erase a note."""
        with self._tx():
            row = NoteRow.get_or_none(NoteRow.id == note_id)
            if row is None:
                return
            row.delete_instance()
            sqlite.index_notes_of(self.db, row.contact_id)

    # --- follow-ups, agenda, referrals, stats ---------------------------------------------

    def _facts(self, contact_ids: Sequence[int] | None = None) -> list[PersonFacts]:
        """What the follow-up rules need, for active people (all of them, or ``contact_ids``)."""
        people = (ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.company.alias("company"),
                                    ContactRow.referred_by.alias("referred_by"), ContactRow.archived,
                                    CompanyRow.name.alias("company_name"))
                  .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id)))
        if contact_ids is not None:
            # By key, filtered here: with `archived = 0` in the same WHERE a planner without statistics walks
            # the archived index over every person (100,000 people: 25 ms instead of 0.3 ms).
            cursor = self._by_ids("facts-people", lambda of: people.where(ContactRow.id.in_(of)), list(contact_ids))
        else:
            cursor = self.db.execute(people.where(ContactRow.archived == False))  # noqa: E712
        rows = [r for r in rows_.dicts(cursor) if not r["archived"]]
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        kinds = [k.value for k in INTERACTIONS]
        events: dict[int, list[Event]] = {i: [] for i in ids}
        query = (EventRow.select(EventRow.id, EventRow.contact, EventRow.kind, EventRow.at, EventRow.channel,
                                 EventRow.stage_from, EventRow.stage_to, EventRow.minutes, EventRow.meeting,
                                 EventRow.detail)
                 .where(EventRow.kind.in_(kinds)).order_by(EventRow.at, EventRow.id))
        cursor = self._by_ids("facts-events", lambda of: query.where(EventRow.contact.in_(of)), ids) \
            if contact_ids is not None else self.db.execute(query)
        # Raw rows and the fast timestamp path: model instances cost ~5 ms per page of 100 people.
        for eid, cid, kind, at, channel, stage_from, stage_to, minutes, meeting_id, detail in cursor.fetchall():
            if cid in events:
                events[cid].append(Event(
                    id=eid, contact_id=cid, kind=Kind(kind), at=_dt(at), channel=channel,  # type: ignore[arg-type]
                    stage_from=Stage(stage_from) if stage_from else None,
                    stage_to=Stage(stage_to) if stage_to else None,
                    minutes=minutes, meeting_id=meeting_id, detail=detail))
        # Other people's answers at the same company matter only to someone awaiting an answer: at
        # 100,000 people, reading them for every company of a page cost ~10 ms per page.
        companies = {r["company"] for r in rows if r["company"] and awaits_answer(events[r["id"]])}
        answers: dict[int, list[tuple[int, datetime]]] = {}
        if companies:
            q = (EventRow.select(EventRow.contact, EventRow.at, ContactRow.company)
                 .join(ContactRow, on=(EventRow.contact == ContactRow.id))
                 .where(ContactRow.company.in_(list(companies)),
                        EventRow.kind.in_([k.value for k in ANSWERS])).tuples())
            for cid, at, company in self.db.execute(q).fetchall():
                answers.setdefault(company, []).append((cid, _dt(at)))  # type: ignore[arg-type]
        intros: dict[int, list[tuple[int, str, datetime]]] = {}
        q = (EventRow.select(EventRow.id, EventRow.at, ContactRow.name, ContactRow.referred_by)
             .join(ContactRow, on=(EventRow.contact == ContactRow.id))
             .where(EventRow.kind == Kind.CALL.value, ContactRow.referred_by.in_(ids)).tuples())
        for eid, at, name, referrer in self.db.execute(q).fetchall():
            intros.setdefault(referrer, []).append((eid, name, _dt(at)))  # type: ignore[arg-type]
        return [PersonFacts(
            id=r["id"], name=r["name"], company=r["company_name"] or "", archived=False, events=events[r["id"]],
            company_answers=[at for cid, at in answers.get(r["company"], []) if cid != r["id"]],
            introduced_calls=intros.get(r["id"], []),
        ) for r in rows]

    @_guarded
    def followups(self, contact_ids: Sequence[int] | None = None, rules: Rules = Rules(),
                  include_snoozed: bool = False) -> list[FollowUp]:
        """Open follow-ups, with the user's answers applied: done and dismissed ones are gone, snoozed
        ones move to their new date."""
        with self._tx():
            found = [f for p in self._facts(contact_ids) for f in compute_followups(p, rules)]
            if not found:
                return []
            states = {(r.contact_id, r.rule, r.anchor): r for r in FollowUpRow.select().where(
                FollowUpRow.contact.in_(list({f.contact_id for f in found})))}
        out = []
        for f in found:
            state = states.get((f.contact_id, f.rule, f.anchor))
            if state is None:
                out.append(f)
            elif state.state == "snoozed" and state.until is not None:
                out.append(replace(f, due=state.until) if not include_snoozed else f)
        return sorted(out, key=lambda f: (f.due, f.name))

    @_guarded
    def answer_followup(self, key: str, state: str, until: datetime | None = None) -> FollowUp:
        """Mark a follow-up ``done``, ``dismissed`` or ``snoozed`` (until a date); ``key`` is FollowUp.key.

        A done follow-up that has an interaction to log (a thank-you, a follow-up sent) logs it, so the
        history says what happened.
        """
        if state not in ("done", "dismissed", "snoozed"):
            raise Invalid("state", f"'{state}' is not one of: done, dismissed, snoozed.")
        try:
            cid_text, rule, anchor = key.split(":", 2)
            contact_id = int(cid_text)
        except ValueError:
            raise Invalid("follow-up", f"'{key}' is not a follow-up key; 'infoint agenda' shows them "
                                       "(like 12:thank-you:345).") from None
        match = [f for f in self.followups([contact_id], include_snoozed=True) if f.rule == rule and
                 f.anchor == anchor]
        if not match:
            raise NotFound(f"there is no open follow-up {key}; 'infoint agenda' lists the open ones.")
        if state == "snoozed" and until is None:
            raise Invalid("until", "give a date to snooze to, such as +2d, +1b or 2026-12-03.")
        with self._tx():
            if state == "done" and match[0].log is not None:
                self._event(contact_id, match[0].log, detail=f"done: {match[0].title}")
            FollowUpRow.insert(contact=contact_id, rule=rule, anchor=anchor, state=state, until=until,
                               at=self.clock()).on_conflict_replace().execute()
        return match[0]

    @_guarded
    def meetings_between(self, start: datetime, end: datetime) -> list[tuple[Meeting, str, str]]:
        """Planned meetings (not held, not cancelled) starting in [start, end): (meeting, name, company)."""
        q = (MeetingRow.select(MeetingRow.id, ContactRow.name.alias("person"), CompanyRow.name.alias("company_name"))
             .join(ContactRow, on=(MeetingRow.contact == ContactRow.id))
             .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))
             .where(MeetingRow.starts_at >= start, MeetingRow.starts_at < end, MeetingRow.held == False,  # noqa: E712
                    MeetingRow.cancelled == False, ContactRow.archived == False)  # noqa: E712
             .order_by(MeetingRow.starts_at).dicts())
        rows = list(q)
        meetings = {m.id: m for m in MeetingRow.select().where(MeetingRow.id.in_([r["id"] for r in rows]))}
        return [(self._to_meeting(meetings[r["id"]]), r["person"], r["company_name"] or "") for r in rows]

    @_guarded
    def agenda(self, days: int = 7, rules: Rules = Rules()) -> Agenda:
        """Today: overdue, due today, today's meetings, then the next ``days`` days."""
        now = self.clock()
        local = to_local(now)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        meetings = self.meetings_between(day_start, day_start + timedelta(days=days + 1))
        return make_agenda(self.followups(rules=rules), meetings, now, days)

    @_guarded
    def referral_chain(self, contact_id: int) -> list[tuple[int, str]]:
        """Who introduced whom, up from this person: [(id, name)] nearest first (cycles cut)."""
        chain: list[tuple[int, str]] = []
        seen = {contact_id}
        row = self._row(contact_id)
        while row.referred_by_id and row.referred_by_id not in seen and len(chain) < 20:
            row = self._row(row.referred_by_id)
            seen.add(row.id)
            chain.append((row.id, row.name))
        return chain

    @_guarded
    def referral_tree(self, company: str = "") -> list[tuple[int, int, str, str, str]]:
        """Referral forest as (depth, id, name, stage, company) rows in display order.

        With ``company``, the trees that reach anyone at that company, rooted at the first introducer.
        """
        rows = {r["id"]: r for r in (ContactRow.select(ContactRow.id, ContactRow.name, ContactRow.stage,
                                                       ContactRow.referred_by, ContactRow.archived,
                                                       CompanyRow.name.alias("company_name"),
                                                       CompanyRow.key.alias("company_key"))
                                     .join(CompanyRow, peewee.JOIN.LEFT_OUTER,
                                           on=(ContactRow.company == CompanyRow.id)).dicts())}
        children: dict[int | None, list[int]] = {}
        for r in rows.values():
            parent = r["referred_by"] if r["referred_by"] in rows else None
            children.setdefault(parent, []).append(r["id"])
        for kids in children.values():
            kids.sort(key=lambda i: rows[i]["name"].casefold())
        roots = [i for i in children.get(None, []) if children.get(i)]
        if company:
            key = company_key(company)

            def reaches(i: int) -> bool:
                return rows[i]["company_key"] == key or any(reaches(k) for k in children.get(i, []))

            roots = [i for i in roots if reaches(i)]
        out: list[tuple[int, int, str, str, str]] = []

        def walk(i: int, depth: int, seen: frozenset[int]) -> None:
            r = rows[i]
            out.append((depth, i, r["name"], "archived" if r["archived"] else r["stage"], r["company_name"] or ""))
            for k in children.get(i, []):
                if k not in seen:
                    walk(k, depth + 1, seen | {k})

        for root in roots:
            walk(root, 0, frozenset({root}))
        return out

    @_guarded
    def stats(self) -> Stats:
        """The funnel: per stage, reply rate, median days to a reply, meetings this week and month."""
        with self._tx():
            histories: dict[int, list[Event]] = {}
            for e in (EventRow.select().where(EventRow.kind.in_([k.value for k in INTERACTIONS]))
                      .order_by(EventRow.at, EventRow.id)):
                histories.setdefault(e.contact_id, []).append(self._to_event(e))
            starts = [m for (m,) in MeetingRow.select(MeetingRow.starts_at).where(
                MeetingRow.cancelled == False).tuples()]  # noqa: E712
            archived = ContactRow.select().where(ContactRow.archived == True).count()  # noqa: E712
            return compute_stats(self.stage_counts(), archived, histories.values(),
                                 [ContactRow.last_activity.python_value(m) for m in starts], self.clock())

    @_guarded
    def company_people(self, company: str) -> tuple[str, list[Detail]]:
        """Everyone at a company (archived too), with their history, meetings and notes: the dossier's data."""
        row = CompanyRow.get_or_none(CompanyRow.key == company_key(company))
        if row is None:
            raise NotFound(f"there is no company '{company}'; 'infoint list' shows who works where.")
        ids = [i for (i,) in ContactRow.select(ContactRow.id).where(ContactRow.company == row.id)
               .order_by(ContactRow.name_key).tuples()]
        return row.name, [self.detail(i) for i in ids]

    # --- import, export, restore -----------------------------------------------------------

    @_guarded
    def import_people(self, records: Sequence[PersonRecord], *, dry_run: bool = False) -> ImportReport:
        """Add or update people from an import, all in one transaction (nothing is half-imported).

        Matching, in order: the profile URL (a LinkedIn slug is the same person however the URL is
        written), then the e-mail, then name and company. A matched person gets the non-empty values
        that differ, recorded in the history like any edit; tags and notes are added, never removed.
        ``dry_run`` does everything, reports it, and rolls back.
        """
        added = updated = unchanged = 0
        skipped: list[tuple[int, str]] = []
        warnings: list[tuple[int, str]] = []
        try:
            with self._tx():
                by_url, by_email, by_name = self._match_index()
                pending: dict[str, tuple[dict[str, Any], list[str], list[str], str]] = {}
                for rec in records:
                    try:
                        name = contact_rules.clean_field("name", rec.name)
                    except Invalid:
                        skipped.append((rec.line, "no name"))
                        continue
                    values: dict[str, Any] = {"name": name}
                    for field in ("title", "company", "email", "phone", "address", "url"):
                        raw = getattr(rec, field)
                        if not raw or not str(raw).strip():
                            continue
                        try:
                            values[field] = contact_rules.clean_field(field, raw)
                        except Invalid as err:
                            warnings.append((rec.line, f"{err.field} dropped: {err.reason}"))
                    tags = contact_rules.clean_tags(rec.tags) if rec.tags else ()
                    cid = (by_url.get(url_key(values.get("url", ""))) if values.get("url") else None) \
                        or (by_email.get(str(values.get("email", "")).lower()) if values.get("email") else None) \
                        or by_name.get((name.casefold(), company_key(values.get("company", ""))))
                    if cid is None:
                        key = (url_key(values.get("url", "")) or str(values.get("email", "")).lower()
                               or f"{name.casefold()}|{company_key(values.get('company', ''))}")
                        if key in pending:  # the same person twice in one file: fill what was missing
                            merged = pending[key]
                            for k, v in values.items():
                                merged[0].setdefault(k, v)
                            merged[1].extend(t for t in tags if t not in merged[1])
                            merged[2].extend(rec.notes)
                            unchanged += 1
                            continue
                        pending[key] = (values, list(tags), list(rec.notes), rec.source)
                        added += 1
                        continue
                    before = self._to_contact(self._row(cid))
                    changes = {k: v for k, v in values.items() if k != "name" and v != getattr(before, k)}
                    new_tags = tuple(dict.fromkeys((*before.tags, *tags)))
                    if new_tags != before.tags:
                        changes["tags"] = new_tags
                    if changes:
                        self.edit(cid, changes)
                        updated += 1
                    else:
                        unchanged += 1
                    existing = {n.text for n in self._notes_of(cid)} if rec.notes else set()
                    for note in rec.notes:
                        if clean_note(note).strip() and clean_note(note) not in existing:
                            self._add_note(cid, note)
                self._insert_new(list(pending.values()))
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return ImportReport(added, updated, unchanged, tuple(skipped), tuple(warnings))

    def _insert_new(self, people: list[tuple[dict[str, Any], list[str], list[str], str]]) -> None:
        """Insert imported people in bulk: a few statements per person instead of a dozen."""
        if not people:
            return
        now = self.clock()
        companies: dict[str, int] = {k: i for i, k in CompanyRow.select(CompanyRow.id, CompanyRow.key).tuples()}
        sources = {s.value for s in Source}
        events = []
        tags = []
        for values, tag_list, notes, source in people:
            company = str(values.get("company") or "")
            company_id = None
            if company:
                ckey = company_key(company)
                if ckey not in companies:
                    companies[ckey] = CompanyRow.insert(name=company, key=ckey, created=now).execute()
                company_id = companies[ckey]
            cid = ContactRow.insert(
                name=values["name"], name_key=str(values["name"]).casefold(), title=values.get("title", ""),
                company=company_id, email=values.get("email", ""), phone=values.get("phone", ""),
                address=values.get("address", ""), url=values.get("url", ""),
                source=source if source in sources else None, stage=Stage.TO_CONTACT.value, created=now,
                updated=now, last_activity=now).execute()
            events.append({"contact": cid, "kind": Kind.CREATED.value, "at": now, "created": now,
                           "stage_to": Stage.TO_CONTACT.value, "detail": "imported"})
            tags += [{"contact": cid, "name": t} for t in tag_list]
            sqlite.index_contact(self.db, cid, str(values["name"]), company, str(values.get("title", "")),
                                 " ".join(tag_list))
            for note in notes:
                if clean_note(note).strip():
                    self._add_note(cid, note)
        for chunk in range(0, len(events), 500):
            EventRow.insert_many(events[chunk:chunk + 500]).execute()
        for chunk in range(0, len(tags), 500):
            TagRow.insert_many(tags[chunk:chunk + 500]).execute()

    def _notes_of(self, contact_id: int) -> list[NoteRow]:
        return list(NoteRow.select().where(NoteRow.contact == contact_id))

    def _match_index(self) -> tuple[dict[str, int], dict[str, int], dict[tuple[str, str], int]]:
        by_url: dict[str, int] = {}
        by_email: dict[str, int] = {}
        by_name: dict[tuple[str, str], int] = {}
        q = (ContactRow.select(ContactRow.id, ContactRow.url, ContactRow.email, ContactRow.name_key,
                               CompanyRow.key).join(CompanyRow, peewee.JOIN.LEFT_OUTER,
                                                    on=(ContactRow.company == CompanyRow.id)).tuples())
        for cid, url, email, name_key, ckey in q:
            if url:
                by_url.setdefault(url_key(url), cid)
            if email:
                by_email.setdefault(email.lower(), cid)
            by_name.setdefault((name_key, ckey or ""), cid)
        return by_url, by_email, by_name

    @_guarded
    def export_all(self) -> dict[str, Any]:
        """Everything, as plain data with stable keys (the JSON export; :meth:`load_export` reads it back)."""
        def rows(model: type[peewee.Model], order: peewee.Field) -> list[dict[str, Any]]:
            out = []
            for r in model.select().order_by(order).dicts():
                out.append({k: (v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v)
                            for k, v in r.items()})
            return out

        with self._tx():
            return {
                "format": "infoint", "format_version": 1, "schema_version": sqlite.user_version(self.db),
                "exported": self.clock().astimezone(UTC).isoformat(),
                "companies": rows(CompanyRow, CompanyRow.id), "contacts": rows(ContactRow, ContactRow.id),
                "tags": rows(TagRow, TagRow.id), "meetings": rows(MeetingRow, MeetingRow.id),
                "events": rows(EventRow, EventRow.id), "notes": rows(NoteRow, NoteRow.id),
                "settings": rows(SettingRow, SettingRow.key), "questions": rows(QuestionRow, QuestionRow.id),
                "followups": rows(FollowUpRow, FollowUpRow.id),
            }

    @_guarded
    def load_export(self, data: Mapping[str, Any]) -> int:
        """Read a JSON export back into this (empty) database, ids and history included; returns people.

        Raises:
            Invalid: not an infoint export, or the database already holds people.
        """
        if not isinstance(data, Mapping) or data.get("format") != "infoint":
            raise Invalid("file", "is not an infoint JSON export (no \"format\": \"infoint\").")
        if ContactRow.select().exists():
            raise Invalid("database", f"{self.path} already holds people; a JSON export is restored into an empty "
                                      "database: use --db NEWFILE.")
        order = ((CompanyRow, "companies"), (ContactRow, "contacts"), (TagRow, "tags"), (MeetingRow, "meetings"),
                 (EventRow, "events"), (NoteRow, "notes"), (SettingRow, "settings"), (FollowUpRow, "followups"))
        with self._tx():
            if data.get("questions"):
                QuestionRow.delete().execute()
                order = (*order, (QuestionRow, "questions"))
            for model, key in order:
                fields = {f.column_name: f for f in model._meta.sorted_fields}
                fields.update({f.name: f for f in model._meta.sorted_fields})
                batch = []
                for item in data.get(key) or []:
                    row = {}
                    for col, value in item.items():
                        field = fields.get(col)
                        if field is None:
                            continue
                        if isinstance(field, peewee.DateTimeField) and isinstance(value, str):
                            value = datetime.fromisoformat(value)
                        row[field.name] = value
                    batch.append(row)
                for chunk in range(0, len(batch), 500):
                    model.insert_many(batch[chunk:chunk + 500]).execute()
            for c in ContactRow.select(ContactRow.id):
                self._reindex(c.id)
            sqlite.reindex_all_notes(self.db)
            return int(ContactRow.select().count())

    # --- settings, pitch and questions ---------------------------------------------------

    @_guarded
    def setting(self, key: str, default: str = "") -> str:
        """A stored setting (theme, pitch...)."""
        row = SettingRow.get_or_none(SettingRow.key == key)
        return row.value if row else default

    @_guarded
    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._tx():
            SettingRow.insert(key=key, value=value).on_conflict_replace().execute()

    @_guarded
    def pitch(self) -> str:
        """The user's pitch: interests, experience, background."""
        return self.setting("pitch")

    @_guarded
    def set_pitch(self, text: str) -> str:
        """Replace the pitch (cleaned like a note)."""
        clean = check_length("pitch", clean_note(text).strip(), 5000)
        self.set_setting("pitch", clean)
        return clean

    @_guarded
    def questions(self) -> list[Question]:
        """The question bank, in order."""
        return [Question(q.id, q.group, q.text, q.always) for q in QuestionRow.select().order_by(QuestionRow.position)]

    @_guarded
    def backup(self, target: Path) -> Path:
        """A consistent copy of the database (0600)."""
        return sqlite.backup(self.db, target)

