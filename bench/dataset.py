"""A realistic data set of any size: Core bulk inserts in chunks on SQLite, COPY on PostgreSQL.

Default 20,000 cases and 5,000 customers; `--cases 1000000` with a PostgreSQL URL for the large run."""

from __future__ import annotations

import enum
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.orm import Session

from portal.auth.models import Employee, Role, Team
from portal.auth.passwords import hash_password
from portal.cases.customer_access import issue_link
from portal.cases.models import Case, CaseKind, CaseStatus, Category, Channel, Customer, Event
from portal.cases.search_schema import POSTGRES_REBUILD_TIMELINE_WORDS
from portal.changes.models import Change, ChangeStatus, Theme, ThemeCase
from portal.db import utcnow
from portal.demo import CATEGORIES, EMPLOYEES, STORIES, TEAMS
from portal.metrics.milestone_sync import rebuild as rebuild_milestones

PASSWORD = "bench-password-123"
# Internal notes on about one case in five, so the search finds words of the timeline too (their own random
# numbers: the rest of the data set is the same as before they were added).
NOTES = [
    "Called {name} back about the refund; they would rather have a credit for the next match.",
    "Checked the turnstile logs: the card was scanned twice and refused both times.",
    "Posted a parking voucher to {name} with an apology letter.",
    "Spoke to the kiosk supervisor, who confirmed the oven broke down before half-time.",
    "Asked the stewarding manager for the CCTV from gate {gate}.",
    "{name} prefers a phone call in the evening; voicemail is fine.",
]
OPEN_CASES, OPEN_DAYS = 600, 14
CHUNK = 5000


@dataclass(frozen=True)
class BenchData:
    cases: int
    customers: int
    agent_email: str
    manager_email: str
    case_token: str
    change_slug: str
    admin_email: str = ""
    case_reference: str = ""  # the agent's first case, for the staff case page


def build(engine: Engine, *, cases: int = 20_000, customers: int = 5_000, changes: int = 300,
          seed: int = 7) -> BenchData:
    rng = random.Random(seed)
    note_rng = random.Random(seed + 1)
    now = utcnow()
    with Session(engine) as session:
        if session.scalar(select(func.count()).select_from(Case)):
            raise SystemExit("The bench database is not empty; give a fresh one.")
        teams = {name: Team(name=name) for name in TEAMS}
        session.add_all(teams.values())
        password = hash_password(PASSWORD)
        staff = []
        for name, title, role, team, limit in EMPLOYEES:
            employee = Employee(name=name, email=name.lower().replace(" ", ".") + "@bench.example", job_title=title,
                                role=role, team=teams[team] if team else None, authority_limit=Decimal(limit),
                                password_hash=password)
            staff.append(employee)
            if role is Role.manager and team:
                teams[team].manager = employee
        session.add_all(staff)
        categories = [Category(name=n, description=d, team=teams[t], first_response_hours=f, resolution_hours=r)
                      for n, d, t, f, r in CATEGORIES]
        session.add_all(categories)
        session.commit()
        agents_by_team = {t.id: [e.id for e in staff if e.team_id == t.id and e.role is Role.agent]
                          for t in teams.values()}
        category_rows = [(c.id, c.team_id, c.name, c.first_response_hours, c.resolution_hours) for c in categories]
        stories = {name: [s for s in STORIES if s[0] == name] for name, *_ in CATEGORIES}

    postgres = engine.dialect.name == "postgresql"
    writer = _copy_writer if postgres else _insert_writer
    with engine.begin() as conn:
        write = writer(conn)
        if postgres:  # the timeline's words go onto the cases once, after the load (below), not event by event
            conn.execute(text("ALTER TABLE event DISABLE TRIGGER event_timeline_words"))
        first_customer = _next_id(conn, Customer)
        write(Customer, [
            {"id": first_customer + i, "email": f"fan{i}@bench.example", "name": f"Fan {i}",
             "phone": f"+44 7700 {i % 1_000_000:06d}",
             "preferred_contact": "email", "lifetime_spend": Decimal(rng.randint(20, 5000)), "membership": "",
             "email_undeliverable": False, "created_at": now}
            for i in range(customers)])
        first_case = _next_id(conn, Case)
        year_counter: dict[int, int] = {}
        # Open cases are bounded by the people working them, not by the size of the history: about OPEN_CASES
        # of the last fortnight's cases are still open, whatever the data set's size; the rest are done.
        open_share = min(1.0, OPEN_CASES / max(1.0, cases * OPEN_DAYS / 365))
        contact_rng = random.Random(seed + 1)  # its own draws, so the rest of the data set stays as it was
        for start in range(0, cases, CHUNK):
            rows, events = [], []
            for i in range(start, min(cases, start + CHUNK)):
                cat_id, team_id, cat_name, frh, rh = category_rows[i % len(category_rows)]
                story = rng.choice(stories[cat_name] or STORIES)
                filed = now - timedelta(days=rng.uniform(0, 365))
                year_counter[filed.year] = year_counter.get(filed.year, 0) + 1
                if now - filed < timedelta(days=OPEN_DAYS) and rng.random() < open_share:
                    status = rng.choice([CaseStatus.new, CaseStatus.acknowledged, CaseStatus.acknowledged])
                else:
                    status = rng.choice([CaseStatus.resolved, CaseStatus.closed, CaseStatus.closed])
                owner = rng.choice(agents_by_team[team_id])
                case_id = first_case + i
                rows.append({
                    "id": case_id, "reference": f"MIR-{filed.year}-{year_counter[filed.year]:06d}",
                    "kind": CaseKind.complaint, "channel": Channel.web, "status": status,
                    "customer_id": first_customer + i % customers,
                    "category_id": cat_id, "owner_id": owner,
                    "what_happened": story[1], "make_it_right": story[2], "better_in_future": story[3],
                    "booking_reference": f"BK-{case_id:07d}" if i % 3 == 0 else "", "preferred_contact": "email",
                    "consent_to_contact": i % 3 == 0,
                    "needs_manager": False, "created_at": filed, "updated_at": filed,
                    "first_response_due": filed + timedelta(hours=frh), "resolution_due": filed + timedelta(hours=rh),
                    "last_customer_activity_at": filed,
                })
                timeline = _timeline(rng, case_id, filed, status, owner, agents_by_team[team_id], now)
                rows[-1]["first_responded_at"] = next((e["at"] for e in timeline if e["kind"] == "reply"), None)
                if note_rng.random() < 0.2 and len(timeline) > 1:
                    body = note_rng.choice(NOTES).format(name=f"Fan {i % customers}", gate=note_rng.randint(1, 12))
                    timeline.insert(2, {**_event(case_id, timeline[1]["at"], "note", by=owner, body=body),
                                        "public": False})
                rows[-1].update(_contact(contact_rng))
                events.extend(timeline)
            write(Case, rows)
            write(Event, events)
        if postgres:
            conn.execute(text("ALTER TABLE event ENABLE TRIGGER event_timeline_words"))
            conn.execute(text(POSTGRES_REBUILD_TIMELINE_WORDS))
        _restart_sequences(conn, Customer, Case)
        from portal.cases.models import CaseReferenceCounter

        conn.execute(insert(CaseReferenceCounter), [{"year": y, "last": n} for y, n in year_counter.items()])
        # The events went in around the ORM, so the milestones the app keeps per case are computed once here.
        rebuild_milestones(conn)
        # Fresh statistics, as autovacuum (or a nightly ANALYZE) would give a database that grew this large.
        conn.execute(text("ANALYZE"))

    with Session(engine, expire_on_commit=False) as session:
        manager = session.scalar(select(Employee).where(Employee.role == Role.manager).order_by(Employee.id))
        agent = session.scalar(select(Employee).where(Employee.role == Role.agent).order_by(Employee.id))
        case = session.scalar(select(Case).where(Case.owner_id == agent.id).order_by(Case.id))
        token = issue_link(session, case)
        slug = seed_changes(session, count=changes, by=manager)
        session.commit()
        admin = session.scalar(select(Employee).where(Employee.role == Role.admin).order_by(Employee.id))
        return BenchData(cases, customers, agent.email, manager.email, token, slug, admin.email if admin else "",
                         case.reference)


def seed_changes(session: Session, *, count: int, by: Employee) -> str:
    """Published changes, each over a theme linking a handful of cases."""
    case_ids = list(session.scalars(select(Case.id).order_by(Case.id).limit(count * 5)))
    now = utcnow()
    slug = ""
    for n in range(count):
        theme = Theme(title=f"Theme {n}", created_by=by)
        session.add(theme)
        session.flush()
        session.add_all(ThemeCase(theme_id=theme.id, case_id=cid, added_by_id=by.id)
                        for cid in case_ids[n * 5:(n + 1) * 5])
        slug = f"change-{n}"
        session.add(Change(theme=theme, slug=slug, title=f"Change number {n} after your feedback",
                           you_said="Queues at half-time were too long.", we_did="We opened two more tills.",
                           status=ChangeStatus.done, published=True, published_at=now - timedelta(hours=n),
                           created_by=by))
    return slug


def _event(case_id: int, at: datetime, kind: str, *, by: int | None = None, body: str = "",
           detail: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"case_id": case_id, "at": at, "kind": kind, "employee_id": by, "by_customer": by is None,
            "public": True, "body": body, "detail": detail or {}}


# How cases come in, and how often a call's or a visit's times were written down.
CHANNEL_MIX = [(Channel.web, 45), (Channel.email, 25), (Channel.phone, 18), (Channel.in_person, 6),
               (Channel.letter, 3), (Channel.social, 3)]


def _contact(rng: random.Random) -> dict[str, Any]:
    """A case's channel, and for a call (mostly) or a visit (sometimes) its talk and hold time in seconds."""
    channel = rng.choices([c for c, _ in CHANNEL_MIX], weights=[w for _, w in CHANNEL_MIX])[0]
    talk = hold = None
    if channel is Channel.phone:
        talk = rng.randint(40, 1500) if rng.random() < 0.9 else None
        hold = rng.choice([0, 0, rng.randint(5, 420)]) if rng.random() < 0.8 else None
    elif channel is Channel.in_person and rng.random() < 0.5:
        talk = rng.randint(60, 900)
    return {"channel": channel, "talk_seconds": talk, "hold_seconds": hold}


def _timeline(rng: random.Random, case_id: int, filed: datetime, status: CaseStatus, owner: int,
              colleagues: list[int], now: datetime) -> list[dict[str, Any]]:
    """A plausible timeline for a case in ``status``: the reply, handoffs, offers, choices, resolution, rating
    that the dashboard's figures are read from (nothing later than ``now``)."""
    events = [_event(case_id, filed, "filed")]
    if status is CaseStatus.new:
        return events
    at = filed + timedelta(hours=rng.lognormvariate(1.0, 0.8))
    events.append(_event(case_id, at, "reply", by=owner, body="Thank you, I am looking into this now."))
    if rng.random() < 0.1:
        at += timedelta(hours=rng.uniform(0.5, 12))
        other = rng.choice(colleagues)
        events.append(_event(case_id, at, "handoff", by=owner, detail={"from": owner, "to": other}))
        owner = other
    if status is CaseStatus.acknowledged and rng.random() < 0.7:
        return [e for e in events if e["at"] <= now]
    at += timedelta(hours=rng.lognormvariate(2.0, 0.7))
    if rng.random() < 0.2:  # above the owner's authority: a manager approves first
        events.append(_event(case_id, at, "offer_proposed", by=owner))
        at += timedelta(hours=rng.lognormvariate(1.5, 0.8))
        events.append(_event(case_id, at, "offer_approved", by=owner))
    events.append(_event(case_id, at, "offer_sent", by=owner))
    if status is CaseStatus.acknowledged:
        return [e for e in events if e["at"] <= now]
    at += timedelta(hours=rng.lognormvariate(2.5, 0.9))
    events.append(_event(case_id, at, "counter_proposal" if rng.random() < 0.1 else "remedy_chosen"))
    at += timedelta(hours=rng.lognormvariate(2.0, 0.6))
    events.append(_event(case_id, at, "remedy_fulfilled", by=owner))
    events.append(_event(case_id, at, "status", by=owner, detail={"from": "remedy_chosen", "to": "resolved"}))
    if rng.random() < 0.6:
        at += timedelta(hours=rng.uniform(1, 72))
        score = rng.choices([1, 2, 3, 4, 5], weights=[5, 5, 10, 30, 50])[0]
        events.append(_event(case_id, at, "rated", detail={"score": score, "made_it_right": score >= 3}))
    return [e for e in events if e["at"] <= now]


Writer = Callable[[type, list[dict[str, Any]]], None]


def _insert_writer(conn: Connection) -> Writer:
    def write(model: type, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(model), rows[start:start + CHUNK])

    return write


def _copy_writer(conn: Connection) -> Writer:
    """COPY through psycopg: ten times faster than INSERTs for the million-case data set."""
    cursor = conn.connection.driver_connection.cursor()

    def value(v: Any) -> Any:
        if isinstance(v, enum.Enum):
            return v.value
        if isinstance(v, dict):
            return json.dumps(v)
        return v

    def write(model: type, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{model.__tablename__}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([value(row[c]) for c in columns])

    return write


def _next_id(conn: Connection, model: Any) -> int:
    return (conn.scalar(select(func.max(model.id))) or 0) + 1


def _restart_sequences(conn: Connection, *models: Any) -> None:
    """Ids were given explicitly; move PostgreSQL's sequences past them (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                          f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))"))
