import re
from datetime import date, timedelta

import pytest

from portal.auth.models import Role
from portal.db import utcnow
from portal.ideas.models import Idea, IdeaStatus
from tests.factories import make_employee, make_team, sign_in


@pytest.fixture
def staff(db_session):
    team = make_team(db_session, "Catering")
    people = {
        "agent": make_employee(db_session, name="Sam Whitaker", email="sam@staff.example", team=team),
        "colleague": make_employee(db_session, name="Hannah Kelly", email="hannah@staff.example", team=team),
        "manager": make_employee(db_session, name="Grace Okafor", email="grace@staff.example", role=Role.manager,
                                 team=team),
    }
    db_session.commit()
    return people


def file_idea(client, **fields):
    data = {"kind": "blocker", "title": "Hand scanners at the turnstiles", "body": "Cards fail; fans queue.",
            "category_id": "0"}
    data.update(fields)
    return client.post("/staff/ideas/new", data=data)


def sams_idea_seen_by_hannah(client) -> tuple[str, int]:
    """Sam raises an idea; Hannah, his colleague, signs in: (the idea's address, its id)."""
    sign_in(client, "sam@staff.example")
    idea_url = file_idea(client).location
    client.post("/staff/sign-out")
    sign_in(client, "hannah@staff.example")
    return idea_url, int(idea_url.rstrip("/").rsplit("/", 1)[1])


def test_the_ideas_box_needs_a_signed_in_employee(client):
    assert client.get("/staff/ideas/").status_code == 302


def test_an_employee_shares_an_idea(client, staff, db_session):
    sign_in(client, "sam@staff.example")
    response = file_idea(client)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Hand scanners at the turnstiles" in page and "Your idea is in the box" in page
    assert "Something stopping us" in page


def test_a_missing_title_is_explained_and_the_text_kept(client, staff):
    sign_in(client, "sam@staff.example")
    response = file_idea(client, title="", body="Cards fail at turnstile 14.")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give your idea a short title." in page and 'href="#title"' in page
    assert "Cards fail at turnstile 14." in page


def test_an_over_long_title_is_refused_with_the_limit(client, staff):
    sign_in(client, "sam@staff.example")
    response = file_idea(client, title="x" * 500)
    assert response.status_code == 422 and "120 characters" in response.get_data(as_text=True)


def test_a_colleague_supports_and_comments(client, staff, db_session):
    idea_url, idea_id = sams_idea_seen_by_hannah(client)
    client.post(f"/staff/ideas/{idea_id}/support")
    client.post(f"/staff/ideas/{idea_id}/comments", data={"body": "Same at the south gate."})
    page = client.get(idea_url).get_data(as_text=True)
    assert "Same at the south gate." in page and "Withdraw my support" in page
    assert "<dt>Supporters</dt><dd>2</dd>" in page


def test_support_pressed_again_on_a_page_opened_before_keeps_it(client, staff):
    idea_url, idea_id = sams_idea_seen_by_hannah(client)
    client.get(idea_url)  # the page in one tab, opened before she supported the idea in another
    first = client.post(f"/staff/ideas/{idea_id}/support", follow_redirects=True).get_data(as_text=True)
    assert "You support this idea." in first
    again = client.post(f"/staff/ideas/{idea_id}/support", follow_redirects=True).get_data(as_text=True)
    assert "You already support this idea." in again
    assert "<dt>Supporters</dt><dd>2</dd>" in again and "Withdraw my support" in again


def test_withdrawing_support_twice_changes_nothing(client, staff):
    idea_url, idea_id = sams_idea_seen_by_hannah(client)
    client.post(f"/staff/ideas/{idea_id}/support")
    client.get(idea_url)
    first = client.post(f"/staff/ideas/{idea_id}/withdraw-support", follow_redirects=True).get_data(as_text=True)
    assert "You no longer support this idea." in first
    again = client.post(f"/staff/ideas/{idea_id}/withdraw-support", follow_redirects=True).get_data(as_text=True)
    assert "You do not support this idea" in again
    assert "<dt>Supporters</dt><dd>1</dd>" in again and "Support this idea" in again


def test_the_manager_hears_of_a_new_idea_and_the_author_of_support_and_comments_once(client, staff, outbox):
    idea_url, idea_id = sams_idea_seen_by_hannah(client)
    client.post(f"/staff/ideas/{idea_id}/support")
    client.post(f"/staff/ideas/{idea_id}/withdraw-support")
    client.post(f"/staff/ideas/{idea_id}/support")
    client.post(f"/staff/ideas/{idea_id}/comments", data={"body": "Same at the south gate."})
    again = client.post(f"/staff/ideas/{idea_id}/comments", data={"body": "Same at the south gate."},
                        follow_redirects=True).get_data(as_text=True)
    assert "You already added this comment." in again and again.count("Same at the south gate.") == 1
    subjects = {(m["To"], m["Subject"]) for m in outbox()}
    assert len(outbox()) == 3 and subjects == {
        ("grace@staff.example", 'A new idea in your area: "Hand scanners at the turnstiles"'),
        ("sam@staff.example", 'Hannah Kelly supports your idea "Hand scanners at the turnstiles"'),
        ("sam@staff.example", 'Hannah Kelly commented on your idea "Hand scanners at the turnstiles"'),
    }


def test_an_agent_cannot_set_a_status_or_form_a_task_force(client, staff, db_session):
    sign_in(client, "sam@staff.example")
    idea_id = int(file_idea(client).location.rsplit("/", 1)[1])
    assert client.post(f"/staff/ideas/{idea_id}/status", data={"status": "done"}).status_code == 403
    assert client.get("/staff/ideas/task-forces/new").status_code == 403
    assert db_session.get(Idea, idea_id).status is IdeaStatus.new


def test_a_manager_says_not_now_with_a_reason_and_the_author_sees_it(client, staff, outbox):
    sign_in(client, "sam@staff.example")
    idea_id = int(file_idea(client).location.rsplit("/", 1)[1])
    client.post("/staff/sign-out")
    sign_in(client, "grace@staff.example")
    refused = client.post(f"/staff/ideas/{idea_id}/status", data={"status": "not_now", "reason": ""})
    assert refused.status_code == 422 and "Say why this is not for now" in refused.get_data(as_text=True)
    client.post(f"/staff/ideas/{idea_id}/status", data={"status": "not_now", "reason": "Scanners come in May."})
    client.post("/staff/sign-out")
    sign_in(client, "sam@staff.example")
    mine = client.get("/staff/ideas/mine").get_data(as_text=True)
    assert "Not now" in mine
    assert "Scanners come in May." in client.get(f"/staff/ideas/{idea_id}").get_data(as_text=True)
    assert any("Scanners come in May." in m.get_body(("plain",)).get_content() for m in outbox())


def test_the_status_form_shows_the_saved_reason_and_saving_it_again_changes_nothing(client, staff, outbox):
    sign_in(client, "sam@staff.example")
    idea_id = int(file_idea(client).location.rsplit("/", 1)[1])
    client.post("/staff/sign-out")
    sign_in(client, "grace@staff.example")
    client.post(f"/staff/ideas/{idea_id}/status", data={"status": "not_now", "reason": "Scanners come in May."})
    page = client.get(f"/staff/ideas/{idea_id}").get_data(as_text=True)
    shown = re.search(r'<textarea[^>]*id="status-reason"[^>]*>\s*(.*?)</textarea>', page, re.S)
    assert shown and shown.group(1) == "Scanners come in May."
    # Grace presses "Save status" again on the form as it came back.
    again = client.post(f"/staff/ideas/{idea_id}/status", data={"status": "not_now", "reason": shown.group(1)},
                        follow_redirects=True).get_data(as_text=True)
    assert "Nothing changed" in again and "Scanners come in May." in again
    assert [m["Subject"] for m in outbox() if m["To"] == "sam@staff.example"] == [
        'Your idea "Hand scanners at the turnstiles" is now: Not now']


def test_a_manager_forms_a_task_force_around_an_idea(client, staff, db_session):
    sign_in(client, "sam@staff.example")
    idea_id = int(file_idea(client).location.rsplit("/", 1)[1])
    client.post("/staff/sign-out")
    sign_in(client, "grace@staff.example")
    form = client.get(f"/staff/ideas/task-forces/new?idea={idea_id}").get_data(as_text=True)
    assert re.search(rf"<input checked[^>]*name=\"ideas\"[^>]*value=\"{idea_id}\"", form)
    due = (date.today() + timedelta(days=30)).isoformat()
    response = client.post("/staff/ideas/task-forces/new", data={
        "name": "Turnstile fallback", "goal": "Nobody waits more than five minutes.", "due_on": due,
        "ideas": [str(idea_id)], "members": [str(staff["agent"].id), str(staff["colleague"].id)],
    })
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Turnstile fallback" in page and "Hannah Kelly" in page and "Hand scanners at the turnstiles" in page
    db_session.expire_all()
    assert db_session.get(Idea, idea_id).status is IdeaStatus.task_force


def test_the_task_force_form_makes_no_date_format_claim_and_names_each_colleague_with_their_team(client, staff):
    sign_in(client, "grace@staff.example")
    file_idea(client)
    form = client.get("/staff/ideas/task-forces/new").get_data(as_text=True)
    assert 'type="date"' in form and "2027-03-31" not in form
    assert "Hannah Kelly, Catering" in form


def test_members_find_their_task_force_listed_by_name_and_team(client, staff, db_session, outbox):
    staff_member = db_session.merge(staff["colleague"])
    staff_member.job_title = "Kiosk supervisor"
    db_session.commit()
    task_force_url = _form_turnstile_fallback(client, staff)
    page = client.get(task_force_url).get_data(as_text=True)
    assert "Hannah Kelly, Catering" in page and "Kiosk supervisor" not in page
    assert ("hannah@staff.example", "You are on the task force “Turnstile fallback”") in {
        (m["To"], m["Subject"]) for m in outbox()}
    client.post("/staff/sign-out")
    sign_in(client, "hannah@staff.example")
    index = client.get("/staff/ideas/").get_data(as_text=True)
    assert 'href="/staff/ideas/task-forces/mine"' in index
    mine = client.get("/staff/ideas/task-forces/mine").get_data(as_text=True)
    assert "Turnstile fallback" in mine and "Nobody waits more than five minutes." in mine
    client.post("/staff/sign-out")
    sign_in(client, "sam@staff.example")
    assert "Turnstile fallback" not in client.get("/staff/ideas/task-forces/mine").get_data(as_text=True)


def test_a_manager_changes_and_then_closes_a_task_force(client, staff, outbox):
    task_force_url = _form_turnstile_fallback(client, staff)
    edit_url = f"{task_force_url}/edit"
    form = client.get(edit_url).get_data(as_text=True)
    assert 'value="Turnstile fallback"' in form and "Nobody waits more than five minutes.</textarea>" in form
    due = (date.today() + timedelta(days=30)).isoformat()
    saved = client.post(edit_url, data={"name": "Turnstile fallback", "goal": "Nobody waits more than three minutes.",
                                        "due_on": due, "members": [str(staff["colleague"].id), str(staff["agent"].id)]},
                        follow_redirects=True).get_data(as_text=True)
    assert "Task force saved." in saved and "Nobody waits more than three minutes." in saved
    assert "Sam Whitaker, Catering" in saved
    assert [m["To"] for m in outbox() if "task force" in m["Subject"]] == ["hannah@staff.example",
                                                                           "sam@staff.example"]
    close_url = f"{task_force_url}/close"
    refused = client.post(close_url, data={"outcome": "", "reason": "Goal met."})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Say what changed because of this task force." in page
    assert "Goal met." in page  # what was typed is kept
    closed = client.post(close_url, data={"outcome": "A steward with a hand scanner at every block.",
                                          "reason": "Goal met."}, follow_redirects=True).get_data(as_text=True)
    assert "is closed" in closed and "A steward with a hand scanner at every block." in closed
    assert "Change the task force" not in closed
    late = client.post(edit_url, data={"name": "Renamed", "goal": "g", "due_on": due,
                                       "members": [str(staff["colleague"].id)]}, follow_redirects=True)
    assert "is closed, so it can no longer be changed" in late.get_data(as_text=True)
    assert "Renamed" not in client.get(task_force_url).get_data(as_text=True)


def test_an_agent_cannot_change_or_close_a_task_force(client, staff):
    task_force_url = _form_turnstile_fallback(client, staff)
    client.post("/staff/sign-out")
    sign_in(client, "hannah@staff.example")
    assert "Change the task force" not in client.get(task_force_url).get_data(as_text=True)
    assert client.get(f"{task_force_url}/edit").status_code == 403
    assert client.post(f"{task_force_url}/close", data={"outcome": "x", "reason": "y"}).status_code == 403


def _form_turnstile_fallback(client, staff) -> str:
    """Grace forms a task force with Hannah around Sam's idea; the task force's address."""
    sign_in(client, "sam@staff.example")
    idea_id = int(file_idea(client).location.rsplit("/", 1)[1])
    client.post("/staff/sign-out")
    sign_in(client, "grace@staff.example")
    response = client.post("/staff/ideas/task-forces/new", data={
        "name": "Turnstile fallback", "goal": "Nobody waits more than five minutes.",
        "due_on": (date.today() + timedelta(days=30)).isoformat(), "ideas": [str(idea_id)],
        "members": [str(staff["colleague"].id)],
    })
    assert response.status_code == 302
    return response.location


def test_the_shipped_as_picker_offers_only_published_changes_and_a_draft_is_refused(client, staff, db_session,
                                                                                  outbox):
    from portal.changes.models import Change, Theme

    sign_in(client, "sam@staff.example")
    idea_id = int(file_idea(client).location.rsplit("/", 1)[1])
    manager = db_session.merge(staff["manager"])
    theme = Theme(title="Turnstiles", created_by=manager)
    draft = Change(theme=theme, slug="draft-scanners", title="Scanners, still a draft", you_said="x", we_did="y",
                   created_by=manager)
    shipped = Change(theme=theme, slug="hand-scanners", title="Hand scanners at every block", you_said="x",
                     we_did="y", created_by=manager, published=True, published_at=utcnow())
    db_session.add_all([draft, shipped])
    db_session.commit()
    client.post("/staff/sign-out")
    sign_in(client, "grace@staff.example")
    page = client.get(f"/staff/ideas/{idea_id}").get_data(as_text=True)
    assert "Hand scanners at every block</option>" in page and "Scanners, still a draft" not in page
    refused = client.post(f"/staff/ideas/{idea_id}/change", data={"change_id": str(draft.id)},
                          follow_redirects=True)
    assert refused.status_code == 200
    assert "“Scanners, still a draft” is not published yet" in refused.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Idea, idea_id).change_id is None
    assert [m for m in outbox() if m["To"] == "sam@staff.example"] == []


def test_filters_and_sorting_live_in_the_url(client, staff):
    sign_in(client, "sam@staff.example")
    file_idea(client, title="First idea")
    file_idea(client, title="Second idea", kind="idea")
    page = client.get("/staff/ideas/?kind=idea&sort=newest").get_data(as_text=True)
    assert "Second idea" in page and "First idea" not in page
    assert '<option value="newest" selected>' in page


def test_an_unknown_idea_is_a_404(client, staff):
    sign_in(client, "sam@staff.example")
    assert client.get("/staff/ideas/999999").status_code == 404
    assert client.get("/staff/ideas/not-a-number").status_code == 404
