"""Reporting periods and the weeks or months inside them, in the organisation's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.metrics.errors import PeriodRefused

PRESETS = {
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "12m": "Last 12 months",
    "ytd": "This year so far",
    "custom": "Dates I choose",
}


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC
    label: str

    def days(self, zone: ZoneInfo) -> tuple[date, date]:
        """The first and the last local day in the period, both included (what a file name or a heading says)."""
        return (self.start.astimezone(zone).date(), (self.end - timedelta(microseconds=1)).astimezone(zone).date())


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def period_for(preset: str, *, today: date, zone: ZoneInfo, start: date | None = None, end: date | None = None
               ) -> Period:
    """A period ending tonight at midnight (local time), or the whole days from ``start`` to ``end``."""
    tomorrow = today + timedelta(days=1)
    if preset == "custom":
        if start is None or end is None:
            raise PeriodRefused("Enter both a start date and an end date.")
        if end < start:
            raise PeriodRefused("The end date must be on or after the start date.")
        if (end - start).days > 3 * 366:
            raise PeriodRefused("Choose a period of three years or less.")
        return Period(local_midnight(start, zone), local_midnight(end + timedelta(days=1), zone),
                      f"{start:%-d %b %Y} to {end:%-d %b %Y}")
    if preset == "30d":
        first = tomorrow - timedelta(days=30)
    elif preset == "90d":
        first = tomorrow - timedelta(days=90)
    elif preset == "ytd":
        first = date(today.year, 1, 1)
    elif preset == "12m":
        # Twelve whole months back: from the day after this date a year ago, so 2 December runs from 3 December.
        first = _year_before(today) + timedelta(days=1)
    else:
        raise PeriodRefused(f"Unknown period {preset!r}.")
    return Period(local_midnight(first, zone), local_midnight(tomorrow, zone), PRESETS[preset])


def _year_before(day: date) -> date:
    """The same date a year earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Bucket:
    start: datetime
    end: datetime
    label: str


def buckets(period: Period, grain: str, zone: ZoneInfo) -> list[Bucket]:
    """Consecutive weeks (Monday first) or calendar months covering the period, cut to its edges."""
    first_local = period.start.astimezone(zone).date()
    last_local = (period.end - timedelta(microseconds=1)).astimezone(zone).date()
    result: list[Bucket] = []
    if grain == "week":
        day = first_local - timedelta(days=first_local.weekday())
        while day <= last_local:
            nxt = day + timedelta(days=7)
            result.append(Bucket(max(local_midnight(day, zone), period.start), min(local_midnight(nxt, zone),
                                 period.end), f"w/c {day:%-d %b}"))
            day = nxt
    else:
        day = date(first_local.year, first_local.month, 1)
        while day <= last_local:
            nxt = _add_months(day, 1)
            result.append(Bucket(max(local_midnight(day, zone), period.start), min(local_midnight(nxt, zone),
                                 period.end), f"{day:%b %Y}"))
            day = nxt
    return result
