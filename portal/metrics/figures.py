"""The figures managers read: durations as median and 90th percentile, shares as counts out of a whole.

First-contact resolution (``first_contact_resolution``): of the cases resolved, those resolved at first contact (the
milestones' flag, see ``milestones.from_timeline``) and never reopened since. Talk and hold time are a logged call's
seconds, over only the cases where they were recorded; medians and 90th percentiles are exact (every value, no
sampling or sketch)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from portal.cases.models import CaseStatus, Channel
from portal.metrics.milestones import Milestones


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (as spreadsheets' PERCENTILE.INC); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Duration:
    """Hours from one milestone to another over the cases that reached both (or a call's seconds, over the cases
    that recorded them): ``count`` values, their median, 90th percentile and mean."""

    count: int
    median: float | None
    p90: float | None
    mean: float | None

    @classmethod
    def of(cls, hours: list[float]) -> Duration:
        return cls(len(hours), percentile(hours, 0.5), percentile(hours, 0.9),
                   sum(hours) / len(hours) if hours else None)


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.part / self.whole if self.whole else None


@dataclass
class Figures:
    cases: int = 0
    first_response: Duration = field(default_factory=lambda: Duration.of([]))
    to_offer: Duration = field(default_factory=lambda: Duration.of([]))
    offer_to_choice: Duration = field(default_factory=lambda: Duration.of([]))
    to_resolution: Duration = field(default_factory=lambda: Duration.of([]))
    approval_wait: Duration = field(default_factory=lambda: Duration.of([]))
    handoffs_per_case: float | None = None
    reopened: Share = field(default_factory=lambda: Share(0, 0))
    resolved_by_first_owner: Share = field(default_factory=lambda: Share(0, 0))
    offers_within_authority: Share = field(default_factory=lambda: Share(0, 0))
    counter_proposals: Share = field(default_factory=lambda: Share(0, 0))
    satisfied: Share = field(default_factory=lambda: Share(0, 0))
    ratings: dict[int, int] = field(default_factory=dict)
    first_response_target_met: Share = field(default_factory=lambda: Share(0, 0))
    resolution_target_met: Share = field(default_factory=lambda: Share(0, 0))
    open_at_end: int = 0
    overdue_at_end: int = 0
    first_contact_resolution: Share = field(default_factory=lambda: Share(0, 0))  # of the cases resolved
    talk_time: Duration = field(default_factory=lambda: Duration.of([]))  # seconds
    hold_time: Duration = field(default_factory=lambda: Duration.of([]))  # seconds

    @property
    def csat(self) -> float | None:
        """The share of ratings that are 4 or 5, the usual CSAT definition."""
        return self.satisfied.percent

    @property
    def mean_rating(self) -> float | None:
        total = sum(self.ratings.values())
        return sum(score * n for score, n in self.ratings.items()) / total if total else None


@dataclass(frozen=True)
class ChannelFigures:
    """What the dashboard shows for each channel: its cases, how many were resolved at first contact, call times."""

    cases: int = 0
    first_contact_resolution: Share = field(default_factory=lambda: Share(0, 0))
    talk_time: Duration = field(default_factory=lambda: Duration.of([]))
    hold_time: Duration = field(default_factory=lambda: Duration.of([]))


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 3600


def _durations(rows: Iterable[Milestones], start: Callable[[Milestones], datetime | None],
               end: Callable[[Milestones], datetime | None]) -> Duration:
    return Duration.of([h for r in rows if (h := _hours(start(r), end(r))) is not None])


def first_contact(row: Milestones) -> bool:
    """Counted as resolved at first contact: so resolved, and not reopened since (the customer had to come back)."""
    return row.resolved_at is not None and row.resolved_at_first_contact and not row.reopens


def recorded(seconds: int | None) -> bool:
    """A call's time the employee wrote down (0 s is a time too; nothing, or a negative one, is not)."""
    return seconds is not None and seconds >= 0


def _first_contact_share(rows: list[Milestones]) -> Share:
    resolved = [r for r in rows if r.resolved_at is not None]
    return Share(sum(1 for r in resolved if first_contact(r)), len(resolved))


def _seconds(values: Iterable[int | None]) -> Duration:
    return Duration.of([float(v) for v in values if recorded(v)])


def figures(rows: list[Milestones], *, period_end: datetime) -> Figures:
    """Every figure for a set of cases; "at end" figures look at the state when the period closed."""
    resolved = [r for r in rows if r.resolved_at is not None]
    offered = [r for r in rows if r.first_offer_at is not None or r.first_proposed_at is not None]
    rated = [r for r in rows if r.rating is not None]
    responded_by_end = [r for r in rows if r.first_response_due is not None and r.first_response_due <= period_end]
    due_resolved = [r for r in rows if r.resolution_due is not None and r.resolution_due <= period_end]
    open_at_end = [r for r in rows if r.resolved_at is None or r.resolved_at >= period_end]
    open_at_end = [r for r in open_at_end if r.status is not CaseStatus.withdrawn]
    return Figures(
        cases=len(rows),
        first_response=_durations(rows, lambda r: r.filed_at, lambda r: r.first_response_at),
        to_offer=_durations(rows, lambda r: r.filed_at, lambda r: r.first_offer_at),
        offer_to_choice=_durations(rows, lambda r: r.first_offer_at, lambda r: r.first_choice_at),
        to_resolution=_durations(rows, lambda r: r.filed_at, lambda r: r.resolved_at),
        approval_wait=_durations(rows, lambda r: r.first_proposed_at, lambda r: r.first_approved_at),
        handoffs_per_case=sum(r.handoffs for r in rows) / len(rows) if rows else None,
        reopened=Share(sum(1 for r in resolved if r.reopens), len(resolved)),
        resolved_by_first_owner=Share(sum(1 for r in resolved if r.handoffs == 0), len(resolved)),
        offers_within_authority=Share(sum(1 for r in offered if r.first_proposed_at is None), len(offered)),
        counter_proposals=Share(sum(1 for r in offered if r.counter_proposals), len(offered)),
        satisfied=Share(sum(1 for r in rated if (r.rating or 0) >= 4), len(rated)),
        ratings=dict(sorted(Counter(r.rating for r in rated if r.rating is not None).items())),
        first_response_target_met=Share(
            sum(1 for r in responded_by_end if r.first_response_at and r.first_response_at <= r.first_response_due),
            len(responded_by_end),
        ),
        resolution_target_met=Share(
            sum(1 for r in due_resolved if r.resolved_at and r.resolved_at <= r.resolution_due), len(due_resolved)
        ),
        open_at_end=len(open_at_end),
        overdue_at_end=sum(1 for r in open_at_end if r.resolution_due is not None and r.resolution_due < period_end),
        first_contact_resolution=_first_contact_share(rows),
        talk_time=_seconds(r.talk_seconds for r in rows),
        hold_time=_seconds(r.hold_seconds for r in rows),
    )


def by_channel(rows: list[Milestones]) -> dict[Channel, ChannelFigures]:
    """The channel figures of each channel that has cases (aggregates.by_channel computes the same in the database)."""
    groups: dict[Channel, list[Milestones]] = defaultdict(list)
    for row in rows:
        groups[row.channel].append(row)
    return {channel: ChannelFigures(len(chunk), _first_contact_share(chunk), _seconds(r.talk_seconds for r in chunk),
                                    _seconds(r.hold_seconds for r in chunk))
            for channel, chunk in groups.items()}


def grouped(rows: list[Milestones], key: Callable[[Milestones], object], *, period_end: datetime
            ) -> dict[object, Figures]:
    groups: dict[object, list[Milestones]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return {k: figures(v, period_end=period_end) for k, v in groups.items()}
