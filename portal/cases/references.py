"""Case references like MIR-2026-000123: short, readable on the phone, never reused."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.cases.models import CaseReferenceCounter

PREFIX = "MIR"
# Six digits at least: a year past 999,999 cases takes a seventh.
SHAPE = re.compile(rf"{PREFIX}-[0-9]{{4}}-[0-9]{{6,}}")


def next_reference(session: Session, year: int) -> str:
    """Take the next number for ``year``; the row update serialises concurrent filings."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(CaseReferenceCounter).values(year=year, last=0).on_conflict_do_nothing())
    number = session.execute(
        update(CaseReferenceCounter)
        .where(CaseReferenceCounter.year == year)
        .values(last=CaseReferenceCounter.last + 1)
        .returning(CaseReferenceCounter.last)
    ).scalar_one()
    return f"{PREFIX}-{year}-{number:06d}"
