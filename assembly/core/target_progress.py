"""Measures against targets: each target's baseline, goal and actual figures, period by period.

Pure core. A target's words are free text ("3,600 reports (10% fewer)", "four events in
2025/26"), so its goal and baseline are the first number they name, if any. Actual figures
come from imported audits (for a target linked to an audit category) or are entered by an
officer; one target's figures are always of one kind of period (financial years are never
set against quarters), and which way counts as better is read from baseline and goal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from assembly.core.measures import Measure
from assembly.core.periods import PeriodKind, chronological, month, period_kind, quarter
from assembly.core.strategy import TargetSpec
from assembly.core.trends import shown
from common.text import clean_line
from survey.core import charts
from survey.core.charts import Chart

VALUE_LIMIT = Decimal("1e15")  # the column holds 24 digits, 6 after the point
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve")  # fmt: skip
_NUMBER = re.compile(r"(?<![\w/])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/])")
_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
_PERIOD_IN = re.compile(r"\b(\d{4}/\d{2}|\d{4})\b")
_DASHED_QUARTER = re.compile(r"(\d{4})\s*-?\s*q([1-4])|q([1-4])\s*-?\s*(\d{4})", re.IGNORECASE)
_DASHED_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
NO_UNIT = "Recorded figure"


class Better(StrEnum):
    """Which way a figure should move to meet its target."""

    LOWER = "lower"
    HIGHER = "higher"
    UNKNOWN = "not known"


class Verdict(StrEnum):
    """Where the latest figure stands against its target."""

    MET = "target met"
    RIGHT_WAY = "moving the right way"
    WRONG_WAY = "moving the wrong way"
    NO_CHANGE = "no change from the baseline"
    NO_FIGURES = "no figures yet"
    NOT_JUDGED = "not judged: no number to compare"


@dataclass(frozen=True)
class Point:
    """One actual figure: its period, value and where it came from."""

    period: str
    value: Decimal
    source: str  # "audit 2026/27 figures" or "entered by jo@example.org"


@dataclass(frozen=True)
class TargetProgress:
    """A target's figures for councillors, the actions page and both reports."""

    number: int  # 1, 2, 3 across the strategy, in its order: how the command line names it
    priority: str
    spec: TargetSpec
    baseline: Decimal | None
    baseline_period: str | None
    goal: Decimal | None
    better: Better
    points: tuple[Point, ...]  # in time order, every one of `kind`
    kind: PeriodKind | None
    unit: str | None
    measure: Measure = Measure.COUNT
    left_out: tuple[str, ...] = ()  # periods of another kind than the baseline's

    @property
    def latest(self) -> Point | None:
        """The newest actual figure."""
        return self.points[-1] if self.points else None

    @property
    def verdict(self) -> Verdict:
        """Where the latest figure stands against the goal (or the baseline)."""
        latest = self.latest
        if latest is None:
            return Verdict.NO_FIGURES
        if self.better is Better.UNKNOWN:
            return Verdict.NOT_JUDGED
        sign = 1 if self.better is Better.HIGHER else -1
        if self.goal is not None and (latest.value - self.goal) * sign >= 0:
            return Verdict.MET
        if self.baseline is None:
            return Verdict.NOT_JUDGED
        moved = (latest.value - self.baseline) * sign
        if moved == 0:
            return Verdict.NO_CHANGE
        return Verdict.RIGHT_WAY if moved > 0 else Verdict.WRONG_WAY

    def shown(self, value: Decimal | None) -> str:
        """A figure of this target as every page and report writes it."""
        return "no figure" if value is None else shown(value, self.measure)

    def sentence(self) -> str:
        """The target's position in words, for alt text, the page and the reports."""
        parts = [f"{self.spec.target}:"]
        latest = self.latest
        parts.append(
            f"{self.shown(latest.value)} in {latest.period}" if latest else "no actual figure yet"
        )
        if self.baseline is not None:
            when = f" in {self.baseline_period}" if self.baseline_period else ""
            parts.append(f"against a baseline of {self.shown(self.baseline)}{when}")
        if self.goal is not None:
            by = f" by {self.spec.by}" if self.spec.by else ""
            parts.append(f"{'and' if self.baseline is not None else 'against'} a target of "
                         f"{self.shown(self.goal)}{by}")  # fmt: skip
        text = " ".join(parts) + "."
        if self.better is not Better.UNKNOWN:
            text += f" {self.better.value.capitalize()} is better"
            text += f": {self.verdict.value}." if latest else "."
        return text


def first_number(text: str) -> Decimal | None:
    """The first number `text` names: '3,600 reports (10% fewer)' 3600, 'four events' 4;
    None for words naming none ('Adopted by the board'). Years in '2025/26' are not numbers."""
    figure = next((f for f in _NUMBER.finditer(text) if not _a_year(f.group(0))), None)
    word = _WORD.search(text)
    if word and (figure is None or word.start() < figure.start()):
        return Decimal(NUMBER_WORDS.index(word.group(1).lower()))
    if figure is None:
        return None
    return Decimal(figure.group(1).replace(",", "") + (figure.group(2) or ""))


def _a_year(text: str) -> bool:
    """'2026' in 'in place in 2026' names a year, not an amount."""
    return len(text) == 4 and text.isdigit() and 1990 <= int(text) <= 2100


def period_named(text: str) -> str | None:
    """The financial or calendar year a baseline's words name ('four events in 2025/26')."""
    found = _PERIOD_IN.search(text)
    return found.group(1) if found else None


def better_way(baseline: Decimal | None, goal: Decimal | None) -> Better:
    """Lower is better when the goal is below the baseline, higher when above."""
    if baseline is None or goal is None or baseline == goal:
        return Better.UNKNOWN
    return Better.LOWER if goal < baseline else Better.HIGHER


def entered_period(text: str) -> str:
    """A period an officer types, as audits write it: '2026/27', '2027', 'Jan to Mar 2027'
    (from '2027-Q1' too), 'Mar 2027' (from '2027-03'); ValueError naming what is expected."""
    label = " ".join(clean_line(text).split())
    dashed = _DASHED_QUARTER.fullmatch(label)
    if dashed:
        year = int(dashed.group(1) or dashed.group(4))
        label = quarter(year, int(dashed.group(2) or dashed.group(3)) * 3 - 2)
    dashed_month = _DASHED_MONTH.fullmatch(label)
    if dashed_month:
        label = month(int(dashed_month.group(1)), int(dashed_month.group(2)))
    if not label or period_kind(label) is PeriodKind.OTHER or len(label) > 40:
        raise ValueError(
            f"'{label[:40]}' is not a period: write a financial year (2026/27), a calendar "
            "year (2027), a quarter (2027-Q1) or a month (2027-03)"
        )
    return label


def entered_value(text: str) -> Decimal:
    """A figure an officer types ('3,650', '12.5'); ValueError saying what is wrong."""
    cleaned = clean_line(text).strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(
            f"'{cleaned[:40]}' is not a number: write the figure, like 3,650"
        ) from None
    if not value.is_finite() or value < 0 or value >= VALUE_LIMIT:
        raise ValueError("The figure must be a number from 0 up to a thousand million million")
    if value != value.quantize(Decimal("0.000001")):
        raise ValueError("The figure can have at most six places after the decimal point")
    return value


def kind_of_figures(baseline_period: str | None, periods: Sequence[str]) -> PeriodKind | None:
    """The kind of period a target's figures are: its baseline's, else its first figure's."""
    if baseline_period is not None and period_kind(baseline_period) is not PeriodKind.OTHER:
        return period_kind(baseline_period)
    ordered = chronological(periods)
    return period_kind(ordered[0]) if ordered else None


def progress_of(
    number: int,
    priority: str,
    spec: TargetSpec,
    baseline: tuple[Decimal, str | None] | None,
    points: Sequence[Point],
    unit: str | None = None,
    measure: Measure = Measure.COUNT,
) -> TargetProgress:
    """A target's progress from its baseline (value and period) and every actual figure:
    only figures of the baseline's kind of period, after it, in time order."""
    value, period = baseline if baseline else (None, None)
    kind = kind_of_figures(period, [p.period for p in points])
    kept = [p for p in points if period_kind(p.period) is kind]
    if period is not None:
        order = chronological([period, *(p.period for p in kept)])
        kept = [p for p in kept if order.index(p.period) > order.index(period)]
    by_period = {p.period: p for p in kept}
    ordered = tuple(by_period[p] for p in chronological(list(by_period)))
    goal = first_number(spec.value) if spec.value else None
    return TargetProgress(
        number=number,
        priority=priority,
        spec=spec,
        baseline=value,
        baseline_period=period,
        goal=goal,
        better=better_way(value, goal),
        points=ordered,
        kind=kind,
        unit=unit,
        measure=measure,
        left_out=tuple(p.period for p in points if period_kind(p.period) is not kind),
    )


def target_chart(progress: TargetProgress) -> Chart | None:
    """Actual figures against the target and the baseline, as lines over the periods; None
    when there is nothing to draw (no actual figure and no baseline)."""
    periods = ([progress.baseline_period] if progress.baseline_period else []) + [
        p.period for p in progress.points
    ]
    if not progress.points or not periods:
        return None
    actual: list[Decimal | None] = ([progress.baseline] if progress.baseline_period else []) + [
        p.value for p in progress.points
    ]
    series: list[tuple[str, Sequence[float | None]]] = [("Actual", _floats(actual))]
    rows = [("Actual", *(progress.shown(v) for v in actual))]
    for label, value in (("Target", progress.goal), ("Baseline", progress.baseline)):
        if value is not None:
            series.append((label, [float(value)] * len(periods)))
            rows.append((label, *([progress.shown(value)] * len(periods))))
    better = (
        f" ({progress.better.value} is better)" if progress.better is not Better.UNKNOWN else ""
    )
    unit = progress.unit or NO_UNIT
    return charts.trend_chart(
        name=f"target-{progress.number}",
        title=f"{progress.spec.target}: actual against target{better}",
        periods=periods,
        series=series,
        unit=unit[:1].upper() + unit[1:],
        alt_text=progress.sentence(),
        headers=("Figure", *periods),
        rows=rows,
    )


def _floats(values: Sequence[Decimal | None]) -> list[float | None]:
    return [None if v is None else float(v) for v in values]
