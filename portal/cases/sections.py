"""What other capabilities show on a case's pages. Remedies builds on cases, so cases cannot ask remedies for the
case's offer; instead remedies adds a section here at start-up (portal.app), and the case pages render whatever the
sections give them (their templates include each section's own partial)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from sqlalchemy.orm import Session

from portal.cases.models import Case

Audience = Literal["staff", "customer"]
# A section returns the template variables it adds to a case's page for that audience.
Section = Callable[[Session, Case, Audience], Mapping[str, Any]]
_sections: list[Section] = []


def add_case_section(section: Section) -> None:
    if section not in _sections:  # an app made twice (tests) registers once
        _sections.append(section)


def case_sections(session: Session, case: Case, audience: Audience) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for section in _sections:
        context.update(section(session, case, audience))
    return context
