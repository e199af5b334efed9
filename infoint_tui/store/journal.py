"""The journal's rows: images of one person's rows before and after a change, their difference, and
putting a difference back (undo) or forward again (redo).

Rows are read and written as raw column values (what SQLite holds), so an undo restores exactly the
bytes that were there. A person's rows are their contact row and their tags, meetings, events, notes
and follow-up answers; every journaled change touches one person's rows only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import peewee

from ..domain.errors import Conflict

Image = dict[tuple[str, int], dict[str, Any]]

_CHILDREN = ("tag", "event", "note", "followup")
"""Tables keyed on ``contact_id`` whose rows may refer to a meeting: written after, removed before it."""
_IGNORED = {("contact", "last_activity")}
"""Columns whose change since does not block an undo (a note typed later moves last activity)."""


def _rows(db: peewee.Database, sql: str, params: tuple[object, ...]) -> list[dict[str, Any]]:
    cursor = db.execute_sql(sql, params)
    names = [d[0] for d in cursor.description]
    return [{n: _raw(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _raw(value: Any) -> Any:
    """A column value as JSON holds it: a timestamp (PostgreSQL gives datetimes) in the text form SQLite
    stores, naive UTC "YYYY-MM-DD HH:MM:SS[.ffffff]", which either database takes back."""
    return value.isoformat(" ") if isinstance(value, datetime) else value


def last_company(db: peewee.Database) -> int:
    """The newest company's id: a change may add a company (an edit to a new one), which its undo removes."""
    return int(db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM company").fetchone()[0])


def snapshot(db: peewee.Database, contact_id: int | Iterable[int], companies_after: int | None = None) -> Image:
    """Every row of one person (or several: a merge of two people), keyed by (table, id), and the companies
    added after ``companies_after``."""
    image: Image = {}
    if companies_after is not None:
        for row in _rows(db, "SELECT * FROM company WHERE id > ?", (companies_after,)):
            image["company", row["id"]] = row
    for person in ([contact_id] if isinstance(contact_id, int) else contact_id):
        for row in _rows(db, "SELECT * FROM contact WHERE id = ?", (person,)):
            image["contact", row["id"]] = row
        for table in ("meeting", *_CHILDREN):
            for row in _rows(db, f"SELECT * FROM {table} WHERE contact_id = ?", (person,)):
                image[table, row["id"]] = row
    return image


def diff(before: Image, after: Image) -> list[list[Any]]:
    """The rows that differ: [table, id, before or None, after or None]."""
    return [[t, i, before.get((t, i)), after.get((t, i))] for t, i in sorted(before.keys() | after.keys())
            if before.get((t, i)) != after.get((t, i))]


def people(changes_json: str) -> list[int]:
    """The people whose contact row a change touched (two for a merge, else one or none)."""
    return sorted({i for t, i, _, _ in json.loads(changes_json) if t == "contact"})


def dumps(changes: list[list[Any]]) -> str:
    return json.dumps(changes, ensure_ascii=False, separators=(",", ":"))


def _same(table: str, a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(a.get(k) == b.get(k) for k in a.keys() | b.keys() if (table, k) not in _IGNORED)


def apply(db: peewee.Database, contact_id: int, changes_json: str, *, backwards: bool, what: str) -> None:
    """Put every row of a change back to its image before it (``backwards``) or after it.

    Raises:
        Conflict: a row is no longer as the change left it (changed since, in this or another
            terminal): nothing is written.
    """
    changes = json.loads(changes_json)
    companies = [i for t, i, _, _ in changes if t == "company"]
    people = {contact_id, *(i for t, i, _, _ in changes if t == "contact")}  # a merge names two
    current = snapshot(db, sorted(people), min(companies) - 1 if companies else None)
    plan = []
    for table, row_id, before, after in changes:
        expected, target = (after, before) if backwards else (before, after)
        if not _same(table, current.get((table, row_id)), expected):
            verb = "undone" if backwards else "redone"
            raise Conflict(f"'{what}' cannot be {verb}: that record was changed since. Nothing changed.")
        if target is not None and current.get((table, row_id)) is None and db.execute_sql(
                f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None:
            # The row's id was given to another record since (SQLite gives the largest id again once its
            # row is deleted): putting the row back would overwrite someone else's.
            verb = "undone" if backwards else "redone"
            raise Conflict(f"'{what}' cannot be {verb}: its place in the record was taken since. Nothing changed.")
        plan.append((table, row_id, target))
    order = {"company": -1, "contact": 0, "meeting": 1}
    # Removals children first, then writes parents first (foreign keys hold at every statement).
    for table, row_id, target in sorted(plan, key=lambda p: -order.get(p[0], 2)):
        if target is None:
            db.execute_sql(f"DELETE FROM {table} WHERE id = ?", (row_id,))
    introduced: list[tuple[int, int]] = []
    for table, row_id, target in sorted(plan, key=lambda p: order.get(p[0], 2)):
        if target is not None:
            if table == "contact" and target.get("referred_by_id") is not None:
                # Linked after every person is back: a merge undone puts back two people, one of whom may
                # have been introduced by the other (the lower id first: its introducer was not there yet).
                introduced.append((row_id, target["referred_by_id"]))
                target = {**target, "referred_by_id": None}
            names = list(target)
            # An upsert, not INSERT OR REPLACE: replacing a contact row would delete it first, and with it
            # (the cascade) everything of the person.
            sets = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
            db.execute_sql(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
                           f"ON CONFLICT(id) DO UPDATE SET {sets}", tuple(target[n] for n in names))
    for row_id, referrer in introduced:
        db.execute_sql("UPDATE contact SET referred_by_id = ? WHERE id = ?", (referrer, row_id))
