"""Signed, expiring tokens for links in e-mails (no Flask here: services use them)."""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """A signed token that is forged, for another purpose, expired or already used."""


def sign(secret_key: str, purpose: str, payload: Any) -> str:
    return URLSafeTimedSerializer(secret_key, salt=purpose).dumps(payload)


def unsign(secret_key: str, purpose: str, token: str, max_age: int) -> Any:
    try:
        return URLSafeTimedSerializer(secret_key, salt=purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenInvalid("This link has expired.") from exc
    except BadSignature as exc:
        raise TokenInvalid("This link is not valid.") from exc
