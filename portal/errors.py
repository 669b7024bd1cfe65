"""Error pages that say what happened and what to do next, as HTML or JSON."""

from __future__ import annotations

import math
import time

from flask import Flask, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError, NotFound

from portal.auth.permissions import NotPermitted
from portal.db import db

PAGES: dict[int, tuple[str, str, str]] = {
    400: (
        "Something in that request was not right",
        "We could not understand what was sent. A form may have been changed or cut short.",
        "Go back, check what you entered and try again.",
    ),
    403: (
        "You cannot see this page",
        "Your account does not have access to this page.",
        "If you think you should have access, ask your manager or an administrator.",
    ),
    404: (
        "Page not found",
        "There is no page at this address. If you typed it, check it is right; if you followed a link, "
        "it may be out of date.",
        "Start again from the home page.",
    ),
    405: (
        "That action is not available here",
        "This page cannot be used in that way.",
        "Go back and use the buttons and links on the page.",
    ),
    413: (
        "What you sent is too large",
        "The files or text you sent are larger than we accept.",
        "Go back and send smaller files (up to 5 MB each) or shorter text.",
    ),
    429: (
        "Too many attempts",
        "We have had too many requests from you in a short time.",
        "Wait a little and try again.",
    ),
    500: (
        "Sorry, something went wrong on our side",
        "We could not finish what you asked. Nothing you sent has been half-saved.",
        "Try again in a few minutes. If it keeps happening, contact us by phone.",
    ),
}


class PrivateLinkNotFound(NotFound):
    """A customer's private link (to a case or an offer) that leads nowhere: the page offers fresh links."""


PRIVATE_LINK = (
    "This link does not work",
    "The link may be incomplete (an e-mail program can cut long links in two) or out of date.",
    "We can e-mail you fresh links to every case you have with us.",
)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NotPermitted, _not_permitted)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException):
    code = error.code or 500
    title, message, next_step = PAGES.get(code, (error.name, error.description or "", ""))
    next_link = None
    if isinstance(error, PrivateLinkNotFound):
        title, message, next_step = PRIVATE_LINK
        next_link = (url_for("cases.find_cases"), "Send me my links")
    if isinstance(error, CSRFError):
        message = "The form had expired or was sent from another site, so nothing was saved."
        next_step = "Go back, reload the page and send the form again."
    retry_after = ""
    if code == 429:
        seconds = _seconds_until_retry()
        if seconds is not None:
            retry_after = str(seconds)
            wait = f"{seconds} seconds" if seconds < 120 else f"{round(seconds / 60)} minutes"
            next_step = f"Try again in {wait}."
    if code >= 500:
        db.session.rollback()
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/webhooks/"):
        response = jsonify(error=title, message=message)
    else:
        response = render_template(
            "errors/error.html", code=code, title=title, message=message, next_step=next_step,
            retry_after=retry_after, next_link=next_link,
        )
    headers = {"Retry-After": retry_after} if retry_after else {}
    if code == 405 and isinstance(error, HTTPException):
        headers.update({k: v for k, v in error.get_headers() if k == "Allow"})
    return response, code, headers


def _not_permitted(error: NotPermitted):
    # A service refused: nothing it did may be kept, and the page says no more than any 403 does.
    db.session.rollback()
    return _http_error(Forbidden())


def _seconds_until_retry() -> int | None:
    from portal.security import limiter

    current = limiter.current_limit
    if current is None:
        return None
    return max(1, math.ceil(current.reset_at - time.time()))


def _unexpected_error(error: Exception):
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return _http_error(InternalServerError(original_exception=error))
