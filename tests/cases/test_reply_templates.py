"""Reply templates as services (both databases): who keeps which, what an employee may insert, the rules on
titles, lengths and placeholders, and the text a template fills in for a case."""

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.auth.errors import NotPermitted
from portal.auth.models import Role
from portal.cases import reply_templates
from portal.cases.errors import ReplyTemplateRefused
from portal.cases.models import ReplyTemplate
from tests.factories import make_case, make_category, make_customer, make_employee, make_team


@pytest.fixture
def club(session):
    tickets, catering = make_team(session, "Ticket Office"), make_team(session, "Catering")
    priya = make_employee(session, name="Priya Shah", role=Role.manager, team=tickets)
    tickets.manager = priya
    people = {
        "tickets": tickets, "catering": catering, "priya": priya,
        "maria": make_employee(session, name="Maria Lopez", team=tickets),
        "tom": make_employee(session, name="Tom Fletcher", team=tickets),
        "grace": make_employee(session, name="Grace Okafor", role=Role.manager, team=catering),
        "sam": make_employee(session, name="Sam Whitaker", team=catering),
        "alex": make_employee(session, name="Alex Morgan", role=Role.admin),
    }
    session.flush()
    return people


def titles(templates):
    return [t.title for t in templates]


def test_an_employee_uses_their_teams_templates_and_their_own_sorted_by_title(session, club):
    reply_templates.create(session, by=club["priya"], title="Refund on its way", body="Hello {first_name}",
                           team=club["tickets"])
    reply_templates.create(session, by=club["maria"], title="apology for the wait", body="Sorry {first_name}")
    reply_templates.create(session, by=club["tom"], title="Tom's own", body="Hi")
    reply_templates.create(session, by=club["grace"], title="Catering menu", body="Menus", team=club["catering"])
    assert titles(reply_templates.usable_templates(session, club["maria"])) == [
        "apology for the wait", "Refund on its way"]
    assert titles(reply_templates.usable_templates(session, club["sam"])) == ["Catering menu"]
    assert titles(reply_templates.usable_templates(session, club["priya"])) == ["Refund on its way"]


def test_a_manager_keeps_their_teams_templates_an_admin_any_teams_and_nobody_else(session, club):
    ours = reply_templates.create(session, by=club["priya"], title="Refund", body="Your refund is on its way.",
                                  team=club["tickets"])
    reply_templates.edit(session, ours, by=club["alex"], title="Refund sent", body="Sent.")
    with pytest.raises(NotPermitted, match="Only a manager of Ticket Office"):
        reply_templates.create(session, by=club["maria"], title="Mine for all", body="x", team=club["tickets"])
    with pytest.raises(NotPermitted):
        reply_templates.edit(session, ours, by=club["grace"], title="Taken over", body="x")
    with pytest.raises(NotPermitted):
        reply_templates.delete(session, ours, by=club["tom"])
    own = reply_templates.create(session, by=club["maria"], title="My sign-off", body="Best, Maria")
    for other in ("tom", "priya", "alex"):
        with pytest.raises(NotPermitted, match="personal"):
            reply_templates.edit(session, own, by=club[other], title="Changed", body="x")
    reply_templates.delete(session, own, by=club["maria"])
    assert session.scalars(select(ReplyTemplate.title)).all() == ["Refund sent"]


def test_every_change_to_a_team_template_is_in_the_audit_log_and_personal_ones_are_not(session, club):
    team_template = reply_templates.create(session, by=club["priya"], title="Refund", body="On its way.",
                                           team=club["tickets"])
    reply_templates.edit(session, team_template, by=club["priya"], title="Refund", body="Sent today.")
    reply_templates.delete(session, team_template, by=club["priya"])
    reply_templates.create(session, by=club["maria"], title="Mine", body="x")
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.entity) for e in entries] == [
        ("create", "reply_template"), ("update", "reply_template"), ("delete", "reply_template")]
    assert entries[1].changes() == [("body", "On its way.", "Sent today.")]
    assert entries[2].summary == "Deleted the reply template “Refund” of Ticket Office"


@pytest.mark.parametrize(("title", "body", "message"), [
    ("  ", "Hello", "Give the template a title"),
    ("x" * 81, "Hello", "80 characters or fewer; it has 81"),
    ("Refund", "   ", "Write the text of the reply"),
    ("Refund", "x" * 4001, "4,000 characters or fewer; it has 4,001"),
    ("Refund", "Dear {name}, see {ref} and {first_name}", "These placeholders are not known: {name}, {ref}."),
    ("Refund", "Dear {firstname}", "This placeholder is not known: {firstname}. Use {first_name}, {reference}"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(session, club, title, body, message):
    with pytest.raises(ReplyTemplateRefused, match=message.replace("{", r"\{").replace("}", r"\}")
                       .replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        reply_templates.create(session, by=club["priya"], title=title, body=body, team=club["tickets"])
    assert session.scalars(select(ReplyTemplate)).all() == []


def test_titles_are_unique_per_team_and_per_person_whatever_their_capitals(session, club):
    reply_templates.create(session, by=club["priya"], title="Refund", body="x", team=club["tickets"])
    with pytest.raises(ReplyTemplateRefused, match="The Ticket Office team already has a template called"):
        reply_templates.create(session, by=club["alex"], title="  refund ", body="y", team=club["tickets"])
    # Another team, and anyone's own templates, may use the same title.
    reply_templates.create(session, by=club["grace"], title="Refund", body="x", team=club["catering"])
    mine = reply_templates.create(session, by=club["maria"], title="Refund", body="x")
    reply_templates.create(session, by=club["tom"], title="Refund", body="x")
    other = reply_templates.create(session, by=club["maria"], title="Sign-off", body="x")
    with pytest.raises(ReplyTemplateRefused, match="You already have a template called “REFUND”"):
        reply_templates.edit(session, other, by=club["maria"], title="REFUND", body="x")
    reply_templates.edit(session, mine, by=club["maria"], title="REFUND", body="x")  # its own title, recapitalised
    assert mine.title == "REFUND"


def test_fill_puts_the_cases_values_in_and_never_a_private_link(session, club):
    case = make_case(session, owner=club["maria"], category=make_category(session, team=club["tickets"]),
                     customer=make_customer(session, name="James Smith"))
    template = reply_templates.create(
        session, by=club["priya"], team=club["tickets"], title="Refund",
        body="Dear {first_name},\nyour refund for {reference} is on its way. {owner_name} looks after it; "
             "follow it through {private_link}. Thank you, { first_name }.")
    filled = reply_templates.fill(template, case)
    assert filled == (f"Dear James,\nyour refund for {case.reference} is on its way. Maria Lopez looks after it; "
                      "follow it through your private link (at the end of this e-mail). Thank you, James.")
    assert "/my-case/" not in filled and "{first_name}" not in filled


def test_two_saves_of_one_title_at_the_same_moment_give_one_template_and_a_clear_refusal(session, club,
                                                                                         monkeypatch):
    # A colleague saved "Refund" between this save's check and its write: the check saw nothing, so the database's
    # unique index on the lower-cased title decides, and the second save is refused as if the check had seen it
    # (the page then rolls back, as after any refusal).
    reply_templates.create(session, by=club["priya"], title="Refund", body="x", team=club["tickets"])
    monkeypatch.setattr(reply_templates, "_title_taken", lambda *args, **kwargs: False)
    with pytest.raises(ReplyTemplateRefused, match="The Ticket Office team already has a template called “refund”"):
        reply_templates.create(session, by=club["alex"], title="refund", body="y", team=club["tickets"])
