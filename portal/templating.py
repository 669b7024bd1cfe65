"""What every page template can use: the organisation's name and friendly times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask
from flask_login import current_user

from portal import times
from portal.cases.event_words import staff_title
from portal.cases.naming import name_from_team
from portal.db import utcnow
from portal.inputs import CONTROL_CHARACTERS
from portal.urls import public_url


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
    def zone() -> str:
        return app.config.get("ORG_TIMEZONE", times.DEFAULT_ZONE)

    # Every time on a page goes through portal.times, in ORG_TIMEZONE: "exact" for the clock time, "ago" for
    # wording, "deadline" for both side by side (a deadline never hides its date in a title), "day" for a date.
    def ago(moment: datetime | None) -> str:
        return times.relative_time(moment, utcnow(), zone())

    def exact(moment: datetime | None) -> str:
        return times.exact_time(moment, zone())

    def deadline(moment: datetime | None) -> str:
        return times.deadline(moment, utcnow(), zone())

    def day(moment: datetime | date | None) -> str:
        return times.day(moment, zone())

    # A queue's crowded row: "in 3 h" / "overdue 2 d" for a due moment, "4 Dec 03:39" for a clock time.
    def due(moment: datetime | None) -> str:
        return times.due_words(moment, utcnow(), zone())

    def short(moment: datetime | None) -> str:
        return times.short_time(moment, utcnow(), zone())

    app.jinja_env.filters.update(ago=ago, exact=exact, deadline=deadline, day=day, from_team=name_from_team,
                                 due=due, short=short)
    app.jinja_env.globals["event_title"] = staff_title
    app.jinja_env.globals["public_url"] = public_url

    def staff_nav_items() -> list[NavItem]:
        role = getattr(current_user, "role", None)
        return [
            item for item in app.config.get("STAFF_NAV", [])
            if not item.roles or role == "admin" or role in item.roles
        ]

    def public_nav_items() -> list[NavItem]:
        return list(app.config.get("PUBLIC_NAV", []))

    app.jinja_env.filters["iso"] = times.machine_time
    # What a visitor typed, shown back in a box: never the control characters HTML cannot hold (a NUL in the
    # query string is refused with 400, and that page shows the box too).
    app.jinja_env.filters["printable"] = lambda text: CONTROL_CHARACTERS.sub("", text or "")

    @app.context_processor
    def organisation() -> dict[str, object]:
        from portal.db import db
        from portal.organisation import branding

        brand = branding(db.session, app.config["ORG_NAME"])
        return {
            "org_name": brand.name,
            "org_has_logo": bool(brand.logo_filename),
            "admin_links": lambda: list(app.config.get("ADMIN_LINKS", [])),
            "now_year": utcnow().year,
            "staff_nav_items": staff_nav_items,
            "public_nav_items": public_nav_items,
        }
