"""What both audiences' remedy pages use: the settings, the letter as a PDF, and the offer on a case's page."""

from __future__ import annotations

from flask import Response, current_app, url_for
from sqlalchemy.orm import Session

from portal.cases.models import Case
from portal.cases.sections import Audience, add_case_section
from portal.db import db
from portal.organisation import organisation_name
from portal.remedies.letter import letter_filename, render_letter
from portal.remedies.links import offer_token
from portal.remedies.models import Offer
from portal.remedies.settings import RemedySettings
from portal.remedies.summary import offer_summary_for_case


def remedy_settings() -> RemedySettings:
    config = current_app.config
    return RemedySettings.from_config(config, org_name=organisation_name(db.session))


def letter_pdf(offer: Offer) -> Response:
    settings = remedy_settings()
    letter = render_letter(offer, org_name=settings.org_name, zone=settings.timezone)
    return pdf_response(letter, letter_filename(offer))



def pdf_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store",
    })


def customer_link(offer: Offer) -> str:
    return url_for("offers.show", token=offer_token(current_app.config["SECRET_KEY"], offer.id))


def offer_section(session: Session, case: Case, audience: Audience) -> dict[str, object]:
    """What a case's pages show of its offers (templates/remedies/_case_offer.html); the customer's page also
    links to the offer itself."""
    summary = offer_summary_for_case(session, case)
    if audience == "staff":
        return {"offer_summary": summary}
    return {"offer_summary": summary, "offer_url": customer_link(summary.offer) if summary else ""}


def register_case_sections() -> None:
    add_case_section(offer_section)


