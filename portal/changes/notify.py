"""The e-mail of "You said, we did": a customer whose feedback led to a change told about it (news, so it
respects their e-mail preferences)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.cases.contact_preferences import queue_news
from portal.cases.models import Case
from portal.changes.models import Change
from portal.mail.models import OutboxMessage


def change_published(session: Session, change: Change, case: Case, *, done: bool, change_url: str,
                     case_url: str) -> OutboxMessage | None:
    """None when the customer opted out of news."""
    customer = case.customer
    return queue_news(session, customer.email, "change_published", {
        "name": customer.first_name, "title": change.title, "you_said": change.you_said,
        "we_did": change.we_did, "done": done, "change_url": change_url,
        "case_url": case_url, "reference": case.reference,
    })
