"""Focus groups and their members; surveys, their pages and questions, invitations, responses and answers."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Employee
from portal.cases.models import Customer
from portal.changes.models import Theme
from portal.db import Base, utcnow


class FocusGroup(Base):
    __tablename__ = "focus_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[Employee] = relationship()
    members: Mapped[list[Member]] = relationship(back_populates="group", order_by="Member.name",
                                                 cascade="all, delete-orphan")


class Member(Base):
    """A person in a focus group; linked to the Customer with the same e-mail address when there is one."""

    __tablename__ = "focus_group_member"
    __table_args__ = (UniqueConstraint("group_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_group.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    membership_number: Mapped[str] = mapped_column(String(40), default="")
    member_since: Mapped[date | None]
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
    left_at: Mapped[datetime | None]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[FocusGroup] = relationship(back_populates="members")
    customer: Mapped[Customer | None] = relationship()

    @property
    def active(self) -> bool:
        return self.left_at is None


class SurveyStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class QuestionKind(enum.StrEnum):
    rating = "rating"
    single = "single"
    multiple = "multiple"
    ranking = "ranking"
    text = "text"
    alternatives = "alternatives"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.single, QuestionKind.multiple, QuestionKind.ranking, QuestionKind.alternatives)


KIND_LABELS = {
    QuestionKind.rating: "Rating on a scale",
    QuestionKind.single: "Single choice",
    QuestionKind.multiple: "Multiple choice",
    QuestionKind.ranking: "Ranking of options",
    QuestionKind.text: "Free text",
    QuestionKind.alternatives: "Choose between alternatives",
}


class Survey(Base):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    briefing: Mapped[str] = mapped_column(Text, default="")  # Markdown; rendered and sanitised on display
    group_id: Mapped[int | None] = mapped_column(ForeignKey("focus_group.id"), index=True)
    status: Mapped[SurveyStatus] = mapped_column(default=SurveyStatus.draft)
    public_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    reminder_days: Mapped[int] = mapped_column(default=3)
    last_reminder_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    group: Mapped[FocusGroup | None] = relationship()
    created_by: Mapped[Employee] = relationship()
    # Themes drawn from this survey's results; each theme reads its survey back as `theme.survey`.
    themes: Mapped[list[Theme]] = relationship(backref="survey")
    sections: Mapped[list[Section]] = relationship(back_populates="survey", order_by="Section.position",
                                                   cascade="all, delete-orphan")

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


class Section(Base):
    """A page of the survey: answered and saved one at a time."""

    __tablename__ = "survey_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(160))
    intro: Mapped[str] = mapped_column(Text, default="")

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(back_populates="section", order_by="Question.position",
                                                     cascade="all, delete-orphan")


class Question(Base):
    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("survey_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[QuestionKind]
    prompt: Mapped[str] = mapped_column(String(300))
    hint: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=True)
    # Options as [{"label": ..., "description": ...}]; descriptions are used by "choose between alternatives".
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    scale_min: Mapped[int] = mapped_column(default=1)  # ratings: 1–5 or 0–10
    scale_max: Mapped[int] = mapped_column(default=5)
    low_label: Mapped[str] = mapped_column(String(60), default="")
    high_label: Mapped[str] = mapped_column(String(60), default="")
    min_choices: Mapped[int | None]
    max_choices: Mapped[int | None]
    long_text: Mapped[bool] = mapped_column(default=False)
    show_if_question_id: Mapped[int | None] = mapped_column(ForeignKey("survey_question.id", ondelete="SET NULL"))
    show_if_option: Mapped[int | None]  # the option (by index) the earlier question's answer must include

    section: Mapped[Section] = relationship(back_populates="questions")
    show_if_question: Mapped[Question | None] = relationship(remote_side=[id])

    @property
    def labels(self) -> list[str]:
        return [o["label"] for o in self.options]


class Invitation(Base):
    """A member's personal link to one survey.

    The link's token is an HMAC of `nonce` under the secret key, so a reminder can repeat the same link while
    the database alone (which keeps only the token's hash for look-up) cannot rebuild it."""

    __tablename__ = "survey_invitation"
    __table_args__ = (UniqueConstraint("survey_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("focus_group_member.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]

    survey: Mapped[Survey] = relationship()
    member: Mapped[Member] = relationship()
    response: Mapped[Response | None] = relationship(back_populates="invitation", uselist=False)


class Response(Base):
    """One person's answers: through an invitation, or through the survey's public link (marked anonymous)."""

    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("survey_invitation.id", ondelete="CASCADE"),
                                                      unique=True)
    browser_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    last_page: Mapped[int] = mapped_column(default=0)  # the furthest page saved, so a revisit resumes there

    invitation: Mapped[Invitation | None] = relationship(back_populates="response")
    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(Base):
    """One value of an answer: a rating (number), a chosen option (choice), an option's rank, or text.

    A multiple-choice answer is one row per option chosen and a ranking one row per option, so results
    are counted in SQL rather than by decoding every answer."""

    __tablename__ = "survey_answer"
    # Covers the results' counting, which then reads this index alone.
    __table_args__ = (Index("ix_survey_answer_counts", "question_id", "choice", "number", "rank", "response_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"))
    number: Mapped[int | None]
    choice: Mapped[int | None]
    rank: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
    quoted: Mapped[bool] = mapped_column(default=False)  # picked by a manager for the report

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
