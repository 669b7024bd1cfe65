"""The customer import as a manager uses it, through the test client with CSRF on: upload, the preview line by line,
confirm, the result page with counts; progress while a pass runs in the background; agents kept out."""

from __future__ import annotations

import re
import time
from io import BytesIO

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.cases.models import Customer
from tests.conftest import make_test_app
from tests.factories import make_customer, make_employee, sign_in

CSV = (b"Email,Name,Customer ID,Membership,Customer since,Lifetime spend,Preferences,Seat\n"
       b"olivia@fans.example,Olivia Taylor,TKT-1,Season-ticket holder,2012-08-01,4200.50,No calls,N12\n"
       b"james@fans.example,James Smith,TKT-2,,,120,,\n"
       b"Olivia@Fans.example,Olivia Taylor,TKT-1,,,,,\n"
       b"ravi@fans.example,Ravi Patel,TKT-3,,last summer,,,\n")


@pytest.fixture
def app(sqlite_url, tmp_path):
    return make_test_app(sqlite_url, tmp_path, IMPORTS_IN_BACKGROUND=False)


@pytest.fixture
def manager(client, db_session):
    make_employee(db_session, email="priya@staff.example", role=Role.manager)
    make_customer(db_session, name="James Smith", email="James@Fans.example")
    db_session.commit()
    sign_in(client, "priya")


def upload(client, data: bytes = CSV, name: str = "crm-export.csv"):
    return client.post("/staff/customers/import", data={"file": (BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_agents_may_not_import_customers(client, db_session):
    make_employee(db_session, email="maria@staff.example")
    db_session.commit()
    sign_in(client, "maria")
    assert client.get("/staff/customers/import").status_code == 403
    assert upload(client).status_code == 403


def test_a_file_is_previewed_line_by_line_then_imported_with_a_result_page(client, manager, db_session):
    form = client.get("/staff/customers/import").get_data(as_text=True)
    assert "Import customers" in form and "external id" in form
    checked = upload(client)
    assert checked.status_code == 302
    page = client.get(checked.location).get_data(as_text=True)
    assert "Check the import" in page
    assert "1 new, 1 to update, 0 already up to date, 1 repeated (merged), 1 refused" in page
    assert "Not known, so ignored: Seat." in page and "Not in the file, so left as they are: Phone." in page
    assert "“last summer” is not a date" in page and "Repeat of line 2" in page
    assert db_session.scalar(select(Customer).where(Customer.email == "olivia@fans.example")) is None
    refused = client.get(checked.location + "?show=refused").get_data(as_text=True)
    assert "Ravi Patel" in refused and "Olivia Taylor" not in refused

    confirm = re.search(r'action="([^"]+/confirm)"', page).group(1)
    done = client.post(confirm, follow_redirects=True).get_data(as_text=True)
    assert "Customers imported" in done
    assert "1 created, 1 updated, 0 unchanged, 1 repeat merged, 1 refused." in done
    olivia = db_session.scalar(select(Customer).where(Customer.external_id == "TKT-1"))
    assert olivia.membership == "Season-ticket holder" and olivia.preferences == "No calls"
    assert db_session.scalar(select(Customer).where(Customer.external_id == "TKT-2")).email == "James@Fans.example"
    assert client.post(confirm, follow_redirects=True).get_data(as_text=True).count("already run") == 1

    again = client.get(upload(client).location).get_data(as_text=True)
    assert "0 new, 0 to update, 2 already up to date" in again


def test_a_file_refused_as_a_whole_says_why(client, manager):
    page = client.get(upload(client, b"who,where\n1,2\n").location).get_data(as_text=True)
    assert "This file cannot be imported" in page and "none of them is the e-mail address" in page
    empty = client.post("/staff/customers/import", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Choose a CSV file to import." in empty.get_data(as_text=True)
    blank = upload(client, b"")
    assert blank.status_code == 422 and "The file is empty." in blank.get_data(as_text=True)


def test_the_imported_worth_shows_on_the_customer_profile(client, db_session):
    make_employee(db_session, email="admin@staff.example", role=Role.admin)
    db_session.commit()
    sign_in(client, "admin")
    page = client.get(upload(client).location).get_data(as_text=True)
    client.post(re.search(r'action="([^"]+/confirm)"', page).group(1))
    olivia = db_session.scalar(select(Customer).where(Customer.external_id == "TKT-1"))
    profile = client.get(f"/staff/customers/{olivia.id}").get_data(as_text=True)
    assert "Season-ticket holder for 14 years" in profile or "Season-ticket holder for" in profile
    assert "£4,200.50" in profile and "TKT-1" in profile and "No calls" in profile


def test_in_the_background_the_progress_page_refreshes_until_the_preview_is_ready(sqlite_url, tmp_path):
    app = make_test_app(sqlite_url, tmp_path)  # IMPORTS_IN_BACKGROUND: a thread per pass, as served
    client = app.test_client()
    from portal.db import db

    with app.app_context():
        make_employee(db.session, email="priya@staff.example", role=Role.manager)
        db.session.commit()
    sign_in(client, "priya")
    big = CSV + b"".join(b"fan%d@fans.example,Fan %d,F-%d,,,,,\n" % (n, n, n) for n in range(3000))
    location = upload(client, big).location
    for _ in range(200):
        page = client.get(location).get_data(as_text=True)
        if "Check the import" in page:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the preview was never ready")
    assert "3,002 new" in page
    done = client.post(re.search(r'action="([^"]+/confirm)"', page).group(1)).location
    for _ in range(400):
        page = client.get(done).get_data(as_text=True)
        if "Customers imported" in page:
            break
        time.sleep(0.05)
    assert "3,002 created" in page


def test_a_running_pass_shows_its_progress_and_a_stopped_one_says_so(client, manager, db_session):
    from datetime import timedelta

    from portal.auth.models import Employee
    from portal.cases.models import CustomerImport
    from portal.db import utcnow

    by = db_session.scalar(select(Employee).where(Employee.email == "priya@staff.example"))
    job = CustomerImport(filename="big.csv", stored_name="x.csv", created_by=by, status="importing",
                         lines_total=100000, lines_done=42000, heartbeat_at=utcnow())
    db_session.add(job)
    db_session.commit()
    page = client.get(f"/staff/customers/imports/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "42,000 of 100,000 lines imported" in page
    assert '<progress id="progress" max="100000" value="42000">' in page
    job.heartbeat_at = utcnow() - timedelta(minutes=5)
    db_session.commit()
    page = client.get(f"/staff/customers/imports/{job.id}").get_data(as_text=True)
    assert "has stopped" in page and 'http-equiv="refresh"' not in page
