from decimal import Decimal

import pytest

from portal import audit
from portal.admin.organisation import OrganisationRefused, update_organisation
from portal.admin.staff import invite_employee, update_employee
from portal.admin.structure import StructureRefused, save_category, save_team
from portal.audit import AuditEntry
from portal.auth.models import Role
from portal.auth.permissions import NotPermitted
from portal.mail.models import OutboxMessage
from portal.organisation import branding
from tests.factories import PNG, make_employee, make_team


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test"))


def test_changing_a_category_target_is_audited_with_before_and_after(session):
    admin = make_employee(session, role=Role.admin)
    team = make_team(session, "Catering")
    category = save_category(session, None, name="Food and drink", description="Kiosks", team=team,
                             first_response_hours=24, resolution_hours=72, active=True, by=admin)
    save_category(session, category, name="Food and drink", description="Kiosks", team=team,
                  first_response_hours=8, resolution_hours=72, active=True, by=admin)
    session.flush()
    entries = session.query(AuditEntry).order_by(AuditEntry.id).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes() == [("first_response_hours", 24, 8)]
    assert entries[1].actor is admin


def test_targets_must_make_sense(session):
    admin, team = make_employee(session, role=Role.admin), make_team(session)
    with pytest.raises(StructureRefused, match="cannot be shorter"):
        save_category(session, None, name="Parking", description="", team=team, first_response_hours=48,
                      resolution_hours=24, active=True, by=admin)


def test_two_teams_cannot_share_a_name(session):
    admin = make_employee(session, role=Role.admin)
    save_team(session, None, name="Stewarding", manager=None, by=admin)
    with pytest.raises(StructureRefused, match="already a team"):
        save_team(session, None, name="stewarding", manager=None, by=admin)


def test_a_team_manager_must_be_an_active_manager(session):
    admin = make_employee(session, role=Role.admin)
    agent = make_employee(session, role=Role.agent, name="Tom Fletcher")
    with pytest.raises(StructureRefused, match="Tom Fletcher is not an active manager"):
        save_team(session, None, name="Parking", manager=agent, by=admin)


def test_an_invitation_creates_an_account_without_password_and_emails_a_link(session):
    admin = make_employee(session, role=Role.admin, name="Alex Morgan")
    employee = invite_employee(
        session, email="Owen.Price@Rovers.example", name="Owen Price", job_title="Car Park Supervisor",
        role=Role.agent, team=make_team(session, "Parking"), authority_limit=Decimal("50"), by=admin,
        secret_key="s" * 32, link=lambda token: f"http://portal.test/staff/welcome/{token}",
    )
    session.flush()
    assert employee.email == "owen.price@rovers.example" and employee.password_hash is None
    message = session.query(OutboxMessage).one()
    assert message.to_address == "owen.price@rovers.example"
    assert "Alex Morgan has invited you" in message.body_text and "/staff/welcome/" in message.body_text
    assert session.query(AuditEntry).one().action == "invite"


def test_the_last_admin_cannot_be_made_a_manager_by_a_manager(session):
    admin = make_employee(session, role=Role.admin)
    other = make_employee(session, role=Role.manager)
    with pytest.raises(NotPermitted, match="Only an admin"):
        update_employee(session, admin, name=admin.name, job_title="", role=Role.manager, team=None,
                        authority_limit=Decimal("0"), by=other)


def test_an_authority_limit_change_is_audited(session):
    admin = make_employee(session, role=Role.admin)
    agent = make_employee(session, authority_limit="75")
    update_employee(session, agent, name=agent.name, job_title="Adviser", role=Role.agent, team=None,
                    authority_limit=Decimal("150"), by=admin)
    session.flush()
    entry = session.query(AuditEntry).one()
    assert entry.changes() == [("authority_limit", "75.00", "150.00"), ("job_title", "", "Adviser")]


def test_the_organisation_name_and_logo(session, tmp_path):
    admin = make_employee(session, role=Role.admin)
    assert branding(session, "Riverside Rovers FC").name == "Riverside Rovers FC"
    update_organisation(session, name="Riverside Rovers", logo=PNG, upload_dir=str(tmp_path), by=admin,
                        default_name="Riverside Rovers FC")
    current = branding(session, "Riverside Rovers FC")
    assert current.name == "Riverside Rovers" and current.logo_content_type == "image/png"
    assert (tmp_path / "organisation" / "logo.png").read_bytes() == PNG
    with pytest.raises(OrganisationRefused, match="PNG, JPEG or WebP"):
        update_organisation(session, name="Riverside Rovers", logo=b"<svg onload=alert(1)>",
                            upload_dir=str(tmp_path), by=admin, default_name="Riverside Rovers FC")


def test_the_audit_log_lists_newest_first_and_filters(session):
    admin = make_employee(session, role=Role.admin)
    save_team(session, None, name="Parking", manager=None, by=admin)
    save_team(session, None, name="Catering", manager=None, by=admin)
    session.flush()
    page = audit.list_entries(session, entity="team")
    assert [e.summary for e in page.items] == ["Team Catering created", "Team Parking created"]
    assert audit.list_entries(session, entity="category").total == 0
