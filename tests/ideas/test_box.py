from datetime import date, timedelta

import pytest

from portal.audit import AuditEntry
from portal.auth.models import Role
from portal.auth.permissions import NotPermitted
from portal.db import utcnow
from portal.ideas.box import (
    IdeaFilters,
    IdeaRefused,
    add_comment,
    changes_to_ship_as,
    close_task_force,
    edit_task_force,
    form_task_force,
    link_change,
    list_ideas,
    set_status,
    submit_idea,
    support,
    supporters,
    task_forces_of,
    withdraw_support,
)
from portal.ideas.models import IdeaKind, IdeaStatus
from portal.mail.models import OutboxMessage
from tests.factories import make_employee, make_team


@pytest.fixture
def team(session):
    return make_team(session, "Stewarding")


def _idea(session, author, title="Hand scanners at the turnstiles"):
    return submit_idea(session, author=author, title=title, body="Cards fail to scan; we need a fallback.",
                       kind=IdeaKind.blocker, category=None)


def test_an_idea_starts_new_with_its_author_as_first_supporter(session):
    author = make_employee(session)
    idea = _idea(session, author)
    session.flush()
    assert idea.status is IdeaStatus.new and supporters(session, idea) == 1


def test_colleagues_support_and_withdraw_support(session):
    author, colleague = make_employee(session), make_employee(session)
    idea = _idea(session, author)
    assert support(session, idea, colleague) is True
    session.flush()
    assert supporters(session, idea) == 2
    assert withdraw_support(session, idea, colleague) is True
    session.flush()
    assert supporters(session, idea) == 1


def test_supporting_or_withdrawing_twice_changes_nothing(session):
    # A page opened before the first press still offers the same button; pressing it again is not a toggle.
    author, colleague = make_employee(session), make_employee(session)
    idea = _idea(session, author)
    support(session, idea, colleague)
    session.flush()
    assert support(session, idea, colleague) is False
    session.flush()
    assert supporters(session, idea) == 2
    withdraw_support(session, idea, colleague)
    session.flush()
    assert withdraw_support(session, idea, colleague) is False
    session.flush()
    assert supporters(session, idea) == 1


def test_the_author_cannot_support_twice(session):
    author = make_employee(session)
    idea = _idea(session, author)
    with pytest.raises(IdeaRefused, match="already counted"):
        support(session, idea, author)
    with pytest.raises(IdeaRefused, match="raised this idea"):
        withdraw_support(session, idea, author)
    assert supporters(session, idea) == 1


def _subjects(session, to):
    return [m.subject for m in session.query(OutboxMessage).order_by(OutboxMessage.id)
            if m.to_address == to.email]


def test_the_managers_of_the_area_are_told_when_an_idea_is_raised_in_it(session, team):
    from tests.factories import make_category

    grace = make_employee(session, role=Role.manager, team=team)
    catering = make_team(session, "Catering")
    omar = make_employee(session, role=Role.manager, team=catering)
    sam = make_employee(session, team=catering)
    submit_idea(session, author=sam, title="Stewards with scanners", body="At every block.", kind=IdeaKind.idea,
                category=make_category(session, team=team, name="Stewarding"))
    _idea(session, sam, "Two more tills")  # about no one area: his own team's managers hear of it
    session.flush()
    assert _subjects(session, grace) == ['A new idea in your area: "Stewards with scanners"']
    assert _subjects(session, omar) == ['A new idea in your area: "Two more tills"']
    assert "Stewards with scanners" in session.query(OutboxMessage).first().body_text
    _idea(session, omar, "An idea of the manager's own")
    session.flush()
    assert len(_subjects(session, omar)) == 1 and _subjects(session, sam) == []


def test_the_author_is_told_once_of_each_colleague_who_supports(session):
    author, colleague = make_employee(session, name="Sam Whitaker"), make_employee(session, name="Hannah Kelly")
    idea = _idea(session, author)
    support(session, idea, colleague)
    withdraw_support(session, idea, colleague)
    support(session, idea, colleague)  # changing her mind twice tells Sam nothing new
    session.flush()
    assert _subjects(session, author) == ['Hannah Kelly supports your idea "Hand scanners at the turnstiles"']
    assert supporters(session, idea) == 2


def test_the_author_is_told_of_a_comment_but_not_of_their_own_or_of_a_repeat(session):
    author, colleague = make_employee(session), make_employee(session, name="Hannah Kelly")
    idea = _idea(session, author)
    assert add_comment(session, idea, colleague, "Same at the south gate.") is True
    assert add_comment(session, idea, colleague, " Same at the south gate. ") is False  # pressed twice
    assert add_comment(session, idea, author, "Thanks, Hannah.") is True
    session.flush()
    assert [c.body for c in idea.comments] == ["Same at the south gate.", "Thanks, Hannah."]
    assert _subjects(session, author) == ['Hannah Kelly commented on your idea "Hand scanners at the turnstiles"']
    assert "Same at the south gate." in session.query(OutboxMessage).one().body_text


def test_colleagues_chosen_for_a_task_force_are_told(session, team):
    manager = make_employee(session, role=Role.manager, team=team)
    hannah = make_employee(session, team=team)
    author = make_employee(session, team=team)
    force = form_task_force(session, name="Turnstile fallback", goal="Nobody waits more than five minutes.",
                            due_on=date.today() + timedelta(days=30), members=[hannah, manager],
                            ideas=[_idea(session, author)], by=manager)
    session.flush()
    assert task_forces_of(session, hannah).items == [force] and task_forces_of(session, author).total == 0
    assert _subjects(session, hannah) == ["You are on the task force “Turnstile fallback”"]
    body = [m for m in session.query(OutboxMessage) if m.to_address == hannah.email][0].body_text
    assert "Nobody waits more than five minutes." in body and "Hand scanners at the turnstiles" in body
    assert not any("task force" in subject for subject in _subjects(session, manager))  # who formed it knows


def test_an_empty_comment_is_refused(session):
    idea = _idea(session, make_employee(session))
    with pytest.raises(IdeaRefused):
        add_comment(session, idea, make_employee(session), "   ")


def test_not_now_needs_a_reason_and_the_author_is_told(session, team):
    author = make_employee(session, email="sam@staff.example", team=team)
    manager = make_employee(session, role=Role.manager, team=team)
    idea = _idea(session, author)
    with pytest.raises(IdeaRefused, match="Say why"):
        set_status(session, idea, IdeaStatus.not_now, reason=" ", by=manager)
    set_status(session, idea, IdeaStatus.not_now, reason="The budget for this season is spent.", by=manager)
    session.flush()
    assert idea.status is IdeaStatus.not_now and idea.status_changed_by is manager
    message = session.query(OutboxMessage).filter_by(to_address="sam@staff.example").one()
    assert "Not now" in message.subject and "The budget for this season is spent." in message.body_text


def test_saving_the_same_status_and_reason_again_changes_nothing_and_sends_nothing(session, team):
    author = make_employee(session, team=team)
    manager = make_employee(session, role=Role.manager, team=team)
    idea = _idea(session, author)
    assert set_status(session, idea, IdeaStatus.not_now, reason="Scanners come in May.", by=manager) is True
    session.flush()
    decided_at = idea.status_changed_at
    other_manager = make_employee(session, role=Role.manager, team=team)
    assert set_status(session, idea, IdeaStatus.not_now, reason=" Scanners come in May. ", by=other_manager) is False
    session.flush()
    assert idea.status_reason == "Scanners come in May."
    assert idea.status_changed_by is manager and idea.status_changed_at == decided_at
    assert _subjects(session, author) == ['Your idea "Hand scanners at the turnstiles" is now: Not now']


def test_an_agent_cannot_decide_an_ideas_status(session):
    idea = _idea(session, make_employee(session))
    with pytest.raises(NotPermitted):
        set_status(session, idea, IdeaStatus.under_review, reason="", by=make_employee(session, role=Role.agent))


def test_a_manager_of_another_team_cannot_decide_or_form_a_task_force(session, team):
    idea = _idea(session, make_employee(session, team=team))
    stranger = make_employee(session, role=Role.manager, team=make_team(session))
    with pytest.raises(NotPermitted):
        set_status(session, idea, IdeaStatus.under_review, reason="", by=stranger)
    with pytest.raises(NotPermitted):
        form_task_force(session, name="Ours now", goal="g", due_on=date.today(), members=[stranger], ideas=[idea],
                        by=stranger)
    assert idea.status is IdeaStatus.new and idea.task_force is None


def test_a_task_force_takes_on_ideas_and_their_status_follows(session, team):
    author = make_employee(session, team=team)
    manager = make_employee(session, role=Role.manager, team=team)
    members = [make_employee(session), make_employee(session)]
    first, second = _idea(session, author), _idea(session, author, "Stewards with scanners")
    force = form_task_force(
        session, name="Turnstile fallback", goal="No fan queues more than 5 minutes when a card fails.",
        due_on=date.today() + timedelta(days=60), members=members, ideas=[first, second], by=manager,
    )
    session.flush()
    assert force.members == sorted(members, key=lambda e: e.name)
    assert {first.status, second.status} == {IdeaStatus.task_force}
    assert first.task_force is force
    assert _subjects(session, author) == ['Your idea "Hand scanners at the turnstiles" is now: Task force',
                                          'Your idea "Stewards with scanners" is now: Task force']
    with pytest.raises(IdeaRefused, match="Already with a task force"):
        form_task_force(session, name="Again", goal="g", due_on=date.today(), members=members, ideas=[first],
                        by=manager)


def _turnstile_task_force(session, team, members):
    manager = make_employee(session, role=Role.manager, team=team)
    force = form_task_force(session, name="Turnstile fallback", goal="Nobody waits more than five minutes.",
                            due_on=date.today() + timedelta(days=30), members=members,
                            ideas=[_idea(session, make_employee(session, team=team))], by=manager)
    session.flush()
    return force, manager


def test_a_task_force_is_changed_and_only_colleagues_new_to_it_are_told(session, team):
    hannah, omar = make_employee(session, team=team), make_employee(session, team=team)
    force, manager = _turnstile_task_force(session, team, [hannah])
    told = len(_subjects(session, hannah))
    assert edit_task_force(session, force, name="Turnstile fallback", goal="Nobody waits more than three minutes.",
                           due_on=force.due_on, members=[hannah, omar], by=manager) is True
    session.flush()
    assert force.goal == "Nobody waits more than three minutes." and set(force.members) == {hannah, omar}
    assert len(_subjects(session, hannah)) == told
    assert _subjects(session, omar) == ["You are on the task force “Turnstile fallback”"]
    entry = session.query(AuditEntry).filter_by(entity="task_force", action="update").one()
    assert ("goal", "Nobody waits more than five minutes.", "Nobody waits more than three minutes.") in entry.changes()
    assert edit_task_force(session, force, name=" Turnstile fallback ", goal=force.goal, due_on=force.due_on,
                           members=[omar, hannah], by=manager) is False  # saved again as it came back
    with pytest.raises(IdeaRefused, match="in the past"):
        edit_task_force(session, force, name=force.name, goal=force.goal, due_on=date.today() - timedelta(days=1),
                        members=[hannah], by=manager)


def test_closing_a_task_force_records_what_changed_and_why_and_ends_changes(session, team):
    hannah = make_employee(session, team=team)
    force, manager = _turnstile_task_force(session, team, [hannah])
    with pytest.raises(IdeaRefused, match="what changed"):
        close_task_force(session, force, outcome=" ", reason="Goal met.", by=manager)
    with pytest.raises(IdeaRefused, match="why"):
        close_task_force(session, force, outcome="Hand scanners at every block.", reason="", by=manager)
    assert force.closed_at is None
    assert close_task_force(session, force, outcome="Hand scanners at every block.", reason="Goal met.",
                            by=manager) is True
    session.flush()
    assert force.closed_at is not None and force.closed_by is manager
    assert (force.outcome, force.close_reason) == ("Hand scanners at every block.", "Goal met.")
    assert session.query(AuditEntry).filter_by(entity="task_force", action="close").count() == 1
    assert close_task_force(session, force, outcome="Again", reason="Again", by=manager) is False
    assert force.outcome == "Hand scanners at every block."
    with pytest.raises(IdeaRefused, match="closed"):
        edit_task_force(session, force, name="New name", goal=force.goal, due_on=force.due_on, members=[hannah],
                        by=manager)


def test_only_a_manager_of_its_work_changes_or_closes_a_task_force(session, team):
    hannah = make_employee(session, team=team)
    force, _ = _turnstile_task_force(session, team, [hannah])
    stranger = make_employee(session, role=Role.manager, team=make_team(session))
    for someone in (stranger, hannah):
        with pytest.raises(NotPermitted):
            edit_task_force(session, force, name="Ours", goal="g", due_on=force.due_on, members=[someone],
                            by=someone)
        with pytest.raises(NotPermitted):
            close_task_force(session, force, outcome="x", reason="y", by=someone)
    assert force.name == "Turnstile fallback" and force.closed_at is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"members": []}, "at least one colleague"),
        ({"ideas": []}, "at least one idea"),
        ({"due_on": "yesterday"}, "in the past"),  # worked out in the test, on the test's clock
        ({"name": " "}, "name and a goal"),
    ],
)
def test_a_task_force_needs_members_ideas_a_future_date_and_a_name(session, change, message):
    manager = make_employee(session, role=Role.manager)
    arguments = {"name": "Queues", "goal": "Shorter queues", "due_on": date.today(),
                 "members": [make_employee(session)], "ideas": [_idea(session, manager)], "by": manager}
    arguments.update(change)
    if arguments["due_on"] == "yesterday":
        arguments["due_on"] = date.today() - timedelta(days=1)
    with pytest.raises(IdeaRefused, match=message):
        form_task_force(session, **arguments)


def test_the_list_puts_the_most_supported_first_and_filters_by_status(session, team):
    author = make_employee(session, team=team)
    quiet, popular = _idea(session, author, "Quiet idea"), _idea(session, author, "Popular idea")
    for _ in range(3):
        support(session, popular, make_employee(session))
    manager = make_employee(session, role=Role.manager, team=team)
    set_status(session, quiet, IdeaStatus.under_review, reason="", by=manager)
    session.flush()
    page = list_ideas(session, IdeaFilters())
    assert [row.idea.title for row in page.items] == ["Popular idea", "Quiet idea"]
    assert [row.supporters for row in page.items] == [4, 1]
    reviewing = list_ideas(session, IdeaFilters(status=IdeaStatus.under_review))
    assert [row.idea.title for row in reviewing.items] == ["Quiet idea"]
    mine = list_ideas(session, IdeaFilters(author_id=manager.id))
    assert mine.total == 0


def _change(session, manager, *, published: bool, title="Hand scanners at every block"):
    from portal.changes.models import Change, Theme

    theme = Theme(title="Turnstiles", created_by=manager)
    change = Change(theme=theme, slug=title.lower().replace(" ", "-"), title=title, you_said="x", we_did="y",
                    created_by=manager, published=published, published_at=utcnow() if published else None)
    session.add(change)
    session.flush()
    return change


def test_a_shipped_idea_links_to_its_change_and_the_author_is_told(session, team):
    author, manager = make_employee(session, team=team), make_employee(session, role=Role.manager, team=team)
    idea = _idea(session, author)
    change = _change(session, manager, published=True)
    with pytest.raises(NotPermitted):
        link_change(session, idea, change, by=author)
    assert link_change(session, idea, change, by=manager) is True
    session.flush()
    assert idea.change is change and idea.status is IdeaStatus.done
    assert "Hand scanners at every block" in session.query(OutboxMessage).all()[-1].body_text
    told = session.query(OutboxMessage).count()
    assert link_change(session, idea, change, by=manager) is False  # "Save link" pressed again
    assert session.query(OutboxMessage).count() == told


def test_only_a_published_change_can_be_what_an_idea_shipped_as(session, team):
    author, manager = make_employee(session, team=team), make_employee(session, role=Role.manager, team=team)
    idea = _idea(session, author)
    draft = _change(session, manager, published=False, title="Scanners, still a draft")
    published = _change(session, manager, published=True)
    with pytest.raises(IdeaRefused, match="not published yet"):
        link_change(session, idea, draft, by=manager)
    session.flush()
    assert idea.change is None and idea.status is IdeaStatus.new
    assert _subjects(session, author) == []
    assert changes_to_ship_as(session, manager) == [published]
