"""The targets beside the headline figures: met or missed, and by how much."""

from portal.metrics.figures import Figures, Share
from portal.metrics.targets import TARGETS, Target, verdicts


def test_a_share_at_or_above_its_target_meets_it():
    assert Target(90.0).judge(90.0).met and Target(90.0).judge(97.5).wording == "met"
    missed = Target(90.0).judge(69.0)
    assert not missed.met and missed.points == 21.0 and missed.wording == "missed by 21 points"


def test_a_figure_shown_rounded_onto_its_target_still_reads_as_missed():
    verdict = Target(90.0).judge(89.6)
    assert not verdict.met and verdict.wording == "missed by less than a point"
    assert Target(90.0).judge(89.0).wording == "missed by 1 point"


def test_reopened_cases_have_a_ceiling_not_a_floor():
    assert Target(5.0, at_most=True).judge(2.0).met
    assert Target(5.0, at_most=True).judge(8.0).wording == "missed by 3 points"
    assert TARGETS["reopened"].wording == "Target at most 5%" and TARGETS["csat"].wording == "Target 80%"


def test_nothing_is_judged_before_any_case_counts():
    result = verdicts(Figures())
    assert set(result) == set(TARGETS) and all(v is None for v in result.values())


def test_each_headline_figure_is_judged_against_its_own_target():
    figures = Figures(cases=10, first_response_target_met=Share(9, 10), resolution_target_met=Share(8, 10),
                      satisfied=Share(4, 5), resolved_by_first_owner=Share(7, 10), reopened=Share(1, 10))
    result = verdicts(figures)
    assert result["first_response_target_met"].met and not result["resolution_target_met"].met
    assert result["csat"].met and result["resolved_by_first_owner"].wording == "missed by 20 points"
    assert result["reopened"].wording == "missed by 5 points"
