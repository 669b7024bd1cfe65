"""Verifying SendGrid's signed Event Webhook: the signature, and that it was made just now."""

from __future__ import annotations

from datetime import datetime

# SendGrid signs the timestamp with the payload; a captured request replayed later still verifies, so a
# signature older (or further ahead, for a skewed clock) than this is refused, as SendGrid's guide recommends.
REPLAY_WINDOW_SECONDS = 300


def verify(key: str, payload: str, signature: str, timestamp: str, *, now: datetime) -> str | None:
    """None when the request is SendGrid's and fresh; otherwise why it is refused."""
    from sendgrid.helpers.eventwebhook import EventWebhook

    if not (key and signature and timestamp):
        return "The request is not signed by SendGrid."
    try:
        valid = EventWebhook(key).verify_signature(payload, signature, timestamp)
    except (ValueError, TypeError):
        valid = False
    if not valid:
        return "The request is not signed by SendGrid."
    try:
        age = now.timestamp() - int(timestamp)
    except ValueError:
        return "The request is not signed by SendGrid."
    if abs(age) > REPLAY_WINDOW_SECONDS:
        return "The signature is too old: SendGrid signs each request when it sends it."
    return None
