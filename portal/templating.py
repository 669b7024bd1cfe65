"""What every page template can use: the organisation's name and friendly times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask
from flask_login import current_user

from portal.db import utcnow
from portal.urls import public_url


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


def machine_time(moment: datetime | date | None) -> str:
    """A moment for `<time datetime="…">`: ISO 8601 to the second, as HTML takes at most three decimals."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat(timespec="seconds")


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: tuple[str, ...] = ()  # empty: every signed-in employee


def add_nav(app: Flask, label: str, endpoint: str, *, roles: tuple[str, ...] = (), public: bool = False) -> None:
    """Capabilities add their own links to the header, so base.html never needs editing for a new area."""
    key = "PUBLIC_NAV" if public else "STAFF_NAV"
    app.config.setdefault(key, []).append(NavItem(label, endpoint, roles))


@dataclass(frozen=True)
class AdminLink:
    label: str
    endpoint: str
    description: str


def add_admin_link(app: Flask, label: str, endpoint: str, description: str) -> None:
    """A card on the administration page for a capability's own settings (the outbox, the remedy catalogue)."""
    app.config.setdefault("ADMIN_LINKS", []).append(AdminLink(label, endpoint, description))


def register(app: Flask) -> None:
    app.jinja_env.filters["ago"] = relative_time
    app.jinja_env.filters["exact"] = exact_time
    app.jinja_env.globals["public_url"] = public_url

    def staff_nav_items() -> list[NavItem]:
        role = getattr(current_user, "role", None)
        return [
            item for item in app.config.get("STAFF_NAV", [])
            if not item.roles or role == "admin" or role in item.roles
        ]

    def public_nav_items() -> list[NavItem]:
        return list(app.config.get("PUBLIC_NAV", []))

    app.jinja_env.filters["iso"] = machine_time

    @app.context_processor
    def organisation() -> dict[str, object]:
        from portal.admin.organisation import branding
        from portal.db import db

        brand = branding(db.session, app.config["ORG_NAME"])
        return {
            "org_name": brand.name,
            "org_has_logo": bool(brand.logo_filename),
            "admin_links": lambda: list(app.config.get("ADMIN_LINKS", [])),
            "now_year": utcnow().year,
            "staff_nav_items": staff_nav_items,
            "public_nav_items": public_nav_items,
        }
