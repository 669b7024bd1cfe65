"""Customers from the club's ticketing/CRM export: the preview line by line, the import, a re-import that changes
nothing, the external id before the address, and every kind of bad line — on both databases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.auth.errors import NotPermitted
from portal.auth.models import Role
from portal.cases import customer_import as imports
from portal.cases.models import Customer, CustomerImportLine
from tests.factories import make_customer, make_employee

TODAY = date(2026, 11, 1)

CSV = (
    "\ufeffE-mail Address,Full Name,Telephone,Customer ID,Membership Type,Member Since,Total Spend,Preferences,Seat\r\n"
    'olivia@fans.example,Olivia Taylor,07700 900123,TKT-1,Season-ticket holder,2012-08-01,"£4,200.50",No calls,N1\r\n'
    "james@fans.example,James Smith,,TKT-2,,01/07/2025,120,,\r\n"
    "OLIVIA@fans.example,Olivia T.,,,,,,,\r\n"
    "not-an-address,Bad Email,,TKT-3,,,,,\r\n"
    "ravi@fans.example,Ravi Patel,,TKT-4,,last summer,,,\r\n"
    "sam@fans.example,Sam Lee,,TKT-5,,,-5,,\r\n"
    "kim@fans.example,Kim Ng,,TKT-6,,,12345678901.00,,\r\n"
    "lee@fans.example,Lee\x00Ray,,TKT-7,,,,,\r\n"
    "\"ana@fans.example\",\"Ana\r\nBell\",,TKT-8,,,,\"Post\r\nonly\",\r\n"
    "huge@fans.example,Huge Number,,TKT-9,,,999999999999999999999999999999999999999999999999,,\r\n"
    "dec@fans.example,Three Decimals,,TKT-10,,,1.005,,\r\n"
    ",No Address,,,,,,,\r\n"
).encode()


@pytest.fixture
def manager(session):
    return make_employee(session, role=Role.manager)


def preview(session, tmp_path, data: bytes, by, name="customers.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    job = imports.start(session, filename=name, stored_name=name, size=len(data), by=by)
    session.commit()
    return imports.check(session, job, path, today=TODAY), path


def run(session, tmp_path, data: bytes, by):
    job, path = preview(session, tmp_path, data, by)
    imports.confirm(session, job, by=by)
    session.commit()
    return imports.run(session, job, path, by=by, today=TODAY)


def lines(session, job) -> dict[int, CustomerImportLine]:
    return {r.line: r for r in session.scalars(select(CustomerImportLine).where(
        CustomerImportLine.import_id == job.id))}


def test_the_preview_says_what_each_line_will_do_and_changes_no_customer(session, tmp_path, manager):
    job, _ = preview(session, tmp_path, CSV, manager)
    assert job.status == "checked" and job.lines_total == 12
    assert job.columns["unknown"] == ["Seat"] and "Lifetime spend" in job.columns["known"]
    assert job.preview_counts == {"create": 2, "update": 0, "unchanged": 0, "merged": 1, "refused": 9}
    by_line = lines(session, job)
    assert by_line[2].action == "create" and by_line[3].action == "create"
    assert by_line[4].action == "merged" and "Repeat of line 2" in by_line[4].message
    assert "“not-an-address” is not an e-mail address." in by_line[5].message
    assert "“last summer” is not a date" in by_line[6].message
    assert "below zero" in by_line[7].message
    assert "more than £9,999,999,999.99" in by_line[8].message
    assert "control characters" in by_line[9].message
    assert "Name runs over more than one line" in by_line[10].message
    assert "not an amount" in by_line[13].message
    assert "more than two decimal places" in by_line[14].message
    assert "neither an e-mail address nor an external id" in by_line[15].message
    assert session.scalars(select(Customer)).all() == []


def test_the_import_creates_them_and_importing_again_changes_nothing(session, tmp_path, manager):
    job = run(session, tmp_path, CSV, manager)
    assert job.status == "done"
    assert job.result_counts == {"create": 2, "update": 0, "unchanged": 0, "merged": 1, "refused": 9}
    olivia = session.scalar(select(Customer).where(Customer.email == "olivia@fans.example"))
    assert (olivia.name, olivia.phone, olivia.external_id, olivia.membership, olivia.customer_since,
            olivia.lifetime_spend, olivia.preferences) == (
        "Olivia Taylor", "07700 900123", "TKT-1", "Season-ticket holder", date(2012, 8, 1), Decimal("4200.50"),
        "No calls")
    james = session.scalar(select(Customer).where(Customer.external_id == "TKT-2"))
    assert james.customer_since == date(2025, 7, 1) and james.lifetime_spend == Decimal("120.00")
    audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "customer")).one()
    assert audit.action == "import" and "2 created" in audit.summary and audit.after["refused"] == 9

    again = run(session, tmp_path, CSV, manager)
    assert again.result_counts == {"create": 0, "update": 0, "unchanged": 2, "merged": 1, "refused": 9}
    assert len(session.scalars(select(Customer)).all()) == 2


def test_the_external_id_is_matched_before_the_address(session, tmp_path, manager):
    make_customer(session, name="Olivia Taylor", email="Olivia.Old@Fans.Example").external_id = "TKT-1"
    make_customer(session, name="Ravi Patel", email="ravi@fans.example")
    session.commit()
    data = (b"email,name,external id,lifetime spend\n"
            b"olivia.new@fans.example,,TKT-1,50\n"      # found by its id: the address moves with it
            b"RAVI@fans.example,Ravi Patel,TKT-4,10\n")  # found by address (any case), gains its id
    job = run(session, tmp_path, data, manager)
    assert job.result_counts["update"] == 2 and job.result_counts["create"] == 0
    olivia = session.scalar(select(Customer).where(Customer.external_id == "TKT-1"))
    assert olivia.email == "olivia.new@fans.example" and olivia.name == "Olivia Taylor"  # empty cell: kept
    assert session.scalar(select(Customer).where(Customer.email == "ravi@fans.example")).external_id == "TKT-4"


def test_a_line_without_an_address_updates_the_customer_its_external_id_names(session, tmp_path, manager):
    make_customer(session, name="Olivia Taylor", email="olivia@fans.example").external_id = "TKT-1"
    session.commit()
    job = run(session, tmp_path, b"email,name,external id,membership\n,,TKT-1,Season-ticket holder\n", manager)
    assert job.result_counts["update"] == 1
    olivia = session.scalar(select(Customer).where(Customer.external_id == "TKT-1"))
    assert (olivia.email, olivia.membership) == ("olivia@fans.example", "Season-ticket holder")


def test_lines_that_would_join_two_records_or_split_one_are_refused(session, tmp_path, manager):
    make_customer(session, name="Olivia Taylor", email="olivia@fans.example").external_id = "TKT-1"
    make_customer(session, name="Ollie Taylor", email="ollie@fans.example")
    session.commit()
    data = (b"email,name,external id\n"
            b"ollie@fans.example,Olivia,TKT-1\n"       # the id is Olivia's, the address another customer's
            b"olivia@fans.example,Olivia,TKT-99\n"     # the address has another external id
            b"new@fans.example,New,TKT-50\n"
            b"new@fans.example,New,TKT-51\n")          # the same address given to another id in the file
    job, _ = preview(session, tmp_path, data, manager)
    by_line = lines(session, job)
    assert by_line[2].action == "refused" and "Merge the two records first" in by_line[2].message
    assert by_line[3].action == "refused" and "not of external id TKT-99" in by_line[3].message
    assert by_line[4].action == "create"
    assert by_line[5].action == "refused" and "Line 4 gives new@fans.example to external id TKT-50" in \
        by_line[5].message


def test_a_file_without_an_email_column_or_not_utf8_is_refused_as_a_whole(session, tmp_path, manager):
    job, _ = preview(session, tmp_path, b"who,where\n1,2\n", manager)
    assert job.status == "refused" and "none of them is the e-mail address" in job.problems[0]
    job, _ = preview(session, tmp_path, "email,name\nzoë@fans.example,Zoë\n".encode("cp1252"), manager, "b.csv")
    assert job.preview_counts["refused"] == 1
    assert "not UTF-8" in lines(session, job)[2].message
    job, _ = preview(session, tmp_path, b"email,name\n", manager, "c.csv")
    assert job.status == "refused" and "no customers below its first line" in job.problems[0]
    job, _ = preview(session, tmp_path, b"", manager, "d.csv")
    assert job.status == "refused" and "empty" in job.problems[0]


def test_first_and_last_name_columns_make_the_name(session, tmp_path, manager):
    run(session, tmp_path, b"Email,First Name,Surname\nkim@fans.example,Kim,Ng\n", manager)
    assert session.scalar(select(Customer)).name == "Kim Ng"


def test_an_agent_may_not_import(session, tmp_path):
    agent = make_employee(session)
    with pytest.raises(NotPermitted):
        imports.start(session, filename="x.csv", stored_name="x", size=1, by=agent)
