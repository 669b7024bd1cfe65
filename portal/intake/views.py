"""The staff page that logs a contact: find the customer, write down what happened, and who owns it."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.cases import contacts
from portal.cases.customers import matching_customers
from portal.cases.errors import FilingRefused
from portal.cases.models import CaseKind, CaseStatus, Category, Channel, Customer
from portal.db import db
from portal.forms import placeholder
from portal.inputs import optional_db_int
from portal.intake.forms import NEW_CUSTOMER, ContactForm
from portal.organisation import organisation_name
from portal.remedies import first_contact
from portal.remedies.errors import RemedyRefused
from portal.remedies.offers import RemedyDraft
from portal.remedies.settings import RemedySettings
from portal.web import form_status

bp = Blueprint("intake", __name__, url_prefix="/staff")


def _customer_label(customer: Customer) -> str:
    parts = [customer.name, customer.email or "no e-mail", customer.phone]
    if customer.membership:
        parts.append(customer.membership)
    return " · ".join(part for part in parts if part)


def _customers_to_choose(find: str) -> list[Customer]:
    found = matching_customers(db.session, find) if find else []
    chosen = db.session.get(Customer, optional_db_int(request.args.get("customer")) or 0)
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)
    return found


@bp.route("/cases/new", methods=["GET", "POST"])
@login_required
def new_case() -> str | Response | tuple[str, int]:
    form = ContactForm()
    find = " ".join((request.args.get("find", "") if request.method == "GET" else form.find.data or "").split())
    found = _customers_to_choose(find[:120])
    form.customer.choices = [(str(c.id), _customer_label(c)) for c in found] + [(NEW_CUSTOMER, "Someone new")]
    categories = db.session.scalars(select(Category).where(Category.active).order_by(Category.name)).all()
    form.category_id.choices = [placeholder("Choose one")] + [(c.id, c.name) for c in categories]
    if request.method == "GET":
        form.find.data = find
        form.customer.data = str(found[0].id) if len(found) == 1 else (None if found else NEW_CUSTOMER)
    if form.validate_on_submit():
        filed = _log(form)
        if filed is not None:
            case = filed.case
            if filed.duplicate:
                flash(f"{case.reference} was already logged with these words a moment ago: here it is.", "info")
            elif case.status is CaseStatus.resolved:
                flash(f"Logged {case.reference} and resolved at first contact. The customer's letter is on its way"
                      f"{'' if case.customer.email else ' (they have no e-mail address: tell them or post it)'}.",
                      "success")
            else:
                flash(f"Logged {case.reference}. {case.owner.name} owns it.", "success")
            return redirect(url_for("staff.case", reference=case.reference))
    return render_template("intake/new_case.html", form=form, found=found, find=find,
                           new_customer=NEW_CUSTOMER), form_status()


def _log(form: ContactForm):
    new = form.customer.data == NEW_CUSTOMER
    contact = contacts.Contact(
        channel=Channel(form.channel.data),
        category_id=form.category_id.data,
        what_happened=form.what_happened.data,
        make_it_right=form.make_it_right.data or "",
        kind=CaseKind(form.kind.data or "complaint"),
        customer_id=None if new else optional_db_int(form.customer.data),
        name=(form.name.data or "") if new else "",
        email=(form.email.data or "") if new else "",
        phone=form.phone.data or "",
        booking_reference=form.booking_reference.data or "",
        talk_seconds=form.talk_time.data,
        hold_seconds=form.hold_time.data,
        keep_it=form.owner.data != "team",
        handoff_note=form.handoff_note.data or "",
    )
    put_right = None
    if form.put_right.data:
        draft = RemedyDraft(form.remedy_kind.data or "", form.remedy_description.data or "", "",
                            "" if form.remedy_cost.data is None else form.remedy_cost.data)
        settings = RemedySettings.from_config(current_app.config, org_name=organisation_name(db.session))
        try:
            first_contact.check_within_limit(draft, by=current_user)
        except RemedyRefused as refused:
            form.remedy_cost.errors = [*form.remedy_cost.errors, str(refused)]
            return None

        def put_right(case):
            return first_contact.put_right_there_and_then(db.session, case, draft, by=current_user, settings=settings)
    try:
        filed = contacts.log_contact(db.session, contact, by=current_user, put_right=put_right)
        db.session.commit()
    except (FilingRefused, RemedyRefused) as refused:
        db.session.rollback()
        form.form_errors.append(str(refused))
        return None
    return filed
