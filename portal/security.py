"""CSRF, response headers and rate limits (signed tokens live in portal.tokens)."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.inputs import has_control_characters

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Pages for one person only (a private link, an account, anything behind staff sign-in, their files and exports):
# no browser history, back-button copy or shared proxy may keep them.
PRIVATE_PREFIXES = ("/staff/", "/my-case/", "/offers/", "/account", "/s/", "/email-preferences/")
HSTS = "max-age=31536000; includeSubDomains"


def register_security(app: Flask) -> None:
    trust_proxies(app, app.config.get("TRUSTED_PROXIES", 0))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config["RATELIMIT_ENABLED"] = app.config.get("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    app.before_request(_refuse_control_characters_in_url)
    app.after_request(_security_headers)


def trust_proxies(app: Flask, hops: int) -> None:
    """Believe the last ``hops`` entries of X-Forwarded-For / -Proto: those our own proxies added.

    Rate limits, sign-in throttles and the staff session's binding all read ``request.remote_addr``. Without
    proxies (the default) it is the connection's address and the headers are ignored, since any client can send
    them; behind proxies it would be the proxy's, so each trusted hop's header is taken instead."""
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _refuse_control_characters_in_url() -> None:
    """No page's address holds a control character, and none is stored from a query string: refuse them before any
    view takes them to the database (PostgreSQL cannot even compare text with NUL). Form bodies are checked field
    by field by portal.forms."""
    if has_control_characters(request.path):
        abort(404)
    if any(has_control_characters(key) or has_control_characters(value)
           for key, value in request.args.items(multi=True)):
        abort(400)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.path.startswith(PRIVATE_PREFIXES) and "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("PORTAL_ENV") == "production":
        # Only in production: a laptop on plain http must not be told to refuse http for a year.
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
