"""At 320 CSS pixels wide (WCAG 1.4.10, reflow) no page scrolls sideways as a whole: wide tables scroll inside
their own box. Every GET page of the app is visited by each audience — the public, a customer (through the
private links of the e-mails), an agent, a manager and an admin — on the demo organisation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.auth.models import Employee
from portal.cases.contact_preferences import PURPOSE as PREFERENCES
from portal.cases.customer_access import issue_link
from portal.cases.models import Case, CaseStatus, Category, Event
from portal.changes.models import Change, Theme
from portal.demo import DEMO_PASSWORD, load_demo
from portal.ideas.models import Idea, TaskForce
from portal.mail.models import OutboxMessage
from portal.remedies.links import offer_token
from portal.remedies.models import CatalogueEntry, Offer, OfferStatus
from portal.surveys.invitations import token_for
from portal.surveys.models import FocusGroup, Invitation, Question, Section, Survey
from portal.tokens import sign

pytestmark = pytest.mark.browser

WIDTH = 320
STAFF = {"agent": "maria.lopez@rovers.example", "manager": "priya.shah@rovers.example",
         "admin": "alex.morgan@rovers.example"}
# Files, feeds, images and JSON: no page to lay out.
NOT_PAGES = re.compile(r"(\.(csv|pdf|atom|json)$|/attachments/|/logo$|/cover$|/presence$|^/static/|^/healthz$"
                       r"|/outbox/<int:message_id>/preview$)")
# Links only an e-mail carries with a one-off token of another kind (sign-in, password reset, invitation to staff):
# the pages they open are the forms checked under their own routes.
ONE_OFF = {"cases.account_link", "auth.reset_password", "auth.accept_invitation"}


def _samples(s, secret: str) -> dict[str, object]:
    maria = s.scalar(select(Employee).where(Employee.email == STAFF["agent"]))
    busiest = (select(Case).join(Event).where(Case.owner_id == maria.id).group_by(Case.id)
               .order_by(func.count(Event.id).desc()).limit(1))
    case = s.scalar(busiest)
    offer = s.scalar(select(Offer).where(Offer.status == OfferStatus.sent).order_by(Offer.id)) or \
        s.scalar(select(Offer).order_by(Offer.id))
    survey = s.scalar(select(Survey).join(Invitation).order_by(Survey.id))
    invitation = s.scalar(select(Invitation).where(Invitation.survey_id == survey.id).order_by(Invitation.id))
    first = lambda model: s.scalar(select(model.id).order_by(model.id))  # noqa: E731
    return {
        "reference": case.reference,
        "chosen_reference": s.scalar(select(Case.reference).where(Case.status == CaseStatus.remedy_chosen)),
        "case_token": issue_link(s, case),
        "offer_token": offer_token(secret, offer.id),
        "survey_token": token_for(secret, invitation),
        "preferences_token": sign(secret, PREFERENCES, case.customer.email),
        "category_id": first(Category), "customer_id": case.customer_id, "employee_id": maria.id,
        "team_id": maria.team_id, "message_id": first(OutboxMessage),
        "offer_id": s.scalar(select(Offer.id).where(Offer.status == OfferStatus.awaiting_approval)) or offer.id,
        "survey_id": survey.id, "question_id": s.scalar(
            select(Question.id).join(Section).where(Section.survey_id == survey.id).order_by(Question.id)),
        "group_id": first(FocusGroup), "idea_id": first(Idea), "task_force_id": first(TaskForce),
        "change_id": first(Change), "theme_id": first(Theme), "entry_id": first(CatalogueEntry),
        "slug": s.scalar(select(Change.slug).where(Change.published_at.is_not(None))), "page": 1,
    }


def _pages(app, samples: dict[str, object]) -> dict[str, list[str]]:
    """The address of every GET page, by audience: tokens are the customer's, /staff the employees'."""
    pages: dict[str, list[str]] = {"public": [], "customer": [], "staff": []}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or NOT_PAGES.search(rule.rule) or rule.endpoint in ONE_OFF:
            continue
        path = rule.rule
        for name in rule.arguments:
            value = samples.get(name)
            if name == "token":
                value = {"cases.private_case": samples["case_token"], "email_preferences.email_preferences":
                         samples["preferences_token"]}.get(rule.endpoint) or \
                    (samples["offer_token"] if rule.endpoint.startswith("offers.") else samples["survey_token"])
            elif name == "reference" and rule.endpoint == "remedies.fulfil":
                value = samples["chosen_reference"]
            elif name == "via":
                value = "i"
            path = re.sub(rf"<(?:[^:>]+:)?{name}>", str(value), path)
        audience = "staff" if path.startswith("/staff") and not path.startswith("/staff/forgot") \
            and not path.startswith("/staff/sign-in") else "customer" if "token" in rule.arguments else "public"
        pages[audience].append(path)
    return pages


def _too_wide(page, base: str, paths: list[str]) -> list[str]:
    wide = []
    for path in sorted(set(paths)):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide.append(f"{path} is {width} px wide")
    return wide


def test_no_page_scrolls_sideways_at_320_px(live_server, browser):
    with live_server.session() as s:
        load_demo(s, customers=60, cases=90)
        s.commit()
        samples = _samples(s, live_server.app.config["SECRET_KEY"])
        s.commit()
    pages = _pages(live_server.app, samples)
    assert len(pages["staff"]) >= 50 and pages["customer"] and pages["public"]
    wide: list[str] = []
    for audience in ("public", "customer", *STAFF):
        context = browser.new_context(viewport={"width": WIDTH, "height": 640}, locale="en-GB")
        context.set_default_timeout(20_000)
        page = context.new_page()
        if audience in STAFF:
            page.goto(live_server.url + "/staff/sign-in")
            page.get_by_label("E-mail address").fill(STAFF[audience])
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("button", name="Sign out").wait_for()
        paths = pages["staff"] if audience in STAFF else pages[audience]
        wide += [f"{audience}: {line}" for line in _too_wide(page, live_server.url, paths)]
        context.close()
    assert not wide, "Pages wider than 320 px:\n" + "\n".join(wide)
