"""Reading dates the way people type them, and business-day arithmetic.

Accepted forms: ISO (``2026-12-03 14:30``, ``2026-12-03``), offsets (``+3d``,
``+2w``, ``+4h``, ``+1b`` for business days) and natural English (``tomorrow
10:00``, ``fri 14:00``, ``next monday 9am``) through dateparser, which is
imported only when such a form is typed (it costs ~100 ms to import).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Final

from .errors import Invalid

ACCEPTED: Final = "2026-12-03 14:30, 2026-12-03, tomorrow 10:00, fri 14:00, +3d, +2w, +1b (business days)"
_OFFSET = re.compile(r"^\+\s*(\d{1,4})\s*([mhdwb])$", re.IGNORECASE)


def utcnow() -> datetime:
    """The current time, aware, in UTC (the store's clock)."""
    return datetime.now(UTC)


def add_business_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """``start`` plus ``days`` working days (Monday to Friday, skipping ``holidays``).

    Adding 0 returns ``start`` itself even on a weekend; negative counts go back.
    """
    off = set(holidays)
    current = start
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        current += timedelta(days=step)
        if current.weekday() < 5 and current not in off:
            remaining -= 1
    return current


def business_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    off = set(holidays)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            count += 1
    return count


def to_local(moment: datetime) -> datetime:
    """An aware datetime in the machine's local zone."""
    return moment.astimezone()


def local_zone() -> str:
    """Which local time zone this process is in, as a name that differs between any two zones: ``TZ`` if
    set, else the zone file ``/etc/localtime`` points to, with the zone's abbreviations and offsets
    (what :func:`to_local` and business days at 9:00 local depend on)."""
    import os
    import time

    place = os.environ.get("TZ") or (os.path.realpath("/etc/localtime") if os.path.exists("/etc/localtime") else "")
    return f"{place}|{'/'.join(time.tzname)}|{time.timezone}|{time.altzone}"


def _localize(naive: datetime) -> datetime:
    # astimezone() on a naive datetime takes it as local time, DST included.
    return naive.astimezone(UTC)


def parse_when(text: str, now: datetime, field: str = "when") -> datetime:
    """Read a user-typed moment and return it aware in UTC.

    Args:
        text: What the user typed.
        now: The current moment (aware); relative forms count from it.
        field: The field name used in the error message.

    Raises:
        Invalid: naming the accepted forms.
    """
    raw = " ".join(text.split())
    if not raw:
        raise Invalid(field, f"is empty; use a form such as {ACCEPTED}.")
    if m := _OFFSET.match(raw):
        n, unit = int(m.group(1)), m.group(2).lower()
        if unit == "b":
            local = to_local(now)
            day = add_business_days(local.date(), n)
            return _localize(datetime.combine(day, local.time().replace(tzinfo=None)))
        delta = {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n),
                 "w": timedelta(weeks=n)}[unit]
        return (now + delta).astimezone(UTC)
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        parsed = _natural(raw, now)
    if parsed is None:
        raise Invalid(field, f"could not read '{raw}' as a date; use a form such as {ACCEPTED}.")
    if parsed.tzinfo is None:
        return _localize(parsed)
    return parsed.astimezone(UTC)


def _natural(raw: str, now: datetime) -> datetime | None:
    import dateparser  # lazy: heavy, and only needed for natural forms

    base = to_local(now).replace(tzinfo=None)
    return dateparser.parse(
        raw,
        languages=["en"],
        settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False},
    )
