"""Ask the team: a manager puts a question to their teams ("What is stopping us from answering within 24 hours?"),
perhaps about one of the dashboard's figures, until a closing date. Every employee of those teams is e-mailed and
sees it at the top of the ideas box; answers are ideas linked to the question. The question's page groups the
answers by what they say (their kind and area) with their support, and counts who has not answered yet: names
are for the managers of those teams only, so nobody is shamed in front of colleagues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee, Role, Team
from portal.auth.permissions import managed_teams, manages_team, require
from portal.ideas import notify
from portal.ideas.errors import IdeaRefused
from portal.ideas.models import Idea, IdeaKind, IdeaSupport, TeamQuestion, team_question_team
from portal.ideas.outcome import MEASURES

__all__ = ["FIGURES", "AnswerGroup", "QuestionSummary", "ask", "colleagues_asked", "is_open",
           "may_answer", "open_questions_for", "require_may_answer", "summary", "teams_to_ask"]

# The dashboard's figures a question (and a task force) may be about.
FIGURES = {key: measure.name for key, measure in MEASURES.items()}
MOST_WORDS = 300


def teams_to_ask(session: Session, by: Employee) -> list[Team]:
    """The teams ``by`` may put a question to: those they manage (their own included); every team for an admin."""
    return list(session.scalars(select(Team).where(managed_teams(by)).order_by(Team.name)))


def ask(session: Session, *, by: Employee, text: str, detail: str, teams: list[Team], figure: str, closes_on: date,
        today: date) -> TeamQuestion:
    """Put the question to ``teams``; everyone in them but the asker is e-mailed."""
    require(by.active and by.role in (Role.manager, Role.admin), "Only a manager can ask the team a question.")
    text = " ".join(text.split())
    if not text:
        raise IdeaRefused("Write the question you want to ask.")
    if len(text) > MOST_WORDS:
        raise IdeaRefused(f"Keep the question to {MOST_WORDS} characters; put the rest in “More about it”.")
    if not teams:
        raise IdeaRefused("Choose at least one team to ask.")
    for team in teams:
        require(manages_team(by, team), f"You do not manage {team.name}, so you cannot ask it a question.")
    if figure and figure not in FIGURES:
        raise IdeaRefused("Choose one of the dashboard's figures, or none.")
    if closes_on < today:
        raise IdeaRefused("The closing date cannot be in the past.")
    question = TeamQuestion(text=text, detail=detail.strip(), figure=figure, closes_on=closes_on, asked_by=by,
                            teams=teams)
    session.add(question)
    session.flush()
    for employee in colleagues_asked(session, question):
        notify.team_question(session, question, employee)
    return question


def _asked_employees(session: Session, question: TeamQuestion) -> list[Employee]:
    """The active employees of the question's teams, by name."""
    teams = select(team_question_team.c.team_id).where(team_question_team.c.question_id == question.id)
    return list(session.scalars(
        select(Employee).where(Employee.active, Employee.team_id.in_(teams)).order_by(Employee.name)))


def colleagues_asked(session: Session, question: TeamQuestion) -> list[Employee]:
    """Whom the question is for: everyone asked but the asker (who is e-mailed nothing and needs no answer of their
    own, though they may give one)."""
    return [e for e in _asked_employees(session, question) if e.id != question.asked_by_id]


def is_open(question: TeamQuestion, today: date) -> bool:
    return today <= question.closes_on


def open_questions_for(session: Session, employee: Employee, today: date) -> list[TeamQuestion]:
    """The questions still open that were put to ``employee``'s team, or that they asked, newest first."""
    to_team = select(team_question_team.c.question_id).where(team_question_team.c.team_id == employee.team_id)
    return list(session.scalars(
        select(TeamQuestion)
        .where(TeamQuestion.closes_on >= today,
               TeamQuestion.id.in_(to_team) | (TeamQuestion.asked_by_id == employee.id))
        .options(selectinload(TeamQuestion.teams), selectinload(TeamQuestion.asked_by))
        .order_by(TeamQuestion.asked_at.desc(), TeamQuestion.id.desc())))


def may_answer(employee: Employee, question: TeamQuestion, today: date) -> bool:
    return is_open(question, today) and employee.team_id in {team.id for team in question.teams}


def require_may_answer(employee: Employee, question: TeamQuestion, today: date) -> None:
    """An answer comes from someone the question was put to, while it is open."""
    if employee.team_id not in {team.id for team in question.teams}:
        raise IdeaRefused("This question was put to " + ", ".join(t.name for t in question.teams)
                          + "; share your idea in the box without it.")
    if not is_open(question, today):
        raise IdeaRefused(f"This question closed on {question.closes_on:%-d %B %Y}; share your idea in the box "
                          "without it.")


@dataclass(frozen=True)
class Answer:
    idea: Idea
    supporters: int


@dataclass(frozen=True)
class AnswerGroup:
    kind: IdeaKind
    area: str  # the category's name, or "Not about one area"
    answers: list[Answer]  # the most supported first

    @property
    def support(self) -> int:
        return sum(answer.supporters for answer in self.answers)


@dataclass(frozen=True)
class QuestionSummary:
    question: TeamQuestion
    groups: list[AnswerGroup]  # the most supported first
    asked: int  # employees the question was put to
    answered: int  # of them, those who raised at least one answer
    not_answered: list[Employee] | None  # by name, for the managers of the question's teams only (else None)

    @property
    def waiting(self) -> int:
        return self.asked - self.answered


def summary(session: Session, question: TeamQuestion, viewer: Employee) -> QuestionSummary:
    support = (select(IdeaSupport.idea_id, func.count().label("n")).group_by(IdeaSupport.idea_id)
               .subquery("support"))
    rows = session.execute(
        select(Idea, func.coalesce(support.c.n, 0)).outerjoin(support, support.c.idea_id == Idea.id)
        .where(Idea.question_id == question.id).options(selectinload(Idea.category), selectinload(Idea.author))
        .order_by(Idea.id)).all()
    grouped: dict[tuple[IdeaKind, str], list[Answer]] = {}
    for idea, supporters in rows:
        area = idea.category.name if idea.category else "Not about one area"
        grouped.setdefault((idea.kind, area), []).append(Answer(idea, int(supporters)))
    groups = [AnswerGroup(kind, area, sorted(answers, key=lambda a: (-a.supporters, a.idea.id)))
              for (kind, area), answers in grouped.items()]
    groups.sort(key=lambda g: (-g.support, g.kind is not IdeaKind.blocker, g.area))
    asked = colleagues_asked(session, question)
    authors = {idea.author_id for idea, _ in rows}
    waiting = [e for e in asked if e.id not in authors]
    sees_names = any(manages_team(viewer, team) for team in question.teams) or viewer.id == question.asked_by_id
    return QuestionSummary(question, groups, asked=len(asked), answered=len(asked) - len(waiting),
                           not_answered=waiting if sees_names else None)
