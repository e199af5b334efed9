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


def stage_from_history(changes: Iterable[tuple[datetime, int, Stage | None]]) -> Stage:
    """The stage a history leaves a person in: the target of its last stage change.

    Args:
        changes: (when, event id, target stage) of each event that set a stage (moves and the
            person's creation); the id orders two changes at the same instant.

    Returns:
        The last one's target by (when, id); *to contact* when there is none (a new person's stage).
    """
    last = max(((at, eid, stage) for at, eid, stage in changes if stage is not None),
               key=lambda c: (c[0], c[1]), default=None)
    return last[2] if last is not None else Stage.TO_CONTACT
