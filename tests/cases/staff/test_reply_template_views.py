"""Reply templates through the pages, with CSRF on: a manager keeps their team's, an agent their own, another
team never sees them; the case page's picker inserts a template's filled text without JavaScript, sending
nothing until the employee sends the reply."""

import re

from sqlalchemy import select

from portal.cases import reply_templates
from portal.cases.models import ReplyTemplate
from tests.factories import sign_in

REFUND = "Dear {first_name}, your refund for {reference} is on its way. {owner_name}, Ticket Office."


def _text(response) -> str:
    return response.get_data(as_text=True)


def _reply_box(page: str) -> str:
    return re.search(r'<textarea[^>]*id="reply-body"[^>]*>(.*?)</textarea>', page, re.S).group(1)





def test_a_manager_adds_a_team_template_its_team_inserts_it_and_another_team_never_sees_it(client, club,
                                                                                         db_session):
    sign_in(client, "priya")
    page = _text(client.get("/staff/reply-templates"))
    assert 'href="/staff/reply-templates"' in page  # in the header's menu
    new = _text(client.get("/staff/reply-templates/new"))
    tickets = club["case"].category.team
    assert "Who uses it?" in new  # their own team is ticked, unless they say otherwise
    assert re.search(rf'<input checked [^>]*value="{tickets.id}">\s*<label [^>]*>The Ticket Office team<', new)
    saved = client.post("/staff/reply-templates/new", data={"title": "Refund on its way", "body": REFUND,
                                                            "team": str(tickets.id)})
    assert saved.status_code == 302
    listed = _text(client.get("/staff/reply-templates"))
    assert "Saved “Refund on its way”" in listed and "The Ticket Office team" in listed
    client.post("/staff/sign-out")

    sign_in(client, "maria")
    case_page = _text(client.get(f"/staff/cases/{club['case'].reference}"))
    picker = case_page.split('id="reply-template"')[1].split("</select>")[0]
    assert ">Refund on its way</option>" in picker
    assert (f'data-text="Dear James, your refund for {club["case"].reference} is on its way. Maria Lopez, '
            'Ticket Office."') in picker
    listed = _text(client.get("/staff/reply-templates"))
    assert "Refund on its way" in listed and "Kept by the team's manager" in listed
    client.post("/staff/sign-out")

    sign_in(client, "sam")
    assert "Refund on its way" not in _text(client.get("/staff/reply-templates"))
    assert "Refund on its way" not in _text(client.get(f"/staff/cases/{club['food'].reference}"))
    template = db_session.scalar(select(ReplyTemplate))
    assert client.get(f"/staff/reply-templates/{template.id}/edit").status_code == 403
    assert client.post(f"/staff/reply-templates/{template.id}/delete").status_code == 403
    db_session.expire_all()
    assert db_session.get(ReplyTemplate, template.id) is not None


def test_a_template_with_a_problem_comes_back_with_its_message_and_every_word_kept(client, club):
    sign_in(client, "priya")
    client.get("/staff/reply-templates/new")
    body = "Dear {firstname}, about {reference}."
    response = client.post("/staff/reply-templates/new", data={"title": "Sorry", "body": body, "team": ""})
    page = _text(response)
    assert response.status_code == 422
    assert page.startswith("<!doctype html>") and "<title>Error: Add a reply template" in page
    assert "There is a problem" in page and 'href="#body"' in page
    assert "This placeholder is not known: {firstname}." in page
    assert "Dear {firstname}, about {reference}.</textarea>" in page and 'value="Sorry"' in page
    client.post("/staff/reply-templates/new", data={"title": "Sorry", "body": "Sorry, {first_name}.", "team": ""})
    again = client.post("/staff/reply-templates/new", data={"title": "sorry", "body": "Again", "team": ""})
    assert again.status_code == 422 and "You already have a template called “sorry”" in _text(again)
    assert 'href="#title"' in _text(again)


def test_an_agent_keeps_only_their_own_templates_and_may_change_and_delete_them(client, club, db_session):
    sign_in(client, "maria")
    new = _text(client.get("/staff/reply-templates/new"))
    assert "Who uses it?" not in new
    client.post("/staff/reply-templates/new", data={"title": "My sign-off", "body": "Best wishes, {owner_name}"})
    template = db_session.scalar(select(ReplyTemplate))
    assert template.owner_id == club["maria"].id and template.team_id is None
    edit = f"/staff/reply-templates/{template.id}/edit"
    assert 'value="My sign-off"' in _text(client.get(edit))
    assert client.post(edit, data={"title": "Sign-off", "body": "Best, {owner_name}"}).status_code == 302
    confirm = _text(client.get(f"/staff/reply-templates/{template.id}/delete"))
    assert "Delete “Sign-off”?" in confirm and "Best, {owner_name}" in confirm
    client.post("/staff/sign-out")
    sign_in(client, "tom")  # a colleague of the same team
    assert client.get(edit).status_code == 403
    client.post("/staff/sign-out")
    sign_in(client, "maria")
    client.get(f"/staff/reply-templates/{template.id}/delete")
    done = client.post(f"/staff/reply-templates/{template.id}/delete")
    assert done.status_code == 302
    assert "Deleted “Sign-off”." in _text(client.get("/staff/reply-templates"))
    assert db_session.scalars(select(ReplyTemplate)).all() == []


def test_without_javascript_insert_adds_the_filled_text_after_what_was_typed_and_sends_nothing(client, club,
                                                                                            db_session, outbox):
    template = reply_templates.create(db_session, by=club["priya"], title="Refund on its way", body=REFUND,
                                      team=club["case"].category.team)
    db_session.commit()
    sign_in(client, "maria")
    reference = club["case"].reference
    page = _text(client.get(f"/staff/cases/{reference}"))
    assert f'formaction="/staff/cases/{reference}/insert-template#reply-body"' in page
    latest = re.search(r'name="seen_event_id" type="hidden" value="(\d+)"', page).group(1)
    inserted = client.post(f"/staff/cases/{reference}/insert-template",
                           data={"body": "Thank you for waiting.", "template": str(template.id),
                                 "seen_event_id": latest})
    page = _text(inserted)
    assert inserted.status_code == 200
    filled = f"Dear James, your refund for {reference} is on its way. Maria Lopez, Ticket Office."
    assert _reply_box(page).strip() == f"Thank you for waiting.\n\n{filled}"
    assert f'name="seen_event_id" type="hidden" value="{latest}"' in page
    assert outbox() == []
    sent = client.post(f"/staff/cases/{reference}/reply", data={"body": filled, "seen_event_id": latest})
    assert sent.status_code == 302
    assert filled in outbox()[-1].get_body(("plain",)).get_content()


def test_insert_of_a_template_that_is_gone_says_so_and_keeps_the_reply(client, club):
    sign_in(client, "maria")
    reference = club["case"].reference
    client.get(f"/staff/cases/{reference}")
    response = client.post(f"/staff/cases/{reference}/insert-template",
                           data={"body": "Half a reply", "template": "999999"})
    page = _text(response)
    assert response.status_code == 422
    assert "That reply template is not there any more; choose another." in page
    assert _reply_box(page).strip() == "Half a reply"


def test_a_manager_cannot_add_a_template_to_another_team(client, club, db_session):
    sign_in(client, "grace")
    client.get("/staff/reply-templates/new")
    response = client.post("/staff/reply-templates/new", data={
        "title": "Ours now", "body": "Hello {first_name}", "team": str(club["case"].category.team_id)})
    assert response.status_code == 422 and "There is a problem" in _text(response)
    assert db_session.scalars(select(ReplyTemplate)).all() == []


def test_a_helper_inserts_their_own_template_into_the_draft_for_the_owner(client, club, db_session):
    from portal.cases.models import CaseHelper

    case = club["case"]
    db_session.add(CaseHelper(case_id=case.id, employee_id=club["sam"].id, added_by_id=club["maria"].id))
    template = reply_templates.create(db_session, by=club["sam"], title="Catering voucher",
                                      body="{first_name}, a voucher for {reference} is in the post.")
    db_session.commit()
    sign_in(client, "sam")
    page = _text(client.get(f"/staff/cases/{case.reference}"))
    assert 'id="draft-template"' in page and ">Catering voucher</option>" in page
    response = client.post(f"/staff/cases/{case.reference}/insert-template",
                           data={"body": "", "template": str(template.id)})
    page = _text(response)
    assert response.status_code == 200
    box = re.search(r'<textarea[^>]*id="draft-body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert box.strip() == f"James, a voucher for {case.reference} is in the post."
    assert ">Save draft for Maria</button>" in page
