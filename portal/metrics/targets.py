"""Where the organisation wants its headline figures to be, and whether a period's figures got there: the one home
of the targets the dashboard's cards and the monthly report show."""

from __future__ import annotations

from dataclasses import dataclass

from portal.metrics.figures import Figures


@dataclass(frozen=True)
class Target:
    """A share of cases, in percent, to reach (or, for ``at_most``, to stay under: fewer reopened is better)."""

    percent: float
    at_most: bool = False

    def judge(self, value: float | None) -> Verdict | None:
        """Met or missed, and by how many percentage points; None when there is nothing to judge yet."""
        if value is None:
            return None
        gap = value - self.percent if self.at_most else self.percent - value
        return Verdict(met=gap <= 0, points=max(0.0, gap))

    @property
    def wording(self) -> str:
        return f"Target at most {self.percent:.0f}%" if self.at_most else f"Target {self.percent:.0f}%"


@dataclass(frozen=True)
class Verdict:
    met: bool
    points: float  # how far from the target a missed figure is; 0 when met

    @property
    def wording(self) -> str:
        """"met", "missed by 21 points"; a figure shown rounded onto its target still reads as missed."""
        if self.met:
            return "met"
        if self.points < 1:
            return "missed by less than a point"
        points = round(self.points)
        return f"missed by {points} point{'' if points == 1 else 's'}"


# Resolved by their first owner and reopened follow from "one person owns the problem" and "make it right the
# first time"; the other three are the service levels the organisation publishes.
TARGETS: dict[str, Target] = {
    "first_response_target_met": Target(90.0),
    "resolution_target_met": Target(85.0),
    "csat": Target(80.0),
    "resolved_by_first_owner": Target(90.0),
    "reopened": Target(5.0, at_most=True),
}


def values(f: Figures) -> dict[str, float | None]:
    """Each targeted figure of a period, as a percentage (None when no case counted towards it)."""
    return {
        "first_response_target_met": f.first_response_target_met.percent,
        "resolution_target_met": f.resolution_target_met.percent,
        "csat": f.csat,
        "resolved_by_first_owner": f.resolved_by_first_owner.percent,
        "reopened": f.reopened.percent,
    }


def verdicts(f: Figures) -> dict[str, Verdict | None]:
    """Each target met or missed by the figures."""
    return {name: TARGETS[name].judge(value) for name, value in values(f).items()}
