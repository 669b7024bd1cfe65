"""The permission matrix: every staff route, as each role of another team, on both databases.

The routes come from ``app.url_map``, so a new route is walked as soon as it exists. Each URL parameter is filled
with the id of an object that belongs to the Ticket Office; the people asking work in Catering. A route whose
parameters name an object must answer 403 or 404 and change nothing in the database; a route without one must be
listed in ``WITHOUT_OBJECT`` with who may use it, and then answers 403 to everyone else, never shows the Ticket
Office's words to Catering, and changes nothing when posted to with the Ticket Office's ids. A route or a
parameter the matrix does not know fails the test until it is classified here, with a reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter, Rule

from portal.auth.models import Role
from portal.cases.models import Attachment, CaseStatus
from portal.db import Base, utcnow
from tests.conftest import make_test_app
from tests.factories import (
    make_case,
    make_catalogue_entry,
    make_category,
    make_customer,
    make_employee,
    make_offer,
    make_team,
    sign_in,
)

# Every object of the Ticket Office carries this in its words; Catering must never read it.
MARKER = "TicketOfficeOnly"

# Routes for people who are not signed in, or that act only on the person signed in.
NOT_STAFF_OBJECTS = {
    "auth.sign_in": "signing in: for anyone",
    "auth.sign_out": "ends the signed-in person's own session",
    "auth.forgot_password": "asks for a reset link, answering the same whoever asks (enumeration-proof)",
    "auth.reset_password": "a signed link from an e-mail; the token is the permission",
    "auth.accept_invitation": "a signed link from an invitation e-mail; the token is the permission",
}

# Routes whose objects are open to every employee by design.
OPEN_TO_EVERY_EMPLOYEE = {
    "ideas.show": "the ideas box is open: every employee reads every idea",
    "ideas.support": "every employee may support any colleague's idea",
    "ideas.withdraw_support": "every employee may withdraw the support they gave",
    "ideas.comment": "every employee may comment on any idea",
    "ideas.task_force": "task forces are shown to everyone, like the ideas they work on",
    "ideas.question": "a manager's question and its answers are read by everyone, like the ideas box (only the "
                      "teams' managers see who has not answered)",
}

STAFF, MANAGER, ADMIN = "staff", "manager", "admin"

# Routes that name no object in their path: who may use them at all. Their lists and figures are scoped to the
# teams the viewer manages; forms that create something refuse another team's ids (see CROSS_TEAM_POSTS).
WITHOUT_OBJECT = {
    "staff.my_cases": STAFF, "staff.team": MANAGER, "intake.new_case": STAFF,
    "staff.search": STAFF,  # results are only the cases (and their customers) the employee may see
    "ideas.index": STAFF, "ideas.mine": STAFF, "ideas.my_task_forces": STAFF, "ideas.new": STAFF,
    "ideas.new_task_force": MANAGER, "ideas.ask": MANAGER,  # a question goes only to teams the asker manages
    "admin.index": MANAGER, "admin.categories": MANAGER, "admin.category": MANAGER,
    "admin.teams": ADMIN, "admin.team": ADMIN, "admin.employees": ADMIN, "admin.invite": ADMIN,
    "admin.organisation_settings": ADMIN, "admin.audit_log": ADMIN, "admin.data_requests_search": ADMIN,
    "outbox.index": ADMIN, "outbox.received": ADMIN,
    "remedies.approvals": MANAGER, "remedies.catalogue_list": MANAGER, "remedies.catalogue_edit": MANAGER,
    "themes.theme_list": MANAGER, "themes.change_list": MANAGER,
    "themes.change": MANAGER, "themes.report": MANAGER,
    "focus_groups.index": MANAGER, "surveys.index": MANAGER,
    "customer_records.imports": MANAGER,  # its list shows only the imports the viewer manages
    "metrics.index": MANAGER, "metrics.download": MANAGER, "metrics.cases": MANAGER,
    "metrics.monthly_report": MANAGER,
    # Each employee's own templates and their teams' (a manager may keep a team's only of a team they manage).
    "reply_templates.index": STAFF, "reply_templates.new": STAFF,
    "staff.shortcuts": STAFF,  # the keyboard shortcuts: the same words for everyone
}

# What an admin cannot open although the object is there, and why.
ADMIN_NOT_FOUND = {
    "remedies.staff_letter": "the case has no fulfilled remedy, so it has no letter yet",
}


@dataclass
class World:
    ids: dict[str, object]   # URL parameter name -> the Ticket Office object's id
    queries: dict[str, dict[str, object]]   # endpoint -> query string naming Ticket Office objects
    posts: dict[str, dict[str, object]]     # endpoint -> form naming Ticket Office objects
    reference: str
    category_id: int
    catering_team_id: int


def _build_world(session, upload_dir: Path) -> World:
    from portal.changes.models import Change, Quote, Theme, ThemeCase
    from portal.ideas.models import Idea, IdeaKind, TaskForce, TeamQuestion
    from portal.mail.models import OutboxMessage
    from portal.surveys.models import Answer, FocusGroup, Member, Question, QuestionKind, Response, Section, Survey

    ticket_office, catering = make_team(session, "Ticket Office"), make_team(session, "Catering")
    boss = make_employee(session, name="Priya Shah", email="priya@staff.example", role=Role.manager,
                         team=ticket_office, authority_limit="1000")
    ticket_office.manager = boss
    agent = make_employee(session, name="Maria Lopez", email="maria@staff.example", team=ticket_office)
    grace = make_employee(session, name="Grace Okafor", email="manager@staff.example", role=Role.manager,
                          team=catering, authority_limit="1000")
    catering.manager = grace
    make_employee(session, name="Tom Baker", email="agent@staff.example", team=catering)
    make_employee(session, name="Alex Morgan", email="admin@staff.example", role=Role.admin)
    tickets = make_category(session, team=ticket_office, name="Tickets")
    tickets.description = f"Season tickets and match tickets ({MARKER})"
    customer = make_customer(session, name=f"Olivia {MARKER}")
    case = make_case(session, owner=agent, customer=customer, category=tickets, status=CaseStatus.acknowledged,
                     what_happened=f"My season ticket was cancelled without notice ({MARKER}).")
    attachment = Attachment(case_id=case.id, filename="ticket.png", content_type="image/png", size=4,
                            storage_name="matrix-ticket.png")
    session.add(attachment)
    (upload_dir / "attachments").mkdir(parents=True, exist_ok=True)
    (upload_dir / "attachments" / "matrix-ticket.png").write_bytes(b"\x89PNG")
    entry = make_catalogue_entry(session, category=tickets, title=f"Reissue the ticket {MARKER}")
    offer = make_offer(session, case=case, costs=("150", "250"))  # above Maria's limit: it waits for approval
    theme = Theme(title=f"Cancelled season tickets {MARKER}", category=tickets, created_by=boss)
    loose_theme = Theme(title=f"From the focus group {MARKER}", created_by=boss)  # no category: Priya's own
    session.add_all([theme, loose_theme])
    session.flush()
    session.add(ThemeCase(theme_id=theme.id, case_id=case.id, added_by_id=boss.id))
    session.add(Quote(theme_id=theme.id, case_id=case.id, text=f"Cancelled! {MARKER}", customer_agreed=True))
    change = Change(theme=loose_theme, slug="matrix-change", title=f"Season tickets reminders {MARKER}",
                    you_said="x", we_did="y", created_by=boss)
    group = FocusGroup(name=f"Season ticket holders {MARKER}", created_by=boss)
    member = Member(group=group, email="holder@fans.example", name=f"Holder {MARKER}")
    survey = Survey(title=f"Renewals {MARKER}", group=group, created_by=boss)
    section = Section(survey=survey, position=1, title="Your views")
    question = Question(section=section, position=1, kind=QuestionKind.text, prompt=f"What went wrong? {MARKER}")
    session.add_all([change, group, member, survey, section, question])
    session.flush()
    response = Response(survey_id=survey.id, anonymous=True, submitted_at=utcnow())
    session.add(response)
    session.flush()
    answer = Answer(response_id=response.id, question_id=question.id, text=f"Too late {MARKER}")
    idea = Idea(title="Print-at-home tickets", body="Fans could print their own.", kind=IdeaKind.idea,
                category=tickets, author=agent)
    task_force = TaskForce(name="Paperless tickets", goal="No paper by next season.",
                           due_on=utcnow().date() + timedelta(days=30), created_by=boss, members=[agent])
    message = OutboxMessage(to_address=customer.email, template="receipt", subject=f"Your case {MARKER}",
                            body_text=MARKER, case_id=case.id,
                            body_html=f'<!DOCTYPE html><html lang="en"><head><title>{MARKER}</title></head>'
                                      f'<body><p>{MARKER}</p></body></html>')
    from portal.cases.models import CustomerImport

    customer_import = CustomerImport(filename=f"crm-{MARKER}.csv", stored_name="matrix.csv", created_by=boss,
                                     status="done", columns={"unknown": [MARKER]})
    from portal.cases.models import ReplyTemplate

    reply_template = ReplyTemplate(title=f"Refund {MARKER}", body=f"Dear {{first_name}} ({MARKER})",
                                   team=ticket_office)
    session.add_all([answer, idea, task_force, message, customer_import, reply_template])
    session.flush()
    team_question = TeamQuestion(text=f"What is stopping us? {MARKER}", closes_on=date(2099, 1, 1), asked_by=boss,
                                 teams=[ticket_office])
    session.add(team_question)
    session.flush()
    ids = {
        "reference": case.reference, "attachment_id": attachment.id, "customer_id": customer.id,
        "employee_id": agent.id, "team_id": ticket_office.id, "category_id": tickets.id, "entry_id": entry.id,
        "offer_id": offer.id, "theme_id": theme.id, "case_id": case.id, "change_id": change.id,
        "idea_id": idea.id, "task_force_id": task_force.id, "survey_id": survey.id, "section_id": section.id,
        "question_id": question.id, "answer_id": answer.id, "group_id": group.id, "member_id": member.id,
        "message_id": message.id, "import_id": customer_import.id, "team_question_id": team_question.id,
        "template_id": reply_template.id,
        # Not objects of their own: a page number and an import preview's token, under an object in the path.
        "page": 1, "token": "0" * 32,
    }
    everything = {"team": ticket_office.id, "owner": agent.id, "category": tickets.id, "theme": theme.id,
                  "idea": idea.id, "q": "season", "entry": entry.id}
    queries = {endpoint: everything for endpoint in WITHOUT_OBJECT}
    posts = {
        "admin.category": {"name": "Tickets too", "team_id": ticket_office.id, "first_response_hours": "24",
                           "resolution_hours": "48", "active": "y"},
        "themes.theme_list": {"title": "Ours now", "category_id": tickets.id},
        "themes.change": {"title": "Ours", "you_said": "x", "we_did": "y", "status": "planned"},
        "surveys.index": {"title": "Ask their panel", "group_id": group.id, "reminder_days": "3"},
        "ideas.new_task_force": {"name": "Ours", "goal": "g", "due_on": "2099-01-01", "members": [agent.id],
                                 "ideas": [idea.id]},
        "remedies.catalogue_edit": {"category": tickets.id, "kind": "refund", "title": "Ours",
                                    "description": "d", "typical_cost": "5", "active": "y"},
        "ideas.ask": {"text": "What is stopping you?", "teams": [ticket_office.id], "closes_on": "2099-01-01"},
        "staff.my_cases": {}, "ideas.new": {},
        # No title: refused whoever posts (an agent's would be their own), and never the Ticket Office's.
        "reply_templates.new": {"body": "Ours", "team": ticket_office.id},
    }
    session.commit()
    return World(ids, queries, posts, case.reference, tickets.id, catering.id)


@pytest.fixture
def app(db_url, tmp_path):
    """The app on each database in turn (the suite's ``app`` is SQLite only)."""
    return make_test_app(db_url, tmp_path)


@pytest.fixture
def world(app, db_session, tmp_path) -> World:
    return _build_world(db_session, tmp_path / "uploads")


def fingerprint(engine) -> dict[str, str]:
    """A digest of every table's rows, to tell whether a request changed anything."""
    digests = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def staff_rules(app) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith("/staff")), key=lambda r: r.rule)


def urls_for(rule: Rule, world: World) -> tuple[list[str], list[str]]:
    """The rule's URLs with the Ticket Office's ids, one per choice of each ``any(...)`` part; and problems."""
    choices, problems = {}, []
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            choices[name] = sorted(converter.items)
        elif name in world.ids:
            choices[name] = [world.ids[name]]
        else:
            problems.append(f"{rule.rule}: the matrix does not know the parameter <{name}>; add it to the world")
    names = list(choices)
    urls = [rule.build(dict(zip(names, values, strict=True)), append_unknown=False)[1]
            for values in product(*(choices[n] for n in names))]
    return urls, problems


def names_an_object(rule: Rule) -> bool:
    return any(not isinstance(c, AnyConverter) for c in rule._converters.values())


def may_use(role: str, needed: str) -> bool:
    return needed == STAFF or role == ADMIN or (needed == MANAGER and role == "manager")


def walk(app, client, world: World, role: str) -> list[str]:
    """Every staff route as ``role`` of Catering; returns what went wrong, one line each."""
    from portal.db import make_engine

    engine = make_engine(app.config["DATABASE_URL"])
    failures: list[str] = []
    sign_in(client, role)  # the suite's client sends the CSRF token a browser would, so refusals are ours
    before = fingerprint(engine)

    def check(method: str, url: str, expected: set[int] | None, data: dict | None = None,
              keeps_data: bool = True, hides_marker: bool = True) -> None:
        nonlocal before
        response = client.get(url) if method == "GET" else client.post(url, data=data or {})
        body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/j")) else ""
        where = f"{role} {method} {url} -> {response.status_code}"
        if response.status_code >= 500:
            failures.append(f"{where}: server error")
        if expected is not None and response.status_code not in expected:
            failures.append(f"{where}: expected one of {sorted(expected)}")
        if hides_marker and MARKER in body:
            failures.append(f"{where}: shows the Ticket Office's words")
        after = fingerprint(engine)
        if keeps_data and after != before:
            changed = sorted(name for name in after if after[name] != before[name])
            failures.append(f"{where}: changed {', '.join(changed)}")
        before = after

    for rule in staff_rules(app):
        endpoint = rule.endpoint
        if endpoint in NOT_STAFF_OBJECTS:
            continue
        urls, problems = urls_for(rule, world)
        failures += problems
        methods = sorted(rule.methods & {"GET", "POST"})
        if names_an_object(rule):
            open_route = endpoint in OPEN_TO_EVERY_EMPLOYEE
            for url, method in product(urls, methods):
                check(method, url, None if open_route else {403, 404}, keeps_data=not open_route,
                      hides_marker=not open_route)
            continue
        if endpoint not in WITHOUT_OBJECT:
            failures.append(f"{rule.rule} ({endpoint}) is not classified: list it in WITHOUT_OBJECT with who may "
                            "use it, or give the matrix its object")
            continue
        allowed = may_use(role, WITHOUT_OBJECT[endpoint])
        for url, method in product(urls, methods):
            if method == "GET":
                check("GET", url, None if allowed else {403})
                query = "&".join(f"{k}={v}" for k, v in world.queries.get(endpoint, {}).items())
                check("GET", f"{url}?{query}", None if allowed else {403})
            else:
                check("POST", url, None if allowed else {403}, data=world.posts.get(endpoint, {}))
    return failures


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_no_staff_route_lets_another_team_see_or_change_its_objects(app, client, world, role):
    failures = walk(app, client, world, role)
    assert not failures, f"{len(failures)} holes:\n" + "\n".join(failures)


def test_an_admin_opens_every_object_of_every_team(app, client, world):
    sign_in(client, "admin")
    failures = []
    rules = [r for r in staff_rules(app) if r.endpoint not in NOT_STAFF_OBJECTS]
    # Reading first, then posting (posts may close a survey or remove a member the reads would need).
    for method in ("GET", "POST"):
        for rule in rules:
            if method not in rule.methods:
                continue
            for url in urls_for(rule, world)[0]:
                response = client.get(url) if method == "GET" else client.post(url, data={})
                refused = {403} if method == "POST" or rule.endpoint in ADMIN_NOT_FOUND else {403, 404}
                if response.status_code in refused or response.status_code >= 500:
                    failures.append(f"admin {method} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_reported_takeover_a_manager_moves_another_teams_category_into_their_team(app, client, world,
                                                                                      db_session):
    """Issue #14, item 1, as reported: 403 on the case, a POST moving its category, then the case opened."""
    from portal.cases.models import Category

    sign_in(client, "manager")
    assert client.get(f"/staff/cases/{world.reference}").status_code == 403
    moved = client.post(f"/staff/admin/categories/{world.category_id}", data={
        "name": "Tickets", "description": "", "team_id": world.catering_team_id,
        "first_response_hours": "24", "resolution_hours": "168", "active": "y"})
    assert moved.status_code == 403
    assert client.get(f"/staff/cases/{world.reference}").status_code == 403
    assert world.reference not in client.get("/staff/team").get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Category, world.category_id).team.name == "Ticket Office"
