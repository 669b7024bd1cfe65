"""End-to-end fixtures: the real app served on 127.0.0.1 in a thread, driven by Debian's Chromium.

Use `live_server` (its `.url`, `.app`, `.outbox_dir`, `.session()`), `browser`, and `page` (desktop) or
`phone_page` (a 375x740 touch viewport). `check_accessibility(page)` fails on serious or critical axe
violations, `no_duplicate_ids(page)` on an id twice; `screenshot(page, name)` saves under test-output/screenshots/."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from portal.app import set_base_url
from tests.conftest import make_test_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@dataclass
class LiveServer:
    url: str
    app: object
    outbox_dir: Path

    def session(self) -> Session:
        from portal.db import db

        return Session(db.engine, expire_on_commit=False)

    def emails(self) -> list:
        from email import policy
        from email.parser import BytesParser

        return [
            BytesParser(policy=policy.default).parsebytes(p.read_bytes())
            for p in sorted(self.outbox_dir.glob("*.eml"))
        ]


@pytest.fixture
def live_server(sqlite_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    # CSRF stays on: the browser goes through the real forms.
    app = make_test_app(sqlite_url, tmp_path, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.socket.getsockname()[1]
    set_base_url(app, f"http://127.0.0.1:{port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app, tmp_path / "outbox")
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (`apt-get install -y chromium`)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def check_accessibility(page) -> None:
    """No serious or critical axe-core violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    # After a click that posts a form, the next page may still be fetching its stylesheets (staff.css): axe would
    # judge unstyled colours (white header text on white) and fail a page that is fine.
    page.wait_for_load_state("load")

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"axe found on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )


def no_duplicate_ids(page) -> None:
    """No id twice in the page as it is now (after scripts added to it)."""
    twice = page.evaluate("""() => { const seen = {}, twice = [];
        document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) twice.push(e.id); seen[e.id] = 1; });
        return twice; }""")
    assert twice == [], twice


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, url: str, email: str, password: str | None = None) -> None:
    """Sign an employee in through the real form (every test employee has tests.factories.PASSWORD; the demo's
    staff have portal.demo.DEMO_PASSWORD)."""
    from tests.factories import PASSWORD

    page.goto(url + "/staff/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Wait for the signed-in page, or a page.goto() straight after could cancel the sign-in POST.
    page.get_by_role("button", name="Sign out").wait_for()
