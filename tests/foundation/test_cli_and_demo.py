from sqlalchemy import func, select

from portal.auth.models import Employee, Role, Team
from portal.auth.passwords import verify_password
from portal.cases.models import Case, Category, Customer, Event


def test_users_create_makes_an_employee_who_can_sign_in(app, db_session):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "Priya@Rovers.example", "--name", "Priya Shah", "--role", "manager",
              "--team", "Ticket Office", "--limit", "1000", "--password", "a long enough password"]
    )
    assert result.exit_code == 0, result.output
    assert "Created manager Priya Shah <priya@rovers.example>." in result.output
    employee = db_session.scalar(select(Employee).where(Employee.email == "priya@rovers.example"))
    assert employee.role is Role.manager and employee.team.name == "Ticket Office"
    assert str(employee.authority_limit) == "1000.00"
    assert verify_password(employee.password_hash, "a long enough password")


def test_users_create_explains_a_bad_address_and_a_short_password(app):
    runner = app.test_cli_runner()
    bad_email = runner.invoke(args=["users", "create", "--email", "not-an-address", "--name", "X",
                                    "--password", "a long enough password"])
    assert bad_email.exit_code != 0 and "not a valid e-mail address" in bad_email.output
    short = runner.invoke(args=["users", "create", "--email", "x@rovers.example", "--name", "X", "--password", "short"])
    assert short.exit_code != 0 and "at least 12 characters" in short.output


def test_the_demo_loads_a_realistic_club_once(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "maria.lopez@rovers.example" in first.output and "rovers-demo-2026" in first.output
    counts = {model.__name__: db_session.scalar(select(func.count()).select_from(model))
              for model in (Team, Employee, Category, Customer, Case, Event)}
    assert counts["Team"] == 4 and counts["Employee"] == 12
    assert counts["Customer"] >= 200 and counts["Case"] >= 300 and counts["Event"] > counts["Case"]
    assert {t.name for t in db_session.scalars(select(Team))} == {"Ticket Office", "Catering", "Stewarding", "Parking"}
    from portal.surveys.models import Question, QuestionKind

    # The survey page states how many to choose ("Choose up to 3."); a hint saying it again in other words
    # ("Choose up to three.") reads as two rules.
    for question in db_session.scalars(select(Question).where(Question.kind == QuestionKind.multiple)):
        assert "choose" not in (question.hint or "").lower(), question.hint
    second = runner.invoke(args=["demo"])
    assert "already loaded" in second.output
    assert db_session.scalar(select(func.count()).select_from(Case)) == counts["Case"]


def test_every_demo_case_has_an_owner_from_its_category_team(app, db_session):
    app.test_cli_runner().invoke(args=["demo", "--quiet"])
    cases = db_session.scalars(select(Case)).all()
    assert all(case.owner.team_id == case.category.team_id for case in cases)


def test_the_demo_keeps_every_case_s_milestones_and_rebuild_restores_lost_ones(app, db_session):
    from portal.metrics.milestones import from_timeline
    from portal.metrics.models import CaseMilestones

    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "--quiet"])
    # A row for every case whose timeline has a milestone (a case with only its filing needs none).
    with_events = len(db_session.execute(from_timeline()).all())
    assert with_events > 300
    assert db_session.scalar(select(func.count()).select_from(CaseMilestones)) == with_events
    db_session.execute(CaseMilestones.__table__.delete())
    db_session.commit()
    result = runner.invoke(args=["metrics", "rebuild"])
    assert result.exit_code == 0 and "recomputed" in result.output
    assert db_session.scalar(select(func.count()).select_from(CaseMilestones)) == with_events
