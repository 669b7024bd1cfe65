"""How each kind of timeline event reads: to staff on the case page, and to the customer on theirs.

Every kind of event recorded anywhere has its wording here (a test reads the code for every `record(...)` kind),
so no timeline shows a raw name like "offer proposed". Placeholders: {who} (the employee who did it, or the
customer's first name for their own steps), {customer} and {customer_first} (the customer), and per kind a few
taken from the event's detail: {helper}, {status}, {reason}, {score}, {verdict}, {sender}.
"""

from __future__ import annotations

from typing import Any

from portal.cases.models import Case, CaseStatus, Event, EventKind

STAFF = {
    EventKind.filed: "{customer} filed the case",
    EventKind.reply: "{who} replied to the customer",
    EventKind.customer_reply: "{customer_first} wrote",
    EventKind.make_it_right_added: "{customer_first} said what would make it right",
    EventKind.note: "{who} added an internal note",
    EventKind.email_held: "An e-mail from {sender}, not the customer's address, held for the owner",
    EventKind.draft_reply: "{who} drafted a reply",
    EventKind.draft_sent: "{who} sent a draft",
    EventKind.handoff: "{who} handed the case off",
    EventKind.owner_changed: "The customer was told who owns the case now",
    EventKind.helper_added: "{who} asked {helper} to help",
    EventKind.status: "{who} changed the status to {status}",
    EventKind.flagged: "Flagged to the team's manager: {reason}",
    EventKind.withdrawn: "{customer_first} withdrew the case",
    EventKind.offer_proposed: "{who} proposed an offer for a manager to approve",
    EventKind.offer_approved: "{who} approved the offer",
    EventKind.offer_returned: "{who} returned the offer for changes",
    EventKind.offer_sent: "{who} sent the customer an offer to choose from",
    EventKind.offer_reminder: "The customer was reminded to choose",
    EventKind.offer_expired: "The offer expired without an answer",
    EventKind.remedy_chosen: "{customer_first} chose a remedy",
    EventKind.counter_proposal: "{customer_first} proposed their own remedy",
    EventKind.remedy_fulfilled: "{who} marked the chosen remedy done",
    EventKind.rated: "{customer_first} rated it {score} out of 5 and said {verdict}",
    EventKind.reopened: "{who} reopened the case",
    EventKind.email_bounced: "An e-mail to the customer bounced",
    EventKind.change_published: "{who} published a “You said, we did” change from this case",
}

# Only public events reach the customer's page.
CUSTOMER = {
    EventKind.filed: "You told us",
    EventKind.customer_reply: "You wrote",
    EventKind.make_it_right_added: "You told us what would make this right",
    EventKind.reply: "{who} wrote",
    EventKind.withdrawn: "You withdrew the case",
    EventKind.owner_changed: "Your case has a new owner",
    EventKind.offer_sent: "We offered you ways to put it right",
    EventKind.remedy_chosen: "You chose how we put it right",
    EventKind.counter_proposal: "You proposed something else",
    EventKind.remedy_fulfilled: "{who} put it right",
    EventKind.rated: "You told us how we did",
    EventKind.reopened: "Your case was reopened",
    EventKind.status: "Status: {step}",
    EventKind.change_published: "We changed something because of what you told us",
}


def _status_label(value: Any) -> str:
    try:
        return CaseStatus(value).label.lower()
    except ValueError:
        return str(value).replace("_", " ")


def _values(event: Event, case: Case) -> dict[str, Any]:
    customer = case.customer
    if event.employee is not None:
        who = event.employee.name
    elif event.by_customer:
        who = customer.first_name
    else:
        who = "The system"
    detail = event.detail or {}
    return {
        "who": who, "customer": customer.name, "customer_first": customer.first_name,
        "helper": detail.get("name", "a colleague"), "status": _status_label(detail.get("to", "")),
        "reason": detail.get("reason", ""), "score": detail.get("score", "?"), "sender": detail.get("sender", ""),
        "verdict": "we made it right" if detail.get("made_it_right", True) else "we did not make it right",
    }


def staff_title(event: Event, case: Case) -> str:
    """ "Maria Lopez replied to the customer", "James rated it 4 out of 5 and said we made it right"."""
    wording = STAFF.get(event.kind)
    if wording is None:  # a kind added without wording here: readable still, and the test over kinds fails
        return f"{_values(event, case)['who']}: {event.kind.replace('_', ' ')}"
    return wording.format(**_values(event, case))


def customer_heading(event: Event, step: str = "") -> str:
    """How a public event reads to the customer; ``step`` names the progress step a status change reached."""
    name = event.employee.first_name if event.employee else "We"
    wording = CUSTOMER.get(event.kind)
    if wording is None:
        return event.kind.replace("_", " ").capitalize()
    return wording.format(who=name, step=step)
