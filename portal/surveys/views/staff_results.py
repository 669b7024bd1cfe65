"""A survey's results for managers: figures and charts, raw answers as CSV, a PDF report, quotes and themes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.auth.access import role_required
from portal.auth.models import Role
from portal.changes.themes import ThemeRefused
from portal.db import db, utcnow
from portal.organisation import organisation_name
from portal.surveys import export, guidance, results
from portal.surveys.briefing import render_briefing
from portal.surveys.forms import ThemeFromAnswerForm
from portal.surveys.models import Answer, QuestionKind
from portal.surveys.views.staff import bp, load_survey


def _summary(survey_id: int, text_limit: int = 20) -> results.Results:
    survey = load_survey(survey_id)
    band = request.args.get("band") or None
    return results.summarise(db.session, survey, band=band, today=utcnow().date(), text_limit=text_limit)


@bp.get("/<int:survey_id>/results")
@role_required(Role.manager)
def survey_results(survey_id: int):
    summary = _summary(survey_id)
    return render_template("surveys/results.html", survey=summary.survey, results=summary, bands=results.BANDS,
                           kinds=QuestionKind, theme_form=ThemeFromAnswerForm(formdata=None))


@bp.get("/<int:survey_id>/results.csv")
@role_required(Role.manager)
def results_csv(survey_id: int) -> WerkzeugResponse:
    survey = load_survey(survey_id)
    text = "".join(export.csv_rows(db.session, survey, utcnow().date()))
    return WerkzeugResponse(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="survey-{survey.id}-answers.csv"'})


@bp.get("/<int:survey_id>/report.pdf")
@role_required(Role.manager)
def report(survey_id: int) -> WerkzeugResponse:
    from portal.pdf import render_pdf

    summary = _summary(survey_id, text_limit=8)
    html = render_template("surveys/report.html", survey=summary.survey, results=summary, kinds=QuestionKind,
                           briefing=render_briefing(summary.survey.briefing), now=utcnow(),
                           org=organisation_name(db.session))
    return WerkzeugResponse(render_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="survey-{summary.survey.id}-report.pdf"'})


def _answer(survey_id: int, answer_id: int) -> Answer:
    load_survey(survey_id)
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.response.survey_id != survey_id or answer.text is None:
        abort(404)
    return answer


@bp.post("/<int:survey_id>/answers/<int:answer_id>/quote")
@role_required(Role.manager)
def toggle_quote(survey_id: int, answer_id: int) -> WerkzeugResponse:
    answer = _answer(survey_id, answer_id)
    answer.quoted = not answer.quoted
    db.session.commit()
    flash("Quote added to the report." if answer.quoted else "Quote taken out of the report.", "success")
    return redirect(url_for("surveys.survey_results", survey_id=survey_id, band=request.args.get("band"),
                            _anchor=f"question-{answer.question_id}"))


@bp.post("/<int:survey_id>/questions/<int:question_id>/theme")
@role_required(Role.manager)
def theme_from_question(survey_id: int, question_id: int) -> WerkzeugResponse:
    summary = _summary(survey_id)
    result = next((r for r in summary.questions if r.question.id == question_id), None)
    if result is None:
        abort(404)
    theme = guidance.theme_from_question(db.session, summary.survey, result, by=current_user)
    db.session.commit()
    flash("Theme created from the question's results. Link cases or write the change when you are ready.", "success")
    return redirect(url_for("themes.theme", theme_id=theme.id))


@bp.post("/<int:survey_id>/answers/<int:answer_id>/theme")
@role_required(Role.manager)
def theme_from_answer(survey_id: int, answer_id: int) -> WerkzeugResponse:
    answer = _answer(survey_id, answer_id)
    form = ThemeFromAnswerForm()
    if form.validate_on_submit():
        try:
            theme = guidance.theme_from_answer(db.session, load_survey(survey_id), answer, title=form.title.data,
                                               by=current_user)
        except ThemeRefused as refused:
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash("Theme created from the answer.", "success")
            return redirect(url_for("themes.theme", theme_id=theme.id))
    else:
        flash(next(iter(form.errors.values()))[0] if form.errors else "Give the theme a title.", "error")
    return redirect(url_for("surveys.survey_results", survey_id=survey_id, _anchor=f"question-{answer.question_id}"))

