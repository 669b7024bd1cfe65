"""Every dashboard period means what its name says, on the days where calendars turn over."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.metrics.periods import PRESETS, buckets, period_for

LONDON = ZoneInfo("Europe/London")

BOUNDARY_DAYS = [
    date(2026, 12, 2),  # the day the fault was seen
    date(2026, 12, 1),  # the 1st of a month
    date(2026, 12, 31),  # the last day of the year
    date(2027, 1, 1),  # the first day of a year
    date(2026, 3, 29),  # the clocks go forward in Europe/London
    date(2026, 10, 25),  # the clocks go back
    date(2028, 2, 29),  # a leap day
]


def _days(preset, today):
    return period_for(preset, today=today, zone=LONDON).days(LONDON)


@pytest.mark.parametrize("today", BOUNDARY_DAYS)
def test_last_30_and_90_days_are_that_many_whole_days_ending_today(today):
    for preset, length in (("30d", 30), ("90d", 90)):
        first, last = _days(preset, today)
        assert last == today and (last - first).days + 1 == length


@pytest.mark.parametrize("today", BOUNDARY_DAYS)
def test_last_12_months_is_twelve_whole_months_back_from_today(today):
    first, last = _days("12m", today)
    assert last == today
    year_before = date(today.year - 1, today.month, min(today.day, 28 if today.month == 2 else 31))
    assert first == year_before + timedelta(days=1)
    assert (last - first).days + 1 in (365, 366)
    assert (first, last) != _days("ytd", today) or today == date(today.year, 12, 31)


def test_last_12_months_on_2_december_starts_on_3_december_of_last_year():
    assert _days("12m", date(2026, 12, 2)) == (date(2025, 12, 3), date(2026, 12, 2))
    assert _days("12m", date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))


@pytest.mark.parametrize("today", BOUNDARY_DAYS)
def test_this_year_so_far_runs_from_1_january_to_today(today):
    assert _days("ytd", today) == (date(today.year, 1, 1), today)


@pytest.mark.parametrize("today", BOUNDARY_DAYS)
def test_every_period_ends_at_local_midnight_tonight_and_its_months_cover_it(today):
    for preset in PRESETS.keys() - {"custom"}:
        period = period_for(preset, today=today, zone=LONDON)
        assert period.end.astimezone(LONDON).date() == today + timedelta(days=1)
        assert period.end.astimezone(LONDON).hour == 0 and period.start.astimezone(LONDON).hour == 0
        months = buckets(period, "month", LONDON)
        assert months[0].start == period.start and months[-1].end == period.end
        assert all(a.end == b.start for a, b in zip(months, months[1:], strict=False))


def test_a_custom_period_on_a_clock_change_day_is_that_one_local_day():
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        period = period_for("custom", today=day, zone=LONDON, start=day, end=day)
        assert period.days(LONDON) == (day, day)
        assert (period.end - period.start) == timedelta(hours=23 if day.month == 3 else 25)
