"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from portal.audit import AuditEntry
from portal.auth.models import Employee, Role, SignInThrottle, Team
from portal.cases.models import (
    Attachment,
    Case,
    CaseHelper,
    CaseLink,
    CaseReferenceCounter,
    CaseStatus,
    CaseViewer,
    Category,
    Customer,
    CustomerImport,
    CustomerImportLine,
    CustomerNote,
    Event,
)
from portal.changes.models import Change, ChangeFeedback, ChangeNotification, Quote, Theme, ThemeCase
from portal.db import Base
from portal.ideas.models import Idea, IdeaComment, IdeaSupport, IdeaSupportNotice, TaskForce
from portal.mail.attachments import OutboxAttachment
from portal.mail.models import OutboxEvent, OutboxMessage, OutboxStatus
from portal.metrics.models import CaseMilestones
from portal.organisation import Organisation
from portal.remedies.models import ApprovalDecision, CatalogueEntry, Choice, Offer, Rating, Remedy
from portal.surveys.models import Answer, FocusGroup, Invitation, Member, Question, Response, Section, Survey

__all__ = [
    "Answer",
    "ApprovalDecision",
    "Attachment",
    "AuditEntry",
    "Base",
    "Case",
    "CaseHelper",
    "CaseLink",
    "CaseMilestones",
    "CaseReferenceCounter",
    "CaseStatus",
    "CaseViewer",
    "CatalogueEntry",
    "Category",
    "Change",
    "ChangeFeedback",
    "ChangeNotification",
    "Choice",
    "Customer",
    "CustomerImport",
    "CustomerImportLine",
    "CustomerNote",
    "Employee",
    "Event",
    "FocusGroup",
    "Idea",
    "Member",
    "IdeaComment",
    "IdeaSupport",
    "IdeaSupportNotice",
    "Invitation",
    "Offer",
    "Organisation",
    "OutboxAttachment",
    "OutboxEvent",
    "OutboxMessage",
    "OutboxStatus",
    "Question",
    "Quote",
    "Rating",
    "Remedy",
    "Response",
    "Role",
    "Section",
    "SignInThrottle",
    "Survey",
    "TaskForce",
    "Team",
    "Theme",
    "ThemeCase",
]
