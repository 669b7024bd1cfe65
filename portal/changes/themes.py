"""Managers group cases into themes, find cases to add, and choose the quotes that speak for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.auth.models import Employee
from portal.auth.permissions import manages_work_of, require
from portal.cases.models import Case, Category
from portal.cases.permissions import require_category
from portal.changes.errors import ThemeRefused
from portal.changes.models import Quote, Theme, ThemeCase
from portal.changes.permissions import cases_in_reach, require_theme
from portal.paging import Page, paginate

PAGE_SIZE = 20


def create_theme(session: Session, *, title: str, description: str, category: Category | None, by: Employee
                 ) -> Theme:
    """A theme about a category is that category's team's, so only its managers may start one."""
    require(manages_work_of(by, by), "Only a manager can start a theme.")
    if category is not None:
        require_category(by, category)
    if not title.strip():
        raise ThemeRefused("Give the theme a short title, in customers' words, like “Queues at the north gate”.")
    theme = Theme(title=title.strip(), description=description.strip(), category=category, created_by=by)
    session.add(theme)
    return theme


def add_cases_to_theme(session: Session, theme: Theme, case_ids: list[int], *, by: Employee) -> int:
    """Link cases to the theme; cases already linked, and cases of teams ``by`` does not manage, are left as they
    are. Returns how many were added."""
    require_theme(by, theme)
    linked = set(session.scalars(select(ThemeCase.case_id).where(ThemeCase.theme_id == theme.id)))
    existing = set(session.scalars(select(Case.id).where(Case.id.in_(case_ids), cases_in_reach(by))))
    new = [cid for cid in dict.fromkeys(case_ids) if cid in existing and cid not in linked]
    session.add_all(ThemeCase(theme_id=theme.id, case_id=cid, added_by_id=by.id) for cid in new)
    return len(new)


def remove_case(session: Session, theme: Theme, case_id: int) -> None:
    session.execute(delete(ThemeCase).where(ThemeCase.theme_id == theme.id, ThemeCase.case_id == case_id))


def linked_cases(session: Session, theme: Theme) -> list[Case]:
    return list(session.scalars(
        select(Case).join(ThemeCase, ThemeCase.case_id == Case.id).where(ThemeCase.theme_id == theme.id)
        .options(selectinload(Case.customer), selectinload(Case.category)).order_by(Case.created_at)
    ))


@dataclass(frozen=True)
class ThemeStats:
    cases: int
    customers: int
    first: datetime | None
    last: datetime | None


def stats(session: Session, theme_id: int) -> ThemeStats:
    row = session.execute(
        select(func.count(Case.id), func.count(func.distinct(Case.customer_id)), func.min(Case.created_at),
               func.max(Case.created_at))
        .join(ThemeCase, ThemeCase.case_id == Case.id).where(ThemeCase.theme_id == theme_id)
    ).one()
    return ThemeStats(row[0], row[1], _aware(row[2]), _aware(row[3]))


def _aware(value):
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def search_cases(session: Session, *, words: str, category_id: int | None, viewer: Employee, page: int = 1
                 ) -> Page[Case]:
    """Cases of the teams ``viewer`` manages whose words mention every term given, newest first."""
    query = select(Case).where(cases_in_reach(viewer))
    for term in words.split()[:8]:
        pattern = f"%{term.lower()}%"
        query = query.where(or_(func.lower(Case.what_happened).like(pattern),
                                func.lower(Case.make_it_right).like(pattern),
                                func.lower(Case.better_in_future).like(pattern)))
    if category_id:
        query = query.where(Case.category_id == category_id)
    return paginate(session, query.options(selectinload(Case.category)), page=page, per_page=PAGE_SIZE,
                    order_by=(Case.created_at.desc(), Case.id.desc()))


def add_quote(session: Session, theme: Theme, case: Case, text: str, *, customer_agreed: bool) -> Quote:
    linked = session.scalar(select(ThemeCase.id).where(ThemeCase.theme_id == theme.id, ThemeCase.case_id == case.id))
    if linked is None:
        raise ThemeRefused("Quote only cases linked to this theme.")
    if not text.strip():
        raise ThemeRefused("Enter the words to quote.")
    if len(text) > 600:
        raise ThemeRefused("Keep a quote to 600 characters or fewer.")
    quote = Quote(theme_id=theme.id, case_id=case.id, text=text.strip(), customer_agreed=customer_agreed)
    session.add(quote)
    return quote
