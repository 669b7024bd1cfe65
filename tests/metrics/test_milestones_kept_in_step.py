"""Each case's milestones row, kept as the timeline grows, always equals what the timeline says."""

import random
from datetime import timedelta

from sqlalchemy import select

from portal.cases.models import Case
from portal.cases.timeline import record
from portal.metrics.milestone_sync import COLUMNS, rebuild
from portal.metrics.milestones import _aware, from_timeline
from portal.metrics.models import CaseMilestones
from tests.factories import make_case
from tests.metrics.test_aggregates import _random_timelines
from tests.metrics.test_figures import PERIOD


def kept(session) -> dict[int, tuple]:
    rows = session.execute(select(*(getattr(CaseMilestones, c) for c in COLUMNS))).all()
    return {row[0]: _normal(row) for row in rows}


def recomputed(session) -> dict[int, tuple]:
    return {row[0]: _normal(row) for row in session.execute(from_timeline()).all()}


def _normal(row) -> tuple:
    return tuple(_aware(v) if isinstance(v, str) or hasattr(v, "tzinfo") else v for v in row)


def test_rows_follow_the_timeline_through_many_flushes(session):
    rng = random.Random(11)
    _random_timelines(session, rng, PERIOD)
    assert kept(session) == recomputed(session) and len(kept(session)) == 60
    # Later events on existing cases, flushed one by one: a second rating, a reopening, a handoff.
    cases = session.scalars(select(Case).order_by(Case.id)).all()
    for case in rng.sample(cases, 15):
        at = case.created_at + timedelta(days=3)
        record(session, case, rng.choice(["rated", "reopened", "handoff", "reply"]), at=at,
               detail={"score": rng.randint(1, 5), "to": "reopened"})
        session.flush()
    assert kept(session) == recomputed(session)


def test_the_latest_rating_and_a_new_case_show_at_once(session):
    case = make_case(session)
    record(session, case, "filed", by_customer=True)
    record(session, case, "rated", by_customer=True, detail={"score": 2})
    session.flush()
    assert session.get(CaseMilestones, case.id).rating == 2
    record(session, case, "rated", by_customer=True, detail={"score": 5})
    session.flush()
    session.expire_all()
    assert session.get(CaseMilestones, case.id).rating == 5


def test_rebuild_gives_the_same_rows(session):
    _random_timelines(session, random.Random(5), PERIOD)
    before = kept(session)
    rebuild(session)
    assert kept(session) == before
