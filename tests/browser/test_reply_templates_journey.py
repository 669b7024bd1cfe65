"""Replies in seconds, end to end: an agent works three cases from the queue with the keyboard only (j to a case,
Enter, r, a reply template chosen with the type-ahead, sent; n, a note, saved; u back to the queue, the next
case); without JavaScript the plain picker inserts a template and the reply is sent; a manager adds a team
template through the pages and an agent of another team never sees it. Axe clean, no id twice, nothing
scrolling sideways at 320 px. Screenshots: docs/screenshots/18-templates-*-1280.png and -320.png."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.cases import reply_templates
from portal.cases.models import CaseStatus
from portal.db import utcnow
from tests.browser.conftest import check_accessibility, no_duplicate_ids, screenshot, sign_in
from tests.factories import make_case, make_category, make_customer, make_employee, make_team, make_ticket_office

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
REFUND = ("Dear {first_name},\n\nThank you for your patience. The refund for {reference} is on its way and "
          "should reach your card within five working days.\n\nYou can follow your case through {private_link}.\n\n"
          "{owner_name}, Ticket Office")
CUSTOMERS = (("James Smith", "I was charged twice for the cup match."),
             ("Olivia Taylor", "My season ticket card would not open the turnstile."),
             ("Leo Hall", "The ticket office refunded the wrong match."))


def _look(page, name: str, width: int, *, whole_page: bool = True) -> None:
    # The picture first: axe's run can blur the type-ahead, which then folds its list away. A modal dialog is
    # pictured as the screen shows it (a whole-page picture stretches the page behind it, not its backdrop).
    DOCS.mkdir(parents=True, exist_ok=True)
    picture = DOCS / f"18-templates-{name}-{width}.png"
    if whole_page:
        shutil.copy(screenshot(page, f"18-templates-{name}-{width}"), picture)
    else:
        page.screenshot(path=str(picture))
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    no_duplicate_ids(page)
    check_accessibility(page)


def _desk(live_server) -> list[str]:
    """Maria's three open cases, each answered once already (so a reply keeps its place in the queue), the
    Ticket Office's refund template, one of her own, and one of Catering's she must never see."""
    with live_server.session() as s:
        office = make_ticket_office(s)
        tickets = make_category(s, team=office.team, name="Tickets")
        references = []
        for days, (name, words) in enumerate(CUSTOMERS, start=1):
            customer = make_customer(s, name=name, email=f"{name.split()[0].lower()}@fans.example")
            case = make_case(s, owner=office.maria, customer=customer, category=tickets, what_happened=words,
                             status=CaseStatus.acknowledged)
            case.first_responded_at, case.resolution_due = utcnow(), utcnow() + timedelta(days=days)
            references.append(case.reference)
        reply_templates.create(s, by=office.priya, team=office.team, title="Refund on its way", body=REFUND)
        reply_templates.create(s, by=office.maria, title="Thanks for waiting",
                               body="Thank you for waiting, {first_name}. I am looking into {reference} today.")
        catering = make_team(s, "Catering")
        grace = make_employee(s, name="Grace Okafor", email="grace@staff.example", role=Role.manager,
                              team=catering)
        reply_templates.create(s, by=grace, team=catering, title="Refund of the food voucher", body="Voucher.")
        s.commit()
        return references


def _filled(name: str, reference: str) -> str:
    return (f"Dear {name.split()[0]},\n\nThank you for your patience. The refund for {reference} is on its way and "
            "should reach your card within five working days.\n\nYou can follow your case through your private "
            "link (at the end of this e-mail).\n\nMaria Lopez, Ticket Office")


def test_an_agent_works_three_cases_from_the_queue_with_the_keyboard_only(live_server, page):
    references = _desk(live_server)
    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(f"{live_server.url}/staff/cases")
    keyboard = page.keyboard
    for index, ((name, _), reference) in enumerate(zip(CUSTOMERS, references, strict=True)):
        first = name.split()[0]
        keyboard.press("j")
        expect(page.get_by_role("link", name=reference, exact=True)).to_be_focused()
        keyboard.press("Enter")
        expect(page.get_by_role("heading", name=f"{reference}: {name}", level=1)).to_be_visible()
        page.wait_for_load_state("load")  # the keys are the scripts': they run once the page has loaded

        keyboard.press("r")
        box = page.get_by_label("Reply to the customer")
        expect(box).to_be_focused()
        keyboard.press("Shift+Tab")
        picker = page.get_by_role("combobox", name="Insert a reply template")
        expect(picker).to_be_focused()
        keyboard.type("refund")
        options = page.get_by_role("listbox", name="Reply templates").get_by_role("option")
        expect(options).to_have_count(1)  # Catering's refund template is not Maria's to use
        keyboard.press("ArrowDown")
        expect(options.first).to_have_attribute("aria-selected", "true")
        if index == 0:
            _look(page, "typeahead", 1280)
        keyboard.press("Enter")
        expect(box).to_be_focused()
        expect(box).to_have_value(_filled(name, reference))
        if index == 1:
            keyboard.press("Control+Enter")  # sends from the box itself
        else:
            keyboard.press("Tab")
            expect(page.get_by_role("button", name=f"Send to {first}")).to_be_focused()
            keyboard.press("Enter")
        expect(page.get_by_text(f"Reply sent to {first} by e-mail.")).to_be_visible()
        page.wait_for_load_state("load")
        sent = page.locator(".entry--reply").last
        expect(sent).to_contain_text(f"Dear {first},")
        expect(sent).to_contain_text(f"The refund for {reference} is on its way")
        expect(sent).to_contain_text("your private link (at the end of this e-mail)")
        expect(sent).to_contain_text("Maria Lopez, Ticket Office")

        keyboard.press("n")
        note_box = page.get_by_label("Internal note")
        expect(note_box).to_be_focused()
        keyboard.type(f"Refund for {first} approved by finance.")
        keyboard.press("Tab")
        expect(page.get_by_role("button", name="Save internal note")).to_be_focused()
        keyboard.press("Enter")
        expect(page.get_by_text("Note added.")).to_be_visible()
        page.wait_for_load_state("load")
        expect(page.locator(".entry--internal").last).to_contain_text(f"Refund for {first} approved by finance.")

        keyboard.press("u")
        expect(page.get_by_role("heading", name="My cases", level=1)).to_be_visible()
        page.wait_for_load_state("load")
        expect(page.get_by_role("link", name=reference, exact=True)).to_be_focused()

    replies = [m for m in live_server.emails() if "replied about your case" in m["Subject"]]
    assert [m["To"] for m in replies] == ["james@fans.example", "olivia@fans.example", "leo@fans.example"]
    for message, (name, _), reference in zip(replies, CUSTOMERS, references, strict=True):
        text = message.get_body(("plain",)).get_content()
        assert _filled(name, reference).replace("\n\n", "\n") in text.replace("\r\n", "\n").replace("\n\n", "\n")
        # The words point at the link the e-mail ends with: a fresh one of its own, after the reply's text.
        link = re.search(r"http://127\.0\.0\.1:\d+/my-case/\S+", text)
        assert link and text.index("your private link") < link.start()


def test_the_shortcuts_are_listed_with_question_mark_and_never_fire_while_typing(live_server, browser):
    references = _desk(live_server)
    for width in (1280, 320):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
        page = context.new_page()
        sign_in(page, live_server.url, "maria@staff.example")
        page.goto(f"{live_server.url}/staff/cases")
        for held in ("Alt", "Control", "Meta"):
            page.keyboard.press(f"{held}+j")
        expect(page.locator("a[data-case-link]:focus")).to_have_count(0)
        page.keyboard.press("k")  # from nowhere in the queue: its last case
        expect(page.get_by_role("link", name=references[2], exact=True)).to_be_focused()
        page.keyboard.press("k")
        page.keyboard.press("k")
        page.keyboard.press("Enter")
        # On a case, j and k open its neighbours in the queue it was opened from.
        expect(page.get_by_role("heading", name=re.compile(references[0]), level=1)).to_be_visible()
        page.wait_for_load_state("load")
        page.keyboard.press("j")
        expect(page.get_by_role("heading", name=re.compile(references[1]), level=1)).to_be_visible()
        page.wait_for_load_state("load")
        page.keyboard.press("k")
        expect(page.get_by_role("heading", name=re.compile(references[0]), level=1)).to_be_visible()
        page.wait_for_load_state("load")
        page.keyboard.press("r")
        box = page.get_by_label("Reply to the customer")
        page.keyboard.type("n j k ? / u")  # typed into the reply, not taken as keys
        expect(box).to_have_value("n j k ? / u")
        expect(page.get_by_role("dialog")).to_be_hidden()
        box.blur()
        page.keyboard.press("?")
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Next / previous case in the queue")
        _look(page, "shortcuts", width, whole_page=False)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        page.keyboard.press("/")
        expect(page.get_by_role("searchbox", name="Search cases and customers")).to_be_focused()
        page.keyboard.type("Olivia")
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name=references[1], exact=True).first).to_be_visible()
        # The footer's link opens the same list; the focus goes back to it once the list is closed.
        link = page.get_by_role("link", name="Keyboard shortcuts")
        link.focus()
        page.keyboard.press("Enter")
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Close").click()
        expect(dialog).to_be_hidden()
        expect(link).to_be_focused()
        page.goto(f"{live_server.url}/staff/shortcuts")  # the plain page the link is without JavaScript
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        no_duplicate_ids(page)
        check_accessibility(page)
        context.close()


def test_without_javascript_the_plain_picker_inserts_a_template_and_the_reply_is_sent(live_server, browser):
    references = _desk(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(f"{live_server.url}/staff/cases/{references[0]}")
    box = page.get_by_label("Reply to the customer")
    box.fill("Good news first.")
    picker = page.get_by_label("Insert a reply template")
    expect(picker.locator("option")).to_have_text(["Refund on its way", "Thanks for waiting"])
    picker.select_option(label="Refund on its way")
    page.get_by_role("button", name="Insert", exact=True).click()
    expect(box).to_have_value("Good news first.\n\n" + _filled("James Smith", references[0]))
    assert live_server.emails() == []  # inserting sends nothing
    # (No axe here: it needs JavaScript. The same page with it is checked in the other tests.)
    shutil.copy(screenshot(page, "18-templates-case-no-js-1280"), DOCS / "18-templates-case-no-js-1280.png")
    page.get_by_role("button", name="Send to James").click()
    expect(page.get_by_text("Reply sent to James by e-mail.")).to_be_visible()
    expect(page.locator(".entry--reply").last).to_contain_text("The refund for")
    sent = live_server.emails()[-1]
    assert sent["To"] == "james@fans.example"
    assert "your private link (at the end of this e-mail)" in sent.get_body(("plain",)).get_content()
    page.get_by_role("link", name="Keyboard shortcuts").click()
    expect(page.get_by_role("heading", name="Keyboard shortcuts", level=1)).to_be_visible()
    context.close()


def test_a_manager_adds_a_team_template_and_an_agent_of_another_team_never_sees_it(live_server, browser):
    references = _desk(live_server)
    with live_server.session() as s:
        sam = make_employee(s, name="Sam Whitaker", email="sam@staff.example",
                            team=make_team(s, "Stewarding"))
        make_case(s, owner=sam, category=make_category(s, team=sam.team, name="Stewards"))
        s.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, "priya@staff.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reply templates").click()
    page.get_by_role("link", name="Add a template").click()
    page.get_by_label("Title").fill("Seat moved")
    page.get_by_label("Text of the reply").fill("Dear {first_name}, your seat for {reference} has moved to "
                                                "block C. {owner_name} will post the new card today.")
    expect(page.get_by_label("The Ticket Office team")).to_be_checked()  # their team's, unless they say so
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        _look(page, "new", width)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Text of the reply").fill("Dear {first_name}, your seat for {ref} has moved.")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_role("alert")).to_contain_text("This placeholder is not known: {ref}.")
    expect(page.get_by_label("Title")).to_have_value("Seat moved")  # nothing lost
    _look(page, "error", 1280)
    page.get_by_label("Text of the reply").fill("Dear {first_name}, your seat for {reference} has moved to "
                                                "block C. {owner_name} will post the new card today.")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("Saved “Seat moved”.")).to_be_visible()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        _look(page, "list", width)
    page.get_by_role("link", name="Delete Seat moved").click()
    expect(page.get_by_role("heading", name="Delete “Seat moved”?")).to_be_visible()
    _look(page, "delete", 320)
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_role("cell", name="Seat moved", exact=True)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "maria@staff.example")
    page.goto(f"{live_server.url}/staff/cases/{references[1]}")
    page.get_by_role("combobox", name="Insert a reply template").fill("seat")
    page.get_by_role("option", name=re.compile("Seat moved")).click()
    expect(page.get_by_label("Reply to the customer")).to_have_value(
        f"Dear Olivia, your seat for {references[1]} has moved to block C. Maria Lopez will post the new card today.")
    page.set_viewport_size({"width": 320, "height": 900})
    page.get_by_role("combobox", name="Insert a reply template").focus()
    page.keyboard.type("r")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("listbox", name="Reply templates").get_by_role("option")).to_have_count(2)
    _look(page, "case", 320)
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "sam@staff.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reply templates").click()
    expect(page.get_by_text("No reply templates yet.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My cases").click()
    page.locator("a[data-case-link]").first.click()
    expect(page.get_by_label("Reply to the customer")).to_be_visible()
    expect(page.get_by_role("combobox", name="Insert a reply template")).to_have_count(0)
    assert "Seat moved" not in page.content()
    context.close()
