"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from portal.admin.models import AuditEntry, Organisation
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
    CustomerNote,
    Event,
)
from portal.changes.models import Change, ChangeFeedback, ChangeNotification, Quote, Theme, ThemeCase
from portal.db import Base
from portal.ideas.models import Idea, IdeaComment, IdeaSupport, TaskForce
from portal.mail.attachments import OutboxAttachment
from portal.mail.models import OutboxEvent, OutboxMessage, OutboxStatus
from portal.remedies.models import ApprovalDecision, CatalogueEntry, Choice, Offer, Rating, Remedy
from portal.surveys.models import FocusGroup, Member

__all__ = [
    "ApprovalDecision",
    "Attachment",
    "AuditEntry",
    "Base",
    "Case",
    "CaseHelper",
    "CaseLink",
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
    "CustomerNote",
    "Employee",
    "Event",
    "FocusGroup",
    "Idea",
    "Member",
    "IdeaComment",
    "IdeaSupport",
    "Offer",
    "Organisation",
    "OutboxAttachment",
    "OutboxEvent",
    "OutboxMessage",
    "OutboxStatus",
    "Quote",
    "Rating",
    "Remedy",
    "Role",
    "SignInThrottle",
    "TaskForce",
    "Team",
    "Theme",
    "ThemeCase",
]
