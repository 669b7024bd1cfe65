"""How a moment reads to people: in the organisation's time zone, named (GMT, BST), with relative wording.

The one home for time wording: page templates (through portal.templating), e-mails and PDFs all call these
functions, so a customer reads the same time the same way everywhere. No Flask here: services format
times for the e-mails they queue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/London"
DAY = 86400


def zone_of(name: str | ZoneInfo | None) -> ZoneInfo:
    """``ORG_TIMEZONE`` as a zone; a ZoneInfo passes through."""
    if isinstance(name, ZoneInfo):
        return name
    return ZoneInfo(name or DEFAULT_ZONE)


def _aware(moment: datetime) -> datetime:
    # SQLite aggregates can hand back naive values; they are UTC like every stored time.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def local(moment: datetime, zone: str | ZoneInfo | None = None) -> datetime:
    return _aware(moment).astimezone(zone_of(zone))


def exact_time(moment: datetime | None, zone: str | ZoneInfo | None = None) -> str:
    """ "4 December 2026 at 03:39 GMT": the clock on the organisation's wall, with the zone's name."""
    if moment is None:
        return ""
    return local(moment, zone).strftime("%-d %B %Y at %H:%M %Z")


def short_time(moment: datetime | None, now: datetime, zone: str | ZoneInfo | None = None) -> str:
    """ "4 Dec 03:39": a clock time for a crowded row, the year only when it is not this year's."""
    if moment is None:
        return ""
    when = local(moment, zone)
    return when.strftime("%-d %b %H:%M" if when.year == local(now, zone).year else "%-d %b %Y %H:%M")


def machine_time(moment: datetime | date | None) -> str:
    """A moment for `<time datetime="…">`: ISO 8601 to the second, as HTML takes at most three decimals."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    return _aware(moment).isoformat(timespec="seconds")


def day(moment: datetime | date | None, zone: str | ZoneInfo | None = None) -> str:
    """ "4 December 2026", the local date of a moment (or a date as it is)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = local(moment, zone).date()
    return f"{moment:%-d %B %Y}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def relative_time(moment: datetime | None, now: datetime, zone: str | ZoneInfo | None = None) -> str:
    """ "in 14 days", "3 hours ago", "just now".

    Under a day away it counts whole hours or minutes; a day or more away it counts calendar days in the
    organisation's time zone, so an offer open for 14 days reads "in 14 days" the moment it is sent (not 13
    once a second has passed), and a day with a clock change still counts as one day.
    """
    if moment is None:
        return ""
    moment, now = _aware(moment), _aware(now)
    seconds = (moment - now).total_seconds()
    future = seconds > 0
    gap = abs(seconds)
    if gap < 60:
        return "in a moment" if future else "just now"
    if gap < 3600:
        words = _count(int(gap // 60), "minute")
    elif gap < DAY:
        words = _count(int(gap // 3600), "hour")
    else:
        days = abs((local(moment, zone).date() - local(now, zone).date()).days)
        words = _count(max(days, 1), "day")
    return f"in {words}" if future else f"{words} ago"


def deadline(moment: datetime | None, now: datetime, zone: str | ZoneInfo | None = None) -> str:
    """ "16 December 2026 at 03:39 GMT (in 14 days)": a deadline always shows its exact time beside the wording."""
    if moment is None:
        return ""
    return f"{exact_time(moment, zone)} ({relative_time(moment, now, zone)})"


def due_words(moment: datetime | None, now: datetime, zone: str | ZoneInfo | None = None) -> str:
    """ "in 3 h", "overdue 2 d", "in 40 min": a queue's due column, short enough for one line per case.

    The units follow relative_time (minutes under an hour, hours under a day, then calendar days in the
    organisation's time zone), so a queue and a case page never disagree about how far away a deadline is.
    """
    if moment is None:
        return ""
    moment, now = _aware(moment), _aware(now)
    seconds = (moment - now).total_seconds()
    gap = abs(seconds)
    if gap < 60:
        return "due now"
    if gap < 3600:
        words = f"{int(gap // 60)} min"
    elif gap < DAY:
        words = f"{int(gap // 3600)} h"
    else:
        words = f"{max(abs((local(moment, zone).date() - local(now, zone).date()).days), 1)} d"
    return f"in {words}" if seconds > 0 else f"overdue {words}"
