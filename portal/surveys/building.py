"""Building a survey: its details, pages and questions, and opening and closing it.

Questions are fixed once anyone has started answering, because results would otherwise mix answers to
different questions; a manager duplicates the survey to change them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.auth.permissions import manages_work_of, require
from portal.surveys.errors import SurveyRefused
from portal.surveys.models import FocusGroup, Question, QuestionKind, Response, Section, Survey, SurveyStatus
from portal.surveys.permissions import require_group

MAX_OPTIONS = 12
RATING_SCALES = {5: 1, 10: 0}  # the top of the scale and where it starts: 1–5 or 0–10


@dataclass
class QuestionSpec:
    """A question as the builder's form describes it; options are "Label" or "Label | description" lines."""

    kind: QuestionKind
    prompt: str
    hint: str = ""
    required: bool = True
    options: list[dict[str, str]] = field(default_factory=list)
    scale_max: int = 5
    low_label: str = ""
    high_label: str = ""
    min_choices: int | None = None
    max_choices: int | None = None
    long_text: bool = False
    show_if_question_id: int | None = None
    show_if_option: int | None = None


def parse_options(text: str) -> list[dict[str, str]]:
    options = []
    for line in text.splitlines():
        label, _, description = line.partition("|")
        if label.strip():
            options.append({"label": label.strip()[:200], "description": description.strip()[:600]})
    return options


DEFAULT_REMINDER_DAYS = 3  # as the survey table's default
REMINDER_DAYS = range(1, 61)


def _check_reminder_days(days: int) -> None:
    if days not in REMINDER_DAYS:
        raise SurveyRefused(f"Choose between {REMINDER_DAYS.start} and {REMINDER_DAYS.stop - 1} days between "
                            "reminders.")


def create_survey(session: Session, *, title: str, briefing: str, group: FocusGroup | None,
                  by: Employee, reminder_days: int = DEFAULT_REMINDER_DAYS) -> Survey:
    require(manages_work_of(by, by), "Only a manager can create a survey.")
    require_group(by, group)
    title = title.strip()
    if not title:
        raise SurveyRefused("Give the survey a title.")
    _check_reminder_days(reminder_days)
    survey = Survey(title=title, briefing=briefing.strip(), group=group, created_by=by, reminder_days=reminder_days)
    survey.sections.append(Section(position=1, title="Your views"))
    session.add(survey)
    return survey


def has_answers(session: Session, survey: Survey) -> bool:
    return bool(session.scalar(select(exists().where(Response.survey_id == survey.id))))


def ensure_editable(session: Session, survey: Survey) -> None:
    if survey.id is not None and has_answers(session, survey):
        raise SurveyRefused("People have already answered this survey, so its questions can no longer change. "
                            "Duplicate the survey and change the copy instead.")


def update_details(session: Session, survey: Survey, *, title: str, briefing: str, group: FocusGroup | None,
                   reminder_days: int) -> None:
    if not title.strip():
        raise SurveyRefused("Give the survey a title.")
    if group is not survey.group and survey.status is not SurveyStatus.draft:
        raise SurveyRefused("The group cannot change once the survey is open; invitations may already be out.")
    _check_reminder_days(reminder_days)
    survey.title, survey.briefing, survey.group, survey.reminder_days = (
        title.strip(), briefing.strip(), group, reminder_days)


def add_section(session: Session, survey: Survey, *, title: str, intro: str = "") -> Section:
    ensure_editable(session, survey)
    if not title.strip():
        raise SurveyRefused("Give the page a title, for example “Match-day travel”.")
    section = Section(position=len(survey.sections) + 1, title=title.strip(), intro=intro.strip())
    survey.sections.append(section)
    return section


def delete_section(session: Session, survey: Survey, section: Section) -> None:
    ensure_editable(session, survey)
    if len(survey.sections) == 1:
        raise SurveyRefused("A survey needs at least one page.")
    if section.questions:
        raise SurveyRefused(f"Move or delete the questions on “{section.title}” first.")
    survey.sections.remove(section)
    for position, other in enumerate(survey.sections, start=1):
        other.position = position


def _check(survey: Survey, section: Section, spec: QuestionSpec, question: Question | None) -> None:
    if not spec.prompt.strip():
        raise SurveyRefused("Write the question.")
    if spec.kind.has_options:
        count = len(spec.options)
        if not 2 <= count <= MAX_OPTIONS:
            raise SurveyRefused(f"Give between 2 and {MAX_OPTIONS} options, one per line; there are {count}.")
        labels = [o["label"].lower() for o in spec.options]
        if len(set(labels)) != count:
            raise SurveyRefused("Each option needs a different label.")
        if spec.kind is QuestionKind.alternatives and not all(o["description"] for o in spec.options):
            raise SurveyRefused("Describe each alternative after a bar, for example "
                                "“Move the gates | Open gate C for away fans from 2027”.")
    if spec.kind is QuestionKind.rating and spec.scale_max not in RATING_SCALES:
        raise SurveyRefused("Choose a scale of 1 to 5 or 0 to 10.")
    if spec.kind is QuestionKind.multiple:
        low, high = spec.min_choices, spec.max_choices
        if (low is not None and not 1 <= low <= len(spec.options)) or (
                high is not None and not 1 <= high <= len(spec.options)):
            raise SurveyRefused(f"The least and most choices must be between 1 and {len(spec.options)}.")
        if low is not None and high is not None and low > high:
            raise SurveyRefused("The least number of choices cannot be more than the most.")
    dependants = [q for q in survey.questions if question is not None and q.show_if_question_id == question.id]
    for dependant in dependants:
        if dependant.section.position <= section.position:
            raise SurveyRefused(f"“{dependant.prompt}” depends on this question, so this one must stay on an "
                                "earlier page.")
        if spec.kind not in (QuestionKind.single, QuestionKind.multiple, QuestionKind.alternatives) or (
                dependant.show_if_option is not None and dependant.show_if_option >= len(spec.options)):
            raise SurveyRefused(f"“{dependant.prompt}” depends on an answer to this question; change that "
                                "question first.")
    if spec.show_if_question_id is not None:
        earlier = {q.id: q for s in survey.sections if s.position < section.position for q in s.questions}
        source = earlier.get(spec.show_if_question_id)
        if source is None or (question is not None and source.id == question.id):
            raise SurveyRefused("A question can only depend on a question on an earlier page.")
        if not source.kind.has_options or source.kind is QuestionKind.ranking:
            raise SurveyRefused("A question can only depend on a choice question's answer.")
        if spec.show_if_option is None or not 0 <= spec.show_if_option < len(source.options):
            raise SurveyRefused("Choose which answer shows this question.")


def _apply(question: Question, spec: QuestionSpec) -> None:
    question.kind = spec.kind
    question.prompt = spec.prompt.strip()
    question.hint = spec.hint.strip()
    question.required = spec.required
    question.options = spec.options if spec.kind.has_options else []
    question.scale_max = spec.scale_max if spec.kind is QuestionKind.rating else 5
    question.scale_min = RATING_SCALES.get(question.scale_max, 1)
    question.low_label = spec.low_label.strip() if spec.kind is QuestionKind.rating else ""
    question.high_label = spec.high_label.strip() if spec.kind is QuestionKind.rating else ""
    multiple = spec.kind is QuestionKind.multiple
    question.min_choices = spec.min_choices if multiple else None
    question.max_choices = spec.max_choices if multiple else None
    question.long_text = spec.long_text and spec.kind is QuestionKind.text
    question.show_if_question_id = spec.show_if_question_id
    question.show_if_option = spec.show_if_option if spec.show_if_question_id is not None else None


def add_question(session: Session, survey: Survey, section: Section, spec: QuestionSpec) -> Question:
    ensure_editable(session, survey)
    _check(survey, section, spec, None)
    question = Question(position=len(section.questions) + 1, kind=spec.kind, prompt="")
    _apply(question, spec)
    section.questions.append(question)
    return question


def update_question(session: Session, survey: Survey, question: Question, spec: QuestionSpec,
                    section: Section | None = None) -> None:
    """Change the question and, when `section` is another page, move it to the end of that page."""
    ensure_editable(session, survey)
    section = section or question.section
    _check(survey, section, spec, question)
    _apply(question, spec)
    if section is not question.section:
        old = question.section
        old.questions.remove(question)
        for position, other in enumerate(old.questions, start=1):
            other.position = position
        question.position = len(section.questions) + 1
        section.questions.append(question)


def delete_question(session: Session, survey: Survey, question: Question) -> None:
    ensure_editable(session, survey)
    dependants = [q for q in survey.questions if q.show_if_question_id == question.id]
    if dependants:
        raise SurveyRefused(f"“{dependants[0].prompt}” depends on this question; change or delete it first.")
    section = question.section
    section.questions.remove(question)
    session.delete(question)
    for position, other in enumerate(section.questions, start=1):
        other.position = position


def move_question(session: Session, survey: Survey, question: Question, step: int) -> None:
    ensure_editable(session, survey)
    siblings = question.section.questions
    index = siblings.index(question)
    other = index + step
    if 0 <= other < len(siblings):
        siblings[index].position, siblings[other].position = siblings[other].position, siblings[index].position
        siblings.sort(key=lambda q: q.position)


def open_survey(survey: Survey, now: datetime) -> None:
    if not survey.questions:
        raise SurveyRefused("Add at least one question before opening the survey.")
    survey.status = SurveyStatus.open
    survey.opened_at = survey.opened_at or now
    survey.closed_at = None


def close_survey(survey: Survey, now: datetime) -> None:
    if survey.status is not SurveyStatus.open:
        raise SurveyRefused("Only an open survey can be closed.")
    survey.status = SurveyStatus.closed
    survey.closed_at = now


def set_public_link(survey: Survey, enabled: bool) -> None:
    survey.public_token = secrets.token_urlsafe(16) if enabled else None


def duplicate(session: Session, survey: Survey, by: Employee) -> Survey:
    """A draft copy with the same briefing, pages and questions (show-if rules pointing at the copies)."""
    copy = Survey(title=f"{survey.title} (copy)"[:160], briefing=survey.briefing, group=survey.group,
                  reminder_days=survey.reminder_days, created_by=by)
    copies: dict[int, Question] = {}
    for section in survey.sections:
        new_section = Section(position=section.position, title=section.title, intro=section.intro)
        copy.sections.append(new_section)
        for question in section.questions:
            new = Question(position=question.position, kind=question.kind, prompt=question.prompt,
                           hint=question.hint, required=question.required, options=list(question.options),
                           scale_min=question.scale_min, scale_max=question.scale_max,
                           low_label=question.low_label, high_label=question.high_label,
                           min_choices=question.min_choices, max_choices=question.max_choices,
                           long_text=question.long_text, show_if_option=question.show_if_option)
            new_section.questions.append(new)
            copies[question.id] = new
    for question in survey.questions:
        if question.show_if_question_id in copies:
            copies[question.id].show_if_question = copies[question.show_if_question_id]
    session.add(copy)
    return copy
