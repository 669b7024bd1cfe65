"""Addresses that leave the request: in e-mails, feeds and shared links they start with BASE_URL, the portal's
public address, never whatever host a request came in on."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def public_url(endpoint: str, **values: Any) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def case_link(token: str) -> str:
    """A customer's private link to their case."""
    return public_url("cases.private_case", token=token)
