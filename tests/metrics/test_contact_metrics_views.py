"""The dashboard's channel, first-contact resolution and call-time figures through the test client (CSRF on), on
SQLite and on PostgreSQL, with a fixed clock; and the migration that fills the first-contact flag."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import delete, select

from portal.auth.models import Role
from portal.cases.models import Channel
from portal.cases.timeline import record
from portal.db import make_engine
from portal.metrics.models import CaseMilestones
from portal.migrate import alembic_config, downgrade, upgrade
from tests.conftest import make_test_app
from tests.factories import make_case, make_category, make_employee, make_team, sign_in

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def app(db_url, tmp_path):
    """The app on each database in turn (the dashboard's figures take another road on each)."""
    return make_test_app(db_url, tmp_path)


@pytest.fixture
def calls(db_session):
    """The ticket office's June: a call put right on the spot, a call answered twice, an e-mail the customer wrote
    again on, a letter still open; the manager sees only the ticket office."""
    tickets = make_team(db_session, "Ticket Office")
    manager = make_employee(db_session, email="priya@staff.example", role=Role.manager, team=tickets)
    tickets.manager = manager
    agent = make_employee(db_session, email="maria@staff.example", team=tickets, name="Maria Lopez")
    category = make_category(db_session, team=tickets, name="Tickets")

    def case(channel, days_ago, *, talk=None, hold=None):
        c = make_case(db_session, category=category, owner=agent)
        c.created_at, c.channel, c.talk_seconds, c.hold_seconds = (NOW - timedelta(days=days_ago), channel, talk,
                                                                   hold)
        record(db_session, c, "filed", by_customer=True, public=True, at=c.created_at)
        return c

    def resolved(c, hours):
        record(db_session, c, "status", by=agent, public=True, at=c.created_at + timedelta(hours=hours),
               detail={"from": "acknowledged", "to": "resolved"})

    on_the_spot = case(Channel.phone, 3, talk=245, hold=30)
    resolved(on_the_spot, 0)
    twice = case(Channel.phone, 2, talk=95, hold=0)
    for hours in (1, 2):
        record(db_session, twice, "reply", by=agent, public=True, at=twice.created_at + timedelta(hours=hours))
    resolved(twice, 3)
    emailed = case(Channel.email, 2)
    record(db_session, emailed, "customer_reply", by_customer=True, public=True,
           at=emailed.created_at + timedelta(hours=1))
    resolved(emailed, 2)
    letter = case(Channel.letter, 1)
    db_session.commit()
    return {"on_the_spot": on_the_spot, "twice": twice, "emailed": emailed, "letter": letter}


def follow(client, page: str, words: str) -> str:
    link = re.search(rf'<a href="([^"]*)">{words}</a>', page)
    assert link, f"no link {words!r} on the page"
    response = client.get(html.unescape(link.group(1)))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_dashboard_shows_fcr_with_its_definition_and_exact_call_times(client, calls):
    sign_in(client, "priya@staff.example")
    page = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    # FCR: one of three resolved cases (the call answered twice and the e-mail written again on are not).
    assert '<span class="stat">33%</span> <a href="' in page and "1 of 3 resolved cases" in page
    assert "no message from the customer before it and at most one public reply from us before it" in page
    assert "A case reopened later does not count" in page
    # Talk: 95 s and 245 s, median 170 s; hold: 0 s and 30 s, median 15 s, 90% within 27 s.
    assert '<span class="stat">2\u00a0min 50\u00a0s</span> median talk time' in page
    assert '<span class="stat">15\u00a0s</span> median hold time' in page and "90% within 27\u00a0s" in page
    assert "Medians and 90th percentiles are exact" in page
    assert re.search(r'from the <a href="[^"]*">2 contacts</a> with a talk time recorded', page)


def test_an_empty_period_says_no_calls_were_recorded_rather_than_0_s(client, calls):
    sign_in(client, "priya@staff.example")
    response = client.get("/staff/metrics/?period=custom&from=2025-01-01&to=2025-01-31")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No calls recorded with a talk time in this period." in page
    assert "No calls recorded with a hold time in this period." in page
    assert "0\u00a0s" not in page and "0 of 0 resolved cases" in page


def test_the_channel_table_opens_the_cases_of_each_channel_with_their_call_times(client, calls):
    sign_in(client, "priya@staff.example")
    dashboard = client.get("/staff/metrics/?period=30d").get_data(as_text=True)
    assert "<title id=\"chart-channels-title\">Cases filed by channel</title>" in dashboard
    # A channel with no cases is listed, without a link to an empty list.
    assert '<th scope="row">Social media</th>' in dashboard
    page = follow(client, dashboard, "Phone call")
    assert "<h1>Cases that came in by phone call</h1>" in page
    assert calls["on_the_spot"].reference in page and calls["letter"].reference not in page
    assert "<td>4\u00a0min 5\u00a0s / 30\u00a0s</td>" in page and "<td>1\u00a0min 35\u00a0s / 0\u00a0s</td>" in page
    page = follow(client, dashboard, "resolved at first contact")
    assert calls["on_the_spot"].reference in page and calls["twice"].reference not in page
    others = follow(client, dashboard, "see the others")
    assert calls["twice"].reference in others and calls["emailed"].reference in others
    assert calls["on_the_spot"].reference not in others and calls["letter"].reference not in others


def test_the_channels_csv_has_every_figure_per_channel(client, calls):
    sign_in(client, "priya@staff.example")
    response = client.get("/staff/metrics/channels.csv?period=30d")
    assert response.mimetype == "text/csv"
    assert re.search(r'filename="make-it-right-channels-\d{8}-\d{8}\.csv"', response.headers["Content-Disposition"])
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["Channel"] for r in rows] == [c.label for c in Channel]
    phone = rows[2]
    assert (phone["Cases"], phone["Resolved at first contact (%)"], phone["Resolved at first contact"]) == \
        ("2", "50", "1")
    assert (phone["Talk time median (s)"], phone["Talk time p90 (s)"], phone["Talk times recorded"]) == \
        ("170.0", "230.0", "2")
    assert (phone["Hold time median (s)"], phone["Hold time p90 (s)"], phone["Hold times recorded"]) == \
        ("15.0", "27.0", "2")
    social = rows[5]
    assert (social["Cases"], social["Resolved at first contact (%)"], social["Talk time median (s)"]) == ("0", "", "")


def test_the_breakdown_and_trend_csvs_carry_the_new_figures(client, calls):
    sign_in(client, "priya@staff.example")
    rows = list(csv.DictReader(io.StringIO(
        client.get("/staff/metrics/breakdown.csv?period=30d&group=employee").get_data(as_text=True))))
    assert rows[0]["Employee"] == "Maria Lopez" and rows[0]["Resolved at first contact (%)"] == "33"
    assert rows[0]["Talk times recorded"] == "2" and rows[0]["Hold time p90 (s)"] == "27.0"
    trend = list(csv.DictReader(io.StringIO(
        client.get("/staff/metrics/trend.csv?period=30d").get_data(as_text=True))))
    assert sum(int(r["Talk times recorded"]) for r in trend) == 2


def test_an_agent_gets_no_channel_csv(client, calls):
    sign_in(client, "maria@staff.example")
    assert client.get("/staff/metrics/channels.csv?period=30d").status_code == 403


def test_the_migration_fills_the_flag_from_existing_timelines(db_url, calls, db_session):
    """Down to the schema before it (the flag's column gone) and up again: each row is filled from the timeline."""
    db_session.close()
    engine = make_engine(db_url)
    engine.dispose()
    before = ScriptDirectory.from_config(alembic_config(db_url)).get_revision("0025_contact_metrics").down_revision
    downgrade(db_url, before)
    with engine.begin() as conn:
        conn.execute(delete(CaseMilestones.__table__))  # rows that would have been there, forgotten
    upgrade(db_url)
    with engine.connect() as conn:
        flags = dict(conn.execute(select(CaseMilestones.case_id, CaseMilestones.resolved_at_first_contact)).all())
    engine.dispose()
    assert {case_id for case_id, flag in flags.items() if flag} == {calls["on_the_spot"].id}
    assert set(flags) == {calls[n].id for n in ("on_the_spot", "twice", "emailed")}


def test_the_monthly_report_carries_fcr_and_the_channels(client, calls, tmp_path):
    import subprocess

    sign_in(client, "priya@staff.example")
    response = client.get("/staff/metrics/report.pdf?month=2026-06")
    assert response.mimetype == "application/pdf"
    (tmp_path / "report.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Cases by channel" in text and "Resolved at first contact" in text
    assert re.search(r"33% of 3", text) and re.search(r"Phone call\s+2\s+50%\s+2\smin\s50\ss\s+15\ss", text)
