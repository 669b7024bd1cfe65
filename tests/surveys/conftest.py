from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from portal.auth.models import Role
from portal.surveys import building
from portal.surveys.groups import add_member, create_group
from portal.surveys.models import QuestionKind
from tests.factories import make_employee

SECRET = "test-secret-key-that-is-long-enough"


def fill(survey, values: dict) -> MultiDict:
    """Form fields by question prompt keyword: travel, hardest, ease, parking, option, rank, comments."""
    first, second = survey.sections[:2]
    names = dict(zip(["travel", "hardest", "ease"], first.questions, strict=True)) | dict(
        zip(["parking", "option", "rank", "comments"], second.questions, strict=True))
    form = MultiDict()
    for key, value in values.items():
        question = names[key]
        if key == "rank":
            for index, rank in enumerate(value):
                form.add(f"q{question.id}-{index}", str(rank))
        else:
            for item in value if isinstance(value, list) else [value]:
                form.add(f"q{question.id}", item)
    return form


def link(token: str) -> str:
    return f"http://portal.example/s/i/{token}"


@pytest.fixture
def manager(session):
    return make_employee(session, role=Role.manager)


@pytest.fixture
def group(session, manager):
    group = create_group(session, name="North Stand 2026", description="", by=manager)
    for name, email, since in [("Olivia Taylor", "olivia@fans.example", date(2010, 8, 1)),
                               ("James Smith", "james@fans.example", date(2025, 7, 15)),
                               ("Ravi Patel", "ravi@fans.example", None)]:
        add_member(session, group, name=name, email=email, membership_number="", member_since=since)
    session.flush()
    return group


@pytest.fixture
def survey(session, manager, group):
    """Page 1: travel (single), hardest (multiple, 1–2), ease (rating 0–10); page 2: parking (text, shown only
    to those who travel by car), option (alternatives), ranking (3 options), comments (optional long text)."""
    survey = building.create_survey(session, title="Match-day travel", briefing="## Goals\nFewer queues.",
                                    group=group, by=manager)
    first = survey.sections[0]
    second = building.add_section(session, survey, title="Your guidance")
    spec = building.QuestionSpec
    opts = building.parse_options
    building.add_question(session, survey, first, spec(QuestionKind.single, "How do you travel?",
                                                       options=opts("Car\nTrain\nBus")))
    building.add_question(session, survey, first, spec(QuestionKind.multiple, "What is hardest?",
                                                       options=opts("Queues\nParking\nSigns"), min_choices=1,
                                                       max_choices=2))
    building.add_question(session, survey, first, spec(QuestionKind.rating, "How easy is it?", scale_max=10,
                                                       low_label="Very hard", high_label="Very easy"))
    session.flush()
    travel = first.questions[0]
    building.add_question(session, survey, second, spec(QuestionKind.text, "What would park and ride need?",
                                                        show_if_question_id=travel.id, show_if_option=0))
    building.add_question(session, survey, second, spec(
        QuestionKind.alternatives, "Which should we fund?",
        options=opts("Turnstiles | Four more at the north gate\nPark and ride | 900 spaces at Riverside")))
    building.add_question(session, survey, second, spec(QuestionKind.ranking, "Rank these",
                                                        options=opts("Signs\nBikes\nTexts")))
    building.add_question(session, survey, second, spec(QuestionKind.text, "Anything else?", required=False,
                                                        long_text=True))
    session.flush()
    return survey


@pytest.fixture(autouse=True)
def mail_settings():
    from portal.mail.outbox import configure
    from portal.mail.rendering import MailSettings

    configure(MailSettings("Riverside Rovers FC", "http://portal.example", "care@portal.example", secret_key=SECRET))
