"""A test client that submits forms with CSRF protection on, as a browser does.

A browser posts the CSRF token it finds in the form it submits. This client does the same: before a form POST
it looks in the last HTML page it received for the form whose action is the address being posted to, and sends
that form's hidden token field(s) along. A form without a token field is posted without one — and is refused,
as it would be for a user.

Two guards keep a form that fails for users from passing here:
- every HTML page the client receives is read, and a POST form without a token field fails the test at once,
  unless its action is exempt from CSRF protection (webhooks, survey links whose token is the credential, the
  anonymous "Did this help?" vote);
- when a test posts without having fetched the form's page (a shortcut many tests take), the token comes from the
  client's own session, signed as Flask-WTF signs it — the one the page would have carried.
"""

from __future__ import annotations

import hashlib
import os
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException

TOKEN_FIELD = "csrf_token"


class _Forms(HTMLParser):
    """Each POST form's action and its hidden CSRF fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str | None, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            method = (values.get("method") or "get").lower()
            self._current = {} if method == "post" else None
            if self._current is not None:
                self.forms.append((values.get("action"), self._current))
        elif tag == "input" and self._current is not None:
            name = values.get("name") or ""
            if name.endswith(TOKEN_FIELD) and values.get("value"):
                self._current[name] = values["value"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def post_forms(html: str, page_url: str) -> list[tuple[str, dict[str, str]]]:
    """(the address each POST form on the page posts to, its token fields)."""
    parser = _Forms()
    parser.feed(html)
    return [(urljoin(page_url, action or page_url), tokens) for action, tokens in parser.forms]


def without_csrf_tokens(html: str) -> str:
    """The page with its CSRF token values blanked: each token is signed with the time it was made, so two
    renderings of the same page a second apart differ only there."""
    return re.sub(r'(name="[^"]*csrf_token"[^>]*value=")[^"]*"', r'\1"', html)


def _same_target(action: str, target: str) -> bool:
    posted, wanted = urlsplit(action), urlsplit(target)
    return posted.path == wanted.path and (not wanted.query or posted.query == wanted.query)


class BrowserLikeClient(FlaskClient):
    """`client.post(url, data={...})` carries the CSRF token a browser would send (see the module's docstring)."""

    def __init__(self, *args: Any, reads_csrf: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads_csrf = reads_csrf
        self.last_forms: list[tuple[str, dict[str, str]]] = []

    def open(self, *args: Any, **kwargs: Any):  # noqa: ANN201 - the response type of FlaskClient.open
        method = (kwargs.get("method") or "GET").upper()
        if self.reads_csrf and method == "POST" and args and isinstance(args[0], str) and _is_form_post(kwargs):
            kwargs["data"] = self._with_token(args[0], dict(kwargs.get("data") or {}))
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.request is not None:
            self.last_forms = post_forms(response.get_data(as_text=True), response.request.url)
            if self.application.config.get("WTF_CSRF_ENABLED"):
                self._check_forms_carry_tokens(response.request.url)
        return response

    def _with_token(self, url: str, data: dict[str, Any]) -> dict[str, Any]:
        if any(str(key).endswith(TOKEN_FIELD) for key in data):
            return data
        for action, tokens in self.last_forms:
            if _same_target(action, url):
                return {**tokens, **data}
        return {TOKEN_FIELD: self._session_token(), **data}

    def _session_token(self) -> str:
        # What flask_wtf.csrf.generate_csrf puts in a page: the session's raw token, signed with the secret key.
        with self.session_transaction() as session:
            raw = session.setdefault(TOKEN_FIELD, hashlib.sha1(os.urandom(64)).hexdigest())
        app = self.application
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def _check_forms_carry_tokens(self, page_url: str) -> None:
        for action, tokens in self.last_forms:
            if not tokens and not _exempt_from_csrf(self.application, action):
                raise AssertionError(
                    f"The form on {page_url} posting to {action} has no CSRF token: every user sending it gets 400."
                )


def _exempt_from_csrf(app: Any, action: str) -> bool:
    from portal.security import csrf

    parts = urlsplit(action)
    if parts.netloc not in ("", "localhost"):
        return True  # another site's form: nothing of ours checks its token
    try:
        endpoint, _args = app.url_map.bind("localhost").match(parts.path, method="POST")
    except HTTPException:
        return True  # the form posts elsewhere (or nowhere we serve); nothing of ours checks its token
    view = app.view_functions[endpoint]
    blueprint = endpoint.rpartition(".")[0]
    exempt_blueprints = {bp.name for bp in csrf._exempt_blueprints}
    return blueprint in exempt_blueprints or f"{view.__module__}.{view.__name__}" in csrf._exempt_views


def _is_form_post(kwargs: dict[str, Any]) -> bool:
    """A form post: data given as fields (or none at all), not JSON nor a raw body with its own content type."""
    if "json" in kwargs or "Content-Type" in dict(kwargs.get("headers") or {}):
        return False
    if kwargs.get("content_type") not in (None, "multipart/form-data", "application/x-www-form-urlencoded"):
        return False
    data = kwargs.get("data")
    return data is None or isinstance(data, dict)
