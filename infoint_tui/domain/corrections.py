"""Correcting the record: which history lines a user may edit or remove, and the stage a corrected
history leaves a person in. Pure rules, no storage."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final

from .pipeline import LOGGABLE, Kind, Stage

CORRECTABLE: Final = frozenset(LOGGABLE) | {Kind.STAGE}
"""Kinds a user may edit or remove: what they logged, and moves. The lines infoint writes about the
record itself (added, edited, archived, restored) stay: they say what happened to the record."""

RETYPABLE: Final = tuple(k for k in LOGGABLE if k is not Kind.MEETING)
"""Kinds an interaction may be changed to: a meeting has a meeting record of its own (edit that)."""


def stage_from_history(changes: Iterable[tuple[datetime, int, Stage | None] | tuple[datetime, int, Stage | None, bool]]
                       ) -> Stage:
    """The stage a history leaves a person in: the target of its last stage change.

    Args:
        changes: (when, event id, target stage[, is the person's creation]) of each event that set a
            stage (moves and the person's creation); the id orders two changes at the same instant.
            The creation comes first whatever its time: a call of yesterday logged for someone added
            today (or a line corrected to before their creation) still leaves them *met*.

    Returns:
        The last one's target by (when, id); *to contact* when there is none (a new person's stage).
    """
    last = max(((not c[3] if len(c) > 3 else True, c[0], c[1], c[2]) for c in changes  # type: ignore[misc]
                if c[2] is not None), key=lambda c: (c[0], c[1], c[2]), default=None)
    return last[3] if last is not None else Stage.TO_CONTACT
