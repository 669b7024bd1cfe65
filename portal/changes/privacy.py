"""A customer's data request, for "You said, we did": the words of theirs quoted in themes.

Their cases stay linked to themes (the count of customers who raised something stays right); the quotes go,
since a quote is nothing but their words."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.cases.models import Case, Customer
from portal.changes.models import ChangeNotification, Quote, Theme


def _quotes_of(customer: Customer):
    return Quote.case_id.in_(select(Case.id).where(Case.customer_id == customer.id))


def export(session: Session, customer: Customer) -> dict[str, Any]:
    quotes = session.execute(
        select(Quote, Theme.title).join(Theme, Theme.id == Quote.theme_id).where(_quotes_of(customer))
        .order_by(Quote.id)
    ).all()
    told = session.scalar(select(ChangeNotification.id).where(ChangeNotification.customer_id == customer.id)
                          .limit(1)) is not None
    return {
        "quoted_in_themes": [
            {"theme": title, "words": quote.text, "may_be_shown_publicly": quote.customer_agreed,
             "quoted_at": quote.created_at.isoformat()}
            for quote, title in quotes
        ],
        "told_of_changes": told,
    }


def erase(session: Session, customer: Customer) -> dict[str, int]:
    quotes = session.execute(delete(Quote).where(_quotes_of(customer)).execution_options(
        synchronize_session="fetch")).rowcount
    return {"quotes": quotes}


def move_customer(session: Session, keep: Customer, remove: Customer) -> dict[str, int]:
    """Two records of one person merged: the news ``remove`` was sent is ``keep``'s (one row per change and
    occasion: where both were told, the kept record's row stands)."""
    told = select(ChangeNotification.change_id, ChangeNotification.occasion).where(
        ChangeNotification.customer_id == keep.id)
    kept = {tuple(row) for row in session.execute(told)}
    moved = dropped = 0
    for row in session.scalars(select(ChangeNotification).where(ChangeNotification.customer_id == remove.id)):
        if (row.change_id, row.occasion) in kept:
            session.delete(row)
            dropped += 1
        else:
            row.customer_id = keep.id
            moved += 1
    session.flush()
    return {"change notifications": moved, "duplicate change notifications dropped": dropped}
