"""What anyone may read: published changes, how many customers raised each, and consented quotes. Never a name,
an e-mail address or a case reference."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.cases.models import Case, Category
from portal.changes.models import Change, ChangeFeedback, ChangeStatus, Quote, Theme, ThemeCase
from portal.paging import Page, paginate

PAGE_SIZE = 12


@dataclass(frozen=True)
class PublicChange:
    change: Change
    supporters: int
    category: str


def _supporters(session: Session, theme_ids: list[int]) -> dict[int, int]:
    if not theme_ids:
        return {}
    rows = session.execute(
        select(ThemeCase.theme_id, func.count(func.distinct(Case.customer_id)))
        .join(Case, Case.id == ThemeCase.case_id).where(ThemeCase.theme_id.in_(theme_ids))
        .group_by(ThemeCase.theme_id)
    )
    return dict(rows.all())


def list_published(session: Session, *, category_id: int | None = None, status: ChangeStatus | None = None,
                   search: str = "", page: int = 1, page_size: int = PAGE_SIZE) -> Page[PublicChange]:
    query = select(Change).join(Theme, Theme.id == Change.theme_id).where(Change.published.is_(True))
    if category_id:
        query = query.where(Theme.category_id == category_id)
    if status:
        query = query.where(Change.status == status)
    for term in search.split()[:6]:
        pattern = f"%{term.lower()}%"
        query = query.where(or_(func.lower(Change.title).like(pattern), func.lower(Change.you_said).like(pattern),
                                func.lower(Change.we_did).like(pattern)))
    found = paginate(session, query.options(selectinload(Change.theme).selectinload(Theme.category)), page=page,
                     per_page=page_size, order_by=(Change.published_at.desc(), Change.id.desc()))
    counts = _supporters(session, [c.theme_id for c in found.items])
    items = [PublicChange(c, counts.get(c.theme_id, 0), c.theme.category.name if c.theme.category else "")
             for c in found.items]
    return Page(items, found.total, found.page, found.pages)


@dataclass(frozen=True)
class ChangeDetail:
    change: Change
    supporters: int
    quotes: list[str]
    first_raised: datetime | None
    helped: int
    not_helped: int


def _distinct(quotes: Iterable[str]) -> list[str]:
    """Each quote once: two customers who wrote the same words (or one quoted twice) make one quote on the page."""
    seen: dict[str, str] = {}
    for text in quotes:
        seen.setdefault(" ".join(text.split()).casefold(), text)
    return list(seen.values())


def published_change(session: Session, slug: str) -> ChangeDetail | None:
    change = session.scalar(select(Change).where(Change.slug == slug, Change.published.is_(True))
                            .options(selectinload(Change.theme)))
    if change is None:
        return None
    quotes = _distinct(session.scalars(select(Quote.text).where(Quote.theme_id == change.theme_id,
                                                                Quote.customer_agreed.is_(True)).order_by(Quote.id)))
    first = session.scalar(select(func.min(Case.created_at)).join(ThemeCase, ThemeCase.case_id == Case.id)
                           .where(ThemeCase.theme_id == change.theme_id))
    votes = dict(session.execute(select(ChangeFeedback.helped, func.count()).where(
        ChangeFeedback.change_id == change.id).group_by(ChangeFeedback.helped)).all())
    from portal.changes.themes import _aware

    return ChangeDetail(change, _supporters(session, [change.theme_id]).get(change.theme_id, 0), quotes,
                        _aware(first), votes.get(True, 0), votes.get(False, 0))


def categories_with_changes(session: Session) -> list[Category]:
    return list(session.scalars(
        select(Category).join(Theme, Theme.category_id == Category.id).join(Change, Change.theme_id == Theme.id)
        .where(Change.published.is_(True)).distinct().order_by(Category.name)
    ))
