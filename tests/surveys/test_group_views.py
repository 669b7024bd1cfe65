import re
from io import BytesIO

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.surveys.models import Member
from tests.factories import CSV, PASSWORD, make_employee


@pytest.fixture
def manager(client, db_session):
    make_employee(db_session, email="priya@staff.example", role=Role.manager)
    make_employee(db_session, email="maria@staff.example")
    db_session.commit()
    client.post("/staff/sign-in", data={"email": "priya@staff.example", "password": PASSWORD})


def _group(client):
    return client.post("/staff/focus-groups/", data={"name": "North Stand 2026"}).location


def test_agents_cannot_manage_focus_groups(client, db_session):
    make_employee(db_session, email="maria@staff.example")
    db_session.commit()
    client.post("/staff/sign-in", data={"email": "maria@staff.example", "password": PASSWORD})
    assert client.get("/staff/focus-groups/").status_code == 403


def test_a_csv_is_previewed_then_imported_once(client, manager, db_session):
    group_url = _group(client)
    preview = client.post(f"{group_url}/import", data={"file": (BytesIO(CSV), "members.csv")},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert "2 to add" in page and "3 with problems" in page and "“last summer” is not a date" in page
    assert db_session.scalars(select(Member)).all() == []
    confirm = re.search(r'action="([^"]+/import/[0-9a-f]+)"', page).group(1)
    done = client.post(confirm, follow_redirects=True).get_data(as_text=True)
    assert "Imported: 2 members added or updated; 3 lines with problems skipped." in done
    assert "Olivia Taylor" in done and "10 years or more" in done
    assert client.post(confirm, follow_redirects=True).get_data(as_text=True).count("preview has expired") == 1


def test_an_unreadable_file_is_explained(client, manager):
    group_url = _group(client)
    response = client.post(f"{group_url}/import", data={"file": (BytesIO(b"who,where\n1,2\n"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "missing: name, email" in response.get_data(as_text=True)
    empty = client.post(f"{group_url}/import", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Choose a CSV file to import." in empty.get_data(as_text=True)


def test_a_member_is_added_by_hand_and_removed(client, manager, db_session):
    group_url = _group(client)
    bad = client.post(f"{group_url}/members", data={"name": "Aisha", "email": "nope"})
    assert bad.status_code == 422 and "is not an e-mail address" in bad.get_data(as_text=True)
    client.post(f"{group_url}/members", data={"name": "Aisha Khan", "email": "aisha@fans.example"})
    member = db_session.scalar(select(Member))
    client.post(f"{group_url}/members/{member.id}/remove")
    assert "<td>Aisha Khan</td>" not in client.get(group_url).get_data(as_text=True)
