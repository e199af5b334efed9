from datetime import UTC, date, datetime

import pytest

from infoint_tui.domain.dates import add_business_days, business_days_between, parse_when
from infoint_tui.domain.errors import Invalid

SAT = datetime(2026, 11, 28, 9, 15, tzinfo=UTC)  # local time is UTC in tests (conftest)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-03 14:30", datetime(2026, 12, 3, 14, 30, tzinfo=UTC)),
        ("2026-12-03", datetime(2026, 12, 3, 0, 0, tzinfo=UTC)),
        ("2026-12-03T14:30:00+01:00", datetime(2026, 12, 3, 13, 30, tzinfo=UTC)),
        ("+3d", datetime(2026, 12, 1, 9, 15, tzinfo=UTC)),
        ("+2w", datetime(2026, 12, 12, 9, 15, tzinfo=UTC)),
        ("+4h", datetime(2026, 11, 28, 13, 15, tzinfo=UTC)),
        ("+1b", datetime(2026, 11, 30, 9, 15, tzinfo=UTC)),  # Saturday + 1 business day = Monday
        ("tomorrow 10:00", datetime(2026, 11, 29, 10, 0, tzinfo=UTC)),
        ("fri 14:00", datetime(2026, 12, 4, 14, 0, tzinfo=UTC)),
        ("next monday 9am", datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),
    ],
)
def test_accepted_forms(typed: str, expected: datetime) -> None:
    assert parse_when(typed, SAT) == expected


@pytest.mark.parametrize("bad", ["", "   ", "whenever you like", "+3x"])
def test_unreadable_dates_name_the_accepted_forms(bad: str) -> None:
    with pytest.raises(Invalid) as err:
        parse_when(bad, SAT, field="--at")
    assert err.value.field == "--at"
    assert "tomorrow 10:00" in str(err.value)
    assert "+3d" in str(err.value)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Fri + 1 → Mon
        (date(2026, 11, 25), 3, date(2026, 11, 30)),  # Wed + 3 → Mon
        (date(2026, 11, 25), 7, date(2026, 12, 4)),  # Wed + 7 → Fri next week
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Sat + 1 → Mon
        (date(2026, 12, 30), 3, date(2027, 1, 4)),  # across the year end
        (date(2027, 2, 26), 1, date(2027, 3, 1)),  # across a month end
        (date(2026, 11, 30), -1, date(2026, 11, 27)),  # Mon - 1 → Fri
        (date(2026, 11, 28), 0, date(2026, 11, 28)),
    ],
)
def test_business_days(start: date, n: int, expected: date) -> None:
    assert add_business_days(start, n) == expected


def test_holidays_are_skipped() -> None:
    assert add_business_days(date(2026, 12, 24), 1, [date(2026, 12, 25)]) == date(2026, 12, 28)


def test_business_days_between_counts_working_days_after_start() -> None:
    assert business_days_between(date(2026, 11, 25), date(2026, 11, 30)) == 3
    assert business_days_between(date(2026, 11, 30), date(2026, 11, 25)) == 0
