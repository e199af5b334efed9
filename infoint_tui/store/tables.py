"""Peewee tables. Private to the store: rows never leave it (converters turn them into domain records)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import peewee


class ThreadDatabase(peewee.DatabaseProxy):
    """The database the models read and write: the one of the store working on this thread.

    A plain proxy is global: a second store opened in the same process (a restore, a test's "other
    terminal", the app's store opened early by a key) took the models over, and the first store's
    transactions then began on its own connection while its queries ran on the other's: not one
    transaction, and "database is locked" on the next write. Every :class:`Store` method binds its
    database here for the calling thread first (``base._guarded``)."""

    __slots__ = ("_local",)
    __setattr__ = object.__setattr__  # Proxy's refuses attributes that are not its slots

    def __init__(self) -> None:
        self._local = threading.local()
        super().__init__()

    @property  # type: ignore[override]
    def obj(self) -> peewee.Database | None:
        return getattr(self._local, "db", None)

    @obj.setter
    def obj(self, db: peewee.Database | None) -> None:
        self._local.db = db


database = ThreadDatabase()
"""Bound per thread to the database of the store in use (see :class:`ThreadDatabase`)."""


class UtcDateTimeField(peewee.DateTimeField):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC (portable across databases)."""

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return super().db_value(value)

    def python_value(self, value: Any) -> Any:
        value = super().python_value(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class BaseRow(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


class CompanyRow(BaseRow):
    name = peewee.CharField()
    key = peewee.CharField(unique=True)
    """Case- and space-folded name: "ACME  Corp" and "acme corp" are one company."""
    created = UtcDateTimeField()

    class Meta:
        table_name = "company"


class ContactRow(BaseRow):
    name = peewee.CharField()
    name_key = peewee.CharField(index=True)
    """Case-folded name, for sorting without a per-query collation."""
    title = peewee.CharField(default="")
    company = peewee.ForeignKeyField(CompanyRow, null=True, on_delete="SET NULL", backref="contacts")
    email = peewee.CharField(default="")
    phone = peewee.CharField(default="")
    address = peewee.CharField(default="")
    url = peewee.CharField(default="")
    source = peewee.CharField(null=True)
    referred_by = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="referrals")
    stage = peewee.CharField(default="to-contact")
    archived = peewee.BooleanField(default=False)
    archive_reason = peewee.CharField(null=True)
    version = peewee.IntegerField(default=1)
    """Bumped by every update; a conditional UPDATE on it turns lost updates into conflicts."""
    created = UtcDateTimeField()
    updated = UtcDateTimeField()
    last_activity = UtcDateTimeField(null=True, index=True)
    """Latest event or note: a cache of the history, kept in the same transaction as each write."""

    class Meta:
        table_name = "contact"
        indexes = ((("archived", "stage", "name_key"), False), (("archived", "stage", "last_activity"), False),
                   (("archived", "name_key"), False), (("archived", "last_activity"), False))


class TagRow(BaseRow):
    contact = peewee.ForeignKeyField(ContactRow, on_delete="CASCADE", backref="tag_rows")
    name = peewee.CharField()

    class Meta:
        table_name = "tag"
        indexes = ((("contact", "name"), True), (("name",), False))


class MeetingRow(BaseRow):
    contact = peewee.ForeignKeyField(ContactRow, on_delete="CASCADE", backref="meetings")
    starts_at = UtcDateTimeField(index=True)
    minutes = peewee.IntegerField(default=30)
    medium = peewee.CharField(default="phone")
    location = peewee.CharField(default="")
    held = peewee.BooleanField(default=False)
    held_minutes = peewee.IntegerField(null=True)
    cancelled = peewee.BooleanField(default=False)
    created = UtcDateTimeField()

    class Meta:
        table_name = "meeting"


class EventRow(BaseRow):
    contact = peewee.ForeignKeyField(ContactRow, on_delete="CASCADE", backref="events")
    kind = peewee.CharField()
    at = UtcDateTimeField()
    """When it happened (the user may log the past)."""
    created = UtcDateTimeField()
    """When it was recorded."""
    channel = peewee.CharField(default="")
    stage_from = peewee.CharField(null=True)
    stage_to = peewee.CharField(null=True)
    minutes = peewee.IntegerField(null=True)
    meeting = peewee.ForeignKeyField(MeetingRow, null=True, on_delete="SET NULL")
    detail = peewee.TextField(default="")

    class Meta:
        table_name = "event"
        indexes = ((("contact", "at"), False),)


class NoteRow(BaseRow):
    contact = peewee.ForeignKeyField(ContactRow, on_delete="CASCADE", backref="notes")
    meeting = peewee.ForeignKeyField(MeetingRow, null=True, on_delete="SET NULL")
    text = peewee.TextField(default="")
    created = UtcDateTimeField()
    updated = UtcDateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        table_name = "note"
        indexes = ((("contact", "created"), False),)


class SettingRow(BaseRow):
    key = peewee.CharField(primary_key=True)
    value = peewee.TextField()

    class Meta:
        table_name = "setting"


class QuestionRow(BaseRow):
    group = peewee.CharField()
    text = peewee.TextField()
    position = peewee.IntegerField()
    always = peewee.BooleanField(default=False)

    class Meta:
        table_name = "question"


class FollowUpRow(BaseRow):
    """What the user did with a computed follow-up (snoozed, dismissed, done). Added in schema v2.

    Follow-ups themselves are computed from the history; this only remembers the user's answers,
    keyed by the rule and the event that started it.
    """

    contact = peewee.ForeignKeyField(ContactRow, on_delete="CASCADE", backref="followups")
    rule = peewee.CharField()
    anchor = peewee.CharField()
    """Identifies the occurrence: the rule's triggering event id or date."""
    state = peewee.CharField()
    """snoozed, dismissed or done."""
    until = UtcDateTimeField(null=True)
    at = UtcDateTimeField()

    class Meta:
        table_name = "followup"
        indexes = ((("contact", "rule", "anchor"), True),)


class JournalRow(BaseRow):
    """One change that can be undone (schema v6): the rows it touched, before and after, as JSON.

    Written in the same transaction as the change. Erasing a person erases their rows here too
    (the cascade, and ``Store.delete`` says so): the journal keeps nothing of an erased person.
    """

    contact = peewee.ForeignKeyField(ContactRow, on_delete="CASCADE", backref="journal")
    at = UtcDateTimeField()
    label = peewee.CharField()
    """What was done, for the notice that undoes it ("moved to met: Ada Lovelace")."""
    changes = peewee.TextField()
    """JSON: [[table, id, row before or null, row after or null], ...], rows as raw column values."""
    undone = peewee.BooleanField(default=False)

    class Meta:
        table_name = "journal"


class OpenFollowUpRow(BaseRow):
    """The follow-ups the rules give each person, as last computed (schema v8): what Today and
    ``infoint agenda`` read, instead of every history at every look (100,000 people: ~0.5 s).

    Derived, never the truth: the history is. Triggers (the backend's ``create_followup_triggers``) mark
    stale whoever a change to an event, a person or a company may concern (:class:`StaleFollowUpRow`);
    the write transaction recomputes them before it commits, and a reader computes any still marked
    (a write by another program) itself. Active people only (archiving one marks them)."""

    contact = peewee.ForeignKeyField(ContactRow, on_delete="CASCADE")
    position = peewee.IntegerField()
    """Its place among the person's follow-ups, as the rules gave them."""
    name = peewee.CharField()
    company = peewee.CharField()
    """The person's name and company's, as they were (a change to either marks the person stale)."""
    rule = peewee.CharField()
    anchor = peewee.CharField()
    due = UtcDateTimeField()
    title = peewee.CharField()
    log = peewee.CharField(null=True)

    class Meta:
        table_name = "followup_open"


class StaleFollowUpRow(BaseRow):
    """People whose :class:`OpenFollowUpRow` rows may be out of date (schema v8; kept by triggers)."""

    contact_id = peewee.IntegerField(primary_key=True)

    class Meta:
        table_name = "followup_stale"


class FollowUpBasisRow(BaseRow):
    """What the :class:`OpenFollowUpRow` rows were computed with (schema v8; one row, or none before the
    first computation): the rules' timings and holidays, the rules' version and the local time zone
    (``FollowupsMixin._basis``). Rows computed on another basis are not read."""

    id = peewee.IntegerField(primary_key=True)
    basis = peewee.TextField()

    class Meta:
        table_name = "followup_basis"


ALL_TABLES: tuple[type[BaseRow], ...] = (
    CompanyRow, ContactRow, TagRow, MeetingRow, EventRow, NoteRow, SettingRow, QuestionRow, FollowUpRow,
    JournalRow, OpenFollowUpRow, StaleFollowUpRow, FollowUpBasisRow,
)
"""Every table, as the migrations build them (tests/store/test_migrations.py compares the two)."""
