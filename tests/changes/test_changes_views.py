import re
import subprocess

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.cases.models import Case, Customer
from portal.changes.models import Change
from tests.factories import make_case, make_category, make_customer, make_employee, make_team, sign_in


@pytest.fixture
def kiosk(db_session):
    team = make_team(db_session, "Catering")
    make_employee(db_session, email="grace@staff.example", role=Role.manager, team=team, name="Grace Okafor")
    make_employee(db_session, email="sam@staff.example", team=team)
    category = make_category(db_session, team=team, name="Food and drink")
    for i, words in enumerate(["The north stand queue took 25 minutes.", "Cold pies at the north stand again.",
                               "North stand tills: only one open."]):
        customer = make_customer(db_session, name=f"Olivia Taylor{i}", email=f"olivia{i}@fans.example")
        case = make_case(db_session, customer=customer, category=category, what_happened=words)
        case.consent_to_contact = True
    db_session.commit()
    return category


def build_and_publish(client, category):
    created = client.post("/staff/themes", data={"title": "Queues at the north stand", "category_id": category.id})
    theme_url = created.location
    page = client.get(f"{theme_url}?q=north+stand").get_data(as_text=True)
    case_ids = re.findall(r'name="case_ids" value="(\d+)"', page)
    client.post(f"{theme_url}/cases", data={"case_ids": case_ids})
    theme_id = theme_url.rstrip("/").rsplit("/", 1)[1]
    client.post(theme_url, data={"case_id": case_ids[0], "text": "Twenty-five minutes for a pie!",
                                 "customer_agreed": "y"})
    saved = client.post(f"/staff/changes/new?theme={theme_id}", data={
        "title": "Two more tills at the north stand", "you_said": "Half-time queues were too long.",
        "we_did": "We opened two more tills in October.", "status": "done"})
    change_url = saved.location
    return change_url


def test_agents_cannot_manage_themes(client, kiosk):
    sign_in(client, "sam")
    assert client.get("/staff/themes").status_code == 403
    assert client.get("/staff/changes").status_code == 403


def test_a_draft_is_invisible_publicly_and_publishing_tells_each_customer(client, kiosk, db_session, outbox):
    sign_in(client, "grace")
    change_url = build_and_publish(client, kiosk)
    change = db_session.scalar(select(Change))
    assert client.get(f"/you-said-we-did/{change.slug}").status_code == 404
    assert change.title not in client.get("/you-said-we-did/").get_data(as_text=True)
    response = client.post(f"{change_url}/publish", follow_redirects=True)
    assert "3 customers who raised it will be told" in response.get_data(as_text=True)
    public = client.get(f"/you-said-we-did/{change.slug}").get_data(as_text=True)
    assert "3 supporters told us" in public and "Twenty-five minutes for a pie!" in public
    assert 'property="og:title"' in public
    assert sorted(m["To"] for m in outbox() if "You said, we did" in m["Subject"]) == [
        "olivia0@fans.example", "olivia1@fans.example", "olivia2@fans.example"]


def test_no_private_field_ever_appears_in_public_html_feed_or_pdf(client, kiosk, db_session, tmp_path):
    sign_in(client, "grace")
    change_url = build_and_publish(client, kiosk)
    client.post(f"{change_url}/publish")
    change = db_session.scalar(select(Change))
    report = client.get("/staff/changes/report.pdf").data
    assert report.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(report)
    report_text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                                 text=True).stdout
    assert "Two more tills at the north stand" in report_text
    client.post("/staff/sign-out")
    public = [client.get(path).get_data(as_text=True) for path in
              ("/you-said-we-did/", f"/you-said-we-did/{change.slug}", "/you-said-we-did/feed.atom")]
    private = [value for c in db_session.scalars(select(Customer)) for value in (c.name, c.email)]
    private += [c.reference for c in db_session.scalars(select(Case))]
    for text in [*public, report_text]:
        for value in private:
            assert value not in text, value


def test_the_feed_is_atom(client, kiosk, db_session):
    sign_in(client, "grace")
    client.post(f"{build_and_publish(client, kiosk)}/publish")
    feed = client.get("/you-said-we-did/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    assert b"<feed xmlns=\"http://www.w3.org/2005/Atom\">" in feed.data and b"Two more tills" in feed.data


def test_did_this_help_is_counted_once_per_browser(client, kiosk, db_session):
    sign_in(client, "grace")
    client.post(f"{build_and_publish(client, kiosk)}/publish")
    slug = db_session.scalar(select(Change)).slug
    visitor = client.application.test_client()
    # As a visitor does: the page first (its form carries no CSRF token, so one cached copy serves everyone), then
    # the vote, which must be accepted with CSRF protection on, as in production.
    assert 'id="did-this-help"' in visitor.get(f"/you-said-we-did/{slug}").get_data(as_text=True)
    assert visitor.post(f"/you-said-we-did/{slug}", data={}).status_code == 422
    visitor.post(f"/you-said-we-did/{slug}", data={"helped": "yes", "comment": "Much quicker now"})
    page = visitor.get(f"/you-said-we-did/{slug}").get_data(as_text=True)
    assert "you have told us already" in page and "1 said it helped" in page
    visitor.post(f"/you-said-we-did/{slug}", data={"helped": "no"})
    assert "1 said it helped, 0 said it did not" in visitor.get(f"/you-said-we-did/{slug}").get_data(as_text=True)
    # The managers read the same count on their list and on the change, with the comment.
    change = db_session.scalar(select(Change))
    assert "1 yes, 0 no" in client.get("/staff/changes").get_data(as_text=True)
    staff_page = client.get(f"/staff/changes/{change.id}").get_data(as_text=True)
    assert "1 yes, 0 no." in staff_page and "Helped: Much quicker now" in staff_page


def test_the_public_index_filters_and_searches(client, kiosk, db_session):
    sign_in(client, "grace")
    client.post(f"{build_and_publish(client, kiosk)}/publish")
    assert "Two more tills" in client.get("/you-said-we-did/?q=tills&status=done").get_data(as_text=True)
    assert "Two more tills" not in client.get("/you-said-we-did/?q=parking").get_data(as_text=True)
    assert "Two more tills" not in client.get("/you-said-we-did/?status=planned").get_data(as_text=True)


def test_public_pages_are_cached_briefly_for_visitors_and_never_for_staff(client, app, kiosk, db_session):
    sign_in(client, "grace")
    change_url = build_and_publish(client, kiosk)
    client.post(f"{change_url}/publish")
    change = db_session.scalar(select(Change))
    visitor = app.test_client()
    assert "Two more tills" in visitor.get("/you-said-we-did/").get_data(as_text=True)
    assert "Two more tills" in visitor.get(f"/you-said-we-did/{change.slug}").get_data(as_text=True)

    change.title = "Three more tills at the north stand"  # changed behind the app's back: the cache is not told
    db_session.commit()
    assert "Two more tills" in visitor.get("/you-said-we-did/").get_data(as_text=True)
    assert "Three more tills" in client.get("/you-said-we-did/").get_data(as_text=True)  # staff: always fresh
    voted = app.test_client()
    voted.set_cookie(f"helped-{change.id}", "1")
    assert "Three more tills" in voted.get(f"/you-said-we-did/{change.slug}").get_data(as_text=True)

    client.post(f"{change_url}/publish")  # any change made through the app clears the copies
    assert "Three more tills" in visitor.get("/you-said-we-did/").get_data(as_text=True)
    assert "Three more tills" in visitor.get(f"/you-said-we-did/{change.slug}").get_data(as_text=True)
