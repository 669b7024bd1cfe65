import re

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.auth.models import Employee, Role
from portal.cases.models import Category
from tests.factories import PNG, make_employee, make_team, sign_in


@pytest.fixture
def people(db_session):
    team = make_team(db_session, "Catering")
    people = {
        "agent": make_employee(db_session, email="agent@staff.example", team=team),
        "manager": make_employee(db_session, email="manager@staff.example", role=Role.manager, team=team),
        "admin": make_employee(db_session, email="admin@staff.example", role=Role.admin, name="Alex Morgan"),
        "team": team,
    }
    db_session.commit()
    return people


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("agent", "/staff/admin/", 403),
        ("agent", "/staff/admin/categories", 403),
        ("manager", "/staff/admin/categories", 200),
        ("manager", "/staff/admin/employees", 403),
        ("manager", "/staff/admin/teams", 403),
        ("manager", "/staff/admin/audit", 403),
        ("manager", "/staff/admin/organisation", 403),
        ("admin", "/staff/admin/employees", 200),
        ("admin", "/staff/admin/audit", 200),
        ("admin", "/staff/admin/employees/999999", 404),
    ],
)
def test_who_may_see_which_admin_page(client, people, who, path, status):
    sign_in(client, who)
    assert client.get(path).status_code == status


def test_a_manager_changes_a_target_and_it_is_in_the_audit_log(client, people, db_session):
    sign_in(client, "manager")
    response = client.post("/staff/admin/categories/new", data={
        "name": "Food and drink", "description": "Kiosks and hospitality", "team_id": people["team"].id,
        "first_response_hours": "24", "resolution_hours": "72", "active": "y",
    })
    assert response.status_code == 302
    category = db_session.scalar(select(Category).where(Category.name == "Food and drink"))
    client.post(f"/staff/admin/categories/{category.id}", data={
        "name": "Food and drink", "description": "Kiosks and hospitality", "team_id": people["team"].id,
        "first_response_hours": "8", "resolution_hours": "72", "active": "y",
    })
    client.post("/staff/sign-out")
    sign_in(client, "admin")
    log = client.get("/staff/admin/audit?entity=category").get_data(as_text=True)
    assert "Category Food and drink changed" in log and "first response hours" in log
    assert "24 → 8" in log


def test_a_bad_target_is_explained_and_the_form_kept(client, people):
    sign_in(client, "manager")
    response = client.post("/staff/admin/categories/new", data={
        "name": "Parking", "description": "Car parks", "team_id": people["team"].id,
        "first_response_hours": "lots", "resolution_hours": "72",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page and 'value="Car parks"' in page


def test_an_invited_employee_chooses_a_password_and_signs_in(client, people, db_session, outbox):
    sign_in(client, "admin")
    response = client.post("/staff/admin/employees/invite", data={
        "email": "owen@staff.example", "name": "Owen Price", "job_title": "Car Park Supervisor", "role": "agent",
        "team_id": people["team"].id, "authority_limit": "50",
    })
    assert response.status_code == 302
    client.post("/staff/sign-out")
    [message] = [m for m in outbox() if m["To"] == "owen@staff.example"]
    path = re.search(r"/staff/welcome/\S+", message.get_body(("plain",)).get_content()).group(0)
    page = client.get(path).get_data(as_text=True)
    assert "Welcome, Owen: choose your password" in page
    client.post(path, data={"password": "owen's new password", "confirm": "owen's new password"})
    signed_in = client.post("/staff/sign-in", data={"email": "owen@staff.example", "password": "owen's new password"},
                            follow_redirects=True)
    assert "Signed in as Owen Price" in signed_in.get_data(as_text=True)
    assert client.get(path, follow_redirects=True).request.path == "/staff/forgot-password"


def test_inviting_an_existing_address_is_explained(client, people):
    sign_in(client, "admin")
    response = client.post("/staff/admin/employees/invite", data={
        "email": "agent@staff.example", "name": "Someone", "role": "agent", "team_id": "0", "authority_limit": "0",
    })
    assert response.status_code == 422
    assert "already an employee with the e-mail address agent@staff.example" in response.get_data(as_text=True)


def test_an_admin_raises_an_authority_limit(client, people, db_session):
    sign_in(client, "admin")
    agent = people["agent"]
    client.post(f"/staff/admin/employees/{agent.id}", data={
        "name": agent.name, "job_title": "Adviser", "role": "agent", "team_id": people["team"].id,
        "authority_limit": "150",
    })
    db_session.expire_all()
    assert str(db_session.get(Employee, agent.id).authority_limit) == "150.00"
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.entity == "employee")) is not None


def test_the_organisation_name_and_logo_show_in_the_header(client, people, app):
    visitor = app.test_client()
    assert "Riverside Rovers FC</a>" in visitor.get("/").get_data(as_text=True)  # now a cached copy
    sign_in(client, "admin")
    from io import BytesIO

    response = client.post("/staff/admin/organisation",
                           data={"name": "Riverside Rovers", "logo": (BytesIO(PNG), "l.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Riverside Rovers</a>" in home and 'src="/organisation/logo"' in home
    assert "Riverside Rovers</a>" in visitor.get("/").get_data(as_text=True)  # the change cleared the copy
    logo = client.get("/organisation/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == PNG


def test_a_logo_that_is_not_a_picture_is_refused(client, people):
    sign_in(client, "admin")
    from io import BytesIO

    response = client.post("/staff/admin/organisation",
                           data={"name": "Riverside Rovers", "logo": (BytesIO(b"<svg onload=alert(1)>"), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "PNG, JPEG or WebP" in response.get_data(as_text=True)
    assert client.get("/organisation/logo").status_code == 404
