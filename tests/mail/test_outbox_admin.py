import pytest
from sqlalchemy import select

from portal import mail
from portal.auth.models import Role
from portal.mail.models import OutboxMessage, OutboxStatus
from tests.factories import PASSWORD, make_employee


def test_admins_filter_preview_and_retry_dead_messages(client, db_session):
    make_employee(db_session, email="alex@staff.example", role=Role.admin)
    make_employee(db_session, email="maria@staff.example")
    db_session.commit()
    from portal.db import db

    with client.application.app_context():
        message = mail.queue(db.session, "james@fans.example", "password_reset", {"name": "J", "link": "http://x"})
        db.session.commit()
        message_id = message.id
    stored = db_session.get(OutboxMessage, message_id)
    stored.status, stored.last_error, stored.attempts = OutboxStatus.dead, "SendGrid refused (400)", 1
    db_session.commit()

    client.post("/staff/sign-in", data={"email": "maria@staff.example", "password": PASSWORD})
    assert client.get("/staff/admin/outbox/").status_code == 403
    client.post("/staff/sign-out")
    client.post("/staff/sign-in", data={"email": "alex@staff.example", "password": PASSWORD})
    dead = client.get("/staff/admin/outbox/?status=dead").get_data(as_text=True)
    assert "james@fans.example" in dead and "Dead (1)" in dead
    assert "james@fans.example" not in client.get("/staff/admin/outbox/?status=sent").get_data(as_text=True)
    page = client.get(f"/staff/admin/outbox/{message_id}").get_data(as_text=True)
    assert "SendGrid refused (400)" in page and "Send it again now" in page
    preview = client.get(f"/staff/admin/outbox/{message_id}/preview")
    assert "sandbox" in preview.headers["Content-Security-Policy"] and b"http://x" in preview.data
    client.post(f"/staff/admin/outbox/{message_id}/retry")
    db_session.expire_all()
    retried = db_session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id))
    assert retried.status is OutboxStatus.queued and retried.attempts == 0


def test_the_outbox_pages_by_message_not_by_offset(session):
    from portal.admin.outbox import PAGE_SIZE, list_outbox

    session.add_all(OutboxMessage(to_address=f"fan{n}@fans.example", template="receipt", subject=f"Message {n}",
                                  body_text="", body_html="", context={}) for n in range(PAGE_SIZE * 2 + 5))
    session.flush()
    first = list_outbox(session, status=None)
    assert first.newer is None and first.messages[0].subject == f"Message {PAGE_SIZE * 2 + 4}"
    second = list_outbox(session, status=None, before=first.older)
    third = list_outbox(session, status=None, before=second.older)
    assert len(third.messages) == 5 and third.older is None and third.messages[-1].subject == "Message 0"
    assert list_outbox(session, status=None, after=third.newer).messages == second.messages
    back = list_outbox(session, status=None, after=second.newer)
    assert back.messages == first.messages and back.newer is None
    found = list_outbox(session, status=None, search="fan7@")
    assert [m.subject for m in found.messages] == ["Message 7"] and found.older is None


@pytest.mark.parametrize("status", list(OutboxStatus))
def test_only_a_failed_or_dead_message_can_be_sent_again(session, status):
    from portal.mail import worker

    message = OutboxMessage(to_address="fan@fans.example", template="receipt", subject="Receipt", body_text="",
                            body_html="", context={}, status=status)
    session.add(message)
    session.flush()
    assert message.can_retry is (status in (OutboxStatus.failed, OutboxStatus.dead))
    if message.can_retry:
        worker.retry(session, message)
        assert message.status is OutboxStatus.queued
    else:
        with pytest.raises(ValueError, match="Only failed or dead"):
            worker.retry(session, message)
