"""One page of a long list: the items, how many there are in all, and which page of how many this is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    pages: int


def paginate(
    session: Session,
    query: Select,
    *,
    page: int,
    per_page: int,
    order_by: Sequence[Any] = (),
    row: Callable[[Any], T] | None = None,
) -> Page[T]:
    """The ``page``-th ``per_page`` items of ``query`` (a page past the end shows the last one). Items are the first
    column of each row, or ``row(r)`` built from the whole row."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    limited = query.order_by(*order_by).limit(per_page).offset((page - 1) * per_page)
    items = [row(r) for r in session.execute(limited)] if row else list(session.scalars(limited))
    return Page(items, total, page, pages)
