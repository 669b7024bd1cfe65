"""The server's own time per page: each GET page of bench.pages served in this process by Flask's test client
(SQL, Python and template; no network, no gunicorn), the median of several sequential requests after a warm-up.
A page with a `server_ms` target (the queues: 5 ms) passes when its median is under it."""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.dataset import BenchData
from bench.pages import pages
from bench.queries import _client_for


def server_times(app: Any, data: BenchData, *, runs: int = 21) -> dict[str, dict[str, Any]]:
    times: dict[str, dict[str, Any]] = {}
    for page in pages(data):
        if page.method != "GET":
            continue
        client = _client_for(app, page.who, data)
        for _ in range(3):  # warm per-process caches (templates, statements, the organisation's name)
            client.get(page.path)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(page.path)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (page.path, response.status_code)
        median = statistics.median(samples)
        times[page.name] = {"median_ms": round(median, 2), "min_ms": round(min(samples), 2),
                            "target_ms": page.server_ms or None,
                            "met": None if not page.server_ms else median <= page.server_ms}
    return times
