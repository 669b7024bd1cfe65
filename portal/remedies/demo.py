"""Demo remedies: a catalogue per category and offers in every state on the demo cases, with their events."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases import lifecycle
from portal.cases.lifecycle import Action
from portal.cases.models import Case, CaseStatus, Category, EventKind
from portal.cases.timeline import record
from portal.db import utcnow
from portal.remedies.catalogue import suggest
from portal.remedies.models import (
    ApprovalDecision,
    CatalogueEntry,
    Choice,
    Offer,
    OfferStatus,
    Rating,
    Remedy,
    RemedyKind,
)
from portal.remedies.settings import RemedySettings

# category -> (kind, title, description for the customer, what it means and when, typical cost)
CATALOGUE = {
    "Tickets and season tickets": [
        ("callback", "A call from the ticket office manager",
         "Priya Shah, our Ticket Office Manager, calls you to put it right and answer your questions.",
         "A call at a time you choose, within two working days.", "0"),
        ("replacement", "A new season ticket card",
         "We cancel your old card and post you a new one that we have tested on a turnstile.",
         "Posted first class tomorrow; your old card stops working when the new one arrives.", "5"),
        ("account_credit", "Credit for the next home match",
         "A £30 credit on your supporter account, to spend on tickets, food or the club shop.",
         "On your account today; it never expires.", "30"),
        ("refund", "Refund the match ticket",
         "We refund what you paid for the match ticket to the card you paid with.",
         "The money is back on your card within 5 working days.", "35"),
        ("gesture", "Hospitality for two",
         "Two seats in the Riverside Lounge for a home match of your choice, with a pre-match meal.",
         "Pick the match on the phone with us; tickets arrive by e-mail a week before.", "240"),
    ],
    "Food and drink": [
        ("apology_and_fix", "An apology and a fix",
         "A written apology from our Catering Manager and a change at the kiosk so it does not happen again.",
         "The letter within a week; the change in place by the next home match.", "0"),
        ("refund", "Refund what you paid at the kiosk",
         "We refund what you paid for your food and drink on the day.",
         "Back on your card within 5 working days.", "12"),
        ("gesture", "A £15 food and drink voucher",
         "A voucher for any kiosk in the ground, on us.",
         "By e-mail today, to use at any home match this season.", "15"),
        ("gesture", "Half-time meal deal for the family",
         "Pies and drinks for up to four people at the next home match, collected from the fast lane.",
         "We e-mail you a code for the match you pick.", "40"),
        ("gesture", "Hospitality lunch for two",
         "Lunch for two in the Riverside Lounge before a home match.",
         "Choose the match with us; we confirm by e-mail.", "180"),
    ],
    "Safety and stewarding": [
        ("apology_and_fix", "An apology and retraining",
         "A personal apology from our Head of Stewarding, and the stewards involved retrained.",
         "The apology this week; the training before the next home match.", "0"),
        ("callback", "A call from the Head of Stewarding",
         "David Chen calls you to hear what happened and tell you what we are changing.",
         "Within two working days, at a time that suits you.", "0"),
        ("refund", "Refund the match ticket",
         "We refund what you paid for the match ticket.", "Back on your card within 5 working days.", "35"),
        ("gesture", "Two tickets for a home match",
         "Two tickets for a home match of your choice, with a steward to meet you at the gate.",
         "Pick the match with us; tickets by e-mail a week before.", "60"),
        ("gesture", "A family day as our guests",
         "Hospitality for up to four people, a stadium tour and a meet-the-stewards visit.",
         "On a date that suits you this season.", "320"),
    ],
    "Accessibility": [
        ("callback", "A call from our Accessibility Officer",
         "Luke Bennett calls you to understand your needs and plan your next visit with you.",
         "Within one working day.", "0"),
        ("apology_and_fix", "An apology and a fix",
         "An apology, and a text to every disabled supporter when a lift or room is out of order.",
         "The texts start before the next home match.", "0"),
        ("refund", "Refund your carer's ticket",
         "We refund the carer's ticket for the match.", "Back on your card within 5 working days.", "28"),
        ("redo", "Another match, with the room guaranteed",
         "Tickets for another home match, with the sensory room or platform reserved for you.",
         "Pick the match with us; we confirm the booking in writing.", "55"),
        ("gesture", "A matchday planned around you",
         "A hosted visit: reserved parking, an accessible lounge and a steward with you all day.",
         "On a match you choose this season.", "260"),
    ],
    "Parking and travel": [
        ("redo", "Cancel the fine",
         "We cancel the parking charge and tell the car park team your permit is valid.",
         "Cancelled today; you will get written confirmation.", "0"),
        ("refund", "Refund the shuttle fare",
         "We refund your shuttle bus fare.", "Back on your card within 5 working days.", "6"),
        ("gesture", "Free parking at the next match",
         "A free space in the west car park at the next home match.", "A permit by e-mail the week before.",
         "15"),
        ("account_credit", "Credit towards the next match",
         "A £20 credit on your supporter account.", "On your account today.", "20"),
        ("gesture", "A season parking upgrade",
         "A reserved space close to the ground for the rest of the season.",
         "From the next home match; your permit arrives by post.", "150"),
    ],
}

COUNTER_PROPOSALS = [
    "I don't want credit, I want to know it won't happen again. Put a steward with a scanner at turnstile 14.",
    "Could you move my season ticket seat to the family stand instead? That would fix it for good.",
    "A refund of both tickets, not just mine: my son missed the start too.",
    "I'd rather you donated the value to the club's community trust.",
    "Just a call from someone senior who can explain what happened would do.",
]
RETURN_COMMENTS = [
    "The hospitality option is generous for this one; offer the credit and a call instead.",
    "Good options, but say exactly when the refund lands, and drop the lounge option.",
]
FULFILMENTS = {
    "refund": "We refunded {amount} to your card; it shows as RIVERSIDE ROVERS on your statement.",
    "account_credit": "We added {amount} credit to your supporter account; it is there now.",
    "replacement": "We posted a new card first class and tested it on a turnstile before it left.",
    "redo": "Done as you chose; you have our written confirmation by e-mail.",
    "callback": "We called you, talked it through and agreed the next steps together.",
    "apology_and_fix": "We wrote to apologise and changed how we work so it does not happen again.",
    "gesture": "We sent the tickets and vouchers to your e-mail address.",
    "other": "Done as agreed.",
}
GOOD_COMMENTS = ["Quick and kind, thank you.", "Maria sorted it in a day. Impressed.", "Fair outcome.",
                 "Didn't expect a choice, that was nice.", ""]
LOW_COMMENTS = ["The refund still hasn't arrived.", "The call never came.",
                "The voucher code didn't work at the kiosk."]


def load_remedies_demo(session: Session, *, seed: int = 2026) -> int:
    """Add the catalogue and offers to the demo cases once; returns the number of offers made."""
    if session.scalar(select(CatalogueEntry.id).limit(1)) is not None:
        return 0
    rng = random.Random(seed + 5)
    categories = {c.name: c for c in session.scalars(select(Category))}
    catalogue: dict[int, list[CatalogueEntry]] = {}
    for name, rows in CATALOGUE.items():
        if name not in categories:
            continue
        entries = [
            CatalogueEntry(category=categories[name], kind=RemedyKind(kind), title=title, description=description,
                           when_text=when, typical_cost=Decimal(cost))
            for kind, title, description, when, cost in rows
        ]
        session.add_all(entries)
        catalogue[categories[name].id] = entries
    session.flush()
    managers = {e.team_id: e for e in session.scalars(select(Employee).where(Employee.role == Role.manager))}
    now = utcnow()
    made = 0
    approvals_left = {team_id: 3 for team_id in managers}
    cases = session.scalars(select(Case).order_by(Case.created_at.desc())).all()
    for case in cases:
        entries = catalogue.get(case.category_id)
        if not entries or case.first_responded_at is None:
            continue
        if case.status is CaseStatus.acknowledged:
            made += _open_case(session, rng, case, entries, managers, approvals_left, now)
        elif case.status in (CaseStatus.resolved, CaseStatus.closed) and rng.random() < 0.7:
            made += _resolved_case(session, rng, case, entries, now)
    return made


def _options(rng: random.Random, case: Case, entries: list[CatalogueEntry], *, above_limit: bool) -> list[Remedy]:
    limit = case.owner.authority_limit
    within = [e for e in entries if e.typical_cost <= limit]
    first = suggest(case.make_it_right, within) or within[0]
    rest = [e for e in within if e is not first]
    rng.shuffle(rest)
    picked = [first, *rest[: rng.choice([1, 2])]]
    if above_limit:
        picked = [first, max(entries, key=lambda e: e.typical_cost)]
    return [Remedy(position=i, kind=e.kind, description=e.description, when_text=e.when_text,
                   cost=e.typical_cost, catalogue_entry_id=e.id) for i, e in enumerate(picked, start=1)]


def _offer(session: Session, case: Case, remedies: list[Remedy], status: OfferStatus, created: datetime) -> Offer:
    offer = Offer(case=case, status=status, proposed_by=case.owner, created_at=created)
    offer.remedies = remedies
    session.add(offer)
    session.flush()
    return offer


def _sent(offer: Offer, at: datetime) -> dict[str, object]:
    """The offer goes out at ``at``; returns what its offer_sent event says about it."""
    offer.sent_at = at
    offer.expires_at = at + timedelta(days=RemedySettings.expiry_days)
    return {"offer": offer.id, "options": len(offer.remedies), "highest_cost": f"{offer.highest_cost:.2f}"}


def _open_case(session, rng, case, entries, managers, approvals_left, now) -> int:
    start = case.first_responded_at + timedelta(hours=rng.uniform(1, 30))
    if start > now - timedelta(hours=2):
        return 0
    age = (now - start).days
    manager = managers.get(case.category.team_id)
    roll = rng.random()
    if manager and approvals_left.get(manager.team_id, 0) > 0 and case.owner.authority_limit < 240:
        approvals_left[manager.team_id] -= 1
        offer = _offer(session, case, _options(rng, case, entries, above_limit=True),
                       OfferStatus.awaiting_approval, start)
        record(session, case, EventKind.offer_proposed, by=case.owner, at=start, detail={
            "offer": offer.id, "highest_cost": f"{offer.highest_cost:.2f}",
            "limit": f"{case.owner.authority_limit:.2f}"})
        return 1
    if roll < 0.40:
        return 0
    waiting = 0.45 <= roll < 0.72 or (0.72 <= roll < 0.78 and age < 15)
    if waiting:
        # Slow owners exist: the offer may have gone out days after the reply, but never later than now.
        start = max(start, now - timedelta(days=rng.uniform(0.5, 12.5)))
        age = (now - start).days
    offer = _offer(session, case, _options(rng, case, entries, above_limit=False), OfferStatus.sent, start)
    if roll < 0.45 and manager:
        offer.status = OfferStatus.returned_for_changes
        comment = rng.choice(RETURN_COMMENTS)
        decided = start + timedelta(hours=3)
        record(session, case, EventKind.offer_proposed, by=case.owner, at=start, detail={"offer": offer.id})
        session.add(ApprovalDecision(offer=offer, manager=manager, approved=False, comment=comment,
                                     decided_at=decided))
        record(session, case, EventKind.offer_returned, by=manager, at=decided, body=comment,
               detail={"offer": offer.id})
        return 1
    lifecycle.move(session, case, Action.send_offer, by=offer.proposed_by, at=start, detail=_sent(offer, start))
    if waiting or roll < 0.78:
        if age >= 11:
            offer.reminded_at = offer.expires_at - timedelta(days=3)
            record(session, case, EventKind.offer_reminder, at=offer.reminded_at, detail={"offer": offer.id})
        if not waiting:
            offer.status = OfferStatus.expired
            offer.answered_at = offer.expires_at
            lifecycle.move(session, case, Action.expire_offer, at=offer.expires_at, detail={"offer": offer.id})
        return 1
    answered = start + timedelta(hours=rng.uniform(2, min(age * 24, 72) or 2))
    offer.answered_at = answered
    case.last_customer_activity_at = answered
    if roll < 0.88:
        offer.status = OfferStatus.declined
        proposal = rng.choice(COUNTER_PROPOSALS)
        session.add(Choice(offer=offer, remedy=None, counter_proposal=proposal, chosen_at=answered))
        lifecycle.move(session, case, Action.decline_offer, by_customer=True, at=answered, body=proposal,
                       detail={"offer": offer.id})
        return 1
    offer.status = OfferStatus.chosen
    remedy = rng.choice(offer.remedies)
    session.add(Choice(offer=offer, remedy=remedy, chosen_at=answered))
    lifecycle.move(session, case, Action.choose_remedy, by_customer=True, at=answered, body=remedy.description,
                   detail={"offer": offer.id, "remedy": remedy.id})
    return 1


def _resolved_case(session, rng, case, entries, now) -> int:
    """Rewrite the end of a resolved case's timeline as offer → choice → fulfilment (→ rating)."""
    resolved_at = case.resolved_at
    # History is rewritten here, not lived: the case keeps its status while its ending events are replaced.
    tail = [e for e in case.events if e.kind == EventKind.status and e.detail.get("to") in ("resolved", "closed")]
    if resolved_at is None or not tail:
        return 0
    for event in tail:
        session.delete(event)
    session.flush()
    session.expire(case, ["events"])
    span = (resolved_at - case.first_responded_at).total_seconds()
    sent = case.first_responded_at + timedelta(seconds=span * 0.3)
    chosen_at = case.first_responded_at + timedelta(seconds=span * 0.6)
    offer = _offer(session, case, _options(rng, case, entries, above_limit=False), OfferStatus.chosen, sent)
    record(session, case, EventKind.offer_sent, by=offer.proposed_by, public=True, at=sent,
           detail={**_sent(offer, sent), "from": "acknowledged", "to": "remedy_offered"})
    remedy = offer.remedies[0] if rng.random() < 0.6 else rng.choice(offer.remedies)
    offer.answered_at = chosen_at
    session.add(Choice(offer=offer, remedy=remedy, chosen_at=chosen_at))
    record(session, case, EventKind.remedy_chosen, by_customer=True, public=True, at=chosen_at, body=remedy.description,
           detail={"offer": offer.id, "remedy": remedy.id, "from": "remedy_offered", "to": "remedy_chosen"})
    offer.fulfilled_at = resolved_at
    offer.fulfilled_by = case.owner
    offer.fulfilment = FULFILMENTS[remedy.kind.value].format(amount=f"£{remedy.cost:,.2f}")
    record(session, case, EventKind.remedy_fulfilled, by=case.owner, public=True, at=resolved_at, body=offer.fulfilment,
           detail={"offer": offer.id, "from": "remedy_chosen", "to": "resolved"})
    if rng.random() < 0.65:
        rated_at = resolved_at + timedelta(hours=rng.uniform(2, 48))
        low = rng.random() < 0.06 and case.status is CaseStatus.resolved and rated_at < now
        score = rng.choice([1, 2]) if low else rng.choice([4, 5, 5, 5, 3])
        comment = rng.choice(LOW_COMMENTS) if low else rng.choice(GOOD_COMMENTS)
        session.add(Rating(offer=offer, score=score, made_it_right=not low, comment=comment,
                           rated_at=min(rated_at, now)))
        record(session, case, EventKind.rated, by_customer=True, public=True, at=min(rated_at, now), body=comment,
               detail={"offer": offer.id, "score": score, "made_it_right": not low})
        if low:
            lifecycle.move(session, case, Action.reopen_after_rating, by_customer=True, at=min(rated_at, now),
                           body=comment, detail={"offer": offer.id, "reason": "rating", "score": score})
            return 1
    if case.status is CaseStatus.closed and case.closed_at is not None:
        record(session, case, EventKind.status, public=True, at=case.closed_at,
               detail={"from": "resolved", "to": "closed"})
    return 1

