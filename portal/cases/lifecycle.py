"""The case lifecycle in one place: which action moves a case from which status to which, and the one function that
moves it (setting the status, stamping resolved_at / closed_at and recording the event on the timeline).

Every status change in the product goes through :func:`move` (tests/cases/test_lifecycle.py reads the code for any
other); the questions pages ask of a case (`is_open`, `can_reply`, `can_offer`, `can_reopen`) are answered here too,
so no template or view restates a rule about statuses."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from portal.cases.errors import CaseActionRefused
from portal.cases.models import CaseKind, CaseStatus, EventKind
from portal.cases.timeline import record
from portal.db import utcnow

if TYPE_CHECKING:
    from portal.auth.models import Employee
    from portal.cases.models import Case, Event

S = CaseStatus
OPEN_STATUSES = (S.new, S.acknowledged, S.remedy_offered, S.remedy_chosen, S.reopened)
# A withdrawn or closed case takes no more replies, from the customer or from staff, until it is reopened.
CONVERSATION_ENDED = (S.withdrawn, S.closed)
# An offer is composed on a case that is waiting for one: not while another is out, chosen or done.
OFFERABLE = (S.new, S.acknowledged, S.reopened)
EVERY_STATUS = tuple(S)


class Action(enum.StrEnum):
    """What happens to a case, by whom: each is one row of TRANSITIONS."""

    first_reply = "first_reply"  # the owner's first reply acknowledges a new case
    acknowledge = "acknowledge"  # "being looked at", set by hand
    send_offer = "send_offer"  # an offer of remedies reaches the customer
    choose_remedy = "choose_remedy"  # the customer picks one of the options
    decline_offer = "decline_offer"  # none of the options: the customer proposes their own
    expire_offer = "expire_offer"  # nobody answered the offer in time
    fulfil = "fulfil"  # the chosen remedy is done
    resolve = "resolve"  # by hand
    close = "close"  # by hand, once resolved
    reopen = "reopen"  # by hand
    reopen_after_rating = "reopen_after_rating"  # a low rating or "it did not make it right"
    withdraw = "withdraw"  # the customer no longer needs anything


@dataclass(frozen=True)
class Transition:
    allowed_from: tuple[CaseStatus, ...]
    to: CaseStatus
    kind: EventKind
    public: bool = True


# The table of the lifecycle. Statuses that follow from offers and choices move only by those actions; the owner's
# own moves (acknowledge, resolve, close, reopen) are checked again by cases.replies.change_status for who may.
TRANSITIONS: dict[Action, Transition] = {
    Action.first_reply: Transition((S.new,), S.acknowledged, EventKind.status),
    Action.acknowledge: Transition(tuple(s for s in EVERY_STATUS if s not in (S.acknowledged, S.withdrawn)),
                                   S.acknowledged, EventKind.status),
    Action.send_offer: Transition(OFFERABLE, S.remedy_offered, EventKind.offer_sent),
    Action.choose_remedy: Transition(OPEN_STATUSES, S.remedy_chosen, EventKind.remedy_chosen),
    Action.decline_offer: Transition(OPEN_STATUSES, S.acknowledged, EventKind.counter_proposal),
    Action.expire_offer: Transition((S.remedy_offered,), S.acknowledged, EventKind.offer_expired, public=False),
    Action.fulfil: Transition((S.remedy_chosen,), S.resolved, EventKind.remedy_fulfilled),
    Action.resolve: Transition(tuple(s for s in EVERY_STATUS if s not in (S.resolved, S.withdrawn)),
                               S.resolved, EventKind.status),
    Action.close: Transition((S.resolved,), S.closed, EventKind.status),
    Action.reopen: Transition((S.resolved, S.closed), S.reopened, EventKind.status),
    Action.reopen_after_rating: Transition((S.resolved, S.closed), S.reopened, EventKind.reopened),
    Action.withdraw: Transition(tuple(s for s in EVERY_STATUS if s not in CONVERSATION_ENDED), S.withdrawn,
                                EventKind.withdrawn),
}


class LifecycleRefused(CaseActionRefused):
    """The case is not in a status this action can move it from; nothing changed."""


def allowed(case: Case, action: Action) -> bool:
    return case.status in TRANSITIONS[action].allowed_from


def move(
    session: Session,
    case: Case,
    action: Action,
    *,
    by: Employee | None = None,
    by_customer: bool = False,
    at: datetime | None = None,
    body: str = "",
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Event:
    """Move ``case`` by ``action``: its new status, the time stamps that go with it, and one event on its timeline
    (the event's detail says from and to, the reason when there is one, and what the caller adds)."""
    transition = TRANSITIONS[action]
    if case.status not in transition.allowed_from:
        raise LifecycleRefused(f"A {case.status.label.lower()} case cannot be moved that way.")
    previous, now = case.status, at or utcnow()
    case.status, case.updated_at = transition.to, now
    # The stamps follow from where the case goes, whichever action took it there.
    if transition.to is S.resolved:
        case.resolved_at = now
    if transition.to in (S.closed, S.withdrawn):
        case.closed_at = now
    if transition.to is S.reopened:
        case.closed_at = None
    stamped = {**(detail or {}), "from": previous.value, "to": transition.to.value}
    if reason is not None:
        stamped["reason"] = reason
    return record(session, case, transition.kind, by=by, by_customer=by_customer, public=transition.public,
                  body=body, detail=stamped, at=now)


# The questions pages and services ask; Case's properties of the same names answer from here.
def is_open(case: Case) -> bool:
    return case.status in OPEN_STATUSES


def can_reply(case: Case) -> bool:
    """Whether either side can still write on the case (and the customer still withdraw it)."""
    return case.status not in CONVERSATION_ENDED


def can_reopen(case: Case) -> bool:
    return allowed(case, Action.reopen)


def why_no_offer(case: Case) -> str | None:
    """Why no new offer can be made on ``case`` now, or None when one can (its live offer aside)."""
    if case.kind is not CaseKind.complaint:
        return f"{case.reference} is a suggestion: suggestions are answered and can become changes, not offers."
    if not allowed(case, Action.send_offer):
        return f"{case.reference} is {case.status.label.lower()}, so no new offer can be made now."
    return None


def can_offer(case: Case) -> bool:
    return why_no_offer(case) is None
