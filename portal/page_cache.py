"""A short per-process cache of public pages for visitors who are not signed in.

"You said, we did" pages are read far more often than they change, and rendering one costs several queries and
a template. Each worker keeps a copy for PAGE_CACHE_SECONDS (30 by default; 0 turns it off); a change made
through this worker clears its copies at once, and other workers show it within that time."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

MAX_PAGES = 1000


def _pages() -> dict[str, tuple[float, bytes, str]]:
    return current_app.extensions.setdefault("page_cache", {})


def clear() -> None:
    _pages().clear()


def _cacheable(skip_cookie_prefix: str) -> bool:
    """Only the same page for everyone: no signed-in user, no message waiting to be shown, no per-visitor cookie."""
    return (request.method == "GET" and current_app.config["PAGE_CACHE_SECONDS"] > 0
            and not current_user.is_authenticated and "_flashes" not in session
            and not (skip_cookie_prefix and any(name.startswith(skip_cookie_prefix) for name in request.cookies)))


CSRF_SLOT = "\x00csrf-token\x00"


def cached_page(skip_cookie_prefix: str = "", *, with_form: bool = False) -> Callable:
    """Serve the view's 200 response from the cache while it is fresh; visitors with a cookie starting
    `skip_cookie_prefix` (one that changes what the page shows them) always get a fresh page.

    `with_form`: the page holds a form whose CSRF token is each visitor's own; the copy keeps a slot where the
    token was, filled with this visitor's token on every hit."""
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not _cacheable(skip_cookie_prefix):
                return view(*args, **kwargs)
            pages, key, now = _pages(), request.full_path, time.monotonic()
            hit = pages.get(key)
            if hit is not None and hit[0] > now:
                body = hit[1].replace(CSRF_SLOT.encode(), generate_csrf().encode()) if with_form else hit[1]
                return Response(body, mimetype=hit[2])
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                body = response.get_data()
                if with_form:
                    body = body.replace(generate_csrf().encode(), CSRF_SLOT.encode())
                if len(pages) >= MAX_PAGES:
                    pages.clear()  # crude, but bounded: a flood of distinct query strings cannot grow memory
                expires = now + current_app.config["PAGE_CACHE_SECONDS"]
                pages[key] = (expires, body, response.mimetype or "text/html")
            return response
        return wrapper
    return decorator
