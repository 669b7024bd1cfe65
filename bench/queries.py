"""SQL statements per request, counted in-process with the test client against the same data set."""

from __future__ import annotations

import re

from sqlalchemy import event

from bench.dataset import PASSWORD, BenchData
from bench.pages import Page, pages


def _client_for(app, who: str, data: BenchData):
    client = app.test_client()
    if who:
        email = data.agent_email if who == "agent" else data.manager_email
        page = client.get("/staff/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        client.post("/staff/sign-in", data={"email": email, "password": PASSWORD,
                                            "csrf_token": token.group(1) if token else ""})
    return client


def count_queries(app, data: BenchData, page: Page) -> int:
    from portal.db import db

    client = _client_for(app, page.who, data)
    if page.method == "POST":
        return -1  # a filing's statements depend on its content; measured by throughput only
    client.get(page.path)  # warm per-process caches
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(page.path)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, (page.path, response.status_code)
    return len(statements)


def all_counts(app, data: BenchData) -> dict[str, int]:
    return {page.name: count_queries(app, data, page) for page in pages(data) if page.method == "GET"}
