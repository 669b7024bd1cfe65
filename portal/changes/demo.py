"""Demo themes from the demo's stories, three published changes with quotes, and a draft."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role
from portal.cases.models import Case, Category, EventKind
from portal.cases.timeline import record
from portal.changes.models import Change, ChangeFeedback, ChangeStatus, Quote, Theme, ThemeCase
from portal.db import utcnow

# (theme, category, words its cases share, change title, you said, we did, what's next, status, published)
CHANGES = [
    ("Queues and cold food at half-time", "Food and drink", "north stand kiosk",
     "Two more tills and a second warmer at the north stand kiosk",
     "Half-time queues at the north stand kiosk took up to 25 minutes and the pies went cold waiting.",
     "From the October home matches we open two more tills at half-time and added a second food warmer.",
     "We are testing ordering from your seat in the family stand next season.", ChangeStatus.done, True),
    ("Season cards that will not scan", "Tickets and season tickets", "scan",
     "A steward with a hand scanner at every block of turnstiles",
     "When a season card would not scan, fans were sent to the ticket office and missed kick-off.",
     "Every block of turnstiles now has a steward with a hand scanner who can let you in on the spot.",
     "", ChangeStatus.done, True),
    ("Not knowing when the platform lift is out", "Accessibility", "lift",
     "Text messages when the platform lift is out of order",
     "Wheelchair users arrived to find the platform lift broken, with nobody having told them.",
     "We now text every supporter with an accessible-platform ticket by 10am on match day if the lift is out.",
     "A second lift is planned for the south stand.", ChangeStatus.in_progress, True),
    ("The shuttle bus from the station", "Parking and travel", "shuttle",
     "More shuttle buses before kick-off",
     "The shuttle from the station did not turn up, and fans missed kick-off.",
     "We are adding buses every ten minutes in the hour before kick-off from next month.",
     "", ChangeStatus.planned, False),
]


def load_changes_demo(session: Session) -> None:
    managers = list(session.scalars(select(Employee).where(Employee.role == Role.manager).order_by(Employee.id)))
    now = utcnow()
    for number, (title, category_name, words, change_title, said, did, nxt, status, published) in enumerate(CHANGES):
        category = session.scalar(select(Category).where(Category.name == category_name))
        manager = managers[number % len(managers)]
        theme = Theme(title=title, category=category, created_by=manager, created_at=now - timedelta(days=60))
        session.add(theme)
        session.flush()
        cases = session.scalars(select(Case).where(Case.category_id == category.id,
                                                   Case.what_happened.contains(words))).all()
        session.add_all(ThemeCase(theme_id=theme.id, case_id=c.id, added_by_id=manager.id) for c in cases)
        for case in cases[:2]:
            session.add(Quote(theme_id=theme.id, case_id=case.id, text=case.what_happened, customer_agreed=True))
        change = Change(theme=theme, slug=_slug(change_title), title=change_title, you_said=said, we_did=did,
                        whats_next=nxt, status=status, created_by=manager, published=published,
                        started_on=(now - timedelta(days=40)).date(),
                        done_on=(now - timedelta(days=10)).date() if status is ChangeStatus.done else None,
                        published_at=now - timedelta(days=20 - number * 4) if published else None)
        session.add(change)
        session.flush()
        if published:
            for case in cases:
                record(session, case, EventKind.change_published, by=manager, public=True, at=change.published_at,
                       body=f"We made a change because of feedback like yours: {change_title}.",
                       detail={"change": change.id, "slug": change.slug})
            session.add_all(ChangeFeedback(change_id=change.id, helped=i % 4 != 0,
                                           comment="Much quicker now." if i == 1 else "") for i in range(7))


def _slug(title: str) -> str:
    from portal.changes.publishing import slugify

    return slugify(title)
