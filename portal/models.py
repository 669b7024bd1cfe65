"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from portal.admin.models import AuditEntry, Organisation
from portal.auth.models import Employee, Role, SignInThrottle, Team
from portal.cases.models import (
    Attachment,
    Case,
    CaseLink,
    CaseReferenceCounter,
    CaseStatus,
    Category,
    Customer,
    Event,
)
from portal.db import Base
from portal.ideas.models import Idea, IdeaComment, IdeaSupport, TaskForce
from portal.mail.models import OutboxMessage, OutboxStatus

__all__ = [
    "Attachment",
    "AuditEntry",
    "Base",
    "Case",
    "CaseLink",
    "CaseReferenceCounter",
    "CaseStatus",
    "Category",
    "Customer",
    "Employee",
    "Event",
    "Idea",
    "IdeaComment",
    "IdeaSupport",
    "Organisation",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "SignInThrottle",
    "TaskForce",
    "Team",
]
