"""One broken event in a signed SendGrid batch is skipped and logged; the rest of the batch is still applied."""

import json
import logging

import pytest
from sqlalchemy import select

from portal import mail
from portal.cases.models import Customer
from portal.mail.models import OutboxEvent
from tests.conftest import make_test_app
from tests.factories import make_case, make_customer
from tests.mail.test_webhooks import SECRET, keys, signed  # noqa: F401 - keys is a fixture


@pytest.fixture
def events_app(db_url, tmp_path, keys):  # noqa: F811
    return make_test_app(db_url, tmp_path, SENDGRID_WEBHOOK_PUBLIC_KEY=keys[1], SECRET_KEY=SECRET)


@pytest.mark.parametrize(("field", "value"), [
    ("outbox_id", "9" * 30),
    ("timestamp", 1e20),
    ("timestamp", -1e15),
    ("timestamp", 1e308),
    ("timestamp", "soon"),
    ("email", "james\x00@fans.example"),
])
def test_a_bad_event_is_skipped_and_the_bounce_beside_it_still_counts(events_app, keys, field, value,  # noqa: F811
                                                                      caplog):
    from portal.db import db

    with events_app.app_context():
        customer = make_customer(db.session, email="james@fans.example")
        case = make_case(db.session, customer=customer)
        message = mail.queue(db.session, customer.email, "password_reset", {"name": "J", "link": "x"},
                             case_id=case.id)
        db.session.commit()
        customer_id, message_id = customer.id, message.id
    bad = {"event": "delivered", "sg_event_id": "bad-1", "email": "james@fans.example", "outbox_id": str(message_id),
           "timestamp": 1763800000, field: value}
    good = {"event": "bounce", "sg_event_id": "good-1", "email": "james@fans.example", "outbox_id": str(message_id),
            "reason": "550 mailbox unavailable", "timestamp": 1763800100}
    payload = json.dumps([bad, good])
    with caplog.at_level(logging.WARNING, logger="portal.mail.events"):
        response = events_app.test_client().post("/webhooks/sendgrid/events", data=payload,
                                                 headers=signed(keys[0], payload))
    assert response.status_code == 200
    with events_app.app_context():
        recorded = {e.provider_event_id: e for e in db.session.scalars(select(OutboxEvent))}
        assert "good-1" in recorded and db.session.get(Customer, customer_id).email_undeliverable
        if field == "outbox_id":
            # An id no message can have: the event is kept, attached to no message.
            assert recorded["bad-1"].message_id is None and response.json == {"recorded": 2}
        else:
            assert "bad-1" not in recorded and response.json == {"recorded": 1}
            assert "bad-1" in caplog.text and "skipped" in caplog.text
