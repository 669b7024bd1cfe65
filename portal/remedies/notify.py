"""The e-mails of the remedy loop, queued in the caller's transaction; each carries the case's reference (for
the Reply-To that brings answers back) and the organisation's name as an admin last set it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases.notify import about_case
from portal.mail.attachments import Attachment
from portal.remedies.access import covers, manages_category
from portal.remedies.links import offer_token
from portal.remedies.models import Offer
from portal.remedies.settings import RemedySettings
from portal.times import exact_time
from portal.urls import path_for


def _options(offer: Offer) -> list[dict[str, str]]:
    return [
        {"kind": r.kind.label, "description": r.description, "when": r.when_text} for r in offer.remedies
    ]


def offer_to_customer(session: Session, offer: Offer, settings: RemedySettings, *, reminder: bool = False) -> None:
    case = offer.case
    about_case(
        session,
        case,
        case.customer.email,
        "remedy_offer_reminder" if reminder else "remedy_offer",
        {
            "name": case.customer.first_name,
            "reference": case.reference,
            "owner_name": case.owner.name,
            "options": _options(offer),
            "path": path_for("offers.show", token=offer_token(settings.secret_key, offer.id)),
            "expires": exact_time(offer.expires_at, settings.timezone),
        },
    )


def approvers(session: Session, offer: Offer) -> list[Employee]:
    """Active managers of the case's team whose limit covers the offer; admins when there are none."""
    staff = session.scalars(
        select(Employee).where(Employee.active, Employee.role.in_([Role.manager, Role.admin])).order_by(Employee.id)
    ).all()
    category = offer.case.category
    managers = [e for e in staff if e.role is Role.manager and manages_category(e, category)
                and covers(e, offer.highest_cost)]
    return managers or [e for e in staff if e.role is Role.admin]


def approval_needed(session: Session, offer: Offer) -> None:
    case = offer.case
    for manager in approvers(session, offer):
        about_case(
            session,
            case,
            manager.email,
            "offer_approval_needed",
            {
                "name": manager.first_name,
                "reference": case.reference,
                "proposer": offer.proposed_by.name,
                "highest_cost": f"{offer.highest_cost:.2f}",
                "proposer_limit": f"{offer.proposed_by.authority_limit:.2f}",
                "options": _options(offer),
                "path": path_for("remedies.review", offer_id=offer.id),
            },
        )


def owner_told(session: Session, offer: Offer, outcome: str) -> None:
    """``outcome`` is "chosen", "counter_proposal" or "expired"."""
    case = offer.case
    chosen = offer.chosen_remedy
    about_case(
        session,
        case,
        case.owner.email,
        "remedy_chosen_owner",
        {
            "name": case.owner.first_name,
            "reference": case.reference,
            "customer_name": case.customer.name,
            "outcome": outcome,
            "chosen": chosen.description if chosen else "",
            "chosen_kind": chosen.kind.label if chosen else "",
            "chosen_when": chosen.when_text if chosen else "",
            "proposal": offer.choice.counter_proposal if offer.choice else "",
            "path": path_for("remedies.fulfil" if outcome == "chosen" else "remedies.compose",
                             reference=case.reference),
        },
    )


def resolution(session: Session, offer: Offer, settings: RemedySettings, letter: bytes) -> None:
    case = offer.case
    token = offer_token(settings.secret_key, offer.id)
    chosen = offer.chosen_remedy
    about_case(
        session,
        case,
        case.customer.email,
        "remedy_resolution",
        {
            "name": case.customer.first_name,
            "reference": case.reference,
            "owner_name": offer.fulfilled_by.name if offer.fulfilled_by else case.owner.name,
            "chosen": chosen.description if chosen else "",
            "what_was_done": offer.fulfilment,
            "rate_path": path_for("offers.rate", token=token),
            "letter_path": path_for("offers.letter", token=token),
        },
        [Attachment(f"{case.reference}-resolution-letter.pdf", "application/pdf", letter)],
    )
