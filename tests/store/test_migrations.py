"""Upgrading an older database keeps every row and value."""

import sqlite3
import stat
from pathlib import Path

import peewee

from infoint_tui.domain.model import Filter
from infoint_tui.store import Store, migrations, sqlite, tables

from ..conftest import NOW


def _build_v1(path: Path) -> None:
    """A database as version 1 of the app wrote it, with data in every table."""
    db = sqlite.connect(path)
    sqlite.enable_wal(db, path)
    with db.atomic():
        migrations.STEPS[0](db)
        sqlite.set_user_version(db, 1)
    t = "2026-11-01 10:00:00"
    db.execute_sql("INSERT INTO company (id, name, key, created) VALUES (1, 'Acme', 'acme', ?)", (t,))
    db.execute_sql(
        "INSERT INTO contact (id, name, name_key, title, company_id, email, phone, address, url, source, "
        "referred_by_id, stage, archived, archive_reason, version, created, updated) VALUES "
        "(1, 'Ada [b]', 'ada [b]', 'CTO', 1, 'ada@acme.io', '+1 555', 'Main St', 'https://l.example/in/ada', "
        "'linkedin', NULL, 'met', 0, NULL, 3, ?, ?),"
        "(2, 'Bob', 'bob', '', NULL, '', '', '', '', 'referral', 1, 'to-contact', 1, 'declined', 1, ?, ?)",
        (t, t, t, t))
    db.execute_sql("INSERT INTO tag (contact_id, name) VALUES (1, 'fintech')")
    db.execute_sql("INSERT INTO meeting (id, contact_id, starts_at, minutes, medium, location, held, held_minutes, "
                   "cancelled, created) VALUES (1, 1, '2026-11-05 14:00:00', 30, 'video', 'Zoom', 1, 25, 0, ?)", (t,))
    db.execute_sql("INSERT INTO event (contact_id, kind, at, created, channel, stage_from, stage_to, minutes, "
                   "meeting_id, detail) VALUES (1, 'call', '2026-11-05 14:30:00', ?, '', NULL, NULL, 25, 1, ''),"
                   "(1, 'stage', '2026-11-05 14:30:00', ?, '', 'scheduled', 'met', NULL, NULL, '')", (t, t))
    db.execute_sql("INSERT INTO note (id, contact_id, meeting_id, text, created, updated, version) VALUES "
                   "(1, 1, 1, 'Advice: dbt\n\tand more', ?, '2026-11-06 08:00:00', 2)", (t,))
    sqlite.index_contact(db, 1, "Ada [b]", "Acme", "CTO", "fintech")
    db.execute_sql("INSERT INTO note_fts(rowid, text) VALUES (1, ?)", ("Advice: dbt\n\tand more",))  # as v1 did
    db.execute_sql("INSERT INTO setting (key, value) VALUES ('pitch', 'My pitch')")
    db.close()


def _dump(path: Path, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        con.close()


def test_v1_database_upgrades_with_every_row_and_value(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _build_v1(path)
    before = {t: _dump(path, t) for t in ("company", "contact", "tag", "meeting", "event", "note", "setting",
                                          "question")}
    store = Store.open(path, lambda: NOW)
    assert store.migrated_from == 1
    assert sqlite.user_version(store.db) == migrations.LATEST
    store.close()
    for table, rows in before.items():
        after = _dump(path, table)
        if table == "contact":  # v2 appended last_activity
            after = [r[:-1] for r in after]
        assert after == rows, table
    # the new column is backfilled from the history: Ada's note (Nov 6) is her latest activity
    con = sqlite3.connect(path)
    assert con.execute("SELECT last_activity FROM contact WHERE id = 1").fetchone()[0].startswith("2026-11-06 08:00")
    con.close()
    store = Store.open(path, lambda: NOW)
    d = store.detail(1)
    assert (d.contact.name, d.contact.company, d.contact.tags, d.contact.version) == \
        ("Ada [b]", "Acme", ("fintech",), 3)
    assert d.notes[0].text == "Advice: dbt\n\tand more"
    assert store.count(Filter(query="dbt")) == 1
    assert store.summaries(Filter(archived=True))[0].name == "Bob"
    assert store.pitch() == "My pitch"
    # schema 8: the follow-ups computed ahead, at the first look, from the history the file already had
    assert [(f.name, f.rule, f.anchor) for f in store.followups()] == [("Ada [b]", "thank-you", "1")]
    store.close()


def test_the_upgrade_keeps_a_private_backup_of_the_old_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _build_v1(path)
    Store.open(path, lambda: NOW).close()
    [backup] = tmp_path.glob("old.v1-backup-*.sqlite3")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    assert con.execute("SELECT name FROM contact ORDER BY id").fetchall() == [("Ada [b]",), ("Bob",)]
    con.close()


def test_a_failing_step_rolls_back_and_leaves_the_old_version(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.sqlite3"
    _build_v1(path)

    def broken(db: peewee.Database) -> None:
        db.execute_sql("ALTER TABLE contact ADD COLUMN half_done TEXT")
        raise peewee.OperationalError("simulated failure")

    monkeypatch.setattr(migrations, "STEPS", (migrations.STEPS[0], broken))
    try:
        Store.open(path, lambda: NOW)
    except Exception:
        pass
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    cols = [r[1] for r in con.execute("PRAGMA table_info(contact)")]
    assert "half_done" not in cols
    con.close()


def test_fresh_schema_matches_the_live_models(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "fresh.sqlite3")
    for model in tables.ALL_TABLES:
        table = model._meta.table_name
        columns = {c.name for c in store.db.get_columns(table)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}, table
    store.close()


def test_v7_rekeys_companies_and_merges_those_that_are_one(tmp_path: Path) -> None:
    """Issue 16: "Northwind Analytics" and "Northwind Analytics, Inc." were two companies; after v7 they
    are one (the oldest), everyone at either kept with their history, and search finds them by it."""
    path = tmp_path / "v6.sqlite3"
    db = sqlite.connect(path)
    sqlite.enable_wal(db, path)
    for version, step in enumerate(migrations.STEPS[:6], start=1):
        with db.atomic():
            step(db)
            sqlite.set_user_version(db, version)
    t = "2026-11-01 10:00:00"
    db.execute_sql("INSERT INTO company (id, name, key, created) VALUES (1, 'Northwind Analytics', "
                   "'northwind analytics', ?), (2, 'Northwind Analytics, Inc.', 'northwind analytics, inc.', ?), "
                   "(3, 'Société Générale S.A.', 'société générale s.a.', ?), (4, 'Inc', 'inc', ?)", (t, t, t, t))
    for pid, name, company in ((1, "Ada", 1), (2, "Bob", 2), (3, "Cy", 3), (4, "Di", 4)):
        db.execute_sql("INSERT INTO contact (id, name, name_key, title, company_id, email, phone, address, url, "
                       "stage, archived, version, created, updated) VALUES (?, ?, ?, '', ?, '', '', '', '', "
                       "'to-contact', 0, 1, ?, ?)", (pid, name, name.casefold(), company, t, t))
        db.execute_sql("INSERT INTO event (contact_id, kind, at, created, channel, detail) "
                       "VALUES (?, 'created', ?, ?, '', '')", (pid, t, t))
        db.execute_sql("INSERT INTO note (contact_id, text, created, updated, version) VALUES (?, 'hello', ?, ?, 1)",
                       (pid, t, t))
    sqlite.index_contact(db, 2, "Bob", "Northwind Analytics, Inc.", "", "")
    db.close()
    events, notes = _dump(path, "event"), _dump(path, "note")

    store = Store.open(path, lambda: NOW)
    assert store.migrated_from == 6
    assert _dump(path, "company") == [(1, "Northwind Analytics", "northwind analytics", t),
                                      (3, "Société Générale S.A.", "societe generale", t), (4, "Inc", "inc", t)]
    assert {c.name: c.company for c in (store.contact(i) for i in (1, 2, 3, 4))} == {
        "Ada": "Northwind Analytics", "Bob": "Northwind Analytics", "Cy": "Société Générale S.A.", "Di": "Inc"}
    assert _dump(path, "event") == events
    assert _dump(path, "note") == notes
    assert [s.name for s in store.summaries(Filter(company="northwind"))] == ["Ada", "Bob"]
    assert [s.name for s in store.summaries(Filter(query="Bob"))] == ["Bob"]
    assert store.summaries(Filter(company="societe generale sa"))[0].name == "Cy"
    store.close()
