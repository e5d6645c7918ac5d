"""Measures against targets: goals and baselines read from words, which way is better, one kind
of period a target, figures from imported audits and figures officers enter (CLI)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from assembly.core.periods import PeriodKind
from assembly.core.strategy import TargetSpec
from assembly.core.target_progress import (
    Better,
    Point,
    Verdict,
    entered_period,
    entered_value,
    first_number,
    progress_of,
    target_chart,
)
from assembly.data import delivery, target_figures
from tests.test_delivery import adopt_demo
from tests.test_strategy_consultation import STRATEGY

ASB = TargetSpec("Fewer reports of anti-social behaviour", value="3,600 reports (10% fewer)",
                 audit_category="Anti-social behaviour", by="March 2030")  # fmt: skip


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("3,600 reports (10% fewer)", Decimal(3600)),
        ("45 offences", Decimal(45)),
        ("four events in 2025/26", Decimal(4)),
        ("two of five areas in 2025/26", Decimal(2)),
        ("12.5 per 1,000 people", Decimal("12.5")),
        ("no alcohol strategy in place in 2026", None),
        ("Adopted by the board", None),
    ],
)
def test_a_targets_number_is_the_first_its_words_name_and_years_are_not_numbers(
    words: str, number: Decimal | None
) -> None:
    assert first_number(words) == number


def test_figures_of_another_kind_of_period_are_left_out_never_compared() -> None:
    points = [Point("2026/27", Decimal(3700), "audit"), Point("Jan to Mar 2027", Decimal(900), "x"),
              Point("2024/25", Decimal(3690), "audit")]  # fmt: skip
    progress = progress_of(1, "ASB", ASB, (Decimal(4000), "2025/26"), points, "reports")
    assert progress.kind is PeriodKind.FINANCIAL_YEAR
    assert [p.period for p in progress.points] == ["2026/27"], "before the baseline: left out"
    assert progress.left_out == ("Jan to Mar 2027",)
    assert progress.better is Better.LOWER and progress.goal == Decimal(3600)
    assert progress.verdict is Verdict.RIGHT_WAY
    assert progress.sentence() == (
        "Fewer reports of anti-social behaviour: 3,700 in 2026/27 against a baseline of 4,000 "
        "in 2025/26 and a target of 3,600 by March 2030. Lower is better: moving the right way."
    )


@pytest.mark.parametrize(
    ("latest", "verdict"),
    [
        (3500, Verdict.MET),
        (3600, Verdict.MET),
        (4000, Verdict.NO_CHANGE),
        (4100, Verdict.WRONG_WAY),
    ],  # fmt: skip
)
def test_where_a_target_stands_follows_the_direction_that_counts_as_better(
    latest: int, verdict: Verdict
) -> None:
    points = [Point("2026/27", Decimal(latest), "audit")]
    assert progress_of(1, "ASB", ASB, (Decimal(4000), "2025/26"), points).verdict is verdict
    more = TargetSpec("Training events", value="6 a year", baseline="four events in 2025/26")
    higher = progress_of(2, "DA", more, (Decimal(4), "2025/26"), [Point("2026/27", Decimal(5), "")])
    assert higher.better is Better.HIGHER and higher.verdict is Verdict.RIGHT_WAY


def test_the_chart_draws_actual_target_and_baseline_with_its_table() -> None:
    points = [Point("2026/27", Decimal(3700), "audit"), Point("2027/28", Decimal(3550), "audit")]
    chart = target_chart(progress_of(1, "ASB", ASB, (Decimal(4000), "2025/26"), points, "reports"))
    assert chart is not None
    assert chart.title == (
        "Fewer reports of anti-social behaviour: actual against target (lower is better)"
    )
    assert chart.headers == ("Figure", "2025/26", "2026/27", "2027/28")
    assert chart.rows == (
        ("Actual", "4,000", "3,700", "3,550"),
        ("Target", "3,600", "3,600", "3,600"),
        ("Baseline", "4,000", "4,000", "4,000"),
    )
    assert "target met" in chart.alt_text
    assert chart.png.startswith(b"\x89PNG") and b"<svg" in chart.svg
    assert target_chart(progress_of(1, "ASB", ASB, (Decimal(4000), "2025/26"), [])) is None


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("2026/27", "2026/27"),
        ("2027-Q1", "Jan to Mar 2027"),
        ("q3 2027", "Jul to Sep 2027"),
        ("2027-03", "Mar 2027"),
        (" 2027 ", "2027"),
    ],  # fmt: skip
)
def test_an_entered_period_is_written_as_audits_write_it(typed: str, label: str) -> None:
    assert entered_period(typed) == label


@pytest.mark.parametrize(
    ("typed", "message"),
    [("soon", "'soon' is not a period"), ("", "'' is not a period")],
)
def test_an_entered_period_must_be_one_audits_know(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        entered_period(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "'lots' is not a number"),
        ("-3", "from 0"),
        ("1.1234567", "six places"),
        ("NaN", "from 0"),
    ],  # fmt: skip
)
def test_an_entered_figure_must_be_a_number_in_range(typed: str, message: str) -> None:
    assert entered_value("3,650") == Decimal(3650)
    with pytest.raises(ValueError, match=message):
        entered_value(typed)


# The database and the command line.


def record(runner: FlaskCliRunner, target: str, period: str, value: str):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["measures", "record", "--strategy", STRATEGY, "--target", target,
                               "--period", period, "--value", value])  # fmt: skip


def import_audit(runner: FlaskCliRunner, tmp_path: Path, name: str, rows: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text("category,period,value,unit\n" + rows, encoding="utf-8")
    done = runner.invoke(args=["audit", "import", str(path), "--name", name])
    assert done.exit_code == 0, done.output


@pytest.mark.db
def test_a_linked_target_takes_its_figures_from_newly_imported_audits(
    runner: FlaskCliRunner, on_day, tmp_path: Path
) -> None:
    adopt_demo(runner)
    strategy = delivery.delivered(STRATEGY)
    before = target_figures.measures_of(strategy)[0]
    assert (before.baseline, before.baseline_period) == (Decimal(4000), "2025/26")
    assert before.points == () and before.verdict is Verdict.NO_FIGURES
    quarter = "Anti-social behaviour,Apr to Jun 2026,950,reports\n"
    import_audit(runner, tmp_path, "Q1 figures", quarter)
    year = 'Anti-social behaviour,2026/27,"3,700",reports\nArson,2026/27,50,offences\n'
    import_audit(runner, tmp_path, "Year figures", year)
    measured = target_figures.measures_of(strategy)
    asb, arson = measured[0], measured[1]
    assert [(p.period, p.value, p.source) for p in asb.points] == [
        ("2026/27", Decimal(3700), "audit 'Year figures'")
    ]
    assert asb.left_out == ("Apr to Jun 2026",), "a quarter is never set against a year"
    assert asb.unit == "reports" and asb.verdict is Verdict.RIGHT_WAY
    assert (arson.baseline, arson.latest.value if arson.latest else None) == (53, 50)
    refused = record(runner, "1", "2026/27", "3,500")
    assert refused.exit_code != 0
    assert "comes from audit 'Year figures' (3,700): import a corrected audit" in refused.output


@pytest.mark.db
def test_an_officer_enters_a_figure_for_a_target_no_audit_measures(
    runner: FlaskCliRunner, on_day
) -> None:
    adopt_demo(runner)
    strategy = delivery.delivered(STRATEGY)
    number = next(m.number for m in target_figures.measures_of(strategy)
                  if m.spec.target.startswith("Six domestic abuse"))  # fmt: skip
    done = record(runner, str(number), "2026/27", "5")
    assert done.exit_code == 0, done.output
    assert "5 in 2026/27 against a baseline of 4 in 2025/26 and a target of 6" in done.output
    assert record(runner, str(number), "2026/27", "6").exit_code == 0, "replaces, not adds"
    measure = target_figures.measures_of(strategy)[number - 1]
    assert [(p.period, p.value) for p in measure.points] == [("2026/27", Decimal(6))]
    assert measure.verdict is Verdict.MET
    listed = runner.invoke(args=["measures", "list", "--strategy", STRATEGY])
    assert f"{number}\t" in listed.output and "entered by command line" in listed.output


@pytest.mark.db
@pytest.mark.parametrize(
    ("target", "period", "value", "message"),
    [
        ("99", "2026/27", "5", "has no target 99: its targets are numbered 1 to"),
        (
            "3",
            "2027-Q1",
            "5",
            "Jan to Mar 2027 is a quarter, but target 3's figures are each a financial year",
        ),
        ("3", "2024/25", "5", "2024/25 is not after the baseline (2025/26)"),
        ("3", "2026/27", "many", "'many' is not a number"),
        ("3", "whenever", "5", "'whenever' is not a period"),
    ],
)
def test_a_refused_figure_says_why_and_saves_nothing(
    runner: FlaskCliRunner, on_day, target: str, period: str, value: str, message: str
) -> None:
    adopt_demo(runner)
    strategy = delivery.delivered(STRATEGY)
    assert target_figures.measures_of(strategy)[2].spec.target.startswith("Six domestic abuse")
    done = record(runner, target, period, value)
    assert done.exit_code != 0 and "nothing saved" in done.output
    assert message in done.output
    assert all(m.points == () for m in target_figures.measures_of(strategy)[2:])
