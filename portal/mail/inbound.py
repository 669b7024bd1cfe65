"""Customers' e-mailed answers: the signed Reply-To address of a case, and the text worth keeping."""

from __future__ import annotations

import re
from email.utils import getaddresses

from itsdangerous import Signer

SALT = "inbound-reply"
_ADDRESS = re.compile(r"^reply\+(?P<reference>MIR-\d{4}-\d{6})\.(?P<signature>[A-Za-z0-9_-]+)@", re.IGNORECASE)
_QUOTE_HEADER = re.compile(r"^\s*(On .{0,200}wrote:|-{2,}\s*Original Message\s*-{2,}|From: .+)\s*$", re.IGNORECASE)


def reply_address(reference: str, *, secret_key: str, domain: str) -> str:
    signature = Signer(secret_key, salt=SALT).get_signature(reference).decode()
    return f"reply+{reference}.{signature}@{domain}"


def reference_from(recipients: str, *, secret_key: str) -> str | None:
    """The case reference in the first recipient whose signature verifies; None for anything forged."""
    signer = Signer(secret_key, salt=SALT)
    for _name, address in getaddresses([recipients]):
        match = _ADDRESS.match(address.strip())
        if not match:
            continue
        reference = match.group("reference").upper()
        # verify_signature answers True or False; it does not raise.
        if signer.verify_signature(reference.encode(), match.group("signature").encode()):
            return reference
    return None


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
