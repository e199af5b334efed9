"""Plain, frozen records that the store returns and the UI and CLI display.

Peewee rows never leave the store; these dataclasses do. Datetimes are aware, in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from .listing import Filter as Filter  # re-exported: the records live together
from .listing import Summary as Summary
from .pipeline import ArchiveReason, Kind, Medium, Source, Stage


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """What a form or ``infoint add`` supplies for a new or edited person (already validated)."""

    name: str
    title: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    url: str = ""
    source: Source | None = None
    referred_by: int | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contact:
    """A person in the network."""

    id: int
    name: str
    title: str
    company: str
    email: str
    phone: str
    address: str
    url: str
    source: Source | None
    referred_by: int | None
    referred_by_name: str
    tags: tuple[str, ...]
    stage: Stage
    archived: bool
    archive_reason: ArchiveReason | None
    version: int
    created: datetime
    updated: datetime
    last_activity: datetime


@dataclass(frozen=True, slots=True)
class Meeting:
    """A scheduled (and perhaps held) conversation."""

    id: int
    contact_id: int
    starts_at: datetime
    minutes: int
    medium: Medium
    location: str
    held: bool
    held_minutes: int | None
    cancelled: bool


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a person's history: an interaction or a change. Never overwritten."""

    id: int
    contact_id: int
    kind: Kind
    at: datetime
    channel: str = ""
    stage_from: Stage | None = None
    stage_to: Stage | None = None
    minutes: int | None = None
    meeting_id: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """A note on a person, perhaps tied to a meeting."""

    id: int
    contact_id: int
    text: str
    created: datetime
    updated: datetime
    version: int
    meeting_id: int | None = None


@dataclass(frozen=True, slots=True)
class Detail:
    """Everything about one person: the contact, history (oldest first), meetings, notes (newest first)."""

    contact: Contact
    history: tuple[Event, ...]
    meetings: tuple[Meeting, ...]
    notes: tuple[Note, ...]
    referrals: tuple[tuple[int, str], ...] = field(default=())
    """People this person referred the user to, as (id, name)."""
    chain: tuple[tuple[int, str], ...] = field(default=())
    """Who introduced them, then who introduced that person...: (id, name), nearest first."""


@dataclass(frozen=True, slots=True)
class Question:
    """A question of the bank, grouped by TIARA phase."""

    id: int
    group: str
    text: str
    always: bool = False


class PersonRecord(NamedTuple):
    """One person read from an import file, before matching (raw text; the store cleans and checks it).

    A named tuple rather than a frozen dataclass, as immutable: an import makes one per row, and a
    frozen dataclass's ``__init__`` (``object.__setattr__`` per field) took 0.9 µs of the ~25 µs a row,
    a named tuple's 0.2.

    Attributes:
        line: Where the person starts in the file, for the report.
        notes: Notes to attach (for example Google's Notes column).
    """

    line: int
    name: str
    title: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""
    error: str = ""
    """Why this entry could not be read (a vCard the parser refused...): the store skips it with this
    reason instead of stopping the whole file."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    added: int
    updated: int
    unchanged: int
    skipped: tuple[tuple[int, str], ...]
    """(line, reason) for each row left out."""
    warnings: tuple[tuple[int, str], ...] = ()
    """(line, what was dropped) for values that failed their check; the person was still imported."""
