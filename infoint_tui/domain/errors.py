"""Errors a user can cause. Each carries one readable line: what is wrong and what to do."""

from __future__ import annotations


class InfointError(Exception):
    """Base of every user-facing error. ``str(err)`` is the one line shown to the user."""


class NotFound(InfointError):
    """An id names no contact, note or meeting."""


class Invalid(InfointError):
    """A value failed validation.

    Attributes:
        field: The field at fault, as the user knows it ("email", "when"...).
        reason: What is wrong and what to do, without the field name.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class IllegalMove(InfointError):
    """A stage change that the pipeline does not allow."""


class Conflict(InfointError):
    """Someone else (another terminal) changed the record since it was read."""


class StoreError(InfointError):
    """The database cannot be used: locked, corrupt, read-only, newer schema..."""


class Locked(StoreError):
    """Another program holds the database's write lock (an import, a ``sqlite3`` shell): waiting and trying
    again will do, unlike the other StoreErrors."""


class NothingImported(KeyboardInterrupt):
    """Ctrl+C stopped an import before it was committed: it was rolled back, the database is as it was.
    A KeyboardInterrupt still (whatever stops on one stops on this), but one that can say so truthfully:
    an interrupt that comes after the commit stays a plain KeyboardInterrupt."""
