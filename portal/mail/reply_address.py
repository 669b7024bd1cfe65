"""Reply addresses like reply+MIR-2026-000123-k3j9...@reply.example.org: the case and a token only we can make."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_PURPOSE = b"mail-reply-address"
_ADDRESS = re.compile(r"reply\+(?P<reference>[a-z]+-\d{4}-\d+)-(?P<token>[a-z2-7]+)@", re.IGNORECASE)


def token_for(secret_key: str, reference: str) -> str:
    """A short keyed digest of the reference; lower-case because mail systems may fold the local part."""
    digest = hmac.new(secret_key.encode(), _PURPOSE + reference.upper().encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:15]).decode().lower()


def reply_address(secret_key: str, reference: str, domain: str) -> str:
    return f"reply+{reference}-{token_for(secret_key, reference)}@{domain}"


def verified_reference(secret_key: str, text: str) -> str | None:
    """The case reference from the first reply address in ``text`` whose token verifies, else None."""
    for match in _ADDRESS.finditer(text):
        reference = match["reference"].upper()
        if hmac.compare_digest(match["token"].lower(), token_for(secret_key, reference)):
            return reference
    return None
