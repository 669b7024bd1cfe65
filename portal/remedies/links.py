"""The signed link in offer e-mails: it opens the customer's offer, rating and letter without an account."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.remedies.models import Offer
from portal.tokens import TokenInvalid, sign, unsign

PURPOSE = "remedy-offer"
# Long enough to rate the outcome and fetch the letter months later; the offer itself expires on its own clock.
MAX_AGE = 365 * 24 * 3600


def offer_token(secret_key: str, offer_id: int) -> str:
    return sign(secret_key, PURPOSE, {"offer": offer_id})


def offer_for_token(session: Session, secret_key: str, token: str) -> Offer:
    payload = unsign(secret_key, PURPOSE, token, MAX_AGE)
    offer_id = payload.get("offer") if isinstance(payload, dict) else None
    offer = session.get(Offer, offer_id) if isinstance(offer_id, int) else None
    if offer is None:
        raise TokenInvalid("This link is not valid.")
    return offer
