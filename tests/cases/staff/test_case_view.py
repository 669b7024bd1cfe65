"""The staff case view in two panes: the conversation and its composer (a reply or an internal note, never two
similar boxes), the panel of facts, the customer and the actions, each action on a focused page of its own.
Every request goes through the test client with CSRF on, as a browser sends it."""

import re
from datetime import timedelta

from portal.cases.models import Case, CaseHelper, CaseStatus, CustomerNote
from portal.cases.timeline import record
from portal.db import utcnow
from tests.factories import NOTE, make_case, sign_in


def _page(client, reference: str, query: str = "") -> str:
    response = client.get(f"/staff/cases/{reference}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _checked_mode(page: str) -> str:
    return re.search(r'name="compose" value="(\w+)" id="compose-\w+" checked', page).group(1)


def test_the_composer_is_a_reply_or_a_note_and_its_button_says_which(client, club):
    sign_in(client, "maria")
    page = _page(client, club["case"].reference)
    composer = page.split('id="composer"')[1]
    assert _checked_mode(page) == "reply"
    assert ">Send to James</button>" in composer and ">Save internal note</button>" in composer
    assert "Send reply" not in composer and "Add note" not in composer
    # Two forms, each to its own endpoint, each with one box of its own.
    assert composer.count('name="body"') == 2
    assert 'id="reply-body"' in composer and 'id="note-body"' in composer
    assert _checked_mode(_page(client, club["case"].reference, "?compose=note")) == "note"
    assert _checked_mode(_page(client, club["case"].reference, "?compose=bogus")) == "reply"


def test_a_note_with_a_problem_comes_back_in_note_mode_with_its_message(client, club):
    sign_in(client, "maria")
    reference = club["case"].reference
    _page(client, reference)
    response = client.post(f"/staff/cases/{reference}/note", data={"body": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _checked_mode(page) == "note" and "Write the note first." in page
    assert 'href="#note-body"' in page  # the error summary points at the note's own box


def test_reply_and_note_land_in_the_conversation_told_apart_in_words(client, club, outbox):
    sign_in(client, "maria")
    reference = club["case"].reference
    _page(client, reference)
    sent = client.post(f"/staff/cases/{reference}/reply", data={"body": "Sorry James, the refund is on its way."})
    assert sent.status_code == 302 and sent.location.endswith("#timeline")
    _page(client, reference, "?compose=note")
    kept = client.post(f"/staff/cases/{reference}/note", data={"body": "Refund approved by finance on the phone."})
    assert kept.status_code == 302 and kept.location.endswith("#timeline")
    page = _page(client, reference)
    conversation = page.split('id="timeline"')[1].split("</ol>")[0]
    reply = conversation.split('class="entry entry--reply"')[1].split("</li>")[0]
    note = conversation.split('class="entry entry--internal"')[1].split("</li>")[0]
    assert "Sent to James" in reply and "Sorry James, the refund is on its way." in reply
    assert ">Internal</span>" in note and "Refund approved by finance on the phone." in note
    assert conversation.index("entry--reply") < conversation.index("entry--internal")  # oldest first
    assert [m["To"] for m in outbox()].count("james@fans.example") == 1  # the note told nobody


def test_the_customers_words_come_first_and_a_new_owner_reads_the_handoff_above_them(client, club):
    sign_in(client, "maria")
    reference = club["case"].reference
    client.get(f"/staff/cases/{reference}/handoff")
    client.post(f"/staff/cases/{reference}/handoff",
                data={"new_owner": club["tom"].id, "reason": "specialist", "note": NOTE})
    client.post("/staff/sign-out")
    sign_in(client, "tom")
    page = _page(client, reference)
    conversation = page.split('class="case-view__conversation"')[1].split('class="case-view__panel"')[0]
    assert conversation.index("Handoff note from Maria Lopez") < conversation.index("In the customer's words") \
        < conversation.index('id="timeline"') < conversation.index('id="composer"')
    assert 'class="case-view__panel"' in page.split('id="composer"')[1]  # the panel comes after, on a phone too


def test_the_panel_shows_the_facts_the_customer_and_the_actions_as_links(client, club, db_session):
    case = club["case"]
    customer = case.customer
    customer.membership, customer.lifetime_spend = "Season-ticket holder", 4200
    customer.customer_since = (utcnow() - timedelta(days=365 * 3 + 2)).date()
    db_session.add(CustomerNote(customer_id=customer.id, author_id=club["tom"].id, kind="dislikes",
                                body="Being called before 9am"))
    older = make_case(db_session, owner=club["tom"], customer=customer, category=case.category,
                      status=CaseStatus.closed)
    db_session.add(CaseHelper(case_id=case.id, employee_id=club["tom"].id, added_by_id=club["maria"].id))
    db_session.commit()
    sign_in(client, "maria")
    page = _page(client, case.reference)
    panel = page.split('class="case-view__panel"')[1]
    for words in ("<dt>Status</dt>", "<dt>Due</dt>", "<dt>Category</dt>", "<dt>Owner</dt>", "<dt>Helpers</dt>",
                  "<dt>Channel</dt>", "Web form", "Tom Fletcher", "Season-ticket holder for 3 years, £4,200 spent",
                  "Dislikes</span> Being called before 9am", older.reference):
        assert words in panel, words
    for path in ("offer", "helpers", "status", "handoff"):
        assert f'href="/staff/cases/{case.reference}/{path}"' in panel, path
    assert "<details" not in page and "<select" not in page  # no folded forms left on the case page


def test_each_action_has_a_focused_page_that_does_what_the_case_page_did(client, club, db_session):
    sign_in(client, "maria")
    reference = club["case"].reference
    for path, heading in (("status", "Change the status"), ("helpers", "Ask a colleague to help"),
                          ("handoff", "Hand off to someone else")):
        page = client.get(f"/staff/cases/{reference}/{path}")
        assert page.status_code == 200 and f"<h1>{heading}</h1>" in page.get_data(as_text=True)
    problem = client.post(f"/staff/cases/{reference}/status", data={"status": "acknowledged", "reason": ""})
    text = problem.get_data(as_text=True)
    assert problem.status_code == 422 and "<h1>Change the status</h1>" in text
    assert "Give a reason for the change." in text and '<option selected value="acknowledged">' in text  # values kept
    done = client.post(f"/staff/cases/{reference}/status", data={"status": "acknowledged", "reason": "Called him"})
    assert done.status_code == 302 and done.location.endswith(f"/staff/cases/{reference}")
    client.get(f"/staff/cases/{reference}/helpers")
    assert client.post(f"/staff/cases/{reference}/helpers", data={"helper_id": club["tom"].id}).status_code == 302
    helping = client.get(f"/staff/cases/{reference}/helpers").get_data(as_text=True)
    assert "Tom Fletcher (Ticket Office)" not in helping  # already helping: not offered again
    db_session.expire_all()
    assert db_session.get(Case, club["case"].id).status is CaseStatus.acknowledged


def test_only_those_who_may_act_get_the_action_pages(client, club, db_session):
    reference = club["case"].reference
    sign_in(client, "tom")  # a teammate: sees the case, may not act on it
    for path in ("status", "helpers", "handoff"):
        assert client.get(f"/staff/cases/{reference}/{path}").status_code == 403, path
    client.post("/staff/sign-out")
    sign_in(client, "sam")  # another team
    assert client.get(f"/staff/cases/{reference}/handoff").status_code == 403
    client.post("/staff/sign-out")
    sign_in(client, "priya")  # the team's manager
    assert client.get(f"/staff/cases/{reference}/handoff").status_code == 200


def test_a_helper_drafts_in_the_composer_and_saves_notes(client, club, db_session):
    db_session.add(CaseHelper(case_id=club["case"].id, employee_id=club["sam"].id, added_by_id=club["maria"].id))
    db_session.commit()
    sign_in(client, "sam")
    reference = club["case"].reference
    page = _page(client, reference)
    assert _checked_mode(page) == "draft" and ">Save draft for Maria</button>" in page
    assert 'id="compose-reply"' not in page and 'id="actions-title"' not in page
    client.post(f"/staff/cases/{reference}/draft", data={"body": "Shall we refund both tickets?"})
    client.post("/staff/sign-out")
    sign_in(client, "maria")
    page = _page(client, reference)
    assert "Drafts waiting for Maria" in page and ">Send this draft to James</button>" in page


def test_the_case_page_reads_a_fixed_number_of_statements_however_long_the_history(client, club, db_session):
    from tests.cases.staff.test_staff_views import _count_queries

    case = club["case"]
    record(db_session, case, "note", by=club["maria"], body="The first note: its author is read with every event's")
    db_session.commit()
    sign_in(client, "maria")
    path = f"/staff/cases/{case.reference}"
    client.get(path)
    db_session.expire_all()  # the tests' session is the app's: start both counts from an empty identity map
    before = _count_queries(client, path)
    for n in range(30):
        record(db_session, case, "note", by=club["maria"], body=f"Note {n}")
        make_case(db_session, owner=club["maria"], customer=case.customer, category=case.category)
        db_session.add(CustomerNote(customer_id=case.customer_id, author_id=club["tom"].id, body=f"Fact {n}"))
    db_session.commit()
    db_session.expire_all()
    assert _count_queries(client, path) == before, before
