"""The remedy catalogue: what each category usually offers, managed by its managers; and the suggestion that
matches the customer's own "make it right" words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Team
from portal.auth.permissions import managed_teams
from portal.cases.models import Category
from portal.paging import Page, paginate
from portal.remedies.access import manages_category
from portal.remedies.errors import CatalogueRefused, NotAllowed
from portal.remedies.models import CatalogueEntry, RemedyKind
from portal.remedies.offers import MAX_COST

# Words customers use for each kind, so "my money back" finds a refund even if the entry never says "money".
KIND_WORDS: dict[RemedyKind, set[str]] = {
    RemedyKind.refund: {"refund", "refunded", "money", "back", "repay", "reimburse", "charged", "twice", "fare"},
    RemedyKind.account_credit: {"credit", "account", "towards", "next", "discount"},
    RemedyKind.replacement: {"replace", "replacement", "new", "another", "reissue", "exchange"},
    RemedyKind.redo: {"redo", "again", "rebook", "transfer", "fix", "sort", "cancel"},
    RemedyKind.callback: {"call", "phone", "ring", "speak", "talk", "callback"},
    RemedyKind.apology_and_fix: {"apology", "apologise", "apologize", "sorry", "training", "tell", "explain"},
    RemedyKind.gesture: {"voucher", "vouchers", "tickets", "ticket", "free", "gift", "guaranteed", "match"},
    RemedyKind.other: set(),
}
STOPWORDS = {"the", "a", "an", "and", "or", "to", "for", "of", "me", "my", "i", "please", "at", "on", "in", "it",
             "with", "be", "is", "was", "that", "this", "would", "like", "some", "someone", "from", "make", "sure"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOPWORDS and len(w) > 1}


def suggest(make_it_right: str, entries: Sequence[CatalogueEntry]) -> CatalogueEntry | None:
    """The entry sharing most words with the customer's request (its own words count double); None if nothing
    matches. Ties go to the cheaper entry, then the older one."""
    wanted = _words(make_it_right)
    best, best_score = None, 0
    for entry in sorted(entries, key=lambda e: (e.typical_cost, e.id or 0)):
        own = _words(f"{entry.title} {entry.description}")
        score = 2 * len(wanted & own) + len(wanted & KIND_WORDS[entry.kind])
        if score > best_score:
            best, best_score = entry, score
    return best


def entries_for(session: Session, category: Category) -> list[CatalogueEntry]:
    return list(session.scalars(
        select(CatalogueEntry).where(CatalogueEntry.category_id == category.id, CatalogueEntry.active)
        .order_by(CatalogueEntry.typical_cost, CatalogueEntry.id)
    ))


def manageable_categories(session: Session, employee: Employee) -> list[Category]:
    return list(session.scalars(
        select(Category).join(Team, Team.id == Category.team_id).where(managed_teams(employee)).order_by(Category.name)
    ))


SORTS = {
    "category": (Category.name, CatalogueEntry.typical_cost, CatalogueEntry.id),
    "cost": (CatalogueEntry.typical_cost, CatalogueEntry.id),
    "kind": (CatalogueEntry.kind, CatalogueEntry.typical_cost, CatalogueEntry.id),
}


def list_entries(
    session: Session, employee: Employee, *, category_id: int | None = None, include_retired: bool = False,
    sort: str = "category", page: int = 1, per_page: int = 20,
) -> Page[CatalogueEntry]:
    categories = [c.id for c in manageable_categories(session, employee)]
    query = (
        select(CatalogueEntry).join(Category, Category.id == CatalogueEntry.category_id)
        .where(CatalogueEntry.category_id.in_(categories))
    )
    if category_id:
        query = query.where(CatalogueEntry.category_id == category_id)
    if not include_retired:
        query = query.where(CatalogueEntry.active)
    return paginate(session, query, page=page, per_page=per_page, order_by=SORTS.get(sort, SORTS["category"]))


def save_entry(
    session: Session,
    *,
    by: Employee,
    category: Category | None,
    kind: RemedyKind | str,
    title: str,
    description: str,
    when_text: str,
    typical_cost: Decimal | str,
    active: bool = True,
    entry: CatalogueEntry | None = None,
) -> CatalogueEntry:
    """Create ``entry`` (or change it); only managers of the category's team (and admins) may."""
    if category is None:
        raise CatalogueRefused("Choose the category this remedy is for.")
    if not manages_category(by, category) or (entry is not None and not manages_category(by, entry.category)):
        raise NotAllowed("Only a manager of the category's team can change its remedy catalogue.")
    try:
        kind = RemedyKind(kind)
    except ValueError as exc:
        raise CatalogueRefused("Choose what kind of remedy it is.") from exc
    if not title.strip():
        raise CatalogueRefused("Give the remedy a short title.")
    if not description.strip():
        raise CatalogueRefused("Describe the remedy as the customer will read it.")
    try:
        cost = Decimal(str(typical_cost)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise CatalogueRefused("The typical cost must be an amount like 25 or 12.50.") from exc
    if cost < 0 or cost > MAX_COST:
        raise CatalogueRefused("The typical cost must not be negative.")
    entry = entry or CatalogueEntry()
    entry.category = category
    entry.kind = kind
    entry.title = title.strip()
    entry.description = description.strip()
    entry.when_text = when_text.strip()
    entry.typical_cost = cost
    entry.active = active
    session.add(entry)
    session.flush()
    return entry
