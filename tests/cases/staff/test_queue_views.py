"""The queue pages as an employee gets them: the staff layout and its header, the one-line rows with their
contract for the keyboard shortcuts, sortable headers that keep the filters, and a manager's reassignment of
several cases at once (with CSRF on, as in production)."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.cases.models import Case, CaseStatus, Event, EventKind
from portal.db import utcnow
from tests.factories import NOTE, make_case, sign_in


def test_staff_pages_get_the_staff_layout_and_customers_pages_keep_theirs(client, club):
    sign_in(client, "maria")
    staff = client.get("/staff/cases").get_data(as_text=True)
    assert '<body class="staff">' in staff and "/static/css/staff.css" in staff
    assert 'href="#site-menu">Menu</a>' in staff and 'id="site-menu"' in staff and 'id="site-search"' in staff
    public = client.get("/tell-us").get_data(as_text=True)
    assert "staff.css" not in public and '<body class="staff">' not in public
    client.post("/staff/sign-out")
    assert "staff.css" not in client.get("/staff/sign-in").get_data(as_text=True)


def test_the_header_counts_my_cases_due_today_and_overdue(client, club, db_session):
    late = make_case(db_session, owner=club["maria"], category=club["case"].category)
    late.first_response_due = utcnow() - timedelta(hours=3)
    club["case"].first_response_due = utcnow() + timedelta(minutes=1)
    db_session.commit()
    sign_in(client, "maria")
    page = client.get("/staff/cases").get_data(as_text=True)
    today = re.search(r'<span class="due-today__count">(\d+)</span> due today', page)
    overdue = re.search(r'<span class="due-today__count">(\d+)</span> overdue', page)
    # The case due in a minute may be due tomorrow if the test runs a minute before midnight.
    assert today and int(today.group(1)) in (0, 1) and overdue and overdue.group(1) == "1"
    assert 'href="/staff/cases?overdue=1"' in page


def test_queue_rows_carry_the_shortcuts_contract_and_read_on_one_line(client, club, db_session):
    # Noon, two days back on the organisation's calendar: "2 d" whatever the hour (and the clocks) now.
    today = utcnow().astimezone(ZoneInfo("Europe/London")).date()
    noon = datetime.combine(today - timedelta(days=2), time(12), tzinfo=ZoneInfo("Europe/London"))
    club["case"].first_response_due = noon.astimezone(UTC)
    club["case"].needs_manager = True
    club["case"].customer.membership = "Season-ticket holder"
    db_session.commit()
    sign_in(client, "maria")
    assert "data-queue" in client.get("/staff/cases").get_data(as_text=True)
    client.post("/staff/sign-out")
    sign_in(client, "priya")
    for path in ("/staff/team", "/staff/search?q=double-booked"):
        assert client.get(path).get_data(as_text=True).count("data-case-link") == 1, path
    page = client.get("/staff/team").get_data(as_text=True)
    row = page[page.index(f">{club['case'].reference}<") - 400:page.index("</tr>", page.index(club["case"].reference))]
    assert f'href="/staff/cases/{club["case"].reference}" data-case-link' in row
    assert "queue__row--overdue" in row and "queue__row--manager" in row and "Needs manager" in row
    assert "overdue 2 d</time>" in row and "My seat was double-booked" in row
    assert "Season-ticket holder" in row and '<td class="queue__owner">Maria Lopez</td>' in row


def test_a_case_waiting_on_the_customer_says_so(client, club, db_session):
    club["case"].status = CaseStatus.remedy_offered
    club["case"].first_responded_at = utcnow()
    club["case"].resolution_due = utcnow() + timedelta(days=3)
    db_session.commit()
    sign_in(client, "maria")
    page = client.get("/staff/cases").get_data(as_text=True)
    assert "queue__row--waiting" in page and "Waiting on customer" in page and "in 3 d</time>" in page


def test_sortable_headers_are_links_that_keep_the_filters(client, club):
    sign_in(client, "priya")
    page = client.get("/staff/team?status=new&owner=&sort=due&page=1").get_data(as_text=True)
    due = re.search(r'<th scope="col" class="queue__due" aria-sort="ascending">\s*<a href="([^"]+)"', page)
    assert due, "the Due column says it is sorted, ascending"
    link = due.group(1).replace("&amp;", "&")
    assert "sort=due_desc" in link and "status=new" in link and "page=" not in link
    other_way = client.get(link).get_data(as_text=True)
    assert 'class="queue__due" aria-sort="descending"' in other_way
    filed = re.search(r'<th scope="col" class="queue__filed">\s*<a href="([^"]+)"', page)
    assert filed and "sort=oldest" in filed.group(1)


def _team_form(client, path="/staff/team"):
    page = client.get(path).get_data(as_text=True)
    assert 'name="case" value=' in page
    return page


def test_a_manager_reassigns_two_cases_at_once_to_one_colleague(client, club, db_session, outbox):
    second = make_case(db_session, owner=club["maria"], category=club["case"].category)
    db_session.commit()
    sign_in(client, "priya")
    _team_form(client, "/staff/team?sort=oldest")
    response = client.post("/staff/team?sort=oldest", data={
        "case": [club["case"].id, second.id], "new_owner": club["tom"].id, "reason": "absence", "note": NOTE})
    assert response.status_code == 302 and response.location.endswith("/staff/team?sort=oldest")
    page = client.get(response.location).get_data(as_text=True)
    assert "2 cases now owned by Tom Fletcher, each with your note." in page
    db_session.expire_all()
    for case_id in (club["case"].id, second.id):
        case = db_session.get(Case, case_id)
        assert case.owner_id == club["tom"].id
        handoff = db_session.query(Event).filter_by(case_id=case_id, kind=EventKind.handoff).one()
        assert handoff.detail["note"] == NOTE and handoff.detail["reason"] == "absence"
    assert any(m["To"] == "james@fans.example" and "Tom is now looking after" in m["Subject"] for m in outbox())


def test_a_reassignment_with_problems_says_each_and_keeps_what_was_typed(client, club, db_session):
    sign_in(client, "priya")
    response = client.post("/staff/team", data={"new_owner": "", "reason": "workload", "note": "over to you"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tick at least one case to reassign." in page and "Choose the colleague who takes the cases." in page
    assert "Write a context note of at least a sentence" in page and ">over to you</textarea>" in page
    ticked = client.post("/staff/team", data={"case": [club["case"].id], "new_owner": club["maria"].id,
                                              "reason": "workload", "note": NOTE})
    page = ticked.get_data(as_text=True)
    assert ticked.status_code == 422 and "Maria Lopez already owns" in page
    assert f'name="case" value="{club["case"].id}" checked' in page
    db_session.expire_all()
    assert db_session.get(Case, club["case"].id).owner_id == club["maria"].id


def test_hostile_reassignments_get_a_message_never_a_500(client, club, db_session):
    sign_in(client, "priya")
    for ids, owner, reason in ((["abc"], club["tom"].id, "workload"), (["99999999999999999999"], "x", "workload"),
                               ([club["food"].id], club["tom"].id, "workload"),
                               ([club["case"].id], club["sam"].id, "workload"),
                               ([club["case"].id], club["tom"].id, "because"),
                               ([str(club["case"].id)] * 500, club["tom"].id, "workload")):
        response = client.post("/staff/team", data={"case": ids, "new_owner": owner, "reason": reason, "note": NOTE})
        assert response.status_code == 422, (ids[:2], owner, reason)
        assert "There is a problem" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Case, club["food"].id).owner_id == club["sam"].id
    assert db_session.get(Case, club["case"].id).owner_id == club["maria"].id


def test_an_agent_cannot_reassign(client, club, db_session):
    sign_in(client, "maria")
    response = client.post("/staff/team", data={"case": [club["case"].id], "new_owner": club["tom"].id,
                                                "reason": "workload", "note": NOTE})
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(Case, club["case"].id).owner_id == club["maria"].id
