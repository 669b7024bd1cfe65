"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from portal.auth.models import Employee, Role, SignInThrottle, Team
from portal.cases.models import Case, CaseReferenceCounter, CaseStatus, Category, Customer, Event
from portal.db import Base
from portal.mail.models import OutboxAttachment, OutboxEvent, OutboxMessage, OutboxStatus

__all__ = [
    "Base",
    "Case",
    "CaseReferenceCounter",
    "CaseStatus",
    "Category",
    "Customer",
    "Employee",
    "Event",
    "OutboxAttachment",
    "OutboxEvent",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "SignInThrottle",
    "Team",
]
