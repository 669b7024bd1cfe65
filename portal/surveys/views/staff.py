"""Managers build surveys: details and briefing, pages and questions, preview, open and close, invitations."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.auth.access import role_required
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.inputs import db_int
from portal.surveys import answering, building, invitations, permissions, results
from portal.surveys.briefing import render_briefing
from portal.surveys.forms import NewQuestionForm, QuestionForm, SectionForm, SurveyForm
from portal.surveys.models import FocusGroup, Invitation, Question, QuestionKind, Section, Survey
from portal.urls import public_url

bp = Blueprint("surveys", __name__, url_prefix="/staff/surveys")


def load_survey(survey_id: int) -> Survey:
    """The survey, if the signed-in manager may manage it (403 when it is another team's, 404 when none)."""
    return permissions.survey_to_manage(db.session, survey_id, current_user) or abort(404)


def _section(survey: Survey, section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None or section.survey_id != survey.id:
        abort(404)
    return section


def _question(survey: Survey, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.section.survey_id != survey.id:
        abort(404)
    return question


def _group_choices(form: SurveyForm) -> None:
    groups = permissions.groups_managed_by(db.session, current_user)
    form.group_id.choices = [(0, "None: only the public link")] + [(g.id, g.name) for g in groups]


def invitation_link(token: str) -> str:
    return public_url("answer.start", via="i", token=token)


def _chosen_group(form: SurveyForm) -> FocusGroup | None:
    """The focus group picked on the survey's form (none for "no group yet"); another team's is refused."""
    return permissions.group_to_manage(db.session, form.group_id.data, current_user) if form.group_id.data else None


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.manager)
def index():
    form = SurveyForm()
    _group_choices(form)
    if form.validate_on_submit():
        group = _chosen_group(form)
        try:
            survey = building.create_survey(db.session, title=form.title.data, briefing=form.briefing.data or "",
                                            group=group, by=current_user, reminder_days=form.reminder_days.data)
        except building.SurveyRefused as refused:
            form.title.errors = [str(refused)]
        else:
            db.session.commit()
            flash("Survey created. Add its questions, preview it, then open it.", "success")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    surveys = permissions.surveys_managed_by(db.session, current_user)
    return render_template("surveys/surveys.html", surveys=surveys, submitted=results.submitted_by_survey(db.session),
                           form=form), 422 if form.errors else 200


def render_builder(survey: Survey, *, details: SurveyForm | None = None, section_form: SectionForm | None = None,
                   status: int = 200):
    if details is None:
        details = SurveyForm(obj=survey, formdata=None)
        details.group_id.data = survey.group_id or 0
    _group_choices(details)
    new_question = NewQuestionForm(formdata=None)
    new_question.section_id.choices = [(s.id, f"Page {s.position}: {s.title}") for s in survey.sections]
    invited = db.session.scalar(select(func.count()).select_from(Invitation)
                                .where(Invitation.survey_id == survey.id)) or 0
    members = sum(1 for m in survey.group.members if m.active) if survey.group else 0
    return render_template(
        "surveys/builder.html", survey=survey, details=details, section_form=section_form or SectionForm(),
        new_question=new_question, locked=building.has_answers(db.session, survey), invited=invited,
        members=members, briefing=render_briefing(survey.briefing),
        next_reminder=invitations.next_reminder_at(survey)), status


@bp.get("/<int:survey_id>")
@role_required(Role.manager)
def show(survey_id: int):
    return render_builder(load_survey(survey_id))


@bp.post("/<int:survey_id>/details")
@role_required(Role.manager)
def details(survey_id: int):
    survey = load_survey(survey_id)
    form = SurveyForm()
    _group_choices(form)
    if form.validate_on_submit():
        group = _chosen_group(form)
        try:
            building.update_details(db.session, survey, title=form.title.data, briefing=form.briefing.data or "",
                                    group=group, reminder_days=form.reminder_days.data)
        except building.SurveyRefused as refused:
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash("Details saved.", "success")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_builder(survey, details=form, status=422)


@bp.post("/<int:survey_id>/pages")
@role_required(Role.manager)
def add_page(survey_id: int):
    survey = load_survey(survey_id)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            building.add_section(db.session, survey, title=form.title.data, intro=form.intro.data or "")
        except building.SurveyRefused as refused:
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash(f"Page “{form.title.data}” added.", "success")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_builder(survey, section_form=form, status=422)


def _refusal(survey: Survey, refused: Exception) -> WerkzeugResponse:
    db.session.rollback()
    flash(str(refused), "error")
    return redirect(url_for("surveys.show", survey_id=survey.id))


@bp.post("/<int:survey_id>/pages/<int:section_id>/delete")
@role_required(Role.manager)
def delete_page(survey_id: int, section_id: int) -> WerkzeugResponse:
    survey = load_survey(survey_id)
    try:
        building.delete_section(db.session, survey, _section(survey, section_id))
    except building.SurveyRefused as refused:
        return _refusal(survey, refused)
    db.session.commit()
    flash("Page deleted.", "success")
    return redirect(url_for("surveys.show", survey_id=survey.id))


def _show_if_choices(survey: Survey, section: Section, question: Question | None) -> list[tuple[str, str]]:
    choices = [("", "Always show it")]
    for earlier in survey.sections:
        if earlier.position >= section.position:
            break
        for q in earlier.questions:
            if q.kind in (QuestionKind.single, QuestionKind.multiple, QuestionKind.alternatives) and q is not question:
                choices += [(f"{q.id}:{i}", f"“{q.prompt}” is answered “{label}”") for i, label in enumerate(q.labels)]
    return choices


def _spec(form: QuestionForm, kind: QuestionKind) -> building.QuestionSpec:
    show_if_question = show_if_option = None
    if form.show_if.data:
        question_id, _, option = form.show_if.data.partition(":")
        show_if_question, show_if_option = int(question_id), int(option)
    return building.QuestionSpec(
        kind=kind, prompt=form.prompt.data or "", hint=form.hint.data or "", required=form.required.data,
        options=building.parse_options(form.options.data or ""), scale_max=int(form.scale_max.data or 5),
        low_label=form.low_label.data or "", high_label=form.high_label.data or "",
        min_choices=form.min_choices.data, max_choices=form.max_choices.data, long_text=form.long_text.data,
        show_if_question_id=show_if_question, show_if_option=show_if_option)


def _question_page(survey: Survey, form: QuestionForm, kind: QuestionKind, question: Question | None,
                   status: int = 200):
    return render_template("surveys/question_form.html", survey=survey, form=form, kind=kind,
                           question=question), status


def _prepare(form: QuestionForm, survey: Survey, section: Section, question: Question | None) -> None:
    form.section_id.choices = [(s.id, f"Page {s.position}: {s.title}") for s in survey.sections]
    chosen = next((s for s in survey.sections if s.id == form.section_id.data), section)
    form.show_if.choices = _show_if_choices(survey, chosen, question)


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@role_required(Role.manager)
def new_question(survey_id: int):
    survey = load_survey(survey_id)
    try:
        kind = QuestionKind(request.args.get("kind", ""))
    except ValueError:
        flash("Choose the kind of question to add.", "error")
        return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="add-question"))
    section_id = request.args.get("section_id", type=db_int)
    section = _section(survey, section_id) if section_id else survey.sections[-1]
    form = QuestionForm(data={"required": True, "section_id": section.id})
    _prepare(form, survey, section, None)
    if form.validate_on_submit():
        section = _section(survey, form.section_id.data)
        try:
            building.add_question(db.session, survey, section, _spec(form, kind))
        except building.SurveyRefused as refused:
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash("Question added.", "success")
            return redirect(url_for("surveys.show", survey_id=survey.id, _anchor=f"page-{section.position}"))
    return _question_page(survey, form, kind, None, 422 if form.errors or form.form_errors else 200)


@bp.route("/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(Role.manager)
def edit_question(survey_id: int, question_id: int):
    survey = load_survey(survey_id)
    question = _question(survey, question_id)
    form = QuestionForm(obj=question, data={
        "options": "\n".join(o["label"] + (f" | {o['description']}" if o["description"] else "")
                             for o in question.options),
        "scale_max": str(question.scale_max), "section_id": question.section_id,
        "show_if": f"{question.show_if_question_id}:{question.show_if_option}" if question.show_if_question_id
        else ""})
    _prepare(form, survey, question.section, question)
    if form.validate_on_submit():
        try:
            building.update_question(db.session, survey, question, _spec(form, question.kind),
                                     _section(survey, form.section_id.data))
        except building.SurveyRefused as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash("Question saved.", "success")
            return redirect(url_for("surveys.show", survey_id=survey.id, _anchor=f"question-{question.id}"))
    return _question_page(survey, form, question.kind, question, 422 if form.errors or form.form_errors else 200)


@bp.post("/<int:survey_id>/questions/<int:question_id>/<any(delete, up, down):action>")
@role_required(Role.manager)
def change_question(survey_id: int, question_id: int, action: str) -> WerkzeugResponse:
    survey = load_survey(survey_id)
    question = _question(survey, question_id)
    try:
        if action == "delete":
            building.delete_question(db.session, survey, question)
        else:
            building.move_question(db.session, survey, question, -1 if action == "up" else 1)
    except building.SurveyRefused as refused:
        return _refusal(survey, refused)
    db.session.commit()
    if action == "delete":
        flash("Question deleted.", "success")
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor=f"page-{question.section.position}"))


@bp.post("/<int:survey_id>/<any(open, close, duplicate, public_link, no_public_link):action>")
@role_required(Role.manager)
def change_status(survey_id: int, action: str) -> WerkzeugResponse:
    survey = load_survey(survey_id)
    now = utcnow()
    try:
        if action == "open":
            building.open_survey(survey, now)
            message = "The survey is open. Invite its group when you are ready."
        elif action == "close":
            building.close_survey(survey, now)
            message = "The survey is closed: answers can no longer be given or changed."
        elif action == "duplicate":
            survey = building.duplicate(db.session, survey, current_user)
            db.session.flush()
            message = "This is a copy, still a draft: change its questions, then open it."
        else:
            building.set_public_link(survey, action == "public_link")
            message = "Public link switched on." if survey.public_token else "Public link switched off."
    except building.SurveyRefused as refused:
        return _refusal(survey, refused)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("surveys.show", survey_id=survey.id))


@bp.post("/<int:survey_id>/<any(invite, remind):action>")
@role_required(Role.manager)
def send(survey_id: int, action: str) -> WerkzeugResponse:
    survey = load_survey(survey_id)
    secret = current_app.config["SECRET_KEY"]
    try:
        if action == "invite":
            sent = invitations.invite_group(db.session, survey, invitation_link, secret)
        else:
            sent = invitations.remind(db.session, survey, invitation_link, secret, utcnow(),
                                      current_app.config["ORG_TIMEZONE"])
    except invitations.InvitationRefused as refused:
        return _refusal(survey, refused)
    db.session.commit()
    what = "invitation" if action == "invite" else "reminder"
    message = (f"{sent.sent} {what}{'s' if sent.sent != 1 else ''} sent." if sent.sent
               else "Everyone in the group has already been invited." if action == "invite" else "No reminders sent.")
    if sent.opted_out:
        message += f" {sent.opted_out} member{'s have' if sent.opted_out != 1 else ' has'} turned off such e-mails."
    flash(message, "success")
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="invitations"))


@bp.get("/<int:survey_id>/preview")
@bp.get("/<int:survey_id>/preview/<int:page>")
@role_required(Role.manager)
def preview(survey_id: int, page: int = 0):
    """The survey as a member sees it, page by page; nothing is saved."""
    survey = load_survey(survey_id)
    if page == 0:
        return render_template("surveys/answer_start.html", survey=survey, briefing=render_briefing(survey.briefing),
                               preview=True, response=None, next_url=url_for("surveys.preview", survey_id=survey.id,
                                                                              page=1))
    if not 1 <= page <= len(survey.sections):
        abort(404)
    section = survey.sections[page - 1]
    return render_template("surveys/answer_page.html", survey=survey, section=section, preview=True,
                           questions=section.questions, numbers=answering.numbers(survey, None, everything=True),
                           values={}, errors={},
                           page=page, pages=len(survey.sections), action_url="", response=None)
