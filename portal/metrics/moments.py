"""Moments other capabilities mark on the dashboard's trend ("Task force “Answer within a day” starts"): each
registers what marks them at start-up, so the dashboard shows them without knowing those capabilities (they build
on the metrics, not the other way round)."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.metrics.periods import Bucket

__all__ = ["Marks", "marked", "register"]

# (session, the trend's buckets, zone, the team shown or None) -> {bucket index: words}
Marks = Callable[[Session, list[Bucket], ZoneInfo, int | None], dict[int, str]]
_marks: list[Marks] = []


def register(marks: Marks) -> None:
    if marks not in _marks:
        _marks.append(marks)


def marked(session: Session, buckets: list[Bucket], *, zone: ZoneInfo, team_id: int | None) -> dict[int, str]:
    """Every registered moment in the buckets; two in one bucket share it."""
    found: dict[int, str] = {}
    for marks in _marks:
        for index, words in marks(session, buckets, zone, team_id).items():
            found[index] = f"{found[index]}; {words}" if index in found else words
    return found
