"""In Chromium: a manager imports the club's CRM export — the progress page refreshes by itself (no JavaScript
needed), the preview shows every line, the result its counts — then merges two records of one person; axe clean,
no sideways scroll at 320 px. Screenshots of the preview, result and merge pages go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.factories import make_employee

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CSV = (
    "\ufeffE-mail address,Full name,Phone,Customer ID,Membership type,Member since,Total spend,Preferences,Seat\r\n"
    'olivia@fans.example,Olivia Taylor,07700 900123,TKT-1,Season-ticket holder,2012-08-01,"£4,200.50",No calls,N1\r\n'
    "james@fans.example,James Smith,,TKT-2,Member,01/07/2025,120,,\r\n"
    "OLIVIA@fans.example,Olivia T.,,TKT-1,,,,,\r\n"
    "not-an-address,Bad Email,,TKT-3,,,,,\r\n"
    "ravi@fans.example,Ravi Patel,,TKT-4,,last summer,,,\r\n"
    "kim@fans.example,Kim Ng,,TKT-6,,,12345678901.00,,\r\n"
    "olivia.taylor@work.example,Olivia Taylor,,,,2019-03-02,35,Post only,\r\n"
)


def _shot(page, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def _signed_in(browser, live_server, width: int = 1280, javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "alex@staff.example")
    return context, page


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_manager_imports_the_crm_export_then_merges_two_records(live_server, browser, tmp_path):
    from portal.auth.models import Role

    with live_server.session() as s:
        make_employee(s, name="Alex Morgan", email="alex@staff.example", role=Role.admin)
        s.commit()
    export = tmp_path / "crm-export.csv"
    export.write_text(CSV, encoding="utf-8")
    context, page = _signed_in(browser, live_server, javascript=False)
    page.goto(live_server.url + "/staff/customers/import")
    expect(page.get_by_role("heading", name="Import customers")).to_be_visible()
    page.get_by_label("CSV file").set_input_files(str(export))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check the import").wait_for()  # the progress page refreshed itself
    text = page.inner_text("main")
    assert "3 new, 0 to update, 0 already up to date, 1 repeated (merged), 3 refused" in text
    assert "Not known, so ignored: Seat." in text and "“last summer” is not a date" in text
    preview_url = page.url
    context.close()

    for width in (1280, 320):
        context, page = _signed_in(browser, live_server, width)
        page.goto(preview_url)
        check_accessibility(page)
        _no_sideways_scroll(page)
        _shot(page, f"customer-import-preview-{width}")
        context.close()

    context, page = _signed_in(browser, live_server, javascript=False)
    page.goto(preview_url)
    page.get_by_role("button", name="Import 3 customers").click()
    page.get_by_role("heading", name="Customers imported").wait_for()
    assert "3 created, 0 updated, 0 unchanged, 1 repeat merged, 3 refused." in page.inner_text("main")
    result_url = page.url
    context.close()

    from sqlalchemy import select

    from portal.cases.models import Customer
    from tests.factories import make_case

    with live_server.session() as s:
        olivia = s.scalar(select(Customer).where(Customer.external_id == "TKT-1"))
        work = s.scalar(select(Customer).where(Customer.email == "olivia.taylor@work.example"))
        make_case(s, customer=work, what_happened="My work address got the season-ticket renewal twice.")
        s.commit()
        olivia_id, work_id = olivia.id, work.id
    for width in (1280, 320):
        context, page = _signed_in(browser, live_server, width)
        page.goto(result_url)
        check_accessibility(page)
        _no_sideways_scroll(page)
        _shot(page, f"customer-import-result-{width}")
        page.goto(f"{live_server.url}/staff/customers/{olivia_id}/merge")
        page.get_by_label("The other record").fill(f"#{work_id}")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Merge these two records?").wait_for()
        check_accessibility(page)
        _no_sideways_scroll(page)
        _shot(page, f"customer-merge-confirm-{width}")
        context.close()

    context, page = _signed_in(browser, live_server)
    page.goto(f"{live_server.url}/staff/customers/{olivia_id}/merge?other=%23{work_id}")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Merge into olivia@fans.example").click()
    main = page.inner_text("main")
    assert "Merged: the record of Olivia Taylor <olivia.taylor@work.example>" in main
    assert "£4,235.50" in main and "TKT-1" in main and "No calls" in main and "Post only" in main
    assert "Cases (1)" in main
    check_accessibility(page)
    _shot(page, "customer-profile-after-merge-1280")
    context.close()
