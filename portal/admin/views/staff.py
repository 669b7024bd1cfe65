"""Administration for admins and managers: teams, categories, employees, the organisation, the audit log,
customers' data requests and the outbox."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from portal import audit, page_cache
from portal import organisation as branding_settings
from portal.admin import data_requests, organisation, outbox, staff, structure
from portal.admin.forms import (
    CategoryForm,
    CustomerSearchForm,
    EmployeeForm,
    ErasureForm,
    InviteForm,
    OrganisationForm,
    TeamForm,
)
from portal.auth.access import role_required
from portal.auth.accounts import AccountRefused
from portal.auth.models import Employee, Role, Team
from portal.cases.models import Case, Customer
from portal.cases.permissions import categories_managed_by
from portal.db import db
from portal.forms import placeholder
from portal.inputs import db_int
from portal.mail import worker
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.urls import public_url
from portal.web import form_status, get_or_404

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")
outbox_bp = Blueprint("outbox", __name__, url_prefix="/staff/admin/outbox")




@bp.after_request
def _fresh_public_pages(response: Response) -> Response:
    if request.method == "POST":  # the organisation's name or logo shows on every cached public page
        page_cache.clear()
    return response



def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


@bp.get("/")
@role_required(Role.manager)
def index() -> str:
    return render_template("admin/index.html")


@bp.get("/teams")
@role_required()
def teams() -> str:
    return render_template("admin/teams.html", teams=_teams())


@bp.route("/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@role_required()
def team(team_id: int | None) -> str | Response | tuple[str, int]:
    existing = get_or_404(Team, team_id) if team_id else None
    form = TeamForm(obj=existing)
    managers = db.session.scalars(
        select(Employee).where(Employee.active, Employee.role.in_([Role.manager, Role.admin])).order_by(Employee.name)
    ).all()
    form.manager_id.choices = [(0, "No manager yet")] + [(m.id, m.name) for m in managers]
    if form.validate_on_submit():
        try:
            saved = structure.save_team(db.session, existing, name=form.name.data,
                                        manager=db.session.get(Employee, form.manager_id.data or 0), by=current_user)
        except structure.StructureRefused as refused:
            form.name.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"Team {saved.name} saved.", "success")
            return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=existing), form_status()


@bp.get("/categories")
@role_required(Role.manager)
def categories() -> str:
    return render_template("admin/categories.html", categories=categories_managed_by(db.session,
                                                                                                current_user))


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@role_required(Role.manager)
def category(category_id: int | None) -> str | Response | tuple[str, int]:
    existing = structure.category_to_manage(db.session, category_id, current_user) or abort(404) \
        if category_id else None
    form = CategoryForm(obj=existing)
    form.team_id.choices = [placeholder("Choose a team")] + [
        (t.id, t.name) for t in structure.teams_managed_by(db.session, current_user)]
    if request.method == "GET" and existing is None:
        form.first_response_hours.data, form.resolution_hours.data = 24, 24 * 7
    if form.validate_on_submit():
        chosen_team = db.session.get(Team, form.team_id.data) or abort(400)
        try:
            saved = structure.save_category(
                db.session, existing, name=form.name.data, description=form.description.data or "",
                team=chosen_team, first_response_hours=form.first_response_hours.data,
                resolution_hours=form.resolution_hours.data, active=form.active.data, by=current_user,
            )
        except structure.StructureRefused as refused:
            form.name.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"Category {saved.name} saved.", "success")
            return redirect(url_for("admin.categories"))
    return render_template("admin/category_form.html", form=form, category=existing), form_status()


@bp.get("/employees")
@role_required()
def employees() -> str:
    role = request.args.get("role", "")
    show = request.args.get("show", "active")
    result = staff.list_employees(
        db.session, team_id=request.args.get("team", type=db_int),
        role=Role(role) if role in Role.__members__ else None,
        active={"active": True, "inactive": False}.get(show), page=request.args.get("page", 1, type=db_int) or 1,
    )
    return render_template("admin/employees.html", result=result, teams=_teams(), roles=list(Role), show=show)


def _employee_choices(form: EmployeeForm) -> None:
    form.team_id.choices = [(0, "No team")] + [(t.id, t.name) for t in _teams()]


@bp.route("/employees/invite", methods=["GET", "POST"])
@role_required()
def invite() -> str | Response | tuple[str, int]:
    form = InviteForm()
    _employee_choices(form)
    if request.method == "GET":
        form.authority_limit.data = Decimal("50")
    if form.validate_on_submit():
        try:
            employee = staff.invite_employee(
                db.session, email=form.email.data, name=form.name.data, job_title=form.job_title.data or "",
                role=Role(form.role.data), team=db.session.get(Team, form.team_id.data or 0),
                authority_limit=form.authority_limit.data, by=current_user,
                secret_key=current_app.config["SECRET_KEY"],
                link=lambda token: public_url("auth.accept_invitation", token=token),
            )
        except AccountRefused as refused:
            form.email.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"{employee.name} has been invited. The e-mail's link lets them choose a password for 7 days.",
                  "success")
            return redirect(url_for("admin.employees"))
    return render_template("admin/invite.html", form=form), form_status()


@bp.route("/employees/<int:employee_id>", methods=["GET", "POST"])
@role_required()
def employee(employee_id: int) -> str | Response | tuple[str, int]:
    person = get_or_404(Employee, employee_id)
    form = EmployeeForm(obj=person, role=person.role.value)
    _employee_choices(form)
    if form.validate_on_submit():
        try:
            staff.update_employee(
                db.session, person, name=form.name.data, job_title=form.job_title.data or "",
                role=Role(form.role.data), team=db.session.get(Team, form.team_id.data or 0),
                authority_limit=form.authority_limit.data, by=current_user,
            )
        except staff.StaffChangeRefused as refused:
            form.role.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"{person.name}'s account saved.", "success")
            return redirect(url_for("admin.employees"))
    return render_template("admin/employee_form.html", form=form, employee=person), form_status()


@bp.route("/organisation", methods=["GET", "POST"])
@role_required()
def organisation_settings() -> str | Response | tuple[str, int]:
    current = branding_settings.branding(db.session, current_app.config["ORG_NAME"])
    form = OrganisationForm(name=current.name)
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            organisation.update_organisation(
                db.session, name=form.name.data, logo=upload.read() if upload else None,
                upload_dir=current_app.config["UPLOAD_DIR"], by=current_user,
                default_name=current_app.config["ORG_NAME"],
            )
        except organisation.OrganisationRefused as refused:
            form.logo.errors = [str(refused)]
        else:
            db.session.commit()
            flash("Organisation details saved.", "success")
            return redirect(url_for("admin.organisation_settings"))
    return render_template("admin/organisation.html", form=form, branding=current), form_status()


@bp.get("/audit")
@role_required()
def audit_log() -> str:
    entity = request.args.get("entity") or None
    result = audit.list_entries(db.session, entity=entity, actor_id=request.args.get("actor", type=db_int),
                                page=request.args.get("page", 1, type=db_int) or 1)
    return render_template("admin/audit.html", result=result, entities=audit.entity_names(db.session),
                           entity=entity)


@bp.get("/data-requests")
@role_required()
def data_requests_search() -> str | Response:
    form = CustomerSearchForm(request.args)
    if request.args and form.validate():
        customer = data_requests.find_customer(db.session, form.email.data)
        if customer is not None:
            return redirect(url_for("admin.data_request", customer_id=customer.id))
        form.email.errors = [f"No customer has the e-mail address {form.email.data.strip()}."]
    return render_template("admin/data_requests.html", form=form)


@bp.route("/data-requests/<int:customer_id>", methods=["GET", "POST"])
@role_required()
def data_request(customer_id: int) -> str | Response | tuple[str, int]:
    customer = get_or_404(Customer, customer_id)
    form = ErasureForm()
    if form.validate_on_submit():
        try:
            erased = data_requests.erase_customer(db.session, customer, by=current_user, reason=form.reason.data)
        except data_requests.ErasureRefused as refused:
            form.reason.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"Erased. {_count(erased.cases, 'case')} kept without personal details; "
                  f"{_count(erased.events, 'timeline entry', 'timeline entries')} and "
                  f"{_count(erased.emails, 'e-mail')} cleared.", "success")
            return redirect(url_for("admin.data_request", customer_id=customer.id))
    cases = db.session.scalar(select(func.count()).where(Case.customer_id == customer.id))
    return render_template("admin/data_request.html", customer=customer, form=form, cases=cases), form_status()


@bp.get("/data-requests/<int:customer_id>/export.json")
@role_required()
def data_export(customer_id: int) -> Response:
    customer = get_or_404(Customer, customer_id)
    data = data_requests.export_customer(db.session, customer, by=current_user)
    db.session.commit()
    response = jsonify(data)
    response.headers["Content-Disposition"] = f'attachment; filename="customer-{customer.id}-data.json"'
    return response


# The outbox: every e-mail sent or waiting, a message and its preview, and sending a failed one again.
@outbox_bp.get("/", endpoint="index")
@role_required()
def outbox_list() -> str:
    status = request.args.get("status", "")
    result = outbox.list_outbox(db.session, status=OutboxStatus(status) if status in OutboxStatus.__members__ else None,
                               search=request.args.get("q", ""), before=request.args.get("before", type=db_int),
                               after=request.args.get("after", type=db_int))
    return render_template("admin/outbox.html", result=result, status=status, statuses=list(OutboxStatus))


@outbox_bp.get("/received", endpoint="received")
@role_required()
def inbound_list() -> str:
    page = outbox.list_inbound(db.session, before=request.args.get("before", type=db_int))
    return render_template("admin/inbound.html", page=page)


@outbox_bp.get("/<int:message_id>", endpoint="show")
@role_required()
def outbox_message(message_id: int) -> str:
    message = get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message)


@outbox_bp.get("/<int:message_id>/preview", endpoint="preview")
@role_required()
def outbox_preview(message_id: int) -> Response:
    message = get_or_404(OutboxMessage, message_id)
    response = Response(message.body_html, mimetype="text/html")
    # Shown in a sandboxed frame: the e-mail's own inline styles, nothing that runs or loads.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@outbox_bp.post("/<int:message_id>/retry", endpoint="retry")
@role_required()
def outbox_retry(message_id: int) -> Response:
    message = get_or_404(OutboxMessage, message_id)
    try:
        worker.retry(db.session, message)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(f"Message {message.id} to {message.to_address} will be sent again.", "success")
    return redirect(url_for("outbox.show", message_id=message.id))
