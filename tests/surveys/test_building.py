from datetime import UTC, datetime

import pytest

from portal.surveys import answering, building
from portal.surveys.models import Question, QuestionKind, SurveyStatus

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
spec = building.QuestionSpec


def test_options_need_two_to_twelve_different_labels(session, survey):
    page = survey.sections[0]
    with pytest.raises(building.SurveyRefused, match="Give between 2 and 12 options, one per line; there are 1"):
        building.add_question(session, survey, page, spec(QuestionKind.single, "Pick", options=[
            {"label": "Only", "description": ""}]))
    with pytest.raises(building.SurveyRefused, match="different label"):
        building.add_question(session, survey, page, spec(QuestionKind.single, "Pick",
                                                          options=building.parse_options("Car\ncar")))


def test_alternatives_each_need_a_description(session, survey):
    with pytest.raises(building.SurveyRefused, match="Describe each alternative"):
        building.add_question(session, survey, survey.sections[0], spec(
            QuestionKind.alternatives, "Which?", options=building.parse_options("A | does a\nB")))


def test_least_and_most_choices_must_fit_the_options(session, survey):
    page = survey.sections[0]
    options = building.parse_options("A\nB\nC")
    with pytest.raises(building.SurveyRefused, match="between 1 and 3"):
        building.add_question(session, survey, page, spec(QuestionKind.multiple, "Which?", options=options,
                                                          max_choices=4))
    with pytest.raises(building.SurveyRefused, match="cannot be more than the most"):
        building.add_question(session, survey, page, spec(QuestionKind.multiple, "Which?", options=options,
                                                          min_choices=3, max_choices=2))


def test_a_rating_scale_is_one_to_five_or_zero_to_ten(session, survey):
    question = building.add_question(session, survey, survey.sections[0], spec(QuestionKind.rating, "Rate",
                                                                               scale_max=10))
    assert (question.scale_min, question.scale_max) == (0, 10)
    with pytest.raises(building.SurveyRefused, match="1 to 5 or 0 to 10"):
        building.add_question(session, survey, survey.sections[0], spec(QuestionKind.rating, "Rate", scale_max=7))


def test_show_if_can_only_depend_on_a_choice_question_on_an_earlier_page(session, survey):
    first, second = survey.sections
    travel, _hardest, ease = first.questions
    with pytest.raises(building.SurveyRefused, match="earlier page"):
        building.add_question(session, survey, first, spec(QuestionKind.text, "Why?",
                                                           show_if_question_id=travel.id, show_if_option=0))
    with pytest.raises(building.SurveyRefused, match="choice question"):
        building.add_question(session, survey, second, spec(QuestionKind.text, "Why?",
                                                            show_if_question_id=ease.id, show_if_option=0))
    with pytest.raises(building.SurveyRefused, match="Choose which answer"):
        building.add_question(session, survey, second, spec(QuestionKind.text, "Why?",
                                                            show_if_question_id=travel.id, show_if_option=5))


def test_questions_cannot_change_once_anyone_has_answered(session, survey):
    building.open_survey(survey, NOW)
    session.flush()
    question = survey.questions[0]
    building.update_question(session, survey, question, spec(QuestionKind.single, "How do you get here?",
                                                             options=building.parse_options("Car\nTrain")))
    answering.start(session, survey, browser_key="one-browser")
    session.flush()
    message = "already answered this survey, so its questions can no longer change. Duplicate the survey"
    with pytest.raises(building.SurveyRefused, match=message):
        building.update_question(session, survey, question, spec(QuestionKind.single, "Changed",
                                                                 options=building.parse_options("A\nB")))
    with pytest.raises(building.SurveyRefused, match=message):
        building.delete_question(session, survey, survey.questions[-1])
    with pytest.raises(building.SurveyRefused, match=message):
        building.add_section(session, survey, title="More")


def test_a_duplicate_is_a_draft_with_the_same_questions_and_its_own_show_if(session, survey, manager):
    building.open_survey(survey, NOW)
    copy = building.duplicate(session, survey, manager)
    session.flush()
    assert copy.status is SurveyStatus.draft and copy.title == "Match-day travel (copy)"
    assert [q.prompt for q in copy.questions] == [q.prompt for q in survey.questions]
    dependant = next(q for q in copy.questions if q.show_if_question_id)
    assert dependant.show_if_question in copy.questions
    assert session.get(Question, dependant.show_if_question_id).prompt == "How do you travel?"


def test_a_survey_opens_only_with_questions_and_closes_only_when_open(session, manager, group):
    empty = building.create_survey(session, title="Empty", briefing="", group=group, by=manager)
    with pytest.raises(building.SurveyRefused, match="Add at least one question"):
        building.open_survey(empty, NOW)
    with pytest.raises(building.SurveyRefused, match="Only an open survey"):
        building.close_survey(empty, NOW)


def test_a_question_that_others_depend_on_cannot_be_deleted(session, survey):
    with pytest.raises(building.SurveyRefused, match="depends on this question"):
        building.delete_question(session, survey, survey.questions[0])
    building.delete_question(session, survey, survey.questions[-1])
    session.flush()
    assert [q.position for q in survey.sections[1].questions] == [1, 2, 3]


def test_a_question_others_depend_on_stays_earlier_and_keeps_its_options(session, survey):
    first, second = survey.sections
    travel = first.questions[0]
    same = spec(QuestionKind.single, "How do you travel?", options=building.parse_options("Car\nTrain"))
    with pytest.raises(building.SurveyRefused, match="must stay on an earlier page"):
        building.update_question(session, survey, travel, same, second)
    building.update_question(session, survey, travel, same)  # on its own page it may change
    travel_spec = spec(QuestionKind.text, "How do you travel?")
    with pytest.raises(building.SurveyRefused, match="depends on an answer to this question"):
        building.update_question(session, survey, travel, travel_spec)
