"""Every admin action that changes who can do what leaves exactly one row in the audit log."""

from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.auth.models import Employee, Role
from portal.cases.models import Category
from tests.factories import PASSWORD, make_case, make_category, make_employee, make_team


def _rows(db_session) -> list[AuditEntry]:
    db_session.expire_all()
    return list(db_session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_each_admin_action_on_who_can_do_what_leaves_one_audit_row(client, db_session):
    catering, tickets = make_team(db_session, "Catering"), make_team(db_session, "Ticket Office")
    admin = make_employee(db_session, email="admin@staff.example", role=Role.admin, name="Alex Morgan")
    manager = make_employee(db_session, email="manager@staff.example", role=Role.manager, team=catering)
    agent = make_employee(db_session, email="agent@staff.example", name="Sam Whitaker", team=catering)
    colleague = make_employee(db_session, email="colleague@staff.example", team=catering)
    category = make_category(db_session, team=catering, name="Food and drink")
    make_case(db_session, owner=agent, category=category)
    db_session.commit()
    client.post("/staff/sign-in", data={"email": admin.email, "password": PASSWORD})

    def employee_form(**changes):
        return {"name": agent.name, "job_title": "", "role": "agent", "team_id": catering.id,
                "authority_limit": "50.00", **changes}

    def category_form(**changes):
        return {"name": "Food and drink", "description": "", "team_id": catering.id, "first_response_hours": "24",
                "resolution_hours": "168", "active": "y", **changes}

    actions = [
        ("team created", "/staff/admin/teams/new", {"name": "Stewarding", "manager_id": 0}, "team"),
        ("team's manager", f"/staff/admin/teams/{tickets.id}", {"name": "Ticket Office", "manager_id": manager.id},
         "team"),
        ("category created", "/staff/admin/categories/new", {**category_form(name="Parking")}, "category"),
        ("category's team", f"/staff/admin/categories/{category.id}", category_form(team_id=tickets.id),
         "category"),
        ("invitation", "/staff/admin/employees/invite",
         {"email": "new@staff.example", "name": "Nia Brown", "job_title": "", "role": "agent",
          "team_id": catering.id, "authority_limit": "50"}, "employee"),
        ("role", f"/staff/admin/employees/{agent.id}", employee_form(role="manager"), "employee"),
        ("team", f"/staff/admin/employees/{agent.id}", employee_form(role="manager", team_id=tickets.id),
         "employee"),
        ("authority limit", f"/staff/admin/employees/{agent.id}",
         employee_form(role="manager", team_id=tickets.id, authority_limit="250.00"), "employee"),
        ("deactivation", f"/staff/employees/{agent.id}/deactivate",
         {"new_owner": colleague.id, "note": "Sam has left the club; the customer wants a refund for the pie."},
         "employee"),
    ]
    for what, path, data, entity in actions:
        before = _rows(db_session)
        response = client.post(path, data=data)
        assert response.status_code == 302, (what, response.get_data(as_text=True)[:2000])
        new = _rows(db_session)[len(before):]
        assert len(new) == 1, (what, [e.summary for e in new])
        assert new[0].entity == entity and new[0].actor_id == admin.id, what

    deactivated = _rows(db_session)[-1]
    assert deactivated.before.get("active") is True and deactivated.after.get("active") is False
    assert db_session.get(Employee, agent.id).active is False
    assert db_session.scalar(select(func.count()).select_from(Category)) == 2
    page = client.get("/staff/admin/audit").get_data(as_text=True)
    assert "Sam Whitaker deactivated" in page


def test_an_employee_made_from_the_command_line_is_in_the_audit_log(app, db_session):
    make_team(db_session, "Catering")
    db_session.commit()
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "ops@staff.example", "--name", "Olu Ade", "--role", "admin",
        "--password", "a-long-enough-password-2026",
    ])
    assert result.exit_code == 0, result.output
    [entry] = _rows(db_session)
    assert entry.entity == "employee" and entry.action == "create" and entry.actor_id is None
    assert entry.after["role"] == "admin" and "command line" in entry.summary
