"""The search box in the staff header and its results page (SQLite; the service is tested on both databases)."""

import re

from portal.cases.models import EventKind
from portal.cases.timeline import record
from tests.factories import make_case, sign_in


def test_every_staff_page_has_the_search_box_and_public_pages_do_not(client, club):
    assert 'role="search"' not in client.get("/").get_data(as_text=True)
    sign_in(client, "maria")
    page = client.get("/staff/cases").get_data(as_text=True)
    assert 'action="/staff/search"' in page and '<label class="visually-hidden" for="site-search">' in page


def test_a_reference_jumps_straight_to_the_case(client, club):
    sign_in(client, "maria")
    reference = club["case"].reference
    response = client.get(f"/staff/search?q={reference.lower()}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/staff/cases/{reference}")


def test_another_teams_reference_is_not_found_and_not_opened(client, club):
    sign_in(client, "sam")
    response = client.get(f"/staff/search?q={club['case'].reference}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "0 cases match" in page and f"/staff/cases/{club['case'].reference}" not in page


def test_results_show_marked_words_status_owner_and_due(client, club, db_session):
    record(db_session, club["case"], EventKind.note, by=club["maria"],
           body="Called James: the <b>refund</b> is on its way.")
    db_session.commit()
    sign_in(client, "tom")
    page = client.get("/staff/search?q=refund").get_data(as_text=True)
    assert "1 case matches" in page
    assert "Internal note:</span>" in page
    assert "&lt;b&gt;<mark>refund</mark>&lt;/b&gt;" in page  # what the customer wrote is escaped, then marked
    # A queue row: the owner, when it is due and the status each in their column.
    assert '<td class="queue__owner">Maria Lopez</td>' in page and 'class="queue__due"' in page
    assert club["case"].status.label in page and page.count("data-case-link") == 1
    by_name = client.get("/staff/search?q=James").get_data(as_text=True)
    assert '<a href="/staff/customers/' in by_name and "<mark>James</mark> Smith" in by_name


def test_the_words_typed_are_kept_in_the_boxes_and_escaped(client, club):
    sign_in(client, "maria")
    page = client.get('/staff/search?q="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_hostile_queries_never_fail(client, club):
    sign_in(client, "maria")
    for typed in ['"', "NEAR(", "AND", "*", "'", "a" * 3000, "-", '"unclosed', "OR OR", "%25", "%2B44", "💥"]:
        assert client.get(f"/staff/search?q={typed}").status_code == 200, typed
    for after in ["x", "1e999_1", "nan_1", "-1_-1", "1.0_99999999999999999999"]:
        assert client.get(f"/staff/search?q=seat&after={after}").status_code == 200, after
    # A NUL in any query string is refused before a view reads it (portal.security), never a 500.
    assert client.get("/staff/search?q=turnstile%00").status_code == 400


def test_pages_go_on_by_a_cursor_and_back_to_the_first(client, club, db_session):
    for n in range(30):
        make_case(db_session, owner=club["maria"], category=club["case"].category,
                  what_happened=f"The floodlight failed in minute {n}.")
    db_session.commit()
    sign_in(client, "maria")
    first = client.get("/staff/search?q=floodlight").get_data(as_text=True)
    assert "30 cases match" in first and first.count("data-case-link") == 25
    assert "after=" in first and "First page" not in first
    next_link = re.search(r'href="(/staff/search\?[^"]*after=[^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert second.count("data-case-link") == 5 and "First page" in second and 'rel="next"' not in second


def test_signed_out_people_are_sent_to_sign_in(client, club):
    response = client.get("/staff/search?q=seat")
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_the_queues_find_cases_by_customer_channel_and_day_filed(client, club, db_session):
    from datetime import timedelta

    from portal.cases.models import Channel
    from portal.db import utcnow
    from tests.factories import make_customer

    olivia = make_customer(db_session, name="Olivia Taylor", email="olivia@fans.example")
    olivia.phone = "+44 7700 900123"
    phoned = make_case(db_session, owner=club["maria"], customer=olivia, category=club["case"].category)
    phoned.channel = Channel.phone
    old = make_case(db_session, owner=club["maria"], category=club["case"].category)
    old.created_at = utcnow() - timedelta(days=40)
    db_session.commit()
    sign_in(client, "maria")

    def listed(query: str, path: str = "/staff/cases") -> set[str]:
        page = client.get(f"{path}?{query}").get_data(as_text=True)
        return {c.reference for c in (club["case"], phoned, old) if f"/staff/cases/{c.reference}\"" in page}

    assert listed("customer=07700+900123") == {phoned.reference}
    assert listed("customer=oliv") == {phoned.reference}
    assert listed("customer=james%40fans.example") == {club["case"].reference}
    assert listed("customer=nobody+at+all") == set()
    assert listed("channel=phone") == {phoned.reference}
    assert listed("channel=web") == {club["case"].reference, old.reference}
    today = utcnow().date()
    assert listed(f"from={(today - timedelta(days=1)).isoformat()}") == {club["case"].reference, phoned.reference}
    assert listed(f"to={(today - timedelta(days=30)).isoformat()}") == {old.reference}
    sign_in(client, "priya")
    assert listed("channel=phone&customer=Olivia", "/staff/team") == {phoned.reference}


def test_a_date_that_is_not_one_is_named_and_left_out(client, club):
    sign_in(client, "maria")
    response = client.get("/staff/cases?from=2026-13-01&to=yesterday&channel=pigeon&customer=%22")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Filed from must be a date like 2026-11-30" in page and "Filed to must be a date" in page
    assert 'value="2026-13-01"' in page and club["case"].reference not in page  # the customer '"' matches no one
    swapped = client.get("/staff/cases?from=2026-11-30&to=2026-11-01").get_data(as_text=True)
    assert "Filed to must be the same day as Filed from or later" in swapped
    assert club["case"].reference in swapped
