"""What every capability's `privacy.py` offers the customer data-request service (portal/admin/data_requests.py).

Each capability knows its own tables, so it exports and erases its own customer data:

    export(session, customer) -> dict[str, Any]   # its sections of the export, plain JSON-able data
    erase(session, customer) -> dict[str, int]    # blanks or removes what it holds; returns counts by what

The data-request service calls every registered module in turn; the customer's own record (cases) is erased
last, since the others find their rows by the customer's address. This module imports no capability, so
infrastructure (mail) can take part too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

from sqlalchemy.orm import Session

ERASED_TEXT = "[erased at the customer's request]"


class Person(Protocol):
    """What infrastructure needs to know of a customer to find their data."""

    id: int
    email: str | None


class PrivacyModule(Protocol):
    def export(self, session: Session, customer: Any) -> dict[str, Any]: ...

    def erase(self, session: Session, customer: Any) -> dict[str, int]: ...


def plain(value: Any) -> Any:
    """A value as JSON has it: enums by value, dates in ISO 8601, money with two decimals."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value
