import base64
import json
import re
import time
from io import BytesIO

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from portal import mail
from portal.cases.contact_preferences import queue_news
from portal.cases.customer_access import issue_link
from portal.cases.models import Attachment, Customer, Event
from portal.mail.inbound import reply_address, strip_quoted
from portal.mail.models import OutboxEvent, OutboxMessage
from tests.conftest import make_test_app
from tests.factories import PNG, make_case, make_customer

SECRET = "test-secret-key-that-is-long-enough"


@pytest.fixture(scope="module")
def keys():
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(public).decode()


@pytest.fixture
def hooked(app, sqlite_url, tmp_path, keys):
    # Built after the plain `app` (which db_session uses), so its mail settings are the ones in force.
    app = make_test_app(sqlite_url, tmp_path, SENDGRID_WEBHOOK_PUBLIC_KEY=keys[1], SENDGRID_INBOUND_SECRET="s3cret",
                        INBOUND_DOMAIN="reply.portal.test", SECRET_KEY=SECRET)
    return app


def signed(private, payload: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = private.sign((timestamp + payload).encode(), ec.ECDSA(hashes.SHA256()))
    return {"X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": timestamp, "Content-Type": "application/json"}


@pytest.fixture
def bounced_case(db_session):
    customer = make_customer(db_session, name="James Smith", email="james@fans.example")
    customer.phone = "07700 900123"
    case = make_case(db_session, customer=customer)
    message = mail.queue(db_session, customer.email, "password_reset", {"name": "J", "link": "x"}, case_id=case.id)
    db_session.commit()
    return case, message


def test_signed_events_are_recorded_and_a_bounce_tells_the_owner_to_phone(hooked, keys, bounced_case, db_session,
                                                                         outbox):
    case, message = bounced_case
    payload = json.dumps([
        {"event": "delivered", "sg_event_id": "e1", "email": "james@fans.example", "outbox_id": str(message.id),
         "timestamp": 1763800000},
        {"event": "bounce", "sg_event_id": "e2", "email": "james@fans.example", "outbox_id": str(message.id),
         "reason": "550 mailbox unavailable", "timestamp": 1763800100},
    ])
    response = hooked.test_client().post("/webhooks/sendgrid/events", data=payload, headers=signed(keys[0], payload))
    assert response.status_code == 200 and response.json == {"recorded": 2}
    db_session.expire_all()
    assert db_session.get(Customer, case.customer_id).email_undeliverable
    assert [e.event for e in db_session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))] == ["delivered",
                                                                                                     "bounce"]
    assert db_session.scalar(select(Event).where(Event.kind == "email_bounced")).public is False
    [warning] = [m for m in outbox() if m["To"] == case.owner.email]
    assert "please phone" in warning["Subject"] and "07700 900123" in warning.get_body(("plain",)).get_content()
    # SendGrid delivers events at least once: the same event again changes nothing.
    again = hooked.test_client().post("/webhooks/sendgrid/events", data=payload, headers=signed(keys[0], payload))
    assert again.json == {"recorded": 0}


def test_an_unsubscribe_event_opts_the_customer_out_of_news(hooked, keys, bounced_case, db_session):
    case, message = bounced_case
    payload = json.dumps([{"event": "unsubscribe", "sg_event_id": "u1", "email": "james@fans.example",
                           "outbox_id": str(message.id)}])
    hooked.test_client().post("/webhooks/sendgrid/events", data=payload, headers=signed(keys[0], payload))
    db_session.expire_all()
    assert db_session.get(Customer, case.customer_id).email_opt_out_at is not None


@pytest.mark.parametrize("tamper", ["missing", "wrong-key", "changed-body"])
def test_unsigned_or_wrongly_signed_events_are_refused(hooked, keys, bounced_case, db_session, tamper):
    payload = json.dumps([{"event": "bounce", "sg_event_id": "x", "email": "james@fans.example"}])
    if tamper == "missing":
        headers = {"Content-Type": "application/json"}
    elif tamper == "wrong-key":
        headers = signed(ec.generate_private_key(ec.SECP256R1()), payload)
    else:
        headers = signed(keys[0], payload)
        payload = payload.replace("bounce", "delivered")
    response = hooked.test_client().post("/webhooks/sendgrid/events", data=payload, headers=headers)
    assert response.status_code == 403
    assert db_session.scalar(select(OutboxEvent)) is None


def test_quoted_text_is_stripped():
    text = "Yes, the refund arrived. Thanks!\n\nOn Mon, 3 Nov 2026 at 10:00, Care <care@x> wrote:\n> Hello James"
    assert strip_quoted(text) == "Yes, the refund arrived. Thanks!"
    assert strip_quoted("Fine\n> quoted\nstill mine") == "Fine\nstill mine"


def test_an_emailed_reply_lands_on_the_right_case_with_its_attachment(hooked, db_session):
    case = make_case(db_session)
    db_session.commit()
    to = reply_address(case.reference, secret_key=SECRET, domain="reply.portal.test")
    response = hooked.test_client().post("/webhooks/sendgrid/inbound/s3cret", data={
        "to": f"Riverside Rovers <{to}>", "from": case.customer.email, "subject": "Re: your case",
        "text": "Here is the photo of my ticket.\n\nOn Monday Care wrote:\n> old text",
        "attachments": "1", "attachment1": (BytesIO(PNG), "ticket.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 200 and response.json["accepted"] is True
    reply = db_session.scalar(select(Event).where(Event.kind == "customer_reply"))
    assert reply.body == "Here is the photo of my ticket." and reply.detail["channel"] == "email"
    assert db_session.scalar(select(Attachment)).filename == "ticket.png"


@pytest.mark.parametrize("forgery", ["bad-signature", "other-reference", "plain-address"])
def test_a_reply_whose_token_does_not_verify_is_never_attached(hooked, db_session, forgery):
    case, other = make_case(db_session), make_case(db_session)
    db_session.commit()
    good = reply_address(case.reference, secret_key=SECRET, domain="reply.portal.test")
    to = {
        "bad-signature": good.replace(".", ".x", 1) if "." in good else good + "x",
        "other-reference": good.replace(case.reference, other.reference),
        "plain-address": "care@portal.test",
    }[forgery]
    response = hooked.test_client().post("/webhooks/sendgrid/inbound/s3cret", data={"to": to, "text": "Hello"})
    assert response.status_code == 200 and response.json["accepted"] is False
    assert db_session.scalar(select(Event).where(Event.kind == "customer_reply")) is None


def test_the_inbound_hook_needs_its_secret(hooked):
    assert hooked.test_client().post("/webhooks/sendgrid/inbound/guess", data={"to": "x"}).status_code == 403


def test_case_emails_carry_the_reply_to_address(hooked, db_session):
    case = make_case(db_session)
    issue_link(db_session, case)
    db_session.commit()
    with hooked.app_context():
        from portal.db import db

        message = mail.queue(db.session, "fan@fans.example", "password_reset", {"name": "F", "link": "x"},
                             case_id=case.id, case_reference=case.reference)
        assert re.fullmatch(rf"reply\+{case.reference}\.[\w-]+@reply\.portal\.test", message.reply_to)
        db.session.rollback()


def test_the_preferences_link_turns_news_off_and_on(hooked, db_session):
    customer = make_customer(db_session, email="olivia@fans.example")
    db_session.commit()
    with hooked.app_context():
        from portal.db import db

        news = queue_news(db.session, "olivia@fans.example", "password_reset", {"name": "O", "link": "x"})
        db.session.commit()
        path = re.search(r"http://127\.0\.0\.1:5000(/email-preferences/\S+)", news.body_text).group(1)
    client = hooked.test_client()
    assert "olivia@fans.example" in client.get(path).get_data(as_text=True)
    client.post(path, data={"news": "no"})
    db_session.expire_all()
    assert db_session.get(Customer, customer.id).email_opt_out_at is not None
    assert client.get("/email-preferences/forged-token").status_code == 404
    assert db_session.scalar(select(OutboxMessage).where(OutboxMessage.transactional.is_(False))) is not None


def _inbound(hooked, **form):
    return hooked.test_client().post("/webhooks/sendgrid/inbound/s3cret", data=form, content_type="multipart/form-data")


def test_a_reply_address_whose_case_was_folded_by_a_mail_system_still_lands(hooked, db_session):
    case = make_case(db_session)
    db_session.commit()
    to = reply_address(case.reference, secret_key=SECRET, domain="reply.portal.test")
    response = _inbound(hooked, to=to.lower(), text="Thanks, that is sorted.", **{"from": case.customer.email})
    assert response.json["accepted"] is True and response.json["case"] == case.reference


def test_a_reply_all_that_puts_the_case_address_in_cc_or_only_the_envelope_lands(hooked, db_session):
    case = make_case(db_session)
    db_session.commit()
    address = reply_address(case.reference, secret_key=SECRET, domain="reply.portal.test")
    sender = {"from": f"{case.customer.name} <{case.customer.email}>"}
    assert _inbound(hooked, to="friend@fans.example", cc=address, text="Cc'd", **sender).json["accepted"] is True
    envelope = f'{{"to": ["{address}"], "from": "{case.customer.email}"}}'
    assert _inbound(hooked, to="undisclosed-recipients:;", envelope=envelope, text="Bcc'd", **sender).json["accepted"]
    assert len(db_session.scalars(select(Event).where(Event.kind == "customer_reply")).all()) == 2


def test_a_refused_attachment_is_left_out_but_the_customers_words_are_kept(hooked, db_session):
    case = make_case(db_session)
    db_session.commit()
    to = reply_address(case.reference, secret_key=SECRET, domain="reply.portal.test")
    response = _inbound(hooked, to=to, text="My receipt is attached.", attachments="1", **{"from": case.customer.email},
                        attachment1=(BytesIO(b"MZ\x90\x00 not a picture"), "receipt.exe"))
    assert response.status_code == 200 and response.json["accepted"] is True
    reply = db_session.scalar(select(Event).where(Event.kind == "customer_reply"))
    assert reply.body.startswith("My receipt is attached.")
    assert "receipt.exe must be a picture" in reply.body
    assert db_session.scalar(select(Attachment)) is None


def test_an_email_to_the_case_address_from_someone_else_is_held_for_the_owner(hooked, db_session, outbox):
    case = make_case(db_session)
    db_session.commit()
    to = reply_address(case.reference, secret_key=SECRET, domain="reply.portal.test")
    response = _inbound(hooked, to=to, text="Please refund me to this new account instead.", attachments="1",
                        attachment1=(BytesIO(PNG), "proof.png"), **{"from": "Mallory <mallory@evil.example>"})
    assert response.status_code == 200 and response.json["held"] is True
    assert db_session.scalar(select(Event).where(Event.kind == "customer_reply")) is None
    held = db_session.scalar(select(Event).where(Event.kind == "email_held"))
    assert held.public is False and held.by_customer is False and held.detail["sender"] == "mallory@evil.example"
    assert held.body.startswith("Please refund me") and "1 attached file not kept" in held.body
    assert db_session.scalar(select(Attachment)) is None
    db_session.expire_all()
    assert db_session.get(type(case), case.id).last_customer_activity_at is None
    told = [m for m in outbox() if m["To"] == case.owner.email]
    assert told and "mallory@evil.example" in told[-1].get_body(("plain",)).get_content()


def test_a_signed_event_batch_replayed_later_is_refused(hooked, keys, bounced_case, db_session):
    _case, message = bounced_case
    payload = json.dumps([{"event": "delivered", "sg_event_id": "late1", "email": "james@fans.example",
                           "outbox_id": str(message.id)}])
    stale = str(int(time.time()) - 600)
    signature = keys[0].sign((stale + payload).encode(), ec.ECDSA(hashes.SHA256()))
    headers = {"X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
               "X-Twilio-Email-Event-Webhook-Timestamp": stale, "Content-Type": "application/json"}
    response = hooked.test_client().post("/webhooks/sendgrid/events", data=payload, headers=headers)
    assert response.status_code == 403 and "too old" in response.json["error"]
    assert db_session.scalar(select(OutboxEvent)) is None
    fresh = hooked.test_client().post("/webhooks/sendgrid/events", data=payload, headers=signed(keys[0], payload))
    assert fresh.status_code == 200


def test_a_drop_for_an_unsubscribed_address_does_not_mark_it_undeliverable(hooked, keys, bounced_case, db_session):
    case, message = bounced_case
    payload = json.dumps([{"event": "dropped", "sg_event_id": "d1", "email": "james@fans.example",
                           "outbox_id": str(message.id), "reason": "Unsubscribed Address"}])
    hooked.test_client().post("/webhooks/sendgrid/events", data=payload, headers=signed(keys[0], payload))
    db_session.expire_all()
    assert db_session.get(Customer, case.customer_id).email_undeliverable is False
