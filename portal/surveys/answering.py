"""Answering a survey: one response per invitation (or per browser on the public link), saved page by page,
which its member can change until the survey closes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.surveys import questions as kinds
from portal.surveys.errors import AnswerRefused
from portal.surveys.models import Answer, Invitation, Question, Response, Section, Survey, SurveyStatus
from portal.times import DEFAULT_ZONE, day


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def ensure_taking_answers(survey: Survey, zone: str = DEFAULT_ZONE) -> None:
    if survey.status is SurveyStatus.draft:
        raise AnswerRefused("This survey is not open yet.")
    if survey.status is SurveyStatus.closed:
        closed = f" on {day(survey.closed_at, zone)}" if survey.closed_at else ""
        raise AnswerRefused(f"This survey closed{closed}, so answers can no longer be given or changed. "
                            "Thank you for your interest.")


def invitation_for(session: Session, token: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == hash_key(token)))


def response_for_browser(session: Session, survey: Survey, browser_key: str | None) -> Response | None:
    if not browser_key:
        return None
    return session.scalar(select(Response).where(Response.survey_id == survey.id,
                                                 Response.browser_key_hash == hash_key(browser_key)))


def start(session: Session, survey: Survey, *, invitation: Invitation | None = None,
          browser_key: str | None = None) -> Response:
    """The response to write into: the existing one for this invitation or browser, else a new one."""
    ensure_taking_answers(survey)
    if invitation is not None:
        if invitation.response is None:
            invitation.response = Response(survey_id=survey.id, last_page=0, anonymous=False)
            session.add(invitation.response)
        return invitation.response
    existing = response_for_browser(session, survey, browser_key)
    if existing is not None:
        return existing
    response = Response(survey_id=survey.id, anonymous=True, last_page=0,
                        browser_key_hash=hash_key(browser_key or ""))
    session.add(response)
    return response


def _by_question(response: Response | None) -> dict[int, list[Answer]]:
    grouped: dict[int, list[Answer]] = defaultdict(list)
    for answer in response.answers if response else ():
        grouped[answer.question_id].append(answer)
    return grouped


def chosen(response: Response | None) -> dict[int, list[int]]:
    return {qid: [a.choice for a in answers if a.choice is not None]
            for qid, answers in _by_question(response).items()}


def visible_questions(section: Section, response: Response | None) -> list[Question]:
    choices = chosen(response)
    return [q for q in section.questions if kinds.shown(q, choices)]


def numbers(survey: Survey, response: Response | None, *, everything: bool = False) -> dict[int, int]:
    """Questions numbered as this respondent sees them: one hidden by show-if leaves no gap."""
    shown = survey.questions if everything else [q for s in survey.sections for q in visible_questions(s, response)]
    return {q.id: n for n, q in enumerate(shown, start=1)}


def page_values(section: Section, response: Response | None) -> dict[str, list[str]]:
    grouped = _by_question(response)
    values: dict[str, list[str]] = {}
    for question in section.questions:
        values.update(kinds.form_values(question, grouped.get(question.id, [])))
    return values


@dataclass(frozen=True)
class PageResult:
    errors: dict[int, str]  # question id → message

    @property
    def ok(self) -> bool:
        return not self.errors


def save_page(survey: Survey, response: Response, section: Section, form: kinds.Submitted, *,
              now: datetime, finishing: bool) -> PageResult:
    """Keep every valid answer on the page, even when another is wrong, so nothing typed is lost.

    `finishing` is False for "save and come back later": required questions may then stay empty."""
    ensure_taking_answers(survey)
    errors: dict[int, str] = {}
    grouped = _by_question(response)
    for question in visible_questions(section, response):
        reading = kinds.read(question, form, required=finishing)
        if reading.error:
            errors[question.id] = reading.error
            continue
        for old in grouped.get(question.id, []):
            response.answers.remove(old)
        response.answers.extend(Answer(question_id=question.id, number=v.number, choice=v.choice, rank=v.rank,
                                       text=v.text) for v in reading.values)
    _drop_hidden(survey, response)
    response.updated_at = now
    if finishing and not errors:  # the page is through; a revisit resumes after it
        response.last_page = max(response.last_page, section.position)
    return PageResult(errors)


def _drop_hidden(survey: Survey, response: Response) -> None:
    """Answers to a question its condition now hides are removed, so results never count them."""
    survey_questions = {q.id: q for q in survey.questions}
    choices = chosen(response)
    for answer in list(response.answers):
        question = survey_questions.get(answer.question_id)
        if question is not None and not kinds.shown(question, choices):
            response.answers.remove(answer)


def first_incomplete_page(survey: Survey, response: Response) -> tuple[Section, str] | None:
    """The first page with a required question left unanswered, and what is missing."""
    grouped = _by_question(response)
    choices = chosen(response)
    for section in survey.sections:
        for question in section.questions:
            if question.required and kinds.shown(question, choices) and not grouped.get(question.id):
                return section, kinds.missing_message(question)
    return None


def submit(survey: Survey, response: Response, *, now: datetime) -> tuple[Section, str] | None:
    """Mark the response as given; None when done, else the page to go back to and why."""
    ensure_taking_answers(survey)
    missing = first_incomplete_page(survey, response)
    if missing:
        return missing
    response.submitted_at = response.submitted_at or now
    response.updated_at = now
    return None


def summary(survey: Survey, response: Response) -> list[tuple[Section, list[tuple[Question, str]]]]:
    """Every shown question with its answer in words, page by page, for "check your answers"."""
    grouped = _by_question(response)
    choices = chosen(response)
    return [(section, [(q, kinds.describe(q, grouped.get(q.id, []))) for q in section.questions
                       if kinds.shown(q, choices)]) for section in survey.sections]


def next_page(survey: Survey, response: Response | None, page: int, step: int) -> int | None:
    """The next page number in `step` direction (1 or -1) that shows this respondent any question; None past the
    last (or first) page."""
    index = page - 1 + step
    while 0 <= index < len(survey.sections):
        if visible_questions(survey.sections[index], response):
            return index + 1
        index += step
    return None


def resume_page(survey: Survey, response: Response | None) -> int:
    """Where a returning respondent carries on: the page after the last one they went through."""
    done = response.last_page if response else 0
    return min(len(survey.sections), done + 1)
