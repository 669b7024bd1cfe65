from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.auth.access import role_required
from portal.auth.models import Employee, Role
from portal.auth.permissions import load_checked
from portal.cases.models import Category
from portal.changes.models import Change
from portal.changes.permissions import themes_managed_by
from portal.db import db, utcnow
from portal.forms import PortalForm
from portal.ideas import box, meetings, outcome, questions
from portal.ideas.forms import (
    CloseTaskForceForm,
    CommentForm,
    IdeaForm,
    MeetingNoteForm,
    StatusForm,
    TaskForceEditForm,
    TaskForceForm,
    name_and_team,
)
from portal.ideas.models import Idea, IdeaKind, IdeaStatus, TaskForce, TeamQuestion
from portal.ideas.permissions import may_decide, may_run_task_force, require_decide, require_run_task_force
from portal.inputs import db_int, optional_db_int
from portal.times import local
from portal.web import form_status, get_or_404, org_zone

bp = Blueprint("ideas", __name__, url_prefix="/staff/ideas")


def _categories() -> list[tuple[int, str]]:
    return [(0, "Not about one area")] + [
        (c.id, c.name) for c in db.session.scalars(select(Category).where(Category.active).order_by(Category.name))
    ]



def today() -> date:
    """Today on the organisation's calendar: a question open "until 31 March" is open all that day there."""
    return local(utcnow(), org_zone()).date()


def _question(typed: object) -> TeamQuestion | None:
    """The question a form or link names (None for none, or for an id that is not one)."""
    question_id = optional_db_int(typed)
    return db.session.get(TeamQuestion, question_id) if question_id else None


def _idea_or_404(idea_id: int) -> Idea:
    return get_or_404(Idea, idea_id)


def _idea_to_decide(idea_id: int) -> Idea:
    """The idea, if the signed-in manager decides on it (403 when another team's managers do)."""
    return load_checked(db.session, Idea, idea_id, lambda idea: require_decide(current_user, idea)) or abort(404)


def _filters(**fixed: object) -> box.IdeaFilters:
    args = request.args
    status = args.get("status", "")
    kind = args.get("kind", "")
    return box.IdeaFilters(
        status=IdeaStatus(status) if status in IdeaStatus.__members__ else None,
        kind=IdeaKind(kind) if kind in IdeaKind.__members__ else None,
        category_id=args.get("category", type=db_int) or None,
        sort="newest" if args.get("sort") == "newest" else "supported",
        page=args.get("page", 1, type=db_int) or 1,
        **fixed,
    )


@bp.get("/")
@login_required
def index() -> str:
    filters = _filters()
    return render_template(
        "ideas/index.html", result=box.list_ideas(db.session, filters), filters=filters,
        categories=_categories()[1:], statuses=list(IdeaStatus), kinds=list(IdeaKind), mine=False,
        questions=[(q, questions.may_answer(current_user, q, today()))
                   for q in questions.open_questions_for(db.session, current_user, today())],
        shipped=box.shipped(db.session),
    )


@bp.get("/mine")
@login_required
def mine() -> str:
    filters = _filters(author_id=current_user.id)
    return render_template(
        "ideas/index.html", result=box.list_ideas(db.session, filters), filters=filters,
        categories=_categories()[1:], statuses=list(IdeaStatus), kinds=list(IdeaKind), mine=True,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response | tuple[str, int]:
    form = IdeaForm()
    form.category_id.choices = _categories()
    if not form.is_submitted():
        form.question_id.data = request.args.get("question", "")
    question = _question(form.question_id.data)
    if form.validate_on_submit():
        category = db.session.get(Category, form.category_id.data) if form.category_id.data else None
        try:
            idea = box.submit_idea(
                db.session, author=current_user, title=form.title.data, body=form.body.data,
                kind=IdeaKind(form.kind.data), category=category, question=question, today=today(),
            )
        except box.IdeaRefused as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash("Thank you. Your idea is in the box; colleagues can now support it and managers will review it.",
                  "success")
            return redirect(url_for("ideas.show", idea_id=idea.id))
    return render_template("ideas/new.html", form=form, question=question), form_status()


@bp.get("/<int:idea_id>")
@login_required
def show(idea_id: int) -> str:
    idea = _idea_or_404(idea_id)
    return _render_idea(idea, CommentForm(), _status_form(idea))


def _status_form(idea: Idea) -> StatusForm:
    # The saved reason comes back in the box: saving again must not erase it.
    return StatusForm(status=idea.status.value, reason=idea.status_reason)


def _render_idea(idea: Idea, comment_form: CommentForm, status_form: StatusForm, status: int = 200):
    can_decide = may_decide(current_user, idea)
    changes = box.changes_to_ship_as(db.session, current_user) if can_decide else []
    return render_template(
        "ideas/show.html", idea=idea, comment_form=comment_form, status_form=status_form, changes=changes,
        can_decide=can_decide,
        supporters=box.supporters(db.session, idea), supported=box.supports(db.session, idea, current_user),
    ), status


@bp.post("/<int:idea_id>/support")
@login_required
def support(idea_id: int) -> Response:
    idea = _idea_or_404(idea_id)
    return _support_answer(idea, lambda: box.support(db.session, idea, current_user),
                           done="You support this idea.", already="You already support this idea.")


@bp.post("/<int:idea_id>/withdraw-support")
@login_required
def withdraw_support(idea_id: int) -> Response:
    idea = _idea_or_404(idea_id)
    return _support_answer(idea, lambda: box.withdraw_support(db.session, idea, current_user),
                           done="You no longer support this idea.",
                           already="You do not support this idea, so there was nothing to withdraw.")


def _support_answer(idea: Idea, act: Callable[[], bool], *, done: str, already: str) -> Response:
    """Support and its withdrawal answer alike: a repeat changes nothing and says so calmly."""
    try:
        changed = act()
    except box.IdeaRefused as refused:
        flash(str(refused), "info")
    else:
        db.session.commit()
        flash(done if changed else already, "success" if changed else "info")
    return redirect(url_for("ideas.show", idea_id=idea.id))


@bp.post("/<int:idea_id>/comments")
@login_required
def comment(idea_id: int):
    idea = _idea_or_404(idea_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render_idea(idea, form, _status_form(idea), 422)
    added = box.add_comment(db.session, idea, current_user, form.body.data)
    db.session.commit()
    if added:
        flash("Your comment has been added.", "success")
    else:
        flash("You already added this comment.", "info")
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="comments"))


@bp.post("/<int:idea_id>/status")
@role_required(Role.manager)
def set_status(idea_id: int):
    idea = _idea_to_decide(idea_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            changed = box.set_status(db.session, idea, IdeaStatus(form.status.data), reason=form.reason.data or "",
                                     by=current_user)
        except box.IdeaRefused as refused:
            form.reason.errors = [str(refused)]
        else:
            db.session.commit()
            if changed:
                flash(f"Status set to {idea.status.label}. {idea.author.first_name} has been told.", "success")
            else:
                flash(f"Nothing changed: the idea is already {idea.status.label.lower()} with this reason.", "info")
            return redirect(url_for("ideas.show", idea_id=idea.id))
    return _render_idea(idea, CommentForm(), form, 422)


def _active_employees(form: TaskForceEditForm) -> list[Employee]:
    """Every active colleague, offered as a member by name and team."""
    employees = list(db.session.scalars(select(Employee).where(Employee.active).order_by(Employee.name)))
    form.members.choices = [(e.id, name_and_team(e)) for e in employees]
    return employees


def _task_force_to_run(task_force_id: int) -> TaskForce:
    """The task force, if the signed-in manager may change it (403 when it is another team's)."""
    return load_checked(
        db.session, TaskForce, task_force_id, lambda force: require_run_task_force(current_user, force)
    ) or abort(404)


@bp.route("/task-forces/new", methods=["GET", "POST"])
@role_required(Role.manager)
def new_task_force() -> str | Response | tuple[str, int]:
    form = TaskForceForm()
    employees = _active_employees(form)
    open_ideas = db.session.scalars(
        select(Idea).where(Idea.task_force_id.is_(None), Idea.status.in_([IdeaStatus.new, IdeaStatus.under_review]))
        .order_by(Idea.created_at.desc())
    ).all()
    open_ideas = [i for i in open_ideas if may_decide(current_user, i)]
    form.ideas.choices = [(i.id, i.title) for i in open_ideas]
    teams = questions.teams_to_ask(db.session, current_user)
    form.figure.choices = [("", "Not measured against one figure")] + list(questions.FIGURES.items())
    form.team_id.choices = [(0, "Choose a team")] + [(t.id, t.name) for t in teams]
    if not form.is_submitted():
        form.question_id.data = request.args.get("question", "")
    question = _question(form.question_id.data)
    if request.method == "GET" and question is not None:  # formed from a question: its answers and its figure
        form.ideas.data = [i.id for i in question.answers if i in open_ideas]
        form.figure.data = question.figure
        form.team_id.data = next((t.id for t in question.teams if t in teams), 0)
    elif request.method == "GET" and request.args.get("idea", type=db_int):
        form.ideas.data = [request.args.get("idea", type=db_int)]
    if form.validate_on_submit():
        chosen_members = [e for e in employees if e.id in form.members.data]
        chosen_ideas = [i for i in open_ideas if i.id in form.ideas.data]
        try:
            task_force = box.form_task_force(
                db.session, name=form.name.data, goal=form.goal.data, due_on=form.due_on.data,
                members=chosen_members, ideas=chosen_ideas, by=current_user, figure=form.figure.data or "",
                team=next((t for t in teams if t.id == form.team_id.data), None), started_on=form.started_on.data,
                question=question,
            )
        except box.IdeaRefused as refused:
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash(f"Task force “{task_force.name}” formed. Its members and the colleagues who raised its ideas "
                  "have been told.", "success")
            return redirect(url_for("ideas.task_force", task_force_id=task_force.id))
    return render_template("ideas/task_force_form.html", form=form, task_force=None), form_status()


@bp.route("/task-forces/<int:task_force_id>/edit", methods=["GET", "POST"])
@role_required(Role.manager)
def edit_task_force(task_force_id: int) -> str | Response | tuple[str, int]:
    force = _task_force_to_run(task_force_id)
    form = TaskForceEditForm(data={"name": force.name, "goal": force.goal, "due_on": force.due_on,
                                   "members": [m.id for m in force.members]})
    employees = _active_employees(form)
    try:
        box.require_open(force)
    except box.IdeaRefused as refused:
        flash(str(refused), "info")
        return redirect(url_for("ideas.task_force", task_force_id=force.id))
    if form.validate_on_submit():
        saved = _task_force_saved(form, force, lambda: box.edit_task_force(
            db.session, force, name=form.name.data, goal=form.goal.data, due_on=form.due_on.data,
            members=[e for e in employees if e.id in form.members.data], by=current_user,
        ), done="Task force saved. Colleagues new to it have been told.", same="Nothing changed.")
        if saved:
            return saved
    return render_template("ideas/task_force_form.html", form=form, task_force=force), form_status()


def _task_force_saved(form: PortalForm, force: TaskForce, act: Callable[[], bool], *, done: str, same: str
                      ) -> Response | None:
    """Commit a change to a task force and go back to its page saying what happened; None when it was refused
    (the reason is on the form, shown again with what was typed)."""
    try:
        changed = act()
    except box.IdeaRefused as refused:
        form.form_errors.append(str(refused))
        return None
    db.session.commit()
    flash(done if changed else same, "success" if changed else "info")
    return redirect(url_for("ideas.task_force", task_force_id=force.id))


@bp.route("/task-forces/<int:task_force_id>/close", methods=["GET", "POST"])
@role_required(Role.manager)
def close_task_force(task_force_id: int) -> str | Response | tuple[str, int]:
    force = _task_force_to_run(task_force_id)
    form = CloseTaskForceForm()
    if form.validate_on_submit():
        saved = _task_force_saved(form, force, lambda: box.close_task_force(
            db.session, force, outcome=form.outcome.data, reason=form.reason.data, by=current_user,
        ), done=f"“{force.name}” is closed; what it changed is on its page.",
            same=f"“{force.name}” was already closed; nothing changed.")
        if saved:
            return saved
    return render_template("ideas/task_force_close.html", form=form, task_force=force), form_status()


@bp.get("/task-forces/<int:task_force_id>")
@login_required
def task_force(task_force_id: int) -> tuple[str, int]:
    return render_task_force(get_or_404(TaskForce, task_force_id), MeetingNoteForm(met_on=today()))


def render_task_force(force: TaskForce, note_form: MeetingNoteForm, status: int = 200) -> tuple[str, int]:
    """The task force's page: what it is, its figure week by week, its meeting notes (and the form for one)."""
    measured = outcome.outcome(db.session, force.figure, force.team_id, force.started_on, now=utcnow(), zone=org_zone())
    return render_template("ideas/task_force.html", task_force=force, name_and_team=name_and_team,
                           can_run=may_run_task_force(current_user, force), measured=measured,
                           chart=outcome.chart(measured) if measured else None,
                           notes=meetings.notes(db.session, force), note_form=note_form,
                           may_write=meetings.may_write(current_user, force),
                           themes=themes_managed_by(db.session, current_user)
                           if force.closed_at and may_run_task_force(current_user, force) else []), status


@bp.get("/task-forces/mine")
@login_required
def my_task_forces() -> str:
    result = box.task_forces_of(db.session, current_user, page=request.args.get("page", 1, type=db_int) or 1)
    return render_template("ideas/my_task_forces.html", result=result)


@bp.post("/<int:idea_id>/change")
@role_required(Role.manager)
def link_change(idea_id: int) -> Response:
    idea = _idea_to_decide(idea_id)
    change_id = request.form.get("change_id", type=db_int)
    change = db.session.get(Change, change_id) if change_id else None
    if change_id and change is None:
        abort(400)
    try:
        changed = box.link_change(db.session, idea, change, by=current_user)
    except box.IdeaRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    db.session.commit()
    if not changed:
        flash("Nothing changed: the link is already as you chose.", "info")
    elif change:
        flash(f"Linked to “{change.title}”. {idea.author.first_name} has been told.", "success")
    else:
        flash("Change unlinked.", "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))
