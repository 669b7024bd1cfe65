import re
from io import BytesIO

from sqlalchemy import event as sa_event
from sqlalchemy import select

from portal.cases import customer_access
from portal.cases.customer_access import issue_link
from portal.cases.models import Attachment, Case, CaseStatus, Customer, Event
from portal.cases.timeline import record
from tests.browserlike import without_csrf_tokens
from tests.cases.conftest import form_data, private_link
from tests.conftest import make_test_app
from tests.factories import PNG, make_case, make_customer


def signed_in_as(client, customer) -> None:
    """The customer's browser after signing in (the sign-in itself is tested in tests/auth/test_sessions.py)."""
    with client.session_transaction() as s:
        s["customer"] = customer.session_key()


def test_filing_shows_who_owns_the_case_and_when_they_will_reply(client, category, outbox):
    response = client.post("/tell-us", data=form_data(category))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Maria from Ticket Office owns your case" in page
    assert re.search(r"MIR-\d{4}-\d{6}", page)
    assert "will reply by" in page
    assert len(outbox()) == 1


def test_every_missing_answer_is_explained_beside_its_field_and_in_the_summary(client, category):
    response = client.post("/tell-us", data={"name": "James", "email": "not-an-email", "category_id": "",
                                             "what_happened": "", "make_it_right": "", "preferred_contact": "phone",
                                             "better_in_future": "More staff at gate 3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field, message in [
        ("email", "Enter an e-mail address in the right format"),
        ("category_id", "Choose what your feedback is about."),
        ("what_happened", "Tell us what happened."),
        ("make_it_right", "Tell us what we can do to make this right."),
        ("phone", "Enter a phone number, or choose to be contacted by e-mail."),
    ]:
        assert f'href="#{field}"' in page, field
        assert f'id="{field}-error"' in page and message in page, field
    assert 'value="James"' in page and "More staff at gate 3" in page


def test_length_limits_are_shown_and_enforced(client, category):
    page = client.get("/tell-us").get_data(as_text=True)
    assert "Up to 5,000 characters" in page
    response = client.post("/tell-us", data=form_data(category, what_happened="x" * 5001))
    assert response.status_code == 422 and "5000 characters" in response.get_data(as_text=True)


def test_a_suggestion_does_not_ask_to_make_it_right(client, category, db_session):
    page = client.get("/suggest").get_data(as_text=True)
    assert "What can we do to make this right?" not in page and "What is your suggestion?" in page
    response = client.post("/suggest", data=form_data(category, make_it_right=""))
    assert response.status_code == 302
    assert db_session.scalar(select(Case)).kind.value == "suggestion"


def test_the_honeypot_keeps_nothing(client, category, db_session, outbox):
    response = client.post("/tell-us", data=form_data(category, website="http://spam.example"))
    assert response.status_code == 302
    assert db_session.scalar(select(Case)) is None and outbox() == []


def test_an_attachment_that_is_not_a_picture_keeps_everything_typed(client, category, db_session):
    data = form_data(category, what_happened="Seat 14C was double-booked.")
    data["attachments"] = [(BytesIO(b"MZ\x90\x00 not a picture"), "photo.jpg")]
    response = client.post("/tell-us", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "photo.jpg must be a picture" in page and "Seat 14C was double-booked." in page
    assert db_session.scalar(select(Case)) is None


def test_the_private_link_opens_the_case_page_with_its_public_timeline_only(client, category, outbox, db_session):
    client.post("/tell-us", data=form_data(category))
    link = private_link(outbox)
    case = db_session.scalar(select(Case))
    record(db_session, case, "note", by=case.owner, body="Internal: check the turnstile logs.")
    record(db_session, case, "reply", by=case.owner, public=True, body="Sorry James, I am looking into it.")
    db_session.commit()
    page = client.get(link).get_data(as_text=True)
    assert "My card would not scan." in page and "Sorry James, I am looking into it." in page
    assert "Internal: check the turnstile logs." not in page
    assert "Maria, Ticket Office" in page and 'aria-current="step"' in page


def test_a_guessed_or_wrong_token_is_a_plain_404(client, category):
    for token in ("abc", "x" * 43, "../../etc/passwd", "%00"):
        response = client.get(f"/my-case/{token}")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "This link does not work" in page or "Page not found" in page  # the latter: not a link at all


def test_a_customer_replies_with_a_picture_and_the_owner_is_told(client, category, outbox, db_session):
    client.post("/tell-us", data=form_data(category))
    link = private_link(outbox)
    response = client.post(f"{link}/reply", data={"body": "Here is my ticket.",
                                                  "attachments": [(BytesIO(PNG), "ticket.png")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(link).get_data(as_text=True)
    assert "Here is my ticket." in page and "ticket.png" in page
    attachment = db_session.scalar(select(Attachment))
    image = client.get(f"{link}/attachments/{attachment.id}")
    assert image.status_code == 200 and image.data == PNG and image.headers["Cache-Control"] == "private, no-store"
    assert outbox()[-1]["Subject"].startswith("James Smith replied on MIR-")


def test_an_empty_reply_is_explained(client, category, outbox):
    client.post("/tell-us", data=form_data(category))
    response = client.post(f"{private_link(outbox)}/reply", data={"body": "  "})
    assert response.status_code == 422 and "Write your reply, or attach a file." in response.get_data(as_text=True)


def test_one_customer_can_never_reach_anothers_case_or_files(client, category, db_session):
    mine, theirs = make_case(db_session, category=category), make_case(db_session, category=category)
    my_token, their_token = issue_link(db_session, mine), issue_link(db_session, theirs)
    db_session.flush()
    their_file = Attachment(case_id=theirs.id, filename="their.png", content_type="image/png", size=1,
                            storage_name="their-file")
    db_session.add(their_file)
    db_session.commit()
    assert client.get(f"/my-case/{my_token}/attachments/{their_file.id}").status_code == 404
    assert client.get(f"/my-case/{their_token}").status_code == 200
    assert mine.reference not in client.get(f"/my-case/{their_token}").get_data(as_text=True)
    # A signed-in customer cannot open another's case by its reference.
    signed_in_as(client, mine.customer)
    assert client.get(f"/account/cases/{mine.reference}").status_code == 200
    assert client.get(f"/account/cases/{theirs.reference}").status_code == 404
    assert client.post(f"/account/cases/{theirs.reference}/withdraw").status_code == 404
    db_session.expire_all()
    assert db_session.get(Case, theirs.id).status is CaseStatus.new


def test_withdrawing_stops_the_case(client, category, outbox, db_session):
    client.post("/tell-us", data=form_data(category))
    link = private_link(outbox)
    client.post(f"{link}/withdraw", data={"reason": "Sorted at the ground."})
    page = client.get(link).get_data(as_text=True)
    assert "You withdrew this case." in page and "Send reply" not in page
    assert db_session.scalar(select(Case)).status is CaseStatus.withdrawn


def test_send_me_my_links_never_says_whether_an_address_has_cases(client, category, outbox):
    client.post("/tell-us", data=form_data(category))
    known = client.post("/find-my-case", data={"email": "james@fans.example"}, follow_redirects=True)
    unknown = client.post("/find-my-case", data={"email": "nobody@fans.example"}, follow_redirects=True)
    def normalise(page: str) -> str:
        return without_csrf_tokens(page).replace("james@fans.example", "X").replace("nobody@fans.example", "X")

    assert normalise(known.get_data(as_text=True)) == normalise(unknown.get_data(as_text=True))
    assert [m["Subject"] for m in outbox()][-1].startswith("Your links to your cases")
    assert len(outbox()) == 2


def test_a_customer_signs_in_by_emailed_link_and_sees_all_their_cases(client, category, outbox):
    client.post("/tell-us", data=form_data(category))
    client.post("/tell-us", data=form_data(category, what_happened="The kiosk was shut at half-time."))
    client.post("/account/sign-in", data={"email": "james@fans.example"})
    link = re.search(r"http://127\.0\.0\.1:5000(/account/sign-in/\S+)",
                     outbox()[-1].get_body(("plain",)).get_content()).group(1)
    page = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert page.count("MIR-") >= 2 and "Your cases" in page
    client.post("/account/sign-out")
    reused = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "already been used" in reused


def test_a_customer_sets_a_password_and_signs_in_with_it(client, category, db_session):
    customer = make_customer(db_session, email="olivia@fans.example")
    make_case(db_session, customer=customer, category=category)
    db_session.commit()
    signed_in_as(client, customer)
    client.post("/account/password", data={"password": "olivia's password", "confirm": "olivia's password"})
    client.post("/account/sign-out")
    wrong = client.post("/account/sign-in", data={"email": "olivia@fans.example", "password": "nope"})
    assert wrong.status_code == 422
    right = client.post("/account/sign-in", data={"email": "olivia@fans.example", "password": "olivia's password"})
    assert right.status_code == 302 and right.location.endswith("/account")


def test_wrong_customer_passwords_slow_only_the_address_they_come_from(app, category, db_session):
    customer = make_customer(db_session, email="olivia@fans.example")
    customer_access.set_password(customer, "olivia's password")
    db_session.commit()
    guesser, olivia = app.test_client(), app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    pages = [guesser.post("/account/sign-in", data={"email": "olivia@fans.example", "password": "guess"})
             .get_data(as_text=True) for _ in range(6)]
    assert "Enter a correct e-mail address and password" in pages[0]
    assert "Too many wrong passwords" in pages[5] and "Wait 1 minute" in pages[5] and "sign-in link" in pages[5]
    right = olivia.post("/account/sign-in", data={"email": "olivia@fans.example", "password": "olivia's password"})
    assert right.status_code == 302 and right.location.endswith("/account")


def test_filing_and_link_requests_are_rate_limited_with_a_clear_429(sqlite_url, tmp_path, db_session):
    app = make_test_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.post("/find-my-case", data={"email": "james@fans.example"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    # Another address from the same place is still served until the per-address limit...
    assert client.post("/find-my-case", data={"email": "olivia@fans.example"}).status_code == 302
    limited = client.post("/tell-us", data={"email": "x@fans.example"})
    for _ in range(6):
        limited = client.post("/tell-us", data={"email": "x@fans.example"})
    assert limited.status_code == 429 and "Try again in" in limited.get_data(as_text=True)


def _count_queries(app, client, path: str) -> int:
    from portal.db import db

    statements = []

    def count(*_args):
        statements.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_case_page_runs_the_same_queries_for_2_or_200_timeline_entries(app, client, db_session, category):
    counts = []
    client.get("/")  # warm the per-process caches (the organisation's name) so only the case page is counted
    for entries in (2, 200):
        case = make_case(db_session, category=category)
        for i in range(entries):
            record(db_session, case, "reply" if i % 2 else "customer_reply", by=case.owner if i % 2 else None,
                   by_customer=not i % 2, public=True, body=f"Message {i}")
        token = issue_link(db_session, case)
        db_session.commit()
        counts.append(_count_queries(app, client, f"/my-case/{token}"))
    assert counts[0] == counts[1], counts


def test_no_customer_is_created_twice_for_one_address(client, category, db_session):
    client.post("/tell-us", data=form_data(category))
    client.post("/tell-us", data=form_data(category, email="JAMES@fans.example", what_happened="Another thing."))
    assert len(db_session.scalars(select(Customer)).all()) == 1
    assert len(db_session.scalars(select(Event).where(Event.kind == "filed")).all()) == 2


def test_the_case_page_links_to_the_offer_when_options_are_waiting(client, category, db_session):
    from tests.factories import make_offer

    case = make_case(db_session, category=category)
    make_offer(db_session, case=case)
    token = issue_link(db_session, case)
    db_session.commit()
    page = client.get(f"/my-case/{token}").get_data(as_text=True)
    assert "We have offered you 3 options." in page
    offer_link = re.search(r'href="(/offers/[^"]+)">Choose how we make it right', page).group(1)
    assert client.get(offer_link).status_code == 200


def test_two_first_filings_racing_for_one_new_customer_both_succeed(client, category, db_session, monkeypatch):
    """The loser of the race hits the unique e-mail address, rolls back and files again for the same customer."""
    from portal.cases import filing

    real = filing.find_customer
    calls = {"n": 0}

    def late_find(session, email):
        calls["n"] += 1
        if calls["n"] == 1:
            # Another request creates the customer between our look-up and our insert.
            from sqlalchemy.orm import Session

            from portal.db import db

            with Session(db.engine) as other:
                other.add(Customer(email="james@fans.example", name="James Smith"))
                other.commit()
            return None
        return real(session, email)

    monkeypatch.setattr(filing, "find_customer", late_find)
    response = client.post("/tell-us", data=form_data(category))
    assert response.status_code == 302
    assert len(db_session.scalars(select(Customer)).all()) == 1
    assert db_session.scalar(select(Case)).customer.email == "james@fans.example"


def test_the_cached_filing_form_carries_each_visitors_own_token(category, sqlite_url, tmp_path):
    from tests.conftest import make_test_app

    app = make_test_app(sqlite_url, tmp_path, WTF_CSRF_ENABLED=True)
    first, second = app.test_client(), app.test_client()

    def token(client) -> str:
        page = client.get("/tell-us").get_data(as_text=True)
        assert "Tickets" in page
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    first_token, second_token = token(first), token(second)  # the second page is the cached copy
    assert first_token != second_token
    filed = second.post("/tell-us", data=form_data(category, csrf_token=second_token))
    assert filed.status_code == 302 and filed.location.endswith("/tell-us/received")
    assert first.post("/tell-us", data=form_data(category, csrf_token=second_token)).status_code == 400


def test_a_broken_private_link_points_to_send_me_my_links(client):
    response = client.get("/my-case/this-link-was-cut-in-two")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This link does not work" in page and '<a class="button" href="/find-my-case">Send me my links</a>' in page


def test_a_failed_submit_puts_the_error_summary_first_with_focus(client, category):
    page = client.post("/tell-us", data=form_data(category, email="nope")).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>', page).group(0)
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    assert '<script src="/static/js/error-summary.js" defer></script>' in page
    assert client.get("/static/js/error-summary.js").status_code == 200
