"""Employees see that it mattered: when an idea ships, its author and every supporter are told with the change it
shipped as, once; the ideas box shows how many ideas shipped and the latest."""

from datetime import UTC, datetime

from portal.auth.models import Role
from portal.changes.models import Change, Theme
from portal.ideas.box import link_change, shipped, submit_idea, support
from portal.ideas.models import IdeaKind
from portal.mail.models import OutboxMessage
from tests.factories import make_employee, make_team, sign_in


def _people(session):
    team = make_team(session, "Stewarding")
    return {
        "author": make_employee(session, name="Aisha Begum", email="aisha@staff.example", team=team),
        "backer": make_employee(session, name="Luke Bennett", email="luke@staff.example", team=team),
        "gone": make_employee(session, name="Ann Old", email="ann@staff.example", team=team),
        "manager": make_employee(session, name="David Chen", email="david@staff.example", role=Role.manager,
                                 team=team),
    }


def _shipped_mail(session) -> list[OutboxMessage]:
    """The e-mails saying an idea shipped (a new idea and each support are e-mailed about too)."""
    return [m for m in session.query(OutboxMessage).all() if " shipped: " in m.subject]


def _change(session, by, *, slug="hand-scanners", title="Hand scanners at every block"):
    change = Change(theme=Theme(title="Turnstiles", created_by=by), slug=slug, title=title, you_said="x",
                    we_did="y", created_by=by, published=True, published_at=datetime(2026, 11, 2, tzinfo=UTC))
    session.add(change)
    session.flush()
    return change


def _shipped_idea(session, people, title="Hand scanners at the turnstiles"):
    idea = submit_idea(session, author=people["author"], title=title, body="Cards fail to scan.",
                       kind=IdeaKind.blocker, category=None)
    session.flush()
    for who in ("backer", "gone"):
        support(session, idea, people[who])
    people["gone"].active = False
    session.flush()
    return idea


def test_the_author_and_each_supporter_still_here_are_told_once_with_the_change(session):
    people = _people(session)
    idea = _shipped_idea(session, people)
    link_change(session, idea, _change(session, people["manager"]), by=people["manager"])
    session.flush()
    told = {m.to_address: m for m in _shipped_mail(session)}
    assert set(told) == {"aisha@staff.example", "luke@staff.example"}
    assert told["aisha@staff.example"].subject == 'The idea you raised shipped: "Hand scanners at the turnstiles"'
    assert told["luke@staff.example"].subject.startswith("The idea you supported shipped")
    assert "Hand scanners at every block" in told["luke@staff.example"].body_text
    assert "/you-said-we-did/hand-scanners" in told["luke@staff.example"].body_text


def test_linking_the_same_change_again_tells_nobody_twice(session):
    people = _people(session)
    idea = _shipped_idea(session, people)
    change = _change(session, people["manager"])
    link_change(session, idea, change, by=people["manager"])
    session.flush()
    link_change(session, idea, change, by=people["manager"])
    session.flush()
    assert len(_shipped_mail(session)) == 2


def test_the_ideas_box_counts_what_shipped_and_shows_the_latest(session):
    people = _people(session)
    assert shipped(session).count == 0
    first = _shipped_idea(session, people, "Hand scanners at the turnstiles")
    second = _shipped_idea(session, people, "Lift status on the noticeboard")
    submit_idea(session, author=people["backer"], title="Not shipped yet", body="Still open.", kind=IdeaKind.idea,
                category=None)
    link_change(session, first, _change(session, people["manager"]), by=people["manager"])
    session.flush()
    link_change(session, second, _change(session, people["manager"], slug="lift-status", title="Lift status daily"),
                by=people["manager"])
    session.flush()
    done = shipped(session)
    assert done.count == 2 and done.latest == [second, first]


def test_the_ideas_box_page_says_what_was_done_because_employees_spoke_up(client, db_session):
    people = _people(db_session)
    idea = _shipped_idea(db_session, people)
    link_change(db_session, idea, _change(db_session, people["manager"]), by=people["manager"])
    db_session.commit()
    sign_in(client, "luke@staff.example")
    page = client.get("/staff/ideas/").get_data(as_text=True)
    assert "Done because you spoke up" in page and "1 idea from colleagues has shipped" in page
    assert "Hand scanners at the turnstiles</a> — shipped as “Hand scanners at every block”" in page
    assert "Done because you spoke up" not in client.get("/staff/ideas/mine").get_data(as_text=True)
