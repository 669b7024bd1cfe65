"""Chart geometry for server-rendered SVG: bars and lines that read without colour."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[float, float, float]]  # x, y, value
    dash: str
    marker: str  # "circle" or "square", so series differ by shape as well as by line


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    width: int
    height: int
    ticks: list[tuple[float, str]]  # y, label
    labels: list[tuple[float, str]]  # x, label
    bars: list[Bar]
    series: list[Series]
    plot_bottom: float
    plot_left: float
    plot_right: float


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _axes(maximum: float, unit: str) -> tuple[float, list[tuple[float, str]]]:
    top = _nice_max(maximum)
    plot_height = HEIGHT - TOP - BOTTOM
    ticks = []
    for i in range(5):
        value = top * i / 4
        text = f"{value:g}{unit}"
        ticks.append((HEIGHT - BOTTOM - plot_height * i / 4, text))
    return top, ticks


def bar_chart(title: str, labels: list[str], values: list[float], unit: str = "") -> Chart:
    top, ticks = _axes(max(values, default=0), unit)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(values))
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / top
        bars.append(Bar(LEFT + i * slot + slot * 0.15, HEIGHT - BOTTOM - height, slot * 0.7, height, label, value))
    return Chart(title, unit, WIDTH, HEIGHT, ticks, _x_labels(labels, slot), bars, [], HEIGHT - BOTTOM, LEFT,
                 WIDTH - RIGHT)


def line_chart(title: str, labels: list[str], series: dict[str, list[float | None]], unit: str = "") -> Chart:
    values = [v for vs in series.values() for v in vs if v is not None]
    top, ticks = _axes(max(values, default=0), unit)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(labels))
    styles = [("", "circle"), ("6 4", "square"), ("2 3", "circle")]
    lines = []
    for (name, vs), (dash, marker) in zip(series.items(), styles, strict=False):
        points = [
            (LEFT + i * slot + slot / 2, HEIGHT - BOTTOM - plot_height * v / top, v)
            for i, v in enumerate(vs) if v is not None
        ]
        lines.append(Series(name, points, dash, marker))
    return Chart(title, unit, WIDTH, HEIGHT, ticks, _x_labels(labels, slot), [], lines, HEIGHT - BOTTOM, LEFT,
                 WIDTH - RIGHT)


def _x_labels(labels: list[str], slot: float) -> list[tuple[float, str]]:
    # Thin the labels so they never overlap: at most about eight along the axis.
    every = max(1, math.ceil(len(labels) / 8))
    return [(LEFT + i * slot + slot / 2, label) for i, label in enumerate(labels) if i % every == 0]
