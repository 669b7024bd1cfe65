import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.auth.permissions import NotPermitted
from portal.cases.models import Event
from portal.changes.models import ChangeStatus
from portal.changes.public import list_published, published_change
from portal.changes.publishing import ChangeRefused, publish, save_change
from portal.changes.themes import add_cases_to_theme, add_quote, create_theme, search_cases, stats
from portal.mail.models import OutboxMessage
from tests.factories import make_case, make_category, make_customer, make_employee, make_team


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.test", "care@portal.test", secret_key="s" * 32))


def _change(session, theme, manager, **kw):
    values = dict(theme=theme, title="Two more tills at the north stand kiosk",
                  you_said="Queues at half-time were too long and the food went cold.",
                  we_did="We opened two more tills and a second warmer.", whats_next="", status=ChangeStatus.done,
                  started_on=None, done_on=None, by=manager)
    values.update(kw)
    return save_change(session, None, **values)


@pytest.fixture
def theme_with_cases(session):
    team = make_team(session, "Catering")
    manager = make_employee(session, role=Role.manager, team=team)
    kiosks, bars = make_category(session, team=team), make_category(session, team=team)
    consenting = make_customer(session, email="olivia@fans.example")
    silent = make_customer(session, email="silent@fans.example")
    cases = [make_case(session, customer=consenting, category=kiosks,
                       what_happened="The north stand queue took 25 minutes."),
             make_case(session, customer=consenting, category=kiosks,
                       what_happened="Cold pies at the north stand again."),
             make_case(session, customer=silent, category=bars, what_happened="Queue at half-time was huge.")]
    cases[0].consent_to_contact = cases[1].consent_to_contact = True
    theme = create_theme(session, title="Queues at the north stand kiosk", description="", category=None, by=manager)
    session.flush()
    add_cases_to_theme(session, theme, [c.id for c in cases], by=manager)
    session.flush()
    return theme, manager, cases


def test_a_theme_counts_distinct_customers_and_linking_twice_changes_nothing(session, theme_with_cases):
    theme, manager, cases = theme_with_cases
    assert add_cases_to_theme(session, theme, [cases[0].id, 999999], by=manager) == 0
    figures = stats(session, theme.id)
    assert (figures.cases, figures.customers) == (3, 2)


def test_publishing_notifies_each_consenting_customer_once_even_through_two_cases(session, theme_with_cases):
    theme, manager, cases = theme_with_cases
    change = _change(session, theme, manager)
    told = publish(session, change, by=manager, change_url="http://portal.test/you-said-we-did/x",
                   case_link_for=lambda t: f"http://portal.test/my-case/{t}")
    session.flush()
    messages = session.scalars(select(OutboxMessage)).all()
    assert told == 1 and [m.to_address for m in messages] == ["olivia@fans.example"]
    assert not messages[0].transactional and "/email-preferences/" in messages[0].body_text
    assert len(session.scalars(select(Event).where(Event.kind == "change_published")).all()) == 3
    with pytest.raises(ChangeRefused, match="already published"):
        publish(session, change, by=manager, change_url="x", case_link_for=str)


def test_drafts_are_not_public_and_published_changes_are(session, theme_with_cases):
    theme, manager, _cases = theme_with_cases
    draft = _change(session, theme, manager, title="A draft")
    assert published_change(session, draft.slug) is None and list_published(session).total == 0
    publish(session, draft, by=manager, change_url="x", case_link_for=str)
    detail = published_change(session, draft.slug)
    assert detail.supporters == 2 and list_published(session).total == 1


def test_only_quotes_the_customer_agreed_to_are_public(session, theme_with_cases):
    theme, manager, cases = theme_with_cases
    add_quote(session, theme, cases[0], "Twenty-five minutes for a pie!", customer_agreed=True)
    add_quote(session, theme, cases[1], "Never again.", customer_agreed=False)
    change = _change(session, theme, manager)
    publish(session, change, by=manager, change_url="x", case_link_for=str)
    assert published_change(session, change.slug).quotes == ["Twenty-five minutes for a pie!"]


def test_the_same_words_quoted_twice_show_once(session, theme_with_cases):
    theme, manager, cases = theme_with_cases
    add_quote(session, theme, cases[0], "Twenty-five minutes for a pie!", customer_agreed=True)
    add_quote(session, theme, cases[1], "Twenty-five  minutes for a pie!", customer_agreed=True)
    add_quote(session, theme, cases[1], "Never again.", customer_agreed=True)
    change = _change(session, theme, manager)
    publish(session, change, by=manager, change_url="x", case_link_for=str)
    assert published_change(session, change.slug).quotes == ["Twenty-five minutes for a pie!", "Never again."]


def test_slugs_are_unique_and_readable(session, theme_with_cases):
    theme, manager, _cases = theme_with_cases
    first, second = _change(session, theme, manager), _change(session, theme, manager)
    assert first.slug == "two-more-tills-at-the-north-stand-kiosk" and second.slug.endswith("-2")


def test_searching_cases_by_words_and_category(session, theme_with_cases):
    _theme, manager, cases = theme_with_cases
    found = search_cases(session, words="north stand", category_id=None, viewer=manager)
    assert {c.id for c in found.items} == {cases[0].id, cases[1].id}
    assert search_cases(session, words="north", category_id=cases[2].category_id, viewer=manager).total == 0


def test_a_manager_finds_and_links_only_their_own_teams_cases(session, theme_with_cases):
    theme, manager, _cases = theme_with_cases
    elsewhere = make_case(session, what_happened="North stand ticket printed twice.")
    assert search_cases(session, words="north", category_id=None, viewer=manager).total == 2
    assert add_cases_to_theme(session, theme, [elsewhere.id], by=manager) == 0
    assert stats(session, theme.id).cases == 3


def test_a_theme_and_its_changes_belong_to_their_category_team(session, theme_with_cases):
    theme, manager, _cases = theme_with_cases
    stranger = make_employee(session, role=Role.manager, team=make_team(session, "Ticket Office"))
    own = make_category(session, team=stranger.team)
    with pytest.raises(NotPermitted):
        create_theme(session, title="Pies", description="", category=_cases[0].category, by=stranger)
    with pytest.raises(NotPermitted):
        add_cases_to_theme(session, theme, [], by=stranger)
    with pytest.raises(NotPermitted):
        _change(session, theme, stranger)
    change = _change(session, theme, manager)
    with pytest.raises(NotPermitted):
        publish(session, change, by=stranger, change_url="x", case_link_for=str)
    assert create_theme(session, title="Seats", description="", category=own, by=stranger).category is own


def test_a_change_needs_its_words(session, theme_with_cases):
    theme, manager, _cases = theme_with_cases
    with pytest.raises(ChangeRefused):
        _change(session, theme, manager, we_did=" ")
