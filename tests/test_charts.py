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
from PIL import Image

from common import chart_drawing as draw
from common.statistics import share
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
        "8 of 61 (13%) disagreed and fewer than 5 of 61 did not know."
    )
    assert chart.title == "Do you agree with the priorities?"


def test_the_matrix_chart_names_the_statements_agreed_with_most_and_least() -> None:
    counts = {(0, 0): 10, (0, 1): 10, (0, 3): 5, (1, 1): 6, (1, 2): 8, (1, 4): 6}
    chart = charts.matrix_chart(matrix_result(MATRIX, counts), T)
    # Burglary: 20 of 25 agree (80%); Drugs: 6 of 20 (30%)
    assert (
        chart.alt_text == "Most agreement: Burglary, 20 of 25 (80%). Least: Drugs, 6 of 20 (30%)."
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
        width, height = image.size  # 8 x 4.1 inches at 200 dpi (four bars), as Agg truncates
        assert width == 1600 and height in (819, 820)
        assert image.getpixel((0, 0)) == (255, 255, 255, 255)  # an opaque white page


def test_a_suppressed_count_appears_nowhere_in_the_chart() -> None:
    result = choice_result(CHOICE, {0: 57, 1: 3}, 60)
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
        "Agreement by where do you live was highest in North: 10 of 14 (71%). "
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
