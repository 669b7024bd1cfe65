"""Focus groups: members added by hand or from a CSV file, previewed row by row before anything is saved."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.auth.permissions import manages_work_of, require
from portal.cases.models import Customer
from portal.surveys.errors import GroupRefused
from portal.surveys.models import FocusGroup, Member

COLUMNS = ("name", "email", "membership_number", "member_since")
MAX_ROWS = 5000


def create_group(session: Session, *, name: str, description: str, by: Employee) -> FocusGroup:
    require(manages_work_of(by, by), "Only a manager can create a focus group.")
    name = name.strip()
    if not name:
        raise GroupRefused("Name the group, for example “North Stand season-ticket holders 2026”.")
    if session.scalar(select(FocusGroup.id).where(func.lower(FocusGroup.name) == name.lower())):
        raise GroupRefused(f"There is already a group called {name}.")
    group = FocusGroup(name=name, description=description.strip(), created_by=by)
    session.add(group)
    return group


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    membership_number: str
    member_since: date | None
    errors: list[str] = field(default_factory=list)
    action: str = ""  # "add", "update", "unchanged" or "merged" (a repeat of an earlier line)


@dataclass(frozen=True)
class Preview:
    rows: list[Row]
    problems: list[str]

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if not r.errors and r.action in ("add", "update")]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"add": 0, "update": 0, "unchanged": 0, "merged": 0, "error": 0}
        for row in self.rows:
            counts["error" if row.errors else row.action] += 1
        return counts


def preview_import(session: Session, group: FocusGroup, data: bytes) -> Preview:
    """Read a CSV (name, email, membership_number, member_since) and say what each line would do."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Preview([], ["The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."])
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name", "email") if c not in headers]
    if missing:
        return Preview([], [f"The first line must name the columns; missing: {', '.join(missing)}. "
                            f"Expected: {', '.join(COLUMNS)}."])
    existing = {m.email: m for m in group.members}
    seen: set[str] = set()
    rows: list[Row] = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            return Preview(rows, [f"A file can hold up to {MAX_ROWS:,} members; split it and import each part."])
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        rows.append(_check_row(number, values, existing, seen))
    if not rows:
        return Preview([], ["The file has no members below its first line."])
    return Preview(rows, [])


def _check_row(line: int, values: dict[str, str], existing: dict[str, Member], seen: set[str]) -> Row:
    errors, email = [], values.get("email", "")
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors.append(f"“{email}” is not an e-mail address." if email else "The e-mail address is missing.")
    name = values.get("name", "")[:120]
    if not name:
        errors.append("The name is missing.")
    since = None
    if values.get("member_since"):
        try:
            since = date.fromisoformat(values["member_since"])
        except ValueError:
            errors.append(f"“{values['member_since']}” is not a date like 2012-08-01.")
    number = values.get("membership_number", "")[:40]
    action = ""
    if not errors:
        current = existing.get(email)
        if email in seen:
            action = "merged"
        elif current is None:
            action = "add"
        elif (current.name, current.membership_number, current.member_since) == (name, number, since):
            action = "unchanged"
        else:
            action = "update"
        seen.add(email)
    return Row(line, name, email, number, since, errors, action)


def apply_import(session: Session, group: FocusGroup, preview: Preview) -> int:
    """Save the lines that are valid; importing the same file again changes nothing."""
    existing = {m.email: m for m in group.members}
    customers = dict(session.execute(
        select(func.lower(Customer.email), Customer.id).where(
            func.lower(Customer.email).in_([r.email for r in preview.valid]))
    ).all())
    changed = 0
    for row in preview.valid:
        member = existing.get(row.email)
        if member is None:
            member = Member(group=group, email=row.email)
            session.add(member)
            existing[row.email] = member
        member.name, member.membership_number, member.member_since = row.name, row.membership_number, row.member_since
        member.customer_id = customers.get(row.email)
        member.left_at = None
        changed += 1
    return changed


def add_member(session: Session, group: FocusGroup, *, name: str, email: str, membership_number: str = "",
               member_since: date | None = None) -> Member:
    values = {"name": name.strip(), "email": email.strip(), "membership_number": membership_number.strip(),
              "member_since": member_since.isoformat() if member_since else ""}
    row = _check_row(1, values, {m.email: m for m in group.members}, set())
    if row.errors:
        raise GroupRefused(" ".join(row.errors))
    if row.action == "unchanged":
        raise GroupRefused(f"{row.email} is already a member.")
    apply_import(session, group, Preview([row], []))
    return next(m for m in group.members if m.email == row.email)


def tenure_band(member: Member, today: date) -> str:
    if member.member_since is None:
        return "Unknown"
    years = (today - member.member_since).days // 365
    return "Under 2 years" if years < 2 else "2 to 9 years" if years < 10 else "10 years or more"
