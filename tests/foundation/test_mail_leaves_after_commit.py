"""An e-mail is an outbox row in the caller's transaction; the file transport writes it after commit."""

from sqlalchemy import select

from portal import mail
from portal.db import db
from portal.mail.models import OutboxMessage, OutboxStatus


def test_a_queued_email_is_written_as_eml_only_after_commit(app, outbox):
    with app.app_context():
        mail.queue(db.session, "maria@staff.example", "password_reset", {"name": "Maria", "link": "http://x/r/1"})
        db.session.flush()
        assert outbox() == []
        db.session.commit()
        [message] = outbox()
        assert message["To"] == "maria@staff.example"
        assert message["Subject"] == "Reset your Riverside Rovers FC password"
        assert "http://x/r/1" in message.get_body(("plain",)).get_content()
        assert 'href="http://x/r/1"' in message.get_body(("html",)).get_content()
        row = db.session.scalar(select(OutboxMessage))
        db.session.refresh(row)
        assert row.status is OutboxStatus.sent and row.sent_at is not None


def test_a_rolled_back_transaction_sends_nothing(app, outbox):
    with app.app_context():
        mail.queue(db.session, "maria@staff.example", "password_reset", {"name": "Maria", "link": "http://x/r/1"})
        db.session.rollback()
        db.session.commit()
        assert outbox() == []
        assert db.session.scalar(select(OutboxMessage)) is None


def test_html_emails_have_their_css_inlined(app):
    with app.app_context():
        message = mail.queue(db.session, "a@b.example", "password_reset", {"name": "A", "link": "http://x"})
        assert "<style" not in message.body_html
        assert 'style="' in message.body_html
        db.session.rollback()


def test_a_savepoint_neither_sends_early_nor_forgets_the_transactions_mail(app, outbox):
    with app.app_context():
        mail.queue(db.session, "maria@staff.example", "password_reset", {"name": "Maria", "link": "http://x/r/1"})
        kept = db.session.begin_nested()
        mail.queue(db.session, "tom@staff.example", "password_reset", {"name": "Tom", "link": "http://x/r/2"})
        kept.commit()
        assert outbox() == []  # a savepoint is not the commit
        undone = db.session.begin_nested()
        mail.queue(db.session, "sam@staff.example", "password_reset", {"name": "Sam", "link": "http://x/r/3"})
        undone.rollback()
        db.session.commit()
        assert sorted(m["To"] for m in outbox()) == ["maria@staff.example", "tom@staff.example"]
