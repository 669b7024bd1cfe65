"""`portal worker` as a real process, for the crash tests and bench/outbox_crash.py: start, SIGKILL, stop.

After a kill the database says what that worker had in flight: rows it still held whose attempt had begun (the
provider may have taken those) — the only messages the outbox allows itself to send twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from portal.mail.models import OutboxMessage, OutboxStatus

PORTAL = str(Path(sys.executable).parent / "portal")


def worker_env(db_url: str, sendgrid_url: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PORTAL_ENV="test", SECRET_KEY="test-secret-key-that-is-long-enough", DATABASE_URL=db_url,
               SENDGRID_API_KEY="SG.test", SENDGRID_HOST=sendgrid_url, PORTAL_INSTANCE=str(instance))
    return env


class WorkerProcess:
    """One `portal worker`; its output is drained by threads so a chatty worker never blocks on a full pipe."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen([PORTAL, "worker", *args], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [threading.Thread(target=self._drain, args=(pipe, lines), daemon=True)
                         for pipe, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _drain(pipe, lines: list[str]) -> None:
        for line in pipe:
            lines.append(line)

    def wait_started(self, timeout: float = 180.0) -> str:
        """The worker's id (what its claims carry in ``claimed_by``), once it says it is ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.stdout):
                if line.startswith("Worker ") and " started" in line:
                    return line.split()[1]
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited: {''.join(self.stderr)[-2000:]}")
            time.sleep(0.05)
        raise AssertionError("the worker did not start in time")

    @property
    def started(self) -> bool:
        return any(line.startswith("Worker ") and " started" in line for line in list(self.stdout))

    @property
    def worker_id(self) -> str:
        return self.wait_started()

    def in_flight(self, engine: Engine) -> set[int]:
        """Messages this worker has begun to send and not yet recorded."""
        with engine.connect() as connection:
            return set(connection.scalars(select(OutboxMessage.id).where(
                OutboxMessage.status == OutboxStatus.sending, OutboxMessage.claimed_by == self.worker_id,
                OutboxMessage.attempt_started_at.is_not(None))))

    def kill(self, engine: Engine) -> set[int]:
        """SIGKILL, as a crash or the OOM killer would; returns what it had in flight at that moment."""
        self.wait_started()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        return self.in_flight(engine)

    def stop(self, timeout: float = 30.0, *, signal_first: bool = True) -> int:
        """SIGTERM (unless it is to stop by itself, as with --once): it finishes its batch and exits; returns its
        exit status."""
        if signal_first and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        return code


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def count(engine: Engine, status: OutboxStatus) -> int:
    with engine.connect() as connection:
        return len(connection.scalars(select(OutboxMessage.id).where(OutboxMessage.status == status)).all())
