"""The remedy pages as staff and customers use them."""

import re

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.cases.models import Case, CaseKind, CaseStatus
from portal.remedies.links import offer_token
from portal.remedies.models import CatalogueEntry, Offer, OfferStatus
from tests.factories import (
    make_case,
    make_catalogue_entry,
    make_category,
    make_employee,
    make_offer,
    make_team,
    sign_in,
)

SECRET = "test-secret-key-that-is-long-enough"


def _option(i, kind, description, when, cost):
    return {f"options-{i}-kind": kind, f"options-{i}-description": description,
            f"options-{i}-when_text": when, f"options-{i}-cost": cost}


@pytest.fixture
def case(db_session):
    team = make_team(db_session, "Ticket Office")
    category = make_category(db_session, team=team, name="Tickets")
    owner = make_employee(db_session, name="Maria Lopez", team=team, authority_limit="150")
    case = make_case(db_session, owner=owner, category=category)
    case.make_it_right = "Refund the match or give me a credit for the next home game."
    make_catalogue_entry(db_session, category=category, kind="refund", title="Refund the ticket",
                         description="We refund the price of your ticket.", typical_cost="35")
    make_catalogue_entry(db_session, category=category, kind="callback", title="A call from the manager",
                         description="The ticket office manager calls you.", typical_cost="0")
    db_session.commit()
    return case


def test_the_composer_shows_the_customers_words_and_suggests_a_matching_remedy(client, db_session, case):
    sign_in(client, case.owner)
    page = client.get(f"/staff/cases/{case.reference}/offer").get_data(as_text=True)
    assert "Refund the match or give me a credit for the next home game." in page
    assert "Suggested" in page
    # The suggestion fills the first option.
    assert re.search(r'id="options-0-description"[^>]*>\s*We refund the price of your ticket.', page)
    assert "£150.00" in page


def test_the_composer_shows_the_dearest_option_beside_the_authority_limit(client, db_session, case):
    sign_in(client, case.owner)
    page = client.get(f"/staff/cases/{case.reference}/offer").get_data(as_text=True)
    total = page.split('id="offer-total"')[1].split("</p>")[0]
    assert "Dearest option <strong data-offer-highest>£35.00</strong>" in total  # the suggestion's cost
    assert "Your authority limit <strong>£150.00</strong>" in total and "Within it: goes straight to" in total
    # A page sent back with a problem judges what was typed, as the server will when the offer is sent.
    data = {**_option(0, "refund", "A full refund.", "", "35"),
            **_option(1, "gesture", "A hospitality box for two.", "At the next home match.", "400")}
    response = client.post(f"/staff/cases/{case.reference}/offer", data=data)
    assert response.status_code == 422
    total = response.get_data(as_text=True).split('id="offer-total"')[1].split("</p>")[0]
    assert "£400.00" in total and "Above it: a manager approves first" in total
    # Each box of a row is named by its own label and points at the hint said once above the rows.
    assert 'aria-describedby="offer-hint-description"' in page and 'aria-describedby="offer-hint-cost"' in page
    assert page.count('role="group" aria-labelledby="option-') == 3


def test_the_composer_refuses_one_option_with_a_linked_error(client, db_session, case):
    sign_in(client, case.owner)
    response = client.post(f"/staff/cases/{case.reference}/offer",
                           data=_option(0, "refund", "Your money back", "In 5 days", "20"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'href="#options-1-description"' in page and "two or three options" in page
    assert "Your money back" in page  # kept after the error
    assert db_session.scalar(select(Offer)) is None


def test_an_offer_on_a_suggestion_is_refused_even_when_posted_directly(client, db_session, case, outbox):
    case.kind = CaseKind.suggestion
    db_session.commit()
    sign_in(client, case.owner)
    assert ">Offer remedies</a>" not in client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "is a suggestion" in client.get(f"/staff/cases/{case.reference}/offer").get_data(as_text=True)
    data = {**_option(0, "refund", "A full refund of your ticket.", "Within 5 working days.", "35"),
            **_option(1, "account_credit", "£40 credit for the next match.", "On your account today.", "40")}
    response = client.post(f"/staff/cases/{case.reference}/offer", data=data)
    assert response.status_code == 422
    assert "is a suggestion" in response.get_data(as_text=True)
    assert db_session.scalar(select(Offer)) is None and outbox() == []
    db_session.expire_all()
    assert db_session.get(Case, case.id).status is CaseStatus.new


def test_an_offer_within_the_limit_is_sent(client, db_session, case, outbox):
    sign_in(client, case.owner)
    data = {**_option(0, "refund", "A full refund of your ticket.", "Within 5 working days.", "35"),
            **_option(1, "account_credit", "£40 credit for the next match.", "On your account today.", "40")}
    response = client.post(f"/staff/cases/{case.reference}/offer", data=data)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Your offer is on its way" in page and "Waiting for the customer to choose" in page
    [mail] = outbox()
    assert mail["To"] == case.customer.email and "Choose how we make it right" in mail["Subject"]


def test_an_offer_above_the_limit_waits_and_the_manager_approves_it(client, db_session, case, outbox):
    manager = make_employee(db_session, name="Priya Shah", role=Role.manager, team=case.category.team,
                            authority_limit="1000")
    db_session.commit()
    sign_in(client, case.owner)
    data = {**_option(0, "refund", "A full refund.", "5 days.", "35"),
            **_option(1, "gesture", "A hospitality box for two.", "At the next home match.", "400")}
    client.post(f"/staff/cases/{case.reference}/offer", data=data)
    assert [m["To"] for m in outbox()] == [manager.email]
    client.post("/staff/sign-out")
    sign_in(client, manager)
    queue = client.get("/staff/approvals").get_data(as_text=True)
    assert case.reference in queue and "£400.00" in queue
    offer = db_session.scalar(select(Offer))
    review = client.get(f"/staff/approvals/{offer.id}").get_data(as_text=True)
    assert "A hospitality box for two." in review and "Refund the match" in review
    empty = client.post(f"/staff/approvals/{offer.id}/return", data={"return_comment": ""})
    assert empty.status_code == 422
    response = client.post(f"/staff/approvals/{offer.id}/approve", data={"comment": ""})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Offer, offer.id).status is OfferStatus.sent
    assert outbox()[-1]["To"] == case.customer.email
    again = client.post(f"/staff/approvals/{offer.id}/approve", data={"comment": ""})
    assert again.status_code == 409 and "no longer waiting for approval" in again.get_data(as_text=True)


def test_agents_cannot_see_approvals_or_the_catalogue(client, case):
    sign_in(client, case.owner)
    assert client.get("/staff/approvals").status_code == 403
    assert client.get("/staff/remedies/catalogue").status_code == 403


def test_a_colleague_cannot_compose_on_someone_elses_case(client, db_session, case):
    colleague = make_employee(db_session, team=case.category.team)
    db_session.commit()
    sign_in(client, colleague)
    assert client.get(f"/staff/cases/{case.reference}/offer").status_code == 403
    assert client.get("/staff/cases/MIR-1999-000001/offer").status_code == 404


def test_the_customer_chooses_from_radio_cards_once(client, db_session, case, outbox):
    offer = make_offer(db_session, case=case)
    db_session.commit()
    token = offer_token(SECRET, offer.id)
    page = client.get(f"/offers/{token}").get_data(as_text=True)
    assert page.count('type="radio"') == 4 and "None of these works for me" in page
    assert "What it means and when:" in page and "Back on your card within 5 working days." in page
    assert "£" not in page.split("<main")[1]  # the internal cost never shows
    missing = client.post(f"/offers/{token}", data={})
    assert missing.status_code == 422 and 'href="#choice"' in missing.get_data(as_text=True)
    chosen = client.post(f"/offers/{token}", data={"choice": str(offer.remedies[1].id)})
    assert chosen.status_code == 302
    confirmation = client.get(chosen.location).get_data(as_text=True)
    assert "you chose" in confirmation and offer.remedies[1].description in confirmation
    second = client.post(f"/offers/{token}", data={"choice": str(offer.remedies[0].id)})
    assert second.status_code == 409
    assert "You have already chosen: A credit on your account" in second.get_data(as_text=True)
    assert [m["To"] for m in outbox()][-1] == case.owner.email


def test_none_of_these_needs_a_proposal(client, db_session, case):
    offer = make_offer(db_session, case=case)
    db_session.commit()
    token = offer_token(SECRET, offer.id)
    response = client.post(f"/offers/{token}", data={"choice": "none", "proposal": ""})
    assert response.status_code == 422 and 'href="#proposal"' in response.get_data(as_text=True)
    response = client.post(f"/offers/{token}", data={"choice": "none", "proposal": "Seats in the family stand."})
    assert response.status_code == 302
    assert "Seats in the family stand." in client.get(response.location).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Case, case.id).status is CaseStatus.acknowledged


def test_a_forged_or_foreign_token_is_a_404(client, db_session, case):
    offer = make_offer(db_session, case=case)
    db_session.commit()
    assert client.get("/offers/not-a-token").status_code == 404
    assert client.get(f"/offers/{offer_token('another-secret', offer.id)}").status_code == 404
    assert client.get(f"/offers/{offer_token(SECRET, offer.id)}/letter.pdf").status_code == 404


def test_fulfil_then_rate_then_letters(client, db_session, case, outbox):
    offer = make_offer(db_session, case=case)
    db_session.commit()
    token = offer_token(SECRET, offer.id)
    client.post(f"/offers/{token}", data={"choice": str(offer.remedies[0].id)})
    assert "Not done yet" in client.get(f"/offers/{token}/rate").get_data(as_text=True)
    sign_in(client, case.owner)
    assert client.post(f"/staff/cases/{case.reference}/fulfil", data={"what_was_done": " "}).status_code == 422
    response = client.post(f"/staff/cases/{case.reference}/fulfil",
                           data={"what_was_done": "Refunded £20 to your card on 3 March."})
    assert response.status_code == 302
    mail = outbox()[-1]
    assert mail["To"] == case.customer.email
    [attachment] = [part for part in mail.iter_attachments()]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    staff_pdf = client.get(f"/staff/cases/{case.reference}/letter.pdf")
    assert staff_pdf.status_code == 200 and staff_pdf.mimetype == "application/pdf"
    client.post("/staff/sign-out")
    customer_pdf = client.get(f"/offers/{token}/letter.pdf")
    assert customer_pdf.status_code == 200 and customer_pdf.data.startswith(b"%PDF")
    rate_page = client.get(f"/offers/{token}/rate").get_data(as_text=True)
    assert f"{case.owner.name} has done what you chose.</p>" in rate_page
    assert "did what you chose: A" not in rate_page
    resolution = outbox()[-1].get_body(("plain",)).get_content()
    assert "has done what you chose.\n" in resolution and 'You chose: "A full refund' in resolution
    bad = client.post(f"/offers/{token}/rate", data={"made_it_right": "yes"})
    assert bad.status_code == 422 and 'href="#score"' in bad.get_data(as_text=True)
    done = client.post(f"/offers/{token}/rate", data={"made_it_right": "no", "score": "2",
                                                      "comment": "It took three weeks."})
    assert done.status_code == 302
    assert "We are sorry" in client.get(done.location).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Case, case.id).status is CaseStatus.reopened


def test_a_manager_manages_the_catalogue(client, db_session, case):
    manager = make_employee(db_session, role=Role.manager, team=case.category.team, authority_limit="1000")
    db_session.commit()
    sign_in(client, manager)
    listing = client.get("/staff/remedies/catalogue").get_data(as_text=True)
    assert "Refund the ticket" in listing and "A call from the manager" in listing
    bad = client.post("/staff/remedies/catalogue/new", data={
        "category": str(case.category_id), "kind": "gesture", "title": "Two tickets", "description": "Tickets",
        "typical_cost": "lots", "active": "y"})
    assert bad.status_code == 422 and "an amount like 25" in bad.get_data(as_text=True)
    assert 'value="Two tickets"' in bad.get_data(as_text=True)
    ok = client.post("/staff/remedies/catalogue/new", data={
        "category": str(case.category_id), "kind": "gesture", "title": "Two tickets",
        "description": "Two tickets for a home match of your choice.", "when_text": "Posted a week before.",
        "typical_cost": "60", "active": "y"})
    assert ok.status_code == 302
    entry = db_session.scalar(select(CatalogueEntry).where(CatalogueEntry.title == "Two tickets"))
    assert entry.typical_cost == 60
    edit = client.post(f"/staff/remedies/catalogue/{entry.id}/edit", data={
        "category": str(case.category_id), "kind": "gesture", "title": "Two tickets",
        "description": "Two tickets.", "when_text": "", "typical_cost": "60"})
    assert edit.status_code == 302
    db_session.expire_all()
    assert db_session.get(CatalogueEntry, entry.id).active is False
    other = make_category(db_session, team=make_team(db_session))
    elsewhere = make_catalogue_entry(db_session, category=other)
    db_session.commit()
    assert client.get(f"/staff/remedies/catalogue/{elsewhere.id}/edit").status_code == 403


def test_the_expire_command_reminds_and_expires(app, db_session):
    from datetime import timedelta

    from portal.db import utcnow

    make_offer(db_session, now=utcnow() - timedelta(days=13))
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["offers", "expire"])
    assert result.exit_code == 0 and "Reminded 1 and expired 0 offers." in result.output


def test_a_returned_offer_comes_back_to_the_composer_with_the_managers_comment(client, db_session, case):
    from portal.remedies.offers import compose_offer, return_for_changes
    from portal.remedies.settings import RemedySettings
    from tests.factories import remedy_drafts

    manager = make_employee(db_session, role=Role.manager, team=case.category.team, authority_limit="1000")
    offer = compose_offer(db_session, case, remedy_drafts("20", "400"), by=case.owner,
                          settings=RemedySettings(secret_key=SECRET))
    return_for_changes(db_session, offer, by=manager, comment="Too generous: offer the credit instead.")
    db_session.commit()
    sign_in(client, case.owner)
    page = client.get(f"/staff/cases/{case.reference}/offer").get_data(as_text=True)
    assert "returned the offer" in page and "Too generous: offer the credit instead." in page
    assert re.search(r'id="options-1-description"[^>]*>\s*A credit on your account', page)


def test_a_reopened_case_shows_the_customers_comment_on_top(client, db_session, case):
    from portal.remedies.choice import choose
    from portal.remedies.fulfilment import fulfil, rate
    from portal.remedies.settings import RemedySettings

    offer = make_offer(db_session, case=case)
    choose(db_session, offer, offer.remedies[0].id)
    fulfil(db_session, case, what_was_done="Refunded.", by=case.owner, settings=RemedySettings(secret_key=SECRET))
    rate(db_session, offer, score=1, made_it_right=False, comment="Nothing arrived on my card.")
    db_session.commit()
    sign_in(client, case.owner)
    page = client.get(f"/staff/cases/{case.reference}/offer").get_data(as_text=True)
    assert page.index("Nothing arrived on my card.") < page.index("Make a new offer")
    assert "The customer says we did not make it right" in page


def test_the_case_page_partial_shows_the_offer_to_staff_and_customer(app, db_session, case):
    from flask import render_template

    from portal.remedies.summary import offer_summary_for_case

    offer = make_offer(db_session, case=case)
    db_session.commit()
    summary = offer_summary_for_case(db_session, case)
    with app.test_request_context():
        staff = render_template("remedies/_case_offer.html", offer_summary=summary, case=case, audience="staff")
        mine = render_template("remedies/_case_offer.html", offer_summary=summary, case=case, audience="customer",
                               offer_url=f"/offers/{offer_token(SECRET, offer.id)}")
    assert "waiting for the customer to choose" in staff and f"/staff/cases/{case.reference}/offer" in staff
    assert "Choose how we make it right" in mine and "/offers/" in mine


def test_a_customer_waiting_for_an_approved_offer_is_told_what_is_happening(app, db_session, case):
    from flask import render_template

    from portal.remedies.summary import offer_summary_for_case

    make_offer(db_session, case=case, costs=("20", "30", "400"))  # above Maria's limit: waits for a manager
    db_session.commit()
    summary = offer_summary_for_case(db_session, case)
    assert summary.status.value == "awaiting_approval"
    with app.test_request_context():
        mine = render_template("remedies/_case_offer.html", offer_summary=summary, case=case, audience="customer",
                               offer_url="/offers/x")
    card = mine.split('id="offer-summary-title"')[1]
    assert "How we are making it right</h2>" in card
    assert "Maria is preparing ways to put it right and will send them to you soon." in card


def test_after_choosing_the_customer_can_go_back_to_their_case(client, db_session, case):
    offer = make_offer(db_session, case=case)
    db_session.commit()
    token = offer_token(SECRET, offer.id)
    chosen = client.post(f"/offers/{token}", data={"choice": str(offer.remedies[0].id)})
    confirmation = client.get(chosen.location).get_data(as_text=True)
    assert f'action="/offers/{token}/case"' in confirmation and "Back to your case" in confirmation
    back = client.post(f"/offers/{token}/case")
    assert back.status_code == 302 and back.location.startswith("/my-case/")
    page = client.get(back.location).get_data(as_text=True)
    assert case.reference in page and "You chose" in page
    assert client.post("/offers/not-a-token/case").status_code == 404


def test_a_broken_offer_link_offers_fresh_links(client):
    page = client.get("/offers/not-a-token").get_data(as_text=True)
    assert "This link does not work" in page and 'href="/find-my-case"' in page
