"""Merging two records of one person, from the customer's page: choose the other record, confirm naming both."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.admin import customer_merge
from portal.admin.forms import MergeForm
from portal.auth.access import role_required
from portal.auth.models import Role
from portal.auth.permissions import require
from portal.cases.models import Customer
from portal.db import db
from portal.inputs import has_control_characters
from portal.web import get_or_404

bp = Blueprint("customer_merge", __name__, url_prefix="/staff/customers")


@bp.route("/<int:customer_id>/merge", methods=["GET", "POST"])
@role_required(Role.manager)
def merge(customer_id: int):
    keep = get_or_404(Customer, customer_id)
    require(customer_merge.may_merge(db.session, current_user, keep),
            "Only an admin, or a manager who may see every case of this customer, can merge the record.")
    form = MergeForm()
    suggested = request.args.get("other", "")
    if request.method == "GET" and suggested and not has_control_characters(suggested):
        form.other.data = suggested[:254]
    plan = None
    if request.method == "POST" and form.validate_on_submit():
        other = customer_merge.find_other(db.session, form.other.data, current_user)
        if other is None:
            form.other.errors = ["No customer record you may merge has that e-mail address, external id or number."]
        else:
            try:
                plan = customer_merge.plan(db.session, keep, other, by=current_user)
            except customer_merge.MergeRefused as refused:
                form.other.errors = [str(refused)]
            else:
                if request.form.get("confirm") == "yes":
                    name, email = other.name, other.email
                    customer_merge.merge(db.session, keep, other, by=current_user)
                    db.session.commit()
                    flash(f"Merged: the record of {name} <{email or 'no e-mail address'}> is now part of this one, "
                          "with its cases, "
                          "notes and consents.", "success")
                    return redirect(url_for("staff.customer", customer_id=keep.id))
    status = 422 if form.errors else 200
    return render_template("admin/customer_merge.html", keep=keep, form=form, plan=plan), status
