"""Reading dates the way people type them, and business-day arithmetic.

Accepted forms: ISO (``2026-12-03 14:30``, ``2026-12-03``), offsets (``+3d``,
``+2w``, ``+4h``, ``+1b`` for business days) and natural English (``tomorrow
10:00``, ``fri 14:00``, ``next monday 9am``) through dateparser, which is
imported only when such a form is typed (it costs ~100 ms to import).
"""

from __future__ import annotations

import functools
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
    """The local time zone, told by what it does: its UTC offset from 1990 to 2050 and when it changed
    (sampled weekly, ~1 ms; kept while ``TZ`` and the zone's names stay). Two processes in one zone agree
    however it is spelled (``TZ=UTC``, no ``TZ`` and /etc/localtime, ``TZ=:/etc/localtime``), and two
    zones that put 9:00 on a day at different moments in those years differ (what :func:`to_local` and
    business days at 9:00 local depend on)."""
    import os
    import time

    return _zone_changes(os.environ.get("TZ"), time.tzname)


@functools.lru_cache(maxsize=8)
def _zone_changes(tz: str | None, names: tuple[str, str]) -> str:
    import time

    changes, last = [], None
    for moment in range(631_152_000, 2_524_608_000, 7 * 86_400):  # 1990-01-01 to 2050-01-01 UTC, weekly
        offset = time.localtime(moment).tm_gmtoff
        if offset != last:
            changes.append(f"{moment // 86_400}:{offset}")
            last = offset
    return " ".join(changes)


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
