"""The pages measured, one entry each: add a page here and every part of `make bench` measures it."""

from __future__ import annotations

from dataclasses import dataclass

from bench.dataset import BenchData


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str = ""  # "agent", "manager" or "" for a visitor
    method: str = "GET"
    target: float = 0.5  # throughput as a ratio of hello-world's in the same run
    server_ms: float = 0.0  # the median time the app spends on it in-process (bench.server_time); 0: no target


QUEUE_MS = 5.0  # the redesigned queues and case page (#18): no more server time than this


def pages(data: BenchData) -> list[Page]:
    return [
        Page("home page", "/"),
        Page("filing form", "/tell-us"),
        Page("filing (POST)", "/tell-us", method="POST", target=0.2),
        Page("customer case page", f"/my-case/{data.case_token}"),
        Page("You said, we did index", "/you-said-we-did/"),
        Page("a change page", f"/you-said-we-did/{data.change_slug}"),
        Page("my cases (agent)", "/staff/cases", who="agent", target=0.3, server_ms=QUEUE_MS),
        Page("team queue (manager)", "/staff/team", who="manager", target=0.3, server_ms=QUEUE_MS),
        Page("staff case page (agent)", f"/staff/cases/{data.case_reference}", who="agent", target=0.3,
             server_ms=QUEUE_MS),
        Page("search results (manager)", "/staff/search?q=turnstile", who="manager", target=0.3, server_ms=QUEUE_MS),
        Page("dashboard (manager, 12 months)", "/staff/metrics/?period=12m", who="manager", target=0.3),
    ]
