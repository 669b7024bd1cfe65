from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.cases.assignment import choose_owner
from portal.cases.customer_access import case_for_token, issue_link, revoke_links
from portal.cases.filing import Filing, FilingRefused, file_case
from portal.cases.models import Attachment, CaseKind, CaseStatus, Customer, Event
from portal.db import utcnow
from portal.mail.models import OutboxMessage
from tests.factories import PNG, make_case, make_category, make_employee, make_team


def filing(category, **changes):
    values = {"name": "James Smith", "email": "James.Smith@fans.example", "category_id": category.id,
              "what_happened": "My season card would not scan at turnstile 14.",
              "make_it_right": "Refund the match, please."}
    values.update(changes)
    return Filing(**values)


def file(session, category, tmp_path, files=(), **changes):
    return file_case(session, filing(category, **changes), files=list(files), upload_dir=str(tmp_path),
                     link_for=lambda token: f"http://portal.test/my-case/{token}")


@pytest.fixture
def ticket_office(session):
    team = make_team(session, "Ticket Office")
    manager = make_employee(session, name="Priya Shah", role=Role.manager, team=team)
    team.manager = manager
    category = make_category(session, team=team, name="Tickets")
    return team, manager, category


def test_assignment_picks_the_active_agent_with_fewest_open_cases(session, ticket_office):
    team, _manager, category = ticket_office
    busy = make_employee(session, name="Tom Busy", team=team)
    free = make_employee(session, name="Maria Free", team=team)
    make_employee(session, name="Sam Away", team=team, active=False)
    make_employee(session, name="Other Team", team=make_team(session))
    make_case(session, owner=busy, category=category)
    closed = make_case(session, owner=free, category=category)
    closed.status = CaseStatus.closed
    session.flush()
    assert choose_owner(session, category) == (free, False)


def test_a_tie_goes_to_whoever_waited_longest_since_a_new_case(session, ticket_office):
    team, _manager, category = ticket_office
    recent = make_employee(session, team=team)
    waited = make_employee(session, team=team)
    recent.last_assigned_at = utcnow() - timedelta(minutes=5)
    waited.last_assigned_at = utcnow() - timedelta(days=2)
    session.flush()
    assert choose_owner(session, category)[0] is waited


def test_with_no_active_agent_the_case_goes_to_the_manager_and_is_flagged(session, ticket_office, tmp_path):
    team, manager, category = ticket_office
    make_employee(session, team=team, active=False)
    case = file(session, category, tmp_path).case
    assert case.owner is manager and case.needs_manager
    assert [e.kind for e in case.events] == ["filed", "flagged"]


def test_filing_creates_customer_case_event_link_and_receipt_in_one_go(session, ticket_office, tmp_path):
    team, _manager, category = ticket_office
    maria = make_employee(session, name="Maria Lopez", team=team)
    filed = file(session, category, tmp_path, files=[("seat.png", PNG)])
    session.flush()
    case = filed.case
    assert not filed.duplicate and case.owner is maria and case.status is CaseStatus.new
    assert case.reference.startswith(f"MIR-{utcnow().year}-")
    assert case.customer.email == "james.smith@fans.example"
    assert case.first_response_due - case.created_at == timedelta(hours=category.first_response_hours)
    assert [e.kind for e in case.events] == ["filed"]
    assert session.query(Attachment).one().content_type == "image/png"
    receipt = session.query(OutboxMessage).one()
    assert receipt.to_address == "james.smith@fans.example" and case.reference in receipt.subject
    assert "Maria from Ticket Office owns your case" in receipt.body_text
    token = receipt.body_text.split("http://portal.test/my-case/")[1].split()[0]
    assert case_for_token(session, token) is case


def test_the_same_words_within_ten_minutes_return_the_existing_case(session, ticket_office, tmp_path):
    team, _manager, category = ticket_office
    make_employee(session, team=team)
    first = file(session, category, tmp_path).case
    again = file(session, category, tmp_path, what_happened="  my season card would NOT scan at turnstile 14. ")
    assert again.duplicate and again.case is first
    assert session.query(OutboxMessage).count() == 1
    later = file_case(session, filing(category), upload_dir=str(tmp_path), link_for=str,
                      now=utcnow() + timedelta(minutes=11))
    assert not later.duplicate and later.case is not first


def test_a_returning_customer_is_found_by_email(session, ticket_office, tmp_path):
    team, _manager, category = ticket_office
    make_employee(session, team=team)
    file(session, category, tmp_path)
    file(session, category, tmp_path, email="JAMES.SMITH@fans.example", what_happened="The kiosk was shut.")
    assert session.query(Customer).count() == 1


def test_a_complaint_needs_make_it_right_but_a_suggestion_does_not(session, ticket_office, tmp_path):
    team, _manager, category = ticket_office
    make_employee(session, team=team)
    with pytest.raises(FilingRefused, match="make this right"):
        file(session, category, tmp_path, make_it_right=" ")
    suggestion = file(session, category, tmp_path, kind=CaseKind.suggestion, make_it_right="")
    assert suggestion.case.kind is CaseKind.suggestion


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("a.png", PNG)] * 4, "up to 3 files"),
        ([("big.png", PNG + b"0" * (5 * 1024 * 1024))], "larger than 5 MB"),
        ([("script.png", b"<script>alert(1)</script>")], "must be a picture"),
        ([("empty.pdf", b"")], "is empty"),
    ],
)
def test_a_bad_attachment_refuses_the_filing_and_saves_nothing(session, ticket_office, tmp_path, files, message):
    team, _manager, category = ticket_office
    make_employee(session, team=team)
    with pytest.raises(FilingRefused, match=message):
        file(session, category, tmp_path, files=files)
    session.flush()
    assert session.query(Customer).count() == 0 and session.query(Event).count() == 0


def test_an_inactive_category_is_refused(session, ticket_office, tmp_path):
    _team, _manager, category = ticket_office
    category.active = False
    with pytest.raises(FilingRefused, match="Choose what your feedback is about"):
        file(session, category, tmp_path)


def test_private_links_open_only_their_case_and_stop_when_revoked(session):
    case, other = make_case(session), make_case(session)
    token = issue_link(session, case)
    session.flush()
    assert case_for_token(session, token) is case
    assert case_for_token(session, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert case_for_token(session, "") is None and case_for_token(session, "x" * 500) is None
    revoke_links(session, case)
    session.flush()
    assert case_for_token(session, token) is None
    assert case_for_token(session, issue_link(session, other)) is other


def test_a_link_notes_its_last_use_at_most_hourly_so_views_do_not_all_write(session):
    from datetime import timedelta

    from portal.cases.models import CaseLink

    token = issue_link(session, make_case(session))
    session.flush()
    case_for_token(session, token)
    link = session.scalars(select(CaseLink)).one()
    first = link.last_used_at
    assert first is not None
    case_for_token(session, token)
    assert link.last_used_at == first
    link.last_used_at = first - timedelta(hours=2)
    case_for_token(session, token)
    assert link.last_used_at > first
