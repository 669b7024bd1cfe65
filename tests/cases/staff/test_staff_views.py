from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from portal.cases.models import Case, CaseHelper, CaseStatus
from portal.cases.timeline import record
from portal.db import utcnow
from tests.factories import NOTE, PASSWORD, make_case, make_category, make_customer, make_employee, make_team, sign_in
from tests.page_checks import label_targets


@pytest.mark.parametrize(
    ("who", "status"),
    [("maria", 200), ("tom", 200), ("priya", 200), ("sam", 403), ("grace", 403)],
)
def test_who_can_open_a_ticket_office_case(client, club, who, status):
    sign_in(client, who)
    assert client.get(f"/staff/cases/{club['case'].reference}").status_code == status


def test_an_agent_of_another_team_cannot_act_on_the_case(client, club, db_session):
    sign_in(client, "sam")
    reference = club["case"].reference
    assert client.post(f"/staff/cases/{reference}/reply", data={"body": "hi"}).status_code == 403
    assert client.post(f"/staff/cases/{reference}/note", data={"body": "hi"}).status_code == 403
    handoff = {"new_owner": club["sam"].id, "reason": "workload", "note": NOTE}
    assert client.post(f"/staff/cases/{reference}/handoff", data=handoff).status_code == 403
    db_session.expire_all()
    assert db_session.get(Case, club["case"].id).owner_id == club["maria"].id


def test_a_teammate_sees_the_queue_case_but_cannot_reply_for_the_owner(client, club):
    sign_in(client, "tom")
    page = client.get(f"/staff/cases/{club['case'].reference}").get_data(as_text=True)
    assert "Send to James" not in page and "Hand off to someone else" not in page
    assert 'id="compose-note"' not in page and "Only Maria (the owner), a helper or the team's manager" in page
    response = client.post(f"/staff/cases/{club['case'].reference}/reply", data={"body": "Hello"})
    assert response.status_code == 403


def test_a_helper_can_note_and_draft_but_not_hand_off(client, club, db_session):
    db_session.add(CaseHelper(case_id=club["case"].id, employee_id=club["sam"].id, added_by_id=club["maria"].id))
    db_session.commit()
    sign_in(client, "sam")
    reference = club["case"].reference
    page = client.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "Draft a reply for Maria" in page and "Hand off to someone else" not in page
    assert client.post(f"/staff/cases/{reference}/draft", data={"body": "Refund approved?"}).status_code == 302
    refused = client.post(f"/staff/cases/{reference}/handoff",
                          data={"new_owner": club["sam"].id, "reason": "workload", "note": NOTE})
    assert refused.status_code == 422
    assert "owner or a manager of its team can hand it off" in refused.get_data(as_text=True)


def test_each_box_on_the_case_page_is_named_by_its_own_label(client, club, db_session):
    # Two boxes named "body" once shared one id: the "Internal note" label put the cursor in the public reply.
    reference = club["case"].reference
    sign_in(client, "maria")
    owner = label_targets(client.get(f"/staff/cases/{reference}").get_data(as_text=True))
    assert owner["Reply to the customer"] == ("textarea", f"/staff/cases/{reference}/reply")
    assert owner["Internal note"] == ("textarea", f"/staff/cases/{reference}/note")
    assert owner["Reply to James e-mailed"] == ("input", "")  # the composer's mode, a tab of no form
    status_page = label_targets(client.get(f"/staff/cases/{reference}/status").get_data(as_text=True))
    assert status_page["Reason"] == ("textarea", f"/staff/cases/{reference}/status")
    handoff_page = label_targets(client.get(f"/staff/cases/{reference}/handoff").get_data(as_text=True))
    assert handoff_page["Context note for the new owner"] == ("textarea", f"/staff/cases/{reference}/handoff")
    assert handoff_page["New owner"] == ("select", f"/staff/cases/{reference}/handoff")
    db_session.add(CaseHelper(case_id=club["case"].id, employee_id=club["sam"].id, added_by_id=club["maria"].id))
    db_session.commit()
    client.post("/staff/sign-out")
    sign_in(client, "sam")
    helper = label_targets(client.get(f"/staff/cases/{reference}").get_data(as_text=True))
    assert helper["Internal note"] == ("textarea", f"/staff/cases/{reference}/note")
    assert helper["Draft a reply for the owner"] == ("textarea", f"/staff/cases/{reference}/draft")


def test_a_manager_of_another_team_cannot_see_it(client, club):
    sign_in(client, "grace")
    assert client.get(f"/staff/cases/{club['case'].reference}").status_code == 403
    assert client.get(f"/staff/customers/{club['case'].customer_id}").status_code == 403


def test_an_unknown_case_is_a_404(client, club):
    sign_in(client, "maria")
    assert client.get("/staff/cases/MIR-2026-999999").status_code == 404


def test_my_cases_lists_my_open_cases_due_first_with_filters_in_the_url(client, club, db_session):
    late = make_case(db_session, owner=club["maria"], category=club["case"].category)
    late.first_response_due = utcnow() - timedelta(hours=3)
    done = make_case(db_session, owner=club["maria"], category=club["case"].category, status=CaseStatus.closed)
    db_session.commit()
    sign_in(client, "maria")
    page = client.get("/staff/cases").get_data(as_text=True)
    assert page.index(late.reference) < page.index(club["case"].reference)
    assert done.reference not in page and club["food"].reference not in page
    assert "overdue 3 h</time>" in page and "queue__row--overdue" in page
    overdue_only = client.get("/staff/cases?overdue=1").get_data(as_text=True)
    assert late.reference in overdue_only and club["case"].reference not in overdue_only
    assert 'id="f-overdue" name="overdue" value="1" checked' in overdue_only


def test_signing_in_lands_on_my_cases(client, club):
    response = client.post("/staff/sign-in", data={"email": "maria@staff.example", "password": PASSWORD})
    assert response.location.endswith("/staff/cases")


def test_the_owner_replies_and_the_customer_gets_it(client, club, outbox):
    sign_in(client, "maria")
    response = client.post(f"/staff/cases/{club['case'].reference}/reply",
                           data={"body": "Sorry James, refund on its way."})
    assert response.status_code == 302
    [message] = [m for m in outbox() if m["To"] == "james@fans.example"]
    assert "Sorry James, refund on its way." in message.get_body(("plain",)).get_content()


def test_a_stale_reply_is_refused_with_the_newer_entries_and_the_text_kept(client, club, db_session):
    sign_in(client, "maria")
    case = club["case"]
    seen = record(db_session, case, "filed", by_customer=True, public=True)
    db_session.commit()
    record(db_session, case, "customer_reply", by_customer=True, public=True, body="Actually, I found my ticket.")
    db_session.commit()
    response = client.post(f"/staff/cases/{case.reference}/reply",
                           data={"body": "Please send your ticket.", "seen_event_id": str(seen.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Actually, I found my ticket." in page and "Please send your ticket." in page
    assert "arrived while you were writing" in page


def test_a_handoff_shows_the_note_first_to_the_new_owner(client, club):
    sign_in(client, "maria")
    reference = club["case"].reference
    too_short = client.post(f"/staff/cases/{reference}/handoff",
                            data={"new_owner": club["tom"].id, "reason": "workload", "note": "Over to you"})
    assert too_short.status_code == 422 and "at least a sentence" in too_short.get_data(as_text=True)
    client.post(f"/staff/cases/{reference}/handoff",
                data={"new_owner": club["tom"].id, "reason": "specialist", "note": NOTE})
    client.post("/staff/sign-out")
    sign_in(client, "tom")
    page = client.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert page.index("Handoff note from Maria Lopez") < page.index("In the customer's words")
    assert NOTE in page


def test_two_people_on_a_case_see_each_other(client, club, app):
    reference = club["case"].reference
    sign_in(client, "maria")
    client.get(f"/staff/cases/{reference}")
    client.get(f"/staff/cases/{reference}/presence")  # the page's poll, sent as soon as it loads
    other = app.test_client()
    sign_in(other, "priya")
    page = other.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "Maria Lopez is also looking at this case." in page
    assert other.get(f"/staff/cases/{reference}/presence").json["viewers"] == ["Maria Lopez"]
    assert client.get(f"/staff/cases/{reference}/presence").json["viewers"] == ["Priya Shah"]


def _writes_during(client, path: str) -> list[str]:
    from portal.db import db

    writes: list[str] = []

    def listener(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    return writes


def test_opening_a_case_writes_nothing_and_the_poll_records_presence(client, club, app, db_session):
    reference = club["case"].reference
    sign_in(client, "maria")
    assert _writes_during(client, f"/staff/cases/{reference}") == []
    other = app.test_client()
    sign_in(other, "priya")
    assert "Maria Lopez is also looking" not in other.get(f"/staff/cases/{reference}").get_data(as_text=True)
    client.get(f"/staff/cases/{reference}/presence")
    assert "Maria Lopez is also looking" in other.get(f"/staff/cases/{reference}").get_data(as_text=True)


def test_the_customer_profile_shows_value_history_and_notes(client, club, db_session):
    customer = club["case"].customer
    customer.membership = "Season-ticket holder"
    customer.customer_since = (utcnow() - timedelta(days=365 * 7 + 3)).date()
    customer.lifetime_spend = 4200
    db_session.commit()
    sign_in(client, "maria")
    page = client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)
    assert "Season-ticket holder for 7 years, £4,200 spent" in page and club["case"].reference in page
    client.post(f"/staff/customers/{customer.id}", data={"kind": "preference", "body": "Prefers a call after 6pm"})
    assert "Prefers a call after 6pm" in client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)


def test_a_manager_deactivates_an_agent_and_their_cases_move(client, club, db_session):
    sign_in(client, "priya")
    assert client.get(f"/staff/employees/{club['sam'].id}/deactivate").status_code == 403
    response = client.post(f"/staff/employees/{club['maria'].id}/deactivate",
                           data={"new_owner": club["tom"].id, "note": NOTE})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Case, club["case"].id).owner_id == club["tom"].id


def _count_queries(client, path: str) -> int:
    from portal.db import db

    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_my_cases_runs_the_same_queries_for_10_or_1000_cases(client, db_session):
    team = make_team(db_session)
    agents = [make_employee(db_session, email=f"agent{n}@staff.example", team=team) for n in (10, 1000)]
    category = make_category(db_session, team=team)
    counts = []
    for agent, how_many in zip(agents, (10, 1000), strict=True):
        for _ in range(how_many):
            make_case(db_session, owner=agent, category=category, customer=make_customer(db_session))
        db_session.commit()
        client.post("/staff/sign-in", data={"email": agent.email, "password": PASSWORD})
        client.get("/staff/cases")  # warm per-process caches
        counts.append(_count_queries(client, "/staff/cases"))
        client.post("/staff/sign-out")
    assert counts[0] == counts[1], counts
    assert len(db_session.scalars(select(Case)).all()) == 1010


def test_staff_open_a_cases_attachment_but_not_through_another_case(client, club, db_session, app, tmp_path):
    from portal.cases.attachments import store_attachments
    from tests.cases.test_filing_service import PNG

    event = record(db_session, club["case"], "customer_reply", by_customer=True, public=True, body="Photo")
    db_session.flush()
    [photo] = store_attachments(db_session, club["case"], event, [("seat.png", PNG)],
                                upload_dir=app.config["UPLOAD_DIR"])
    db_session.commit()
    sign_in(client, "maria")
    assert client.get(f"/staff/cases/{club['case'].reference}/attachments/{photo.id}").data == PNG
    assert client.get(f"/staff/cases/{club['food'].reference}/attachments/{photo.id}").status_code == 403
    client.post("/staff/sign-out")
    sign_in(client, "sam")
    assert client.get(f"/staff/cases/{club['case'].reference}/attachments/{photo.id}").status_code == 403


def test_a_closed_case_shows_no_reply_box_but_says_how_to_write_again(client, club, db_session):
    closed = make_case(db_session, owner=club["maria"], category=club["case"].category, status=CaseStatus.closed)
    db_session.commit()
    sign_in(client, "maria")
    page = client.get(f"/staff/cases/{closed.reference}").get_data(as_text=True)
    reply_panel = page.split('id="composer-reply"')[1].split('id="composer-note"')[0]
    assert 'name="body"' not in reply_panel
    assert "This case is closed, so it takes no replies: reopen it with “Change the status”" in reply_panel
    assert 'name="body"' in page.split('id="composer-note"')[1]  # a note can still be kept
    open_page = client.get(f"/staff/cases/{club['case'].reference}").get_data(as_text=True)
    assert "Send to James" in open_page
