"""The staff side: my cases, the team's queue, the case view and its actions, the customer profile."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.auth.access import role_required
from portal.auth.models import Employee, Role
from portal.cases import (
    ownership,
    permissions,
    presence,
    profiles,
    replies,
    reply_templates,
    search,
    staff_page,
    workspace,
)
from portal.cases.forms import (
    CustomerNoteForm,
    DeactivateForm,
    DraftForm,
    HandoffForm,
    HelperForm,
    NoteForm,
    SendDraftForm,
    StaffReplyForm,
    StatusForm,
)
from portal.cases.models import Case, CaseStatus, Category, Channel, Customer, Event
from portal.cases.sections import case_sections
from portal.cases.views.shared import send_attachment
from portal.db import db, utcnow
from portal.forms import placeholder
from portal.inputs import db_int, optional_db_int
from portal.urls import case_link
from portal.web import form_status, get_or_404, org_zone

bp = Blueprint("staff", __name__, url_prefix="/staff")
# The queue's macros are imported without the page's context: what they call is a template global.
bp.add_app_template_global(profiles.worth_tag, "worth_tag")



@bp.app_context_processor
def _staff_header() -> dict:
    """The staff header's count of the employee's cases due today: one query, run only by pages that show it."""
    return {"due_today": lambda: workspace.due_counts(db.session, current_user, now=utcnow(), zone=org_zone())}


def _day(name: str, label: str, problems: dict[str, str]) -> date | None:
    typed = request.args.get(name, "").strip()
    if not typed:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        problems[name] = f"{label} must be a date like 2026-11-30; it was left out of the search."
        return None


def _filters() -> tuple[workspace.QueueFilters, dict[str, str]]:
    """The queue's filters from the query string, and a message for each that could not be read (left out)."""
    args = request.args
    status = args.get("status", "")
    channel = args.get("channel", "")
    problems: dict[str, str] = {}
    filed_from, filed_to = _day("from", "Filed from", problems), _day("to", "Filed to", problems)
    if filed_from and filed_to and filed_from > filed_to:
        problems["to"] = "Filed to must be the same day as Filed from or later; both were left out of the search."
        filed_from = filed_to = None
    filters = workspace.QueueFilters(
        status=CaseStatus(status) if status in CaseStatus.__members__ else None,
        category_id=args.get("category", type=db_int) or None,
        overdue=args.get("overdue") == "1",
        owner_id=args.get("owner", type=db_int) or None,
        sort=args.get("sort") if args.get("sort") in workspace.SORTS else "due",
        page=args.get("page", 1, type=db_int) or 1,
        customer=" ".join(args.get("customer", "").split())[:200],
        channel=Channel(channel) if channel in Channel.__members__ else None,
        filed_from=filed_from, filed_to=filed_to,
        zone=org_zone(),
    )
    return filters, problems


def _categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.name)))


def _queue_options(problems: dict[str, str], now) -> dict:
    return {"categories": _categories(), "statuses": list(CaseStatus), "sorts": workspace.SORTS,
            "urgency": workspace.Urgency.at(now, org_zone()), "sort_columns": workspace.SORT_COLUMNS,
            "descending": workspace.DESCENDING, "channels": list(Channel),
            "problems": problems}


@bp.get("/cases")
@login_required
def my_cases() -> str:
    filters, problems = _filters()
    now = utcnow()
    return render_template(
        "cases/staff/my_cases.html", result=workspace.my_cases(db.session, current_user, filters, now=now),
        helping=workspace.helping_on(db.session, current_user), filters=filters, **_queue_options(problems, now),
    )


@bp.route("/team", methods=["GET", "POST"])
@role_required(Role.manager)
def team():
    """The team's queue and each person's load; a POST reassigns the cases ticked to one colleague."""
    filters, problems = _filters()
    teams = workspace.teams_managed_by(db.session, current_user)
    reassign = {"picked": set(), "errors": {}, "new_owner": None, "note": "", "reason": "workload"}
    status = 200
    if request.method == "POST":
        reassign, moved = _reassign(teams)
        if moved is not None:
            flash(moved, "success")
            return redirect(request.full_path)
        status = 422
    now = utcnow()
    return render_template(
        "cases/staff/team.html", teams=teams, result=workspace.team_cases(db.session, teams, filters, now=now),
        loads=workspace.load_per_person(db.session, teams, now=now), filters=filters, reassign=reassign,
        reasons=ownership.HANDOFF_REASONS, **_queue_options(problems, now),
    ), status


def _reassign(teams) -> tuple[dict, str | None]:
    """Read the reassignment form (plain fields: one checkbox per case) and hand the cases off, or say why not."""
    form = request.form
    typed_ids = form.getlist("case")
    ids = [i for i in (optional_db_int(v) for v in typed_ids) if i is not None]
    new_owner = optional_db_int(form.get("new_owner", ""))
    state = {"picked": set(ids), "errors": {}, "new_owner": new_owner, "note": form.get("note", "")[:5000],
             "reason": form.get("reason", "")}
    members = {load.employee.id: load.employee for load in workspace.load_per_person(db.session, teams,
                                                                                     now=utcnow())}
    to = members.get(new_owner) if new_owner else None
    if to is None:
        state["errors"]["new_owner"] = "Choose the colleague who takes the cases."
    cases = workspace.cases_in_teams(db.session, teams, ids)
    if not typed_ids:
        state["errors"]["cases"] = "Tick at least one case to reassign."
    elif len(cases) != len(typed_ids):
        state["errors"]["cases"] = "Some of the cases ticked are not open cases of your teams; tick them again."
    if state["reason"] not in ownership.HANDOFF_REASONS:
        state["errors"]["reason"] = "Choose why the cases are moving."
    try:
        ownership.check_note(state["note"])
    except ownership.HandoffRefused as refused:
        state["errors"]["note"] = str(refused)
    if state["errors"]:
        return state, None
    try:
        ownership.reassign(db.session, cases, to=to, note=state["note"], reason=state["reason"], by=current_user,
                           link_for=case_link)
    except ownership.HandoffRefused as refused:
        db.session.rollback()
        state["errors"]["cases"] = str(refused)
        return state, None
    db.session.commit()
    count = f"{len(cases)} case{'' if len(cases) == 1 else 's'}"
    return state, f"{count} now owned by {to.name}, each with your note. They and each customer have been told."


@bp.get("/search", endpoint="search")
@login_required
def search_page():
    """The header's search box: an exact reference opens the case; anything else lists what matches."""
    typed, after = request.args.get("q", ""), request.args.get("after")
    if not after and (found := search.jump_target(db.session, typed, current_user)) is not None:
        return redirect(url_for("staff.case", reference=found.reference))
    everywhere = request.args.get("everywhere") == "1"
    results = search.search(db.session, typed, current_user, after=after, everywhere=everywhere)
    return render_template("cases/staff/search.html", results=results, typed=results.query.text,
                           urgency=workspace.Urgency.at(utcnow(), org_zone()), everywhere=everywhere)


@bp.get("/shortcuts")
@login_required
def shortcuts() -> str:
    """The keyboard shortcuts as a page: the footer's link, for a browser without JavaScript."""
    return render_template("cases/staff/shortcuts.html")


def _case_for_staff(reference: str) -> Case:
    return permissions.case_for_staff(db.session, reference, current_user) or abort(404)


def _colleagues(case: Case, form) -> None:
    """Fill a colleague picker (a new owner, or a helper) from the people the case could go to."""
    new_owners, new_helpers = staff_page.colleagues(db.session, case)
    label = lambda e: f"{e.name} ({e.team.name if e.team else e.role.value})"  # noqa: E731
    if isinstance(form, HelperForm):
        form.helper_id.choices = [placeholder("Choose a colleague")] + [(e.id, label(e)) for e in new_helpers]
    else:
        form.new_owner.choices = [placeholder("Choose the new owner")] + [(e.id, label(e)) for e in new_owners]


def _compose_mode(page: staff_page.StaffCasePage, forms: dict) -> str:
    """The composer's box that shows first: the one with a problem, else the one asked for in the URL
    (?compose=note, so a link or a key can open it), else the viewer's first (the reply, or a helper's draft)."""
    modes = page.compose_modes
    for mode in modes:
        form = forms.get(f"{mode}_form")
        if form is not None and form.errors:
            return mode
    asked = request.args.get("compose", "")
    return asked if asked in modes else (modes[0] if modes else "")


def _render_case(case: Case, status: int = 200, **forms):
    now = utcnow()
    page = staff_page.staff_case_page(db.session, case, current_user, now=now)
    return render_template(
        "cases/staff/case.html", case=case, **vars(page), audience="staff",
        **case_sections(db.session, case, "staff"),
        reply_form=forms.get("reply_form") or StaffReplyForm(seen_event_id=page.latest_event_id),
        note_form=forms.get("note_form") or NoteForm(), draft_form=forms.get("draft_form") or DraftForm(),
        compose_modes=page.compose_modes, compose_mode=_compose_mode(page, forms), voice=staff_page.voice,
        note_kinds=profiles.NOTE_KINDS, newer=forms.get("newer", []), now=now,
    ), status


@bp.get("/cases/<reference>")
@login_required
def case(reference: str):
    return _render_case(_case_for_staff(reference))


@bp.get("/cases/<reference>/presence")
@login_required
def case_presence(reference: str) -> Response:
    case = _case_for_staff(reference)
    now = utcnow()
    presence.touch(db.session, case, current_user, now=now)
    viewers = presence.others_viewing(db.session, case, current_user, now=now)
    latest = replies.latest_event_id(db.session, case)
    db.session.commit()
    return jsonify(viewers=[v.name for v in viewers], latest_event_id=latest)


def _seen(form) -> int | None:
    value = (form.seen_event_id.data or "").strip() if isinstance(form.seen_event_id.data, str) else None
    return optional_db_int(value) if value else None


@bp.post("/cases/<reference>/reply")
@login_required
def reply(reference: str):
    case = _case_for_staff(reference)
    form = StaffReplyForm()
    if not form.validate_on_submit():
        return _render_case(case, 422, reply_form=form)
    try:
        replies.reply(db.session, case, form.body.data, by=current_user, seen_event_id=_seen(form),
                      link_for=case_link)
    except replies.StaleCase as stale:
        db.session.rollback()
        form.body.errors = [str(stale)]
        form.seen_event_id.data = str(replies.latest_event_id(db.session, case))
        return _render_case(case, 409, reply_form=form, newer=stale.newer)
    except replies.CaseActionRefused as refused:
        db.session.rollback()
        form.body.errors = [str(refused)]
        return _render_case(case, 403 if not permissions.can_work_on(current_user, case) else 422, reply_form=form)
    db.session.commit()
    flash(f"Reply sent to {case.customer.first_name} by e-mail.", "success")
    return redirect(url_for("staff.case", reference=reference, _anchor="timeline"))


@bp.post("/cases/<reference>/insert-template")
@login_required
def insert_template(reference: str):
    """The picker without JavaScript: the reply (or draft) box comes back with the chosen template's text added
    after what was typed. Nothing is sent or saved."""
    case = _case_for_staff(reference)
    if permissions.can_work_on(current_user, case):
        form_key, form = "reply_form", StaffReplyForm()
    elif permissions.is_helper(db.session, case, current_user):
        form_key, form = "draft_form", DraftForm()
    else:
        abort(403)
    picked = optional_db_int(request.form.get("template", ""))
    chosen = reply_templates.usable_template(db.session, current_user, picked)
    if chosen is None:
        form.form_errors.append("That reply template is not there any more; choose another.")
        return _render_case(case, 422, **{form_key: form})
    typed = (form.body.data or "").rstrip()
    form.body.data = f"{typed}\n\n{reply_templates.fill(chosen, case)}" if typed else reply_templates.fill(chosen, case)
    return _render_case(case, 200, **{form_key: form})


def _perform(case: Case, form, action, done: str, *, anchor: str | None = None):
    """Do a validated form's ``action`` and go back to the case, or (None) put the refusal on the form's first
    field, with nothing of it written, for the caller to show the form again."""
    try:
        action(case, form)
    except replies.CaseActionRefused as refused:
        db.session.rollback()
        first_field = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField"))
        first_field.errors = [str(refused)]
        return None
    db.session.commit()
    flash(done.format(case=case), "success")
    return redirect(url_for("staff.case", reference=case.reference, _anchor=anchor))


def _simple_action(reference: str, form_class, form_key: str, action, done: str):
    """The note and the draft: posted from the case page's composer, shown again there on a problem."""
    case = _case_for_staff(reference)
    form = form_class()
    if form.validate_on_submit() and (done_page := _perform(case, form, action, done, anchor="timeline")):
        return done_page
    return _render_case(case, 422, **{form_key: form})


# The case's actions each have a page of their own (the case page links to them): GET shows the form, POST does
# it and returns to the case, or shows the form again with what to put right.
ACTION_PAGES = {
    "status": ("cases/staff/action_status.html", StatusForm),
    "helper": ("cases/staff/action_helper.html", HelperForm),
    "handoff": ("cases/staff/action_handoff.html", HandoffForm),
}


def _action_page(reference: str, name: str, action, done: str):
    case = _case_for_staff(reference)
    template, form_class = ACTION_PAGES[name]
    if request.method == "GET" and not permissions.can_work_on(current_user, case):
        abort(403)  # the page would offer a form whose every POST is refused
    form = form_class()
    if isinstance(form, HelperForm | HandoffForm):
        _colleagues(case, form)
    if request.method == "POST" and form.validate_on_submit() and (done_page := _perform(case, form, action, done)):
        return done_page
    status = 422 if request.method == "POST" else 200
    return render_template(template, case=case, form=form, due_at=workspace.due_at(case), now=utcnow()), status


@bp.post("/cases/<reference>/note")
@login_required
def note(reference: str):
    return _simple_action(reference, NoteForm, "note_form",
                          lambda case, form: replies.note(db.session, case, form.body.data, by=current_user),
                          "Note added.")


@bp.post("/cases/<reference>/draft")
@login_required
def draft(reference: str):
    return _simple_action(reference, DraftForm, "draft_form",
                          lambda case, form: replies.draft_reply(db.session, case, form.body.data, by=current_user),
                          "Draft saved for {case.owner.first_name} to send.")


@bp.post("/cases/<reference>/drafts/send")
@login_required
def send_draft(reference: str):
    case = _case_for_staff(reference)
    form = SendDraftForm()
    draft_event = db.session.get(Event, draft_id) if (draft_id := optional_db_int(form.draft_id.data)) else None
    if not form.validate_on_submit() or draft_event is None:
        abort(400)
    try:
        replies.send_draft(db.session, case, draft_event, by=current_user, seen_event_id=_seen(form),
                           link_for=case_link)
    except replies.CaseActionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("staff.case", reference=reference))
    db.session.commit()
    flash(f"Draft sent to {case.customer.first_name}.", "success")
    return redirect(url_for("staff.case", reference=reference, _anchor="timeline"))


@bp.route("/cases/<reference>/status", methods=["GET", "POST"])
@login_required
def change_status(reference: str):
    return _action_page(
        reference, "status",
        lambda case, form: replies.change_status(db.session, case, CaseStatus(form.status.data),
                                                 reason=form.reason.data, by=current_user),
        "Status changed to {case.status.label}.",
    )


@bp.route("/cases/<reference>/helpers", methods=["GET", "POST"])
@login_required
def add_helper(reference: str):
    def action(case, form):
        helper = db.session.get(Employee, form.helper_id.data)
        if helper is None:
            raise replies.CaseActionRefused("Choose a colleague.")
        ownership.add_helper(db.session, case, helper, by=current_user)

    return _action_page(reference, "helper", action,
                        "Your colleague has been asked to help. You still own the case.")


@bp.route("/cases/<reference>/handoff", methods=["GET", "POST"])
@login_required
def handoff(reference: str):
    def action(case, form):
        new_owner = db.session.get(Employee, form.new_owner.data)
        if new_owner is None:
            raise ownership.HandoffRefused("Choose the new owner.")
        ownership.hand_off(db.session, case, to=new_owner, note=form.note.data, reason=form.reason.data,
                           by=current_user, link_for=case_link)

    return _action_page(reference, "handoff", action,
                        "{case.reference} is now owned by {case.owner.name}. They and the customer have been told.")


@bp.get("/cases/<reference>/attachments/<int:attachment_id>")
@login_required
def attachment(reference: str, attachment_id: int) -> Response:
    return send_attachment(_case_for_staff(reference), attachment_id)


@bp.route("/customers/<int:customer_id>", methods=["GET", "POST"])
@login_required
def customer(customer_id: int):
    person = get_or_404(Customer, customer_id)
    cases = person.cases
    if not any(permissions.can_view(db.session, current_user, c) for c in cases) and \
            current_user.role is not Role.admin:
        abort(403)
    form = CustomerNoteForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                profiles.add_note(db.session, person, form.body.data, kind=form.kind.data, by=current_user)
            except profiles.NoteRefused as refused:
                form.body.errors = [str(refused)]
            else:
                db.session.commit()
                flash("Note added to the customer's profile.", "success")
                return redirect(url_for("staff.customer", customer_id=customer_id))
        status = 422
    data = profiles.profile(db.session, person, today=utcnow().date())
    return render_template("cases/staff/customer.html", profile=data, form=form,
                           note_kinds=profiles.NOTE_KINDS), status


@bp.route("/employees/<int:employee_id>/deactivate", methods=["GET", "POST"])
@role_required(Role.manager)
def deactivate(employee_id: int):
    person = get_or_404(Employee, employee_id)
    if not permissions.manages_team(current_user, person.team):
        abort(403)
    open_cases = ownership.open_cases_of(db.session, person)
    form = DeactivateForm()
    colleagues = db.session.scalars(
        select(Employee).where(Employee.active, Employee.id != person.id).order_by(Employee.name)
    ).all()
    form.new_owner.choices = [placeholder("Choose a colleague")] + [
        (e.id, f"{e.name} ({e.team.name if e.team else e.role.value})") for e in colleagues
    ]
    if form.validate_on_submit():
        to = db.session.get(Employee, form.new_owner.data)
        try:
            moved = ownership.deactivate(db.session, person, to=to, note=form.note.data or "", by=current_user,
                                         link_for=case_link)
        except replies.CaseActionRefused as refused:
            db.session.rollback()
            form.note.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"{person.name} is deactivated. {moved} open case{'s' if moved != 1 else ''} moved to {to.name}.",
                  "success")
            return redirect(url_for("staff.team"))
    status = form_status()
    return render_template("cases/staff/deactivate.html", person=person, cases=open_cases, form=form), status
