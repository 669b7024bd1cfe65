"""Members answer a survey through their personal link (/s/i/<token>) or anyone through its public link
(/s/p/<token>): briefing first, then page by page, then "check your answers".

The personal link is itself the credential, so these pages need no sign-in and no session: answers typed
after a session would have expired still save. CSRF protection is off here for that reason — a forged
request cannot know the token — and the public link's per-browser cookie is SameSite=Lax."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.db import db, utcnow
from portal.security import csrf, limiter
from portal.surveys import answering, invitations
from portal.surveys.briefing import render_briefing
from portal.surveys.models import Invitation, Response, Section, Survey

bp = Blueprint("answer", __name__, url_prefix="/s")
COOKIE = "mir-survey-{}"


@dataclass
class Respondent:
    via: str  # "i": a member's invitation; "p": the public link
    token: str
    survey: Survey
    invitation: Invitation | None
    response: Response | None
    browser_key: str | None

    def url(self, endpoint: str, **values) -> str:
        return url_for(f"answer.{endpoint}", via=self.via, token=self.token, **values)


def _respondent(via: str, token: str) -> Respondent:
    if via == "i":
        invitation = answering.invitation_for(db.session, token)
        if invitation is None:
            abort(404)
        return Respondent(via, token, invitation.survey, invitation, invitation.response, None)
    survey = db.session.scalar(select(Survey).where(Survey.public_token == token)) if token else None
    if survey is None:
        abort(404)
    key = request.cookies.get(COOKIE.format(survey.id))
    return Respondent(via, token, survey, None, answering.response_for_browser(db.session, survey, key), key)


def _public_only() -> bool:
    return request.view_args is None or request.view_args.get("via") != "p"


def _closed(respondent: Respondent, refused: answering.AnswerRefused, status: int = 200):
    summary = answering.summary(respondent.survey, respondent.response) if (
        respondent.response and respondent.response.submitted_at) else None
    return render_template("surveys/answer_closed.html", survey=respondent.survey, message=str(refused),
                           summary=summary), status


@bp.get("/<any(i, p):via>/<token>")
def start(via: str, token: str):
    respondent = _respondent(via, token)
    try:
        answering.ensure_taking_answers(respondent.survey, current_app.config["ORG_TIMEZONE"])
    except answering.AnswerRefused as refused:
        return _closed(respondent, refused)
    response = respondent.response
    return render_template("surveys/answer_start.html", survey=respondent.survey, respondent=respondent,
                           response=response, briefing=render_briefing(respondent.survey.briefing), preview=False,
                           next_url=respondent.url("check") if response and response.submitted_at
                           else respondent.url("page", page=answering.resume_page(respondent.survey, response)))


def _page_section(survey: Survey, page: int) -> Section:
    if not 1 <= page <= len(survey.sections):
        abort(404)
    return survey.sections[page - 1]


def _render_page(respondent: Respondent, section: Section, page: int, values, errors, status: int = 200):
    return render_template(
        "surveys/answer_page.html", survey=respondent.survey, section=section, page=page,
        pages=len(respondent.survey.sections), questions=answering.visible_questions(section, respondent.response),
        numbers=answering.numbers(respondent.survey, respondent.response),
        values=values, errors=errors, preview=False, action_url=respondent.url("page", page=page),
        respondent=respondent, response=respondent.response), status


def _with_cookie(respondent: Respondent, response: WerkzeugResponse) -> WerkzeugResponse:
    if respondent.via == "p" and respondent.browser_key:
        response.set_cookie(COOKIE.format(respondent.survey.id), respondent.browser_key, max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE",
                                                                                         False))
    return response


@bp.route("/<any(i, p):via>/<token>/<int:page>", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"], exempt_when=_public_only)
@csrf.exempt
def page(via: str, token: str, page: int):
    respondent = _respondent(via, token)
    section = _page_section(respondent.survey, page)
    try:
        answering.ensure_taking_answers(respondent.survey, current_app.config["ORG_TIMEZONE"])
    except answering.AnswerRefused as refused:
        return _closed(respondent, refused, 200 if request.method == "GET" else 409)
    if request.method == "GET":
        return _render_page(respondent, section, page, answering.page_values(section, respondent.response), {})
    action = request.form.get("action", "continue")
    if respondent.via == "p" and not respondent.browser_key:
        respondent.browser_key = secrets.token_urlsafe(24)
    response = respondent.response = answering.start(db.session, respondent.survey, invitation=respondent.invitation,
                                                     browser_key=respondent.browser_key)
    result = answering.save_page(respondent.survey, response, section, request.form, now=utcnow(),
                                 finishing=action == "continue")
    db.session.commit()
    if not result.ok:
        return _with_cookie(respondent, current_app.make_response(
            _render_page(respondent, section, page, request.form.to_dict(flat=False), result.errors, 422)))
    if action == "save":
        return _with_cookie(respondent, current_app.make_response(render_template(
            "surveys/answer_saved.html", survey=respondent.survey, respondent=respondent)))
    step = -1 if action == "back" else 1
    following = answering.next_page(respondent.survey, response, page, step)
    destination = (respondent.url("page", page=following) if following
                   else respondent.url("check") if step > 0 else respondent.url("start"))
    return _with_cookie(respondent, redirect(destination))


@bp.route("/<any(i, p):via>/<token>/check", methods=["GET", "POST"])
@csrf.exempt
def check(via: str, token: str):
    respondent = _respondent(via, token)
    try:
        answering.ensure_taking_answers(respondent.survey, current_app.config["ORG_TIMEZONE"])
    except answering.AnswerRefused as refused:
        return _closed(respondent, refused, 200 if request.method == "GET" else 409)
    if respondent.response is None:
        return redirect(respondent.url("page", page=1))
    if request.method == "POST":
        missing = answering.submit(respondent.survey, respondent.response, now=utcnow())
        if missing is None:
            db.session.commit()
            return redirect(respondent.url("done"))
        section, message = missing
        flash(message, "error")
        return redirect(respondent.url("page", page=section.position))
    return render_template("surveys/answer_check.html", survey=respondent.survey, respondent=respondent,
                           response=respondent.response,
                           summary=answering.summary(respondent.survey, respondent.response))


@bp.get("/<any(i, p):via>/<token>/done")
def done(via: str, token: str):
    respondent = _respondent(via, token)
    if respondent.response is None or respondent.response.submitted_at is None:
        return redirect(respondent.url("start"))
    return render_template("surveys/answer_done.html", survey=respondent.survey, respondent=respondent)


@bp.route("/i/<token>/leave", methods=["GET", "POST"])
@csrf.exempt
def leave(token: str):
    respondent = _respondent("i", token)
    member = respondent.invitation.member
    if request.method == "POST":
        invitations.leave_group(respondent.invitation, utcnow())
        db.session.commit()
    return render_template("surveys/answer_leave.html", survey=respondent.survey, member=member,
                           respondent=respondent, group=member.group)
