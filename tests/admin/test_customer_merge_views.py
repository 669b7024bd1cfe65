"""Merging two records from the customer's page, through the test client with CSRF on: choose, confirm naming both,
merged; a record into itself refused; agents and other teams' managers kept out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.auth.models import Role
from portal.cases.models import Case, Customer
from tests.factories import make_case, make_category, make_customer, make_employee, make_team, sign_in


@pytest.fixture
def records(db_session):
    tickets = make_team(db_session, "Ticket Office")
    make_employee(db_session, email="priya@staff.example", role=Role.manager, team=tickets)
    make_employee(db_session, email="maria@staff.example", team=tickets)
    make_employee(db_session, email="grace@staff.example", role=Role.manager, team=make_team(db_session, "Catering"))
    category = make_category(db_session, team=tickets)
    keep = make_customer(db_session, name="Olivia Taylor", email="olivia@new.example")
    old = make_customer(db_session, name="Olivia Taylor", email="olivia@old.example")
    for customer in (keep, old):
        make_case(db_session, customer=customer, category=category)
    db_session.commit()
    return keep.id, old.id


def test_a_manager_merges_two_records_after_a_confirm_step_naming_both(client, db_session, records):
    keep_id, old_id = records
    sign_in(client, "priya")
    profile = client.get(f"/staff/customers/{keep_id}").get_data(as_text=True)
    assert f"/staff/customers/{keep_id}/merge" in profile
    assert "Merge another record" in client.get(f"/staff/customers/{keep_id}/merge").get_data(as_text=True)
    confirm = client.post(f"/staff/customers/{keep_id}/merge", data={"other": "OLIVIA@old.example"})
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Merge these two records?" in page
    assert "olivia@new.example" in page and "olivia@old.example" in page and "1 case, 0 notes" in page
    assert db_session.get(Customer, old_id) is not None  # nothing is merged before the confirmation
    done = client.post(f"/staff/customers/{keep_id}/merge", data={"other": f"#{old_id}", "confirm": "yes"})
    assert done.status_code == 302 and done.location.endswith(f"/staff/customers/{keep_id}")
    page = client.get(done.location).get_data(as_text=True)
    assert "Merged: the record of Olivia Taylor &lt;olivia@old.example&gt;" in page and "Cases (2)" in page
    db_session.expire_all()
    assert db_session.get(Customer, old_id) is None
    assert len(db_session.scalars(select(Case).where(Case.customer_id == keep_id)).all()) == 2
    assert db_session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one().entity_id == keep_id


def test_a_record_is_not_merged_into_itself_nor_into_nobody(client, records):
    keep_id, _ = records
    sign_in(client, "priya")
    itself = client.post(f"/staff/customers/{keep_id}/merge", data={"other": "olivia@new.example"})
    assert itself.status_code == 422 and "cannot be merged into itself" in itself.get_data(as_text=True)
    nobody = client.post(f"/staff/customers/{keep_id}/merge", data={"other": "nobody@fans.example"})
    assert nobody.status_code == 422 and "No customer record you may merge" in nobody.get_data(as_text=True)
    blank = client.post(f"/staff/customers/{keep_id}/merge", data={"other": " "})
    assert blank.status_code == 422 and "Say which record to merge" in blank.get_data(as_text=True)


@pytest.mark.parametrize("who", ["maria", "grace"])
def test_agents_and_another_teams_managers_may_not_merge(client, db_session, records, who):
    keep_id, old_id = records
    sign_in(client, who)
    assert client.get(f"/staff/customers/{keep_id}/merge").status_code == 403
    response = client.post(f"/staff/customers/{keep_id}/merge", data={"other": f"#{old_id}", "confirm": "yes"})
    assert response.status_code == 403
    assert db_session.get(Customer, old_id) is not None
