"""Reading an e-mail that reached us: the signed Reply-To address of a case, the sender, the headers that say it was
sent by a machine or answers one of ours, and the text worth keeping.

What the e-mail means (a new case, the customer's reply, a message held for the owner) is decided in
`portal.cases.mail_outcomes`; `portal.mail.receiving` puts these pieces together."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses
from html.parser import HTMLParser

from portal.inputs import CONTROL_CHARACTERS

SALT = b"inbound-reply"
_ADDRESS = re.compile(r"^reply\+(?P<reference>MIR-\d{4}-\d{6})\.(?P<signature>[A-Za-z0-9_-]+)@", re.IGNORECASE)
_QUOTE_HEADER = re.compile(r"^\s*(On .{0,200}wrote:|-{2,}\s*Original Message\s*-{2,}|From: .+)\s*$", re.IGNORECASE)
# A signature starts at the "-- " line (RFC 3676) or at a phone's "Sent from my ..." line.
_SIGNATURE = re.compile(r"^(-- ?|__+|Sent from my [\w ]{1,40}|Get Outlook for \w+)\s*$", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
# Who never writes to a care address in person: mail systems' own mailboxes.
_SYSTEM_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+.-].*)?@", re.IGNORECASE)


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
    return sender_and_name(form)[0]


def sender_and_name(form: Mapping[str, str]) -> tuple[str, str]:
    """The From header's address (lower-cased) and display name; empty strings when there is none."""
    for name, address in getaddresses([CONTROL_CHARACTERS.sub("", form.get("from", ""))]):
        if "@" in address:
            return address.strip().lower()[:254], " ".join(name.split())[:120]
    return "", ""


def headers(form: Mapping[str, str]) -> Message:
    """The raw headers SendGrid passes in its ``headers`` field, parsed (empty when it sent none)."""
    return HeaderParser().parsestr(form.get("headers", "") or "", headersonly=True)


def message_id(parsed: Message) -> str:
    """The message's Message-ID without its angle brackets; empty when it has none."""
    found = _MESSAGE_ID.findall(str(parsed.get("Message-ID", "") or ""))
    return found[0] if found else ""


def answered_ids(parsed: Message) -> list[str]:
    """The Message-IDs this message answers (In-Reply-To, then References, nearest first)."""
    found = _MESSAGE_ID.findall(str(parsed.get("In-Reply-To", "") or ""))
    found += reversed(_MESSAGE_ID.findall(str(parsed.get("References", "") or "")))
    return list(dict.fromkeys(found))[:50]


def sent_by_a_machine(parsed: Message, form: Mapping[str, str], *, own_addresses: set[str],
                      own_domains: set[str]) -> str:
    """Why this message was sent by a machine (an auto-reply, a list, a bounce, one of ours coming back), or "".

    Answering such a message is how mail-to-ticket systems loop: an out-of-office answers our receipt, we file
    it and answer again. RFC 3834 (Auto-Submitted), the older Precedence and X-Autoreply headers, list headers,
    an empty envelope sender (a bounce) and our own addresses are all checked."""
    auto_submitted = str(parsed.get("Auto-Submitted", "") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted[:40]}"
    precedence = str(parsed.get("Precedence", "") or parsed.get("X-Precedence", "") or "").strip().lower()
    if precedence in {"bulk", "list", "junk", "auto_reply", "auto-reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response", "List-Id", "List-Unsubscribe"):
        if parsed.get(name) is not None:
            return f"{name} header"
    if str(parsed.get("X-Auto-Response-Suppress", "") or "").strip().lower() in {"all", "oof", "autoreply"}:
        return "X-Auto-Response-Suppress header"
    try:
        envelope = json.loads(form.get("envelope") or "{}")
    except ValueError:
        envelope = {}
    if isinstance(envelope, dict) and "from" in envelope and not str(envelope.get("from") or "").strip():
        return "a bounce (empty envelope sender)"
    address = sender(form)
    if address in own_addresses or address.rpartition("@")[2] in own_domains:
        return "sent from our own address"
    if _SYSTEM_SENDERS.match(address):
        return "sent by a mail system"
    return ""


class _Text(HTMLParser):
    """The words of an HTML e-mail, one paragraph per block, without its styles and scripts."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quoting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "script", "head", "title"}:
            self.skipping += 1
        elif tag == "blockquote":
            self.quoting += 1  # the earlier e-mail an HTML client quotes
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script", "head", "title"}:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.quoting = max(0, self.quoting - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.quoting:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The readable text of an HTML-only e-mail."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_quoted(text: str) -> str:
    """Keep what the customer wrote, not the earlier e-mail their client quoted below it nor their signature (and
    none of the control characters a mail client or a forger may put in, which the database cannot all store)."""
    kept = []
    for line in CONTROL_CHARACTERS.sub("", text).replace("\r\n", "\n").split("\n"):
        if _QUOTE_HEADER.match(line) or _SIGNATURE.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()
