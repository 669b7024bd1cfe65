"""Addresses that leave the request: in e-mails, feeds and shared links they start with BASE_URL, the portal's
public address, never whatever host a request came in on.

One way to build them, by route name, with or without a request: the app factory hands over its routes and
BASE_URL (`configure`), and services, e-mails and pages all call `public_url`. Flask-free, so services use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from portal.serving import ServedSetting


class Routes(Protocol):
    """What the app's URL map offers (werkzeug's ``Map``): an adapter that builds a route's path."""

    def bind(self, server_name: str) -> Any: ...


@dataclass(frozen=True)
class Links:
    """One app's BASE_URL and routes."""

    base_url: str
    adapter: Any


LINKS: ServedSetting[Links] = ServedSetting("links")


def configure(base_url: str, routes: Routes) -> Links:
    return LINKS.configure(Links(base_url.rstrip("/"), routes.bind("localhost")))


def path_for(endpoint: str, **values: Any) -> str:
    """The path of a route (``/staff/cases/MIR-2026-000123``); unknown values become its query string."""
    return LINKS.get().adapter.build(endpoint, values)


def public_url(endpoint: str, *, base_url: str | None = None, **values: Any) -> str:
    """The absolute address of a route: BASE_URL (or ``base_url``, an e-mail's own) and its path."""
    return (LINKS.get().base_url if base_url is None else base_url.rstrip("/")) + path_for(endpoint, **values)


def case_link(token: str) -> str:
    """A customer's private link to their case."""
    return public_url("cases.private_case", token=token)
