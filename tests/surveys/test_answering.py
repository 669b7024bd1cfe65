from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from portal.surveys import answering, building, invitations
from portal.surveys.models import Answer, QuestionKind, Response
from tests.surveys.conftest import SECRET, fill, link

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def invited(session, survey):
    building.open_survey(survey, NOW)
    invitations.invite_group(session, survey, link, SECRET)
    session.flush()
    return survey


def _invitation(session, survey, email="olivia@fans.example"):
    from portal.surveys.models import Invitation, Member
    return session.scalar(select(Invitation).join(Member).where(Invitation.survey_id == survey.id,
                                                                 Member.email == email))


def page_one(**overrides) -> MultiDict:
    return MultiDict({"travel": "0", "hardest": ["0", "2"], "ease": "7", **overrides})





def test_one_response_per_invitation_however_often_it_is_opened(session, invited):
    invitation = _invitation(session, invited)
    first = answering.start(session, invited, invitation=invitation)
    session.flush()
    assert answering.start(session, invited, invitation=invitation) is first
    session.add(Response(survey_id=invited.id, invitation_id=invitation.id))
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_page_keeps_the_valid_answers_when_another_is_wrong(session, invited):
    response = answering.start(session, invited, invitation=_invitation(session, invited))
    page = invited.sections[0]
    result = answering.save_page(invited, response, page, fill(invited, {
        "travel": "0", "hardest": ["0", "1", "2"], "ease": "7"}), now=NOW, finishing=True)
    session.flush()
    assert list(result.errors.values()) == ["Choose no more than 2 for “What is hardest?”; you chose 3."]
    saved = {(a.question_id, a.choice, a.number) for a in response.answers}
    assert saved == {(page.questions[0].id, 0, None), (page.questions[2].id, None, 7)}
    assert response.last_page == 0  # not yet through the page


def test_save_for_later_skips_required_checks_but_continue_does_not(session, invited):
    response = answering.start(session, invited, invitation=_invitation(session, invited))
    page = invited.sections[0]
    assert answering.save_page(invited, response, page, fill(invited, {"ease": "3"}), now=NOW,
                               finishing=False).ok
    result = answering.save_page(invited, response, page, fill(invited, {"ease": "3"}), now=NOW, finishing=True)
    assert sorted(result.errors.values()) == ["Choose an answer for “How do you travel?”.",
                                              "Choose at least 1 for “What is hardest?”."]


def test_show_if_hides_a_question_and_drops_its_answer_when_the_earlier_answer_changes(session, invited):
    response = answering.start(session, invited, invitation=_invitation(session, invited))
    first, second = invited.sections
    parking = second.questions[0]
    answering.save_page(invited, response, first, fill(invited, {"travel": "0", "hardest": "0", "ease": "5"}),
                        now=NOW, finishing=True)
    assert parking in answering.visible_questions(second, response)
    answering.save_page(invited, response, second, fill(invited, {
        "parking": "Buses every 10 minutes", "option": "1", "rank": [1, 2, 3]}), now=NOW, finishing=True)
    assert any(a.question_id == parking.id for a in response.answers)
    answering.save_page(invited, response, first, fill(invited, {"travel": "1", "hardest": "0", "ease": "5"}),
                        now=NOW, finishing=True)
    assert parking not in answering.visible_questions(second, response)
    assert not any(a.question_id == parking.id for a in response.answers)


def test_submit_sends_back_to_the_first_page_with_a_required_answer_missing(session, invited):
    response = answering.start(session, invited, invitation=_invitation(session, invited))
    first, second = invited.sections
    answering.save_page(invited, response, first, fill(invited, {"travel": "1", "hardest": "0", "ease": "5"}),
                        now=NOW, finishing=True)
    section, message = answering.submit(invited, response, now=NOW)
    assert section is second and message == "Choose an answer for “Which should we fund?”."
    assert response.submitted_at is None
    answering.save_page(invited, response, second, fill(invited, {"option": "0", "rank": [3, 1, 2]}), now=NOW,
                        finishing=True)
    assert answering.submit(invited, response, now=NOW) is None  # parking is hidden: not travelling by car
    assert response.submitted_at == NOW


def test_answers_can_change_until_the_survey_closes_and_not_after(session, invited):
    response = answering.start(session, invited, invitation=_invitation(session, invited))
    first, second = invited.sections
    answering.save_page(invited, response, first, fill(invited, {"travel": "1", "hardest": "0", "ease": "5"}),
                        now=NOW, finishing=True)
    answering.save_page(invited, response, second, fill(invited, {"option": "0", "rank": [3, 1, 2]}), now=NOW,
                        finishing=True)
    answering.submit(invited, response, now=NOW)
    later = NOW + timedelta(days=1)
    answering.save_page(invited, response, first, fill(invited, {"travel": "1", "hardest": "0", "ease": "9"}),
                        now=later, finishing=True)
    assert answering.submit(invited, response, now=later) is None
    session.flush()
    assert response.submitted_at == NOW and response.updated_at == later
    assert session.scalar(select(Answer.number).where(Answer.response_id == response.id,
                                                      Answer.number.is_not(None))) == 9
    building.close_survey(invited, later)
    with pytest.raises(answering.AnswerRefused, match="This survey closed on 21 November 2026"):
        answering.save_page(invited, response, first, fill(invited, {"ease": "2"}), now=later, finishing=True)
    with pytest.raises(answering.AnswerRefused, match="closed"):
        answering.submit(invited, response, now=later)
    with pytest.raises(answering.AnswerRefused, match="closed"):
        answering.start(session, invited, browser_key="new-browser")


def test_the_public_link_gives_one_response_per_browser_marked_anonymous(session, invited):
    one = answering.start(session, invited, browser_key="browser-one")
    session.flush()
    assert answering.start(session, invited, browser_key="browser-one") is one
    other = answering.start(session, invited, browser_key="browser-two")
    session.flush()
    assert other is not one and one.anonymous and other.anonymous and one.invitation_id is None
    assert session.scalar(select(func.count()).select_from(Response)) == 2
    assert one.browser_key_hash != "browser-one"  # only the hash is kept


def test_questions_are_numbered_as_the_respondent_sees_them(session, invited):
    response = answering.start(session, invited, invitation=_invitation(session, invited))
    first, second = invited.sections
    answering.save_page(invited, response, first, fill(invited, {"travel": "1", "hardest": "0", "ease": "5"}),
                        now=NOW, finishing=True)
    numbers = answering.numbers(invited, response)
    assert [numbers.get(q.id) for q in second.questions] == [None, 4, 5, 6]  # parking is hidden: no gap
    assert len(answering.numbers(invited, response, everything=True)) == 7


def test_pages_with_nothing_to_show_are_skipped_and_a_return_resumes_after_the_last_page_gone_through(
        session, survey):
    travel = survey.sections[0].questions[0]
    third = building.add_section(session, survey, title="Driving")
    building.add_question(session, survey, third, building.QuestionSpec(
        QuestionKind.text, "Where do you park?", show_if_question_id=travel.id, show_if_option=0))
    session.flush()
    building.open_survey(survey, NOW)
    response = answering.start(session, survey, browser_key="browser")
    assert answering.resume_page(survey, response) == 1
    answering.save_page(survey, response, survey.sections[0], fill(survey, {"travel": "1", "hardest": "0",
                                                                            "ease": "5"}), now=NOW, finishing=True)
    assert answering.resume_page(survey, response) == 2
    assert answering.next_page(survey, response, 2, 1) is None  # page 3 only asks drivers
    assert answering.next_page(survey, response, 2, -1) == 1
    answering.save_page(survey, response, survey.sections[0], fill(survey, {"travel": "0", "hardest": "0",
                                                                            "ease": "5"}), now=NOW, finishing=True)
    assert answering.next_page(survey, response, 2, 1) == 3


def test_a_closed_survey_gives_its_closing_day_in_the_organisations_time_zone():
    from datetime import UTC, datetime

    from portal.surveys.models import Survey, SurveyStatus

    survey = Survey(title="x", status=SurveyStatus.closed, closed_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    with pytest.raises(answering.AnswerRefused, match="This survey closed on 1 July 2026,"):
        answering.ensure_taking_answers(survey, "Europe/London")
