"""E-mail to the care address becomes a case, through SendGrid's Inbound Parse as SendGrid posts it, on SQLite and
PostgreSQL: the same message twice files once, machines' mail never files or loops, and an answer threaded by
In-Reply-To lands on a case only from that case's own customer."""

import json
import re
from io import BytesIO

import pytest
from sqlalchemy import func, select

from portal import mail
from portal.cases.models import Attachment, Case, Channel, Customer, Event
from portal.mail.models import InboundMessage, OutboxMessage
from tests.conftest import make_test_app
from tests.factories import PNG, make_case, make_category, make_employee, make_team

CARE = "care@portal.test"


@pytest.fixture
def care_app(db_url, tmp_path):
    return make_test_app(db_url, tmp_path, SENDGRID_INBOUND_SECRET="s3cret", INBOUND_DOMAIN="reply.portal.test",
                         MAIL_FROM=f"Riverside Rovers FC <{CARE}>", EMAIL_CATEGORY="Matchday")


@pytest.fixture
def matchday(care_app, session):
    team = make_team(session, "Supporter Services")
    agent = make_employee(session, name="Amira Khan", team=team)
    make_category(session, team=make_team(session), name="Catering")  # first by name: not the one configured
    category = make_category(session, team=team, name="Matchday")
    session.commit()
    return agent, category


def headers(**values: str) -> str:
    """The raw header block SendGrid passes in its ``headers`` field."""
    lines = {"Message-ID": "<m1@mail.fans.example>", "Date": "Wed, 02 Dec 2026 10:00:00 +0000",
             "Subject": "Seat problem", "MIME-Version": "1.0"}
    lines.update({k.replace("_", "-"): v for k, v in values.items()})
    return "\r\n".join(f"{k}: {v}" for k, v in lines.items() if v is not None) + "\r\n"


def post(app, *, sender="James Smith <james@fans.example>", to=f"Riverside Rovers <{CARE}>", text="", html="",
         subject="Seat problem", raw_headers=None, envelope_from="james@fans.example", files=(), **extra):
    """A multipart post with the fields Inbound Parse sends: headers, envelope, from, to, subject, text, html,
    attachments, attachment-info and attachmentN."""
    form = {
        "headers": raw_headers if raw_headers is not None else headers(),
        "envelope": json.dumps({"to": [re.sub(r".*<|>.*", "", to)], "from": envelope_from}),
        "from": sender, "to": to, "subject": subject, "text": text, "html": html,
        "charsets": json.dumps({"to": "UTF-8", "from": "UTF-8", "subject": "UTF-8", "text": "UTF-8"}),
        "SPF": "pass", "spam_score": "0.1",
        "attachments": str(len(files)),
        "attachment-info": json.dumps({f"attachment{i}": {"filename": name, "name": name}
                                       for i, (name, _data) in enumerate(files, 1)}),
        **extra,
    }
    for i, (name, data) in enumerate(files, 1):
        form[f"attachment{i}"] = (BytesIO(data), name)
    response = app.test_client().post("/webhooks/sendgrid/inbound/s3cret", data=form,
                                      content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def cases(session) -> list[Case]:
    session.expire_all()
    return list(session.scalars(select(Case).order_by(Case.id)))


def test_an_email_to_the_care_address_files_a_case_with_an_owner_and_sends_the_receipt(care_app, matchday, session,
                                                                                        outbox):
    agent, category = matchday
    answer = post(care_app, text="My seat 14F was taken by someone else on Saturday.\n\nThanks\n-- \nJames Smith\n"
                  "07700 900123\n\nOn Fri, Care <care@portal.test> wrote:\n> earlier")
    assert answer["accepted"] is True and answer["filed"] is True
    [case] = cases(session)
    assert case.channel is Channel.email and case.owner_id == agent.id and case.category_id == category.id
    assert case.what_happened == "Seat problem\n\nMy seat 14F was taken by someone else on Saturday.\n\nThanks"
    assert case.make_it_right == ""
    customer = session.get(Customer, case.customer_id)
    assert (customer.email, customer.name) == ("james@fans.example", "James Smith")
    [receipt] = [m for m in outbox() if m["To"] == "james@fans.example"]
    text = receipt.get_body(("plain",)).get_content()
    assert case.reference in receipt["Subject"] and "What can we do to make this right?" in text
    assert re.search(r"/my-case/\S+", text)
    # Our own Message-ID goes out with it, so an answer that loses the Reply-To still threads.
    stored = session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "james@fans.example"))
    assert stored.message_id and receipt["Message-ID"] == f"<{stored.message_id}>"
    assert session.scalar(select(InboundMessage.case_id)) == case.id


def test_a_known_customer_keeps_their_name_and_an_html_only_email_keeps_its_words(care_app, matchday, session):
    post(care_app, sender="james@fans.example", text="First time.")
    customer = session.scalar(select(Customer))
    customer.name = "James Smith"
    session.commit()
    post(care_app, sender="JAMES <James@Fans.Example>", subject="Food",
         raw_headers=headers(Message_ID="<m2@mail.fans.example>"),
         html="<html><head><style>p{color:red}</style></head><body><p>The pie was <b>cold</b>.</p>"
              "<blockquote>Earlier e-mail</blockquote></body></html>")
    first, second = cases(session)
    assert second.customer_id == first.customer_id and session.get(Customer, first.customer_id).name == "James Smith"
    assert second.what_happened == "Food\n\nThe pie was cold."


def test_the_same_message_id_twice_files_once(care_app, matchday, session, outbox):
    first = post(care_app, text="My seat was taken.")
    again = post(care_app, text="My seat was taken.")
    assert first["accepted"] is True and again == {"accepted": False, "reason": "already received", "duplicate": True}
    assert len(cases(session)) == 1
    assert len([m for m in outbox() if m["To"] == "james@fans.example"]) == 1


@pytest.mark.parametrize("machine", [
    {"raw_headers": headers(Auto_Submitted="auto-replied")},
    {"raw_headers": headers(Precedence="bulk")},
    {"raw_headers": headers(Precedence="list")},
    {"raw_headers": headers(X_Autoreply="yes")},
    {"raw_headers": headers(List_Id="<fans.lists.example>")},
    {"sender": f"Riverside Rovers FC <{CARE}>"},
    {"sender": "reply+MIR-2026-000001.abc@reply.portal.test"},
    {"sender": "MAILER-DAEMON@mx.fans.example"},
    {"envelope_from": ""},
], ids=["auto-submitted", "bulk", "list", "x-autoreply", "list-id", "our-own-address", "our-reply-domain",
        "mailer-daemon", "bounce"])
def test_machines_mail_never_files_a_case_nor_gets_an_answer(care_app, matchday, session, outbox, machine):
    answer = post(care_app, text="I am out of the office until Monday.", **machine)
    assert answer["accepted"] is False and answer["reason"].startswith("sent by a machine")
    assert cases(session) == [] and outbox() == []
    assert session.scalar(select(InboundMessage.outcome)).startswith("refused: sent by a machine")


def test_an_answer_naming_one_of_our_emails_threads_onto_that_case_only_from_its_customer(care_app, matchday,
                                                                                           session):
    agent, category = matchday
    case = make_case(session, owner=agent, category=category)
    ours = mail.queue(session, case.customer.email, "password_reset", {"name": "J", "link": "x"}, case_id=case.id)
    session.commit()
    thread = f"<other@fans.example> <{ours.message_id}>"
    reply = post(care_app, sender=case.customer.email, text="Here is my seat number: 14F.",
                 raw_headers=headers(Message_ID="<r1@fans.example>", In_Reply_To=f"<{ours.message_id}>",
                                     References=thread))
    assert reply["accepted"] is True and reply["threaded"] is True and reply["case"] == case.reference
    assert len(cases(session)) == 1
    assert session.scalar(select(Event.body).where(Event.kind == "customer_reply")) == "Here is my seat number: 14F."
    # Someone else answering the same e-mail (a forward, say) is a new case of theirs, never a reply on this one.
    stranger = post(care_app, sender="Mallory <mallory@evil.example>", text="Refund me instead.",
                    raw_headers=headers(Message_ID="<r2@evil.example>", In_Reply_To=f"<{ours.message_id}>"))
    assert stranger["filed"] is True and stranger["case"] != case.reference
    assert session.scalar(select(func.count()).select_from(Event).where(Event.case_id == case.id,
                                                                     Event.body.contains("Refund"))) == 0
    mallory = session.scalar(select(Case).where(Case.reference == stranger["case"]))
    assert session.get(Customer, mallory.customer_id).email == "mallory@evil.example"


def test_an_answer_to_an_ended_case_starts_a_follow_up(care_app, matchday, session):
    from portal.cases.models import CaseStatus

    agent, category = matchday
    case = make_case(session, owner=agent, category=category, status=CaseStatus.closed)
    ours = mail.queue(session, case.customer.email, "password_reset", {"name": "J", "link": "x"}, case_id=case.id)
    session.commit()
    answer = post(care_app, sender=case.customer.email, text="It happened again.",
                  raw_headers=headers(In_Reply_To=f"<{ours.message_id}>"))
    assert answer["filed"] is True and answer["follow_up_of"] == case.reference
    follow_up = cases(session)[-1]
    assert follow_up.customer_id == case.customer_id and case.reference in follow_up.what_happened


def test_refused_attachments_are_noted_and_the_words_and_good_files_kept(care_app, matchday, session):
    answer = post(care_app, text="Photos of the broken seat attached.",
                  files=[("seat.png", PNG), ("invoice.exe", b"MZ\x90\x00 not a picture")])
    assert answer["accepted"] is True
    [case] = cases(session)
    assert case.what_happened.startswith("Seat problem\n\nPhotos of the broken seat attached.")
    assert "invoice.exe must be a picture" in case.what_happened
    assert [a.filename for a in session.scalars(select(Attachment))] == ["seat.png"]


@pytest.mark.parametrize("hostile", [
    {"text": "Nul\x00 bytes\x00 and\r\nCR/LF", "subject": "Bad\x00subject\r\nBcc: x@evil.example"},
    {"sender": "\x00"},
    {"text": "", "subject": ""},
])
def test_hostile_or_empty_mail_is_answered_and_never_half_filed(care_app, matchday, session, hostile):
    answer = post(care_app, **hostile)
    found = cases(session)
    if answer["accepted"]:
        [case] = found
        assert "\x00" not in case.what_happened and "\r" not in case.what_happened
        assert "\n" not in case.what_happened.split("\n\n")[0]  # the subject stays one line
    else:
        assert found == [] and answer["reason"]


def test_mail_not_for_the_care_address_or_a_case_is_refused(care_app, matchday, session):
    answer = post(care_app, to="sales@portal.test", text="Buy our widgets.")
    assert answer == {"accepted": False, "reason": "no verified case address"} and cases(session) == []


def test_the_customer_adds_what_would_make_it_right_on_their_case_page(care_app, matchday, session, outbox):
    post(care_app, text="My seat 14F was taken.")
    [receipt] = [m for m in outbox() if m["To"] == "james@fans.example"]
    path = re.search(r"http://[^/\s]+(/my-case/\S+)", receipt.get_body(("plain",)).get_content()).group(1)
    client = care_app.test_client()
    page = client.get(path).get_data(as_text=True)
    assert "Tell us what would make this right" in page
    empty = client.post(f"{path}/make-it-right", data={"make_it_right": "  "})
    assert empty.status_code == 422 and "Tell us what we can do to make this right." in empty.get_data(as_text=True)
    done = client.post(f"{path}/make-it-right", data={"make_it_right": "A seat for the next home match."},
                       follow_redirects=True)
    assert "Amira will start from what you asked for" in done.get_data(as_text=True)
    assert "Tell us what would make this right" not in done.get_data(as_text=True)
    [case] = cases(session)
    assert case.make_it_right == "A seat for the next home match."
    assert session.scalar(select(Event.kind).where(Event.kind == "make_it_right_added"))
    # Asked once: a second answer (a page opened before) changes nothing.
    client.post(f"{path}/make-it-right", data={"make_it_right": "Something else"})
    session.expire_all()
    assert session.get(Case, case.id).make_it_right == "A seat for the next home match."


def test_admins_see_every_email_received_and_what_became_of_it(care_app, matchday, session):
    from portal.auth.models import Role
    from tests.factories import sign_in

    admin = make_employee(session, name="Alex Morgan", role=Role.admin)
    session.commit()
    post(care_app, text="My seat was taken.")
    post(care_app, text="Out of office.", raw_headers=headers(Message_ID="<ooo@fans.example>",
                                                             Auto_Submitted="auto-replied"))
    client = care_app.test_client()
    sign_in(client, admin)
    page = client.get("/staff/admin/outbox/received").get_data(as_text=True)
    [case] = cases(session)
    assert f'href="/staff/cases/{case.reference}"' in page
    assert "Not acted on</span> Sent by a machine: auto-submitted: auto-replied" in page
    assert "E-mail received" in client.get("/staff/admin/").get_data(as_text=True)
