"""Pages for one person are never stored by a browser or proxy; production tells browsers to use HTTPS only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.db import db
from tests.conftest import make_test_app

ADMIN = "alex.morgan@rovers.example"
MANAGER = "priya.shah@rovers.example"


@pytest.fixture
def demo_app(sqlite_url, tmp_path):
    from portal.demo import load_demo

    app = make_test_app(sqlite_url, tmp_path)
    with app.app_context():
        load_demo(db.session, customers=20, cases=30)
        db.session.commit()
    return app


def staff_client(app, email):
    client = app.test_client()
    response = client.post("/staff/sign-in", data={"email": email, "password": "rovers-demo-2026"})
    assert response.status_code == 302
    return client


def customer_pages(app) -> dict[str, str]:
    from portal.cases.customer_access import issue_link
    from portal.remedies.links import offer_token
    from portal.remedies.models import Offer, OfferStatus

    visible = (OfferStatus.sent, OfferStatus.chosen, OfferStatus.declined, OfferStatus.expired)
    with app.app_context():
        offer = db.session.scalar(select(Offer).where(Offer.status.in_(visible)).order_by(Offer.id))
        pages = {"case page": f"/my-case/{issue_link(db.session, offer.case)}",
                 "offer": f"/offers/{offer_token(app.config['SECRET_KEY'], offer.id)}",
                 "customer": offer.case.customer.email}
        db.session.commit()
    return pages


def test_every_kind_of_private_page_says_no_store(demo_app, outbox):
    from portal.surveys.models import Survey

    with demo_app.app_context():
        survey_id = db.session.scalar(select(Survey.id).order_by(Survey.id))
    pages = customer_pages(demo_app)
    visitor = demo_app.test_client()
    visitor.post("/account/sign-in", data={"email": pages["customer"]})
    link = re.search(r"http://127\.0\.0\.1:5000(/account/sign-in/\S+)",
                     outbox()[-1].get_body(("plain",)).get_content()).group(1)
    assert visitor.get(link).status_code == 302
    customer = {"case page": pages["case page"], "offer": pages["offer"], "account": "/account"}
    staff = {
        "my cases": "/staff/cases",
        "data export (JSON)": "/staff/admin/data-requests/1/export.json",
        "dashboard CSV": "/staff/metrics/breakdown.csv",
        "monthly figures PDF": "/staff/metrics/report.pdf",
        "survey report PDF": f"/staff/surveys/{survey_id}/report.pdf",
        "survey answers CSV": f"/staff/surveys/{survey_id}/results.csv",
    }
    manager, admin = staff_client(demo_app, MANAGER), staff_client(demo_app, ADMIN)
    for kind, url in [*customer.items(), *staff.items()]:
        client = visitor if kind in customer else admin if "export" in kind else manager
        response = client.get(url)
        assert response.status_code == 200, (kind, url, response.status_code)
        assert "no-store" in response.headers.get("Cache-Control", ""), kind
    # Public pages stay cacheable by nothing of ours, and are not marked private.
    assert "no-store" not in demo_app.test_client().get("/you-said-we-did/").headers.get("Cache-Control", "")


@pytest.mark.parametrize(("env", "expected"), [("production", True), ("development", False), ("test", False)])
def test_hsts_only_in_production(sqlite_url, tmp_path, env, expected):
    app = make_test_app(sqlite_url, tmp_path, PORTAL_ENV=env, SECRET_KEY="a-production-secret-that-is-long-enough")
    response = app.test_client().get("/healthz")
    assert ("Strict-Transport-Security" in response.headers) is expected
    if expected:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
