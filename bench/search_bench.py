"""The staff search box: ten representative queries (a reference, a customer's name, address and phone, a booking
reference, rare and common words, two words, a phrase, a word of an internal note), each asked many times by an
agent through the app in this process (Flask's test client: the view, the SQL and the template), and the service
alone (the SQL). Reports p50 and p99 over every request; the target is p50 < 20 ms and p99 < 50 ms at 1,000,000
cases on PostgreSQL.

Run by `make bench` on the bench's data set (20,000 cases on SQLite by default); `--search-only --search-cases
1000000 --database-url postgresql+psycopg://…` builds a data set of its own for the large run."""

from __future__ import annotations

import gc
import re
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.dataset import PASSWORD, BenchData

TARGET_P50_MS, TARGET_P99_MS = 20.0, 50.0


def representative_queries(url: str, agent_email: str) -> list[tuple[str, str]]:
    """(what it stands for, the text typed), taken from the data set: a case of the agent's and its customer."""
    from portal.auth.models import Employee
    from portal.cases.models import Case, Customer
    from portal.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        agent_id = conn.scalar(select(Employee.id).where(Employee.email == agent_email))
        middle = (conn.scalar(select(func.max(Case.id))) or 2) // 2
        case = conn.execute(select(Case.reference, Case.booking_reference, Case.customer_id)  # one of the agent's
                            .where(Case.id >= middle, Case.booking_reference != "", Case.owner_id == agent_id)
                            .order_by(Case.id).limit(1)).one()
        customer = conn.execute(select(Customer.name, Customer.email, Customer.phone)
                                .where(Customer.id == case.customer_id)).one()
    engine.dispose()
    national = "0" + re.sub(r"\D", "", customer.phone)[2:]  # "+44 7700 001234" as typed by the caller: 07700001234
    return [
        ("case reference (jumps)", case.reference),
        ("customer name", customer.name),
        ("customer e-mail", customer.email),
        ("customer phone", f"{national[:5]} {national[5:]}"),
        ("booking reference", case.booking_reference),
        ("rare word", "helpline"),
        ("common word", "refund"),
        ("two words", "turnstile scan"),
        ("phrase", '"half-time"'),
        ("word of a note", "voicemail"),
    ]


def _percentiles(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, max(0, round(0.99 * len(ordered)) - 1))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p99_ms": round(p99, 1),
            "max_ms": round(ordered[-1], 1), "requests": len(ordered)}


def measure(url: str, data: BenchData, workdir: Path, *, runs: int = 20) -> dict[str, Any]:
    """Each query ``runs`` times as the agent, through the page and through the service."""
    from portal.app import create_app

    queries = representative_queries(url, data.agent_email)
    app = create_app({"PORTAL_ENV": "test", "SECRET_KEY": "bench-search-secret-long-enough", "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False, "OUTBOX_DIR": str(workdir / "outbox")})
    gc.freeze()  # as wsgi.py does after start-up
    client = app.test_client()
    page = client.get("/staff/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    client.post("/staff/sign-in", data={"email": data.agent_email, "password": PASSWORD,
                                        "csrf_token": token.group(1) if token else ""})
    per_query, every = [], []
    for name, typed in queries:
        first = client.get("/staff/search", query_string={"q": typed})  # warm: templates, statement cache
        assert first.status_code in (200, 302), (typed, first.status_code)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get("/staff/search", query_string={"q": typed})
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 302), (typed, response.status_code)
        found = _found(first.get_data(as_text=True)) if first.status_code == 200 else "jumps"
        per_query.append({"query": name, "typed": typed, "found": found, **_percentiles(samples)})
        every += samples
    service = _service_only(app, queries, data.agent_email, runs=runs)
    request = _percentiles(every)
    return {"who": "agent", "queries": per_query, "request": request, "service": service,
            "target": {"p50_ms": TARGET_P50_MS, "p99_ms": TARGET_P99_MS},
            "met": request["p50_ms"] < TARGET_P50_MS and request["p99_ms"] < TARGET_P99_MS}


def _found(page: str) -> str:
    match = re.search(r"(\d[\d,]*)( or more)? cases? match", page)
    return (match.group(1) + ("+" if match.group(2) else "")) if match else "?"


def _service_only(app: Any, queries: list[tuple[str, str]], email: str, *, runs: int) -> dict[str, Any]:
    """portal.cases.search alone (the reference's jump, then the search), without the view and template."""
    from portal.auth.models import Employee
    from portal.cases import search
    from portal.db import db

    samples = []
    with app.app_context():
        agent = db.session.scalar(select(Employee).where(Employee.email == email))
        for _name, typed in queries:
            for _ in range(runs):
                started = time.perf_counter()
                if search.jump_target(db.session, typed, agent) is None:
                    search.search(db.session, typed, agent)
                samples.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
        db.session.remove()
    return _percentiles(samples)


def print_result(result: dict[str, Any], cases: int, database: str) -> None:
    request, service = result["request"], result["service"]
    print(f"\nsearch, {cases:,} cases on {database}, as an agent, {request['requests']} requests:")
    print(f"  {'query':<24}{'typed':<26}{'found':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for row in result["queries"]:
        print(f"  {row['query']:<24}{row['typed'][:25]:<26}{row['found']:>8}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}")
    print(f"  page (view, SQL, template)  p50 {request['p50_ms']} ms, p99 {request['p99_ms']} ms   "
          f"target p50 < {TARGET_P50_MS:.0f}, p99 < {TARGET_P99_MS:.0f}: {'PASS' if result['met'] else 'MISS'}")
    print(f"  service alone (SQL)         p50 {service['p50_ms']} ms, p99 {service['p99_ms']} ms", flush=True)
