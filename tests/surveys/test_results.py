"""Results against figures worked out by hand from four members' answers."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal.surveys import answering, building, invitations, results
from portal.surveys.groups import add_member
from portal.surveys.models import Invitation, Member
from tests.surveys.conftest import SECRET, fill, link

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)

# travel, hardest, ease, option, rank (Signs, Bikes, Texts), comments
ANSWERS = {
    "olivia@fans.example": ("0", ["0", "1"], "8", "0", [1, 2, 3], "Queues at the north gate are too long"),
    "james@fans.example": ("1", ["0"], "3", "1", [2, 1, 3], "More trains after the match please"),
    "ravi@fans.example": ("0", ["2"], "6", "0", [1, 3, 2], None),
    "amy@fans.example": ("2", ["0", "2"], "10", "0", [3, 2, 1], "North gate queues again"),
}


@pytest.fixture
def answered(session, survey, group):
    add_member(session, group, name="Amy Jones", email="amy@fans.example", membership_number="",
               member_since=date(2020, 1, 1))
    add_member(session, group, name="Tom Wright", email="tom@fans.example", membership_number="",
               member_since=date(2024, 1, 1))
    session.flush()
    building.open_survey(survey, NOW)
    invitations.invite_group(session, survey, link, SECRET)
    session.flush()
    for email, (travel, hardest, ease, option, rank, comments) in ANSWERS.items():
        invitation = session.scalar(select(Invitation).join(Member).where(Member.email == email))
        response = answering.start(session, survey, invitation=invitation)
        first, second = survey.sections
        answering.save_page(survey, response, first, fill(survey, {"travel": travel, "hardest": hardest,
                                                                    "ease": ease}), now=NOW, finishing=True)
        page_two = {"option": option, "rank": rank} | ({"comments": comments} if comments else {})
        if travel == "0":
            page_two["parking"] = "Frequent buses"
        assert answering.save_page(survey, response, second, fill(survey, page_two), now=NOW, finishing=True).ok
        assert answering.submit(survey, response, now=NOW) is None
    # Tom started but has not sent his answers: not counted.
    tom = session.scalar(select(Invitation).join(Member).where(Member.email == "tom@fans.example"))
    answering.save_page(survey, answering.start(session, survey, invitation=tom), survey.sections[0],
                        fill(survey, {"ease": "0"}), now=NOW, finishing=False)
    session.flush()
    return survey


def by_prompt(summary, prompt):
    return next(r for r in summary.questions if r.question.prompt == prompt)


def test_response_rate_counts_sent_answers_of_invited_members(session, answered):
    summary = results.summarise(session, answered, today=TODAY)
    assert (summary.invited, summary.submitted, summary.in_progress, summary.anonymous) == (5, 4, 1, 0)
    assert summary.response_rate == 80.0


def test_rating_mean_median_and_distribution(session, answered):
    ease = by_prompt(results.summarise(session, answered, today=TODAY), "How easy is it?")
    assert ease.answered == 4
    assert ease.mean == pytest.approx((8 + 3 + 6 + 10) / 4)
    assert ease.median == 7.0  # (6 + 8) / 2
    assert [c for _, c in ease.distribution] == [0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1]


def test_choice_counts_and_shares_of_those_who_answered(session, answered):
    summary = results.summarise(session, answered, today=TODAY)
    hardest = by_prompt(summary, "What is hardest?")
    assert [(o.label, o.count, o.percent) for o in hardest.options] == [
        ("Queues", 3, 75.0), ("Parking", 1, 25.0), ("Signs", 2, 50.0)]
    option = by_prompt(summary, "Which should we fund?")
    assert [(o.label, o.count) for o in option.options] == [("Turnstiles", 3), ("Park and ride", 1)]
    parking = by_prompt(summary, "What would park and ride need?")
    assert parking.answered == 2  # shown only to the two who travel by car


def test_ranking_scores(session, answered):
    ranking = by_prompt(results.summarise(session, answered, today=TODAY), "Rank these")
    # Ranks — Signs: 1, 2, 1, 3 (mean 1.75); Bikes: 2, 1, 3, 2 (2.0); Texts: 3, 3, 2, 1 (2.25). Score = 4 − mean.
    assert [(o.label, o.mean_rank, o.score) for o in ranking.options] == [
        ("Signs", 1.75, 2.25), ("Bikes", 2.0, 2.0), ("Texts", 2.25, 1.75)]


def test_free_text_word_list_counts_each_answer_once(session, answered):
    comments = by_prompt(results.summarise(session, answered, today=TODAY), "Anything else?")
    assert comments.answered == 3
    assert dict(comments.words)["queues"] == 2 and dict(comments.words)["north"] == 2
    assert "the" not in dict(comments.words)
    assert {a.text for a in comments.texts} == {v[5] for v in ANSWERS.values() if v[5]}


def test_filter_by_tenure_band(session, answered):
    # Olivia joined 2010 (10 years or more); James 2025 (under 2); Amy 2020 (2 to 9); Ravi unknown.
    long_standing = results.summarise(session, answered, band="10 years or more", today=TODAY)
    assert long_standing.in_scope == 1
    assert by_prompt(long_standing, "How easy is it?").mean == 8
    middle = results.summarise(session, answered, band="2 to 9 years", today=TODAY)
    assert by_prompt(middle, "How easy is it?").mean == 10
    unknown = results.summarise(session, answered, band="Unknown", today=TODAY)
    assert by_prompt(unknown, "How easy is it?").mean == 6
    assert results.summarise(session, answered, band="nonsense", today=TODAY).band is None


def test_a_question_becomes_a_theme_linked_to_the_survey(session, answered, manager):
    from portal.surveys.guidance import theme_from_question

    summary = results.summarise(session, answered, today=TODAY)
    theme = theme_from_question(session, answered, by_prompt(summary, "What is hardest?"), by=manager)
    session.flush()
    assert theme.title == "What is hardest?" and theme.survey_id == answered.id
    assert "Most chosen: Queues (3 of 4); Signs (2 of 4); Parking (1 of 4)." in theme.description


def _statements(session, survey) -> int:
    from sqlalchemy import event

    seen = []
    engine = session.get_bind()
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        results.summarise(session, survey, today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_the_number_of_queries_does_not_grow_with_the_answers(session, answered):
    before = _statements(session, answered)
    for n in range(20):
        response = answering.start(session, answered, browser_key=f"browser-{n}")
        answering.save_page(answered, response, answered.sections[0], fill(answered, {
            "travel": "1", "hardest": "0", "ease": str(n % 11)}), now=NOW, finishing=True)
        response.submitted_at = NOW
    session.flush()
    assert _statements(session, answered) == before == 7
