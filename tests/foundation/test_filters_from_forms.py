"""Every list's filter form, submitted as a browser does (empty fields included), answers 200."""

import pytest

from portal.auth.models import Role
from tests.factories import PASSWORD, make_case, make_category, make_employee, make_team

PAGES = [
    "/staff/cases?status=&category=&sort=due",
    "/staff/team?status=&category=&owner=&sort=due&overdue=1",
    "/staff/ideas/?status=&kind=&category=&sort=supported",
    "/staff/admin/employees?team=&role=&show=active",
    "/staff/admin/audit?entity=",
    "/staff/admin/outbox/?status=&q=",
    "/staff/metrics/?period=90d&from=&to=&team=&group=team&grain=week",
    "/staff/themes/1?q=north&category=",
    "/you-said-we-did/?q=&category=&status=",
    "/staff/admin/data-requests?email=",
    "/staff/focus-groups/",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_filter_form_with_empty_fields_works(client, db_session, path):
    team = make_team(db_session, "Catering")
    make_employee(db_session, email="alex@staff.example", role=Role.admin, team=team)
    make_case(db_session, category=make_category(db_session, team=team), what_happened="North stand queue.")
    db_session.commit()
    client.post("/staff/sign-in", data={"email": "alex@staff.example", "password": PASSWORD})
    client.post("/staff/themes", data={"title": "Queues", "category_id": "0"})
    response = client.get(path)
    assert response.status_code in (200, 422), response.status_code
    assert "Sorry, something went wrong" not in response.get_data(as_text=True)
