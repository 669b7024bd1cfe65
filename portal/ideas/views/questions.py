"""Ask the team: a manager's question, its page of answers, and answering it from the ideas box."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.auth.access import role_required
from portal.auth.models import Role
from portal.db import db
from portal.ideas import questions
from portal.ideas.errors import IdeaRefused
from portal.ideas.forms import QuestionForm
from portal.ideas.models import TeamQuestion
from portal.ideas.views.staff import bp, today
from portal.web import form_status, get_or_404


@bp.route("/questions/new", methods=["GET", "POST"])
@role_required(Role.manager)
def ask() -> str | Response | tuple[str, int]:
    form = QuestionForm()
    teams = questions.teams_to_ask(db.session, current_user)
    form.teams.choices = [(t.id, t.name) for t in teams]
    form.figure.choices = [("", "Not about one figure")] + list(questions.FIGURES.items())
    if not form.is_submitted() and current_user.team_id:  # their own team ticked to begin with
        form.teams.data = [current_user.team_id]
    if form.validate_on_submit():
        try:
            question = questions.ask(
                db.session, by=current_user, text=form.text.data, detail=form.detail.data or "",
                teams=[t for t in teams if t.id in form.teams.data], figure=form.figure.data or "",
                closes_on=form.closes_on.data, today=today())
        except IdeaRefused as refused:
            form.form_errors.append(str(refused))
        else:
            told = len(questions.colleagues_asked(db.session, question))
            db.session.commit()
            flash(f"Question asked. {told} colleague{'' if told == 1 else 's'} have been e-mailed and see it at the "
                  "top of the ideas box.", "success")
            return redirect(url_for("ideas.question", team_question_id=question.id))
    return render_template("ideas/question_form.html", form=form), form_status()


@bp.get("/questions/<int:team_question_id>")
@login_required
def question(team_question_id: int) -> str:
    asked = get_or_404(TeamQuestion, team_question_id)
    return render_template("ideas/question.html", summary=questions.summary(db.session, asked, current_user),
                           is_open=questions.is_open(asked, today()), figures=questions.FIGURES,
                           may_answer=questions.may_answer(current_user, asked, today()),
                           may_form=current_user.is_manager)
