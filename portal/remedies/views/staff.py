"""Remedy pages for staff: the composer, approvals, the catalogue, fulfilment and the letter."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from portal.auth.access import role_required
from portal.auth.models import Role, Team
from portal.cases import lifecycle
from portal.cases.models import Case
from portal.cases.permissions import case_for_staff
from portal.db import db
from portal.forms import placeholder
from portal.inputs import db_int
from portal.remedies import catalogue, fulfilment, offers
from portal.remedies.access import manages_category
from portal.remedies.errors import NotAllowed, RemedyRefused
from portal.remedies.forms import ApproveForm, CatalogueForm, FulfilForm, OfferForm, ReturnForm
from portal.remedies.models import CatalogueEntry, Offer, OfferStatus
from portal.remedies.summary import latest_offer, offer_summary_for_case
from portal.remedies.views.shared import customer_link, letter_pdf, remedy_settings
from portal.web import form_status

staff = Blueprint("remedies", __name__, url_prefix="/staff")


def _page_number() -> int:
    return request.args.get("page", 1, type=db_int) or 1


def _case_for_staff(reference: str) -> Case:
    return case_for_staff(db.session, reference, current_user, to_work_on=True) or abort(404)



# ---------- Staff: the composer ----------

def _prefill(form: OfferForm, case: Case, entries: list[CatalogueEntry], suggestion: CatalogueEntry | None) -> None:
    """Rows from the catalogue entries picked in the URL, else from a returned offer, else the suggestion."""
    by_id = {e.id: e for e in entries}
    picked = [by_id[i] for i in request.args.getlist("entry", type=db_int) if i in by_id][:3]
    rows: list[tuple[str, str, str, object, str]] = [
        (e.kind.value, e.description, e.when_text, e.typical_cost, str(e.id)) for e in picked
    ]
    if not rows:
        last = latest_offer(db.session, case)
        if last is not None and last.status is OfferStatus.returned_for_changes:
            rows = [(r.kind.value, r.description, r.when_text, r.cost, "") for r in last.remedies]
        elif suggestion is not None:
            rows = [(suggestion.kind.value, suggestion.description, suggestion.when_text, suggestion.typical_cost,
                     str(suggestion.id))]
    for row, (kind, description, when_text, cost, entry_id) in zip(form.options, rows, strict=False):
        row.form.kind.data = kind
        row.form.description.data = description
        row.form.when_text.data = when_text
        row.form.cost.data = cost
        row.form.catalogue_entry_id.data = entry_id


def _show_refusal(form: FlaskForm, refused: RemedyRefused) -> None:
    """What the employee can put right shows above the form; what they may not do at all answers 403."""
    if isinstance(refused, NotAllowed):
        raise refused  # portal.errors turns it into the 403 page, keeping nothing
    db.session.rollback()
    form.form_errors.append(str(refused))


@staff.route("/cases/<reference>/offer", methods=["GET", "POST"])
@login_required
def compose(reference: str):
    case = _case_for_staff(reference)
    entries = catalogue.entries_for(db.session, case.category)
    suggestion = catalogue.suggest(case.make_it_right, entries)
    form = OfferForm()
    if request.method == "GET":
        _prefill(form, case, entries, suggestion)
    elif form.validate_on_submit():
        try:
            offer = offers.compose_offer(db.session, case, form.drafts(), by=current_user, settings=remedy_settings())
        except RemedyRefused as refused:
            _show_refusal(form, refused)
        else:
            db.session.commit()
            if offer.status is OfferStatus.sent:
                flash(f"Your offer is on its way to {case.customer.name}. We will tell you when they choose.",
                      "success")
            else:
                flash("The most expensive option is above your authority limit, so a manager will approve it "
                      "first. We have asked them.", "info")
            return redirect(url_for("remedies.compose", reference=reference))
    status = form_status()
    return render_template(
        "remedies/compose.html", case=case, form=form, entries=entries, suggestion=suggestion,
        summary=offer_summary_for_case(db.session, case), live=offers.live_offer(db.session, case),
        no_offer=lifecycle.why_no_offer(case), picked=request.args.getlist("entry", type=db_int),
        customer_link=customer_link,
        limit=offers.limit_check(current_user, [row.form.cost.data for row in form.options]),
    ), status


# ---------- Staff: approvals ----------

@staff.get("/approvals")
@role_required(Role.manager)
def approvals():
    sort = request.args.get("sort", "oldest")
    sort = sort if sort in offers.APPROVAL_SORTS else "oldest"
    team_id = request.args.get("team", type=db_int)
    page = offers.approvals_queue(db.session, current_user, page=_page_number(), sort=sort, team_id=team_id)
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    return render_template("remedies/approvals.html", page=page, sort=sort, team_id=team_id, teams=teams)


def _offer_for_approval(offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        abort(404)
    if not manages_category(current_user, offer.case.category):
        abort(403)
    return offer


@staff.get("/approvals/<int:offer_id>")
@role_required(Role.manager)
def review(offer_id: int):
    offer = _offer_for_approval(offer_id)
    return render_template("remedies/review.html", offer=offer, case=offer.case, approve_form=ApproveForm(),
                           return_form=ReturnForm())


@staff.post("/approvals/<int:offer_id>/approve")
@role_required(Role.manager)
def approve(offer_id: int):
    offer = _offer_for_approval(offer_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return render_template("remedies/review.html", offer=offer, case=offer.case, approve_form=form,
                               return_form=ReturnForm(formdata=None)), 422
    try:
        offers.approve(db.session, offer, by=current_user, settings=remedy_settings(), comment=form.comment.data or "")
    except RemedyRefused as refused:
        db.session.rollback()
        form.form_errors.append(str(refused))
        return render_template("remedies/review.html", offer=offer, case=offer.case, approve_form=form,
                               return_form=ReturnForm(formdata=None)), 409
    db.session.commit()
    flash(f"Approved: the offer on {offer.case.reference} is on its way to {offer.case.customer.name}.", "success")
    return redirect(url_for("remedies.approvals"))


@staff.post("/approvals/<int:offer_id>/return")
@role_required(Role.manager)
def return_offer(offer_id: int):
    offer = _offer_for_approval(offer_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        return render_template("remedies/review.html", offer=offer, case=offer.case,
                               approve_form=ApproveForm(formdata=None), return_form=form), 422
    try:
        offers.return_for_changes(db.session, offer, by=current_user, comment=form.return_comment.data or "")
    except RemedyRefused as refused:
        db.session.rollback()
        form.form_errors.append(str(refused))
        return render_template("remedies/review.html", offer=offer, case=offer.case,
                               approve_form=ApproveForm(formdata=None), return_form=form), 409
    db.session.commit()
    flash(f"Returned to {offer.proposed_by.name} with your comment.", "success")
    return redirect(url_for("remedies.approvals"))


# ---------- Staff: the catalogue ----------

@staff.get("/remedies/catalogue")
@role_required(Role.manager)
def catalogue_list():
    category_id = request.args.get("category", type=db_int)
    sort = request.args.get("sort", "category")
    sort = sort if sort in catalogue.SORTS else "category"
    retired = request.args.get("retired") == "1"
    page = catalogue.list_entries(db.session, current_user, category_id=category_id, include_retired=retired,
                                  sort=sort, page=_page_number())
    return render_template("remedies/catalogue.html", page=page, sort=sort, category_id=category_id,
                           retired=retired, categories=catalogue.manageable_categories(db.session, current_user))


def _catalogue_form(entry: CatalogueEntry | None = None) -> CatalogueForm:
    form = CatalogueForm(obj=entry) if entry is not None else CatalogueForm()
    if entry is not None and request.method == "GET":
        form.category.data = entry.category_id
        form.kind.data = entry.kind.value
    form.category.choices = [placeholder("Choose a category")] + [
        (c.id, c.name) for c in catalogue.manageable_categories(db.session, current_user)
    ]
    return form


@staff.route("/remedies/catalogue/new", methods=["GET", "POST"])
@staff.route("/remedies/catalogue/<int:entry_id>/edit", methods=["GET", "POST"])
@role_required(Role.manager)
def catalogue_edit(entry_id: int | None = None):
    entry = None
    if entry_id is not None:
        entry = db.session.get(CatalogueEntry, entry_id)
        if entry is None:
            abort(404)
        if not manages_category(current_user, entry.category):
            abort(403)
    form = _catalogue_form(entry)
    if form.validate_on_submit():
        from portal.cases.models import Category

        try:
            saved = catalogue.save_entry(
                db.session, by=current_user, category=db.session.get(Category, form.category.data or 0),
                kind=form.kind.data, title=form.title.data or "", description=form.description.data or "",
                when_text=form.when_text.data or "", typical_cost=form.typical_cost.data, active=form.active.data,
                entry=entry,
            )
        except RemedyRefused as refused:
            _show_refusal(form, refused)
        else:
            db.session.commit()
            flash(f"Saved “{saved.title}” in the {saved.category.name} catalogue.", "success")
            return redirect(url_for("remedies.catalogue_list", category=saved.category_id))
    status = form_status()
    return render_template("remedies/catalogue_edit.html", form=form, entry=entry), status


# ---------- Staff: fulfilment and the letter ----------

@staff.route("/cases/<reference>/fulfil", methods=["GET", "POST"])
@login_required
def fulfil(reference: str):
    case = _case_for_staff(reference)
    offer = fulfilment.offer_to_fulfil(db.session, case)
    form = FulfilForm()
    if offer is None:
        flash(f"{case.reference} has no chosen remedy waiting to be done.", "info")
        return redirect(url_for("remedies.compose", reference=reference))
    if form.validate_on_submit():
        try:
            fulfilment.fulfil(db.session, case, what_was_done=form.what_was_done.data or "", by=current_user,
                              settings=remedy_settings())
        except RemedyRefused as refused:
            _show_refusal(form, refused)
        else:
            db.session.commit()
            flash(f"{case.reference} is resolved. {case.customer.name} has their letter and will be asked "
                  "whether we made it right.", "success")
            return redirect(url_for("remedies.compose", reference=reference))
    status = form_status()
    return render_template("remedies/fulfil.html", case=case, offer=offer, form=form), status


def _fulfilled_offer(case: Case) -> Offer | None:
    return db.session.scalar(
        select(Offer).where(Offer.case_id == case.id, Offer.fulfilled_at.is_not(None)).order_by(Offer.id.desc())
    )


@staff.get("/cases/<reference>/letter.pdf")
@login_required
def staff_letter(reference: str):
    case = _case_for_staff(reference)
    offer = _fulfilled_offer(case)
    if offer is None:
        abort(404)
    return letter_pdf(offer)


