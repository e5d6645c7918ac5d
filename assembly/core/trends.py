"""What an audit's figures say: each category's latest period against the one before it.

Pure core: plain dataclasses in and out. "Latest" and "before" follow the order of the
audit's periods as its file gave them, never a sort. Values and changes are exact Decimals;
every number a person reads is written through `common.display`, so the sentence, the
table and the chart agree. Units are the audit's own ("offences", "reports", "crimes per
1,000 people"): a category the file gives no unit for is written as bare figures, never
called offences, and a rate (a unit with "per") is written as a rate, never as a count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Context, Decimal
from enum import StrEnum

from assembly.core.audit_files import AuditFigure, AuditTable
from assembly.core.language import ENGLISH_WORDS, N_, Words
from assembly.core.measures import Measure, for_display, measure_of
from assembly.core.periods import compared_periods, same_kind
from common import display

NO_FIGURE = "–"  # an en dash: a table cell with nothing to show
_EXACT = Context(prec=40)  # fixed, so a caller's decimal context cannot change results
_SMALLEST_PERCENT = Decimal("0.05")  # below this a percentage rounds to 0.0%


class Direction(StrEnum):
    """Which way a category moved from the previous period to the latest."""

    ROSE = "rose"
    FELL = "fell"
    UNCHANGED = "unchanged"
    UNKNOWN = "unknown"  # a figure is missing, or there is no earlier period


@dataclass(frozen=True)
class Trend:
    """A category's (and area's) latest figure against the period before, and what it says.

    `area` None is the whole partnership. `unit` is the audit's, None when it gives none.
    `previous_period` is None when the audit has one period; values are None when the file
    gives no figure for that period. `change` is latest minus previous; `percent_change` is
    None when either is missing or the previous figure is zero.
    """

    category: str
    area: str | None
    unit: str | None
    previous_period: str | None
    previous_value: Decimal | None
    latest_period: str
    latest_value: Decimal | None
    change: Decimal | None
    percent_change: Decimal | None
    direction: Direction
    sentence: str
    measure: Measure = Measure.COUNT


SeriesKey = tuple[str, str | None, Measure]


def trends(table: AuditTable, tr: Words = ENGLISH_WORDS) -> list[Trend]:
    """A trend for each category, area and measure, categories in file order.

    Each compares the latest two periods of one kind (`compared_periods`): never a financial
    year with a calendar year, nor a quarter with a whole year. None without periods.
    """
    pair = compared_periods(table.periods)
    if pair is None:
        return []
    by_series, units = _series_of(table.figures)
    order = {category: index for index, category in enumerate(table.categories)}
    keys = sorted(by_series, key=lambda key: order[key[0]])  # stable: areas in file order
    earlier = same_kind(table.periods, pair[1])
    return [
        _trend(key, units.get((key[0], key[2])), pair, earlier, by_series[key], tr) for key in keys
    ]


def _series_of(
    figures: Iterable[AuditFigure],
) -> tuple[dict[SeriesKey, dict[str, Decimal]], dict[tuple[str, Measure], str]]:
    """Each series' values by period, and each category's unit in each measure."""
    by_series: dict[SeriesKey, dict[str, Decimal]] = {}
    units: dict[tuple[str, Measure], str] = {}
    for figure in figures:
        key = (figure.category, figure.area, figure.measure)
        values = by_series.setdefault(key, {})  # a series of no figures still has a trend
        if figure.value is not None:
            values[figure.period] = figure.value
        if figure.unit:
            units.setdefault((figure.category, figure.measure), figure.unit)
    return by_series, units


def comparison(table: AuditTable, trend: Trend, tr: Words = ENGLISH_WORDS) -> str | None:
    """The partnership's latest figure beside its comparators' for the same category, measure
    and period ('... against 80.1 in Avon and Somerset and 79.3 in England and Wales'), or
    None when the file gave no comparator for it."""
    if trend.latest_value is None or trend.area is not None:
        return None
    wanted = (trend.category, trend.measure, trend.latest_period)
    others = [
        (f.value, f.area)
        for f in table.comparators
        if (f.category, f.measure, f.period) == wanted and f.value is not None
    ]
    if not others:
        return None
    own = amount(trend.latest_value, trend.unit, trend.measure)
    against = [
        tr("%(figure)s in %(area)s", figure=shown(value, trend.measure), area=area)
        for value, area in others
    ]
    if table.area_name:
        own = tr("%(figure)s in %(area)s", figure=own, area=table.area_name)
    listed = (
        against[0]
        if len(against) == 1
        else tr("%(items)s and %(last)s", items=", ".join(against[:-1]), last=against[-1])
    )
    return tr(
        "%(category)s in %(period)s: %(own)s, against %(others)s.",
        category=_capitalised(trend.category),
        period=trend.latest_period,
        own=own,
        others=listed,
    )


def series(
    table: AuditTable,
    category: str,
    area: str | None = None,
    measure: Measure | None = None,
    periods: Sequence[str] | None = None,
) -> tuple[tuple[str, ...], tuple[Decimal | None, ...]]:
    """The periods (all, or `periods`) and the category's value in each (None: no figure) in
    one measure (the first the file gives, unless named), for a line chart."""
    chosen = [f for f in table.figures if f.category == category and f.area == area]
    if measure is None and chosen:
        measure = chosen[0].measure
    values = {f.period: f.value for f in chosen if f.measure is measure}
    if not any(f.measure is measure for f in chosen):
        where = f" in {area!r}" if area is not None else ""
        raise ValueError(f"the audit has no figures for {category!r}{where}")
    shown_periods = table.periods if periods is None else tuple(periods)
    return shown_periods, tuple(values.get(period) for period in shown_periods)


def trend_table_headers(
    trends: Sequence[Trend], tr: Words = ENGLISH_WORDS
) -> tuple[str, str, str, str, str]:
    """Headings for `trend_table_rows`: the two periods compared name their columns.

    Every trend of an audit compares the same two periods (its last two), so they head the
    columns rather than repeating in every cell.
    """
    first = trends[0] if trends else None
    previous = first.previous_period if first and first.previous_period else tr("Previous period")
    latest = first.latest_period if first else tr("Latest period")
    return (tr("Category"), previous, latest, tr("Change"), tr("%% change"))


def trend_table_rows(
    trends: Iterable[Trend], tr: Words = ENGLISH_WORDS
) -> list[tuple[str, str, str, str, str]]:
    """Rows for a table of trends: category, previous, latest, change and % change, as text.

    A category given in two measures (a count and a rate) names the measure in each row.
    """
    trends = list(trends)
    measures: dict[tuple[str, str | None], set[Measure]] = {}
    for t in trends:
        measures.setdefault((t.category, t.area), set()).add(t.measure)
    return [
        (
            _row_label(t, len(measures[(t.category, t.area)]) > 1, tr),
            _figure_cell(t.previous_value, t.previous_period, t.measure, tr),
            _figure_cell(t.latest_value, t.latest_period, t.measure, tr),
            NO_FIGURE if t.change is None else _signed(t.change, shown(abs(t.change), t.measure)),
            _percent_cell(t.percent_change, tr),
        )
        for t in trends
    ]


MEASURE_WORDS = {
    Measure.COUNT: N_("count"),
    Measure.RATE: N_("rate"),
    Measure.PERCENTAGE: N_("percentage"),
}


def _row_label(t: Trend, with_measure: bool, tr: Words = ENGLISH_WORDS) -> str:
    """'Burglary', 'Burglary (Keynsham)', or 'Burglary (rate)' beside its count."""
    label = f"{t.category} ({t.area})" if t.area else t.category
    return f"{label} ({tr(MEASURE_WORDS[t.measure])})" if with_measure else label


def _trend(
    key: SeriesKey,
    unit: str | None,
    pair: tuple[str | None, str],
    periods: tuple[str, ...],
    values: dict[str, Decimal],
    tr: Words = ENGLISH_WORDS,
) -> Trend:
    """One series' trend between the `pair` of periods; `periods` are those of their kind."""
    category, area, measure = key
    previous_period, latest_period = pair
    latest = values.get(latest_period)
    previous = values.get(previous_period) if previous_period is not None else None
    change = percent = None
    direction = Direction.UNKNOWN
    if latest is not None and previous is not None:
        change = _EXACT.subtract(latest, previous)
        if previous:
            percent = _EXACT.divide(_EXACT.multiply(change, 100), previous)
        direction = (
            Direction.ROSE if change > 0 else Direction.FELL if change < 0 else Direction.UNCHANGED
        )
    trend = Trend(
        category=category,
        area=area,
        unit=unit,
        previous_period=previous_period,
        previous_value=previous,
        latest_period=latest_period,
        latest_value=latest,
        change=change,
        percent_change=percent,
        direction=direction,
        sentence="",
        measure=measure,
    )
    before = periods[: periods.index(previous_period)] if previous_period in periods else ()
    return replace(trend, sentence=_sentence(trend, _earlier_figure(before, values), tr))


# Sentences.


def _sentence(t: Trend, earlier: tuple[str, Decimal] | None, tr: Words = ENGLISH_WORDS) -> str:
    """What the trend says, in one sentence."""
    if t.previous_period is None:
        if t.latest_value is None:
            return tr(
                "%(label)s: no figure for %(period)s.", label=_label(t, tr), period=t.latest_period
            )
        return tr(
            "%(label)s: %(figure)s in %(period)s (no earlier period to compare).",
            label=_label(t, tr),
            figure=amount(t.latest_value, t.unit, t.measure),
            period=t.latest_period,
        )
    if t.change is None:
        return _missing(t, t.previous_period, earlier, tr)
    assert t.previous_value is not None and t.latest_value is not None
    values = {
        "subject": _subject(t, tr),
        "previous": shown(t.previous_value, t.measure),
        "previous_period": t.previous_period,
        "latest": shown(t.latest_value, t.measure),
        "latest_period": t.latest_period,
    }
    if t.direction is Direction.UNCHANGED:
        return tr(
            "%(subject)s was unchanged at %(amount)s in both %(previous_period)s and "
            "%(latest_period)s.",
            amount=amount(t.latest_value, t.unit, t.measure),
            **values,
        )
    if t.measure is Measure.PERCENTAGE:
        return _percentage_sentence(t, values, tr)
    if t.measure is Measure.RATE or is_rate(t.unit):
        return _rate_sentence(t, values, tr)
    figure = display.figure(abs(t.change))
    unit = " ".join(_unit_words(t.unit, abs(t.change)))
    if t.change > 0:
        changed = (
            tr("%(figure)s more %(unit)s", figure=figure, unit=unit)
            if unit
            else tr("%(figure)s more", figure=figure)
        )
    else:
        changed = (
            tr("%(figure)s fewer %(unit)s", figure=figure, unit=unit)
            if unit
            else tr("%(figure)s fewer", figure=figure)
        )
    rose = t.direction is Direction.ROSE
    if t.percent_change is None:  # from a base of zero
        return (
            tr(
                "%(subject)s rose from %(previous)s in %(previous_period)s to %(latest)s in "
                "%(latest_period)s (%(change)s); there is no percentage change from a base of "
                "zero.",
                change=changed,
                **values,
            )
            if rose
            else tr(
                "%(subject)s fell from %(previous)s in %(previous_period)s to %(latest)s in "
                "%(latest_period)s (%(change)s); there is no percentage change from a base of "
                "zero.",
                change=changed,
                **values,
            )
        )
    return (
        tr(
            "%(subject)s rose by %(percent)s (%(change)s), from %(previous)s in "
            "%(previous_period)s to %(latest)s in %(latest_period)s.",
            percent=_percent(t.percent_change, tr),
            change=changed,
            **values,
        )
        if rose
        else tr(
            "%(subject)s fell by %(percent)s (%(change)s), from %(previous)s in "
            "%(previous_period)s to %(latest)s in %(latest_period)s.",
            percent=_percent(t.percent_change, tr),
            change=changed,
            **values,
        )
    )


def _rate_sentence(t: Trend, values: dict[str, str], tr: Words = ENGLISH_WORDS) -> str:
    """A rate's change, as a rate: 'rose by 0.4 per 1,000 people, from 5.1 ... (a rise of 7.8%)'.

    Never "0.4 more offences": a rate is not a count of anything.
    """
    assert t.change is not None
    change = amount(abs(t.change), t.unit, Measure.RATE)
    rose = t.change > 0
    if t.percent_change is None:  # from a base of zero
        return (
            tr(
                "%(subject)s rose from %(previous)s in %(previous_period)s to %(latest)s in "
                "%(latest_period)s (a rise of %(change)s); there is no percentage change from a "
                "base of zero.",
                change=change,
                **values,
            )
            if rose
            else tr(
                "%(subject)s fell from %(previous)s in %(previous_period)s to %(latest)s in "
                "%(latest_period)s (a fall of %(change)s); there is no percentage change from a "
                "base of zero.",
                change=change,
                **values,
            )
        )
    return (
        tr(
            "%(subject)s rose by %(change)s, from %(previous)s in %(previous_period)s to "
            "%(latest)s in %(latest_period)s (a rise of %(percent)s).",
            change=change,
            percent=_percent(t.percent_change, tr),
            **values,
        )
        if rose
        else tr(
            "%(subject)s fell by %(change)s, from %(previous)s in %(previous_period)s to "
            "%(latest)s in %(latest_period)s (a fall of %(percent)s).",
            change=change,
            percent=_percent(t.percent_change, tr),
            **values,
        )
    )


def _percentage_sentence(t: Trend, values: dict[str, str], tr: Words = ENGLISH_WORDS) -> str:
    """A percentage's change, in percentage points: 'fell from 45.2% in 2022/23 to 43.0% in
    2023/24 (2.2 percentage points)'; a relative change of a percentage would mislead."""
    assert t.change is not None and t.previous_value is not None and t.latest_value is not None
    values = {
        **values,
        "previous": amount(t.previous_value, t.unit, Measure.PERCENTAGE),
        "latest": amount(t.latest_value, t.unit, Measure.PERCENTAGE),
    }
    return (
        tr(
            "%(subject)s rose from %(previous)s in %(previous_period)s to %(latest)s in "
            "%(latest_period)s (%(points)s percentage points).",
            points=shown(abs(t.change), Measure.PERCENTAGE),
            **values,
        )
        if t.direction is Direction.ROSE
        else tr(
            "%(subject)s fell from %(previous)s in %(previous_period)s to %(latest)s in "
            "%(latest_period)s (%(points)s percentage points).",
            points=shown(abs(t.change), Measure.PERCENTAGE),
            **values,
        )
    )


def _missing(
    t: Trend, previous_period: str, earlier: tuple[str, Decimal] | None, tr: Words = ENGLISH_WORDS
) -> str:
    """The sentence for a trend with the previous or the latest figure missing."""
    label = _label(t, tr)
    if t.latest_value is not None or t.previous_value is not None:
        missing, given_period = (
            (previous_period, t.latest_period)
            if t.latest_value is not None
            else (t.latest_period, previous_period)
        )
        value = t.latest_value if t.latest_value is not None else t.previous_value
        assert value is not None
        return tr(
            "%(label)s: no figure for %(missing)s, so no change can be given; %(period)s: "
            "%(amount)s.",
            label=label,
            missing=missing,
            period=given_period,
            amount=amount(value, t.unit, t.measure),
        )
    if earlier is None:
        return tr(
            "%(label)s: no figures for %(previous_period)s or %(latest_period)s, so no change "
            "can be given.",
            label=label,
            previous_period=previous_period,
            latest_period=t.latest_period,
        )
    period, value = earlier
    return tr(
        "%(label)s: no figures for %(previous_period)s or %(latest_period)s, so no change can "
        "be given; the latest figure is %(amount)s in %(period)s.",
        label=label,
        previous_period=previous_period,
        latest_period=t.latest_period,
        amount=amount(value, t.unit, t.measure),
        period=period,
    )


def _earlier_figure(
    periods: tuple[str, ...], values: dict[str, Decimal]
) -> tuple[str, Decimal] | None:
    """The last figure given before the previous period, if any."""
    return next(((p, values[p]) for p in reversed(periods) if p in values), None)


def _subject(t: Trend, tr: Words = ENGLISH_WORDS) -> str:
    """The start of a sentence about the trend: 'Burglary', or 'In Keynsham, burglary'."""
    if t.area is None:
        return _capitalised(t.category)
    return tr("In %(area)s, %(category)s", area=t.area, category=_within_sentence(t.category))


def _label(t: Trend, tr: Words = ENGLISH_WORDS) -> str:
    """The trend's name before a colon: 'Arson', or 'Arson in Keynsham'."""
    name = _capitalised(t.category)
    return tr("%(category)s in %(area)s", category=name, area=t.area) if t.area else name


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _within_sentence(category: str) -> str:
    """'Burglary' as it reads mid-sentence ('burglary'); 'ASB' or 'PCSO patrols' unchanged."""
    first = category.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        return category[:1].lower() + category[1:]
    return category


# Numbers and units.


def is_rate(unit: str | None) -> bool:
    """True for a rate ('crimes per 1,000 people'): its changes are not counts."""
    return measure_of(unit) is Measure.RATE


def rate_basis(unit: str) -> str:
    """What a rate is per, as written after a figure: 'per 1,000 people'."""
    start = unit.casefold().find("per ")
    return unit[start:] if start >= 0 else unit


def shown(value: Decimal, measure: Measure = Measure.COUNT) -> str:
    """A figure as every sentence, table and chart writes it: rates and percentages rounded
    to one place ('78.6'), counts as given ('1,070')."""
    return display.figure(for_display(value, measure))


def amount(value: Decimal, unit: str | None, measure: Measure | None = None) -> str:
    """A figure with its unit: '14 offences', '1 offence', '5.5 per 1,000', '45.2%' or '14'."""
    measure = measure_of(unit) if measure is None else measure
    if measure is Measure.PERCENTAGE:
        return f"{shown(value, measure)}%"
    return " ".join([shown(value, measure), *_unit_words(unit, value)])


def _unit_words(unit: str | None, value: Decimal) -> list[str]:
    """The unit after `value`: singular (without its final 's') for exactly 1; what a rate is
    per ('per 1,000 people'); nothing when the audit gives no unit."""
    if unit is None:
        return []
    if is_rate(unit):
        return [rate_basis(unit)]
    return [unit[:-1] if value == 1 and unit.endswith("s") else unit]


def _percent(percent: Decimal, tr: Words = ENGLISH_WORDS) -> str:
    """A percentage change without its sign, to one decimal place: '22.7%'."""
    if _tiny(percent):
        return tr("less than %(percent)s", percent=display.percent(0.1, 1))
    return display.percent(float(abs(percent)), 1)


def _percent_cell(percent: Decimal | None, tr: Words = ENGLISH_WORDS) -> str:
    """A table cell for a percentage change: '+22.7%', '-5.3%', 'less than 0.1%', or a dash."""
    if percent is None:
        return NO_FIGURE
    text = _percent(percent, tr)
    return text if _tiny(percent) else _signed(percent, text)


def _tiny(percent: Decimal) -> bool:
    """True for a change that is not zero but would round to 0.0%."""
    return 0 < abs(percent) < _SMALLEST_PERCENT


def _figure_cell(
    value: Decimal | None, period: str | None, measure: Measure, tr: Words = ENGLISH_WORDS
) -> str:
    """A table cell under its period's heading: '872', 'no figure', or a dash with no period."""
    if period is None:
        return NO_FIGURE
    return tr("no figure") if value is None else shown(value, measure)


def _signed(value: Decimal, text: str) -> str:
    """`text` (a size) with the sign of `value`: '+198', '-12', '0'."""
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else text
