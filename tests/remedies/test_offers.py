"""Composing offers, the two-or-three rule and the authority paths."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.cases import lifecycle
from portal.cases.lifecycle import Action
from portal.cases.models import CaseKind, CaseStatus, Event
from portal.mail.models import OutboxMessage
from portal.remedies.errors import NotAllowed, OfferRefused
from portal.remedies.models import OfferStatus
from portal.remedies.offers import approvals_queue, approve, compose_offer, return_for_changes
from tests.factories import make_case, make_category, make_employee, make_offer, make_team, remedy_drafts


def _kinds(session, case):
    return [e.kind for e in session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))]


def _mail(session, template):
    return session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)).all()


@pytest.mark.parametrize("count", [0, 1, 4])
def test_an_offer_needs_two_or_three_options(session, settings, count):
    case = make_case(session)
    with pytest.raises(OfferRefused, match="two or three options"):
        compose_offer(session, case, remedy_drafts(*["10"] * count), by=case.owner, settings=settings)
    assert case.status is CaseStatus.new


@pytest.mark.parametrize("count", [2, 3])
def test_two_or_three_options_are_accepted(session, settings, count):
    case = make_case(session)
    offer = compose_offer(session, case, remedy_drafts(*["10"] * count), by=case.owner, settings=settings)
    assert [r.position for r in offer.remedies] == list(range(1, count + 1))


def test_within_the_owners_limit_the_offer_goes_to_the_customer_at_once(session, settings):
    case = make_case(session)
    case.owner.authority_limit = Decimal("150")
    offer = compose_offer(session, case, remedy_drafts("40", "75", "150"), by=case.owner, settings=settings)
    assert offer.status is OfferStatus.sent and offer.sent_at is not None
    assert (offer.expires_at - offer.sent_at).days == 14
    assert case.status is CaseStatus.remedy_offered
    assert _kinds(session, case) == ["offer_sent"]
    [mail] = _mail(session, "remedy_offer")
    assert mail.to_address == case.customer.email
    assert "A full refund of your match ticket." in mail.body_text and "/offers/" in mail.body_text
    assert not _mail(session, "offer_approval_needed")


def test_above_the_limit_the_offer_waits_for_a_manager_whose_limit_covers_it(session, settings):
    team = make_team(session)
    small = make_employee(session, role=Role.manager, team=team, authority_limit="100")
    big = make_employee(session, role=Role.manager, team=team, authority_limit="1000")
    case = make_case(session, category=make_category(session, team=team))
    case.owner.authority_limit = Decimal("50")
    offer = compose_offer(session, case, remedy_drafts("20", "200"), by=case.owner, settings=settings)
    assert offer.status is OfferStatus.awaiting_approval and offer.sent_at is None
    assert case.status is CaseStatus.new
    assert _kinds(session, case) == ["offer_proposed"]
    assert [m.to_address for m in _mail(session, "offer_approval_needed")] == [big.email]
    assert not _mail(session, "remedy_offer")
    assert approvals_queue(session, big).items == [offer]
    assert approvals_queue(session, small).items == []
    with pytest.raises(NotAllowed, match="above your limit"):
        approve(session, offer, by=small, settings=settings)


def test_a_manager_approves_and_the_offer_is_sent(session, settings):
    team = make_team(session)
    manager = make_employee(session, role=Role.manager, team=team, authority_limit="1000")
    case = make_case(session, category=make_category(session, team=team))
    offer = compose_offer(session, case, remedy_drafts("20", "500"), by=case.owner, settings=settings)
    approve(session, offer, by=manager, settings=settings, comment="Fine: a loyal fan.")
    assert offer.status is OfferStatus.sent
    assert case.status is CaseStatus.remedy_offered
    assert _kinds(session, case) == ["offer_proposed", "offer_approved", "offer_sent"]
    assert offer.decisions[0].approved and offer.decisions[0].manager is manager
    assert len(_mail(session, "remedy_offer")) == 1
    with pytest.raises(OfferRefused, match="no longer waiting for approval"):
        approve(session, offer, by=manager, settings=settings)


@pytest.mark.parametrize("ended", [Action.resolve, Action.withdraw])
def test_an_offer_waiting_for_approval_is_not_sent_once_the_case_has_ended(session, settings, ended):
    team = make_team(session)
    manager = make_employee(session, role=Role.manager, team=team, authority_limit="1000")
    case = make_case(session, category=make_category(session, team=team))
    offer = compose_offer(session, case, remedy_drafts("20", "500"), by=case.owner, settings=settings)
    lifecycle.move(session, case, ended, by=case.owner)
    status = case.status
    with pytest.raises(OfferRefused, match=f"is {status.label.lower()}, so no new offer can be made now. Return"):
        approve(session, offer, by=manager, settings=settings)
    assert (offer.status, case.status) == (OfferStatus.awaiting_approval, status)
    assert not _mail(session, "remedy_offer")


def test_a_manager_returns_an_offer_with_a_comment(session, settings):
    team = make_team(session)
    manager = make_employee(session, role=Role.manager, team=team, authority_limit="1000")
    case = make_case(session, category=make_category(session, team=team))
    offer = compose_offer(session, case, remedy_drafts("20", "500"), by=case.owner, settings=settings)
    with pytest.raises(OfferRefused, match="what should change"):
        return_for_changes(session, offer, by=manager, comment="  ")
    return_for_changes(session, offer, by=manager, comment="£500 is too much for a cold pie; offer a voucher.")
    assert offer.status is OfferStatus.returned_for_changes
    assert _kinds(session, case)[-1] == "offer_returned"
    assert not _mail(session, "remedy_offer")
    # The owner can now make a new offer on the same case.
    again = compose_offer(session, case, remedy_drafts("20", "30"), by=case.owner, settings=settings)
    assert again.status is OfferStatus.sent


def test_an_agent_cannot_approve_and_a_manager_of_another_team_cannot_either(session, settings):
    case = make_case(session)
    offer = compose_offer(session, case, remedy_drafts("20", "500"), by=case.owner, settings=settings)
    other_manager = make_employee(session, role=Role.manager, team=make_team(session), authority_limit="1000")
    agent = make_employee(session, team=case.category.team, authority_limit="1000")
    for employee in (other_manager, agent):
        with pytest.raises(NotAllowed):
            approve(session, offer, by=employee, settings=settings)
    assert offer.status is OfferStatus.awaiting_approval


def test_an_admin_has_no_limit(session, settings):
    admin = make_employee(session, role=Role.admin, authority_limit="0")
    case = make_case(session)
    offer = compose_offer(session, case, remedy_drafts("20", "5000"), by=admin, settings=settings)
    assert offer.status is OfferStatus.sent


def test_only_the_owner_or_a_manager_of_the_team_composes(session, settings):
    case = make_case(session)
    colleague = make_employee(session, team=case.category.team)
    with pytest.raises(NotAllowed):
        compose_offer(session, case, remedy_drafts("10", "20"), by=colleague, settings=settings)


def test_a_suggestion_takes_no_offer(session, settings):
    case = make_case(session)
    case.kind = CaseKind.suggestion
    with pytest.raises(OfferRefused, match="is a suggestion"):
        compose_offer(session, case, remedy_drafts("10", "20"), by=case.owner, settings=settings)
    assert case.status is CaseStatus.new and _kinds(session, case) == [] and not _mail(session, "remedy_offer")


def test_one_live_offer_per_case(session, settings):
    offer = make_offer(session)
    with pytest.raises(OfferRefused, match="already has an offer"):
        compose_offer(session, offer.case, remedy_drafts("10", "20"), by=offer.case.owner, settings=settings)


def test_each_option_needs_words_for_the_customer_and_a_sane_cost(session, settings):
    case = make_case(session)
    drafts = remedy_drafts("10", "20")
    bad = [drafts[0], drafts[1].__class__("refund", "", "Soon", "5")]
    with pytest.raises(OfferRefused, match="Option 2: describe"):
        compose_offer(session, case, bad, by=case.owner, settings=settings)
    negative = [drafts[0], drafts[1].__class__("refund", "Money back", "Soon", "-5")]
    with pytest.raises(OfferRefused, match="Option 2: the cost"):
        compose_offer(session, case, negative, by=case.owner, settings=settings)
