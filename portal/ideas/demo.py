"""Demo ideas from the people in the trenches, some supported, some decided, one with a task force."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases.models import Category
from portal.db import utcnow
from portal.ideas.models import Idea, IdeaComment, IdeaKind, IdeaStatus, IdeaSupport, TaskForce

# (title, body, kind, category name or None, status, reason)
IDEAS = [
    ("Hand scanners for turnstile failures",
     "When a season card fails to scan, fans are sent to the ticket office and miss kick-off. A steward with a "
     "hand scanner at each block of turnstiles would fix most of these on the spot.",
     IdeaKind.blocker, "Tickets and season tickets", IdeaStatus.task_force, ""),
    ("Open two more tills in the north stand at half-time",
     "The north stand kiosk has one till open for 2,000 fans at half-time; queues reach 25 minutes and the pies go "
     "cold waiting on the warmer.", IdeaKind.idea, "Food and drink", IdeaStatus.under_review, ""),
    ("We cannot see the lift status before match day",
     "Nobody tells us the platform lift is broken until fans arrive. A status board for the accessibility team "
     "would let us text the fans affected.", IdeaKind.blocker, "Accessibility", IdeaStatus.done,
     "The facilities team now posts lift status to the staff noticeboard by 10:00 on match days."),
    ("Let advisers refund shuttle fares on the spot",
     "Refunding a £3 shuttle fare needs a manager's sign-off today. A small authority limit for car park staff "
     "would end most complaints in one call.", IdeaKind.idea, "Parking and travel", IdeaStatus.new, ""),
    ("A shared phrasebook for difficult calls",
     "New advisers ask the same questions about tone when a fan is upset. A short shared guide would help.",
     IdeaKind.idea, None, IdeaStatus.not_now,
     "Good idea; the training budget is committed until the summer. We will come back to it in June."),
]


def load_ideas(session: Session, staff: list[Employee], categories: dict[str, Category], rng: random.Random) -> int:
    now = utcnow()
    agents = [e for e in staff if e.role is Role.agent]
    managers = [e for e in staff if e.role is Role.manager]
    for number, (title, body, kind, category, status, reason) in enumerate(IDEAS):
        author = agents[number % len(agents)]
        created = now - timedelta(days=40 - number * 7)
        idea = Idea(title=title, body=body, kind=kind, category=categories.get(category or ""), author=author,
                    status=status, status_reason=reason, created_at=created)
        session.add(idea)
        session.flush()
        backers = rng.sample([e for e in staff if e is not author], k=rng.randint(2, 7))
        session.add_all(IdeaSupport(idea_id=idea.id, employee_id=e.id) for e in [author, *backers])
        session.add(IdeaComment(idea_id=idea.id, author=backers[0], body="Agreed — this happened twice last week.",
                                created_at=created + timedelta(days=1)))
        if status is not IdeaStatus.new:
            idea.status_changed_by = managers[number % len(managers)]
            idea.status_changed_at = created + timedelta(days=3)
        if status is IdeaStatus.task_force:
            idea.status_reason = "A task force is working on this: Turnstile fallback."
            idea.task_force = TaskForce(
                name="Turnstile fallback",
                goal="No season-ticket holder waits more than five minutes when a card fails.",
                due_on=(now + timedelta(days=45)).date(), created_by=managers[0], members=backers[:3],
            )
    return len(IDEAS)
