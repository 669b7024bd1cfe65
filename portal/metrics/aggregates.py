"""Every figure computed by the database: the cases' milestones (one row per case, see ``milestones.case_rows``)
are grouped once per grouping (the whole period, a breakdown, the weeks or months of a trend) in one statement,
so no case travels to Python.

Medians and 90th percentiles are ``percentile_cont`` on PostgreSQL. SQLite has no percentile aggregate: there
the durations alone come back as one narrow list and :func:`portal.metrics.figures.percentile` interpolates them
the same way (both interpolate linearly between closest ranks, in the same floating-point steps).

A logged call's talk and hold times (seconds, only where recorded) go the same two roads.

Durations are in hours, computed exactly as ``timedelta.total_seconds() / 3600`` would be (whole microseconds
first), so the figures are identical to the ones :func:`portal.metrics.figures.figures` computes from
:class:`~portal.metrics.milestones.Milestones` in Python."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.selectable import CTE

from portal.cases.models import CaseStatus, Channel
from portal.db import UTCDateTime
from portal.metrics.figures import ChannelFigures, Duration, Figures, Share, percentile

# Figures' duration fields: from which milestone to which.
DURATIONS: dict[str, tuple[str, str]] = {
    "first_response": ("filed_at", "first_response_at"),
    "to_offer": ("filed_at", "first_offer_at"),
    "offer_to_choice": ("first_offer_at", "first_choice_at"),
    "to_resolution": ("filed_at", "resolved_at"),
    "approval_wait": ("first_proposed_at", "first_approved_at"),
}
# Figures' spreads of values recorded per case (seconds): the column each reads; only values >= 0 count
# (figures.recorded).
RECORDED: dict[str, str] = {"talk_time": "talk_seconds", "hold_time": "hold_seconds"}
SPREADS = (*DURATIONS, *RECORDED)  # every figure with a median and a 90th percentile
# The per-case columns the aggregates read (the rest of the row stays out of the sorts).
NEEDED = ("status", "first_response_due", "resolution_due", "first_response_at", "first_offer_at",
          "first_proposed_at", "resolved_at", "handoffs", "reopens", "counter_proposals", "rating",
          "resolved_at_first_contact")
SCORES = range(1, 6)  # a rating is a score from 1 to 5 (remedies.fulfilment.rate)


class hours_between(FunctionElement[float]):  # noqa: N801 (a SQL function's name)
    """Hours from the first timestamp to the second, as exact as Python's ``(end - start).total_seconds() / 3600``."""

    type = Float()
    inherit_cache = True


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    # EXTRACT gives the interval's exact numeric seconds; one rounding to float8, then the same division as Python's.
    return f"(CAST(EXTRACT(EPOCH FROM {end} - {start}) AS DOUBLE PRECISION) / CAST(3600 AS DOUBLE PRECISION))"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff': whole seconds from strftime, microseconds from the text.
    micros = (f"((CAST(strftime('%s', {end}) AS INTEGER) - CAST(strftime('%s', {start}) AS INTEGER)) * 1000000"
              f" + CAST(substr({end}, 21) AS INTEGER) - CAST(substr({start}, 21) AS INTEGER))")
    return f"({micros} / 1000000.0 / 3600.0)"


@dataclass(frozen=True)
class Grouping:
    """One way to group the cases: ``key`` names the group of each case, ``end`` the instant its "at the end"
    figures (open, overdue, targets due) look at; both are expressions over the per-case rows."""

    name: str
    key: Callable[[Any], ColumnElement[Any]] | None  # None: all the cases in one group, keyed 0 (and no sort)
    end: Callable[[Any], ColumnElement[Any]]


def whole(as_of: datetime) -> Grouping:
    """Every case in one group (key 0), looked at as of ``as_of``."""
    return Grouping("whole", None, lambda m: _instant(as_of))


def by_column(name: str, column: str, as_of: datetime) -> Grouping:
    """Grouped by a column of the per-case rows (``team_id``, ``owner_id``, ``category_id``)."""
    return Grouping(name, lambda m: m.c[column], lambda m: _instant(as_of))


def by_period(name: str, starts: Sequence[datetime], ends: Sequence[datetime]) -> Grouping:
    """Grouped by the consecutive periods (weeks, months) starting at ``starts``, keyed by their index; each period's
    "at the end" figures look at its own entry of ``ends``. The periods must cover every case's filing time."""
    return Grouping(name, lambda m: _search(m.c.filed_at, starts, [literal(i, Integer) for i in range(len(starts))]),
                    lambda m: _search(m.c.filed_at, starts, [_instant(e) for e in ends]))


def _instant(value: datetime) -> ColumnElement[datetime]:
    return literal(value, UTCDateTime())


def _search(column: ColumnElement[Any], starts: Sequence[datetime], leaves: list[ColumnElement[Any]]
            ) -> ColumnElement[Any]:
    """The leaf of the last start at or before ``column``, as nested CASEs: a binary search of depth log2(n)."""
    if len(leaves) == 1:
        return leaves[0]
    mid = len(leaves) // 2
    return case((column < _instant(starts[mid]), _search(column, starts[:mid], leaves[:mid])),
                else_=_search(column, starts[mid:], leaves[mid:]))


def _on_postgresql(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return False
    # The plan's cost estimate makes PostgreSQL compile it (JIT), which alone takes longer than the query; and
    # the sorts behind the groups and percentiles of 100,000 cases need more than the default 4 MB of memory.
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    return True


def _recorded(column: ColumnElement[Any]) -> ColumnElement[float]:
    """A call's recorded seconds as a number to spread, or NULL when none was recorded (figures.recorded)."""
    return case((column >= 0, cast(column, Float)))


def figures_by(session: Session, rows: Select, groupings: Sequence[Grouping]) -> dict[str, dict[Any, Figures]]:
    """For each grouping, the figures of each group that has cases: {grouping name: {key: Figures}}."""
    postgres = _on_postgresql(session)
    base = rows.subquery("c")
    per_case = select(
        *(base.c[name] for name in NEEDED),
        *(grouping.key(base).label(f"key_{n}") for n, grouping in enumerate(groupings) if grouping.key),
        *(grouping.end(base).label(f"end_{n}") for n, grouping in enumerate(groupings)),
        *(case((base.c[end] >= base.c[start], hours_between(base.c[start], base.c[end]))).label(f"h_{name}")
          for name, (start, end) in DURATIONS.items()),
        *(_recorded(base.c[column]).label(f"h_{name}") for name, column in RECORDED.items()),
    )
    result: dict[str, dict[Any, Figures]] = {grouping.name: {} for grouping in groupings}
    if postgres:
        for n, key, values in _in_grouping_sets(session, per_case.subquery("m"), groupings):
            spread = {name: (values[f"{name}_median"], values[f"{name}_p90"]) for name in SPREADS}
            result[groupings[n].name][key] = _figures(values, spread)
        return result
    m = per_case.cte("m")
    spreads = _spreads_in_python(session, m, groupings)
    statement = union_all(*(
        select(literal(n, Integer).label("grouping"),
               (m.c[f"key_{n}"] if grouping.key else literal(0, Integer)).label("key"),
               *_columns(m), *_at_end_columns(m, m.c[f"end_{n}"]))
        .group_by(*([m.c[f"key_{n}"]] if grouping.key else []))
        for n, grouping in enumerate(groupings)))
    for row in session.execute(statement).mappings():
        n, key = row["grouping"], row["key"]
        if row["cases"]:  # an aggregate without GROUP BY (the whole) has a row even when no case was filed
            spread = {name: spreads.get((n, key, name), (None, None)) for name in SPREADS}
            result[groupings[n].name][key] = _figures(row, spread)
    return result


def _in_grouping_sets(session: Session, m: Any, groupings: Sequence[Grouping]
                      ) -> Iterator[tuple[int, Any, dict[str, Any]]]:
    """PostgreSQL: every grouping in one pass over the cases (GROUP BY GROUPING SETS), percentiles included;
    yields (grouping index, key, the group's values)."""
    keyed = [n for n, grouping in enumerate(groupings) if grouping.key]
    keys = [m.c[f"key_{n}"] for n in keyed]
    columns = [*_columns(m, percentiles=True)]
    for n in range(len(groupings)):
        columns += [c.label(f"{c.name}_{n}") for c in _at_end_columns(m, m.c[f"end_{n}"])]
    if keys:
        query = select(func.grouping(*keys).label("unused"), *keys, *columns).group_by(
            func.grouping_sets(*(tuple_(k) for k in keys), *([tuple_()] if len(keyed) < len(groupings) else [])))
    else:
        query = select(literal(0, Integer).label("unused"), *columns)
    full = (1 << len(keys)) - 1  # GROUPING() sets a bit for each key left out of the group
    which = {full ^ (1 << (len(keys) - 1 - i)): n for i, n in enumerate(keyed)}
    whole = next((n for n, grouping in enumerate(groupings) if not grouping.key), None)
    for row in session.execute(query).mappings():
        n = which.get(row["unused"], whole)
        if n is None or not row["cases"]:
            continue
        values = dict(row)
        values.update({name: row[f"{name}_{n}"] for name in AT_END})
        yield n, row[f"key_{n}"] if groupings[n].key else 0, values


AT_END = ("response_due", "response_met", "resolution_due", "resolution_met", "open_at_end", "overdue_at_end")


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


def _columns(m: Any, *, percentiles: bool = False) -> list[ColumnElement[Any]]:
    """The aggregates that do not depend on when the groups are looked at."""
    resolved = m.c.resolved_at.is_not(None)
    offered = or_(m.c.first_offer_at.is_not(None), m.c.first_proposed_at.is_not(None))
    columns: list[ColumnElement[Any]] = [
        func.count().label("cases"),
        func.sum(m.c.handoffs).label("handoffs"),
        _count(resolved).label("resolved"),
        _count(and_(resolved, m.c.reopens > 0)).label("resolved_reopened"),
        _count(and_(resolved, m.c.handoffs == 0)).label("resolved_first_owner"),
        _count(offered).label("offered"),
        _count(and_(offered, m.c.first_proposed_at.is_(None))).label("offered_within_authority"),
        _count(and_(offered, m.c.counter_proposals > 0)).label("offered_countered"),
        func.count(m.c.rating).label("rated"),
        _count(m.c.rating >= 4).label("satisfied"),
        *(_count(m.c.rating == score).label(f"score_{score}") for score in SCORES),
        _count(and_(resolved, m.c.resolved_at_first_contact == true(), m.c.reopens == 0)).label("first_contact"),
    ]
    for name in SPREADS:
        hours = m.c[f"h_{name}"]
        columns += [func.count(hours).label(f"{name}_count"), func.sum(hours).label(f"{name}_sum")]
        if percentiles:
            columns += [func.percentile_cont(0.5).within_group(hours).label(f"{name}_median"),
                        func.percentile_cont(0.9).within_group(hours).label(f"{name}_p90")]
    return columns


def _at_end_columns(m: Any, end: ColumnElement[datetime]) -> list[ColumnElement[Any]]:
    """The aggregates that look at the groups at ``end``: targets due by then, cases open then."""
    response_due = and_(m.c.first_response_due.is_not(None), m.c.first_response_due <= end)
    resolution_due = and_(m.c.resolution_due.is_not(None), m.c.resolution_due <= end)
    open_at_end = and_(or_(m.c.resolved_at.is_(None), m.c.resolved_at >= end), m.c.status != CaseStatus.withdrawn)
    return [
        _count(response_due).label("response_due"),
        _count(and_(response_due, m.c.first_response_at.is_not(None),
                    m.c.first_response_at <= m.c.first_response_due)).label("response_met"),
        _count(resolution_due).label("resolution_due"),
        _count(and_(resolution_due, m.c.resolved_at.is_not(None),
                    m.c.resolved_at <= m.c.resolution_due)).label("resolution_met"),
        _count(open_at_end).label("open_at_end"),
        _count(and_(open_at_end, m.c.resolution_due.is_not(None), m.c.resolution_due < end)).label("overdue_at_end"),
    ]


def _spreads_in_python(session: Session, m: CTE, groupings: Sequence[Grouping]
                       ) -> dict[tuple[int, Any, str], tuple[float | None, float | None]]:
    """SQLite: each group's median and 90th percentile of each duration, from the durations alone."""
    values: dict[tuple[int, Any, str], list[float]] = defaultdict(list)
    keys = [m.c[f"key_{n}"] if grouping.key else literal(0, Integer) for n, grouping in enumerate(groupings)]
    hours = [m.c[f"h_{name}"] for name in SPREADS]
    names = list(SPREADS)
    for row in session.execute(select(*keys, *hours).where(or_(*(h.is_not(None) for h in hours)))):
        group_keys, durations = row[:len(groupings)], row[len(groupings):]
        for i, value in enumerate(durations):
            if value is not None:
                for n, key in enumerate(group_keys):
                    values[(n, key, names[i])].append(value)
    return {k: (percentile(v, 0.5), percentile(v, 0.9)) for k, v in values.items()}


def by_channel(session: Session, rows: Select) -> dict[Channel, ChannelFigures]:
    """The channel figures of each channel that has cases, in statements of their own that read only what they need
    (a grouping set of figures_by would compute every figure again: a third more time for the dashboard): the counts
    in one hashed pass, and the spreads of call times over only the cases that recorded one."""
    postgres = _on_postgresql(session)
    c = rows.subquery("c")
    resolved = c.c.resolved_at.is_not(None)
    counts = select(c.c.channel, func.count().label("cases"), _count(resolved).label("resolved"),
                    _count(and_(resolved, c.c.resolved_at_first_contact == true(), c.c.reopens == 0)).label("fcr")
                    ).group_by(c.c.channel)
    recorded = {name: _recorded(c.c[column]) for name, column in RECORDED.items()}
    any_recorded = or_(*(value.is_not(None) for value in recorded.values()))
    times: dict[tuple[Channel, str], Duration] = {}
    if postgres:
        columns: list[ColumnElement[Any]] = [c.c.channel]
        for name, value in recorded.items():
            columns += [func.count(value).label(f"{name}_count"), func.sum(value).label(f"{name}_sum"),
                        func.percentile_cont(0.5).within_group(value).label(f"{name}_median"),
                        func.percentile_cont(0.9).within_group(value).label(f"{name}_p90")]
        for row in session.execute(select(*columns).where(any_recorded).group_by(c.c.channel)).mappings():
            for name in RECORDED:
                n, total = row[f"{name}_count"], row[f"{name}_sum"]
                times[(Channel(row["channel"]), name)] = Duration(n, row[f"{name}_median"], row[f"{name}_p90"],
                                                                  total / n if n else None)
    else:  # SQLite has no percentile aggregate: the recorded times alone come back, spread in Python
        values: dict[tuple[Channel, str], list[float]] = defaultdict(list)
        for channel, *seconds in session.execute(select(c.c.channel, *recorded.values()).where(any_recorded)):
            for name, value in zip(recorded, seconds, strict=True):
                if value is not None:
                    values[(Channel(channel), name)].append(value)
        times = {key: Duration.of(v) for key, v in values.items()}
    none = Duration.of([])
    return {Channel(channel): ChannelFigures(cases, Share(fcr, resolved_count),
                                             **{name: times.get((Channel(channel), name), none) for name in RECORDED})
            for channel, cases, resolved_count, fcr in session.execute(counts)}


def _figures(row: Any, spread: dict[str, tuple[float | None, float | None]]) -> Figures:
    durations = {}
    for name in SPREADS:
        n, total = row[f"{name}_count"], row[f"{name}_sum"]
        median, p90 = spread[name]
        durations[name] = Duration(n, median, p90, total / n if n else None)
    cases = row["cases"]
    return Figures(
        cases=cases,
        **durations,
        handoffs_per_case=int(row["handoffs"] or 0) / cases if cases else None,
        reopened=Share(row["resolved_reopened"], row["resolved"]),
        resolved_by_first_owner=Share(row["resolved_first_owner"], row["resolved"]),
        offers_within_authority=Share(row["offered_within_authority"], row["offered"]),
        counter_proposals=Share(row["offered_countered"], row["offered"]),
        satisfied=Share(row["satisfied"], row["rated"]),
        ratings={score: row[f"score_{score}"] for score in SCORES if row[f"score_{score}"]},
        first_response_target_met=Share(row["response_met"], row["response_due"]),
        resolution_target_met=Share(row["resolution_met"], row["resolution_due"]),
        open_at_end=row["open_at_end"],
        overdue_at_end=row["overdue_at_end"],
        first_contact_resolution=Share(row["first_contact"], row["resolved"]),
    )
