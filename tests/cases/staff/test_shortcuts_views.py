"""The keyboard shortcuts without JavaScript: every staff page links to a plain page listing them, and carries
the "?" dialog (for shortcuts.js) with the same list; the queue's case links are what j and k move through."""

from tests.factories import sign_in


def test_every_staff_page_links_to_the_shortcuts_page_and_carries_the_same_list(client, club):
    sign_in(client, "maria")
    queue = client.get("/staff/cases").get_data(as_text=True)
    assert '<a href="/staff/shortcuts" data-shortcuts-link>Keyboard shortcuts</a>' in queue
    assert 'src="/static/js/shortcuts.js"' in queue
    dialog = queue.split('<dialog class="shortcuts-dialog"')[1].split("</dialog>")[0]
    listed = client.get("/staff/shortcuts")
    page = listed.get_data(as_text=True)
    assert listed.status_code == 200 and "<h1>Keyboard shortcuts</h1>" in page
    assert "<dialog" not in page  # the page is the list
    for words in ("Next / previous case in the queue", "Back to the queue you came from", "Write a reply",
                  "Write an internal note", "Search cases and customers", "<kbd>?</kbd>"):
        assert words in dialog and words in page, words
    assert queue.count("data-case-link") == 1


def test_customers_pages_carry_no_shortcuts(client, club):
    page = client.get("/").get_data(as_text=True)
    assert "shortcuts" not in page
