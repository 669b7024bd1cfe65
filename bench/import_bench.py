"""The customer import of a large CRM export: the check (the preview) and the import of --lines lines, then the same
file again (every line already up to date), each timed, with the process's peak memory growth during each pass
(its resident set, sampled every 20 ms): flat memory means the same growth at 10,000 lines as at 100,000.

    python -m bench.import_bench [--lines 100000] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

With a PostgreSQL URL a database of the bench's own is created and dropped. Target: 100,000 lines checked and
imported within a minute on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

TARGET_S = 60.0
MEMBERSHIPS = ("Season-ticket holder", "Member", "Junior member", "Hospitality", "")


def write_export(path: Path, lines: int, *, seed: int = 2026) -> None:
    """A ticketing/CRM export as clubs send it: a BOM, spelled headers, an unknown column, £ amounts, a few repeats
    and bad lines (one in a hundred each)."""
    rng = random.Random(seed)
    start = date(1990, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("E-mail address,Full name,Phone,Customer ID,Membership type,Member since,Total spend,"
                  "Contact preferences,Seat\r\n")
        for n in range(lines):
            if n % 100 == 99:
                out.write(f"fan{n - 2}@fans.example,Fan {n - 2},,CRM-{n - 2:07d},,,,,\r\n")  # a repeat
                continue
            if n % 100 == 98:
                out.write(f"not-an-address-{n},Bad Line {n},,CRM-{n:07d},,someday,-1,,\r\n")
                continue
            since = start + timedelta(days=rng.randrange(12000))
            spend = f"£{rng.randrange(0, 900000) / 100:,.2f}"
            out.write(f"fan{n}@fans.example,Fan {n},07700 {n % 1000000:06d},CRM-{n:07d},"
                      f"{MEMBERSHIPS[n % len(MEMBERSHIPS)]},{since.isoformat()},\"{spend}\","
                      f"{'No calls' if n % 7 == 0 else ''},N{n % 40}\r\n")


class PeakMemory:
    """The growth of this process's resident set over a block, sampled from /proc every 20 ms."""

    def __init__(self) -> None:
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.peak = self.start = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _rss(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self.page

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.start) / 2**20, 1)


def _pass(engine, path: Path, by_id: int) -> dict[str, Any]:
    from sqlalchemy.orm import Session

    from portal.auth.models import Employee
    from portal.cases import customer_import

    today = date.today()
    with Session(engine, expire_on_commit=False) as session:
        by = session.get(Employee, by_id)
        job = customer_import.start(session, filename=path.name, stored_name=path.name, size=path.stat().st_size,
                                    by=by)
        session.commit()
        with PeakMemory() as check_memory:
            started = time.perf_counter()
            customer_import.check(session, job, path, today=today)
            check_s = time.perf_counter() - started
        customer_import.confirm(session, job, by=by)
        session.commit()
        with PeakMemory() as run_memory:
            started = time.perf_counter()
            customer_import.run(session, job, path, by=by, today=today)
            run_s = time.perf_counter() - started
        return {"check_s": round(check_s, 1), "import_s": round(run_s, 1), "total_s": round(check_s + run_s, 1),
                "check_peak_growth_mb": check_memory.growth_mb, "import_peak_growth_mb": run_memory.growth_mb,
                "counts": dict(job.result_counts)}


def measure_customer_import(lines: int = 100_000, database_url: str = "") -> dict[str, Any]:
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import Session

    from bench.run import prepare_database
    from portal.auth.models import Employee, Role
    from portal.db import make_engine
    from portal.migrate import upgrade

    workdir = Path(tempfile.mkdtemp(prefix="mir-import-bench-"))
    url, drop = prepare_database(database_url or None, workdir)
    try:
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            manager = Employee(name="Bench Manager", email="bench-import@staff.example", role=Role.manager,
                               password_hash="x")
            session.add(manager)
            session.commit()
            manager_id = manager.id
        path = workdir / "crm-export.csv"
        write_export(path, lines)
        first = _pass(engine, path, manager_id)
        again = _pass(engine, path, manager_id)
        engine.dispose()
        return {"lines": lines, "file_mb": round(path.stat().st_size / 2**20, 1),
                "database": make_url(url).get_backend_name(), "first_import": first, "same_file_again": again,
                "target_s": TARGET_S, "met": first["total_s"] < TARGET_S and again["total_s"] < TARGET_S}
    finally:
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def describe(result: dict[str, Any]) -> str:
    first, again = result["first_import"], result["same_file_again"]
    return (f"customer import, {result['lines']:,} lines ({result['file_mb']} MB) on {result['database']}: "
            f"first {first['check_s']} s check + {first['import_s']} s import = {first['total_s']} s "
            f"(peak growth {first['check_peak_growth_mb']} / {first['import_peak_growth_mb']} MB); "
            f"same file again {again['total_s']} s (all up to date: {again['counts'].get('unchanged', 0):,}); "
            f"target < {result['target_s']:.0f} s: {'PASS' if result['met'] else 'MISS'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    result = measure_customer_import(args.lines, args.database_url)
    print(describe(result))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
