"""The survey journey through HTTP: a manager builds and opens a survey and invites the group; members answer
through their personal links (no sign-in, no session); the results, CSV and PDF show what they said."""

import re
import subprocess

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.changes.models import Theme
from portal.surveys.models import Answer, Response
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_employee


@pytest.fixture
def manager(client, db_session):
    make_employee(db_session, email="priya@staff.example", role=Role.manager)
    db_session.commit()
    client.post("/staff/sign-in", data={"email": "priya@staff.example", "password": PASSWORD})


def _group_with_members(client, *members):
    group_url = client.post("/staff/focus-groups/", data={"name": "North Stand 2026"}).location
    for name, email in members:
        client.post(f"{group_url}/members", data={"name": name, "email": email})
    return int(group_url.rsplit("/", 1)[1])


def _survey(client, group_id) -> str:
    url = client.post("/staff/surveys/", data={"title": "Match-day travel", "group_id": group_id,
                                               "briefing": "## Our goals\nFewer **queues**.",
                                               "reminder_days": "3"}).location
    page_id = re.search(r'name="section_id"[^>]*>\s*<option[^>]*value="(\d+)"',
                        client.get(url).get_data(as_text=True)).group(1)
    new = f"{url}/questions/new?section_id={page_id}&kind="
    assert client.post(new + "rating", data={"prompt": "How easy is it to get here?", "required": "y",
                                             "scale_max": "5", "low_label": "Very hard", "high_label": "Very easy",
                                             "section_id": page_id}).status_code == 302
    assert client.post(new + "multiple", data={"prompt": "What is hardest?", "required": "y",
                                               "options": "Queues\nParking\nSigns", "max_choices": "2",
                                               "section_id": page_id}).status_code == 302
    assert client.post(new + "text", data={"prompt": "Anything else?", "section_id": page_id}).status_code == 302
    return url


def _links(outbox) -> dict[str, str]:
    return {m["To"]: re.search(r"(http://\S+/s/i/[\w-]+)", m.get_body(("plain",)).get_content()).group(1)
            for m in outbox() if "Your guidance" in m["Subject"]}


def test_agents_cannot_see_surveys(client, db_session):
    make_employee(db_session, email="maria@staff.example")
    db_session.commit()
    client.post("/staff/sign-in", data={"email": "maria@staff.example", "password": PASSWORD})
    assert client.get("/staff/surveys/").status_code == 403


def test_a_question_form_with_problems_says_what_to_fix(client, manager):
    url = _survey(client, _group_with_members(client))
    page = client.post(f"{url}/questions/new?kind=single", data={"prompt": "Pick one", "options": "Only one"})
    assert page.status_code == 422
    assert "Give between 2 and 12 options, one per line; there are 1." in page.get_data(as_text=True)
    assert client.get(f"{url}/questions/new?kind=nonsense").status_code == 302


def test_members_answer_through_their_links_and_the_results_show_it(client, manager, app, outbox, db_session,
                                                                    tmp_path):
    group_id = _group_with_members(client, ("Olivia Taylor", "olivia@fans.example"),
                                   ("James Smith", "james@fans.example"))
    url = _survey(client, group_id)
    assert client.post(f"{url}/open").status_code == 302
    assert "2 invitations sent." in client.post(f"{url}/invite", follow_redirects=True).get_data(as_text=True)
    links = _links(outbox)
    assert set(links) == {"olivia@fans.example", "james@fans.example"}

    olivia = app.test_client()  # a member: no staff session, no cookies
    start = olivia.get(links["olivia@fans.example"]).get_data(as_text=True)
    assert "<h2>Our goals</h2>" in start and "<strong>queues</strong>" in start
    ids = [int(i) for i in re.findall(r'name="q(\d+)"', olivia.get(links["olivia@fans.example"] + "/1").get_data(
        as_text=True))]
    rating, hardest, text = sorted(set(ids))
    wrong = olivia.post(links["olivia@fans.example"] + "/1", data={
        f"q{rating}": "4", f"q{hardest}": ["0", "1", "2"], f"q{text}": "North gate queues", "action": "continue"})
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Choose no more than 2 for “What is hardest?”; you chose 3." in body
    assert "Your other answers on this page are saved." in body and "North gate queues" in body
    assert olivia.post(links["olivia@fans.example"] + "/1", data={
        f"q{rating}": "4", f"q{hardest}": ["0", "1"], f"q{text}": "North gate queues",
        "action": "continue"}).location.endswith("/check")
    check = olivia.get(links["olivia@fans.example"] + "/check").get_data(as_text=True)
    assert "Queues; Parking" in check
    assert olivia.post(links["olivia@fans.example"] + "/check").location.endswith("/done")

    # James answers over two visits: saves part of the page, comes back later and finishes.
    james = app.test_client()
    assert "Your answers are saved" in james.post(links["james@fans.example"] + "/1", data={
        f"q{rating}": "2", "action": "save"}).get_data(as_text=True)
    later = app.test_client()
    assert "Continue where you left off" in later.get(links["james@fans.example"]).get_data(as_text=True)
    assert 'value="2" checked' in later.get(links["james@fans.example"] + "/1").get_data(as_text=True)
    later.post(links["james@fans.example"] + "/1", data={f"q{rating}": "2", f"q{hardest}": "0",
                                                          "action": "continue"})
    later.post(links["james@fans.example"] + "/check")

    results = client.get(f"{url}/results").get_data(as_text=True)
    assert "100%" in results and "2 of 2 invited members answered" in results
    assert "Mean <strong>3.0</strong>" in results
    csv = client.get(f"{url}/results.csv").get_data(as_text=True).splitlines()
    assert len(csv) == 3 and csv[0].startswith("Response,Submitted (UTC),Via")
    assert any(line.endswith(",4,Queues; Parking,North gate queues") for line in csv)
    pdf = client.get(f"{url}/report.pdf")
    assert pdf.mimetype == "application/pdf"
    (tmp_path / "report.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Match-day travel" in text and "100%" in text and "Mean 3.0" in text and "Our goals" in text

    answer = db_session.scalar(select(Answer).where(Answer.text == "North gate queues"))
    client.post(f"{url}/answers/{answer.id}/quote")
    pdf_text = subprocess.run(["pdftotext", "-", "-"], input=client.get(f"{url}/report.pdf").data,
                              capture_output=True, check=True).stdout.decode()
    assert "In members' words" in pdf_text and "North gate queues" in pdf_text
    theme_page = client.post(f"{url}/answers/{answer.id}/theme", data={"title": "Queues at the north gate"},
                             follow_redirects=True).get_data(as_text=True)
    assert "Drawn from the focus-group survey" in theme_page and "“North gate queues”" in theme_page
    assert db_session.scalar(select(Theme.survey_id)) is not None


def test_a_closed_survey_refuses_answers_with_a_clear_message(client, manager, app, outbox):
    url = _survey(client, _group_with_members(client, ("Olivia Taylor", "olivia@fans.example")))
    client.post(f"{url}/open")
    client.post(f"{url}/invite")
    link = _links(outbox)["olivia@fans.example"]
    client.post(f"{url}/close")
    member = app.test_client()
    assert "This survey closed on" in member.get(link).get_data(as_text=True)
    refused = member.post(link + "/1", data={"action": "continue"})
    assert refused.status_code == 409 and "answers can no longer be given or changed" in refused.get_data(
        as_text=True)


def test_answers_save_without_a_session_even_with_csrf_protection_on(tmp_path, sqlite_url, client, manager,
                                                                     app, outbox):
    url = _survey(client, _group_with_members(client, ("Olivia Taylor", "olivia@fans.example")))
    client.post(f"{url}/open")
    client.post(f"{url}/invite")
    link = _links(outbox)["olivia@fans.example"]
    protected = make_test_app(sqlite_url, tmp_path, WTF_CSRF_ENABLED=True).test_client()
    assert protected.post(link + "/1", data={"action": "save"}).status_code == 200


def test_the_public_link_keeps_one_response_per_browser(client, manager, app, db_session):
    url = _survey(client, _group_with_members(client))
    client.post(f"{url}/open")
    client.post(f"{url}/public_link")
    public = re.search(r"<code>(http://[^<]+)</code>", client.get(url).get_data(as_text=True)).group(1)
    ids = sorted({int(i) for i in re.findall(r'name="q(\d+)"', app.test_client().get(public + "/1").get_data(
        as_text=True))})
    visitor = app.test_client()
    form = {f"q{ids[0]}": "5", f"q{ids[1]}": "1", "action": "continue"}
    assert visitor.post(public + "/1", data=form).status_code == 302
    visitor.post(public + "/check")
    assert "Check or change your answers" in visitor.get(public).get_data(as_text=True)
    visitor.post(public + "/1", data=form)
    app.test_client().post(public + "/1", data=form)  # another browser: another response
    responses = db_session.scalars(select(Response)).all()
    assert len(responses) == 2 and all(r.anonymous for r in responses)
    assert "1 through the public link" in client.get(f"{url}/results").get_data(as_text=True)


def test_questions_cannot_change_once_answered(client, manager, app):
    url = _survey(client, _group_with_members(client))
    client.post(f"{url}/open")
    client.post(f"{url}/public_link")
    public = re.search(r"<code>(http://[^<]+)</code>", client.get(url).get_data(as_text=True)).group(1)
    app.test_client().post(public + "/1", data={"action": "save"})
    builder = client.get(url).get_data(as_text=True)
    assert "the questions can no longer change" in builder
    question_id = re.search(r'id="question-(\d+)"', builder).group(1)
    refused = client.post(f"{url}/questions/{question_id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Duplicate the survey and change the copy instead." in refused
    copy = client.post(f"{url}/duplicate", follow_redirects=True).get_data(as_text=True)
    assert "Match-day travel (copy)" in copy and "Draft" in copy


def test_the_public_link_is_rate_limited_per_address_but_personal_links_are_not(tmp_path, sqlite_url, client,
                                                                                 manager, outbox):
    url = _survey(client, _group_with_members(client, ("Olivia Taylor", "olivia@fans.example")))
    client.post(f"{url}/open")
    client.post(f"{url}/invite")
    client.post(f"{url}/public_link")
    public = re.search(r"<code>(http://[^<]+)</code>", client.get(url).get_data(as_text=True)).group(1)
    personal = _links(outbox)["olivia@fans.example"]
    limited = make_test_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True).test_client()
    statuses = [limited.post(public + "/1", data={"action": "save"}).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    assert limited.post(personal + "/1", data={"action": "save"}).status_code == 200


def test_a_member_leaves_the_group_from_the_invitation_and_gets_no_reminder(client, manager, app, outbox,
                                                                             db_session):
    from portal.surveys.models import Member

    url = _survey(client, _group_with_members(client, ("Olivia Taylor", "olivia@fans.example"),
                                              ("James Smith", "james@fans.example")))
    client.post(f"{url}/open")
    client.post(f"{url}/invite")
    link = _links(outbox)["olivia@fans.example"]
    member = app.test_client()
    assert "Leave North Stand 2026?" in member.get(link + "/leave").get_data(as_text=True)
    assert "You have left North Stand 2026" in member.post(link + "/leave").get_data(as_text=True)
    assert db_session.scalar(select(Member.left_at).where(Member.email == "olivia@fans.example")) is not None
    assert "1 reminder sent." in client.post(f"{url}/remind", follow_redirects=True).get_data(as_text=True)


def test_focus_groups_are_found_from_the_surveys_page_and_back(client, manager):
    surveys = client.get("/staff/surveys/").get_data(as_text=True)
    assert '<a href="/staff/focus-groups/">Focus groups</a>' in surveys
    assert '<a href="/staff/surveys/">Surveys</a>' in client.get("/staff/focus-groups/").get_data(as_text=True)
