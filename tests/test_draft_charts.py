"""The draft's own charts: the audit's changes and each priority's trends (pure, no app)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from matplotlib.figure import Figure

from assembly.core.audit_files import AuditFigure, AuditTable
from assembly.core.audit_readers import read_audit_bytes
from assembly.core.charts import (
    NO_UNIT,
    change_chart,
    change_words,
    comparator_chart,
    priority_charts,
    scale_groups,
)
from assembly.core.strategy import PrioritySpec
from assembly.core.trends import trends
from survey.core.charts import Chart

PERIODS = ("2015/16", "2016/17", "2017/18")
FIGURES = {
    "Anti-social behaviour": (3812, 3690, 4000),
    "Arson": (58, 63, 53),
    "Burglary": (801, 872, 1070),
    "Vehicle crime": (1122, 1187, 1140),
    "Theft": (3760, 3695, 3477),
    "Robbery": (84, 91, 120),
}
UNITS = {"Anti-social behaviour": "reports"}  # the rest: offences, as the audit says


def _table(units: dict[str, str | None] | None = None) -> AuditTable:
    """The audit, each category in its unit (`units`, else reports for anti-social behaviour
    and offences for the rest)."""
    given: dict[str, str | None] = {c: UNITS.get(c, "offences") for c in FIGURES}
    given |= units or {}
    figures = tuple(
        AuditFigure(category, period, Decimal(value), unit=given[category])
        for category, values in FIGURES.items()
        for period, value in zip(PERIODS, values, strict=True)
    )
    return AuditTable(PERIODS, figures)


def _svg_words(chart: Chart) -> list[str]:
    """The words of an SVG drawn with svg.fonttype 'path': matplotlib keeps them in comments."""
    return [m.strip() for m in re.findall(r"<!--(.*?)-->", chart.svg.decode())]


def _drawn(chart: Chart) -> Figure:
    """The chart's figure as drawn, to look at its axes and artists."""
    figure = Figure()
    chart.drawing.draw(figure)
    figure.canvas.draw()  # places the ticks and writes their labels
    return figure


def _priority(*categories: str) -> PrioritySpec:
    return PrioritySpec(
        name="Volume crime",
        kind="local",
        aim="To reduce burglary and theft.",
        objectives=("One",),
        targets=("Two",),
        measures=("Three",),
        lead="Police",
        audit_categories=categories,
    )


def test_categories_of_very_different_size_get_charts_of_their_own() -> None:
    table = _table()
    linked = [
        t for t in trends(table) if t.category in {"Burglary", "Vehicle crime", "Theft", "Robbery"}
    ]
    groups = scale_groups(table, linked)
    # Theft peaks at 3,760: burglary (1,070) and vehicle crime (1,187) are within ten times
    # of it; robbery (120) is not, so it gets its own chart.
    assert [[t.category for t in group] for group in groups] == [
        ["Burglary", "Vehicle crime", "Theft"],
        ["Robbery"],
    ]
    charts = priority_charts(
        _priority("Burglary", "Vehicle crime", "Theft", "Robbery"), table, trends(table)
    )
    assert [c.title for c in charts] == [
        "Burglary, Vehicle crime and Theft, 2015/16 to 2017/18",
        "Robbery, 2015/16 to 2017/18",
    ]
    assert charts[1].rows == (("Robbery", "84", "91", "120"),)
    assert charts[1].alt_text == (
        "Robbery rose by 31.9% (29 more offences), from 91 in 2016/17 to 120 in 2017/18."
    )


def test_a_priority_with_no_audit_category_has_no_chart() -> None:
    table = _table()
    assert priority_charts(_priority(), table, trends(table)) == ()


def test_the_change_chart_says_how_many_rose_and_fell_and_the_largest_of_each() -> None:
    table = _table()
    words = change_words(trends(table))
    assert words == (
        "Of 6 categories, 3 rose and 3 fell between 2016/17 and 2017/18. "
        "The largest rise: Robbery rose by 31.9% (29 more offences), from 91 in 2016/17 to "
        "120 in 2017/18. The largest fall: Arson fell by 15.9% (10 fewer offences), from 63 "
        "in 2016/17 to 53 in 2017/18. Each category: Anti-social behaviour +8.4%, Arson "
        "-15.9%, Burglary +22.7%, Vehicle crime -4.0%, Theft -5.9% and Robbery +31.9%."
    )
    chart = change_chart(trends(table))
    assert chart is not None
    assert chart.headers == ("Category", "2016/17", "2017/18", "Change", "% change")
    assert chart.rows[2] == ("Burglary", "872", "1,070", "+198", "+22.7%")
    assert chart.png.startswith(b"\x89PNG")


def test_the_change_chart_draws_only_the_format_asked_for_and_the_same_bytes_each_time() -> None:
    table = _table()
    chart = change_chart(trends(table))
    assert chart is not None
    assert "png" not in vars(chart) and "svg" not in vars(chart)  # nothing drawn yet
    png = chart.png
    assert "svg" not in vars(chart)  # a draft needs only the PNG
    again = change_chart(trends(table))
    assert again is not None and again == chart
    assert again.png == png
    assert again.svg == chart.svg and chart.svg.startswith(b"<?xml")


def test_each_line_chart_names_its_unit_from_the_audit_and_never_mixes_two() -> None:
    table = _table({"Arson": "crimes per 1,000 people"})
    linked = ("Anti-social behaviour", "Burglary", "Theft", "Arson", "Robbery")
    charts = priority_charts(_priority(*linked), table, trends(table))
    # Reports, a rate and offences each get charts of their own (in the audit's order of
    # categories); the offences split by size.
    assert [c.title for c in charts] == [
        "Anti-social behaviour, 2015/16 to 2017/18",
        "Arson, 2015/16 to 2017/18",
        "Burglary and Theft, 2015/16 to 2017/18",
        "Robbery, 2015/16 to 2017/18",
    ]
    axes = [_drawn(c).axes[0].get_ylabel() for c in charts]
    assert axes == ["Reports", "Crimes per 1,000 people", "Offences", "Offences"]
    assert "Reports" in _svg_words(charts[0])
    assert "(310 more reports)" in charts[0].alt_text
    assert charts[1].alt_text.startswith("Arson fell by 10 per 1,000 people, from 63 in")
    assert "more offences" in charts[2].alt_text and "a rise of" not in charts[2].alt_text


def test_a_line_chart_of_an_audit_with_no_unit_says_recorded_figures_not_offences() -> None:
    table = _table(dict.fromkeys(FIGURES))
    (chart,) = priority_charts(_priority("Robbery"), table, trends(table))
    assert _drawn(chart).axes[0].get_ylabel() == NO_UNIT == "Recorded figures"
    assert not any("ffences" in word for word in _svg_words(chart))
    assert "offences" not in chart.alt_text
    assert chart.alt_text.startswith("Robbery rose by 31.9% (29 more), from 91")


def test_a_line_chart_says_the_change_of_every_series_it_draws() -> None:
    table = _table()
    linked = ("Burglary", "Vehicle crime", "Theft")
    (chart,) = priority_charts(_priority(*linked), table, trends(table))
    assert chart.alt_text == (
        "Burglary rose by 22.7% (198 more offences), from 872 in 2016/17 to 1,070 in 2017/18. "
        "Vehicle crime fell by 4.0% (47 fewer offences), from 1,187 in 2016/17 to 1,140 in "
        "2017/18. Theft fell by 5.9% (218 fewer offences), from 3,695 in 2016/17 to 3,477 in "
        "2017/18."
    )
    assert len(_drawn(chart).axes[0].get_lines()) == 3


def test_the_change_chart_names_every_category_and_a_change_from_zero_in_its_unit() -> None:
    table = AuditTable(
        PERIODS[1:],
        (
            AuditFigure("Knife crime", "2016/17", Decimal(0), unit="offences"),
            AuditFigure("Knife crime", "2017/18", Decimal(12), unit="offences"),
            AuditFigure("Anti-social behaviour", "2016/17", Decimal(3690), unit="reports"),
            AuditFigure("Anti-social behaviour", "2017/18", Decimal(4000), unit="reports"),
        ),
    )
    chart = change_chart(trends(table))
    assert chart is not None
    assert chart.alt_text.endswith(
        "Each category: Knife crime +12 offences from zero (no %) and Anti-social behaviour +8.4%."
    )
    assert "+12 offences from zero (no %)" in _svg_words(chart)


def test_the_change_charts_tick_labels_are_exact_at_their_step() -> None:
    figure = _drawn(change_chart(trends(_table())) or _fail())
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    values = figure.axes[0].get_xticks()
    assert labels and all(label.endswith("%") for label in labels)
    for label, value in zip(labels, values, strict=True):
        assert float(label.rstrip("%").replace(",", "")) == value, (label, value)


def _fail() -> Chart:
    raise AssertionError("no chart")


ONS_TABLE = Path(__file__).parent / "data" / "ons_csp_recorded_crime.csv"


def test_the_partnerships_rate_is_drawn_beside_its_comparators_never_a_count() -> None:
    table = read_audit_bytes(ONS_TABLE.read_bytes(), "ons.csv", "Bath and North East Somerset")
    chart = comparator_chart(table, trends(table))
    assert chart is not None
    assert chart.headers == (
        "Category",
        "Bath and North East Somerset",
        "Avon and Somerset",
        "England and Wales",
    )
    assert chart.rows == (
        ("Total recorded crime (excluding fraud)", "68.1", "85.7", "93.6"),
        ("Residential burglary", "4.9", "no figure", "5.3"),
    )
    assert chart.title.startswith("Per 1,000 population, 2022/23:")
    assert chart.alt_text.startswith(
        "Total recorded crime (excluding fraud) in 2022/23: 68.1 per 1,000 population in "
        "Bath and North East Somerset, against 85.7 in Avon and Somerset and 93.6 in "
        "England and Wales."
    )
    assert "13,307" not in " ".join(c for row in chart.rows for c in row)  # counts not compared
    assert chart.png.startswith(b"\x89PNG")


def test_an_audit_without_comparators_has_no_comparison_chart() -> None:
    table = _table()
    assert comparator_chart(table, trends(table)) is None
