"""An e-mail to the care address becomes a case: the same filing as the web form's, with the e-mail's words.

The sender is the customer (found by address, or new); the subject and text are what happened; files the web form
would refuse are left out with a note, never the words; the owner is chosen at once and the receipt carries the
private link and asks what would make it right, which the e-mail did not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.attachments import files_to_keep
from portal.cases.customers import find_customer
from portal.cases.errors import FilingRefused
from portal.cases.filing import Filed, Filing, file_case
from portal.cases.models import Case, Category, Channel
from portal.urls import case_link

MAX_WORDS = 20_000  # far above any e-mail a person writes; past it the rest is cut with a note


def intake_category(session: Session, name: str) -> Category | None:
    """The category e-mailed cases are filed under: the one EMAIL_CATEGORY names, else the first active by name.

    An e-mail says nothing of what it is about, so its owner re-files it if need be; the category decides only
    the team whose agent owns it first and the first response time."""
    active = select(Category).where(Category.active).order_by(Category.name)
    if name.strip():
        named = session.scalar(active.where(func.lower(Category.name) == name.strip().lower()))
        if named is not None:
            return named
    return session.scalars(active).first()


def what_the_email_says(subject: str, body: str, note: str) -> str:
    parts = [subject.strip(), body.strip()[:MAX_WORDS]]
    if len(body.strip()) > MAX_WORDS:
        parts.append(f"(The e-mail was longer than {MAX_WORDS:,} characters; the rest was not kept.)")
    parts.append(note)
    text = "\n\n".join(part for part in parts if part)
    return text or "(The e-mail had no text.)"


def file_emailed_case(
    session: Session,
    *,
    sender: str,
    sender_name: str,
    subject: str,
    body: str,
    files: list[tuple[str, bytes]],
    upload_dir: str,
    category_name: str = "",
    follow_up_of: Case | None = None,
    now: datetime | None = None,
) -> Filed:
    """File the e-mail as a new case for its sender (a follow-up of an ended case says so in its words)."""
    if "@" not in sender:
        raise FilingRefused("The e-mail has no sender address to answer.")
    if not (subject.strip() or body.strip() or files):
        raise FilingRefused("The e-mail was empty.")
    category = intake_category(session, category_name)
    if category is None:
        raise FilingRefused("There is no active category to file e-mailed cases under.")
    kept, note = files_to_keep(files)
    if follow_up_of is not None:
        note = f"{note}\n\n(Written about {follow_up_of.reference}, which had ended.)".strip()
    known = find_customer(session, sender)
    filing = Filing(
        name=known.name if known else (sender_name or sender.partition("@")[0]),
        email=sender,
        category_id=category.id,
        what_happened=what_the_email_says(subject, body, note),
        preferred_contact=known.preferred_contact if known else "email",
        phone=known.phone if known else "",
        channel=Channel.email,
    )
    return file_case(session, filing, files=kept, upload_dir=upload_dir, link_for=case_link, now=now)
