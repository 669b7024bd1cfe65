"""The checks every rendered page goes through (tests/page_checks.py) find what they are meant to find."""

from tests.page_checks import check_markup

GOOD = """<!doctype html><html lang="en"><head><title>t</title></head><body>
<h1>Case</h1><a href="#reply-body">Reply</a>
<form action="/reply"><label for="reply-body">Reply</label><div id="reply-body-hint">Sent</div>
  <textarea id="reply-body" name="body" aria-describedby="reply-body-hint"></textarea></form>
<form action="/note"><fieldset><legend>Kind</legend><input type="radio" id="note-kind-0" name="kind">
  <label for="note-kind-0">Call</label></fieldset>
  <label for="note-body">Internal note</label><textarea id="note-body" name="body"></textarea></form>
<h2>Timeline</h2><h3>Today</h3></body></html>"""


def test_a_page_with_its_own_id_for_every_box_passes():
    assert check_markup(GOOD) == []


def test_two_forms_sharing_an_id_are_found_with_the_label_that_names_the_wrong_box():
    page = GOOD.replace("reply-body", "body").replace("note-body", "body")
    problems = check_markup(page)
    assert 'id="body" is used twice (lines 4 and 7)' in problems
    assert any('<label for="body"> (line 7) is in another form' in p for p in problems)


def test_a_dangling_description_a_label_on_nothing_and_a_skipped_heading_are_found():
    page = (GOOD.replace('aria-describedby="reply-body-hint"', 'aria-describedby="gone"')
            .replace('<label for="note-kind-0">', '<label for="note-kind-9">').replace("<h3>", "<h4>")
            .replace("</h3>", "</h4>").replace('href="#reply-body"', 'href="#nowhere"'))
    assert check_markup(page) == [
        '<a href="#nowhere"> (line 2) points at no element',
        'aria-describedby="gone" (line 4) names no element',
        '<label for="note-kind-9"> (line 6) names no element',
        "<h4> (line 8) skips a heading level after <h2>",
    ]


def test_a_label_on_a_hidden_input_is_found():
    page = GOOD.replace('<textarea id="note-body" name="body"></textarea>', '<input type="hidden" id="note-body">')
    assert check_markup(page) == ['<label for="note-body"> (line 7) names a <input>, not a form control']
