"""The charts of a strategy draft: the consultation's (by `survey.core.charts`) and the audit's.

Pure. The audit gets a chart of each category's change since the period before, and each
priority a line chart of its linked categories over every period of the audit. Every label
and table cell is written by `common.display` (through `assembly.core.trends` for figures),
and every unit is the audit's own: a line chart's axis says "Offences", "Reports" or "Crimes
per 1,000 people", never a unit the audit did not give, and no chart mixes two units.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TypeVar

from matplotlib.figure import Figure

from assembly.core.audit_files import AuditTable
from assembly.core.language import ENGLISH_WORDS, N_, Words
from assembly.core.measures import Measure
from assembly.core.periods import same_kind
from assembly.core.strategy import PrioritySpec, StrategySpec
from assembly.core.strategy_document import DraftCharts, agreement_result, concerns_result
from assembly.core.trends import (
    MEASURE_WORDS,
    Direction,
    Trend,
    amount,
    comparison,
    series,
    shown,
    trend_table_headers,
    trend_table_rows,
)
from assembly.core.wording import join_words
from common import chart_drawing as draw
from common import display
from survey.core import charts
from survey.core.charts import Chart
from survey.core.results import Breakdown, ConsultationResults, ScaleResult, TextResult

RISE_HATCH, FALL_HATCH = "", "\\\\"  # falls are hatched as well as coloured
NO_UNIT = N_("Recorded figures")  # a line chart's axis when the audit gives no unit


def draft_charts(
    strategy: StrategySpec,
    results: ConsultationResults,
    breakdown: Breakdown | None,
    table: AuditTable,
    trends: Sequence[Trend],
    tr: Words = ENGLISH_WORDS,
    welsh: Mapping[str, str] | None = None,
) -> DraftCharts:
    """Every chart the draft shows, each drawn once, in the language of `tr`; the questions
    in the consultation's own `welsh` (by question key) where it is given."""
    own = welsh or {}
    agreement = _in_own_words(agreement_result(results), own)
    worries = _in_own_words(concerns_result(results), own)
    if breakdown is not None:
        breakdown = dataclasses.replace(
            breakdown,
            text=own.get(breakdown.key, breakdown.text),
            by_text=own.get(breakdown.by_key, breakdown.by_text),
        )
    threshold = results.threshold
    return DraftCharts(
        trends=change_chart(trends, tr),
        agreement=charts.scale_chart(agreement, threshold, tr.say) if agreement else None,
        themes=charts.themes_chart(worries, threshold, tr.say) if worries else None,
        breakdown=charts.breakdown_chart(breakdown, threshold, tr.say) if breakdown else None,
        priorities={p.name: priority_charts(p, table, trends, tr) for p in strategy.priorities},
        comparators=comparator_chart(table, trends, tr),
    )


Quoted = TypeVar("Quoted", ScaleResult, TextResult)


def _in_own_words(result: Quoted | None, own: Mapping[str, str]) -> Quoted | None:
    """A result with its question's text as the consultation gives it in `own`, if at all."""
    if result is None or result.key not in own:
        return result
    return dataclasses.replace(result, text=own[result.key])


COMPARATOR_HATCHES = ("", "//", "..", "xx")  # the partnership plain, each comparator hatched


def comparator_chart(
    table: AuditTable, trends: Sequence[Trend], tr: Words = ENGLISH_WORDS
) -> Chart | None:
    """The partnership's latest rate (or percentage) beside its comparators' for each category
    the file compares: counts of areas of different sizes say nothing side by side, so only
    one measure that is not a count is drawn, the first the file gives."""
    compared = [t for t in _whole_area(trends) if t.measure is not Measure.COUNT]
    compared = [t for t in compared if comparison(table, t, tr) is not None]
    if not compared or table.area_name is None:
        return None
    measure, unit, period = compared[0].measure, compared[0].unit, compared[0].latest_period
    compared = [
        t for t in compared if (t.measure, t.unit, t.latest_period) == (measure, unit, period)
    ]
    areas = list(
        dict.fromkeys(
            f.area
            for f in table.comparators
            if f.area and f.value is not None and f.measure is measure and f.period == period
        )
    )
    value_of = {
        (f.category, f.area): f.value
        for f in table.comparators
        if f.measure is measure and f.period == period
    }
    names = [table.area_name, *areas]
    rows = []
    bars: list[tuple[str, list[tuple[str, float | None, str]]]] = []
    for trend in compared:
        values = [trend.latest_value, *(value_of.get((trend.category, a)) for a in areas)]
        texts = [tr("no figure") if v is None else shown(v, measure) for v in values]
        rows.append((trend.category, *texts))
        bars.append(
            (
                trend.category,
                [
                    (name, None if v is None else float(v), text)
                    for name, v, text in zip(names, values, texts, strict=True)
                ],
            )
        )
    what = unit or tr(MEASURE_WORDS[measure])
    title = tr(
        "%(what)s, %(period)s: %(area)s beside %(others)s",
        what=_capitalised(what),
        period=period,
        area=table.area_name,
        others=join_words(areas, tr),
    )
    words = " ".join(sentence for t in compared if (sentence := comparison(table, t, tr)))
    labels = [category for category, _ in bars]
    return Chart(
        "audit-comparators",
        title,
        words,
        (tr("Category"), *names),
        tuple(rows),
        drawing=draw.Drawing(
            title,
            lambda figure: _comparator_bars(figure, bars, names, what),
            draw.rows_for(labels) * len(names) * 0.6,
        ),
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _comparator_bars(
    figure: Figure,
    bars: Sequence[tuple[str, Sequence[tuple[str, float | None, str]]]],
    names: Sequence[str],
    what: str,
) -> None:
    ax = figure.add_subplot()
    height = 0.8 / len(names)
    colours = [draw.BLUE, draw.SKY, draw.ORANGE, draw.PURPLE]
    for y, (_, group) in enumerate(bars):
        for n, (_, value, text) in enumerate(group):
            at = y - 0.4 + height * (n + 0.5)
            if value is None:
                ax.annotate(
                    f"{names[n]}: {text}",
                    (0, at),
                    xytext=(5, 0),
                    textcoords="offset points",
                    va="center",
                )
                continue
            ax.barh(
                at,
                value,
                height=height * 0.9,
                color=colours[n % len(colours)],
                hatch=COMPARATOR_HATCHES[n % len(COMPARATOR_HATCHES)],
                edgecolor="white",
            )
            ax.annotate(  # each bar names its area: no legend to match colours against
                f"{names[n]}: {text}",
                (value, at),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
            )
    ax.set_yticks(range(len(bars)), [draw.wrap(category) for category, _ in bars])
    ax.set_ylim(len(bars) - 0.5, -0.5)
    values = [v for _, group in bars for _, v, _ in group if v is not None] or [1.0]
    ax.set_xlim(0, max(values) * 1.9)  # room for the longest area's name after its bar
    draw.exact_ticks(ax.xaxis, "")
    ax.set_xlabel(_capitalised(what))
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=draw.GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _whole_area(trends: Sequence[Trend]) -> list[Trend]:
    return [t for t in trends if t.area is None]


def change_chart(trends: Sequence[Trend], tr: Words = ENGLISH_WORDS) -> Chart | None:
    """Each category's % change since the period before: rises right, falls left (hatched)."""
    shown = _whole_area(trends)
    if not shown:
        return None
    rows = trend_table_rows(shown, tr)
    latest = shown[0].latest_period
    previous = shown[0].previous_period
    title = (
        tr(
            "Change in recorded figures, %(previous)s to %(latest)s",
            previous=previous,
            latest=latest,
        )
        if previous
        else tr("Recorded figures, %(latest)s", latest=latest)
    )
    bars = [
        (
            t.category,
            None if t.percent_change is None else float(t.percent_change),
            row[4] if t.percent_change is not None else _no_percent(t, tr),
        )
        for t, row in zip(shown, rows, strict=True)
    ]
    headers = trend_table_headers(shown, tr)
    axis = tr("%% change (rises to the right, falls to the left and hatched)")
    return Chart(
        "audit-change",
        title,
        change_words(shown, tr),
        headers,
        tuple(rows),
        # Drawn when asked, like survey's charts: a draft draws only the PNG.
        drawing=draw.Drawing(
            title,
            lambda figure: _change_bars(figure, bars, axis),
            draw.rows_for([label for label, _, _ in bars]),
        ),
    )


def _no_percent(trend: Trend, tr: Words = ENGLISH_WORDS) -> str:
    """A bar's label with no percentage: no figure, or the change from zero in its unit."""
    if trend.change is None:
        return tr("no figure")
    sign = "+" if trend.change > 0 else "-" if trend.change < 0 else ""
    return tr(
        "%(change)s from zero (no %%)", change=f"{sign}{amount(abs(trend.change), trend.unit)}"
    )


def change_words(trends: Sequence[Trend], tr: Words = ENGLISH_WORDS) -> str:
    """The chart's main message: how many rose and fell, and the largest of each."""
    rose = [t for t in trends if t.direction is Direction.ROSE]
    fell = [t for t in trends if t.direction is Direction.FELL]
    latest, previous = trends[0].latest_period, trends[0].previous_period
    if previous is None:
        return tr(
            "The audit has figures for %(latest)s only, so no change can be shown.", latest=latest
        )
    words = [
        tr.ngettext(
            "Of %(count)s category, %(rose)s rose and %(fell)s fell between %(previous)s and "
            "%(latest)s.",
            "Of %(count)s categories, %(rose)s rose and %(fell)s fell between %(previous)s and "
            "%(latest)s.",
            len(trends),
            count=display.number(len(trends)),
            rose=display.number(len(rose)),
            fell=display.number(len(fell)),
            previous=previous,
            latest=latest,
        )
    ]
    comparable = [t for t in rose + fell if t.percent_change is not None]
    if rose and comparable:
        largest = max(rose, key=lambda t: t.percent_change or 0)
        words.append(tr("The largest rise: %(sentence)s", sentence=largest.sentence))
    if fell and comparable:
        largest = min(fell, key=lambda t: t.percent_change or 0)
        words.append(tr("The largest fall: %(sentence)s", sentence=largest.sentence))
    each = [
        f"{t.category} {row[4] if t.percent_change is not None else _no_percent(t, tr)}"
        for t, row in zip(trends, trend_table_rows(trends, tr), strict=True)
    ]
    words.append(tr("Each category: %(each)s.", each=join_words(each, tr)))
    return " ".join(words)


def _change_bars(
    figure: Figure,
    bars: Sequence[tuple[str, float | None, str]],
    axis: str = "% change (rises to the right, falls to the left and hatched)",
) -> None:
    ax = figure.add_subplot()
    ax.set_yticks(range(len(bars)), [draw.wrap(label) for label, _, _ in bars])
    ax.set_ylim(len(bars) - 0.5, -0.5)
    values = [v for _, v, _ in bars if v is not None] or [0.0]
    reach = max(10.0, max(abs(v) for v in values)) * 1.45
    ax.set_xlim(-reach if min(values) < 0 else -reach * 0.15, reach)
    for y, (_, value, text) in enumerate(bars):
        if value is None:
            ax.annotate(text, (0, y), xytext=(5, 0), textcoords="offset points", va="center")
            continue
        rise = value >= 0
        ax.barh(
            y,
            value,
            height=0.6,
            color=draw.BLUE if rise else draw.VERMILLION,
            hatch=RISE_HATCH if rise else FALL_HATCH,
            edgecolor="white",
        )
        ax.annotate(
            text,
            (value, y),
            xytext=(5 if rise else -5, 0),
            textcoords="offset points",
            va="center",
            ha="left" if rise else "right",
        )
    ax.axvline(0, color=draw.INK, linewidth=1)
    draw.exact_ticks(ax.xaxis, "%")
    ax.set_xlabel(axis)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=draw.GRID, linewidth=0.8)
    ax.set_axisbelow(True)


SCALE_SPREAD = 10  # lines whose largest figures differ more than this share no chart


def priority_charts(
    priority: PrioritySpec, table: AuditTable, trends: Sequence[Trend], tr: Words = ENGLISH_WORDS
) -> tuple[Chart, ...]:
    """Line charts of a priority's linked audit categories over every period, if any.

    Categories of very different size (4,000 reports of anti-social behaviour, 53 arsons) get
    charts of their own, so the small one is not drawn as a flat line along the bottom; so do
    categories in different units, so that each axis names what it counts.
    """
    linked = [t for t in _whole_area(trends) if t.category in set(priority.audit_categories)]
    if not linked or len(table.periods) < 2:
        return ()
    groups = scale_groups(table, linked)
    return tuple(
        _line_chart(table, group, f"priority-{_slug(priority.name)}-{number}", tr)
        for number, group in enumerate(groups, start=1)
    )


def scale_groups(table: AuditTable, linked: Sequence[Trend]) -> list[list[Trend]]:
    """`linked` in groups of one unit whose largest figures are within SCALE_SPREAD of each other.

    Units are in the order they first appear; within a unit, groups are in order of size,
    largest first; within a group, the strategy's order is kept.
    """
    units: dict[str | None, list[Trend]] = {}
    for trend in linked:
        units.setdefault(_unit_key(trend.unit), []).append(trend)
    return [group for same in units.values() for group in _by_size(table, same)]


def _unit_key(unit: str | None) -> str | None:
    return None if unit is None else " ".join(unit.split()).casefold()


def _by_size(table: AuditTable, linked: Sequence[Trend]) -> list[list[Trend]]:
    peaks = {
        t.category: max((v for v in series(table, t.category, None, t.measure)[1] if v), default=0)
        for t in linked
    }
    groups: list[list[Trend]] = []
    for trend in sorted(linked, key=lambda t: -peaks[t.category]):
        group = groups[-1] if groups else None
        top = peaks[group[0].category] if group else 0
        if group and peaks[trend.category] * SCALE_SPREAD >= top:
            group.append(trend)
        else:
            groups.append([trend])
    order = {t.category: i for i, t in enumerate(linked)}
    return [sorted(group, key=lambda t: order[t.category]) for group in groups]


def _line_chart(
    table: AuditTable, linked: Sequence[Trend], name: str, tr: Words = ENGLISH_WORDS
) -> Chart:
    periods = same_kind(table.periods, linked[0].latest_period)  # one kind of period a line
    lines: list[tuple[str, Sequence[float | None]]] = []
    rows = []
    for trend in linked:
        _, values = series(table, trend.category, measure=trend.measure, periods=periods)
        lines.append((trend.category, [None if v is None else float(v) for v in values]))
        cells = (tr("no figure") if v is None else shown(v, trend.measure) for v in values)
        rows.append((trend.category, *cells))
    unit = linked[0].unit  # `scale_groups` gives each chart one unit
    named = join_words([t.category for t in linked], tr)
    title = tr(
        "%(categories)s, %(first)s to %(last)s",
        categories=named,
        first=periods[0],
        last=periods[-1],
    )
    return charts.trend_chart(
        name=name,
        title=title,
        periods=periods,
        series=lines,
        unit=tr(NO_UNIT) if unit is None else unit[:1].upper() + unit[1:],
        alt_text=" ".join(t.sentence for t in linked),
        headers=(tr("Category"), *periods),
        rows=rows,
    )


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
