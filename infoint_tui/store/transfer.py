"""Moving data in and out: import (matching people already there), the JSON export and reading it
back into an empty database, and backups."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import peewee

from ..domain.errors import Invalid, NothingImported
from ..domain.model import Contact, ImportReport, PersonRecord
from ..domain.pipeline import ArchiveReason, Source, Stage
from .base import StoreBase, _guarded
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
)


class _DryRun(Exception):
    """Raised inside a dry-run import to roll everything back (with what it would have done)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


class TransferMixin(StoreBase):
    """Import, export, restore from an export, backup."""

    @_guarded
    def import_people(self, records: Iterable[PersonRecord], *, dry_run: bool = False,
                      progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
        """Add or update people from an import, all in one transaction (nothing is half-imported).

        Matching (domain.matching.Matcher): the profile URL (a LinkedIn slug is the same person however
        the URL is written), then the e-mail, then the same name with a shared phone or, when nothing
        tells them apart, the same company. A same-name row that holds a different e-mail, URL or phone
        is a new person, with a warning naming the look-alike. A matched person gets the non-empty
        values that differ once normalised (case and spacing of a company or title, a phone's format
        are not changes), recorded in the history like any edit; tags and notes are added, never
        removed. The same person twice in the file is one person, with what the later rows add.
        ``dry_run`` does everything, reports it, and rolls back. ``progress(done, total)`` is called every
        thousand rows or so (and once at the end, with ``done == total``), from this thread; ``total`` is
        ``len(records)``, or None when ``records`` is an iterator (a file read as it is imported).

        ``records`` is read a chunk at a time (``importing.PeopleImport``: each chunk matched against
        the people already there and written before the next is read), so that memory does not grow
        with the file; only people whose values changed go through :meth:`edit` (their history records
        it). 100,000 new rows: ~23 s at first, ~3 s with everyone held in memory (~270 MiB), ~2.2 s and
        ~68 MiB now (benchmarks/README.md, fourth round).

        One transaction on purpose, not batches: an import killed at any point (kill -9 at 25-90 % of
        100,000 rows, issue 15), or stopped with Ctrl+C (KeyboardInterrupt rolls it back), leaves the
        database as it was, which batches with a clean-up on failure could not promise (kill -9 runs no
        clean-up). What the lock costs others: readers nothing (WAL, and reads take no write lock:
        ``_read``); the app's note saves wait for it and say so (``InfointApp.save_patiently``); another
        command's write waits the busy timeout and then says "locked". A row of the file that cannot be
        read (a ``FormatError`` raised by ``records``) rolls it back too.
        """
        from .importing import PeopleImport

        total = len(records) if isinstance(records, Sized) else None
        committed = False
        try:
            with self._tx():
                report = PeopleImport(self, progress, total).run(records)  # type: ignore[arg-type]
                if dry_run:
                    raise _DryRun(report)
            committed = True
        except _DryRun as done:
            report = done.report
        except KeyboardInterrupt as exc:  # Ctrl+C: the transaction was rolled back on the way out
            if committed or isinstance(exc, NothingImported):
                raise
            raise NothingImported from exc
        return report

    @_guarded
    def export_all(self) -> dict[str, Any]:
        """Everything, as plain data with stable keys (the JSON export; :meth:`load_export` reads it back)."""
        def rows(model: type[peewee.Model], order: peewee.Field) -> list[dict[str, Any]]:
            out = []
            for r in model.select().order_by(order).dicts():
                out.append({k: (v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v)
                            for k, v in r.items()})
            return out

        with self._read():
            return {
                "format": "infoint", "format_version": 1, "schema_version": self.sql.user_version(self.db),
                "exported": self.clock().astimezone(UTC).isoformat(),
                "companies": rows(CompanyRow, CompanyRow.id), "contacts": rows(ContactRow, ContactRow.id),
                "tags": rows(TagRow, TagRow.id), "meetings": rows(MeetingRow, MeetingRow.id),
                "events": rows(EventRow, EventRow.id), "notes": rows(NoteRow, NoteRow.id),
                "settings": rows(SettingRow, SettingRow.key), "questions": rows(QuestionRow, QuestionRow.id),
                "followups": rows(FollowUpRow, FollowUpRow.id),
            }

    _EXPORT_TABLES = (("companies", CompanyRow, CompanyRow.id), ("contacts", ContactRow, ContactRow.id),
                      ("tags", TagRow, TagRow.id), ("meetings", MeetingRow, MeetingRow.id),
                      ("events", EventRow, EventRow.id), ("notes", NoteRow, NoteRow.id),
                      ("settings", SettingRow, SettingRow.key), ("questions", QuestionRow, QuestionRow.id),
                      ("followups", FollowUpRow, FollowUpRow.id))

    @_guarded
    def export_size(self, *, people_only: bool = False) -> int:
        """How many rows :meth:`export_stream` gives, every table (``people_only``: the people alone,
        what :meth:`iter_contacts` gives): the total an export's progress counts towards."""
        with self._read():
            tables = [ContactRow] if people_only else [model for _, model, _ in self._EXPORT_TABLES]
            return sum(int(self.db.execute_sql(f'SELECT count(*) FROM "{m._meta.table_name}"').fetchone()[0])
                       for m in tables)

    @_guarded
    def export_stream(self) -> Iterator[tuple[str, Any]]:
        """What :meth:`export_all` returns, as (key, value) pairs in its order, each table an iterator of
        its rows as they are read: the same values, with memory that does not grow with the data (at
        100,000 people export_all held ~840 MiB). One read transaction, held until the iterator is
        exhausted or closed. ``writers.json_chunks`` writes it as ``to_json(export_all())`` does."""
        return self._export_pairs()

    def _export_pairs(self) -> Iterator[tuple[str, Any]]:
        try:
            with self._read():
                yield "format", "infoint"
                yield "format_version", 1
                yield "schema_version", self.sql.user_version(self.db)
                yield "exported", self.clock().astimezone(UTC).isoformat()
                for key, model, order in self._EXPORT_TABLES:
                    rows = self._export_rows(model, order)
                    yield key, rows
                    rows.close()  # a consumer that skipped the rows: the cursor is not left open
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            raise self.sql.describe(exc, self.path) from exc

    def _export_rows(self, model: type[peewee.Model], order: peewee.Field) -> Iterator[dict[str, Any]]:
        """A table's rows as ``model.select().order_by(order).dicts()`` gives them (field names, Peewee's
        values, datetimes as UTC ISO text), read from the raw cursor: Peewee's per-row work made
        the export take seconds."""
        fields = model._meta.sorted_fields
        names = [f.name for f in fields]
        converted = [(i, f.name, fn) for i, f in enumerate(fields) if (fn := _export_value(f)) is not None]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        cursor = self.db.execute_sql(f'SELECT {columns} FROM "{model._meta.table_name}" '
                                     f'ORDER BY "{order.column_name}"')
        for row in cursor:
            item = dict(zip(names, row, strict=True))
            for i, name, fn in converted:
                if row[i] is not None:
                    item[name] = fn(row[i])
            yield item

    @_guarded
    def iter_contacts(self, batch: int = 500) -> Iterator[Contact]:
        """Every person (archived too) by name, as :meth:`contact` gives each: one cursor, each batch's
        tags in one query (the CSV export read five rows per person: 59 s at 100,000)."""
        return self._contacts(batch)

    def _contacts(self, batch: int) -> Iterator[Contact]:
        utc = _utc_datetime
        try:
            with self._read():
                cursor = self.db.execute_sql(
                    "SELECT c.id, c.name, c.title, co.name, c.email, c.phone, c.address, c.url, c.source, "
                    "c.referred_by_id, r.name, c.stage, c.archived, c.archive_reason, c.version, c.created, "
                    "c.updated, c.last_activity FROM contact AS c "
                    "LEFT OUTER JOIN company AS co ON co.id = c.company_id "
                    "LEFT OUTER JOIN contact AS r ON r.id = c.referred_by_id ORDER BY c.name_key, c.id")
                while rows := cursor.fetchmany(batch):
                    ids = [r[0] for r in rows]
                    tags: dict[int, list[str]] = {}
                    for cid, name in self.db.execute_sql(
                            f"SELECT contact_id, name FROM tag WHERE contact_id IN ({', '.join('?' * len(ids))}) "
                            "ORDER BY id", ids):
                        tags.setdefault(cid, []).append(name)
                    for (cid, name, title, company, email, phone, address, url, source, ref, ref_name, stage,
                         archived, reason, version, created, updated, last) in rows:
                        updated_at = utc(updated)
                        yield Contact(
                            id=cid, name=name, title=title, company=company or "", email=email, phone=phone,
                            address=address, url=url, source=Source(source) if source else None, referred_by=ref,
                            referred_by_name=ref_name or "", tags=tuple(tags.get(cid, ())), stage=Stage(stage),
                            archived=bool(archived), archive_reason=ArchiveReason(reason) if reason else None,
                            version=version, created=utc(created), updated=updated_at,
                            last_activity=utc(last) if last is not None else updated_at)
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            raise self.sql.describe(exc, self.path) from exc

    @_guarded
    def load_export(self, data: Mapping[str, Any]) -> int:
        """Read a JSON export back into this (empty) database, ids and history included; returns people.

        Raises:
            Invalid: not an infoint export, or the database already holds people.
        """
        if not isinstance(data, Mapping) or data.get("format") != "infoint":
            raise Invalid("file", "is not an infoint JSON export (no \"format\": \"infoint\").")
        if ContactRow.select().exists():
            where = "a new, empty database on the server (createdb NAME)" if self.sql.SERVER else "--db NEWFILE"
            raise Invalid("database", f"{self.path} already holds people; a JSON export is restored into an empty "
                                      f"database: use {where}.")
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
            self.sql.after_explicit_ids(self.db, [m._meta.table_name for m, _ in order if m is not SettingRow])
            self._reindex_everyone()
            return int(ContactRow.select().count())

    def copy_into(self, other: StoreBase, progress: Callable[[int, int], None] | None = None) -> int:
        """Copy every row of this database into ``other`` (empty), whatever either's backend: SQLite to
        PostgreSQL and back. Same ids, same values (each converted by its field, as the models would),
        one read snapshot here and one transaction there; the search index is built there afresh.
        The undo journal stays behind (what can be undone is this database's). Returns the people copied.

        Raises:
            Invalid: ``other`` already holds people.
        """
        from .tables import database

        database.obj = other.db
        if ContactRow.select().exists():
            raise Invalid("--to", f"{other.path} already holds people; copy into an empty database.")
        database.obj = self.db
        total = self.export_size()
        done = 0
        try:
            with self._read(), other._tx():
                QuestionRow.delete().execute(other.db)  # the copy's questions replace the seeded ones
                for _, model, order in self._EXPORT_TABLES:
                    fields = model._meta.sorted_fields
                    cursor = self.db.execute(model.select(*fields).order_by(order))
                    while batch := cursor.fetchmany(500):
                        rows = [tuple(f.python_value(v) for f, v in zip(fields, row, strict=True)) for row in batch]
                        database.obj = other.db  # the insert is built for the target's database (its dialect)
                        model.insert_many(rows, fields=fields).execute(other.db)
                        database.obj = self.db
                        done += len(batch)
                        if progress is not None:
                            progress(done, total)
                other.sql.after_explicit_ids(other.db, [m._meta.table_name for _, m, _ in self._EXPORT_TABLES
                                                        if m is not SettingRow])
                database.obj = other.db
                other._reindex_everyone()
                database.obj = self.db
                return int(self.db.execute_sql("SELECT count(*) FROM contact").fetchone()[0])
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            err = (other.sql if other.sql.SERVER else self.sql).describe(exc, f"{self.path} → {other.path}")
            for path in (self.path, other.path):  # a server's password, if the message quotes it
                err = type(err)(getattr(path, "scrub", str)(str(err)))
            raise err from exc
        finally:
            database.obj = self.db

    @_guarded
    def backup(self, target: Path) -> Path:
        """A consistent copy of the database (0600)."""
        return self.sql.backup(self.db, target)


def _utc_datetime(value: Any) -> datetime:
    """An aware UTC datetime from a raw column, as ``UtcDateTimeField.python_value`` gives it (its
    strptime is ~10x slower than fromisoformat on the form the store writes)."""
    moment = _stored_moment(value)
    if moment is not None:
        return moment.replace(tzinfo=UTC)
    parsed: datetime = ContactRow.created.python_value(value)
    return parsed


def _stored_moment(value: Any) -> datetime | None:
    """``value`` read as the naive UTC moment the store writes, or None when it is in another form."""
    if not _stored_form(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else None


def _stored_form(value: Any) -> bool:
    """Is ``value`` in the form the store writes, "YYYY-MM-DD HH:MM:SS[.ffffff]" (what Peewee's strptime
    formats read the same as fromisoformat)?"""
    return type(value) is str and value[10:11] == " " and (
        len(value) == 19 or (len(value) == 26 and value[19] == "."))


def _export_value(field: peewee.Field) -> Callable[[Any], Any] | None:
    """How a raw column value of ``field`` becomes what :meth:`TransferMixin.export_all` writes (None:
    as it is: ids, numbers and text come out of SQLite as Peewee would give them)."""
    if isinstance(field, peewee.DateTimeField):
        def moment(value: Any) -> Any:
            # The store writes "YYYY-MM-DD HH:MM:SS[.ffffff]" (naive UTC): checked in C, and its ISO text
            # is the same characters rearranged (~3x faster than isoformat on a datetime). Anything else
            # goes through Peewee's own parsing, as export_all did, and stays text if Peewee cannot read it.
            stored = _stored_moment(value)
            if stored is not None:
                end = 19 if stored.microsecond == 0 else 26  # isoformat leaves out a zero fraction
                return value[:10] + "T" + value[11:end] + "+00:00"
            parsed = field.python_value(value)
            return parsed.astimezone(UTC).isoformat() if isinstance(parsed, datetime) else parsed
        return moment
    if isinstance(field, peewee.BooleanField):
        return bool
    if isinstance(field, (peewee.IntegerField, peewee.ForeignKeyField, peewee.CharField, peewee.TextField)):
        return None
    return field.python_value
