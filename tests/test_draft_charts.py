"""The draft's own charts: the audit's changes and each priority's trends (pure, no app)."""

from __future__ import annotations

from decimal import Decimal

from assembly.core.audit_files import AuditFigure, AuditTable
from assembly.core.charts import change_chart, change_words, priority_charts, scale_groups
from assembly.core.strategy import PrioritySpec
from assembly.core.trends import trends

PERIODS = ("2015/16", "2016/17", "2017/18")
FIGURES = {
    "Anti-social behaviour": (3812, 3690, 4000),
    "Arson": (58, 63, 53),
    "Burglary": (801, 872, 1070),
    "Vehicle crime": (1122, 1187, 1140),
    "Theft": (3760, 3695, 3477),
    "Robbery": (84, 91, 120),
}


def _table() -> AuditTable:
    figures = tuple(
        AuditFigure(category, period, Decimal(value))
        for category, values in FIGURES.items()
        for period, value in zip(PERIODS, values, strict=True)
    )
    return AuditTable(PERIODS, figures)


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
        "in 2016/17 to 53 in 2017/18."
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
