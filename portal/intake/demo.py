"""Demo contacts from every channel, through the same paths real ones take: e-mails to the care address posted as
Inbound Parse would post them (one of them an out-of-office reply that files nothing, one an answer that threads by
In-Reply-To), calls and visits logged by the ticket office with their talk and hold times, and two put right at
first contact."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases import contacts
from portal.cases.models import Case, Category, Channel, Customer
from portal.db import utcnow
from portal.mail import receiving
from portal.mail.models import OutboxMessage
from portal.remedies import first_contact
from portal.remedies.offers import RemedyDraft
from portal.remedies.settings import RemedySettings

# (sender, subject, text, extra headers)
EMAILS = [
    ("Rebecca Hughes <rebecca.hughes@fans.example>", "Wheelchair space taken",
     "Our wheelchair space in the east stand was taken by a family with a pushchair and no steward would move "
     "them. My father watched the match from the concourse.\n\nRebecca Hughes\n-- \nSent from my phone", {}),
    ("Tariq Mahmood <tariq.m@fans.example>", "Car park B closed without notice",
     "Car park B was shut when we arrived for the 3pm kick-off and we had to park 2 miles away.\n\n"
     "On Sat, Riverside Rovers wrote:\n> Thank you for your booking", {}),
    ("Tariq Mahmood <tariq.m@fans.example>", "Automatic reply: Car park B closed without notice",
     "I am away until Monday and will reply when I am back.", {"Auto-Submitted": "auto-replied"}),
]
THREAD_ANSWER = "I have found the parking receipt: it was bay 214, paid by card at 14:20."

# (channel, category, what happened, make it right, talk seconds, hold seconds, put right for £ or None)
CALLS = [
    (Channel.phone, "Tickets and season tickets",
     "Her season ticket was cancelled by mistake when she updated her card details online.",
     "Put the ticket back today, same seat.", 412, 95, None),
    (Channel.phone, "Tickets and season tickets",
     "Charged the booking fee twice for one ticket to the cup match.",
     "Refund the second fee.", 188, 30, "4.50"),
    (Channel.in_person, "Tickets and season tickets",
     "His printed ticket showed the wrong block, so a steward sent him to the wrong entrance.",
     "A reprint and an apology.", None, None, "0"),
    (Channel.phone, "Food and drink",
     "Waited 30 minutes at the south kiosk at half-time and the card reader was down.",
     "A food voucher for the next home match.", 265, 140, None),
    (Channel.letter, "Accessibility",
     "The sensory room was locked at the last two home matches although it is advertised as open.", "", None,
     None, None),
    (Channel.social, "Parking and travel",
     "Posted that the shuttle bus from the station did not run after the evening match.", "", None, None, None),
]


def load_intake_demo(session: Session, config: Mapping[str, Any]) -> None:
    settings = receiving.ReceivingSettings(
        secret_key=config["SECRET_KEY"], care_address=config.get("CARE_ADDRESS") or config["MAIL_FROM"],
        mail_from=config["MAIL_FROM"], inbound_domain=config.get("INBOUND_DOMAIN", ""),
        upload_dir=config["UPLOAD_DIR"], file_under=config.get("EMAIL_CATEGORY", ""))
    care = settings.care_address
    for number, (sender, subject, text, headers) in enumerate(EMAILS, start=1):
        _post(session, settings, sender=sender, to=care, subject=subject, text=text,
              headers={"Message-ID": f"<demo-{number}@fans.example>", **headers})
    _answer_by_in_reply_to(session, settings, "tariq.m@fans.example")
    _calls(session, RemedySettings.from_config(config, org_name=config["ORG_NAME"]))


def _post(session: Session, settings: receiving.ReceivingSettings, *, sender: str, to: str, subject: str, text: str,
          headers: dict[str, str]) -> None:
    raw = "".join(f"{name}: {value}\r\n" for name, value in {"Subject": subject, **headers}.items())
    receiving.receive(session, {"from": sender, "to": to, "subject": subject, "text": text, "headers": raw}, [],
                      settings)
    session.flush()


def _answer_by_in_reply_to(session: Session, settings: receiving.ReceivingSettings, email: str) -> None:
    """The customer answers our receipt from a mail program that dropped its Reply-To: In-Reply-To threads it."""
    receipt = session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == email,
                                                         OutboxMessage.template == "receipt"))
    if receipt is None:
        return
    _post(session, settings, sender=email, to=settings.care_address, subject="Re: " + receipt.subject,
          text=THREAD_ANSWER, headers={"Message-ID": "<demo-thread@fans.example>",
                                       "In-Reply-To": f"<{receipt.message_id}>"})


def _calls(session: Session, remedy_settings: RemedySettings) -> None:
    taker = session.scalar(select(Employee).where(Employee.name == "Maria Lopez"))
    categories = {c.name: c for c in session.scalars(select(Category))}
    callers = list(session.scalars(select(Customer).where(Customer.phone != "").order_by(Customer.id).limit(20)))
    if taker is None or len(callers) < len(CALLS):
        return
    now = utcnow()
    for index, (channel, category, happened, wish, talk, hold, remedy) in enumerate(CALLS):
        at = now - timedelta(days=2 * index + 1, hours=index)
        caller = callers[index * 3 % len(callers)]
        contact = contacts.Contact(channel=channel, category_id=categories[category].id, what_happened=happened,
                                   make_it_right=wish, customer_id=caller.id, talk_seconds=talk, hold_seconds=hold)
        put_right = None
        if remedy is not None:
            draft = RemedyDraft("refund" if Decimal(remedy) else "apology_and_fix",
                                f"{wish} Done while you were with us.", "", remedy)

            def put_right(case: Case, draft: RemedyDraft = draft, at=at) -> None:
                first_contact.put_right_there_and_then(session, case, draft, by=taker, settings=remedy_settings,
                                                       now=at)
        contacts.log_contact(session, contact, by=taker, put_right=put_right, now=at)
        session.flush()
