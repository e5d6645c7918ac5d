"""Audit trends, pure: each category's latest period against the one before, in words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assembly.core.audit_files import AuditFigure, AuditTable, read_audit
from assembly.core.measures import Measure
from assembly.core.trends import (
    Direction,
    Trend,
    series,
    trend_table_headers,
    trend_table_rows,
    trends,
)

PERIODS = ("2016/17", "2017/18")
OFFENCES = "offences"  # most tests' audits give their unit, as the demo audit does


def table_of(
    *rows: tuple[str, str, str | int],
    periods: tuple[str, ...] = PERIODS,
    area: str | None = None,
    unit: str | None = OFFENCES,
) -> AuditTable:
    """A table from (category, period, value) rows, all in one area and unit."""
    figures = tuple(
        AuditFigure(category, period, Decimal(value), area=area, unit=unit)
        for category, period, value in rows
    )
    return AuditTable(periods=periods, figures=figures)


def only_trend(table: AuditTable) -> Trend:
    (trend,) = trends(table)
    return trend


def compared(
    category: str, previous: str | int, latest: str | int, unit: str | None = OFFENCES
) -> Trend:
    """The trend of one category from 2016/17 to 2017/18."""
    return only_trend(
        table_of((category, "2016/17", previous), (category, "2017/18", latest), unit=unit)
    )


def test_the_issues_example_word_for_word() -> None:
    trend = compared("Burglary", 872, 1070)
    assert trend.sentence == (
        "Burglary rose by 22.7% (198 more offences), from 872 in 2016/17 to 1,070 in 2017/18."
    )
    assert trend.direction is Direction.ROSE
    assert trend.direction == "rose"
    assert trend.change == Decimal(198)
    assert trend.percent_change is not None
    assert trend.percent_change.quantize(Decimal("0.0001")) == Decimal("22.7064")
    assert (trend.previous_period, trend.previous_value) == ("2016/17", Decimal(872))
    assert (trend.latest_period, trend.latest_value) == ("2017/18", Decimal(1070))
    assert (trend.category, trend.area, trend.unit) == ("Burglary", None, "offences")


def test_a_fall_says_fewer() -> None:
    trend = compared("Criminal damage", 226, 214)
    assert trend.sentence == (
        "Criminal damage fell by 5.3% (12 fewer offences), from 226 in 2016/17 to 214 in 2017/18."
    )
    assert trend.direction == "fell"
    assert trend.change == Decimal(-12)


def test_no_change_says_unchanged_at_the_figure() -> None:
    trend = compared("Robbery", 45, 45)
    assert trend.sentence == "Robbery was unchanged at 45 offences in both 2016/17 and 2017/18."
    assert (trend.direction, trend.change, trend.percent_change) == ("unchanged", 0, 0)


def test_a_rise_from_zero_has_no_percentage_and_no_division_by_zero() -> None:
    trend = compared("Knife crime", 0, 12)
    assert trend.sentence == (
        "Knife crime rose from 0 in 2016/17 to 12 in 2017/18 (12 more offences); there is "
        "no percentage change from a base of zero."
    )
    assert (trend.direction, trend.change, trend.percent_change) == ("rose", 12, None)


def test_zero_in_both_periods_is_unchanged_without_a_percentage() -> None:
    trend = compared("Knife crime", 0, 0)
    assert trend.sentence == "Knife crime was unchanged at 0 offences in both 2016/17 and 2017/18."
    assert (trend.direction, trend.change, trend.percent_change) == ("unchanged", 0, None)


def test_a_missing_previous_figure_gives_the_latest_alone() -> None:
    trend = only_trend(table_of(("Arson", "2017/18", 14)))
    assert trend.sentence == (
        "Arson: no figure for 2016/17, so no change can be given; 2017/18: 14 offences."
    )
    assert (trend.direction, trend.previous_value, trend.change) == ("unknown", None, None)


def test_a_missing_latest_figure_gives_the_previous_alone() -> None:
    trend = only_trend(table_of(("Theft", "2016/17", 9)))
    assert trend.sentence == (
        "Theft: no figure for 2017/18, so no change can be given; 2016/17: 9 offences."
    )
    assert (trend.direction, trend.latest_value, trend.percent_change) == ("unknown", None, None)


def test_figures_missing_in_both_periods_point_to_the_last_one_given() -> None:
    table = table_of(("Fraud", "2014/15", 3), periods=("2014/15", "2015/16", *PERIODS))
    assert only_trend(table).sentence == (
        "Fraud: no figures for 2016/17 or 2017/18, so no change can be given; the latest "
        "figure is 3 offences in 2014/15."
    )


def test_an_audit_of_one_period_has_nothing_to_compare() -> None:
    trend = only_trend(table_of(("Arson", "2017/18", 14), periods=("2017/18",)))
    assert trend.sentence == "Arson: 14 offences in 2017/18 (no earlier period to compare)."
    assert (trend.previous_period, trend.previous_value, trend.direction) == (
        None,
        None,
        "unknown",
    )


def test_a_change_of_one_uses_the_singular_unit() -> None:
    assert "(1 more offence)," in compared("Burglary", 30, 31).sentence
    assert "(1 fewer incident)," in compared("ASB", 3, 2, unit="incidents").sentence
    assert "(1 more staff)," in compared("Wardens", 4, 5, unit="staff").sentence
    one = only_trend(table_of(("Arson", "2017/18", 1), periods=("2017/18",)))
    assert one.sentence == "Arson: 1 offence in 2017/18 (no earlier period to compare)."
    assert compared("ASB", 1, 1, unit="incidents").sentence == (
        "ASB was unchanged at 1 incident in both 2016/17 and 2017/18."
    )


def test_a_categorys_unit_from_the_file_is_used_in_its_sentence() -> None:
    trend = compared("ASB", 300, 280, unit="incidents")
    assert trend.unit == "incidents"
    assert trend.sentence == (
        "ASB fell by 6.7% (20 fewer incidents), from 300 in 2016/17 to 280 in 2017/18."
    )


@pytest.mark.parametrize(
    ("previous", "latest", "words"),
    [
        # 17 - 16 = 1; 1 / 16 = 0.0625 exactly, so 6.25%: half up gives 6.3 (half even, 6.2).
        (16, 17, "rose by 6.3% (1 more offence)"),
        # 15 - 16 = -1; -6.25% exactly: half away from zero gives 6.3 (half even, 6.2).
        (16, 15, "fell by 6.3% (1 fewer offence)"),
        # 81 - 80 = 1; 1 / 80 = 0.0125, so 1.25%: 1.3 (half even, 1.2).
        (80, 81, "rose by 1.3% (1 more offence)"),
        # 23 / 2000 = 0.0115, so 1.15% exactly; as a float 1.15 is 1.149999..., which
        # Python's round(1.15, 1) takes to 1.1. Half up on the exact value gives 1.2.
        (2000, 2023, "rose by 1.2% (23 more offences)"),
        # 1 / 400 = 0.0025, so 0.25%: 0.3 (half even, 0.2).
        (400, 401, "rose by 0.3% (1 more offence)"),
    ],
)
def test_percentages_round_half_away_from_zero_at_one_place(
    previous: int, latest: int, words: str
) -> None:
    assert words in compared("Burglary", previous, latest).sentence


def test_a_change_too_small_to_show_says_less_than_a_tenth() -> None:
    # 1 / 100,000 = 0.001%, which would round to 0.0%.
    trend = compared("Theft", 100_000, 100_001)
    assert trend.sentence == (
        "Theft rose by less than 0.1% (1 more offence), from 100,000 in 2016/17 to 100,001 "
        "in 2017/18."
    )
    assert trend_table_rows([trend])[0][4] == "less than 0.1%"


def test_decimal_figures_keep_their_decimals_and_thousands_separators() -> None:
    trend = compared("Thefts", "1234.5", "1236.75", unit="incidents")
    # 2.25 / 1234.5 = 0.0018226...: 0.18226% rounds to 0.2%.
    assert trend.sentence == (
        "Thefts rose by 0.2% (2.25 more incidents), from 1,234.5 in 2016/17 to 1,236.75 in 2017/18."
    )
    assert trend.change == Decimal("2.25")
    assert compared("Rate", "12.50", "12.5", unit="per 1,000").sentence == (
        "Rate was unchanged at 12.5 per 1,000 in both 2016/17 and 2017/18."
    )


def test_the_area_leads_the_sentence_and_the_category_keeps_its_capitals() -> None:
    keynsham = table_of(("Burglary", "2016/17", 30), ("Burglary", "2017/18", 31), area="Keynsham")
    assert only_trend(keynsham).sentence == (
        "In Keynsham, burglary rose by 3.3% (1 more offence), from 30 in 2016/17 to 31 in 2017/18."
    )
    asb = table_of(("ASB", "2016/17", 30), ("ASB", "2017/18", 30), area="Keynsham")
    assert only_trend(asb).sentence == (
        "In Keynsham, ASB was unchanged at 30 offences in both 2016/17 and 2017/18."
    )
    missing = table_of(("Arson", "2017/18", 2), area="Keynsham")
    assert only_trend(missing).sentence == (
        "Arson in Keynsham: no figure for 2016/17, so no change can be given; 2017/18: 2 offences."
    )


def test_a_sentence_starts_with_a_capital_letter() -> None:
    assert compared("knife crime", 10, 12).sentence.startswith("Knife crime rose by 20.0% ")


def test_latest_is_the_files_last_period_even_if_it_sorts_first() -> None:
    data = b"category,period,value,unit\nRobbery,2017/18,40,offences\nRobbery,2016/17,45,\n"
    trend = only_trend(read_audit(data, "audit.csv"))
    assert (trend.previous_period, trend.latest_period) == ("2017/18", "2016/17")
    assert trend.sentence.startswith("Robbery rose by 12.5% (5 more offences), from 40 in 2017/18")


def test_trends_come_in_category_file_order_with_each_area() -> None:
    table = AuditTable(
        periods=PERIODS,
        figures=(
            AuditFigure("Vehicle crime", "2016/17", Decimal(5)),
            AuditFigure("Arson", "2016/17", Decimal(3), area="Keynsham"),
            AuditFigure("Arson", "2016/17", Decimal(4)),
            AuditFigure("Vehicle crime", "2017/18", Decimal(6), area="Bath"),
            AuditFigure("Arson", "2017/18", Decimal(5), unit="fires"),
        ),
    )
    found = trends(table)
    assert [(t.category, t.area, t.unit) for t in found] == [
        ("Vehicle crime", None, None),  # no unit given: none assumed
        ("Vehicle crime", "Bath", None),
        ("Arson", "Keynsham", "fires"),
        ("Arson", None, "fires"),
    ]
    assert trends(AuditTable(periods=(), figures=())) == []


def test_series_gives_every_period_with_none_for_a_missing_figure() -> None:
    periods = ("2014/15", "2015/16", "2016/17", "2017/18")
    table = AuditTable(
        periods=periods,
        figures=(
            AuditFigure("Burglary", "2014/15", Decimal(900)),
            AuditFigure("Burglary", "2016/17", Decimal(872)),
            AuditFigure("Burglary", "2017/18", Decimal(1070)),
            AuditFigure("Burglary", "2017/18", Decimal(31), area="Keynsham"),
        ),
    )
    assert series(table, "Burglary") == (periods, (Decimal(900), None, Decimal(872), Decimal(1070)))
    assert series(table, "Burglary", "Keynsham") == (periods, (None, None, None, Decimal(31)))
    with pytest.raises(ValueError, match="no figures for 'Arson'"):
        series(table, "Arson")


def test_table_rows_give_each_trend_as_text_with_dashes_and_words_for_what_is_missing() -> None:
    table = AuditTable(
        periods=PERIODS,
        figures=(
            AuditFigure("Burglary", "2016/17", Decimal(872)),
            AuditFigure("Burglary", "2017/18", Decimal(1070)),
            AuditFigure("Criminal damage", "2016/17", Decimal(226)),
            AuditFigure("Criminal damage", "2017/18", Decimal(214)),
            AuditFigure("Criminal damage", "2016/17", Decimal(9), area="Keynsham"),
            AuditFigure("Criminal damage", "2017/18", Decimal(9), area="Keynsham"),
            AuditFigure("Knife crime", "2016/17", Decimal(0)),
            AuditFigure("Knife crime", "2017/18", Decimal(12)),
            AuditFigure("Arson", "2017/18", Decimal("14.5")),
        ),
    )
    assert trend_table_headers(trends(table)) == (
        "Category",
        "2016/17",
        "2017/18",
        "Change",
        "% change",
    )
    assert trend_table_rows(trends(table)) == [
        ("Burglary", "872", "1,070", "+198", "+22.7%"),
        ("Criminal damage", "226", "214", "-12", "-5.3%"),
        ("Criminal damage (Keynsham)", "9", "9", "0", "0.0%"),
        ("Knife crime", "0", "12", "+12", "–"),
        ("Arson", "no figure", "14.5", "–", "–"),
    ]
    one_period = table_of(("Arson", "2017/18", 14), periods=("2017/18",))
    assert trend_table_headers(trends(one_period))[1:3] == ("Previous period", "2017/18")
    assert trend_table_rows(trends(one_period)) == [("Arson", "–", "14", "–", "–")]


def test_fifteen_digit_figures_are_written_exactly() -> None:
    trend = compared("Calls", "999999999999998", "999999999999999")
    assert "(1 more offence), from 999,999,999,999,998 in 2016/17 to 999,999,999,999,999" in (
        trend.sentence
    )


def test_with_no_unit_from_the_audit_the_figures_are_bare_and_never_called_offences() -> None:
    burglary = compared("Burglary", 872, 1070, unit=None)
    assert burglary.unit is None
    assert burglary.sentence == (
        "Burglary rose by 22.7% (198 more), from 872 in 2016/17 to 1,070 in 2017/18."
    )
    assert compared("Robbery", 45, 45, unit=None).sentence == (
        "Robbery was unchanged at 45 in both 2016/17 and 2017/18."
    )
    one = only_trend(table_of(("Arson", "2017/18", 14), periods=("2017/18",), unit=None))
    assert one.sentence == "Arson: 14 in 2017/18 (no earlier period to compare)."
    missing = only_trend(table_of(("Theft", "2016/17", 9), unit=None))
    assert missing.sentence.endswith("; 2016/17: 9.")
    for trend in (burglary, one, missing):
        assert "offence" not in trend.sentence


def test_anti_social_behaviour_is_counted_in_the_reports_the_audit_says() -> None:
    trend = compared("Anti-social behaviour", 3690, 4000, unit="reports")
    assert trend.sentence == (
        "Anti-social behaviour rose by 8.4% (310 more reports), from 3,690 in 2016/17 to "
        "4,000 in 2017/18."
    )
    assert "offences" not in trend.sentence


@pytest.mark.parametrize(
    ("previous", "latest", "sentence"),
    [
        # 0.4 / 5.1 = 7.84%
        (
            "5.1",
            "5.5",
            "Violence rose by 0.4 per 1,000 people, from 5.1 in 2016/17 to 5.5 in 2017/18 "
            "(a rise of 7.8%).",
        ),
        # -0.4 / 5.5 = -7.27%
        (
            "5.5",
            "5.1",
            "Violence fell by 0.4 per 1,000 people, from 5.5 in 2016/17 to 5.1 in 2017/18 "
            "(a fall of 7.3%).",
        ),
        (
            "0",
            "1.2",
            "Violence rose from 0 in 2016/17 to 1.2 in 2017/18 (a rise of 1.2 per 1,000 "
            "people); there is no percentage change from a base of zero.",
        ),
        (
            "5.1",
            "5.10",
            "Violence was unchanged at 5.1 per 1,000 people in both 2016/17 and 2017/18.",
        ),
    ],
)
def test_a_rate_is_worded_as_a_rate_never_as_a_count(
    previous: str, latest: str, sentence: str
) -> None:
    trend = compared("Violence", previous, latest, unit="crimes per 1,000 people")
    assert trend.sentence == sentence
    assert " more " not in trend.sentence and " fewer " not in trend.sentence


def test_a_wide_audit_file_gives_each_categorys_unit_in_a_unit_column() -> None:
    data = (
        b"category,unit,2016/17,2017/18\n"
        b'Anti-social behaviour,reports,"3,690","4,000"\n'
        b'Burglary,offences,872,"1,070"\n'
        b'Violence,"crimes per 1,000 people",5.1,5.5\n'
        b"Arson,,63,53\n"
    )
    table = read_audit(data, "audit.csv")
    assert table.periods == PERIODS
    found = trends(table)
    assert [t.unit for t in found] == ["reports", "offences", "crimes per 1,000 people", None]
    assert [t.sentence.split(", from")[0] for t in found] == [
        "Anti-social behaviour rose by 8.4% (310 more reports)",
        "Burglary rose by 22.7% (198 more offences)",
        "Violence rose by 0.4 per 1,000 people",
        "Arson fell by 15.9% (10 fewer)",
    ]


def test_a_rate_from_raw_floats_is_rounded_to_one_place_and_worded_as_a_rate() -> None:
    unit = "offences per 1,000 residents"
    table = AuditTable(
        periods=PERIODS,
        figures=tuple(
            AuditFigure("Violence", period, Decimal(value), unit=unit, measure=Measure.RATE)
            for period, value in (("2016/17", "78.61234"), ("2017/18", "75.2049"))
        ),
    )
    assert only_trend(table).sentence == (
        "Violence fell by 3.4 per 1,000 residents, from 78.6 in 2016/17 to 75.2 in 2017/18 "
        "(a fall of 4.3%)."
    )
    assert trend_table_rows(trends(table)) == [("Violence", "78.6", "75.2", "-3.4", "-4.3%")]


PERCENTAGE = Measure.PERCENTAGE


def test_a_percentage_changes_in_percentage_points() -> None:
    table = AuditTable(
        periods=PERIODS,
        figures=tuple(
            AuditFigure(
                "Repeat victims", period, Decimal(value), unit="%", measure=Measure.PERCENTAGE
            )
            for period, value in (("2016/17", "45.23"), ("2017/18", "43.01"))
        ),
    )
    assert only_trend(table).sentence == (
        "Repeat victims fell from 45.2% in 2016/17 to 43% in 2017/18 (2.2 percentage points)."
    )
