"""`make bench`: build a data set, serve the app and a hello-world app under gunicorn in the same run, load each
page with wrk from outside the process, and report throughput as a ratio to hello-world, latency, SQL per page and
memory per worker. Results go to bench/results/<time>.json.

    python -m bench.run [--cases 20000] [--customers 5000] [--database-url URL] [--duration 10] [--connections 16]
                        [--dashboard-cases 100000] [--dashboard-runs 7] [--dashboard-only | --skip-dashboard]
                        [--import-lines 100000]
    python -m bench.run --outbox-crash      (only the outbox crash run: bench/outbox_crash.py)
    python -m bench.run --search-only [--search-cases 1000000] [--search-runs 20] [--database-url URL]

The staff search (bench/search_bench.py: ten representative queries, p50 and p99) runs on the same data set after
the pages; `--search-only` builds a data set of --search-cases cases of its own (SQLite, or PostgreSQL with a URL).

With a PostgreSQL URL the run also times the manager's dashboard over one year of --dashboard-cases cases (a data
set and database of its own): in-process and over HTTP, median of --dashboard-runs requests; target < 500 ms at
100,000 cases. `--dashboard-only --dashboard-cases 1000000` is the large run. The extras include the customer
import of --import-lines lines of a CRM export (bench/import_bench.py), on SQLite and, with a URL, on PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.dataset import PASSWORD, BenchData, build
from bench.pages import pages

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
P99_TARGET_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


class Server:
    """gunicorn with 2 sync workers on 127.0.0.1, access log off."""

    def __init__(self, app: str, env: dict[str, str], workdir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}",
             "--error-logfile", str(workdir / f"gunicorn-{self.port}.log"), "--log-level", "warning", app],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{app} did not start; see {workdir}")

    def worker_peak_mb(self) -> list[float]:
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        peaks = []
        for pid in children.split():
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks.append(round(int(match.group(1)) / 1024, 1))
        return peaks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _cookie(response: http.client.HTTPResponse) -> str:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return ""


def session_for(server: Server, email: str | None) -> tuple[str, str]:
    """A session cookie (signed in when ``email`` is given) and its CSRF token, fetched like a browser would."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/staff/sign-in")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = _cookie(response)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    if email:
        body = urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
        conn.request("POST", "/staff/sign-in", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = conn.getresponse()
        response.read()
        cookie = _cookie(response) or cookie
    conn.close()
    return cookie, token


FILING_SCRIPT = """
counter = 0
init = function(args)
  -- each wrk thread has its own Lua state: seed apart so no two threads send the same customer
  math.randomseed(os.time() + tonumber(string.sub(tostring({{}}), -6), 16))
end
request = function()
  counter = counter + 1
  local body = "csrf_token={token}&name=Bench+Fan&email=bench-" .. counter .. "-" .. math.random(1, 1000000000) ..
    "%40fans.example&category_id={category}&what_happened=The+queue+took+ages+" .. counter ..
    "&make_it_right=A+refund&preferred_contact=email"
  return wrk.format("POST", "/tell-us", {{["Content-Type"] = "application/x-www-form-urlencoded",
                                        ["Cookie"] = "{cookie}"}}, body)
end
"""


def wrk(wrk_path: str, url: str, *, duration: int, connections: int, cookie: str = "", script: str = "") -> dict:
    command = [wrk_path, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60).stdout

    def latency(label: str) -> float | None:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50_ms": latency("50%"), "p99_ms": latency("99%"),
            "non_2xx": int(errors.group(1)) if errors else 0}


def prepare_database(url: str | None, workdir: Path) -> tuple[str, callable]:
    if not url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}", lambda: None
    name = f"mir_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    bench_url = make_url(url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return bench_url, drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--changes", type=int, default=300)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""),
                        help="a PostgreSQL server URL; a database of the bench's own is created and dropped")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-extras", action="store_true",
                        help="skip the letter, mail and survey-results measurements")
    parser.add_argument("--dashboard-cases", type=int, default=100_000,
                        help="cases over one year for the dashboard benchmark (PostgreSQL only)")
    parser.add_argument("--dashboard-runs", type=int, default=7)
    parser.add_argument("--search-cases", type=int, default=None,
                        help="cases for --search-only (default: --cases)")
    parser.add_argument("--search-runs", type=int, default=20, help="times each search query is asked")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--import-lines", type=int, default=100_000,
                        help="lines of the CRM export the customer-import benchmark checks and imports")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--dashboard-only", action="store_true", help="only the dashboard benchmark")
    which.add_argument("--skip-dashboard", action="store_true")
    which.add_argument("--search-only", action="store_true", help="only the search benchmark")
    which.add_argument("--outbox-crash", action="store_true",
                       help="only the outbox crash run with its defaults (python -m bench.outbox_crash --help)")
    args = parser.parse_args(argv)
    if args.outbox_crash:
        from bench.outbox_crash import main as outbox_crash

        return outbox_crash(["--database-url", args.database_url] if args.database_url else [])
    if args.dashboard_only:
        return _dashboard_only(args)
    if args.search_only:
        return _search_only(args)

    from portal.db import make_engine
    from portal.migrate import upgrade

    workdir = Path(tempfile.mkdtemp(prefix="mir-bench-"))
    url, drop = prepare_database(args.database_url, workdir)
    servers: list[Server] = []
    try:
        started = time.time()
        upgrade(url)
        engine = make_engine(url)
        data: BenchData = build(engine, cases=args.cases, customers=args.customers, changes=args.changes)
        engine.dispose()
        print(f"Data set: {data.cases:,} cases, {data.customers:,} customers on {make_url(url).get_backend_name()} "
              f"({time.time() - started:.0f} s to build)", flush=True)

        env = dict(os.environ, DATABASE_URL=url, PORTAL_ENV="production", SECRET_KEY=secrets.token_urlsafe(32),
                   RATELIMIT_ENABLED="false", PORTAL_INSTANCE=str(workdir), BASE_URL="http://127.0.0.1")
        env.pop("SENDGRID_API_KEY", None)
        query_counts, server_ms = _query_counts(url, workdir, data)

        wrk_path = ensure_wrk()
        hello = Server("bench.hello:app", env, workdir)
        portal = Server("wsgi:app", env, workdir)
        servers += [hello, portal]
        baseline = wrk(wrk_path, hello.url + "/", duration=args.duration, connections=args.connections)
        sessions = {"": session_for(portal, None), "agent": session_for(portal, data.agent_email),
                    "manager": session_for(portal, data.manager_email)}
        results = []
        for page in pages(data):
            cookie, token = sessions[page.who]
            script = ""
            if page.method == "POST":
                script = str(workdir / "filing.lua")
                Path(script).write_text(FILING_SCRIPT.format(token=token, cookie=cookie, category=_category_id(url)))
            measured = wrk(wrk_path, portal.url + page.path, duration=args.duration, connections=args.connections,
                           cookie=cookie, script=script)
            ratio = measured["rps"] / baseline["rps"] if baseline["rps"] else 0.0
            results.append({"page": page.name, "path": page.path.split("?")[0], **measured, "ratio": round(ratio, 3),
                            "target_ratio": page.target, "queries": query_counts.get(page.name),
                            "server": server_ms.get(page.name),
                            "met": ratio >= page.target and (measured["p99_ms"] or 1e9) <= P99_TARGET_MS
                            and not measured["non_2xx"] and (server_ms.get(page.name) or {}).get("met") is not False})
        memory = portal.worker_peak_mb()
        extras = {} if args.skip_extras else _extras(args.database_url, import_lines=args.import_lines)
        for server in servers:
            server.stop()
        servers.clear()
        report = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cases": data.cases,
                  "customers": data.customers, "database": make_url(url).get_backend_name(),
                  "connections": args.connections, "duration_s": args.duration, "hello_world": baseline,
                  "pages": results, "worker_peak_rss_mb": memory, "extras": extras}
        if not args.skip_search:
            from bench.search_bench import measure as measure_search
            from bench.search_bench import print_result as print_search

            report["search"] = measure_search(url, data, workdir, runs=args.search_runs)
            print_search(report["search"], data.cases, report["database"])
        if not args.skip_dashboard:
            report["dashboard"] = dashboard_benchmark(args.database_url, cases=args.dashboard_cases,
                                                      runs=args.dashboard_runs)
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-{report['database']}-{data.cases}.json"
        out.write_text(json.dumps(report, indent=2))
        _print(report, out)
        return 0
    finally:
        for server in servers:
            server.stop()
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def dashboard_benchmark(server_url: str, *, cases: int, runs: int) -> dict:
    """The dashboard over one year of ``cases`` cases on PostgreSQL, in a database of its own."""
    from bench.dashboard_bench import TARGET_MS, measure_http, measure_in_process
    from portal.db import make_engine
    from portal.migrate import upgrade

    if not server_url or make_url(server_url).get_backend_name() != "postgresql":
        print("\ndashboard benchmark skipped: it needs PostgreSQL (--database-url or BENCH_DATABASE_URL)", flush=True)
        return {"skipped": "needs PostgreSQL"}
    workdir = Path(tempfile.mkdtemp(prefix="mir-bench-dash-"))
    url, drop = prepare_database(server_url, workdir)
    server = None
    try:
        started = time.time()
        upgrade(url)
        engine = make_engine(url)
        data = build(engine, cases=cases, customers=max(1, cases // 4), changes=10)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does soon after a bulk load
        events = _count_events(engine)
        engine.dispose()
        built_s = round(time.time() - started)
        print(f"\nDashboard data set: {cases:,} cases and {events:,} events over one year on PostgreSQL "
              f"({built_s} s to build)", flush=True)
        in_process = measure_in_process(url, data, workdir, runs=runs)
        print(f"  in-process: {json.dumps(in_process)}", flush=True)
        env = dict(os.environ, DATABASE_URL=url, PORTAL_ENV="production", SECRET_KEY=secrets.token_urlsafe(32),
                   RATELIMIT_ENABLED="false", PORTAL_INSTANCE=str(workdir), BASE_URL="http://127.0.0.1")
        env.pop("SENDGRID_API_KEY", None)
        server = Server("wsgi:app", env, workdir)
        cookie, _token = session_for(server, data.admin_email)
        over_http = measure_http(server.port, cookie, runs=runs)
        result = {"cases": cases, "events": events, "build_s": built_s, "in_process": in_process,
                  "http": over_http, "target_ms": TARGET_MS,
                  "met": in_process["request"]["median_ms"] < TARGET_MS}
        _print_dashboard(result)
        return result
    finally:
        if server is not None:
            server.stop()
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def _count_events(engine) -> int:
    from sqlalchemy import func, select

    from portal.cases.models import Event

    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Event))


def _print_dashboard(result: dict) -> None:
    request, figures, http = result["in_process"]["request"], result["in_process"]["figures_only"], result["http"]
    print(f"dashboard, one year, {result['cases']:,} cases ({figures['cases_in_period']:,} in the period), "
          f"median of {request['runs']}:")
    print(f"  in-process request  {request['median_ms']:>8.1f} ms  (min {request['min_ms']}, max {request['max_ms']})"
          f"  target < {result['target_ms']:.0f} ms: {'PASS' if result['met'] else 'MISS'}")
    print(f"  figures only        {figures['median_ms']:>8.1f} ms  (min {figures['min_ms']}, max {figures['max_ms']})")
    if "error" in http:
        print(f"  over HTTP           {http['error']}", flush=True)
    else:
        print(f"  over HTTP           {http['median_ms']:>8.1f} ms  (min {http['min_ms']}, max {http['max_ms']})",
              flush=True)


def _dashboard_only(args: argparse.Namespace) -> int:
    result = dashboard_benchmark(args.database_url, cases=args.dashboard_cases, runs=args.dashboard_runs)
    if "skipped" in result:
        return 1
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-dashboard-postgresql-{args.dashboard_cases}.json"
    out.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **result}, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


def _search_only(args: argparse.Namespace) -> int:
    """The search benchmark on a data set of its own: --search-cases cases (a quarter as many customers)."""
    from bench.search_bench import measure, print_result
    from portal.db import make_engine
    from portal.migrate import upgrade

    cases = args.search_cases or args.cases
    workdir = Path(tempfile.mkdtemp(prefix="mir-bench-search-"))
    url, drop = prepare_database(args.database_url, workdir)
    try:
        started = time.time()
        upgrade(url)
        engine = make_engine(url)
        data = build(engine, cases=cases, customers=max(1, cases // 4), changes=10)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does soon after a bulk load
        engine.dispose()
        database = make_url(url).get_backend_name()
        built_s = round(time.time() - started)
        print(f"Search data set: {cases:,} cases on {database} ({built_s} s to build)", flush=True)
        result = {"cases": cases, "database": database, "build_s": built_s,
                  **measure(url, data, workdir, runs=args.search_runs)}
        print_result(result, cases, database)
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-search-{database}-{cases}.json"
        out.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **result}, indent=2))
        print(f"\nwritten to {out.relative_to(ROOT)}")
        return 0
    finally:
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def _category_id(url: str) -> int:
    from sqlalchemy import select

    from portal.cases.models import Category
    from portal.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.scalar(select(Category.id).order_by(Category.id))
    engine.dispose()
    return value


def _query_counts(url: str, workdir: Path, data: BenchData) -> tuple[dict[str, int], dict[str, dict]]:
    """SQL statements per page, and the server's own time per page (in-process), on one fresh app."""
    from bench.queries import all_counts
    from bench.server_time import server_times
    from portal.app import create_app

    app = create_app({"PORTAL_ENV": "test", "SECRET_KEY": "bench-query-counting-secret", "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False, "OUTBOX_DIR": str(workdir / "outbox"),
                      "PAGE_CACHE_SECONDS": 0})  # count what a fresh render costs, not a cached copy
    return all_counts(app, data), server_times(app, data)


def _extras(database_url: str = "", *, import_lines: int = 100_000) -> dict:
    extras = {}
    from bench.import_bench import describe, measure_customer_import
    from bench.letter_bench import measure_letter_render
    from bench.mail_bench import measure_send_rate
    from bench.survey_bench import measure_survey_results

    extras["letter"] = measure_letter_render()
    extras["mail"] = measure_send_rate()
    extras["survey_results"] = measure_survey_results()
    # The customer import of a CRM export: on SQLite, and on PostgreSQL when a server is named (its own database).
    extras["customer_import_sqlite"] = measure_customer_import(import_lines)
    print(describe(extras["customer_import_sqlite"]), flush=True)
    if database_url and make_url(database_url).get_backend_name() == "postgresql":
        extras["customer_import_postgresql"] = measure_customer_import(import_lines, database_url)
        print(describe(extras["customer_import_postgresql"]), flush=True)
    return extras


def _print(report: dict, out: Path) -> None:
    base = report["hello_world"]
    print(f"\nhello-world baseline: {base['rps']:.0f} req/s, p50 {base['p50_ms']} ms, p99 {base['p99_ms']} ms "
          f"({report['connections']} connections, {report['duration_s']} s each)\n")
    print(f"{'page':<34}{'req/s':>9}{'ratio':>8}{'target':>8}{'p50 ms':>9}{'p99 ms':>9}{'SQL':>6}"
          f"{'srv ms':>8}  result")
    for row in report["pages"]:
        queries = "" if row["queries"] in (None, -1) else row["queries"]
        server = row.get("server") or {}
        own = f"{server['median_ms']:.1f}" + ("/" + f"{server['target_ms']:.0f}" if server.get("target_ms") else "") \
            if server else ""
        print(f"{row['page']:<34}{row['rps']:>9.0f}{row['ratio']:>8.2f}{row['target_ratio']:>8.2f}"
              f"{row['p50_ms'] or 0:>9.1f}{row['p99_ms'] or 0:>9.1f}{queries:>6}{own:>8}  "
              f"{'PASS' if row['met'] else 'MISS'}{' (' + str(row['non_2xx']) + ' errors)' if row['non_2xx'] else ''}")
    print(f"\npeak memory per gunicorn worker: {', '.join(f'{m} MB' for m in report['worker_peak_rss_mb'])}")
    for name, extra in report["extras"].items():
        print(f"{name}: {json.dumps(extra)}")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    raise SystemExit(main())
