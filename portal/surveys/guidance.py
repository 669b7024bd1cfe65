"""From guidance to action: a question's result or one free-text answer becomes a "You said, we did" theme."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.changes.models import Theme
from portal.changes.themes import create_theme
from portal.surveys.models import Answer, Question, Survey
from portal.surveys.results import QuestionResult


def _result_in_words(result: QuestionResult) -> str:
    if result.mean is not None:
        return f"Average {result.mean:.1f} (median {result.median:g}) from {result.answered} answers."
    if result.options:
        ranked = result.options[:3]
        if ranked[0].score is not None:
            return "Ranked first to third: " + ", ".join(o.label for o in ranked) + "."
        top = sorted(result.options, key=lambda o: -o.count)[:3]
        return "Most chosen: " + "; ".join(f"{o.label} ({o.count} of {result.answered})" for o in top) + "."
    if result.words:
        return "Words used most: " + ", ".join(w for w, _ in result.words[:8]) + "."
    return f"{result.answered} answers."


def theme_from_question(session: Session, survey: Survey, result: QuestionResult, *, by: Employee) -> Theme:
    question: Question = result.question
    theme = create_theme(session, title=question.prompt[:120],
                         description=f"From the focus-group survey “{survey.title}”. {_result_in_words(result)}",
                         category=None, by=by)
    theme.survey_id, theme.survey_question_id = survey.id, question.id
    return theme


def theme_from_answer(session: Session, survey: Survey, answer: Answer, *, title: str, by: Employee) -> Theme:
    theme = create_theme(session, title=title, category=None, by=by,
                         description=f"A member of the focus group wrote, in the survey “{survey.title}”: "
                                     f"“{answer.text}”")
    theme.survey_id, theme.survey_question_id = survey.id, answer.question_id
    return theme
