"""The customer's choice (once), the counter-proposal, fulfilment, the rating and offer expiry."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.models import Case, CaseStatus, Event
from portal.db import make_engine, utcnow
from portal.mail.models import OutboxMessage
from portal.remedies.choice import choose, decline
from portal.remedies.errors import ChoiceRefused, OfferRefused, RatingRefused
from portal.remedies.expiry import run_offer_expiry
from portal.remedies.fulfilment import fulfil, rate
from portal.remedies.models import Choice, Offer, OfferStatus
from portal.remedies.summary import offer_summary_for_case
from tests.factories import make_offer


def _kinds(session, case):
    return [e.kind for e in session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))]


def _mail(session, template):
    return session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)).all()


def test_the_customer_chooses_once_and_the_owner_is_told(session):
    offer = make_offer(session)
    second = offer.remedies[1]
    choose(session, offer, second.id)
    case = offer.case
    assert offer.status is OfferStatus.chosen and offer.chosen_remedy is second
    assert case.status is CaseStatus.remedy_chosen
    assert _kinds(session, case)[-1] == "remedy_chosen"
    [mail] = _mail(session, "remedy_chosen_owner")
    assert mail.to_address == case.owner.email and second.description in mail.body_text


def test_a_second_choice_is_refused_with_a_clear_message(session):
    offer = make_offer(session)
    choose(session, offer, offer.remedies[0].id)
    with pytest.raises(ChoiceRefused, match="You have already chosen: A full refund"):
        choose(session, offer, offer.remedies[2].id)
    with pytest.raises(ChoiceRefused, match="already chosen"):
        decline(session, offer, "Something else")
    assert offer.chosen_remedy is offer.remedies[0]
    assert session.scalar(select(func.count()).select_from(Choice)) == 1


def test_an_option_from_another_offer_is_not_a_choice(session):
    offer = make_offer(session)
    other = make_offer(session)
    with pytest.raises(ChoiceRefused, match="Choose one of the options"):
        choose(session, offer, other.remedies[0].id)
    assert offer.status is OfferStatus.sent


def test_two_concurrent_clicks_make_exactly_one_choice(session, db_url):
    offer = make_offer(session)
    session.commit()
    ids = [r.id for r in offer.remedies]
    engine = make_engine(db_url)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(remedy_id: int) -> None:
        with Session(engine, expire_on_commit=False) as own:
            mine = own.get(Offer, offer.id)
            _ = mine.remedies, mine.case.owner, mine.case.customer  # load the page before both click
            barrier.wait()
            try:
                choose(own, mine, remedy_id)
                own.commit()
                outcomes.append("chosen")
            except ChoiceRefused:
                own.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=click, args=(ids[i],)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert sorted(outcomes) == ["chosen", "refused"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Choice).where(Choice.offer_id == offer.id)) == 1
    assert session.get(Offer, offer.id).status is OfferStatus.chosen


def test_none_of_these_returns_the_case_to_the_owner_with_the_proposal_on_top(session):
    offer = make_offer(session)
    with pytest.raises(ChoiceRefused, match="what would work"):
        decline(session, offer, "   ")
    decline(session, offer, "Upgrade my seat for the derby instead.")
    case = offer.case
    assert offer.status is OfferStatus.declined
    assert case.status is CaseStatus.acknowledged
    assert _kinds(session, case)[-1] == "counter_proposal"
    summary = offer_summary_for_case(session, case)
    assert summary.attention_title == "The customer's own proposal"
    assert summary.attention == "Upgrade my seat for the derby instead."
    [mail] = _mail(session, "remedy_chosen_owner")
    assert "Upgrade my seat for the derby instead." in mail.body_text


def test_fulfilment_resolves_the_case_and_sends_the_letter_and_the_rating_request(session, settings):
    offer = make_offer(session)
    case = offer.case
    with pytest.raises(OfferRefused, match="no chosen remedy"):
        fulfil(session, case, what_was_done="Refunded", by=case.owner, settings=settings)
    choose(session, offer, offer.remedies[0].id)
    fulfil(session, case, what_was_done="Refunded £20 to your Visa ending 4242.", by=case.owner, settings=settings)
    assert case.status is CaseStatus.resolved and case.resolved_at is not None
    assert offer.fulfilled_by is case.owner
    assert _kinds(session, case)[-1] == "remedy_fulfilled"
    [mail] = _mail(session, "remedy_resolution")
    assert mail.to_address == case.customer.email
    assert "/rate" in mail.body_text and "Did we make it right?" in mail.body_text
    [attachment] = mail.attachments
    assert attachment.content_type == "application/pdf" and attachment.data.startswith(b"%PDF")
    assert attachment.filename == f"{case.reference}-resolution-letter.pdf"
    assert "%PDF" not in str(mail.context) and len(str(mail.context)) < 1000


def _fulfilled(session, settings):
    offer = make_offer(session)
    choose(session, offer, offer.remedies[0].id)
    fulfil(session, offer.case, what_was_done="Refunded in full.", by=offer.case.owner, settings=settings)
    return offer


def test_a_good_rating_keeps_the_case_resolved(session, settings):
    offer = _fulfilled(session, settings)
    rate(session, offer, score=5, made_it_right=True, comment="Quick and kind, thank you.")
    assert offer.case.status is CaseStatus.resolved
    assert _kinds(session, offer.case)[-1] == "rated"
    with pytest.raises(RatingRefused, match="already told us"):
        rate(session, offer, score=1, made_it_right=False)


@pytest.mark.parametrize(("score", "made_it_right"), [(1, True), (2, True), (4, False)])
def test_a_low_rating_or_a_no_reopens_the_case_to_the_same_owner(session, settings, score, made_it_right):
    offer = _fulfilled(session, settings)
    owner = offer.case.owner
    rate(session, offer, score=score, made_it_right=made_it_right, comment="The refund never arrived.")
    case = offer.case
    assert case.status is CaseStatus.reopened and case.owner is owner
    assert _kinds(session, case)[-2:] == ["rated", "reopened"]
    summary = offer_summary_for_case(session, case)
    assert summary.attention == "The refund never arrived."


def test_rating_needs_a_fulfilled_offer_and_a_score_from_1_to_5(session, settings):
    offer = make_offer(session)
    with pytest.raises(RatingRefused, match="once your remedy has been done"):
        rate(session, offer, score=5, made_it_right=True)
    offer = _fulfilled(session, settings)
    with pytest.raises(RatingRefused, match="1 to 5"):
        rate(session, offer, score=6, made_it_right=True)


def test_an_unanswered_offer_gets_one_reminder_then_returns_to_the_owner(session, settings):
    sent = utcnow() - timedelta(days=10)
    offer = make_offer(session, now=sent)
    case = offer.case
    assert run_offer_expiry(session, sent + timedelta(days=5), settings).reminded == 0
    first = run_offer_expiry(session, sent + timedelta(days=11, hours=1), settings)
    assert (first.reminded, first.expired) == (1, 0)
    assert run_offer_expiry(session, sent + timedelta(days=12), settings).reminded == 0  # only one reminder
    [reminder] = _mail(session, "remedy_offer_reminder")
    assert reminder.to_address == case.customer.email and "/offers/" in reminder.body_text
    done = run_offer_expiry(session, sent + timedelta(days=14, minutes=1), settings)
    assert (done.reminded, done.expired) == (0, 1)
    assert offer.status is OfferStatus.expired
    assert case.status is CaseStatus.acknowledged
    assert _kinds(session, case)[-2:] == ["offer_reminder", "offer_expired"]
    assert [m.to_address for m in _mail(session, "remedy_chosen_owner")] == [case.owner.email]
    with pytest.raises(ChoiceRefused, match="This offer expired"):
        choose(session, offer, offer.remedies[0].id)


def test_the_expiry_period_is_configurable(session, settings):
    from portal.remedies.settings import RemedySettings

    sent = utcnow()
    offer = make_offer(session, now=sent)
    offer.expires_at = sent + timedelta(days=3)
    short = RemedySettings(secret_key=settings.secret_key, expiry_days=3, reminder_lead=timedelta(days=1))
    assert run_offer_expiry(session, sent + timedelta(days=1), short).reminded == 0
    assert run_offer_expiry(session, sent + timedelta(days=2, hours=1), short).reminded == 1
    assert run_offer_expiry(session, sent + timedelta(days=3, hours=1), short).expired == 1


def test_a_late_reminder_still_leaves_a_day_to_answer(session, settings):
    sent = utcnow() - timedelta(days=30)
    offer = make_offer(session, now=sent)
    now = utcnow()
    assert run_offer_expiry(session, now, settings).reminded == 1
    assert offer.status is OfferStatus.sent and offer.expires_at >= now + timedelta(hours=23)
    assert run_offer_expiry(session, now + timedelta(days=1, minutes=1), settings).expired == 1


def test_a_case_without_offers_has_no_summary(session):
    from tests.factories import make_case

    case: Case = make_case(session)
    assert offer_summary_for_case(session, case) is None


def test_the_owner_reads_the_customers_choice_quoted_as_the_customer_was_told_it(session):
    offer = make_offer(session)
    choose(session, offer, offer.remedies[0].id)
    [mail] = _mail(session, "remedy_chosen_owner")
    # The option's words address the customer ("your match ticket", "calls you"): the owner gets them as a quote.
    assert "has chosen (kind of remedy: Refund). The offer put it to them in these words:" in mail.body_text
    assert '"A full refund of your match ticket."' in mail.body_text
    assert 'When, as they were told: "Back on your card within 5 working days."' in mail.body_text
    assert "chose: A full" not in mail.body_text and "What it means and when:" not in mail.body_text


def test_the_offer_e_mail_gives_its_deadline_in_the_organisations_time_zone(session):
    from datetime import UTC, datetime

    offer = make_offer(session, now=datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    [mail] = _mail(session, "remedy_offer")
    assert "Please choose by 15 July 2026 at 10:00 BST." in mail.body_text and "UTC" not in mail.body_text
    assert offer.expires_at == datetime(2026, 7, 15, 9, 0, tzinfo=UTC)
