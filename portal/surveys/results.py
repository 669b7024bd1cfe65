"""A survey's results: response rate and per-question figures, counted in SQL over submitted responses.

A handful of GROUP BY queries cover every question at once, so the page costs the same number of queries
whether a survey has ten responses or ten thousand."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portal.surveys.models import Answer, Invitation, Member, Question, QuestionKind, Response, Survey

BANDS = ("Under 2 years", "2 to 9 years", "10 years or more", "Unknown")
_STOP = """a about after all also am an and any are as at be because been but by can could did do does for from get
had has have he her here him his how i if in into is it its just me more most my no not of on one only or our out so
some than that the their them then there these they this to too up us very was we were what when which who will with
would you your it's i'm don't can't cannot should need"""
STOP_WORDS = frozenset(_STOP.split())
WORD = re.compile(r"[a-z][a-z'’-]+[a-z]")  # three letters or more, ending in a letter


@dataclass(frozen=True)
class OptionFigure:
    label: str
    count: int
    percent: float | None  # of those who answered the question
    score: float | None = None  # rankings: mean points (first place = as many points as options)
    mean_rank: float | None = None


@dataclass(frozen=True)
class TextAnswer:
    id: int
    question_id: int
    text: str
    quoted: bool


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[OptionFigure] = field(default_factory=list)
    distribution: list[tuple[int, int]] = field(default_factory=list)  # ratings: (value, count)
    mean: float | None = None
    median: float | None = None
    words: list[tuple[str, int]] = field(default_factory=list)
    texts: list[TextAnswer] = field(default_factory=list)

    @property
    def chart_rows(self) -> list[tuple[str, float, str]]:
        """(label, bar length, figure written at the bar's end) for the question's bar chart."""
        def share(count: int) -> str:
            return f"{count} ({100 * count / self.answered:.0f}%)" if self.answered else str(count)

        if self.distribution:
            return [(str(value), count, share(count)) for value, count in self.distribution]
        if self.options and self.question.kind is QuestionKind.ranking:
            return [(o.label, o.score or 0, f"{o.score:.2f}" if o.score is not None else "–") for o in self.options]
        return [(o.label, o.count, share(o.count)) for o in self.options]

    @property
    def chart_max(self) -> float:
        return max((value for _, value, _ in self.chart_rows), default=0)


@dataclass
class Results:
    survey: Survey
    invited: int
    submitted: int
    in_progress: int
    anonymous: int
    band: str | None
    in_scope: int  # submitted responses the figures count (those of the chosen tenure band, if any)
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> float | None:
        return 100.0 * self.invited_answered / self.invited if self.invited else None

    @property
    def invited_answered(self) -> int:
        return self.submitted - self.anonymous


def band_dates(band: str, today: date) -> tuple[date | None, date | None] | None:
    """The member_since range of a tenure band as groups.tenure_band draws it (365-day years)."""
    two, ten = today - timedelta(days=2 * 365), today - timedelta(days=10 * 365)
    return {"Under 2 years": (two + timedelta(days=1), None), "2 to 9 years": (ten + timedelta(days=1), two),
            "10 years or more": (None, ten), "Unknown": (None, None)}.get(band)


def _submitted(survey: Survey, band: str | None, today: date) -> Select:
    """The ids of the submitted responses in scope: all, or those of members in one tenure band."""
    query = select(Response.id).where(Response.survey_id == survey.id, Response.submitted_at.is_not(None))
    if band is None:
        return query
    query = query.join(Invitation, Invitation.id == Response.invitation_id).join(Member)
    if band == "Unknown":
        return query.where(Member.member_since.is_(None))
    start, end = band_dates(band, today) or (None, None)
    if start is not None:
        query = query.where(Member.member_since >= start)
    if end is not None:
        query = query.where(Member.member_since <= end)
    return query


def _median(distribution: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, count) pairs in ascending order."""
    total = sum(c for _, c in distribution)
    if not total:
        return None

    def value_at(position: int) -> int:
        seen = 0
        for value, count in distribution:
            seen += count
            if position < seen:
                return value
        return distribution[-1][0]

    return (value_at((total - 1) // 2) + value_at(total // 2)) / 2


def words(texts: list[str], limit: int = 15) -> list[tuple[str, int]]:
    """The most used words in free-text answers, each counted once per answer."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(WORD.findall(text.lower())) - STOP_WORDS)
    return [(w, c) for w, c in counts.most_common(limit) if c > 1 or len(counts) <= limit]


def summarise(session: Session, survey: Survey, *, band: str | None = None, today: date,
              text_limit: int = 20) -> Results:
    if band is not None and band not in BANDS:
        band = None
    questions = survey.questions
    scope = _submitted(survey, band, today)
    if band is None:
        # Most responses are sent: excluding the few still in progress lets the database answer from the
        # covering index on answers alone, without visiting responses.
        in_scope = Answer.response_id.not_in(select(Response.id).where(Response.survey_id == survey.id,
                                                                       Response.submitted_at.is_(None)))
    else:
        in_scope = Answer.response_id.in_(scope)

    counts = Counter(dict(session.execute(
        select(Response.anonymous, func.count()).where(Response.survey_id == survey.id,
                                                         Response.submitted_at.is_not(None))
        .group_by(Response.anonymous)).all()))
    invited = session.scalar(select(func.count()).select_from(Invitation)
                             .where(Invitation.survey_id == survey.id)) or 0
    in_progress = session.scalar(select(func.count()).select_from(Response)
                                 .where(Response.survey_id == survey.id, Response.submitted_at.is_(None))) or 0

    scoped = session.scalar(select(func.count()).select_from(scope.subquery())) or 0
    kinds = {q.id: q.kind for q in questions}
    answered: Counter[int] = Counter()
    choice_counts: dict[int, dict[int, int]] = defaultdict(dict)
    rank_sums: dict[int, dict[int, int]] = defaultdict(dict)
    ratings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    # One pass over the answers: grouping by (question, choice, number) gives every count, rating and rank sum.
    counted = [q.id for q in questions if q.kind is not QuestionKind.text]
    for qid, choice, number, count, ranks in session.execute(
            select(Answer.question_id, Answer.choice, Answer.number, func.count(), func.sum(Answer.rank))
            .where(Answer.question_id.in_(counted), in_scope)
            .group_by(Answer.question_id, Answer.choice, Answer.number)):
        if number is not None:
            ratings[qid].append((number, count))
        elif choice is not None:
            choice_counts[qid][choice] = count
            if ranks is not None:
                rank_sums[qid][choice] = int(ranks)
        # One row per response, except a ranking (one per option: count the first) and multiple choice.
        if kinds[qid] not in (QuestionKind.ranking, QuestionKind.multiple) or (
                kinds[qid] is QuestionKind.ranking and choice == 0):
            answered[qid] += count
    multiple = [q.id for q in questions if q.kind is QuestionKind.multiple]
    if multiple:
        answered.update(dict(session.execute(
            select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
            .where(Answer.question_id.in_(multiple), in_scope).group_by(Answer.question_id)).all()))

    all_texts: dict[int, list[str]] = defaultdict(list)
    shown: dict[int, list[TextAnswer]] = defaultdict(list)
    text_ids = [q.id for q in questions if q.kind is QuestionKind.text]
    if text_ids:
        # Quotes picked for the report first, then the latest answers; every text feeds the word list.
        for answer_id, qid, text, quoted in session.execute(
                select(Answer.id, Answer.question_id, Answer.text, Answer.quoted)
                .where(Answer.question_id.in_(text_ids), Answer.text.is_not(None), in_scope)
                .order_by(Answer.quoted.desc(), Answer.id.desc())):
            all_texts[qid].append(text)
            answered[qid] += 1
            if len(shown[qid]) < text_limit:
                shown[qid].append(TextAnswer(answer_id, qid, text, quoted))

    results = []
    for question in questions:
        result = QuestionResult(question, answered=answered.get(question.id, 0))
        if question.kind is QuestionKind.rating:
            scale = range(question.scale_min, question.scale_max + 1)
            given = dict(ratings.get(question.id, []))
            result.distribution = [(v, given.get(v, 0)) for v in scale]
            total = sum(given.values())
            if total:
                result.mean = sum(v * c for v, c in given.items()) / total
                result.median = _median(sorted(given.items()))
        elif question.kind is QuestionKind.ranking:
            n = len(question.options)
            for index, label in enumerate(question.labels):
                count = choice_counts[question.id].get(index, 0)
                rank_sum = rank_sums[question.id].get(index, 0)
                result.options.append(OptionFigure(
                    label, count, None, score=(n + 1) - rank_sum / count if count else None,
                    mean_rank=rank_sum / count if count else None))
            result.options.sort(key=lambda o: -(o.score or 0))
        elif question.kind.has_options:
            for index, label in enumerate(question.labels):
                count = choice_counts[question.id].get(index, 0)
                result.options.append(OptionFigure(
                    label, count, 100.0 * count / result.answered if result.answered else None))
        else:
            result.words = words(all_texts.get(question.id, []))
            result.texts = shown.get(question.id, [])
        results.append(result)
    return Results(survey, invited, counts.get(False, 0) + counts.get(True, 0), in_progress, counts.get(True, 0),
                   band, scoped, results)


def submitted_by_survey(session: Session) -> dict[int, int]:
    """How many responses each survey has had submitted (surveys with none are absent)."""
    rows = session.execute(select(Response.survey_id, func.count()).where(Response.submitted_at.is_not(None))
                           .group_by(Response.survey_id))
    return {survey_id: count for survey_id, count in rows}
