"""What each question kind accepts and refuses (no database: questions are built in memory)."""

import pytest
from werkzeug.datastructures import MultiDict

from portal.surveys.models import Answer, Question, QuestionKind
from portal.surveys.questions import describe, form_values, read, shown


def question(kind: QuestionKind, **values) -> Question:
    options = values.pop("options", ["Car", "Train", "Coach", "Bus"])
    return Question(id=7, kind=kind, prompt="Your answer", required=values.pop("required", True),
                    options=[{"label": o, "description": ""} for o in options],
                    **{"scale_min": 1, "scale_max": 5, "long_text": False, **values})


def submitted(**fields) -> MultiDict:
    return MultiDict([(k.replace("_", "-"), v) for k, vs in fields.items()
                      for v in (vs if isinstance(vs, list) else [vs])])


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_a_required_question_left_empty_says_what_to_do(kind):
    reading = read(question(kind), MultiDict(), required=True)
    assert reading.values == () and reading.error and "Your answer" in reading.error


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_empty_is_fine_for_an_optional_question_or_when_saving_for_later(kind):
    assert read(question(kind, required=False), MultiDict(), required=True).error is None
    assert read(question(kind), MultiDict(), required=False).error is None


def test_a_rating_must_be_on_the_scale():
    zero_to_ten = question(QuestionKind.rating, scale_min=0, scale_max=10)
    assert read(zero_to_ten, submitted(q7="0"), required=True).values[0].number == 0
    assert read(zero_to_ten, submitted(q7="10"), required=True).values[0].number == 10
    assert read(zero_to_ten, submitted(q7="11"), required=True).error == \
        "Choose a number from 0 to 10 for “Your answer”."
    assert read(question(QuestionKind.rating), submitted(q7="0"), required=True).error
    assert read(question(QuestionKind.rating), submitted(q7="three"), required=True).error


def test_a_single_choice_must_be_one_of_the_options():
    assert read(question(QuestionKind.single), submitted(q7="2"), required=True).values[0].choice == 2
    assert read(question(QuestionKind.single), submitted(q7="4"), required=True).error == \
        "Choose one of the options for “Your answer”."


def test_multiple_choice_keeps_to_its_least_and_most():
    q = question(QuestionKind.multiple, min_choices=2, max_choices=3)
    assert read(q, submitted(q7=["1"]), required=True).error == \
        "Choose at least 2 for “Your answer”; you chose 1."
    assert read(q, submitted(q7=["0", "1", "2", "3"]), required=True).error == \
        "Choose no more than 3 for “Your answer”; you chose 4."
    assert [v.choice for v in read(q, submitted(q7=["3", "0"]), required=True).values] == [0, 3]
    assert read(q, submitted(q7=["0", "9"]), required=True).error  # not an option


def test_a_ranking_must_rank_every_option_once():
    q = question(QuestionKind.ranking, options=["Signs", "Bikes", "Texts"])
    assert read(q, submitted(q7_0="1", q7_1="2"), required=True).error == \
        "Give every option a rank in “Your answer”."
    assert read(q, submitted(q7_0="1", q7_1="1", q7_2="2"), required=True).error == \
        "Give each option a different rank in “Your answer”; each of 1 to 3 once."
    assert read(q, submitted(q7_0="1", q7_1="2", q7_2="4"), required=True).error == \
        "Use the ranks 1 to 3 in “Your answer”."
    values = read(q, submitted(q7_0="3", q7_1="1", q7_2="2"), required=True).values
    assert [(v.choice, v.rank) for v in values] == [(0, 3), (1, 1), (2, 2)]
    assert describe(q, [Answer(choice=v.choice, rank=v.rank) for v in values]) == "Bikes > Texts > Signs"


def test_free_text_is_trimmed_and_kept_to_its_length():
    short, long = question(QuestionKind.text), question(QuestionKind.text, long_text=True)
    assert read(short, submitted(q7="  gates  "), required=True).values[0].text == "gates"
    assert read(short, submitted(q7="x" * 201), required=True).error == \
        "Shorten your answer to “Your answer” to 200 characters or fewer; it has 201."
    assert read(long, submitted(q7="x" * 2000), required=True).error is None
    assert read(long, submitted(q7="x" * 2001), required=True).error


def test_choose_between_alternatives_takes_one_alternative():
    q = question(QuestionKind.alternatives, options=["Turnstiles", "Park and ride"])
    assert read(q, submitted(q7="1"), required=True).values[0].choice == 1
    assert read(q, submitted(q7="2"), required=True).error


def test_show_if_shows_a_question_only_when_the_earlier_answer_includes_the_option():
    dependant = question(QuestionKind.text, show_if_question_id=3, show_if_option=0)
    assert shown(dependant, {3: [0, 2]})
    assert not shown(dependant, {3: [1]})
    assert not shown(dependant, {})
    assert shown(question(QuestionKind.text), {})


def test_saved_answers_fill_the_form_again():
    ranking = question(QuestionKind.ranking, options=["A", "B"])
    assert form_values(ranking, [Answer(choice=0, rank=2), Answer(choice=1, rank=1)]) == \
        {"q7-0": ["2"], "q7-1": ["1"]}
    multiple = question(QuestionKind.multiple)
    assert form_values(multiple, [Answer(choice=0), Answer(choice=3)]) == {"q7": ["0", "3"]}
    assert describe(multiple, [Answer(choice=3), Answer(choice=0)]) == "Car; Bus"
