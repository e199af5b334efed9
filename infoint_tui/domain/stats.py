"""The funnel: people per stage, reply rate, time to a reply, meetings this week and month."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from .dates import to_local
from .model import Event
from .pipeline import Kind, Stage

ANSWERS = frozenset({Kind.REPLY, Kind.DECLINED, Kind.MEETING, Kind.CALL})


@dataclass(frozen=True)
class Stats:
    """Figures for ``infoint stats`` and the stats view."""

    stages: dict[str, int]
    archived: int
    asked: int
    """People who were sent at least one outreach."""
    replied: int
    """Of those, people who answered after an outreach."""
    reply_rate: float | None
    median_days_to_reply: float | None
    meetings_this_week: int
    meetings_this_month: int


def compute(stage_counts: Mapping[Stage, int], archived: int, histories: Iterable[Iterable[Event]],
            meeting_starts: Iterable[datetime], now: datetime, first_weekday: int = 0) -> Stats:
    """Compute the funnel from every person's history and every meeting held or planned; "this week"
    starts on ``first_weekday`` (0 Monday … 6 Sunday, as date.weekday())."""
    asked = replied = 0
    delays: list[float] = []
    for history in histories:
        first_out: datetime | None = None
        answered = None
        for e in history:
            if e.kind is Kind.OUTREACH and first_out is None:
                first_out = e.at
            elif e.kind in ANSWERS and first_out is not None and answered is None:
                answered = e.at
        if first_out is not None:
            asked += 1
            if answered is not None:
                replied += 1
                delays.append((answered - first_out).total_seconds() / 86400)
    local = to_local(now)
    week_start = (local - timedelta(days=(local.weekday() - first_weekday) % 7)).replace(
        hour=0, minute=0, second=0, microsecond=0)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    week_end = week_start + timedelta(days=7)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    starts = [to_local(m) for m in meeting_starts]
    return Stats(
        stages={s.value: stage_counts.get(s, 0) for s in Stage}, archived=archived, asked=asked, replied=replied,
        reply_rate=round(replied / asked, 3) if asked else None,
        median_days_to_reply=round(median(delays), 1) if delays else None,
        meetings_this_week=sum(week_start <= m < week_end for m in starts),
        meetings_this_month=sum(month_start <= m < next_month for m in starts),
    )
