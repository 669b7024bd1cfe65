"""Chart geometry for server-rendered SVG: bars and lines that read without colour, at any width.

Positions across are percentages of the plot's width and positions down are pixels, and the SVG has no viewBox:
the chart stretches to the full width of its box while its text keeps the page's size (a viewBox scaled a 640-wide
drawing down to 5 px labels on a phone). The tick labels sit left of the plot, in the padding of the chart's box."""

from __future__ import annotations

import math
from dataclasses import dataclass

HEIGHT = 240  # pixels: the plot and the labels under it
TOP, BOTTOM = 16, 40
ROW, ROW_BAR, ROW_NAME = 44, 16, 15  # a category chart's rows: its name, and under it the bar with its count
MANY, CROWDED = 12, 26  # more columns than these: their values are left to the table on narrower screens


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Label:
    x: float  # percent across
    text: str
    anchor: str  # "end" at the right edge, so no label runs out of the chart (the left has the ticks' padding)
    narrow: bool  # kept on narrow screens, where three labels have room


@dataclass(frozen=True)
class Bar:
    x: float  # percent across
    width: float  # percent
    y: float
    height: float
    label: str
    value: float
    text: str  # the value as the chart writes it: "3", "12.5h", "80%"


@dataclass(frozen=True)
class Point:
    x: float  # percent across
    y: float
    value: float
    text: str


@dataclass(frozen=True)
class Series:
    name: str
    points: list[Point]
    dash: str
    marker: str  # "circle" or "square", so series differ by shape as well as by line

    @property
    def segments(self) -> list[tuple[Point, Point]]:
        """The line from each point to the next: drawn as segments, since a polyline cannot take percentages."""
        return list(zip(self.points, self.points[1:], strict=False))


@dataclass(frozen=True)
class Marker:
    """A moment on a chart over time, drawn as a dashed upright line with its words: "Task force starts"."""

    x: float  # percent across
    text: str
    anchor: str  # "start", or "end" past the middle, so the words stay inside the chart


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    kind: str  # "columns" (a count over time), "lines" (figures over time), "rows" (a count per category)
    height: int
    ticks: list[Tick]
    labels: list[Label]
    bars: list[Bar]
    series: list[Series]
    plot_bottom: float
    markers: tuple[Marker, ...] = ()

    @property
    def density(self) -> str:
        """"crowded" or "many" when the columns are too narrow for their values on smaller screens."""
        count = len(self.bars) if self.kind == "columns" else 0
        return "crowded" if count > CROWDED else "many" if count > MANY else ""


def scale(maximum: float, unit: str = "", *, whole: bool = False) -> tuple[float, list[float]]:
    """The top of the axis and its ticks: 0 to 100 for percentages; otherwise at most about four steps of 1, 2,
    2.5 or 5 times a power of ten, whole steps only for counts (no "2.5 cases")."""
    if unit == "%":
        return 100.0, [0.0, 25.0, 50.0, 75.0, 100.0]
    maximum = maximum if maximum > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(maximum / 4))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        candidate = multiple * magnitude
        if whole and (candidate < 1 or candidate != int(candidate)):
            continue
        if candidate * 4 >= maximum:
            step = candidate
            break
    step = max(step, 1.0) if whole else step  # a count axis under 0.4 still steps by one
    steps = math.ceil(maximum / step - 1e-9)
    return step * steps, [step * i for i in range(steps + 1)]


def _text(value: float, unit: str, whole: bool) -> str:
    """A value as the chart writes it: whole numbers for counts and percentages, a tenth of an hour otherwise."""
    if whole or unit == "%":
        return f"{value:.0f}{unit}"
    return f"{value:.1f}".removesuffix(".0") + unit


def _axis(maximum: float, unit: str, whole: bool) -> tuple[float, list[Tick]]:
    top, values = scale(maximum, unit, whole=whole)
    plot_height = HEIGHT - TOP - BOTTOM
    return top, [Tick(HEIGHT - BOTTOM - plot_height * v / top, f"{v:g}{unit}") for v in values]


def bar_chart(title: str, labels: list[str], values: list[float], unit: str = "", *, whole: bool = True) -> Chart:
    """Columns over time: one a week or month; counts by default, so the axis steps in whole numbers."""
    top, ticks = _axis(max(values, default=0), unit, whole)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = 100 / max(1, len(values))
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / top
        bars.append(Bar(i * slot + slot * 0.15, slot * 0.7, HEIGHT - BOTTOM - height, height, label, value,
                        _text(value, unit, whole)))
    return Chart(title, unit, "columns", HEIGHT, ticks, _x_labels(labels, slot), bars, [], HEIGHT - BOTTOM)


def line_chart(title: str, labels: list[str], series: dict[str, list[float | None]], unit: str = "",
               markers: dict[int, str] | None = None) -> Chart:
    """Figures over time, one point a week or month; ``markers`` put words on moments: {slot index: "words"}."""
    values = [v for vs in series.values() for v in vs if v is not None]
    top, ticks = _axis(max(values, default=0), unit, False)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = 100 / max(1, len(labels))
    styles = [("", "circle"), ("6 4", "square"), ("2 3", "circle")]
    lines = []
    for (name, vs), (dash, marker) in zip(series.items(), styles, strict=False):
        points = [Point(i * slot + slot / 2, HEIGHT - BOTTOM - plot_height * v / top, v, _text(v, unit, False))
                  for i, v in enumerate(vs) if v is not None]
        lines.append(Series(name, points, dash, marker))
    drawn = tuple(Marker(i * slot + slot / 2, text, "end" if i * slot > 50 else "start")
                  for i, text in sorted((markers or {}).items()) if 0 <= i < len(labels))
    return Chart(title, unit, "lines", HEIGHT, ticks, _x_labels(labels, slot), [], lines, HEIGHT - BOTTOM, drawn)


def category_chart(title: str, labels: list[str], values: list[float]) -> Chart:
    """A count per category as one row each, the name over its bar and the count at the bar's end: names as long as
    "A gesture (tickets, vouchers)" stay whole on a phone, where they could fit neither under columns nor beside."""
    top = max(max(values, default=0), 1)
    bars = [Bar(0.0, 100 * value / top, i * ROW + ROW_NAME + 6, ROW_BAR, label, value, f"{value:.0f}")
            for i, (label, value) in enumerate(zip(labels, values, strict=True))]
    height = max(1, len(bars)) * ROW
    return Chart(title, "", "rows", height, [], [], bars, [], height)


def _x_labels(labels: list[str], slot: float) -> list[Label]:
    # Thin the labels so they never overlap: at most about eight along the axis, and about three of those on a
    # narrow screen ("w/c 15 Jun" is 65 px wide; a phone's plot is about 220).
    every = max(1, math.ceil(len(labels) / 8))
    narrow_every = every * max(1, math.ceil(math.ceil(len(labels) / 3) / every))
    shown = []
    for i, text in enumerate(labels):
        if i % every:
            continue
        x = i * slot + slot / 2
        anchor = "end" if x > 90 else "middle"
        shown.append(Label(x, text, anchor, narrow=i % narrow_every == 0))
    return shown
