"""Customers from the club's own systems: a CSV export of the ticketing system or CRM, checked line by line (the
preview) and then, once confirmed, imported.

A file of any length is read as a stream, a thousand lines at a time: what each line will do is written to
``customer_import_line`` (which also tells a repeat of an earlier line without holding the file in memory), the
progress and the counts to ``customer_import``. A line is matched to a customer by its external id first, then by
its e-mail address whatever its letter case; an empty cell leaves what we hold as it is, so importing the same file
again changes nothing. Both passes commit batch by batch; the import is safe to start again if it is interrupted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import ARRAY, Integer, String, any_, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from portal.audit import record
from portal.auth.models import Employee
from portal.auth.permissions import manages_work_of, require
from portal.cases.models import Customer, CustomerImport, CustomerImportLine
from portal.db import utcnow
from portal.inputs import CONTROL_CHARACTERS, LINE_BREAKS

BATCH = 1000
MAX_SPEND = Decimal("9999999999.99")  # Numeric(12, 2)
STALE_AFTER = timedelta(minutes=2)  # a pass that has not reported for this long has stopped (a restart)
csv.field_size_limit(1024 * 1024)

FIELDS = ("email", "name", "phone", "external_id", "membership", "customer_since", "lifetime_spend", "preferences")
LABELS = {
    "email": "E-mail", "name": "Name", "first_name": "First name", "last_name": "Last name", "phone": "Phone",
    "external_id": "External id", "membership": "Membership", "customer_since": "Customer since",
    "lifetime_spend": "Lifetime spend", "preferences": "Preferences",
}
# Header spellings, compared in lower case with punctuation and spaces folded ("E-mail address" -> "email address").
SPELLINGS = {
    "email": ("email", "e mail", "email address", "e mail address", "mail", "emailaddress"),
    "name": ("name", "full name", "fullname", "customer name", "contact name", "display name"),
    "first_name": ("first name", "firstname", "forename", "given name"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "phone": ("phone", "telephone", "phone number", "telephone number", "mobile", "mobile number", "tel"),
    "external_id": ("external id", "externalid", "external ref", "external reference", "customer id",
                    "customer number", "customer no", "crm id", "crm ref", "ticketing id", "supporter id",
                    "supporter number", "account id", "account number", "id"),
    "membership": ("membership", "membership type", "member type", "membership level", "tier", "segment"),
    "customer_since": ("customer since", "member since", "since", "joined", "join date", "date joined",
                       "first purchase", "first purchase date", "created"),
    "lifetime_spend": ("lifetime spend", "lifetime value", "total spend", "total spent", "spend", "ltv", "clv",
                       "lifetime spend gbp", "total spend gbp"),
    "preferences": ("preferences", "preference", "contact preferences", "communication preferences"),
}
HEADERS = {spelling: name for name, spellings in SPELLINGS.items() for spelling in spellings}
# Every new customer's row has every column (one INSERT for the batch); a line's cells replace these.
NEW_CUSTOMER: dict[str, Any] = {"email": None, "name": "", "phone": "", "external_id": None, "membership": "",
                                "customer_since": None, "lifetime_spend": Decimal("0"), "preferences": ""}
# A customer may have no address (a caller) once the schema says so; until then a new customer needs one.
EMAIL_OPTIONAL = Customer.__table__.c.email.nullable
ACTIONS = ("create", "update", "unchanged", "merged", "refused")
KEPT = ("create", "update", "unchanged")  # a line about one customer, whom later lines may repeat
ACTION_LABELS = {"create": "New customer", "update": "Updated", "unchanged": "Already up to date",
                 "merged": "Repeat: merged", "refused": "Refused"}
LIMITS = {"name": 120, "first_name": 60, "last_name": 60, "phone": 40, "external_id": 80, "membership": 80,
          "preferences": 2000}
_PHONE = re.compile(r"[0-9+()./ -]{3,40}")
_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
# Most addresses in an export are plain ASCII ones this pattern settles at once (email_validator costs a third of a
# millisecond each: half a minute per pass over 100,000 lines); anything else is left to email_validator.
_PLAIN_EMAIL = re.compile(r"(?=[^@]{1,64}@)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                          r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63})", re.I)
_SPECIAL_USE = {"arpa", "invalid", "local", "localhost", "onion", "test"}


class ImportRefused(ValueError):
    """The file cannot be imported as it is; the message says why."""


def fold_header(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.replace("\ufeff", "").lower()).split())


@dataclass(frozen=True)
class Columns:
    fields: dict[int, str]  # cell position -> field
    unknown: list[str]
    problems: list[str]

    @property
    def missing(self) -> list[str]:
        named = set(self.fields.values())
        if {"first_name", "last_name"} & named:
            named.add("name")
        return [f for f in FIELDS if f not in named]

    def describe(self) -> dict[str, Any]:
        return {"known": [LABELS[f] for f in self.fields.values()], "unknown": self.unknown,
                "missing": [LABELS[f] for f in self.missing]}


def read_header(cells: list[str]) -> Columns:
    fields: dict[int, str] = {}
    unknown: list[str] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for position, cell in enumerate(cells):
        title = cell.strip().replace("\ufeff", "")
        name = HEADERS.get(fold_header(title))
        if name is None:
            if title:
                unknown.append(_shown(title, 40))
            continue
        if name in seen:
            problems.append(f"Two columns both mean {LABELS[name].lower()}: “{seen[name]}” and “{_shown(title, 40)}”."
                            " Keep one of them.")
            continue
        seen[name] = _shown(title, 40)
        fields[position] = name
    if "email" not in seen:
        problems.append("The first line must name the columns, and none of them is the e-mail address. Name it "
                        "“email”; the others can be: " + ", ".join(LABELS[f].lower() for f in FIELDS[1:]) + ".")
    if "name" in seen and {"first_name", "last_name"} & set(seen):
        problems.append("The file has a name column and first or last name columns; keep one or the other.")
    return Columns(fields, unknown, problems)


@dataclass(slots=True)
class Parsed:
    line: int
    values: dict[str, Any] = field(default_factory=dict)  # the cells given, checked and converted
    errors: list[str] = field(default_factory=list)
    email: str = ""  # the address, checked and in lower case ("" when refused)
    external_id: str = ""
    shown_email: str = ""  # as the cell had it, fit to show (refused lines only)
    shown_name: str = ""


def _shown(text: str, limit: int) -> str:
    """Text fit to show on a page and store in a line's row: no control characters, cut to ``limit``."""
    clean = CONTROL_CHARACTERS.sub("", text.encode("utf-8", "replace").decode("utf-8"))
    clean = " ".join(clean.split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def parse_amount(text: str) -> Decimal:
    """“£4,200.50”, “4200.5”, “1 234” -> Decimal; ValueError with the reason otherwise."""
    cleaned = re.sub(r"^(GBP|EUR|USD)\s*|\s*(GBP|EUR|USD)$", "", text.strip(), flags=re.I)
    cleaned = cleaned.lstrip("£$€").replace(",", "").replace(" ", "").replace("\u00a0", "")
    if len(cleaned) > 40 or not _AMOUNT.fullmatch(cleaned):
        raise ValueError(f"“{_shown(text, 40)}” is not an amount; write it like 4200.50.")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValueError(f"“{_shown(text, 40)}” is not an amount; write it like 4200.50.") from error
    if amount < 0:
        raise ValueError(f"The lifetime spend “{_shown(text, 40)}” is below zero.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"The lifetime spend “{_shown(text, 40)}” has more than two decimal places.")
    if amount > MAX_SPEND:
        raise ValueError(f"The lifetime spend “{_shown(text, 40)}” is more than £9,999,999,999.99, the most a "
                         "record holds.")
    return amount.quantize(Decimal("0.01"))


def parse_date(text: str, today: date) -> date:
    raw = text.strip()
    candidate = raw[:10] if re.match(r"\d{4}-\d{2}-\d{2}[T ]", raw) else raw
    for fmt in _DATE_FORMATS:
        try:
            when = date.fromisoformat(candidate) if fmt == "%Y-%m-%d" and len(candidate) == 10 else \
                datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
        if when > today:
            raise ValueError(f"The customer-since date “{_shown(raw, 40)}” is in the future.")
        if when.year < 1850:
            raise ValueError(f"The customer-since date “{_shown(raw, 40)}” is before 1850.")
        return when
    raise ValueError(f"“{_shown(raw, 40)}” is not a date; write it like 2012-08-01 or 01/08/2012.")


def _utf8(cells: list[str]) -> bool:
    """False when the file's bytes were not UTF-8 (read with surrogateescape, they became lone surrogates)."""
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_line(line: int, cells: list[str], columns: Columns, header_width: int, today: date) -> Parsed:
    parsed = Parsed(line)
    extra = [c for c in cells[header_width:] if c.strip()]
    if extra:
        parsed.errors.append(f"This line has {len(cells)} cells; the first line names {header_width} columns. "
                             "A comma inside a value needs quotes around the value.")
    raw = {name: cells[position] if position < len(cells) else "" for position, name in columns.fields.items()}
    if not _utf8(cells):
        parsed.errors.append("This line is not UTF-8 text; save the file from your spreadsheet as “CSV UTF-8”.")
    for name, value in raw.items():
        if name == "preferences":
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.strip()
        if not value:
            continue
        if CONTROL_CHARACTERS.search(value):
            parsed.errors.append(f"{LABELS[name]} holds invisible control characters (such as a NUL byte); "
                                 "remove them from the cell.")
            continue
        if name != "preferences" and LINE_BREAKS.search(value):
            parsed.errors.append(f"{LABELS[name]} runs over more than one line; keep it on one line.")
            continue
        if name in LIMITS and len(value) > LIMITS[name]:
            parsed.errors.append(f"{LABELS[name]} is longer than {LIMITS[name]:,} characters.")
            continue
        try:
            parsed.values[name] = _convert(name, value, today)
        except ValueError as error:
            parsed.errors.append(str(error))
    if "first_name" in parsed.values or "last_name" in parsed.values:
        parsed.values["name"] = " ".join(
            v for v in (parsed.values.pop("first_name", ""), parsed.values.pop("last_name", "")) if v)[:120]
    if not raw.get("email", "").strip() and not raw.get("external_id", "").strip():
        parsed.errors.append("The line has neither an e-mail address nor an external id; it needs one of them.")
    if parsed.errors:
        parsed.shown_email = _shown(raw.get("email", ""), 254)
        parsed.shown_name = _shown(raw.get("name", "") or f"{raw.get('first_name', '')} {raw.get('last_name', '')}",
                                   120)
        parsed.external_id = _shown(raw.get("external_id", ""), 80)
    else:
        parsed.email, parsed.external_id = parsed.values.get("email", ""), parsed.values.get("external_id", "")
    return parsed


def _convert(name: str, value: str, today: date) -> Any:
    if name == "email":
        plain = _PLAIN_EMAIL.fullmatch(value)
        if plain and len(value) <= 254 and plain.group(1).lower() not in _SPECIAL_USE:
            return value.lower()
        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            raise ValueError(f"“{_shown(value, 60)}” is not an e-mail address.") from None
    if name == "phone" and not _PHONE.fullmatch(value):
        raise ValueError(f"“{_shown(value, 40)}” is not a phone number (digits, spaces, + ( ) - only).")
    if name == "customer_since":
        return parse_date(value, today)
    if name == "lifetime_spend":
        return parse_amount(value)
    return value


def read_records(path: Path) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line the record starts on, its cells or None, why it could not be read), streaming the file."""
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as stream:
        reader = csv.reader(stream)
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield start, None, f"This line cannot be read as CSV ({error}); check its quotes."
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if cells and any(c.strip() for c in cells):
                yield line, cells, ""


# --- starting an import -------------------------------------------------------------------------------------


def may_import(actor: Employee) -> bool:
    """Managers and admins: the club's records of its customers are not any one team's (like focus groups)."""
    return manages_work_of(actor, actor)


def may_see(actor: Employee, job: CustomerImport) -> bool:
    return manages_work_of(actor, job.created_by)


def start(session: Session, *, filename: str, stored_name: str, size: int, by: Employee) -> CustomerImport:
    require(may_import(by), "Only a manager or an admin can import customers.")
    job = CustomerImport(filename=_shown(filename or "customers.csv", 200), stored_name=stored_name, size=size,
                         created_by=by, status="checking", heartbeat_at=utcnow())
    session.add(job)
    session.flush()
    return job


def recent(session: Session, actor: Employee, limit: int = 10) -> list[CustomerImport]:
    jobs = session.scalars(select(CustomerImport).order_by(CustomerImport.id.desc()).limit(limit * 5))
    return [j for j in jobs if may_see(actor, j)][:limit]


def stalled(job: CustomerImport, now: datetime) -> bool:
    return job.status in ("checking", "importing") and (job.heartbeat_at is None
                                                        or now - job.heartbeat_at > STALE_AFTER)


# --- the two passes -----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    line: int
    action: str
    message: str
    email: str = ""
    external_id: str = ""
    name: str = ""
    customer: Any = None  # the record matched (a row of RECORD_COLUMNS)
    changes: dict[str, Any] = field(default_factory=dict)

    def row(self, import_id: int) -> dict[str, Any]:
        return {"import_id": import_id, "line": self.line, "action": self.action, "email": self.email[:254],
                "external_id": self.external_id[:80], "name": self.name[:120], "message": self.message,
                "customer_id": self.customer.id if self.customer is not None else None}


def _batches(path: Path, columns: Columns, width: int, today: date) -> Iterator[list[Parsed]]:
    batch: list[Parsed] = []
    records = read_records(path)
    next(records, None)  # the header
    for line, cells, problem in records:
        parsed = Parsed(line, errors=[problem]) if cells is None else parse_line(line, cells, columns, width, today)
        batch.append(parsed)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _header(path: Path) -> tuple[Columns, int]:
    first = next(read_records(path), None)
    if first is None:
        raise ImportRefused("The file is empty. Export the customers again, with the column names on the first line.")
    line, cells, problem = first
    if cells is None:
        raise ImportRefused(f"The first line cannot be read: {problem}")
    if not _utf8(cells):
        raise ImportRefused("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.")
    columns = read_header(cells)
    if columns.problems:
        raise ImportRefused(" ".join(columns.problems))
    return columns, len(cells)


# What a line is compared with, read as plain rows (no objects to build, track or expire: a tenth of the cost).
RECORD_COLUMNS = (Customer.id, Customer.email, Customer.name, Customer.phone, Customer.external_id,
                  Customer.membership, Customer.customer_since, Customer.lifetime_spend, Customer.preferences)


def _one_of(session: Session, column: Any, keys: list[Any]) -> Any:
    """``column IN keys``; on PostgreSQL as ``= ANY(array)``, one parameter rather than a thousand to send and plan."""
    if session.get_bind().dialect.name == "postgresql":
        kind = Integer() if keys and isinstance(keys[0], int) else String()
        return column == any_(bindparam(None, keys, type_=ARRAY(kind)))
    return column.in_(keys)


def _existing(session: Session, batch: list[Parsed]) -> tuple[dict[str, Any], dict[str, Any]]:
    ids = list({p.external_id for p in batch if not p.errors and p.external_id})
    emails = list({p.email for p in batch if not p.errors and p.email})
    by_id = {c.external_id: c for c in session.execute(
        select(*RECORD_COLUMNS).where(_one_of(session, Customer.external_id, ids)))} if ids else {}
    by_email = {c.email.lower(): c for c in session.execute(
        select(*RECORD_COLUMNS).where(_one_of(session, func.lower(Customer.email), emails)))} if emails else {}
    return by_id, by_email


def _earlier_lines(session: Session, job: CustomerImport, batch: list[Parsed]) -> list[Any]:
    """The lines checked before that share an external id or an address with ``batch`` and were kept (one query per
    key, each on its own index: an OR of the two lets PostgreSQL scan every line of the file for every batch)."""
    ids = list({p.external_id for p in batch if not p.errors and p.external_id})
    emails = list({p.email for p in batch if not p.errors and p.email})
    found: dict[int, Any] = {}
    line = CustomerImportLine
    for column, keys in ((line.external_id, ids), (line.email, emails)):
        if keys:
            for row in session.execute(select(line.line, line.action, line.email, line.external_id).where(
                    line.import_id == job.id, _one_of(session, column, keys))):
                if row.action in KEPT:
                    found[row.line] = row
    return [found[number] for number in sorted(found)]


def _matched_before(session: Session, job: CustomerImport, customer_ids: set[int]) -> dict[int, int]:
    """Customers an earlier line of the file is about (only kept lines name one), by the first such line."""
    if not customer_ids:
        return {}
    rows = session.execute(select(CustomerImportLine.customer_id, func.min(CustomerImportLine.line)).where(
        CustomerImportLine.import_id == job.id, _one_of(session, CustomerImportLine.customer_id, list(customer_ids)))
        .group_by(CustomerImportLine.customer_id))
    return {customer_id: line for customer_id, line in rows}


def _describe(customer: Customer) -> str:
    return f"{customer.name} ({f'external id {customer.external_id}' if customer.external_id else 'no external id'})"


def _match(parsed: Parsed, by_id: dict[str, Any], by_email: dict[str, Any]) -> tuple[Any, str]:
    """The customer this line is about, or an empty match with the reason it is refused."""
    email, external_id = parsed.email, parsed.external_id
    found = by_id.get(external_id) if external_id else None
    holder = by_email.get(email) if email else None
    if found is not None:
        if holder is not None and holder.id != found.id:
            return None, (f"External id {external_id} is {found.name}'s, but {email} is the address of another "
                          f"customer, {_describe(holder)}. Merge the two records first (from a customer's page).")
        return found, ""
    if holder is not None and external_id and holder.external_id and holder.external_id != external_id:
        return None, (f"{email} is the address of {_describe(holder)}, not of external id {external_id}. "
                      "Correct the line or the record.")
    return holder, ""


def _changes(customer: Customer, values: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in values.items():
        current = getattr(customer, name)
        if name == "email":
            if current.lower() != value:
                changes[name] = value
        elif current != value:
            changes[name] = value
    return changes


def _decide(session: Session, job: CustomerImport, batch: list[Parsed], *, previewed: dict[int, str] | None
            ) -> list[Outcome]:
    """What each line of ``batch`` does. In the preview (``previewed`` None) repeats are found among the lines
    checked before; when importing, the preview's repeats and refusals stand and the rest is decided again."""
    by_id, by_email = _existing(session, batch)
    earlier_by_id: dict[str, int] = {}
    earlier_by_email: dict[str, tuple[int, str]] = {}
    if previewed is None:
        for row in _earlier_lines(session, job, batch):
            if row.external_id:
                earlier_by_id.setdefault(row.external_id, row.line)
            if row.email:
                earlier_by_email.setdefault(row.email, (row.line, row.external_id))
    matches: dict[int, tuple[Customer | None, str]] = {}
    for parsed in batch:
        if not parsed.errors:
            matches[parsed.line] = _match(parsed, by_id, by_email)
    claimed = _matched_before(session, job, {c.id for c, _ in matches.values() if c is not None}) \
        if previewed is None else {}
    outcomes = []
    for parsed in batch:
        if parsed.errors:
            outcomes.append(Outcome(parsed.line, "refused", " ".join(parsed.errors), email=parsed.shown_email,
                                    external_id=parsed.external_id, name=parsed.shown_name))
            continue
        base = {"line": parsed.line, "email": parsed.email, "external_id": parsed.external_id,
                "name": parsed.values.get("name", "")}
        if previewed is not None and previewed.get(parsed.line) in ("merged", "refused"):
            outcomes.append(Outcome(action=previewed[parsed.line], message="", **base))
            continue
        outcome = _repeat(parsed, earlier_by_id, earlier_by_email, base) if previewed is None else None
        if outcome is None:
            customer, refusal = matches[parsed.line]
            if refusal:
                outcome = Outcome(action="refused", message=refusal, **base)
            elif customer is not None and customer.id in claimed:
                outcome = Outcome(action="refused", customer=None, **base,
                                  message=f"Line {claimed[customer.id]} is already about {_describe(customer)}, "
                                          "by another address or id. Correct one of the two lines.")
            elif customer is None:
                if "name" not in parsed.values:
                    outcome = Outcome(action="refused", message="The name is missing; a new customer needs one.",
                                      **base)
                elif not parsed.email and not EMAIL_OPTIONAL:
                    outcome = Outcome(action="refused", **base,
                                      message="The e-mail address is missing; a new customer needs one.")
                else:
                    outcome = Outcome(action="create", message="New customer.", changes=dict(parsed.values), **base)
            else:
                changes = _changes(customer, parsed.values)
                base["name"] = base["name"] or customer.name
                if changes:
                    outcome = Outcome(action="update", customer=customer, changes=changes, **base,
                                      message="Changes: " + ", ".join(LABELS[n].lower() for n in changes) + ".")
                else:
                    outcome = Outcome(action="unchanged", customer=customer, message="Already up to date.", **base)
                claimed.setdefault(customer.id, parsed.line)
        if outcome.action in ("create", "update", "unchanged") and previewed is None:
            if parsed.external_id:
                earlier_by_id.setdefault(parsed.external_id, parsed.line)
            if parsed.email:
                earlier_by_email.setdefault(parsed.email, (parsed.line, parsed.external_id))
        outcomes.append(outcome)
    return outcomes


def _repeat(parsed: Parsed, by_id: dict[str, int], by_email: dict[str, tuple[int, str]], base: dict[str, Any]
            ) -> Outcome | None:
    if parsed.external_id and parsed.external_id in by_id:
        line = by_id[parsed.external_id]
        return Outcome(action="merged", **base, message=f"Repeat of line {line} (the same external id): merged "
                                                        f"into it; line {line}'s values are imported.")
    if parsed.email and parsed.email in by_email:
        line, external_id = by_email[parsed.email]
        if parsed.external_id and external_id and external_id != parsed.external_id:
            return Outcome(action="refused", **base, message=f"Line {line} gives {parsed.email} to external id "
                                                             f"{external_id}; one address belongs to one customer.")
        return Outcome(action="merged", **base, message=f"Repeat of line {line} (the same e-mail address): merged "
                                                        f"into it; line {line}'s values are imported.")
    return None


def _update(session: Session, customer_id: int, changes: dict[str, Any]) -> None:
    values = dict(changes)
    if "email" in values:  # a new address ends the account's sessions, as every change of address does
        values["session_generation"] = Customer.session_generation + 1
    session.execute(update(Customer).where(Customer.id == customer_id).values(values)
                    .execution_options(synchronize_session=False))


def _insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """The batch's rows at once: COPY on PostgreSQL (psycopg would otherwise send a statement per row, or parse a
    statement of ten thousand parameters per batch), executemany on SQLite (its driver's own loop)."""
    if not rows:
        return
    table = model.__table__
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    defaults = {c.name: c.default for c in table.columns if c.default is not None and c.name not in rows[0]}
    names = [*rows[0], *defaults]
    given = list(rows[0])
    with connection.connection.cursor() as cursor, cursor.copy(
            f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([*(row[n] for n in given),
                            *(d.arg(None) if d.is_callable else d.arg for d in defaults.values())])


def _beat(session: Session, job: CustomerImport, done: int, counts: dict[str, int], *, attribute: str,
          growing: str | None) -> None:
    """Report the progress, commit the batch, and start the next with an empty session (memory stays flat)."""
    job.lines_done = done
    setattr(job, attribute, dict(counts))
    job.heartbeat_at = utcnow()
    session.commit()
    batches = -(-done // BATCH)
    if growing and session.get_bind().dialect.name == "postgresql" and batches & (batches - 1) == 0:
        # A table growing fast from (nearly) nothing: the planner would still take this import's lines for a few
        # and scan all of them for each batch; fresh statistics at batches 1, 2, 4, 8… keep it on the indexes.
        session.execute(text(f"ANALYZE {growing}"))
        session.commit()
    session.expunge_all()
    session.add(job)


def check(session: Session, job: CustomerImport, path: Path, *, today: date) -> CustomerImport:
    """The preview: what every line will do, written line by line; nothing about customers changes."""
    try:
        columns, width = _header(path)
    except ImportRefused as refused:
        job.status, job.problems, job.finished_at = "refused", [str(refused)], utcnow()
        session.commit()
        return job
    job.columns = columns.describe()
    counts = dict.fromkeys(ACTIONS, 0)
    done = 0
    for batch in _batches(path, columns, width, today):
        outcomes = _decide(session, job, batch, previewed=None)
        _insert_rows(session, CustomerImportLine, [o.row(job.id) for o in outcomes])
        for outcome in outcomes:
            counts[outcome.action] += 1
        done += len(batch)
        _beat(session, job, done, counts, attribute="preview_counts", growing="customer_import_line")
    if not done:
        job.status, job.problems = "refused", ["The file has no customers below its first line."]
    else:
        job.status = "checked"
    job.lines_total, job.finished_at = done, utcnow()
    session.commit()
    return job


def confirm(session: Session, job: CustomerImport, *, by: Employee) -> None:
    require(may_see(by, job), "That import belongs to another team.")
    if job.status != "checked":
        raise ImportRefused("This import has already run." if job.status in ("importing", "done")
                            else "This file cannot be imported; choose it again once it is corrected.")
    # One confirmation starts one import, even when two arrive at once (a double click): the row moves only once.
    moved = session.execute(update(CustomerImport).where(CustomerImport.id == job.id,
                                                         CustomerImport.status == "checked")
                            .values(status="importing", lines_done=0, heartbeat_at=utcnow(), finished_at=None)
                            .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise ImportRefused("This import has already run.")
    session.refresh(job)


def run(session: Session, job: CustomerImport, path: Path, *, by: Employee, today: date) -> CustomerImport:
    """Import the lines the preview accepted, batch by batch, deciding each again against the records as they are
    now; a result count per action and an audit row at the end."""
    columns, width = _header(path)
    counts = dict.fromkeys(ACTIONS, 0)
    done = 0
    for batch in _batches(path, columns, width, today):
        previewed = dict(session.execute(select(CustomerImportLine.line, CustomerImportLine.action).where(
            CustomerImportLine.import_id == job.id,
            CustomerImportLine.line.between(batch[0].line, batch[-1].line))).all())
        outcomes = _decide(session, job, batch, previewed=previewed)
        new = []
        for outcome in outcomes:
            counts[outcome.action] += 1
            if outcome.action == "update" and outcome.customer is not None:
                _update(session, outcome.customer.id, outcome.changes)
            elif outcome.action == "create":
                new.append({**NEW_CUSTOMER, **outcome.changes})  # every row has every key of NEW_CUSTOMER
        session.flush()
        if new:
            _insert_rows(session, Customer, new)
        refused_now = [o.line for o in outcomes if o.action == "refused" and previewed.get(o.line) != "refused"]
        if refused_now:  # the records changed since the preview: say so on the line
            session.execute(update(CustomerImportLine).where(
                CustomerImportLine.import_id == job.id, CustomerImportLine.line.in_(refused_now)).values(
                action="refused", message="Refused when importing: the records changed since the preview."))
        done += len(batch)
        _beat(session, job, done, counts, attribute="result_counts",
              growing="customer" if counts["create"] > done // 2 else None)
    job.status, job.finished_at = "done", utcnow()
    actor = session.get(Employee, by.id)
    record(session, actor=actor, action="import", entity="customer", entity_id=None,
           summary=f"Imported customers from {job.filename}: " + summary(counts),
           after={"import_id": job.id, "file": job.filename, "lines": done, **counts})
    session.commit()
    return job


def summary(counts: dict[str, int]) -> str:
    def n(count: int, one: str, many: str) -> str:
        return f"{count:,} {one if count == 1 else many}"

    return ", ".join([n(counts.get("create", 0), "created", "created"), n(counts.get("update", 0), "updated",
                      "updated"), n(counts.get("unchanged", 0), "unchanged", "unchanged"),
                      n(counts.get("merged", 0), "repeat merged", "repeats merged"),
                      n(counts.get("refused", 0), "refused", "refused")]) + "."


def fail(session: Session, job_id: int, message: str) -> None:
    session.rollback()
    job = session.get(CustomerImport, job_id)
    if job is not None:
        job.status, job.problems, job.finished_at = "failed", [message], utcnow()
        session.commit()


def lines(session: Session, job: CustomerImport, *, only: str | None, after: int, per_page: int = 100
          ) -> list[CustomerImportLine]:
    """One page of the preview, by line number (keyset: the lines after line ``after``)."""
    query = select(CustomerImportLine).where(CustomerImportLine.import_id == job.id,
                                             CustomerImportLine.line > after)
    if only in ACTIONS:
        query = query.where(CustomerImportLine.action == only)
    return list(session.scalars(query.order_by(CustomerImportLine.line).limit(per_page)))
