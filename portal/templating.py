"""What every page template can use: the organisation's name and friendly times."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from portal.db import utcnow


def relative_time(moment: datetime | None, now: datetime | None = None) -> str:
    """Wording like "2 hours ago" or "in 3 days"."""
    if moment is None:
        return ""
    now = now or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = int((now - moment).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            words = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {words}" if future else f"{words} ago"
    return "in a moment" if future else "just now"


def exact_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%-d %B %Y at %H:%M UTC")


def register(app: Flask) -> None:
    app.jinja_env.filters["ago"] = relative_time
    app.jinja_env.filters["exact"] = exact_time

    @app.context_processor
    def organisation() -> dict[str, object]:
        return {"org_name": app.config["ORG_NAME"], "now_year": utcnow().year}
