"""How long a survey's results page takes with 5,000 responses to 20 questions (target: under 300 ms).

Builds the survey on a database of its own (SQLite by default, or a PostgreSQL server URL given), then times
the results page through the app (median of warm requests) and the figures alone.

    python -m bench.survey_bench [--responses 5000] [--database-url postgresql+psycopg://…/postgres]"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

TARGET_MS = 300.0
_TEXT = """queue gate north parking train late steward signs bus ticket scanner family stand kiosk food price
coach cycle safe entry exit crowd match early home away"""
WORDS = _TEXT.split()


def _build(session: Session, responses: int, rng: random.Random) -> int:
    from portal.auth.models import Employee, Role
    from portal.surveys import building
    from portal.surveys.models import (
        Answer,
        FocusGroup,
        Invitation,
        Member,
        QuestionKind,
        Response,
        SurveyStatus,
    )
    from portal.surveys.models import Response as ResponseModel

    manager = Employee(name="Bench Manager", email="bench-manager@staff.example", role=Role.manager,
                       password_hash=_password_hash())
    group = FocusGroup(name="Bench group", created_by=manager)
    session.add_all([manager, group])
    session.flush()
    survey = building.create_survey(session, title="Bench survey", briefing="## Goals\nBench.", group=group,
                                    by=manager)
    session.flush()
    pages = [survey.sections[0]] + [building.add_section(session, survey, title=f"Page {n}") for n in (2, 3, 4)]
    kinds = [QuestionKind.rating, QuestionKind.single, QuestionKind.multiple, QuestionKind.ranking,
             QuestionKind.text, QuestionKind.alternatives] * 4
    options = building.parse_options("Option A | about A\nOption B | about B\nOption C | about C\nOption D | about D")
    for index, kind in enumerate(kinds[:20]):
        building.add_question(session, survey, pages[index // 5], building.QuestionSpec(
            kind, f"Question {index + 1}", options=options, scale_max=10 if index % 2 else 5, long_text=True))
    building.open_survey(survey, survey.created_at)
    session.flush()
    questions = survey.questions

    today = date.today()
    session.execute(insert(Member), [
        {"group_id": group.id, "email": f"m{n}@fans.example", "name": f"Member {n}", "membership_number": "",
         "member_since": today - timedelta(days=rng.randint(0, 6000))} for n in range(responses)])
    member_ids = session.scalars(select(Member.id).where(Member.group_id == group.id).order_by(Member.id)).all()
    session.execute(insert(Invitation), [
        {"survey_id": survey.id, "member_id": mid, "nonce": f"{mid:032d}", "token_hash": f"{mid:064d}"}
        for mid in member_ids])
    invitation_ids = session.scalars(select(Invitation.id).where(Invitation.survey_id == survey.id)
                                     .order_by(Invitation.id)).all()
    now = survey.created_at
    session.execute(insert(ResponseModel), [
        {"survey_id": survey.id, "invitation_id": iid, "anonymous": False, "last_page": 4,
         "submitted_at": now} for iid in invitation_ids])
    response_ids = session.scalars(select(Response.id).where(Response.survey_id == survey.id)).all()
    rows = []
    for rid in response_ids:
        for q in questions:
            if q.kind is QuestionKind.rating:
                rows.append({"response_id": rid, "question_id": q.id, "number": rng.randint(q.scale_min,
                                                                                           q.scale_max)})
            elif q.kind in (QuestionKind.single, QuestionKind.alternatives):
                rows.append({"response_id": rid, "question_id": q.id, "choice": rng.randrange(4)})
            elif q.kind is QuestionKind.multiple:
                rows += [{"response_id": rid, "question_id": q.id, "choice": c}
                         for c in sorted(rng.sample(range(4), rng.randint(1, 3)))]
            elif q.kind is QuestionKind.ranking:
                order = rng.sample(range(4), 4)
                rows += [{"response_id": rid, "question_id": q.id, "choice": c, "rank": order.index(c) + 1}
                         for c in range(4)]
            elif rng.random() < 0.7:
                rows.append({"response_id": rid, "question_id": q.id,
                             "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))})
    session.execute(insert(Answer), rows)
    survey.status = SurveyStatus.open
    session.commit()
    return survey.id


def _password_hash() -> str:
    from portal.auth.passwords import hash_password

    return hash_password("bench-password-2026")


def measure_survey_results(responses: int = 5000, database_url: str = "", runs: int = 7) -> dict:
    from bench.run import prepare_database
    from portal.app import create_app
    from portal.db import make_engine
    from portal.migrate import upgrade
    from portal.surveys.models import Survey
    from portal.surveys.results import summarise

    workdir = Path(tempfile.mkdtemp(prefix="mir-survey-bench-"))
    url, drop = prepare_database(database_url or None, workdir)
    try:
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        with Session(engine) as session:
            survey_id = _build(session, responses, random.Random(2026))
            build_s = time.perf_counter() - started
            survey = session.get(Survey, survey_id)
            timings = []
            for _ in range(runs):
                t = time.perf_counter()
                summarise(session, survey, today=date.today())
                timings.append((time.perf_counter() - t) * 1000)
        engine.dispose()
        app = create_app({"PORTAL_ENV": "test", "SECRET_KEY": "bench-survey-secret-long-enough", "DATABASE_URL": url,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                          "OUTBOX_DIR": str(workdir / "outbox"), "UPLOAD_DIR": str(workdir / "uploads")})
        client = app.test_client()
        client.post("/staff/sign-in", data={"email": "bench-manager@staff.example",
                                            "password": "bench-password-2026"})
        pages = []
        for _ in range(runs + 1):
            t = time.perf_counter()
            response = client.get(f"/staff/surveys/{survey_id}/results")
            pages.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
        page_ms = statistics.median(pages[1:])  # the first request warms templates and caches
        return {"responses": responses, "questions": 20, "database": url.split(":", 1)[0],
                "build_s": round(build_s, 1), "figures_median_ms": round(statistics.median(timings), 1),
                "page_median_ms": round(page_ms, 1), "target_ms": TARGET_MS, "met": page_ms < TARGET_MS}
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    print(measure_survey_results(args.responses, args.database_url))


if __name__ == "__main__":
    main()
