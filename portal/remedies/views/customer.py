"""Remedy pages for the customer, through the signed link in the offer e-mail: the choice, the rating, the letter."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.cases.customer_access import issue_link
from portal.db import db
from portal.errors import PrivateLinkNotFound
from portal.remedies import choice, fulfilment
from portal.remedies.errors import RemedyRefused
from portal.remedies.forms import ChoiceForm, RatingForm
from portal.remedies.links import offer_for_token
from portal.remedies.models import Offer, OfferStatus
from portal.remedies.views.shared import letter_pdf, remedy_settings
from portal.security import limiter
from portal.tokens import TokenInvalid
from portal.web import form_status

customer = Blueprint("offers", __name__, url_prefix="/offers")


# ---------- Customer: through the signed link ----------

def _offer_for(token: str) -> Offer:
    try:
        return offer_for_token(db.session, current_app.config["SECRET_KEY"], token)
    except TokenInvalid:
        raise PrivateLinkNotFound() from None


def _choice_form(offer: Offer) -> ChoiceForm:
    form = ChoiceForm()
    form.choice.choices = [(str(r.id), r.description) for r in offer.remedies] + [("none", "None of these")]
    return form


@customer.route("/<token>", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def show(token: str):
    offer = _offer_for(token)
    if offer.status not in (OfferStatus.sent, OfferStatus.chosen, OfferStatus.declined, OfferStatus.expired):
        abort(404)
    form = _choice_form(offer)
    refused = ""
    if request.method == "POST" and form.validate_on_submit():
        try:
            if form.choice.data == "none":
                choice.decline(db.session, offer, form.proposal.data or "", zone=remedy_settings().timezone)
            else:
                choice.choose(db.session, offer, int(form.choice.data), zone=remedy_settings().timezone)
        except RemedyRefused as error:
            db.session.rollback()
            db.session.refresh(offer)
            refused = str(error)
        else:
            db.session.commit()
            return redirect(url_for("offers.show", token=token))
    if request.method == "POST" and not refused and offer.status is not OfferStatus.sent:
        refused = choice.closed_message(offer, remedy_settings().timezone)
    status = 200
    if request.method == "POST":
        status = 409 if refused else 422
    template = "remedies/offer_choose.html" if offer.status is OfferStatus.sent else "remedies/offer_state.html"
    return render_template(template, offer=offer, case=offer.case, form=form, token=token, refused=refused), status


@customer.post("/<token>/case")
def to_case(token: str) -> WerkzeugResponse:
    """Back from an offer to the whole case: the offer's link stands for the case's, so a fresh case link is made."""
    offer = _offer_for(token)
    link = issue_link(db.session, offer.case)
    db.session.commit()
    return redirect(url_for("cases.private_case", token=link))


@customer.route("/<token>/rate", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def rate(token: str):
    offer = _offer_for(token)
    if offer.fulfilled_at is None or offer.rating is not None:
        return render_template("remedies/rate_state.html", offer=offer, case=offer.case, token=token,
                               just_rated=request.args.get("done") == "1")
    form = RatingForm()
    if form.validate_on_submit():
        try:
            fulfilment.rate(db.session, offer, score=int(form.score.data or 0),
                            made_it_right=form.made_it_right.data == "yes", comment=form.comment.data or "")
        except RemedyRefused as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            return redirect(url_for("offers.rate", token=token, done=1))
    status = form_status()
    return render_template("remedies/rate.html", offer=offer, case=offer.case, form=form, token=token), status


@customer.get("/<token>/letter.pdf")
def letter(token: str):
    offer = _offer_for(token)
    if offer.fulfilled_at is None:
        abort(404)
    return letter_pdf(offer)
