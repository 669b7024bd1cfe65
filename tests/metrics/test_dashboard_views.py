import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from portal.auth.models import Role
from portal.cases.timeline import record
from portal.db import utcnow
from tests.factories import make_case, make_category, make_employee, make_team, sign_in


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    # The figures, periods and the monthly report follow the date: these tests run mid-month and mid-week, where
    # "the last 30 days" and "this month" hold every case the fixture files (on the 2nd, this month held none).
    time_machine.move_to(datetime(2026, 6, 17, 10, 0, tzinfo=UTC), tick=True)


@pytest.fixture
def club(db_session):
    """Two teams; the ticket office manager sees only the ticket office."""
    tickets, catering = make_team(db_session, "Ticket Office"), make_team(db_session, "Catering")
    manager = make_employee(db_session, email="priya@staff.example", role=Role.manager, team=tickets)
    tickets.manager = manager
    agent = make_employee(db_session, email="maria@staff.example", team=tickets, name="Maria Lopez")
    make_employee(db_session, email="alex@staff.example", role=Role.admin)
    ticket_category = make_category(db_session, team=tickets, name="Tickets")
    food = make_category(db_session, team=catering, name="Food and drink")
    now = utcnow()
    overdue = make_case(db_session, category=ticket_category, owner=agent)
    overdue.created_at, overdue.resolution_due = now - timedelta(days=10), now - timedelta(days=3)
    answered = make_case(db_session, category=ticket_category, owner=agent)
    answered.created_at = now - timedelta(days=2)
    record(db_session, answered, "reply", by=agent, public=True, at=answered.created_at + timedelta(hours=3))
    cold_food = make_case(db_session, category=food)
    cold_food.created_at = now - timedelta(days=1)
    db_session.commit()
    return {"overdue": overdue, "answered": answered, "cold_food": cold_food, "tickets": tickets}


def follow(client, dashboard: str, words: str, href: str = r"[^\"]*") -> str:
    """The page behind the dashboard's link with these words (followed as a browser would, entities decoded)."""
    link = re.search(rf'<a href="({href})">{words}</a>', dashboard)
    assert link, f"no link {words!r} on the dashboard"
    return client.get(html.unescape(link.group(1))).get_data(as_text=True)


def test_agents_cannot_see_the_dashboard(client, club):
    sign_in(client, "maria@staff.example")
    assert client.get("/staff/metrics/").status_code == 403


def test_a_manager_sees_their_own_teams_figures_only(client, club):
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    assert '<span class="stat">2</span>' in page  # the two ticket office cases, not the catering one
    assert "Ticket Office" in page and "Catering</option>" not in page
    assert "<svg" in page and "<title id=\"chart-volume-title\">Cases filed</title>" in page


def test_an_admin_sees_every_team(client, club):
    sign_in(client, "alex@staff.example")
    page = client.get("/staff/metrics/?period=30d&group=category").get_data(as_text=True)
    assert '<span class="stat">3</span>' in page and "Food and drink" in page


def test_drilling_into_overdue_lists_the_cases_behind_the_figure(client, club):
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/cases?figure=overdue&period=30d").get_data(as_text=True)
    assert club["overdue"].reference in page and club["answered"].reference not in page
    assert "Overdue at the end of the period" in page


def test_the_breakdown_downloads_as_csv(client, club):
    sign_in(client, "priya@staff.example")
    response = client.get("/staff/metrics/breakdown.csv?period=30d&group=employee")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Employee", "Cases", "First response median (h)"]
    assert rows[1][:3] == ["Maria Lopez", "2", "3.0"]


def test_a_back_to_front_custom_period_is_explained(client, club):
    sign_in(client, "priya@staff.example")
    response = client.get("/staff/metrics/?period=custom&from=2026-03-10&to=2026-03-01")
    assert response.status_code == 422
    assert "The end date must be on or after the start date." in response.get_data(as_text=True)


def test_nonsense_options_fall_back_to_defaults(client, club):
    sign_in(client, "priya@staff.example")
    assert client.get("/staff/metrics/?period=forever&group=%3Cscript%3E&grain=x&team=abc").status_code == 200
    assert client.get("/staff/metrics/cases?figure=nope").status_code == 404


def test_the_monthly_report_is_a_pdf_with_the_headline_figures(client, club, tmp_path):
    import subprocess

    from portal.db import utcnow

    sign_in(client, "priya@staff.example")
    month = utcnow().strftime("%Y-%m")
    response = client.get(f"/staff/metrics/report.pdf?month={month}")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(response.data)
    (Path(__file__).resolve().parents[2] / "test-output").mkdir(exist_ok=True)
    (Path(__file__).resolve().parents[2] / "test-output" / "monthly-report.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Service report" in text and "Cases filed" in text and "Ticket" in text
    assert client.get("/staff/metrics/report.pdf?month=nonsense").status_code == 200  # last month instead


def test_remedy_kinds_chosen_are_counted(client, club, db_session):
    from portal.remedies.choice import choose
    from tests.factories import make_offer

    offer = make_offer(db_session, case=club["answered"])
    db_session.commit()
    choose(db_session, offer, offer.remedies[0].id)
    db_session.commit()
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    assert "Remedies customers chose" in page and offer.remedies[0].kind.label in page


def test_the_period_bounds_are_local_dates_and_times_never_utc(client, club):
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/?period=custom&from=2025-09-03&to=2025-09-30").get_data(as_text=True)
    assert "cases filed from 3 September 2025 to 30 September 2025.</p>" in page and "UTC" not in page
    today = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    assert re.search(r"figures as at <time[^>]*>\d+ \w+ 20\d\d at \d\d:\d\d (GMT|BST)</time>", today)


def test_a_breakdown_row_opens_a_list_that_says_whose_cases_they_are(client, club):
    sign_in(client, "priya@staff.example")
    dashboard = client.get("/staff/metrics/?period=30d&group=employee").get_data(as_text=True)
    page = follow(client, dashboard, "Maria Lopez", href=r'/staff/metrics/cases\?[^"]*group_by=employee[^"]*')
    assert "<h1>All cases filed, owned by Maria Lopez</h1>" in page
    assert re.search(r"2 cases owned by Maria Lopez, filed from \d+ \w+ 20\d\d to \d+ \w+ 20\d\d \(Last 30 days\)",
                     page)


def _rate(db_session, case, score):
    record(db_session, case, "rated", by_customer=True, public=True, detail={"score": score, "made_it_right": True})


def test_rated_4_or_5_opens_the_happy_ratings_and_1_to_3_the_others(client, club, db_session):
    _rate(db_session, club["answered"], 5)
    _rate(db_session, club["overdue"], 2)
    db_session.commit()
    sign_in(client, "priya@staff.example")
    dashboard = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    page = follow(client, dashboard, r"“Did we make it right\?” rated 4 or 5")
    assert "<h1>Rated 4 or 5</h1>" in page
    assert club["answered"].reference in page and club["overdue"].reference not in page
    page = follow(client, dashboard, "see those rated 1 to 3")
    assert club["overdue"].reference in page and club["answered"].reference not in page


def test_first_responses_on_target_opens_the_ones_on_target(client, club, db_session):
    answered = club["answered"]
    answered.first_response_due = answered.created_at + timedelta(hours=4)  # answered after 3 h: on target
    late = club["overdue"]
    late.first_response_due = late.created_at + timedelta(hours=4)  # never answered: late
    db_session.commit()
    sign_in(client, "priya@staff.example")
    dashboard = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    page = follow(client, dashboard, "First responses on target")
    assert "<h1>First response on target</h1>" in page
    assert answered.reference in page and late.reference not in page
    page = follow(client, dashboard, "see the late ones")
    assert late.reference in page and answered.reference not in page


def test_the_trend_csv_is_named_for_the_first_and_last_day_it_covers(client, club):
    sign_in(client, "priya@staff.example")
    summer = client.get("/staff/metrics/trend.csv?period=custom&from=2026-06-01&to=2026-06-30")
    assert 'filename="make-it-right-trend-20260601-20260630.csv"' in summer.headers["Content-Disposition"]
    winter = client.get("/staff/metrics/breakdown.csv?period=custom&from=2026-12-01&to=2026-12-31")
    assert 'filename="make-it-right-breakdown-20261201-20261231.csv"' in winter.headers["Content-Disposition"]


def test_the_numbers_come_first_each_headline_figure_with_its_target_and_verdict(client, club, db_session):
    answered, late = club["answered"], club["overdue"]
    answered.first_response_due = answered.created_at + timedelta(hours=4)  # on target
    late.first_response_due = late.created_at + timedelta(hours=4)  # never answered: late
    db_session.commit()
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    assert page.index('class="dash-filters"') < page.index('class="dash-headline"') < page.index("<svg")
    cards = page[page.index('class="dash-headline"'):page.index("</ul>", page.index('class="dash-headline"'))]
    assert cards.count('<li class="dash-headline__card') == 5
    # One of the two first responses on target: 50% against 90%.
    assert re.search(r'<span class="stat">50%</span></p>\s*<p class="dash-headline__name"><a [^>]+>First responses on '
                     r'target</a></p>\s*<p class="dash-headline__target">Target 90%:\s*'
                     r'<strong class="verdict verdict--missed">missed by 40 points</strong>', cards)
    assert "Target at most 5%:" in cards and "nothing to judge yet" in cards  # nothing resolved, nothing reopened


def test_a_count_chart_is_ticked_in_whole_cases(client, club):
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    volume = page[page.index('id="chart-volume-title"'):page.index("</svg>", page.index('id="chart-volume-title"'))]
    ticks = re.findall(r'<text class="chart__tick"[^>]*>([^<]*)</text>', volume)
    assert ticks == ["0", "1"]  # at most one case a week: not 0, 0.25, 0.5, 0.75, 1
    assert 'viewBox' not in volume and 'width="100%"' in page


def test_wide_tables_scroll_in_a_box_a_keyboard_can_reach(client, club):
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    for title in ("trend-title", "breakdown-title"):
        assert re.search(rf'<div class="table-wrap table-wrap--sticky[^"]*" role="region" aria-labelledby="{title}"'
                         r' tabindex="0">\s*<table class="table small" aria-labelledby="' + title, page)
