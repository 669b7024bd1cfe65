import pytest

from portal.cases.models import CaseStatus, Event
from portal.cases.ownership import HandoffRefused, add_helper, deactivate, hand_off, latest_handoff_to_owner
from portal.cases.replies import CaseActionRefused, StaleCase, change_status, draft_reply, note, reply, send_draft
from portal.cases.timeline import record
from portal.mail.models import OutboxMessage
from tests.cases.staff.conftest import link
from tests.factories import NOTE, make_case, make_employee, make_team


def test_a_handoff_without_a_note_is_refused(session, desk):
    with pytest.raises(HandoffRefused, match="context note"):
        hand_off(session, desk["case"], to=desk["tom"], note="  over to you ", reason="workload", by=desk["maria"],
                 link_for=link)
    assert desk["case"].owner is desk["maria"]


def test_a_handoff_moves_ownership_and_tells_everyone(session, desk):
    case = desk["case"]
    event = hand_off(session, case, to=desk["tom"], note=NOTE, reason="specialist", by=desk["maria"], link_for=link)
    session.flush()
    assert case.owner is desk["tom"] and event.detail["note"] == NOTE
    assert latest_handoff_to_owner(case.events, desk["tom"].id) is event
    told_customer = [e for e in case.events if e.kind == "owner_changed"][0]
    assert told_customer.public and "Tom from Ticket Office" in told_customer.body
    subjects = {m.to_address: m.subject for m in session.query(OutboxMessage)}
    assert "read the handoff note first" in subjects[desk["tom"].email]
    assert "Tom is now looking after your case" in subjects[case.customer.email]


def test_a_third_handoff_flags_the_case_to_the_manager(session, desk):
    case, maria, tom = desk["case"], desk["maria"], desk["tom"]
    for giver, taker in ((maria, tom), (tom, maria), (maria, tom)):
        hand_off(session, case, to=taker, note=NOTE, reason="workload", by=giver, link_for=link)
    session.flush()
    assert case.needs_manager
    assert any(m.to_address == desk["manager"].email and "handed off 3 times" in m.subject
               for m in session.query(OutboxMessage))


def test_a_helper_cannot_hand_off_or_resolve_but_can_note_and_draft(session, desk):
    case, tom = desk["case"], desk["tom"]
    add_helper(session, case, tom, by=desk["maria"])
    session.flush()
    with pytest.raises(HandoffRefused):
        hand_off(session, case, to=tom, note=NOTE, reason="workload", by=tom, link_for=link)
    with pytest.raises(CaseActionRefused):
        change_status(session, case, CaseStatus.resolved, reason="Done", by=tom)
    with pytest.raises(CaseActionRefused):
        reply(session, case, "Hello", by=tom, seen_event_id=None, link_for=link)
    note(session, case, "Logs show two payments.", by=tom)
    draft = draft_reply(session, case, "We have refunded the second payment.", by=tom)
    session.flush()
    assert case.owner is desk["maria"]
    sent = send_draft(session, case, draft, by=desk["maria"], seen_event_id=None, link_for=link)
    assert sent.body == "We have refunded the second payment." and sent.employee is desk["maria"]
    with pytest.raises(CaseActionRefused, match="already been sent"):
        send_draft(session, case, draft, by=desk["maria"], seen_event_id=None, link_for=link)


def test_someone_outside_the_case_cannot_add_notes(session, desk):
    stranger = make_employee(session, team=make_team(session))
    with pytest.raises(CaseActionRefused):
        note(session, desk["case"], "Nosy", by=stranger)


def test_the_first_reply_is_the_first_response_and_acknowledges(session, desk):
    case = desk["case"]
    reply(session, case, "Sorry James, I am on it.", by=desk["maria"], seen_event_id=None, link_for=link)
    session.flush()
    assert case.first_responded_at is not None and case.status is CaseStatus.acknowledged
    message = session.query(OutboxMessage).filter_by(to_address=case.customer.email).one()
    assert "Sorry James, I am on it." in message.body_text and "http://portal.test/my-case/" in message.body_text


def test_a_reply_written_against_an_outdated_case_is_refused_and_shows_what_is_new(session, desk):
    case = desk["case"]
    seen = record(session, case, "filed", by_customer=True, public=True)
    session.flush()
    newer = record(session, case, "customer_reply", by_customer=True, public=True, body="Any news?")
    session.flush()
    with pytest.raises(StaleCase) as stale:
        reply(session, case, "Here is my answer", by=desk["maria"], seen_event_id=seen.id, link_for=link)
    assert stale.value.newer == [newer]
    assert session.query(Event).filter_by(kind="reply").count() == 0


def test_status_changes_need_a_reason_and_follow_the_flow(session, desk):
    case, maria = desk["case"], desk["maria"]
    with pytest.raises(CaseActionRefused, match="reason"):
        change_status(session, case, CaseStatus.resolved, reason=" ", by=maria)
    with pytest.raises(CaseActionRefused, match="Resolve the case before closing"):
        change_status(session, case, CaseStatus.closed, reason="Done", by=maria)
    change_status(session, case, CaseStatus.resolved, reason="Refund paid", by=maria)
    assert case.status is CaseStatus.resolved and case.resolved_at is not None
    change_status(session, case, CaseStatus.reopened, reason="Customer says the refund never arrived", by=maria)
    assert case.status is CaseStatus.reopened


def test_deactivation_leaves_no_case_ownerless(session, desk):
    maria, tom, manager = desk["maria"], desk["tom"], desk["manager"]
    second = make_case(session, owner=maria, category=desk["case"].category)
    done = make_case(session, owner=maria, category=desk["case"].category, status=CaseStatus.closed)
    moved = deactivate(session, maria, to=tom, note=NOTE, by=manager, link_for=link)
    session.flush()
    assert moved == 2 and not maria.active
    assert desk["case"].owner is tom and second.owner is tom
    assert done.owner is maria  # closed cases keep their history
    with pytest.raises(HandoffRefused, match="Only a manager"):
        deactivate(session, tom, to=manager, note=NOTE, by=make_employee(session, team=desk["team"]), link_for=link)
