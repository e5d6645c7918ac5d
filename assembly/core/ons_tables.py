"""ONS and Home Office recorded-crime tables: one figure a row, for several areas.

Pure core. Columns (any order and case; others ignored): `area_code`, `area_name`, `period`,
`value`, and the category in `group` (or, when that is blank, `indicator`), with `measure`
and `unit` saying whether a figure is a count, a rate per 1,000 population or a percentage.
ONS's markers for a figure that is not available (`:`, `..`, `[x]`, `[c]`, `[z]`, `[low]`)
are no figure, not a problem. Rates come as raw floats (78.61234); they are kept to six
places and never refused for their length. One area is the partnership's; the others are
its comparators (its police force area, England and Wales).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from assembly.core.audit_files import AuditFigure, AuditTable, _key, _listed, _Problems, _short
from assembly.core.measures import Measure
from assembly.core.periods import chronological
from common.spreadsheets import ImportRefused, Problem, Table

AREA_CODE, AREA_NAME, PERIOD, VALUE = "area_code", "area_name", "period", "value"
INDICATOR, MEASURE, UNIT, GROUP, NOTES = "indicator", "measure", "unit", "group", "notes"
ALIASES = {
    "area code": AREA_CODE,
    "geography code": AREA_CODE,
    "geography_code": AREA_CODE,
    "area name": AREA_NAME,
    "area": AREA_NAME,
    "geography": AREA_NAME,
    "time period": PERIOD,
    "observation": VALUE,
}
KNOWN = (AREA_CODE, AREA_NAME, PERIOD, VALUE, INDICATOR, MEASURE, UNIT, GROUP, NOTES)
MARKERS = frozenset({":", "..", "[x]", "[c]", "[z]", "[low]", "x", "c", "z", "-", "*"})
PLACES = Decimal("0.000001")  # as many places as the database keeps
RATE_UNIT = "per 1,000 population"
PERCENT_UNIT = "%"
DEFAULT_SOURCE = "Office for National Statistics, police recorded crime"


def is_ons_header(header: Sequence[str]) -> bool:
    """True when a header row is an ONS table's: areas by code or name, and a category."""
    names = {_name(heading) for heading in header}
    has_area = AREA_CODE in names or AREA_NAME in names
    return has_area and VALUE in names and PERIOD in names and bool({GROUP, INDICATOR} & names)


@dataclass(frozen=True)
class _Row:
    """One figure read, before the partnership's area is chosen."""

    area: str  # the area's key
    figure: AuditFigure


def parse_ons(table: Table, area: str | None = None, title: str | None = None) -> AuditTable:
    """The audit in an ONS table, the partnership being `area` (a name or code), or
    `ImportRefused` listing every problem, or the areas to choose from."""
    problems = _Problems(table.header)
    columns = {_name(h): i for i, h in reversed(list(enumerate(table.header))) if h.strip()}
    areas: dict[str, tuple[str, str]] = {}  # by key: (code, name) as first written
    rows: list[_Row] = []
    periods: dict[str, str] = {}
    seen: dict[tuple[str, str, Measure, str], int] = {}
    for number, cells in table.rows:
        cell = {name: _cell(cells, index) for name, index in columns.items()}
        row = _row(number, cell, columns, problems, title)
        if row is None:
            continue
        code, name = cell.get(AREA_CODE, ""), cell.get(AREA_NAME, "")
        areas.setdefault(row.area, (code, name))
        period = periods.setdefault(_key(row.figure.period), row.figure.period)
        key = (row.area, _key(row.figure.category), row.figure.measure, _key(period))
        if key in seen:
            problems.add(
                number,
                columns[VALUE],
                f"'{_short(row.figure.category)}' for {period} in {name or code} is given "
                f"twice, in rows {seen[key]} and {number}: give it once",
            )
            continue
        seen[key] = number
        rows.append(row)
    if problems:
        raise ImportRefused(problems.sorted())
    chosen = _chosen_area(areas, area)
    code, name = areas[chosen]
    return AuditTable(
        periods=chronological(list(periods.values())),
        figures=tuple(r.figure for r in rows if r.area == chosen),
        area_name=name or code,
        area_code=code or None,
        comparators=tuple(_as_comparator(r, areas) for r in rows if r.area != chosen),
    )


def _row(
    number: int,
    cell: dict[str, str],
    columns: dict[str, int],
    problems: _Problems,
    title: str | None,
) -> _Row | None:
    """The figure in one row (its value None when not available), or None with problems."""
    found = len(problems.found)
    area = _key(cell.get(AREA_CODE, "")) or _key(cell.get(AREA_NAME, ""))
    category = " ".join((cell.get(GROUP, "") or cell.get(INDICATOR, "")).split())
    period = " ".join(cell.get(PERIOD, "").split())
    if not area:
        where = columns.get(AREA_CODE, columns.get(AREA_NAME))
        problems.add(number, where, "the area is blank: give its code or name")
    if not category:
        where = columns.get(GROUP, columns.get(INDICATOR))
        problems.add(number, where, "the crime category is blank (in 'group' or 'indicator')")
    if not period:
        problems.add(number, columns[PERIOD], "the period is blank")
    for name, limit in ((category, 200), (period, 40), (cell.get(AREA_NAME, ""), 120)):
        if len(name) > limit:
            problems.add(number, None, f"'{_short(name)}' is longer than {limit} characters")
    text = cell.get(VALUE, "").strip()
    marked = not text or text.casefold() in MARKERS
    value = None if marked else _value(text, number, columns[VALUE], problems)
    if len(problems.found) > found or (value is None and not marked):
        return None
    notes = cell.get(NOTES, "").strip()
    if marked:
        shown = f"'{text}'" if text else "blank"
        notes = f"Not available in the source ({shown}). {notes}".strip()
    measure = _measure(cell.get(MEASURE, ""), cell.get(UNIT, ""))
    figure = AuditFigure(
        category=category,
        period=period,
        value=value,
        unit=_unit(measure, category),
        source=title or _source(cell.get(INDICATOR, "")),
        notes=notes or None,
        measure=measure,
    )
    return _Row(area, figure)


def _value(text: str, number: int, column: int, problems: _Problems) -> Decimal | None:
    """The figure, rounded to six places; None with a problem when it is not one."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        problems.add(
            number,
            column,
            f"'{_short(text)}' is not a number, nor one of ONS's markers for a figure that is "
            f"not available ({_listed(sorted(MARKERS - {'x', 'c', 'z', '-', '*'}))})",
        )
        return None
    if not value.is_finite() or value < 0:
        problems.add(number, column, f"'{_short(text)}' is not a figure of zero or more")
        return None
    return value.quantize(PLACES, rounding=ROUND_HALF_UP).normalize()


def _measure(measure: str, unit: str) -> Measure:
    """What the measure and unit columns say a figure is."""
    text = f"{measure} {unit}".casefold()
    if "rate" in text or "per 1" in text or "per thousand" in text:
        return Measure.RATE
    if "percent" in text or "%" in text or "proportion" in text:
        return Measure.PERCENTAGE
    return Measure.COUNT


def _unit(measure: Measure, category: str) -> str:
    """The unit wording follows: rates per 1,000, percentages, reports of ASB, else offences."""
    if measure is Measure.RATE:
        return RATE_UNIT
    if measure is Measure.PERCENTAGE:
        return PERCENT_UNIT
    asb = "anti-social" in category.casefold() or "antisocial" in category.casefold()
    return "reports" if asb else "offences"


def _source(indicator: str) -> str:
    """The source written under charts when the table has no title."""
    indicator = " ".join(indicator.split())
    return f"Office for National Statistics: {indicator}"[:300] if indicator else DEFAULT_SOURCE


def _chosen_area(areas: dict[str, tuple[str, str]], wanted: str | None) -> str:
    """The partnership's area key: the one named (by code or name), or the only one."""
    if wanted is not None and wanted.strip():
        key = _key(wanted)
        for area, (code, name) in areas.items():
            if key in (_key(code), _key(name)):
                return area
        raise ImportRefused(
            [_area_problem(areas, f"there is no area '{_short(wanted)}' in the file")]
        )
    if len(areas) == 1:
        return next(iter(areas))
    why = "the file has figures for more than one area: choose the partnership's"
    raise ImportRefused([_area_problem(areas, why)])


def _area_problem(areas: dict[str, tuple[str, str]], why: str) -> Problem:
    """Why no area was chosen, listing every area in the file by name and code."""
    return Problem(
        0, "", f"{why} (by name or code). The areas in the file are: {areas_listed(areas)}"
    )


def areas_listed(areas: dict[str, tuple[str, str]]) -> str:
    """'Bath and North East Somerset (E22000001); England and Wales (K04000001)'."""
    return "; ".join(
        f"{name} ({code})" if name and code else name or code for code, name in areas.values()
    )


def _as_comparator(row: _Row, areas: dict[str, tuple[str, str]]) -> AuditFigure:
    """A comparator's figure, named by its area."""
    code, name = areas[row.area]
    return replace(row.figure, area=name or code)


def _name(heading: str) -> str:
    name = " ".join(heading.split()).casefold()
    return ALIASES.get(name, name.replace(" ", "_") if name.replace(" ", "_") in KNOWN else name)


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""
