"""The production server as shipped (gunicorn with gunicorn.conf.py) keeps answering while clients are slow."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stdout.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


@pytest.fixture
def production_server(tmp_path: Path) -> Iterator[str]:
    database = tmp_path / "portal.sqlite3"
    upgrade(f"sqlite:///{database}")
    port = free_port()
    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-production",
        "DATABASE_URL": f"sqlite:///{database}",
        "PORTAL_INSTANCE": str(tmp_path),
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",  # as few as the probe's server had
        "GUNICORN_ACCESS_LOG": "",
    }
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def test_healthz_answers_within_a_second_while_two_uploads_trickle_in(production_server: str) -> None:
    host, port = production_server.split(":")
    slow = []
    for _ in range(SLOW_CLIENTS):
        connection = socket.create_connection((host, int(port)))
        # A form that announces 1 MB and sends a few bytes, then waits, as a phone on a bad line might. (With the
        # old 2 sync workers, or GUNICORN_WORKER_CLASS=sync GUNICORN_THREADS=1, /healthz then times out.)
        connection.sendall(b"POST /tell-us HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\n"
                           b"what_happened=My+seat")
        slow.append(connection)
    try:
        time.sleep(0.5)  # both slow requests are now with the workers
        started = time.monotonic()
        with urllib.request.urlopen(f"http://{production_server}/healthz", timeout=5) as response:
            assert response.status == 200
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert time.monotonic() - started < 1.0
    finally:
        for connection in slow:
            connection.close()
