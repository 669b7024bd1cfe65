"""The dashboard's chart geometry: axes a manager can read (whole numbers for counts), labels that never overlap,
categories as rows."""

import pytest

from portal.metrics import charts


@pytest.mark.parametrize(("maximum", "top", "ticks"), [
    (0, 1, [0, 1]),
    (1, 1, [0, 1]),
    (2, 2, [0, 1, 2]),
    (3, 3, [0, 1, 2, 3]),
    (7, 8, [0, 2, 4, 6, 8]),
    (13, 15, [0, 5, 10, 15]),
    (120, 150, [0, 50, 100, 150]),
    (1000, 1000, [0, 250, 500, 750, 1000]),
])
def test_a_count_axis_steps_in_whole_numbers(maximum, top, ticks):
    assert charts.scale(maximum, whole=True) == (top, ticks)


def test_no_count_chart_has_a_fractional_tick():
    for maximum in range(0, 400):
        _top, ticks = charts.scale(maximum, whole=True)
        assert all(t == int(t) for t in ticks) and len(ticks) <= 6 and ticks[-1] >= maximum


def test_hours_may_step_in_fractions_and_percentages_run_to_100():
    top, ticks = charts.scale(0.3)
    assert top == pytest.approx(0.3) and ticks == pytest.approx([0, 0.1, 0.2, 0.3])
    assert charts.scale(123.0) == (150.0, [0.0, 50.0, 100.0, 150.0])
    assert charts.scale(40.0, "%") == (100.0, [0.0, 25.0, 50.0, 75.0, 100.0])


def test_two_cases_in_a_week_are_ticked_0_1_2_not_in_quarters():
    chart = charts.bar_chart("Cases filed", ["w/c 1 Jun", "w/c 8 Jun"], [2, 1])
    assert [t.text for t in chart.ticks] == ["0", "1", "2"]
    assert [b.text for b in chart.bars] == ["2", "1"]


def test_columns_fill_the_width_in_percent_and_stand_on_the_axis():
    chart = charts.bar_chart("Cases filed", ["a", "b", "c", "d"], [4, 0, 2, 1])
    assert chart.bars[0].x == pytest.approx(3.75) and chart.bars[0].width == pytest.approx(17.5)
    assert all(b.y + b.height == pytest.approx(chart.plot_bottom) for b in chart.bars)
    assert chart.bars[0].y == pytest.approx(charts.TOP)  # the tallest reaches the top of the axis


def test_a_year_of_weeks_shows_eight_labels_and_three_on_a_phone():
    weeks = [f"w/c {i}" for i in range(52)]
    chart = charts.bar_chart("Cases filed", weeks, [1] * 52)
    assert len(chart.labels) == 8
    assert [label.text for label in chart.labels if label.narrow] == ["w/c 0", "w/c 21", "w/c 42"]
    assert chart.density == "crowded"
    assert charts.bar_chart("x", weeks[:13], [1] * 13).density == "many"
    assert charts.bar_chart("x", weeks[:5], [1] * 5).density == ""


def test_the_last_label_ends_at_the_edge_instead_of_running_past_it():
    chart = charts.bar_chart("Cases filed", [f"m{i}" for i in range(16)], [1] * 16)
    assert chart.labels[-1].x > 90 and chart.labels[-1].anchor == "end"
    assert {label.anchor for label in chart.labels[:-1]} == {"middle"}


def test_lines_join_the_points_that_have_a_value():
    chart = charts.line_chart("Hours", ["a", "b", "c"], {"First response": [2.0, None, 4.0]}, unit="h")
    (series,) = chart.series
    assert [p.text for p in series.points] == ["2h", "4h"]
    assert len(series.segments) == 1 and chart.kind == "lines"


def test_a_category_chart_has_a_row_per_category_scaled_to_the_largest():
    chart = charts.category_chart("By channel", ["Web form", "E-mail", "Letter"], [120, 30, 0])
    assert chart.kind == "rows" and chart.height == 3 * charts.ROW
    assert [b.width for b in chart.bars] == [100.0, 25.0, 0.0]
    assert [b.text for b in chart.bars] == ["120", "30", "0"]
    assert charts.category_chart("None", [], []).height == charts.ROW
