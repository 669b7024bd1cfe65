"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from portal.auth.models import Employee, Role, SignInThrottle, Team
from portal.cases.models import Case, CaseReferenceCounter, CaseStatus, Category, Customer, Event
from portal.db import Base
from portal.mail.attachments import OutboxAttachment
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.remedies.models import ApprovalDecision, CatalogueEntry, Choice, Offer, Rating, Remedy

__all__ = [
    "ApprovalDecision",
    "CatalogueEntry",
    "Choice",
    "Offer",
    "OutboxAttachment",
    "Rating",
    "Remedy",
    "Base",
    "Case",
    "CaseReferenceCounter",
    "CaseStatus",
    "Category",
    "Customer",
    "Employee",
    "Event",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "SignInThrottle",
    "Team",
]
