"""Small helpers every view uses, so each says once what a request's answer is."""

from __future__ import annotations

from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import abort, current_app, request

from portal import times
from portal.db import db

T = TypeVar("T")


def get_or_404(model: type[T], object_id: Any) -> T:
    """The row with this id, or the page answers 404 (a missing id and a wrong one look the same)."""
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def form_status() -> int:
    """The status of a page that shows a form: 422 when it comes back after a POST that was refused, else 200."""
    return 422 if request.method == "POST" else 200


def org_zone() -> ZoneInfo:
    """The organisation's time zone (``ORG_TIMEZONE``): the one its days, deadlines and weeks are counted in."""
    return times.zone_of(current_app.config.get("ORG_TIMEZONE"))
