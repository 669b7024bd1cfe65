"""Reading an e-mailed answer: the signed Reply-To address of a case, the sender, and the text worth keeping.

What the e-mail means for the case (the customer's reply, or a message held for the owner) is decided in
`portal.cases.customer_replies`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from email.utils import getaddresses

SALT = b"inbound-reply"
_ADDRESS = re.compile(r"^reply\+(?P<reference>MIR-\d{4}-\d{6})\.(?P<signature>[A-Za-z0-9_-]+)@", re.IGNORECASE)
_QUOTE_HEADER = re.compile(r"^\s*(On .{0,200}wrote:|-{2,}\s*Original Message\s*-{2,}|From: .+)\s*$", re.IGNORECASE)


def _signature(reference: str, secret_key: str) -> str:
    # Lower-case base32 of a keyed digest: some mail systems fold the local part's case, and a signature that
    # only survives in its original case would silently lose those customers' replies.
    digest = hmac.new(secret_key.encode(), SALT + reference.upper().encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:15]).decode().lower()


def reply_address(reference: str, *, secret_key: str, domain: str) -> str:
    return f"reply+{reference}.{_signature(reference, secret_key)}@{domain}"


def reference_from(recipients: str, *, secret_key: str) -> str | None:
    """The case reference in the first recipient whose signature verifies; None for anything forged."""
    for _name, address in getaddresses([recipients]):
        match = _ADDRESS.match(address.strip())
        if not match:
            continue
        reference = match.group("reference").upper()
        if hmac.compare_digest(match.group("signature").lower(), _signature(reference, secret_key)):
            return reference
    return None


def recipients(form: Mapping[str, str]) -> str:
    """Every address the message went to: To and Cc headers and the SMTP envelope (a reply-all may put
    our address in Cc, and the envelope is what actually reached us)."""
    found = [form.get("to", ""), form.get("cc", "")]
    try:
        envelope = json.loads(form.get("envelope") or "{}")
    except ValueError:
        envelope = {}
    if isinstance(envelope, dict) and isinstance(envelope.get("to"), list):
        found.extend(str(address) for address in envelope["to"])
    return ", ".join(part for part in found if part)


def sender(form: Mapping[str, str]) -> str:
    """The address in the message's From header, lower-cased; empty when there is none."""
    for _name, address in getaddresses([form.get("from", "")]):
        if "@" in address:
            return address.strip().lower()
    return ""


def strip_quoted(text: str) -> str:
    """Keep what the customer wrote, not the earlier e-mail their client quoted below it."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _QUOTE_HEADER.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()
