"""The resolution letter: what the customer told us, what we offered, what they chose, what was done and by whom."""

from __future__ import annotations

from datetime import datetime

from portal import times
from portal.db import utcnow
from portal.pdf import render_pdf
from portal.remedies.models import Offer
from portal.rendering import environment


def letter_html(offer: Offer, *, org_name: str, now: datetime | None = None, zone: str = times.DEFAULT_ZONE) -> str:
    case = offer.case
    return environment(zone).get_template("remedies/letter.html").render(
        org_name=org_name, case=case, customer=case.customer, offer=offer, chosen=offer.chosen_remedy,
        done_by=offer.fulfilled_by or case.owner, today=now or utcnow(),
    )


def render_letter(offer: Offer, *, org_name: str, now: datetime | None = None, zone: str = times.DEFAULT_ZONE
                  ) -> bytes:
    return render_pdf(letter_html(offer, org_name=org_name, now=now, zone=zone))


def letter_filename(offer: Offer) -> str:
    return f"{offer.case.reference}-resolution-letter.pdf"
