"""The e-mails of a case, queued in the caller's transaction: to its customer, owner, helpers and managers.

Each names its template; a message about a case carries the case's reference (for the Reply-To that brings
answers back) and the organisation's name as an admin last set it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from portal import mail
from portal.auth.models import Employee
from portal.cases.models import Case, CaseKind, Customer
from portal.cases.naming import name_from_team
from portal.mail.attachments import Attachment
from portal.mail.models import OutboxMessage
from portal.organisation import organisation_name


def about_case(session: Session, case: Case, to: str | None, template: str, context: dict[str, Any],
               attachments: Sequence[Attachment] = ()) -> None:
    """Queue an e-mail about ``case``: the other capabilities' case e-mails (remedies) go through here too. A
    customer without an address gets none (the timeline still shows what happened, for the owner to tell them)."""
    if not to:
        return
    mail.queue(session, to, template, context, org_name=organisation_name(session), case_id=case.id,
               case_reference=case.reference, attachments=attachments)


def receipt(session: Session, case: Case, *, link: str, put_right_now: bool = False) -> None:
    """The customer's receipt for a case just filed, with their private link (and, when it was put right while
    they were with us, saying so: the letter follows)."""
    owner, category = case.owner, case.category
    about_case(session, case, case.customer.email, "receipt", {
        "name": case.customer.first_name,
        "reference": case.reference,
        "owner": owner.first_name,
        "owner_from_team": name_from_team(owner.first_name, category.team.name),
        "kind": case.kind.value,
        "first_response_hours": category.first_response_hours,
        "link": link,
        "ask_make_it_right": case.kind is CaseKind.complaint and not case.make_it_right and not put_right_now,
        "put_right_now": put_right_now,
        "channel": case.channel.value,
    })


def owner_reply(session: Session, case: Case, *, by: Employee, body: str, link: str) -> None:
    about_case(session, case, case.customer.email, "owner_reply", {
        "name": case.customer.first_name, "owner": by.first_name,
        "owner_from_team": name_from_team(by.first_name, case.category.team.name),
        "reference": case.reference, "body": body, "link": link,
    })


def customer_replied(session: Session, case: Case, *, body: str, files: int) -> None:
    about_case(session, case, case.owner.email, "customer_replied", {
        "name": case.owner.first_name, "customer": case.customer.name, "reference": case.reference,
        "body": body, "files": files,
    })


def email_held(session: Session, case: Case, *, sender: str) -> None:
    about_case(session, case, case.owner.email, "email_held", {
        "name": case.owner.first_name, "customer": case.customer.name, "reference": case.reference, "sender": sender,
    })


def case_withdrawn(session: Session, case: Case, *, reason: str) -> None:
    about_case(session, case, case.owner.email, "case_withdrawn", {
        "name": case.owner.first_name, "customer": case.customer.name, "reference": case.reference, "reason": reason,
    })


def case_handed_to_you(session: Session, case: Case, *, by: Employee, note: str, reason: str) -> None:
    to = case.owner
    about_case(session, case, to.email, "case_handed_to_you", {
        "name": to.first_name, "handed_by": by.name, "reference": case.reference, "note": note, "reason": reason,
        "customer": case.customer.name,
    })


def new_owner(session: Session, case: Case, *, owner_from_team: str, link: str) -> None:
    about_case(session, case, case.customer.email, "new_owner", {
        "name": case.customer.first_name, "owner": case.owner.first_name, "owner_from_team": owner_from_team,
        "reference": case.reference, "link": link,
    })


def case_flagged(session: Session, case: Case, manager: Employee, *, handoffs: int) -> None:
    about_case(session, case, manager.email, "case_flagged", {
        "name": manager.first_name, "reference": case.reference, "handoffs": handoffs, "owner": case.owner.name,
    })


def helper_asked(session: Session, case: Case, helper: Employee, *, by: Employee) -> None:
    about_case(session, case, helper.email, "helper_asked",
           {"name": helper.first_name, "owner": by.name, "reference": case.reference})


def email_bounced(session: Session, case: Case, customer: Customer, *, reason: str, bounced: OutboxMessage) -> None:
    """The owner is told to phone: the customer's address took no mail."""
    about_case(session, case, case.owner.email, "email_bounced", {
        "name": case.owner.first_name, "customer": customer.name, "reference": case.reference,
        "phone": customer.phone, "reason": reason, "bounced_subject": bounced.subject,
    })


def case_links(session: Session, customer: Customer, links: list[dict[str, str]]) -> None:
    """Fresh private links to the customer's recent cases (about no one case, so no Reply-To)."""
    mail.queue(session, customer.email, "case_links", {"name": customer.first_name, "cases": links},
               org_name=organisation_name(session))


def customer_sign_in(session: Session, customer: Customer, *, link: str) -> None:
    mail.queue(session, customer.email, "customer_sign_in", {"name": customer.first_name, "link": link},
               org_name=organisation_name(session))
