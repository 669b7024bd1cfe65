"""What a customer does on their own case: reply (with pictures or PDFs) and withdraw."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.cases import lifecycle, notify
from portal.cases.attachments import AttachmentRefused, check_files, files_to_keep, store_attachments
from portal.cases.errors import CustomerActionRefused
from portal.cases.lifecycle import Action
from portal.cases.models import Case, CaseKind, Event, EventKind
from portal.cases.timeline import record
from portal.db import utcnow

MAX_REPLY = 5000
MAX_MAKE_IT_RIGHT = 2000  # as on the filing form


def add_customer_reply(
    session: Session,
    case: Case,
    body: str,
    *,
    files: list[tuple[str, bytes]] = (),
    upload_dir: str,
    channel: str = "web",
) -> Event:
    if not case.can_reply:
        raise CustomerActionRefused(
            f"This case is {case.status.label.lower()}, so it cannot take replies. Tell us again as a new case."
        )
    if not body.strip() and not files:
        raise CustomerActionRefused("Write your reply, or attach a file.")
    if len(body) > MAX_REPLY:
        raise CustomerActionRefused(f"Your reply must be {MAX_REPLY:,} characters or fewer.")
    try:
        check_files(list(files))
    except AttachmentRefused as refused:
        raise CustomerActionRefused(str(refused)) from refused
    now = utcnow()
    event = record(session, case, EventKind.customer_reply, by_customer=True, public=True, body=body.strip(), at=now,
                   detail={"channel": channel})
    case.last_customer_activity_at = now
    case.updated_at = now
    session.flush()
    if files:
        store_attachments(session, case, event, list(files), upload_dir=upload_dir)
    notify.customer_replied(session, case, body=body.strip(), files=len([f for f in files if f[0] or f[1]]))
    return event


def receive_emailed_reply(session: Session, case: Case, *, sender: str, body: str, files: list[tuple[str, bytes]],
                          upload_dir: str) -> tuple[Event, str]:
    """An e-mail to the case's signed reply address. From the case's customer it is their reply: attachments the
    web form would refuse are left out with a note saying why (their words are never dropped because of a file).
    From anyone else it is held for the owner. Returns the event and the note about left-out files."""
    if not sender or sender != (case.customer.email or "").strip().lower():
        return hold_email_from_unknown_sender(session, case, sender=sender or "an unknown address", body=body,
                                              attachments=len(files)), ""
    files, note = files_to_keep(files)
    body = f"{body}\n\n{note}".strip()
    return add_customer_reply(session, case, body, files=files, upload_dir=upload_dir, channel="email"), note


def hold_email_from_unknown_sender(session: Session, case: Case, *, sender: str, body: str,
                                   attachments: int = 0) -> Event:
    """An e-mail reached the case's reply address from someone who is not its customer.

    The reply address is signed, but it travels in every e-mail we send: a forwarded thread, a customer's
    relative or anyone who saw the address can write to it. Their words are not the customer's, so they are
    held for the owner as an internal entry: not shown to the customer, not counted as the customer's activity,
    their files not kept. The owner decides what to do with it."""
    files_note = f"\n\n({attachments} attached file{'' if attachments == 1 else 's'} not kept.)" if attachments else ""
    text = (body.strip()[:MAX_REPLY] or "(The e-mail had no text.)") + files_note
    event = record(session, case, EventKind.email_held, public=False, body=text, detail={"sender": sender[:254]})
    notify.email_held(session, case, sender=sender[:254])
    return event


def asks_what_would_make_it_right(case: Case) -> bool:
    """A complaint that came without the customer's answer (an e-mail, a letter) asks for it until they give it."""
    return case.kind is CaseKind.complaint and not case.make_it_right.strip() and case.can_reply


def add_make_it_right(session: Session, case: Case, text: str) -> Event:
    """The customer's own answer to "What can we do to make this right?", given after they first wrote."""
    if not asks_what_would_make_it_right(case):
        raise CustomerActionRefused("We already have your answer, or this case has ended: write to us as a reply.")
    text = text.strip()
    if not text:
        raise CustomerActionRefused("Tell us what we can do to make this right.")
    if len(text) > MAX_MAKE_IT_RIGHT:
        raise CustomerActionRefused(f"Your answer must be {MAX_MAKE_IT_RIGHT:,} characters or fewer.")
    now = utcnow()
    case.make_it_right = text
    case.last_customer_activity_at = case.updated_at = now
    event = record(session, case, EventKind.make_it_right_added, by_customer=True, public=True, body=text, at=now)
    notify.customer_replied(session, case, body=f"What would make it right: {text}", files=0)
    return event


def withdraw_case(session: Session, case: Case, reason: str = "") -> Event:
    """The customer no longer needs anything: the case stops, and its owner is told."""
    if not case.can_reply:
        raise CustomerActionRefused(f"This case is already {case.status.label.lower()}.")
    event = lifecycle.move(session, case, Action.withdraw, by_customer=True, body=reason.strip()[:1000])
    notify.case_withdrawn(session, case, reason=reason.strip()[:1000])
    return event
