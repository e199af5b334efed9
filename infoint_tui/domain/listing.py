"""What the contact list and the board show: a person's summary and the filter that picks them.

Apart from the rest of the model because the app's first frame needs these two and nothing else
of it: each frozen, slotted dataclass costs about a millisecond to create at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .pipeline import Stage


@dataclass(frozen=True, slots=True)
class Summary:
    """One row of the contact list or one card of the board: only what those show.

    Attributes:
        asked_on: When an outreach went out with no reply since (shown "asked on <date>").
        stage_since: When the person entered their current stage.
        next_meeting: The next planned meeting's start, if any.
        thank_you_due: Met, with no thank-you sent yet.
    """

    id: int
    name: str
    company: str
    title: str
    stage: Stage
    archived: bool
    last_activity: datetime
    stage_since: datetime | None = None
    asked_on: datetime | None = None
    next_meeting: datetime | None = None
    thank_you_due: bool = False
    follow_up_due: bool = False


@dataclass(frozen=True, slots=True)
class Filter:
    """Which people a list shows.

    Attributes:
        query: Full-text query over names, companies, titles, tags and notes.
        stage: Only this stage.
        company: Only people at this company (matched case-insensitively).
        tag: Only people with this tag.
        archived: Show archived people instead of active ones.
        sort: ``"name"`` or ``"activity"`` (most recent first).
    """

    query: str = ""
    stage: Stage | None = None
    company: str = ""
    tag: str = ""
    archived: bool = False
    sort: str = "name"
