"""Raw answers as CSV: one row per submitted response, one column per question."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.metrics.reports import spreadsheet_safe
from portal.surveys import questions as kinds
from portal.surveys.groups import tenure_band
from portal.surveys.models import Answer, Invitation, Member, Response, Survey

BATCH = 500


def csv_rows(session: Session, survey: Survey, today: date) -> Iterator[str]:
    """CSV text in chunks, loading a batch of responses at a time rather than every answer as objects at once."""
    questions = survey.questions
    yield _lines([["Response", "Submitted (UTC)", "Via", "Membership number", "Tenure",
                  *[f"Q{i}. {q.prompt}" for i, q in enumerate(questions, start=1)]]])
    after = 0
    while True:
        batch = session.execute(
            select(Response, Member).outerjoin(Invitation, Invitation.id == Response.invitation_id)
            .outerjoin(Member, Member.id == Invitation.member_id)
            .where(Response.survey_id == survey.id, Response.submitted_at.is_not(None), Response.id > after)
            .order_by(Response.id).limit(BATCH)).all()
        if not batch:
            return
        answers: dict[tuple[int, int], list[Answer]] = defaultdict(list)
        for answer in session.scalars(select(Answer).where(Answer.response_id.in_([r.id for r, _ in batch]))):
            answers[(answer.response_id, answer.question_id)].append(answer)
        rows = [[str(response.id), f"{response.submitted_at:%Y-%m-%d %H:%M}",
                 "Public link" if response.anonymous else "Invitation",
                 member.membership_number if member else "", tenure_band(member, today) if member else "",
                 *[kinds.describe(q, answers.get((response.id, q.id), [])) for q in questions]]
                for response, member in batch]
        yield _lines(rows)
        after = batch[-1][0].id


def _lines(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(spreadsheet_safe(row) for row in rows)
    return buffer.getvalue()
