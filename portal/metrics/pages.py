"""What the dashboard page and the monthly report show, assembled from the figures: charts, tables, remedies chosen.
The views only read the request and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.metrics import charts, dashboard, moments, reports, targets
from portal.metrics.periods import Period, period_for


def dashboard_extras(session: Session, data: dashboard.Dashboard, scope: dashboard.Scope, *, team_id: int | None,
                     zone: ZoneInfo) -> dict[str, Any]:
    """The headline figures' verdicts against their targets, and the charts and tables under them."""
    labels = [bucket.label for bucket, _ in data.trend]
    kinds = dashboard.remedy_kinds_chosen(session, data.period, scope, team_id=team_id)
    # Moments marked on the trend (where a task force aimed at a figure started), so it shows what came after.
    started = moments.marked(session, [bucket for bucket, _ in data.trend], zone=zone, team_id=team_id)
    return {
        "days": data.period.days(zone),
        "verdicts": targets.verdicts(data.headline),
        "volume_chart": charts.bar_chart("Cases filed", labels, [f.cases for _, f in data.trend]),
        "turnaround_chart": charts.line_chart(
            "Median hours to first response and to resolution", labels,
            {"First response": [f.first_response.median for _, f in data.trend],
             "Resolution": [f.to_resolution.median for _, f in data.trend]}, unit="h", markers=started),
        "targets_chart": charts.line_chart(
            "Share of cases on target", labels,
            {"First response on target": [f.first_response_target_met.percent for _, f in data.trend],
             "Resolution on target": [f.resolution_target_met.percent for _, f in data.trend]}, unit="%",
            markers=started),
        "remedy_kinds": kinds,
        "remedies_chart": charts.category_chart("How often each kind of remedy was chosen", [k for k, _ in kinds],
                                                [n for _, n in kinds]),
        "breakdown": [reports.on_page(r) for r in reports.breakdown_rows(data.breakdown)],
        "trend": [reports.on_page(r) for r in reports.trend_rows(data)],
        "channel_chart": charts.category_chart("Cases filed by channel", [row.label for row in data.channels],
                                          [row.figures.cases for row in data.channels]),
        "seconds_words": reports.seconds_words,
    }


@dataclass(frozen=True)
class MonthReport:
    month: date
    data: dashboard.Dashboard
    breakdown: list[Any]
    remedy_kinds: list[tuple[str, int]]
    volume_chart: str


def month_of(text: str, *, today: date) -> date:
    """The first day of the month named as 2026-10; the last whole month when the text names none."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_report(session: Session, month: date, scope: dashboard.Scope, *, today: date, now: datetime,
                 zone: ZoneInfo) -> MonthReport:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    period: Period = period_for("custom", today=today, zone=zone, start=month, end=following - timedelta(days=1))
    data = dashboard.build(session, period, scope, now=now, zone=zone, group_by="team", grain="week")
    labels = [bucket.label for bucket, _ in data.trend]
    return MonthReport(
        month=month, data=data, breakdown=[reports.on_page(r) for r in reports.breakdown_rows(data.breakdown)],
        remedy_kinds=dashboard.remedy_kinds_chosen(session, period, scope),
        volume_chart=charts.bar_chart("Cases filed per week", labels, [f.cases for _, f in data.trend]),
    )
