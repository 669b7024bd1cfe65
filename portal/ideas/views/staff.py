from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.auth.access import role_required
from portal.auth.models import Employee, Role
from portal.auth.permissions import load_checked
from portal.cases.models import Category
from portal.changes.models import Change
from portal.changes.permissions import changes_managed_by
from portal.db import db, utcnow
from portal.ideas import box, outcome, questions
from portal.ideas.forms import CommentForm, IdeaForm, StatusForm, TaskForceForm
from portal.ideas.models import Idea, IdeaKind, IdeaStatus, TaskForce, TeamQuestion
from portal.ideas.permissions import may_decide, require_decide
from portal.inputs import db_int, optional_db_int
from portal.times import local
from portal.web import form_status, get_or_404

bp = Blueprint("ideas", __name__, url_prefix="/staff/ideas")


def _categories() -> list[tuple[int, str]]:
    return [(0, "Not about one area")] + [
        (c.id, c.name) for c in db.session.scalars(select(Category).where(Category.active).order_by(Category.name))
    ]


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("ORG_TIMEZONE", "Europe/London"))


def today() -> date:
    """Today on the organisation's calendar: a question open "until 31 March" is open all that day there."""
    return local(utcnow(), _zone()).date()


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
    return _render_idea(idea, CommentForm(), StatusForm(status=idea.status.value))


def _render_idea(idea: Idea, comment_form: CommentForm, status_form: StatusForm, status: int = 200):
    can_decide = may_decide(current_user, idea)
    changes = sorted(changes_managed_by(db.session, current_user), key=lambda c: c.title) if can_decide else []
    return render_template(
        "ideas/show.html", idea=idea, comment_form=comment_form, status_form=status_form, changes=changes,
        can_decide=can_decide,
        supporters=box.supporters(db.session, idea), supported=box.supports(db.session, idea, current_user),
    ), status


@bp.post("/<int:idea_id>/support")
@login_required
def support(idea_id: int) -> Response:
    idea = _idea_or_404(idea_id)
    try:
        now_supports = box.toggle_support(db.session, idea, current_user)
    except box.IdeaRefused as refused:
        flash(str(refused), "info")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    db.session.commit()
    flash("You support this idea." if now_supports else "You no longer support this idea.", "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))


@bp.post("/<int:idea_id>/comments")
@login_required
def comment(idea_id: int):
    idea = _idea_or_404(idea_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return _render_idea(idea, form, StatusForm(status=idea.status.value), 422)
    box.add_comment(db.session, idea, current_user, form.body.data)
    db.session.commit()
    flash("Your comment has been added.", "success")
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="comments"))


@bp.post("/<int:idea_id>/status")
@role_required(Role.manager)
def set_status(idea_id: int):
    idea = _idea_to_decide(idea_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            box.set_status(db.session, idea, IdeaStatus(form.status.data), reason=form.reason.data or "",
                           by=current_user)
        except box.IdeaRefused as refused:
            form.reason.errors = [str(refused)]
        else:
            db.session.commit()
            flash(f"Status set to {idea.status.label}. {idea.author.first_name} has been told.", "success")
            return redirect(url_for("ideas.show", idea_id=idea.id))
    return _render_idea(idea, CommentForm(), form, 422)


@bp.route("/task-forces/new", methods=["GET", "POST"])
@role_required(Role.manager)
def new_task_force() -> str | Response | tuple[str, int]:
    form = TaskForceForm()
    employees = db.session.scalars(select(Employee).where(Employee.active).order_by(Employee.name)).all()
    open_ideas = db.session.scalars(
        select(Idea).where(Idea.task_force_id.is_(None), Idea.status.in_([IdeaStatus.new, IdeaStatus.under_review]))
        .order_by(Idea.created_at.desc())
    ).all()
    form.members.choices = [(e.id, f"{e.name} — {e.job_title or e.role.value}") for e in employees]
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
            flash(f"Task force “{task_force.name}” formed. The colleagues who raised its ideas have been told.",
                  "success")
            return redirect(url_for("ideas.task_force", task_force_id=task_force.id))
    return render_template("ideas/task_force_form.html", form=form), form_status()


@bp.get("/task-forces/<int:task_force_id>")
@login_required
def task_force(task_force_id: int) -> str:
    force = get_or_404(TaskForce, task_force_id)
    measured = outcome.outcome(db.session, force.figure, force.team_id, force.started_on, now=utcnow(), zone=_zone())
    return render_template("ideas/task_force.html", task_force=force, outcome=measured,
                           chart=outcome.chart(measured) if measured else None)


@bp.post("/<int:idea_id>/change")
@role_required(Role.manager)
def link_change(idea_id: int) -> Response:
    idea = _idea_to_decide(idea_id)
    change_id = request.form.get("change_id", type=db_int)
    change = db.session.get(Change, change_id) if change_id else None
    if change_id and change is None:
        abort(400)
    box.link_change(db.session, idea, change, by=current_user)
    db.session.commit()
    flash(f"Linked to “{change.title}”. {idea.author.first_name} has been told." if change else "Change unlinked.",
          "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))
