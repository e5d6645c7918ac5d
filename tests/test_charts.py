"""Charts (unit, no app): the words, the table, the bytes, and what must never be drawn."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from common import chart_drawing as draw
from common.statistics import share, withheld
from survey.core import charts, tables
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.results import (
    Breakdown,
    ConsultationResults,
    GroupShare,
    Week,
    choice_result,
    matrix_result,
    scale_result,
    text_result,
)

T = 5
AGREE = QuestionSpec("agree", QuestionType.AGREEMENT, "Do you agree with the priorities?")
LIKERT = QuestionSpec("safe", QuestionType.LIKERT, "I feel safe after dark")
MATRIX = QuestionSpec(
    "support", QuestionType.MATRIX, "How much do you support each?", rows=("Burglary", "Drugs")
)
CHOICE = QuestionSpec(
    "hear", QuestionType.SINGLE_CHOICE, "How did you hear?", options=("Newsletter", "Website")
)
# With a third option (chosen by no one), a small count is hidden beside one other: the zero.
CHOICE3 = QuestionSpec(
    "hear",
    QuestionType.SINGLE_CHOICE,
    "How did you hear?",
    options=("Newsletter", "Website", "Poster"),
)
WORRIES = QuestionSpec("worries", QuestionType.FREE_TEXT, "What are you most worried about?")
THEMES = {"Burglary and break-ins": 18, "Anti-social behaviour": 12, "Drugs": 3, "Fraud": 0}


def svg_words(chart: charts.Chart) -> list[str]:
    """The text of an SVG drawn with svg.fonttype 'path': matplotlib keeps it in comments."""
    return [m.strip() for m in re.findall(r"<!--(.*?)-->", chart.svg.decode())]


def png_dpi(png: bytes) -> float:
    """Dots per inch from the PNG's pHYs chunk (pixels per metre)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"pHYs":
            x, y, unit = struct.unpack(">IIB", png[at + 8 : at + 17])
            assert unit == 1 and x == y
            return x * 0.0254
        at += 12 + length
    raise AssertionError("no pHYs chunk")


def themes() -> charts.Chart:
    return charts.themes_chart(text_result(WORRIES, 52, THEMES, coded=52, no_theme=19), T)


def test_the_themes_chart_says_the_most_mentioned_theme_with_its_count_and_percent() -> None:
    chart = themes()
    # 18 / 52 = 34.6% -> 35%; 12 / 52 = 23.1% -> 23%
    assert chart.alt_text.startswith(
        "Burglary and break-ins was the most mentioned: 18 of 52 (35%) who answered. "
        "Next: Anti-social behaviour 12 (23%)"
    )
    assert "Mentioned by fewer than 5: Drugs." in chart.alt_text
    assert chart.name == "worries"
    assert "18 (35%)" in svg_words(chart) and "12 (23%)" in svg_words(chart)


def test_each_chart_carries_the_table_that_tables_makes() -> None:
    result = text_result(WORRIES, 52, THEMES, coded=52, no_theme=19)
    table = tables.themes_table(result, T)
    chart = charts.themes_chart(result, T)
    assert (chart.headers, chart.rows) == (table.headers, table.rows)
    agree = scale_result(AGREE, {0: 50, 1: 8, 2: 3})
    scale = charts.scale_chart(agree, T)
    assert (scale.headers, scale.rows) == (
        tables.scale_table(agree, T).headers,
        tables.scale_table(agree, T).rows,
    )
    weeks = (
        Week(dt.date(2026, 1, 5), share(30, 40, T)),
        Week(dt.date(2026, 1, 12), share(10, 40, T)),
    )
    assert charts.weeks_chart(weeks, T).rows == tables.weeks_table(weeks).rows


def test_the_agreement_chart_says_agreement_with_its_interval() -> None:
    chart = charts.scale_chart(scale_result(AGREE, {0: 50, 1: 8, 2: 3}), T)
    # 50/61 = 82.0%; Wilson 95%: (0.8512 -+ 0.1015) / 1.0630 = 70.5% to 89.6%
    assert chart.alt_text == (
        "50 of 61 (82%) who answered agreed (95% interval 71% to 90%). "
        "An undisclosed number of 61 disagreed and fewer than 5 of 61 did not know."
    )  # 8 disagreeing is not shown: with it, 61 - 50 - 8 would give the 3 away
    assert chart.title == "Do you agree with the priorities?"


def test_two_options_and_one_small_hide_both_and_say_why() -> None:
    chart = charts.choice_chart(choice_result(CHOICE, {0: 57, 1: 3}, 60), T)
    assert chart.alt_text == (
        "For the 60 who answered, no count can be shown without giving a small one away. "
        "Chosen by fewer than 5: Website. "
        "Not shown, so that a smaller count cannot be worked out: Newsletter."
    )
    assert [row[1] for row in chart.rows[:2]] == ["not shown", "fewer than 5"]


def test_the_matrix_chart_names_the_statements_agreed_with_most_and_least() -> None:
    counts = {(0, 0): 10, (0, 1): 10, (0, 3): 5, (1, 1): 6, (1, 2): 8, (1, 4): 6}
    chart = charts.matrix_chart(matrix_result(MATRIX, counts), T)
    # Burglary: 20 of 25 agree (80%), 5 disagree (20%); Drugs: 6 of 20 agree (30%), 8 neither
    # (40%), 6 disagree (30%); no one said they did not know.
    assert chart.alt_text == (
        "Most agreement: Burglary, 20 of 25 (80%). Least: Drugs, 6 of 20 (30%). "
        "Most disagreement: Drugs, 6 of 20 (30%). Most 'neither': Drugs, 8 of 20 (40%). "
        "No one said they did not know for any statement."
    )
    assert chart.headers[:4] == ("Statement", "Agreeing", "Disagreeing", "Neither")
    assert chart.rows[1][:4] == ("Drugs", "6 of 20 (30%)", "30%", "40%")
    assert any("Disagree" in word for word in svg_words(chart))


def test_the_same_data_gives_the_same_bytes_and_different_data_different_bytes() -> None:
    first, again = themes(), themes()
    assert first.svg == again.svg and first.png == again.png
    other = charts.themes_chart(
        text_result(WORRIES, 52, THEMES | {"Drugs": 9}, coded=52, no_theme=19), T
    )
    assert other.svg != first.svg and other.png != first.png
    assert b"<dc:date>" not in first.svg


def test_the_png_is_for_print_at_200_dpi_or_more() -> None:
    chart = themes()
    assert round(png_dpi(chart.png)) >= 200  # 7,874 pixels a metre
    width = struct.unpack(">I", chart.png[16:20])[0]
    assert width >= 8 * 200


def test_the_png_is_an_image_of_the_whole_figure() -> None:
    chart = themes()
    with Image.open(io.BytesIO(chart.png)) as image:
        image.load()  # every row decompresses
        width, height = image.size  # 8 inches wide at 200 dpi; four bars and their words high
        assert width == 1600 and 400 < height < 700
        assert image.getpixel((0, 0)) == (255, 255, 255, 255)  # an opaque white page


def test_a_suppressed_count_appears_nowhere_in_the_chart() -> None:
    result = choice_result(CHOICE3, {0: 57, 1: 3}, 60)
    chart = charts.choice_chart(result, T)
    words = svg_words(chart)
    assert "fewer than 5" in words
    everything = [chart.alt_text, *words, *(cell for row in chart.rows for cell in row)]
    for text in everything:
        assert not re.search(r"(^|\D)3($|\D)", text), text  # 3 answers, or 5% of 60
        assert "(5%)" not in text and text != "5%"
    assert chart.alt_text.startswith("Newsletter was chosen most: 57 of 60 (95%) who answered.")


def test_a_breakdown_labels_a_group_too_small_in_words() -> None:
    result = Breakdown(
        "area",
        "Where do you live?",
        "agree",
        "Do you agree?",
        None,
        (
            GroupShare("North", 14, share(10, 14, T)),
            GroupShare("South", 6, share(4, 6, T)),
            GroupShare("East", None, share(2, 3, T)),
        ),
    )
    chart = charts.breakdown_chart(result, T)
    assert chart.name == "agree-by-area"
    assert chart.title == "Agreement by area: Do you agree?"
    assert chart.alt_text == (
        "Agreement by area was highest in North: 10 of 14 (71%). "
        "Fewer than 5 agreed or answered in South and East."
    )
    words = svg_words(chart)
    assert "fewer than 5 agreed" in words and "fewer than 5 answered" in words
    assert not any(re.search(r"(^|\D)[234]($|\D)", w) for w in words if "%" in w or "of" in w)


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ({}, "No one has answered this question yet."),
        ({0: 1}, "Fewer than 5 people answered this question, so the answers are not shown."),
        ({2: 12}, "No one agreed or disagreed: all 12 said they did not know."),
    ],
)
def test_empty_results_draw_and_say_so(counts: dict[int, int], words: str) -> None:
    chart = charts.scale_chart(scale_result(AGREE, counts), T)
    assert chart.alt_text == words
    assert chart.png.startswith(b"\x89PNG") and chart.svg.startswith(b"<?xml")


def test_no_themes_and_no_weeks_say_so() -> None:
    uncoded = charts.themes_chart(text_result(WORRIES, 20, {}, coded=0, no_theme=0), T)
    assert uncoded.alt_text == "None of the answers has been coded into themes yet."
    assert charts.weeks_chart((), T).alt_text.startswith("No responses to show by week")


def test_a_trend_draws_gaps_and_refuses_a_series_of_the_wrong_length() -> None:
    chart = charts.trend_chart(
        "burglary",
        "Burglaries a year",
        ["2021/22", "2022/23", "2023/24"],
        [("Burglary", [410.0, None, 380.0]), ("Vehicle crime", [300.0, 320.0, 290.5])],
        "Recorded crimes",
        "Burglary fell from 410 to 380.",
        ("Year", "Burglary", "Vehicle crime"),
        [("2021/22", "410", "300")],
    )
    assert chart.rows == (("2021/22", "410", "300"),)
    assert "Burglary: 380" in svg_words(chart) and "Vehicle crime: 290.5" in svg_words(chart)
    with pytest.raises(ValueError, match="2 values for 3 periods"):
        charts.trend_chart("x", "X", ["a", "b", "c"], [("A", [1.0, 2.0])], "u", "", (), [])


def test_a_consultation_has_a_chart_per_question_then_breakdowns_then_weeks() -> None:
    results = ConsultationResults(
        slug="s",
        title="S",
        opens=dt.date(2026, 1, 1),
        closes=dt.date(2026, 2, 1),
        threshold=T,
        group=None,
        responses=61,
        channels=(),
        weeks=(Week(dt.date(2026, 1, 5), share(61, 61, T)),),
        questions=(
            scale_result(AGREE, {0: 50, 1: 8, 2: 3}),
            scale_result(LIKERT, {0: 20, 1: 20, 2: 21}),
            text_result(WORRIES, 52, THEMES, coded=52, no_theme=19),
        ),
    )
    by_area = Breakdown("area", "Area?", "agree", "Agree?", None, ())
    names = [c.name for c in charts.charts_for(results, [by_area])]
    assert names == ["agree", "safe", "worries", "agree-by-area", "responses-by-week"]


def test_drawing_never_imports_pyplot() -> None:
    script = (
        "import sys\n"
        "from survey.core import charts\n"
        "from survey.core.questions import QuestionSpec, QuestionType\n"
        "from survey.core.results import scale_result\n"
        "spec = QuestionSpec('a', QuestionType.AGREEMENT, 'A?')\n"
        "charts.scale_chart(scale_result(spec, {0: 9, 1: 6}), 5)\n"
        "print('matplotlib.pyplot' in sys.modules, 'survey.core.charts' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]


def test_a_chart_draws_only_the_format_asked_for_and_only_once() -> None:
    drawn: list[str] = []

    def drawing(figure: Figure) -> None:
        drawn.append("drawn")
        draw.message(figure, "Nothing to show.")

    chart = charts.Chart("c", "C", "Nothing.", (), (), drawing=draw.Drawing("C", drawing, 1))
    assert drawn == []
    assert chart.svg.startswith(b"<?xml") and chart.svg is chart.svg
    assert drawn == ["drawn"]
    assert chart.png.startswith(b"\x89PNG") and chart.png is chart.png
    assert drawn == ["drawn", "drawn"]


def test_charts_of_the_same_data_are_equal_whatever_their_drawing() -> None:
    first, again = themes(), themes()
    assert first == again and hash(first) == hash(again)
    assert first != charts.scale_chart(scale_result(AGREE, {0: 50, 1: 8, 2: 3}), T)


# A suppressed value is drawn nowhere: no bar, no range, no axis stretched to reach it.


def bars_at(figure: Figure, row: float) -> list[Rectangle]:
    """The bars drawn on `row`, in any axes, of any length but nothing."""
    return [
        patch
        for ax in figure.axes
        for patch in ax.patches
        if isinstance(patch, Rectangle)
        and abs(patch.get_y() + patch.get_height() / 2 - row) < 0.25
        and patch.get_width() != 0
    ]


def drawn(chart: charts.Chart) -> Figure:
    """The chart's figure as drawn (ticks placed and labelled), to look at its artists."""
    figure = Figure()
    chart.drawing.draw(figure)
    figure.canvas.draw()
    return figure


def everything_said(chart: charts.Chart) -> list[str]:
    """Every word a reader can get from a chart: alt text, table and the SVG's words."""
    cells = [cell for row in chart.rows for cell in row]
    return [chart.alt_text, *chart.headers, *cells, *svg_words(chart)]


def radstock(agreeing: int | None) -> Breakdown:
    """Agreement by area, Radstock with `agreeing` of 5 (None: not in the breakdown)."""
    groups = (
        GroupShare("Bath", 40, share(10, 40, T)),
        *([] if agreeing is None else [GroupShare("Radstock", 5, share(agreeing, 5, T))]),
        GroupShare("Keynsham", 20, share(6, 20, T)),
    )
    return Breakdown("area", "Which area do you live in?", "agree", "Do you agree?", None, groups)


def test_a_suppressed_group_in_a_breakdown_has_no_bar_and_no_hint_of_its_value() -> None:
    chart = charts.breakdown_chart(radstock(4), T)  # 4 of 5 agree: 80%, hidden
    figure = drawn(chart)
    assert bars_at(figure, 0) and bars_at(figure, 2)  # Bath and Keynsham are drawn
    assert bars_at(figure, 1) == []  # Radstock: no bar, no hatched range
    assert "fewer than 5 agreed" in svg_words(chart)
    # Nothing stretches the axis towards where 80% would be: it is as without Radstock.
    without = drawn(charts.breakdown_chart(radstock(None), T))
    assert figure.axes[0].get_xlim() == without.axes[0].get_xlim()
    assert figure.axes[0].get_xlim()[1] < 80
    for text in everything_said(chart):
        assert "80" not in text and not re.search(r"(^|\D)4($|\D)", text), text
    assert chart.rows[1] == ("Radstock", "5", "fewer than 5", "fewer than 5", "")
    # Any hidden count draws and says exactly the same.
    other = charts.breakdown_chart(radstock(1), T)
    assert (other.alt_text, other.rows, other.svg) == (chart.alt_text, chart.rows, chart.svg)


def test_a_suppressed_answer_has_no_bar_in_a_scale_choice_themes_or_weeks_chart() -> None:
    cases = [
        (charts.scale_chart(scale_result(AGREE, {0: 50, 1: 8, 2: 3}), T), 2, "3"),
        (charts.choice_chart(choice_result(CHOICE3, {0: 57, 1: 3}, 60), T), 1, "3"),
        (charts.themes_chart(text_result(WORRIES, 52, THEMES, coded=52, no_theme=19), T), 2, "3"),
        (
            charts.weeks_chart(
                (
                    Week(dt.date(2026, 1, 5), share(30, 34, T)),
                    Week(dt.date(2026, 1, 12), share(4, 34, T)),
                ),
                T,
            ),
            1,
            "4",
        ),
    ]
    for chart, row, hidden in cases:
        figure = drawn(chart)
        assert bars_at(figure, 0), chart.name  # the first is drawn
        assert bars_at(figure, row) == [], chart.name
        assert "fewer than 5" in svg_words(chart), chart.name
        for text in everything_said(chart):
            assert not re.search(rf"(^|[^\d.]){hidden}($|[^\d.,])", text), (chart.name, text)


def test_a_suppressed_part_of_a_matrix_statement_has_no_bar() -> None:
    # Burglary: 20 agree, 3 disagree (hidden); Drugs: 6 agree, 8 neither, 6 disagree.
    counts = {(0, 0): 10, (0, 1): 10, (0, 3): 3, (1, 1): 6, (1, 2): 8, (1, 4): 6}
    chart = charts.matrix_chart(matrix_result(MATRIX, counts), T)
    figure = drawn(chart)
    main = figure.axes[0]
    disagreeing = [p for p in main.patches if isinstance(p, Rectangle) and p.get_width() < 0]
    assert [round(p.get_y() + p.get_height() / 2) for p in disagreeing] == [1]  # Drugs only
    assert "fewer than 5" in svg_words(chart)
    assert not any("range" in word for word in svg_words(chart))  # no legend for a range
    for text in everything_said(chart):
        assert not re.search(r"(^|\D)3($|\D)", text) and "13%" not in text, text


def test_charts_say_a_suppressed_value_only_as_fewer_than_the_threshold() -> None:
    hidden = {0: 12, 1: 2, 2: 1}  # agree 12, disagree 2, don't know 1 of 15
    chart = charts.scale_chart(scale_result(AGREE, hidden), T)
    assert chart.alt_text == (
        "12 of 15 (80%) who answered agreed (95% interval 55% to 93%). "
        "Fewer than 5 of 15 disagreed and fewer than 5 of 15 did not know."
    )
    for text in everything_said(chart):
        assert "13%" not in text and "7%" not in text, text  # 2 of 15, 1 of 15


# Tick labels are exact at the step they are drawn at.


def ticks_in(words: list[str], pattern: str) -> list[float]:
    """The values of the tick labels among a chart's words (those that are only a number)."""
    return [float(w.rstrip("%").replace(",", "")) for w in words if re.fullmatch(pattern, w)]


def evenly_spaced(values: list[float]) -> bool:
    steps = {round(b - a, 9) for a, b in zip(values, values[1:], strict=False)}
    return len(values) >= 3 and len(steps) == 1


def test_percent_ticks_are_exact_at_their_step_never_rounded() -> None:
    # Every bar under 10%: the axis runs to 10%, where 2.5% steps were printed 0%, 2%, 5%, 8%.
    spec = QuestionSpec("q", QuestionType.MULTI_CHOICE, "Q?", options=("A", "B", "C"))
    chart = charts.choice_chart(choice_result(spec, {0: 7, 1: 6, 2: 9}, 200), T)
    ticks = ticks_in(svg_words(chart), r"\d+(\.\d+)?%")
    assert ticks[0] == 0 and ticks[-1] == 10, ticks
    assert evenly_spaced(ticks), ticks  # 0, 2, 4, 6, 8, 10: each label its tick's value


@pytest.mark.parametrize("width", [2.5, 3.0, 4.0, 8.0])
@pytest.mark.parametrize(("top", "percent"), [(9.0, True), (10.4, True), (11.0, False)])
def test_bar_ticks_are_exact_at_their_step_however_narrow_the_axis(
    width: float, top: float, percent: bool
) -> None:
    figure = Figure(figsize=(width, 2.5))
    draw.bars(figure, [draw.Bar("A", top, ""), draw.Bar("B", 1.0, "")], "", percent)
    figure.canvas.draw()
    ax = figure.axes[0]
    shown = [
        (label.get_text(), value)
        for label, value in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
        if ax.get_xlim()[0] <= value <= ax.get_xlim()[1]
    ]
    assert len(shown) >= 2
    for text, value in shown:
        assert text.endswith("%") == percent
        assert float(text.rstrip("%")) == pytest.approx(value, abs=1e-9), (text, value)
        assert percent or float(value).is_integer()  # never 2.5 responses


def test_count_ticks_are_whole_numbers() -> None:
    weeks = (
        Week(dt.date(2026, 1, 5), share(5, 18, T)),
        Week(dt.date(2026, 1, 12), share(6, 18, T)),
        Week(dt.date(2026, 1, 19), share(7, 18, T)),
    )
    ax = drawn(charts.weeks_chart(weeks, T)).axes[0]
    for label, value in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True):
        assert float(value).is_integer() and label.get_text() == f"{int(value):,}", value


@pytest.mark.parametrize(
    ("values", "whole"),
    [([3.0, 5.0, 4.0], True), ([0.2, 0.5, 0.3], False), ([1200.0, 4000.0, 2500.0], True)],
)
def test_a_trend_axis_labels_each_tick_exactly(values: list[float], whole: bool) -> None:
    chart = charts.trend_chart(
        "t", "T", ["a", "b", "c"], [("Series", values)], "Offences", "", ("x",), []
    )
    words = svg_words(chart)
    ticks = ticks_in(words, r"-?\d{1,3}(,\d{3})*(\.\d+)?")
    assert evenly_spaced(ticks), words
    assert not whole or all(t.is_integer() for t in ticks), ticks
    if max(values) >= 1000:
        assert "4,000" in words  # thousands separated, as every figure is
    assert "Offences" in words


def test_the_exact_formatter_gives_the_decimals_the_step_needs() -> None:
    formatter = draw.ExactFormatter("%")
    assert formatter.format_ticks([0, 2.5, 5, 7.5, 10]) == ["0.0%", "2.5%", "5.0%", "7.5%", "10.0%"]
    assert formatter.format_ticks([0, 20, 40]) == ["0%", "20%", "40%"]
    assert draw.ExactFormatter().format_ticks([-2000, 0, 2000]) == ["-2,000", "0", "2,000"]
    assert draw.ExactFormatter().format_ticks([0.1 + 0.2, 0.6]) == ["0.3", "0.6"]


# Alt text states the message of every series the chart draws.


def test_alt_text_names_every_bar_drawn() -> None:
    likert = charts.scale_chart(scale_result(LIKERT, {0: 20, 1: 20, 2: 21}), T)
    assert "neither agreed nor disagreed" in likert.alt_text
    spec = QuestionSpec("q", QuestionType.SINGLE_CHOICE, "Q?", options=("A", "B", "C", "D"))
    choice = charts.choice_chart(choice_result(spec, {0: 30, 1: 20, 2: 2}, 52), T)
    assert choice.alt_text == (
        "A was chosen most: 30 of 52 (58%) who answered. Then B 20 (38%). "
        "Chosen by fewer than 5: C. "
        "Not shown, so that a smaller count cannot be worked out: D."
    )  # D's 0 is hidden with C's 2: shown, 52 - 30 - 20 - 0 would give the 2 away
    themes_chart = themes()
    for theme in THEMES:
        assert theme in themes_chart.alt_text
    weeks = (
        Week(dt.date(2026, 1, 5), share(30, 44, T)),
        Week(dt.date(2026, 1, 12), share(4, 44, T)),
        Week(dt.date(2026, 1, 19), share(10, 44, T)),
    )
    assert charts.weeks_chart(weeks, T).alt_text.endswith("Week by week: 30, fewer than 5 and 10.")


def test_a_group_withheld_to_protect_a_small_count_is_said_so_not_fewer_than_5() -> None:
    groups = (
        GroupShare("Bath", 40, share(10, 40, T)),
        GroupShare("Midsomer Norton", 9, withheld(9, T)),  # 8 of 9: 9 - 8 would give 1 away
    )
    chart = charts.breakdown_chart(
        Breakdown("area", "Which area do you live in?", "agree", "Do you agree?", None, groups), T
    )
    assert chart.alt_text.endswith(
        "Not shown, so that a smaller count cannot be worked out: Midsomer Norton."
    )
    assert "Fewer than" not in chart.alt_text
    assert bars_at(drawn(chart), 1) == []


def test_a_breakdowns_alt_text_names_every_group() -> None:
    chart = charts.breakdown_chart(radstock(4), T)
    assert chart.alt_text == (
        "Agreement by area was highest in Keynsham: 6 of 20 (30%). "
        "Lowest in Bath: 10 of 40 (25%). Fewer than 5 agreed or answered in Radstock."
    )
    groups = (
        GroupShare("North", 20, share(15, 20, T)),
        GroupShare("East", 20, share(10, 20, T)),
        GroupShare("South", 20, share(5, 20, T)),
    )
    three = charts.breakdown_chart(Breakdown("area", "Area?", "agree", "Agree?", None, groups), T)
    assert "Between them: East 10 of 20 (50%)." in three.alt_text


def test_a_trend_charts_alt_text_is_the_callers_for_every_series() -> None:
    words = "Burglary fell from 410 to 380. Vehicle crime fell from 300 to 290.5."
    chart = charts.trend_chart(
        "t",
        "T",
        ["a", "b"],
        [("Burglary", [410.0, 380.0]), ("Vehicle crime", [300.0, 290.5])],
        "Offences",
        words,
        ("x",),
        [],
    )
    assert chart.alt_text == words
    assert len(drawn(chart).axes[0].get_lines()) == 2


# Sized to the message, in the body's font.


def png_inches(chart: charts.Chart) -> float:
    with Image.open(io.BytesIO(chart.png)) as image:
        return image.size[1] / 200


def test_a_chart_is_as_tall_as_its_bars_need_and_no_taller() -> None:
    def choices(count: int) -> charts.Chart:
        options = tuple(f"Option {n}" for n in range(count))
        spec = QuestionSpec("q", QuestionType.SINGLE_CHOICE, "Q?", options=options)
        return charts.choice_chart(
            choice_result(spec, dict.fromkeys(range(count), 10), 10 * count), T
        )

    two, eight = png_inches(choices(2)), png_inches(choices(8))
    assert two < 2.5  # two bars: a small part of a page, never half of it
    assert eight - two == pytest.approx(6 * draw.ROW, abs=0.02)  # each bar adds a row
    one = png_inches(choices(1))
    assert one == pytest.approx(two, abs=0.02)  # the least a plot has is MIN_ROWS rows


def test_charts_draw_in_arials_metrics_when_liberation_sans_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = draw.font_family()
    assert found[-1] == "DejaVu Sans"  # the fallback, for what Liberation Sans lacks
    if found[0] != "Liberation Sans":
        pytest.skip("Liberation Sans is not installed (Debian: fonts-liberation)")
    # The words are drawn from the Liberation Sans outlines, not DejaVu Sans's.
    with_liberation = themes().svg
    monkeypatch.setattr(draw, "font_family", lambda: ["DejaVu Sans"])
    assert themes().svg != with_liberation


def test_without_liberation_sans_charts_fall_back_to_dejavu_sans(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from matplotlib import font_manager

    others = [f for f in font_manager.fontManager.ttflist if f.name != "Liberation Sans"]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", others)
    monkeypatch.setattr(draw, "FONT_FOLDERS", (str(tmp_path),))
    assert draw.font_family.__wrapped__() == ["DejaVu Sans"]
