"""Tables of figures as rows of text: the same rows feed the HTML tables and the CSV downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from portal.metrics.dashboard import Dashboard, Row
from portal.metrics.figures import ChannelFigures, Duration, Figures, Share

COLUMNS = [
    "Cases", "First response median (h)", "First response p90 (h)", "To offer median (h)",
    "Offer to choice median (h)", "To resolution median (h)", "To resolution p90 (h)", "Approval wait median (h)",
    "Handoffs per case", "Resolved by first owner (%)", "Reopened (%)", "Offers within authority (%)",
    "Counter-proposals (%)", "CSAT (%)", "Ratings", "First response on target (%)",
    "Resolution on target (%)", "Open at end", "Overdue at end",
    "Resolved at first contact (%)", "Resolved at first contact", "Talk time median (s)", "Talk time p90 (s)",
    "Talk times recorded", "Hold time median (s)", "Hold time p90 (s)", "Hold times recorded",
]


def hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def seconds_words(value: float | None) -> str:
    """A call's time as people say it: "45 s", "3 min 20 s", "1 h 5 min"; "–" when there is none. Each number
    stays on the line of its unit (a no-break space between them)."""
    if value is None:
        return "–"
    whole = round(value)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if whole < 60:
        parts = [(f"{value:.1f}".removesuffix(".0"), "s")]
    elif hours:
        parts = [(str(hours), "h"), (str(minutes), "min")] if minutes else [(str(hours), "h")]
    else:
        parts = [(str(minutes), "min"), (str(secs), "s")] if secs else [(str(minutes), "min")]
    return " ".join(f"{number}\u00a0{unit}" for number, unit in parts)


def percent(share: Share) -> str:
    return "" if share.percent is None else f"{share.percent:.0f}"


def _median(d: Duration) -> str:
    return hours(d.median)


def figure_cells(f: Figures) -> list[str]:
    return [
        str(f.cases), _median(f.first_response), hours(f.first_response.p90), _median(f.to_offer),
        _median(f.offer_to_choice), _median(f.to_resolution), hours(f.to_resolution.p90), _median(f.approval_wait),
        "" if f.handoffs_per_case is None else f"{f.handoffs_per_case:.2f}", percent(f.resolved_by_first_owner),
        percent(f.reopened), percent(f.offers_within_authority), percent(f.counter_proposals), percent(f.satisfied),
        str(f.satisfied.whole), percent(f.first_response_target_met), percent(f.resolution_target_met),
        str(f.open_at_end), str(f.overdue_at_end),
        percent(f.first_contact_resolution), str(f.first_contact_resolution.part),
        seconds(f.talk_time.median), seconds(f.talk_time.p90), str(f.talk_time.count),
        seconds(f.hold_time.median), seconds(f.hold_time.p90), str(f.hold_time.count),
    ]


# The columns shown on the page; the CSV downloads carry every column.
ON_PAGE = [
    "Cases", "First response median (h)", "First response p90 (h)", "To resolution median (h)",
    "To resolution p90 (h)", "First response on target (%)", "Resolution on target (%)",
    "Resolved at first contact (%)", "CSAT (%)", "Handoffs per case", "Open at end", "Overdue at end",
]
_ON_PAGE_INDEX = [COLUMNS.index(name) + 1 for name in ON_PAGE]


def on_page(row: list[str]) -> list[str]:
    return [row[0], *(row[i] for i in _ON_PAGE_INDEX)]


def breakdown_rows(rows: Iterable[Row]) -> list[list[str]]:
    return [[row.label, *figure_cells(row.figures)] for row in rows]


def trend_rows(dashboard: Dashboard) -> list[list[str]]:
    return [[bucket.label, *figure_cells(f)] for bucket, f in dashboard.trend]


CHANNEL_COLUMNS = [
    "Cases", "Share of cases (%)", "Resolved", "Resolved at first contact", "Resolved at first contact (%)",
    "Talk time median (s)", "Talk time p90 (s)", "Talk times recorded", "Hold time median (s)", "Hold time p90 (s)",
    "Hold times recorded",
]


def channel_cells(f: ChannelFigures, *, of_cases: int) -> list[str]:
    fcr = f.first_contact_resolution
    return [str(f.cases), percent(Share(f.cases, of_cases)), str(fcr.whole), str(fcr.part), percent(fcr),
            seconds(f.talk_time.median), seconds(f.talk_time.p90), str(f.talk_time.count),
            seconds(f.hold_time.median), seconds(f.hold_time.p90), str(f.hold_time.count)]


def channel_rows(dashboard: Dashboard) -> list[list[str]]:
    return [[row.label, *channel_cells(row.figures, of_cases=dashboard.headline.cases)] for row in dashboard.channels]


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(spreadsheet_safe(row) for row in rows)
    return buffer.getvalue()


def spreadsheet_safe(row: list[str]) -> list[str]:
    # A leading =, +, - or @ would run as a formula in a spreadsheet; prefix it so it stays text.
    return [f"'{c}" if c[:1] and c[:1] in "=+-@" and not _number(c) else c for c in row]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
