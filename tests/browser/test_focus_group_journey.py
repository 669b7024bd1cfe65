import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import CSV, make_employee

pytestmark = pytest.mark.browser


def test_a_manager_imports_focus_group_members_from_a_csv(live_server, page, tmp_path):
    with live_server.session() as s:
        make_employee(s, name="Priya Shah", email="priya@staff.example", role=Role.manager)
        s.commit()
    members = tmp_path / "members.csv"
    members.write_bytes(CSV)
    sign_in(page, live_server.url, "priya@staff.example")
    page.goto(live_server.url + "/staff/focus-groups/")
    page.get_by_label("Group name").fill("North Stand season-ticket holders 2026")
    page.get_by_role("button", name="Create group").click()
    check_accessibility(page)
    page.get_by_label("CSV file", exact=True).set_input_files(str(members))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("2 to add")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "focus-group-import-preview")
    page.get_by_role("button", name="Import 2 members").click()
    expect(page.get_by_text("Imported: 2 members added or updated")).to_be_visible()
    expect(page.get_by_role("cell", name="Olivia Taylor", exact=True)).to_be_visible()
    check_accessibility(page)
