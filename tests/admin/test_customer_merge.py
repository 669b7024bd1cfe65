"""Two records of one person merged: every case, note and consent kept, an audit row; never a record into itself;
never another team's customer — on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.admin import customer_merge
from portal.admin.errors import MergeRefused
from portal.audit import AuditEntry
from portal.auth.errors import NotPermitted
from portal.auth.models import Role
from portal.cases.models import Case, Customer, CustomerNote
from portal.changes.models import Change, ChangeNotification, Theme
from portal.surveys.models import FocusGroup, Member
from tests.factories import make_case, make_category, make_customer, make_employee, make_team

OPTED_OUT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def team(session):
    return make_team(session, "Ticket Office")


@pytest.fixture
def manager(session, team):
    return make_employee(session, role=Role.manager, team=team)


@pytest.fixture
def records(session, team, manager):
    """Olivia at her new address (kept) and at her old one, with a case, a note, news and a focus group each."""
    category = make_category(session, team=team)
    keep = make_customer(session, name="Olivia Taylor", email="olivia@new.example")
    old = make_customer(session, name="Olivia Taylor", email="Olivia@Old.Example")
    keep.lifetime_spend, keep.customer_since = Decimal("100.00"), date(2020, 1, 1)
    old.lifetime_spend, old.customer_since, old.external_id = Decimal("4200.50"), date(2012, 8, 1), "TKT-1"
    old.membership, old.preferences, old.email_opt_out_at, old.phone = "Season-ticket holder", "No calls", \
        OPTED_OUT, "07700 900123"
    for customer in (keep, old):
        make_case(session, customer=customer, category=category)
        session.add(CustomerNote(customer_id=customer.id, author=manager, body=f"Note on {customer.email}"))
    theme = Theme(title="Queues", created_by=manager)
    both, only_old = (Change(theme=theme, slug=slug, title=slug, you_said="x", we_did="y", created_by=manager)
                      for slug in ("gates", "kiosks"))
    group = FocusGroup(name="North Stand", created_by=manager)
    session.add_all([theme, both, only_old, group])
    session.flush()
    session.add_all([ChangeNotification(change_id=both.id, customer_id=keep.id, occasion="published"),
                     ChangeNotification(change_id=both.id, customer_id=old.id, occasion="published"),
                     ChangeNotification(change_id=only_old.id, customer_id=old.id, occasion="published"),
                     Member(group=group, email="olivia@old.example", name="Olivia", customer_id=old.id),
                     Member(group=group, email="olivia@new.example", name="Olivia")])
    session.commit()
    return keep, old


def test_a_merge_keeps_every_case_note_and_consent_and_is_audited(session, manager, records):
    keep, old = records
    old_id = old.id
    plan = customer_merge.plan(session, keep, old, by=manager)
    assert (plan.cases, plan.notes, plan.memberships, plan.notifications) == (1, 1, 1, 2)
    customer_merge.merge(session, keep, old, by=manager)
    session.commit()
    session.expire_all()
    assert session.get(Customer, old_id) is None
    kept = session.get(Customer, keep.id)
    assert len(session.scalars(select(Case).where(Case.customer_id == kept.id)).all()) == 2
    notes = session.scalars(select(CustomerNote.body).where(CustomerNote.customer_id == kept.id)).all()
    assert "Note on Olivia@Old.Example" in notes and any("Merged with the record of Olivia Taylor" in n for n in notes)
    assert sorted(session.scalars(select(ChangeNotification.change_id).where(
        ChangeNotification.customer_id == kept.id))) == sorted({n.change_id for n in session.scalars(
            select(ChangeNotification))})
    assert len(session.scalars(select(ChangeNotification)).all()) == 2  # told once per change, as before
    members = {m.email: m.customer_id for m in session.scalars(select(Member))}
    assert members == {"olivia@old.example": kept.id, "olivia@new.example": None}  # that one is found by address
    assert (kept.email, kept.external_id, kept.lifetime_spend, kept.customer_since, kept.membership,
            kept.preferences, kept.phone) == ("olivia@new.example", "TKT-1", Decimal("4300.50"), date(2012, 8, 1),
                                              "Season-ticket holder", "No calls", "07700 900123")
    assert kept.email_opt_out_at == OPTED_OUT  # the opt-out from news on either record stands
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
    assert audit.entity_id == kept.id and audit.before["merged away"]["email"] == "Olivia@Old.Example"
    assert audit.after["moved"]["cases"] == 1


def test_a_record_is_never_merged_into_itself(session, manager, records):
    keep, _ = records
    with pytest.raises(MergeRefused, match="cannot be merged into itself"):
        customer_merge.plan(session, keep, keep, by=manager)


def test_two_of_the_clubs_own_records_are_merged_in_its_system_first(session, manager, records):
    keep, old = records
    keep.external_id = "TKT-2"
    with pytest.raises(MergeRefused, match="Merge them there first"):
        customer_merge.plan(session, keep, old, by=manager)


def test_agents_and_other_teams_managers_do_not_merge(session, team, records):
    keep, old = records
    with pytest.raises(NotPermitted):
        customer_merge.plan(session, keep, old, by=make_employee(session, team=team))
    other = make_employee(session, role=Role.manager, team=make_team(session, "Catering"))
    with pytest.raises(NotPermitted):
        customer_merge.plan(session, keep, old, by=other)
    assert customer_merge.find_other(session, "olivia@old.example", other) is None


def test_the_other_record_is_found_by_address_external_id_or_number(session, manager, records):
    _, old = records
    for text in ("OLIVIA@old.example", "TKT-1", f"#{old.id}"):
        assert customer_merge.find_other(session, text, manager) is old
    assert customer_merge.find_other(session, "#99999999999999999999", manager) is None
