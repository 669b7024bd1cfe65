"""Every route, fed what an outside probe sends (NUL bytes, numbers beyond 64 bits, CR/LF, very long text,
numbers no column can hold) as a visitor and as each staff role, on SQLite and PostgreSQL: never a 5xx.

The routes come from the app's URL map, the query-string names from the source and the form field names from
every form class, so a new route or field is fuzzed without anyone adding it here."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter
from wtforms.fields.core import UnboundField

from portal.db import db
from tests.conftest import make_test_app

PORTAL = Path(__file__).resolve().parents[2] / "portal"
DEMO_PASSWORD = "rovers-demo-2026"
ROLES = {
    "anonymous": None,
    "agent": "maria.lopez@rovers.example",
    "manager": "priya.shah@rovers.example",
    "admin": "alex.morgan@rovers.example",
}
BIG = str(2**64)
HOSTILE = {
    "nul": ("a\x00b",),
    "big": (BIG,),
    "crlf and long": ("/x\r\nSet-Cookie: taken=1\r\n" + "x" * 3000,),
    "odd numbers": (f"-{BIG}", "1e308", "NaN", "-1"),
}
# Rendering a PDF costs a hundred pages' time: those get the two values most likely to reach the database.
PDF_VALUES = ("nul", "big")
# Ending the session half-way would leave the rest of the routes fuzzed as a visitor.
SKIPPED_ENDPOINTS = {"static", "auth.sign_out", "cases.account_sign_out"}


def query_names() -> set[str]:
    """Every query-string name the views read, found in the source."""
    names: set[str] = set()
    pattern = re.compile(r"args\.(?:get|getlist)\(\s*[\"']([\w-]+)[\"']|args\[[\"']([\w-]+)[\"']\]")
    for path in PORTAL.rglob("*.py"):
        for match in pattern.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


def form_field_names() -> set[str]:
    """Every field name of every form class, plus the names views read from request.form directly."""
    names: set[str] = set()
    stack = list(FlaskForm.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        names.update(name for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField))
    pattern = re.compile(r"form\.(?:get|getlist)\(\s*[\"']([\w-]+)[\"']")
    for path in PORTAL.rglob("*.py"):
        names.update(pattern.findall(path.read_text()))
    return names - {"csrf_token"}


def real_values(app: Flask) -> dict[str, str]:
    """Ordinary values for URL parameters, so the forms behind real tokens and references are reached too."""
    from portal.cases.customer_access import issue_link
    from portal.cases.models import Case
    from portal.changes.models import Change
    from portal.remedies.links import offer_token
    from portal.remedies.models import Offer, OfferStatus
    from portal.surveys.invitations import token_for
    from portal.surveys.models import Invitation

    values = {"reference": "MIR-2026-000001", "slug": "x", "token": "x", "secret": "x"}
    with app.app_context():
        secret = app.config["SECRET_KEY"]
        offer = db.session.scalar(select(Offer).where(Offer.status.in_(
            (OfferStatus.sent, OfferStatus.chosen, OfferStatus.declined, OfferStatus.expired))).order_by(Offer.id))
        case = offer.case if offer else db.session.scalar(select(Case).order_by(Case.id))
        values["reference"] = case.reference
        values["cases-token"] = issue_link(db.session, case)
        if offer:
            values["offers-token"] = offer_token(secret, offer.id)
        invitation = db.session.scalar(select(Invitation).order_by(Invitation.id))
        if invitation:
            values["answer-token"] = token_for(secret, invitation)
        change = db.session.scalar(select(Change).where(Change.slug.is_not(None)).order_by(Change.id))
        if change:
            values["slug"] = change.slug
        db.session.commit()
    return values


def url_for_rule(rule: Rule, values: dict[str, str], hostile: bool) -> str:
    blueprint = rule.endpoint.split(".")[0]

    def fill(match: re.Match) -> str:
        converter, _, name = match.group(1).rpartition(":")
        if converter.startswith("any("):
            return converter[4:].split(",")[0].strip()
        if converter == "int":
            return BIG if hostile else "1"
        if hostile:
            return quote("x\x00\r\n" + "y" * 300, safe="")
        return quote(values.get(f"{blueprint}-{name}", values.get(name, "x")), safe="")

    return re.sub(r"<([^>]+)>", fill, rule.rule)


def sign_in(client, email: str | None) -> None:
    if email is None:
        return
    response = client.post("/staff/sign-in", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{email} could not sign in"


def hostile_values(names: list[str], label: str, turn: int) -> dict[str, str]:
    """Each name gets one of the label's values; the turn (one per role) rotates them, so over the four roles every
    name receives every value without four times the requests."""
    values = HOSTILE[label]
    return {name: values[(i + turn) % len(values)] for i, name in enumerate(names)}


class Probe:
    def __init__(self, app: Flask, role: str, email: str | None) -> None:
        self.client, self.role, self.failures = app.test_client(), role, []
        sign_in(self.client, email)
        self.client.get("/")  # a page first, as a browser would (and where a CSRF token can be read)

    def names_on_page(self, url: str) -> set[str]:
        """The fields of the page's own forms, including those built at run time (a survey's questions)."""
        page = self.client.get(url).get_data(as_text=True)
        return set(re.findall(r'<(?:input|textarea|select)[^>]*\sname="([^"]+)"', page)) - {"csrf_token"}

    def check(self, method: str, url: str, what: str, **kwargs) -> None:
        response = self.client.open(url, method=method, **kwargs)
        if response.status_code >= 500:
            self.failures.append(f"{self.role}: {method} {url[:120]!r} ({what}) -> {response.status_code}")


def fuzz(app: Flask) -> list[str]:
    failures: list[str] = []
    values = real_values(app)
    args, fields = sorted(query_names()), form_field_names()
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ENDPOINTS),
                   key=lambda r: r.rule)
    for turn, (role, email) in enumerate(ROLES.items()):
        probe = Probe(app, role, email)
        for rule in rules:
            methods = [m for m in ("GET", "POST") if m in rule.methods]
            if rule.arguments:
                for method in methods:
                    probe.check(method, url_for_rule(rule, values, hostile=True), "hostile URL")
            url = url_for_rule(rule, values, hostile=False)
            page_fields = probe.names_on_page(url) if methods == ["GET", "POST"] else set()
            for label in HOSTILE:
                if rule.rule.endswith(".pdf") and label not in PDF_VALUES:
                    continue
                query = "?" + urlencode(hostile_values(args, label, turn))
                if "GET" in methods:
                    probe.check("GET", url + query, f"query {label}")
                if "POST" in methods:
                    probe.check("POST", url + query, f"form {label}",
                                data=hostile_values(sorted(fields | page_fields), label, turn))
        failures += probe.failures
    return failures


@pytest.mark.pages_unchecked
def test_no_route_answers_hostile_input_with_a_server_error(db_url: str, tmp_path: Path) -> None:
    from portal.demo import load_demo

    app = make_test_app(db_url, tmp_path)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is what a user would see; count it rather than raise it
    with app.app_context():
        load_demo(db.session, customers=20, cases=30)
        db.session.commit()
    failures = fuzz(app)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:80])


def test_every_int_route_parameter_uses_the_bounded_converter(app: Flask) -> None:
    from portal.inputs import DatabaseIntConverter

    int_rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert int_rules
    for rule in int_rules:
        numbers = [c for c in rule._converters.values() if isinstance(c, NumberConverter)]
        assert numbers and all(isinstance(c, DatabaseIntConverter) for c in numbers), rule.rule


def test_every_form_refuses_control_characters_through_the_one_base_class(app: Flask) -> None:
    from portal.forms import PortalForm

    stack, forms = list(FlaskForm.__subclasses__()), []
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("portal."):
            forms.append(cls)
    assert len(forms) > 40
    assert [cls.__qualname__ for cls in forms if not issubclass(cls, PortalForm)] == []


def test_a_nul_in_what_happened_is_explained_on_the_field_and_nothing_is_filed(db_url: str, tmp_path: Path) -> None:
    from portal.cases.models import Case
    from tests.factories import make_category, make_employee, make_team

    app = make_test_app(db_url, tmp_path)
    with app.app_context():
        team = make_team(db.session, "Ticket Office")
        make_employee(db.session, team=team)
        category_id = make_category(db.session, team=team).id
        db.session.commit()
    response = app.test_client().post("/tell-us", data={
        "name": "James Smith", "email": "james@fans.example", "category_id": str(category_id),
        "what_happened": "My card\x00 would not scan.", "make_it_right": "Refund the match.",
        "preferred_contact": "email", "consent_to_contact": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Remove the invisible control characters" in page
    with app.app_context():
        assert db.session.scalar(select(Case)) is None


def test_a_line_break_in_next_cannot_leave_the_site_or_split_a_header(app: Flask) -> None:
    from tests.factories import PASSWORD, make_employee

    with app.app_context():
        make_employee(db.session, email="agent@staff.example")
        db.session.commit()
    for target in ("/staff/cases\r\nSet-Cookie: taken=1", "//evil.example/", "/\\evil.example", "https://evil.example"):
        response = app.test_client().post(f"/staff/sign-in?next={quote(target)}",
                                          data={"email": "agent@staff.example", "password": PASSWORD})
        assert response.status_code == 302, target
        location = response.headers["Location"]
        assert "evil" not in location and "\r" not in location and "\n" not in location
        assert "taken" not in response.headers.get("Set-Cookie", "")


def test_numbers_beyond_64_bits_name_nothing(app: Flask) -> None:
    from portal.inputs import db_int, optional_db_int

    client = app.test_client()
    assert client.get("/you-said-we-did/?category=99999999999999999999").status_code == 200
    assert client.get("/my-case/x/attachments/99999999999999999999").status_code == 404
    assert db_int(str(2**31 - 1)) == 2**31 - 1  # PostgreSQL's INTEGER, which our id columns are
    assert [optional_db_int(v) for v in (str(2**31), str(2**63), "-" + "9" * 30, "1e3", " 12 ", "", None, "١٢")] == \
        [None, None, None, None, 12, None, None, None]
