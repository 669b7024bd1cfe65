"""The quarterly "You said, we did" report as a PDF: what changed in a period, with counts per category."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.changes.public import list_published
from portal.pdf import render_pdf
from portal.rendering import environment


def quarter_of(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, end


def report_pdf(session: Session, *, start: date, end: date, org_name: str, zone: ZoneInfo) -> bytes:
    """Changes published from ``start`` up to (not including) ``end``, local dates."""
    begin = datetime.combine(start, time.min, tzinfo=zone)
    finish = datetime.combine(end, time.min, tzinfo=zone)
    everything = list_published(session, page_size=10_000).items
    items = [i for i in everything if begin <= i.change.published_at < finish]
    by_category = Counter(i.category or "General" for i in items)
    html = environment(zone.key).get_template("changes/report.html").render(
        items=items, by_category=sorted(by_category.items()), start=start, end=end, org_name=org_name,
        supporters=sum(i.supporters for i in items),
    )
    return render_pdf(html)
