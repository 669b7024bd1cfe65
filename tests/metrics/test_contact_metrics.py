"""The figures that follow the channels: cases by channel, first-contact resolution (FCR) and a logged call's talk
and hold times, on a hand-built timeline with values worked out by hand, on random timelines against a plain
reading of each timeline, and on empty periods. Every test runs on SQLite and on PostgreSQL.

FCR, the shared definition: resolved, with no customer_reply before the first resolution and at most one public
staff reply before it ("before" includes the same instant). Decided here: a case reopened later is not counted as
resolved at first contact (the customer had to come back); a customer writing again after the resolution, without a
reopening, does not undo it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.cases.models import Case, CaseStatus, Channel, Event
from portal.cases.timeline import record
from portal.metrics.aggregates import by_channel, figures_by, whole
from portal.metrics.dashboard import Scope, build, drilldown
from portal.metrics.figures import by_channel as by_channel_in_python
from portal.metrics.figures import figures
from portal.metrics.milestone_sync import rebuild
from portal.metrics.milestones import case_rows, milestones
from portal.metrics.models import CaseMilestones
from portal.metrics.periods import Period
from portal.metrics.reports import seconds_words
from tests.factories import make_case, make_category, make_employee

PERIOD = Period(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC), "March 2026")
EMPTY = Period(datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC), "March 2025")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def resolve(session, case, at, by=None):
    record(session, case, "status", by=by, public=True, at=at, detail={"from": "acknowledged", "to": "resolved"})


@pytest.fixture
def contacts(session):
    """Ten cases in March 2026 (and one in February), their FCR, channels and call times worked out by hand."""
    category = make_category(session)
    agent = make_employee(session, team=category.team)

    def case(name, channel, filed, *, talk=None, hold=None):
        c = make_case(session, category=category, owner=agent)
        c.created_at, c.channel, c.talk_seconds, c.hold_seconds = filed, channel, talk, hold
        record(session, c, "filed", by_customer=True, public=True, at=filed)
        cases[name] = c
        return c

    cases: dict[str, Case] = {}
    # A call logged and put right on the spot: filing and resolution in the same instant. FCR.
    p1 = case("p1", Channel.phone, h(0), talk=300, hold=60)
    resolve(session, p1, h(0), by=agent)
    # A call answered once, then resolved. FCR; a hold time of 0 s is a time recorded.
    p2 = case("p2", Channel.phone, h(1), talk=120, hold=0)
    record(session, p2, "reply", by=agent, public=True, at=h(2))
    resolve(session, p2, h(3), by=agent)
    # An e-mail where the customer wrote again before the resolution: not FCR.
    e1 = case("e1", Channel.email, h(4))
    record(session, e1, "reply", by=agent, public=True, at=h(5))
    record(session, e1, "customer_reply", by_customer=True, public=True, at=h(6))
    resolve(session, e1, h(7), by=agent)
    # The customer's message in the very instant of the resolution counts as before it: not FCR.
    e2 = case("e2", Channel.email, h(8))
    record(session, e2, "customer_reply", by_customer=True, public=True, at=h(9))
    resolve(session, e2, h(9), by=agent)
    # Two public replies before the resolution: not FCR (notes and drafts are not replies).
    w1 = case("w1", Channel.web, h(10))
    record(session, w1, "reply", by=agent, public=True, at=h(11))
    record(session, w1, "note", by=agent, at=h(11.5))
    record(session, w1, "reply", by=agent, public=True, at=h(12))
    resolve(session, w1, h(13), by=agent)
    # Resolved by fulfilling the remedy after one reply, then reopened: not FCR (decided: the customer came back).
    w2 = case("w2", Channel.web, h(14))
    record(session, w2, "reply", by=agent, public=True, at=h(15))
    record(session, w2, "remedy_fulfilled", by=agent, public=True, at=h(16))
    record(session, w2, "reopened", by_customer=True, public=True, at=h(20), detail={"to": "reopened"})
    w2.status = CaseStatus.reopened
    # A social-media message with a note and a draft, one reply and the resolution: FCR.
    s1 = case("s1", Channel.social, h(21))
    record(session, s1, "note", by=agent, at=h(21.5))
    record(session, s1, "draft_reply", by=agent, at=h(22))
    record(session, s1, "reply", by=agent, public=True, at=h(23))
    resolve(session, s1, h(24), by=agent)
    # At the counter, put right there; the customer wrote a thank-you afterwards (no reopening): FCR.
    i1 = case("i1", Channel.in_person, h(25), talk=200)
    resolve(session, i1, h(25), by=agent)
    record(session, i1, "customer_reply", by_customer=True, public=True, at=h(30))
    # A letter still open; a negative talk time (nonsense) is not a recorded time.
    case("l1", Channel.letter, h(26), talk=-5)
    # A call with a hold time only, still open.
    case("p3", Channel.phone, h(27), hold=90)
    # Filed in February: outside the period.
    old = case("old", Channel.phone, datetime(2026, 2, 20, tzinfo=UTC), talk=999, hold=999)
    resolve(session, old, datetime(2026, 2, 20, 1, tzinfo=UTC), by=agent)
    session.flush()
    return cases


FCR_CASES = {"p1", "p2", "s1", "i1"}
RESOLVED = {"p1", "p2", "e1", "e2", "w1", "w2", "s1", "i1"}


def sql_figures(session, period=PERIOD):
    return figures_by(session, case_rows(period), [whole(period.end)])["whole"].get(0)


def test_first_contact_resolution_worked_out_by_hand(session, contacts):
    kept = {name: session.get(CaseMilestones, c.id).resolved_at_first_contact for name, c in contacts.items()
            if name != "l1" and name != "p3"}
    # The flag is the shared definition alone: w2 was resolved at first contact, then reopened.
    assert {n for n, flag in kept.items() if flag} == FCR_CASES | {"w2", "old"}
    f = sql_figures(session)
    assert f.cases == 10
    assert (f.first_contact_resolution.part, f.first_contact_resolution.whole) == (4, 8)
    assert f.first_contact_resolution.percent == 50
    assert f == figures(milestones(session, PERIOD), period_end=PERIOD.end)


def test_talk_and_hold_times_count_only_the_recorded_ones(session, contacts):
    f = sql_figures(session)
    # Talk: p1 300, p2 120, i1 200 (l1's -5 s and every case without one left out): 120, 200, 300.
    assert (f.talk_time.count, f.talk_time.median, f.talk_time.p90) == (3, 200, pytest.approx(280))
    assert f.talk_time.mean == pytest.approx(620 / 3)
    # Hold: p1 60, p2 0, p3 90: 0, 60, 90; the 90th percentile lies 80% of the way from 60 to 90.
    assert (f.hold_time.count, f.hold_time.median, f.hold_time.p90) == (3, 60, pytest.approx(84))


def test_cases_by_channel_with_their_own_figures(session, contacts):
    channels = by_channel(session, case_rows(PERIOD))
    assert channels == by_channel_in_python(milestones(session, PERIOD))
    assert {c: f.cases for c, f in channels.items()} == {
        Channel.phone: 3, Channel.email: 2, Channel.web: 2, Channel.social: 1, Channel.in_person: 1,
        Channel.letter: 1}
    phone = channels[Channel.phone]
    assert (phone.first_contact_resolution.part, phone.first_contact_resolution.whole) == (2, 2)
    assert (phone.talk_time.count, phone.talk_time.median) == (2, 210)
    assert (phone.hold_time.count, phone.hold_time.median) == (3, 60)
    assert channels[Channel.email].first_contact_resolution.percent == 0
    assert channels[Channel.letter].first_contact_resolution.percent is None  # nothing resolved yet
    assert by_channel(session, case_rows(EMPTY)) == {}


def test_the_dashboard_lists_every_channel_in_order_and_narrows_with_the_team(session, contacts):
    data = build(session, PERIOD, Scope(None), now=PERIOD.end, zone=UTC)
    assert [row.channel for row in data.channels] == list(Channel)
    assert [row.figures.cases for row in data.channels] == [2, 2, 3, 1, 1, 1]
    assert data.headline.first_contact_resolution.percent == 50
    other_team = build(session, PERIOD, Scope(()), now=PERIOD.end, zone=UTC)
    assert [row.figures.cases for row in other_team.channels] == [0] * 6
    assert other_team.headline.talk_time.count == 0 and other_team.headline.talk_time.median is None


def test_an_empty_period_divides_by_nothing(session, contacts):
    assert sql_figures(session, EMPTY) is None
    data = build(session, EMPTY, Scope(None), now=PERIOD.end, zone=UTC)
    f = data.headline
    assert f.cases == 0 and f.first_contact_resolution.percent is None
    assert (f.talk_time.count, f.talk_time.median, f.talk_time.p90, f.talk_time.mean) == (0, None, None, None)
    assert (f.hold_time.count, f.hold_time.median) == (0, None)
    assert all(row.figures.cases == 0 for row in data.channels)


def test_each_new_drill_down_lists_exactly_the_cases_its_figure_counts(session, contacts):
    f = sql_figures(session)

    def listed(figure: str) -> set[str]:
        page = drilldown(session, PERIOD, Scope(None), figure, as_of=PERIOD.end, per_page=50)
        assert page.total == len(page.items)
        return {r.reference for r in page.items}

    names = {c.reference: n for n, c in contacts.items()}
    assert {names[r] for r in listed("first_contact")} == FCR_CASES
    assert {names[r] for r in listed("not_first_contact")} == RESOLVED - FCR_CASES
    assert len(listed("first_contact")) == f.first_contact_resolution.part
    assert {names[r] for r in listed("talk_recorded")} == {"p1", "p2", "i1"}
    assert {names[r] for r in listed("hold_recorded")} == {"p1", "p2", "p3"}
    assert {names[r] for r in listed("channel_phone")} == {"p1", "p2", "p3"}
    assert {names[r] for r in listed("channel_letter")} == {"l1"}


# Random timelines: the flag kept in the milestones row, event after event, against a plain reading of the timeline.

@dataclass(frozen=True)
class Seen:
    kind: str
    at: datetime
    public: bool
    to: str | None


def fcr_by_reading(events: list[Seen]) -> bool:
    """The shared definition, read straight off a case's events."""
    resolutions = [e.at for e in events
                   if e.kind == "remedy_fulfilled" or (e.kind == "status" and e.to == "resolved")]
    if not resolutions:
        return False
    first = min(resolutions)
    if any(e.kind == "customer_reply" and e.at <= first for e in events):
        return False
    return sum(1 for e in events if e.kind == "reply" and e.public and e.at <= first) <= 1


def read_timelines(session) -> dict[int, bool]:
    events: dict[int, list[Seen]] = {}
    for e in session.scalars(select(Event).order_by(Event.id)):
        events.setdefault(e.case_id, []).append(Seen(e.kind, e.at, e.public, (e.detail or {}).get("to")))
    return {case_id: fcr_by_reading(seen) for case_id, seen in events.items()}


def kept_flags(session) -> dict[int, bool]:
    """Every case's flag as its milestones row keeps it (a case whose timeline holds no milestone has no row)."""
    session.expire_all()
    rows = dict(session.execute(select(CaseMilestones.case_id, CaseMilestones.resolved_at_first_contact)).all())
    return {case_id: bool(rows.get(case_id, False)) for case_id in session.scalars(select(Case.id))}


STEPS = ["reply", "reply", "private_reply", "customer_reply", "note", "draft_reply", "resolve", "fulfil",
         "reopen", "reopened", "acknowledge", "rated"]


def _step(session, rng: random.Random, case: Case, agent, at: datetime) -> None:
    step = rng.choice(STEPS)
    if step in ("reply", "private_reply"):
        record(session, case, "reply", by=agent, public=step == "reply", at=at)
    elif step == "customer_reply":
        record(session, case, "customer_reply", by_customer=True, public=True, at=at)
    elif step in ("note", "draft_reply"):
        record(session, case, step, by=agent, at=at)
    elif step == "resolve":
        resolve(session, case, at, by=agent)
    elif step == "fulfil":
        record(session, case, "remedy_fulfilled", by=agent, public=True, at=at)
    elif step == "reopen":
        record(session, case, "status", by=agent, public=True, at=at, detail={"to": "reopened"})
    elif step == "acknowledge":
        record(session, case, "status", by=agent, public=True, at=at, detail={"to": "acknowledged"})
    elif step == "rated":
        record(session, case, "rated", by_customer=True, public=True, at=at, detail={"score": rng.randint(1, 5)})
    else:
        record(session, case, "reopened", by_customer=True, public=True, at=at, detail={"to": "reopened"})


@pytest.mark.parametrize("seed", [1, 17])
def test_the_kept_flag_follows_every_event_of_random_timelines(session, seed):
    rng = random.Random(seed)
    category = make_category(session)
    agent = make_employee(session, team=category.team)
    cases = []
    for _ in range(25):
        case = make_case(session, category=category, owner=agent)
        case.created_at = PERIOD.start + timedelta(hours=rng.randrange(600))
        case.channel = rng.choice(list(Channel))
        case.talk_seconds, case.hold_seconds = (rng.choice([None, -1, 0, rng.randint(1, 900)]) for _ in "th")
        record(session, case, "filed", by_customer=True, public=True, at=case.created_at)
        cases.append(case)
    session.flush()
    clock = {c.id: c.created_at for c in cases}
    for n in range(300):
        case = rng.choice(cases)
        # Often the same instant as the event before (a resolution on the spot, a reply in the same second).
        clock[case.id] += timedelta(minutes=rng.choice([0, 0, 1, 30, 600]))
        _step(session, rng, case, agent, clock[case.id])
        if n % rng.choice([1, 3, 7]) == 0:
            session.flush()
            assert kept_flags(session) == read_timelines(session)
    session.flush()
    kept = kept_flags(session)
    assert kept == read_timelines(session)
    assert 0 < sum(kept.values()) < len(kept)  # both answers occur
    rebuild(session)
    assert kept_flags(session) == kept
    # And the figure: those flagged, resolved and never reopened, over those resolved.
    rows = milestones(session, PERIOD)
    f = sql_figures(session)
    assert f == figures(rows, period_end=PERIOD.end)
    assert f.first_contact_resolution.part == sum(
        1 for r in rows if r.resolved_at and r.resolved_at_first_contact and not r.reopens)
    assert by_channel(session, case_rows(PERIOD)) == by_channel_in_python(rows)


def test_call_times_read_as_people_say_them():
    assert [seconds_words(v) for v in (None, 0, 12, 45.5, 59.6, 61, 122.5, 3600, 3725)] == [
        "–", "0\u00a0s", "12\u00a0s", "45.5\u00a0s", "1\u00a0min", "1\u00a0min 1\u00a0s", "2\u00a0min 2\u00a0s",
        "1\u00a0h", "1\u00a0h 2\u00a0min"]
