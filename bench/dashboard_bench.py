"""The manager's dashboard over a whole year of cases: render time in-process (the server's own time, no network)
and over HTTP from gunicorn, each the median of several sequential requests.

Run by `make bench` on PostgreSQL (`--dashboard-cases 100000` by default, `--dashboard-cases 1000000` for the
large run); the target is under 500 ms at 100,000 cases."""

from __future__ import annotations

import http.client
import re
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.dataset import PASSWORD, BenchData

TARGET_MS = 500.0


def year_path(today: date | None = None) -> str:
    """The dashboard for the year the data set spans (every case in it), by week, grouped by team."""
    from portal.db import utcnow

    today = today or utcnow().date()
    first = today - timedelta(days=366)
    return f"/staff/metrics/?period=custom&from={first.isoformat()}&to={today.isoformat()}&group=team&grain=week"


def _summary(samples: list[float]) -> dict[str, Any]:
    return {"median_ms": round(statistics.median(samples), 1), "min_ms": round(min(samples), 1),
            "max_ms": round(max(samples), 1), "runs": len(samples)}


def measure_in_process(url: str, data: BenchData, workdir: Path, *, runs: int = 7) -> dict[str, Any]:
    """The request served by the app in this process (Flask's test client): SQL, figures, charts and template,
    for an admin (who sees every team, so every case of the year)."""
    from portal.app import create_app

    app = create_app({"PORTAL_ENV": "test", "SECRET_KEY": "bench-dashboard-secret-long-enough", "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False, "OUTBOX_DIR": str(workdir / "outbox")})
    client = app.test_client()
    page = client.get("/staff/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    client.post("/staff/sign-in", data={"email": data.admin_email, "password": PASSWORD,
                                        "csrf_token": token.group(1) if token else ""})
    path = year_path()
    first = client.get(path)  # warm caches (templates, statement cache)
    assert first.status_code == 200, first.status_code
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    build = _time_build(app, runs=runs)
    return {"path": path, "request": _summary(samples), "figures_only": build}


def _time_build(app: Any, *, runs: int) -> dict[str, Any]:
    """dashboard.build alone (the SQL and the figures, no template), to see where the time goes."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from portal.auth.models import Employee, Role
    from portal.db import db, utcnow
    from portal.metrics import dashboard
    from portal.metrics.periods import period_for

    samples = []
    with app.app_context():
        zone = ZoneInfo(app.config.get("ORG_TIMEZONE", "Europe/London"))
        today = utcnow().astimezone(zone).date()
        period = period_for("custom", today=today, zone=zone, start=today - timedelta(days=366), end=today)
        admin = db.session.scalar(select(Employee).where(Employee.role == Role.admin).order_by(Employee.id))
        scope = dashboard.scope_for(db.session, admin)
        for _ in range(runs):
            started = time.perf_counter()
            built = dashboard.build(db.session, period, scope, now=utcnow(), zone=zone)
            samples.append((time.perf_counter() - started) * 1000)
        cases = built.headline.cases
        db.session.remove()
    return {**_summary(samples), "cases_in_period": cases}


def measure_http(port: int, cookie: str, *, runs: int = 7) -> dict[str, Any]:
    """Sequential GETs to gunicorn over a kept-alive connection: what a manager waits for, network included."""
    path = year_path()
    samples = []
    for n in range(runs + 1):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        if response.status != 200:  # e.g. gunicorn's 30 s worker timeout
            return {"error": f"HTTP {response.status} after {elapsed:.0f} ms"}
        if n:  # the first request warms the worker
            samples.append(elapsed)
    return _summary(samples)
