"""A customer's data request, for focus groups and surveys: their memberships, invitations and answers.

A membership is found by the customer it is linked to or by the same address. Erasure keeps the rows, so
a survey's response rate and counts stay right, but leaves nobody in them: the member is renamed, their
address replaced, they leave the group (no more invitations), and their written answers are blanked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from portal.cases.models import Customer
from portal.db import utcnow
from portal.privacy import ERASED_TEXT, plain
from portal.surveys.models import Answer, Invitation, Member, Response


def _members(session: Session, customer: Customer) -> list[Member]:
    return list(session.scalars(
        select(Member).where(or_(Member.customer_id == customer.id,
                                 func.lower(Member.email) == (customer.email or "").lower()))
        .options(selectinload(Member.group)).order_by(Member.id)
    ))


def export(session: Session, customer: Customer) -> dict[str, Any]:
    members = _members(session, customer)
    invitations = session.scalars(
        select(Invitation).where(Invitation.member_id.in_([m.id for m in members])).order_by(Invitation.id)
    ).all() if members else []
    return {
        "focus_groups": [
            {"group": m.group.name, "name": m.name, "email": m.email, "membership_number": m.membership_number,
             "member_since": plain(m.member_since), "added_at": plain(m.added_at), "left_at": plain(m.left_at)}
            for m in members
        ],
        "surveys": [
            {"survey": i.survey.title, "invited_at": plain(i.sent_at),
             "submitted_at": plain(i.response.submitted_at) if i.response else None,
             "answers": [{"question": a.question.prompt, "number": a.number, "choice": a.choice, "rank": a.rank,
                          "text": a.text} for a in i.response.answers] if i.response else []}
            for i in invitations
        ],
    }


def erase(session: Session, customer: Customer) -> dict[str, int]:
    members = _members(session, customer)
    now = utcnow()
    for member in members:
        member.name, member.email = "Erased member", f"erased-member-{member.id}@erased.invalid"
        member.membership_number, member.member_since, member.customer_id = "", None, None
        member.left_at = member.left_at or now
    if members:
        responses = select(Response.id).join(Invitation, Invitation.id == Response.invitation_id).where(
            Invitation.member_id.in_([m.id for m in members]))
        session.execute(
            update(Answer).where(Answer.response_id.in_(responses), Answer.text.is_not(None), Answer.text != "")
            .values(text=ERASED_TEXT, quoted=False).execution_options(synchronize_session="fetch")
        )
    return {"memberships": len(members)}


def move_customer(session: Session, keep: Customer, remove: Customer) -> dict[str, int]:
    """Two records of one person merged: the memberships of ``remove`` (linked, or by its address) are ``keep``'s;
    each keeps the address it was invited at, so its invitations and answers stay as they were."""
    linked = Member.customer_id == remove.id
    if remove.email:  # a caller may have no address
        linked = or_(linked, func.lower(Member.email) == remove.email.lower())
    moved = session.execute(update(Member).where(linked).values(customer_id=keep.id))
    return {"focus-group memberships": moved.rowcount or 0}
