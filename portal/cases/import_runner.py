"""Runs a customer import's pass (the check, or the import once confirmed) with a session of its own: on a
background thread for the web (the progress page reads the job's row), or at once for tests and the bench.

The thread is the simplest honest design for one process: a pass commits every batch and reports a heartbeat,
so the progress page is right from any worker, and a pass stopped by a restart shows as stopped (starting the same
file again is safe: an import matches what it already made)."""

from __future__ import annotations

import logging
import threading
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from portal.auth.models import Employee
from portal.cases import customer_import
from portal.cases.models import CustomerImport

log = logging.getLogger(__name__)
STOPPED = "The import stopped on an unexpected error; nothing after the last batch was saved. Start it again: " \
          "importing the same file again is safe."


def run_pass(engine: Engine, job_id: int, folder: Path, *, by_id: int, today: date) -> None:
    with Session(engine, expire_on_commit=False) as session:
        job = session.get(CustomerImport, job_id)
        if job is None:
            return
        path = folder / job.stored_name
        try:
            if job.status == "checking":
                job = customer_import.check(session, job, path, today=today)
                if job.status == "refused":
                    path.unlink(missing_ok=True)
            elif job.status == "importing":
                by = session.get(Employee, by_id)
                customer_import.run(session, job, path, by=by, today=today)
                path.unlink(missing_ok=True)
        except Exception:
            log.exception("customer import %s stopped", job_id)
            customer_import.fail(session, job_id, STOPPED)


def start_pass(engine: Engine, job_id: int, folder: Path, *, by_id: int, today: date, background: bool = True
               ) -> None:
    if not background:
        run_pass(engine, job_id, folder, by_id=by_id, today=today)
        return
    threading.Thread(target=run_pass, args=(engine, job_id, folder), kwargs={"by_id": by_id, "today": today},
                     name=f"customer-import-{job_id}", daemon=True).start()
