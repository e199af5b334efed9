"""Ordered schema migrations keyed on ``PRAGMA user_version``.

Each step runs in one transaction and stamps its version inside it, after a
VACUUM INTO backup (0600) of the database as it was. A database from a newer
version is refused before anything is written.

Steps use *frozen* table definitions (snapshots taken when the step was
written), never the live models of tables.py, so that an old database is
upgraded through exactly the shapes it went through. tests/store/test_migrations.py
checks that a fresh database built by these steps matches the live models.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import peewee

from ..domain.errors import StoreError
from ..domain.text import company_key
from . import backends
from .questions import SEED_QUESTIONS
from .tables import UtcDateTimeField

Step = Callable[[peewee.Database], None]


def _table(db: peewee.Database, table: str, indexes: tuple[object, ...] = (), /, **fields: peewee.Field
           ) -> type[peewee.Model]:
    meta = type("Meta", (), {"database": db, "table_name": table, "indexes": indexes})
    return type(f"Frozen_{table}", (peewee.Model,), {"Meta": meta, "__module__": __name__, **fields})


def _v1(db: peewee.Database) -> None:
    """The first schema: people, companies, tags, meetings, events, notes, settings, questions."""
    company = _table(db, "company", name=peewee.CharField(), key=peewee.CharField(unique=True),
                     created=UtcDateTimeField())
    contact = _table(
        db, "contact", ((("archived", "stage", "name_key"), False),),
        name=peewee.CharField(), name_key=peewee.CharField(index=True), title=peewee.CharField(default=""),
        company=peewee.ForeignKeyField(company, null=True, on_delete="SET NULL"),
        email=peewee.CharField(default=""), phone=peewee.CharField(default=""),
        address=peewee.CharField(default=""), url=peewee.CharField(default=""),
        source=peewee.CharField(null=True),
        referred_by=peewee.ForeignKeyField("self", null=True, on_delete="SET NULL"),
        stage=peewee.CharField(default="to-contact"), archived=peewee.BooleanField(default=False),
        archive_reason=peewee.CharField(null=True), version=peewee.IntegerField(default=1),
        created=UtcDateTimeField(), updated=UtcDateTimeField(),
    )
    tag = _table(db, "tag", ((("contact", "name"), True), (("name",), False)),
                 contact=peewee.ForeignKeyField(contact, on_delete="CASCADE"), name=peewee.CharField())
    meeting = _table(
        db, "meeting", contact=peewee.ForeignKeyField(contact, on_delete="CASCADE"),
        starts_at=UtcDateTimeField(index=True), minutes=peewee.IntegerField(default=30),
        medium=peewee.CharField(default="phone"), location=peewee.CharField(default=""),
        held=peewee.BooleanField(default=False), held_minutes=peewee.IntegerField(null=True),
        cancelled=peewee.BooleanField(default=False), created=UtcDateTimeField(),
    )
    event = _table(
        db, "event", ((("contact", "at"), False),),
        contact=peewee.ForeignKeyField(contact, on_delete="CASCADE"), kind=peewee.CharField(),
        at=UtcDateTimeField(), created=UtcDateTimeField(), channel=peewee.CharField(default=""),
        stage_from=peewee.CharField(null=True), stage_to=peewee.CharField(null=True),
        minutes=peewee.IntegerField(null=True),
        meeting=peewee.ForeignKeyField(meeting, null=True, on_delete="SET NULL"),
        detail=peewee.TextField(default=""),
    )
    note = _table(
        db, "note", ((("contact", "created"), False),),
        contact=peewee.ForeignKeyField(contact, on_delete="CASCADE"),
        meeting=peewee.ForeignKeyField(meeting, null=True, on_delete="SET NULL"),
        text=peewee.TextField(default=""), created=UtcDateTimeField(), updated=UtcDateTimeField(),
        version=peewee.IntegerField(default=1),
    )
    setting = _table(db, "setting", key=peewee.CharField(primary_key=True), value=peewee.TextField())
    question = _table(db, "question", group=peewee.CharField(), text=peewee.TextField(),
                      position=peewee.IntegerField(), always=peewee.BooleanField(default=False))
    db.create_tables([company, contact, tag, meeting, event, note, setting, question])
    backends.of(db).create_search(db)
    question.insert_many(
        [{"group": g, "text": t, "position": i, "always": a} for i, (g, t, a) in enumerate(SEED_QUESTIONS)]
    ).execute()


def _v2(db: peewee.Database) -> None:
    """Follow-up answers (snoozed, dismissed, done) and ``contact.last_activity`` for sorting by activity."""
    contact = _table(db, "contact")
    followup = _table(
        db, "followup", ((("contact", "rule", "anchor"), True),),
        contact=peewee.ForeignKeyField(contact, on_delete="CASCADE"), rule=peewee.CharField(),
        anchor=peewee.CharField(), state=peewee.CharField(), until=UtcDateTimeField(null=True),
        at=UtcDateTimeField(),
    )
    db.create_tables([followup])
    from playhouse.migrate import SchemaMigrator, migrate  # only when upgrading a v1 database

    migrator = SchemaMigrator.from_database(db)
    last = UtcDateTimeField(null=True)
    migrate(migrator.add_column("contact", "last_activity", last), migrator.add_index("contact", ("last_activity",)))
    # Backfill: the latest of the contact's own update time, events and notes.
    db.execute_sql(
        "UPDATE contact SET last_activity = (SELECT MAX(t) FROM ("
        " SELECT contact.updated AS t"
        " UNION ALL SELECT MAX(e.at) FROM event e WHERE e.contact_id = contact.id"
        " UNION ALL SELECT MAX(n.updated) FROM note n WHERE n.contact_id = contact.id) AS times)"
    )


def _v3(db: peewee.Database) -> None:
    """An index for the board: each column is one stage ordered by last activity (100k people: a column's
    first page without sorting the whole stage)."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrate(SchemaMigrator.from_database(db).add_index("contact", ("archived", "stage", "last_activity")))


def _v4(db: peewee.Database) -> None:
    """Indexes for the contact list in either order (by name, by last activity) among the active or the
    archived people: at 100,000 people its first page and its count went from ~0.2 s (sorting every
    row) to under 5 ms."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_index("contact", ("archived", "name_key")),
            migrator.add_index("contact", ("archived", "last_activity")))


def _v5(db: peewee.Database) -> None:
    """Notes indexed for search by person (all of a person's notes in one row) instead of by note: a
    search found notes and then had to look up each one's person (a word in 90,000 notes: ~40 ms)."""
    backends.of(db).index_notes_by_person(db)


def _v6(db: peewee.Database) -> None:
    """The journal of undoable changes (undo and redo across restarts and terminals)."""
    contact = _table(db, "contact")
    journal = _table(
        db, "journal", contact=peewee.ForeignKeyField(contact, on_delete="CASCADE"), at=UtcDateTimeField(),
        label=peewee.CharField(), changes=peewee.TextField(), undone=peewee.BooleanField(default=False),
    )
    db.create_tables([journal])


def _v7(db: peewee.Database) -> None:
    """Companies re-keyed by the folding of issue 16 (accents, punctuation and legal suffixes too), and
    those whose new keys are one merged into the oldest of them: "Northwind Analytics" and "Northwind
    Analytics, Inc." were two companies. Every person moves with their history untouched (only their
    company_id changes); the merged company rows go. The rule is the live ``company_key`` (what new names
    are matched with); a later change to it needs a step of its own."""
    rows = db.execute_sql("SELECT id, name FROM company ORDER BY id").fetchall()
    keep: dict[str, int] = {}
    moved: dict[int, int] = {}
    for cid, name in rows:
        key = company_key(name) or f"#{cid}"  # a name that folds to nothing stays its own company
        if key in keep:
            moved[cid] = keep[key]
        else:
            keep[key] = cid
    for old, new in moved.items():
        db.execute_sql("UPDATE contact SET company_id = ? WHERE company_id = ?", (new, old))
        db.execute_sql("DELETE FROM company WHERE id = ?", (old,))
    # Keys set after the deletions, from placeholders: two rows may not hold one key (UNIQUE) even for
    # a moment (one company's new key may be another's old one).
    db.execute_sql("UPDATE company SET key = '#' || id")
    for key, cid in keep.items():
        db.execute_sql("UPDATE company SET key = ? WHERE id = ?", (key, cid))
    targets = sorted(set(moved.values()))
    for i in range(0, len(targets), 500):  # search: the moved people now show their company's kept name
        chunk = targets[i:i + 500]
        marks = ", ".join("?" * len(chunk))
        people = db.execute_sql(
            "SELECT c.id, c.name, co.name, c.title FROM contact c JOIN company co ON co.id = c.company_id "
            f"WHERE c.company_id IN ({marks})", tuple(chunk)).fetchall()
        for pid, name, company, title in people:
            tags = " ".join(t for (t,) in db.execute_sql("SELECT name FROM tag WHERE contact_id = ? ORDER BY id",
                                                         (pid,)))
            backends.of(db).index_contact(db, pid, name, company, title, tags)


def _v8(db: peewee.Database) -> None:
    """The open follow-ups computed ahead (what the agenda reads: at 100,000 people, every history read
    at every look took ~0.5 s), the people whose ones may be stale, kept by triggers, and what they
    were computed with. Empty: the first look computes them (``FollowupsMixin``)."""
    contact = _table(db, "contact")
    open_ = _table(
        db, "followup_open", contact=peewee.ForeignKeyField(contact, on_delete="CASCADE"),
        position=peewee.IntegerField(), name=peewee.CharField(), company=peewee.CharField(), rule=peewee.CharField(),
        anchor=peewee.CharField(), due=UtcDateTimeField(), title=peewee.CharField(), log=peewee.CharField(null=True))
    stale = _table(db, "followup_stale", contact_id=peewee.IntegerField(primary_key=True))
    basis = _table(db, "followup_basis", id=peewee.IntegerField(primary_key=True), basis=peewee.TextField())
    db.create_tables([open_, stale, basis])
    backends.of(db).create_followup_triggers(db)


STEPS: tuple[Step, ...] = (_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8)
"""Append only. Step i brings the schema to version i + 1."""
LATEST = len(STEPS)


def backup_path(path: Path, version: int, now: datetime) -> Path:
    """Where the pre-migration copy of ``path`` goes."""
    return path.with_name(f"{path.stem}.v{version}-backup-{now:%Y%m%dT%H%M%S}{path.suffix or '.sqlite3'}")


def upgrade(db: peewee.Database, path: object, now: datetime) -> int:
    """Bring the database to :data:`LATEST`; returns the version it had. The same steps on SQLite and on
    PostgreSQL; what differs (the search index, the version stamp, the backup) is the backend's.

    Raises:
        StoreError: newer than this program, or not an infoint database.
    """
    sql = backends.of(db)
    current = sql.user_version(db)
    if current > LATEST:
        raise StoreError(
            f"the database {path} was written by a newer infoint (schema {current}, this one knows "
            f"{LATEST}); upgrade infoint to open it."
        )
    if current == 0 and sql.table_names(db):
        kind = "PostgreSQL database" if sql.SERVER else "SQLite database"
        raise StoreError(f"{path} is a {kind} but not an infoint one; use --db to pick another"
                         f"{' database (one of its own for infoint)' if sql.SERVER else ' file'}.")
    if current == LATEST:
        return current
    sql.enable_wal(db, path)
    if current > 0 and not sql.SERVER and str(path) != ":memory:":
        # A server's DDL is transactional (each step below commits whole or not at all); its backups are
        # the server's (pg_dump) or 'infoint backup' (a JSON export).
        sql.backup(db, backup_path(Path(str(path)), current, now))
    for version in range(current + 1, LATEST + 1):
        with db.atomic():
            sql.begin_write(db)
            if sql.user_version(db) >= version:  # another program (on another machine) did this step meanwhile
                continue
            STEPS[version - 1](db)
            sql.after_step(db)
            sql.set_user_version(db, version)
    problems = sql.integrity_problems(db)
    if problems:
        raise StoreError(f"the upgraded database {path} failed its check: {problems[0]}")
    return current
