"""A crime and disorder audit's figures, read from a CSV or XLSX file and checked whole.

Pure core: no Flask, no database. The cells come from `common.spreadsheets`; this module
decides what they mean. Two layouts are read:

- long: columns `category`, `period` and `value` in any order, optionally `area`, `unit`,
  `source` and `notes`; one figure a row.
- wide: `category` first, then one column per period headed with its label (`2016/17`);
  a blank cell means there is no figure for that period. A column headed `unit` anywhere
  after `category` gives each row's unit ("offences", "reports") instead of a period.

A file with any problem is refused as a whole (`ImportRefused`), listing every problem by
row and column as the spreadsheet shows them, so nothing half-read is ever stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from assembly.core.measures import Measure, measure_of
from common.spreadsheets import ImportRefused, Problem, Table, column_letter, file_format, read_file
from common.text import clean_line

CATEGORY = "category"
PERIOD = "period"
VALUE = "value"
AREA = "area"
UNIT = "unit"
SOURCE = "source"
NOTES = "notes"
LONG_REQUIRED = (CATEGORY, PERIOD, VALUE)
LONG_OPTIONAL = (AREA, UNIT, SOURCE, NOTES)

# The longest text each field may hold (the database stores no more than this).
LIMITS = {CATEGORY: 200, AREA: 120, PERIOD: 40, UNIT: 60, SOURCE: 300, NOTES: 5000}
MAX_DIGITS = 15  # beyond this a figure cannot pass through a spreadsheet or a chart exactly
MAX_DECIMAL_PLACES = 6

# A figure as a person types it: 1070, 1,070, 12.5, 1,070.25 or .5; never a sign or exponent.
_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+")
_LAYOUTS = (
    "the first row must name the columns, in one of two layouts: 'category', 'period' and "
    "'value' (one figure a row, optionally with 'area', 'unit', 'source' and 'notes'), or "
    "'category' first followed by one column for each period, headed like '2016/17'"
)


@dataclass(frozen=True)
class AuditFigure:
    """One figure: a category's value in a period, for an area (None: the whole partnership).

    `value` is None when the file marks the figure as not available (an ONS table's `[c]`).

    `unit` is the category's unit as the file gave it (None: the file gives none, and no unit
    is assumed: the figures are written bare); `measure` is what kind of figure it is.
    """

    category: str
    period: str
    value: Decimal | None
    area: str | None = None
    unit: str | None = None
    source: str | None = None
    notes: str | None = None
    measure: Measure = Measure.COUNT


@dataclass(frozen=True)
class AuditTable:
    """An audit's periods and figures, both in the order the file gives them (never sorted).

    `area_name` and `area_code` name the partnership when the file covers several areas;
    `comparators` are the other areas' figures (its police force area, England and Wales),
    kept to set beside the partnership's and never part of its own trends.
    """

    periods: tuple[str, ...]
    figures: tuple[AuditFigure, ...]
    area_name: str | None = None
    area_code: str | None = None
    comparators: tuple[AuditFigure, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        """Each category once, in the order it first appears."""
        return tuple(dict.fromkeys(figure.category for figure in self.figures))


def read_audit(data: bytes, filename: str) -> AuditTable:
    """The audit in a .csv or .xlsx file's bytes.

    Raises `UnreadableFile` when the file cannot be read as a table at all, and
    `ImportRefused` listing every problem when its cells are not a valid audit.
    """
    return parse_audit(read_file(data, file_format(filename)))


def parse_audit(table: Table) -> AuditTable:
    """The audit in a table of cells, or `ImportRefused` listing every problem in it."""
    problems = _Problems(table.header)
    names = [name.strip().casefold() for name in table.header]
    entries: list[_Entry] = []
    periods: list[str] = []
    if PERIOD in names or VALUE in names:
        entries = _read_long(table, problems)
    elif names and names[0] == CATEGORY:
        entries, periods = _read_wide(table, problems)
    else:
        problems.add(1, None, f"{_LAYOUTS}. This file's first row is: {_listed(table.header)}")
    _nameless_cells(table, problems)
    audit = _assemble(entries, problems, periods)
    if problems:
        raise ImportRefused(problems.sorted())
    return audit


@dataclass(frozen=True)
class _Entry:
    """A figure read from one row, with the columns it came from (for naming problems)."""

    row: int
    figure: AuditFigure
    value_column: int
    unit_column: int | None = None


class _Problems:
    """Every problem found, each placed by row and by column as letter and heading."""

    def __init__(self, header: Sequence[str]) -> None:
        self.header = header
        self.found: list[tuple[int, int, Problem]] = []

    def add(self, row: int, column: int | None, message: str) -> None:
        """Record a problem in `row` and the column at 0-based `column` (None: the whole row)."""
        self.found.append(
            (row, -1 if column is None else column, Problem(row, self.name(column), message))
        )

    def name(self, column: int | None) -> str:
        """A column as the spreadsheet shows it: 'C (value)', or just 'C' with no heading."""
        if column is None:
            return ""
        heading = self.header[column] if column < len(self.header) else ""
        return f"{column_letter(column)} ({heading})" if heading else column_letter(column)

    def sorted(self) -> list[Problem]:
        """The problems in file order: by row, then column."""
        return [problem for _, _, problem in sorted(self.found, key=lambda f: (f[0], f[1]))]

    def __bool__(self) -> bool:
        return bool(self.found)


# The long layout: one figure a row.


def _read_long(table: Table, problems: _Problems) -> list[_Entry]:
    """Entries from a file with category, period and value columns."""
    columns = _long_columns(table.header, problems)
    if any(name not in columns for name in LONG_REQUIRED):
        return []
    entries = []
    for number, cells in table.rows:
        texts = {name: _cell(cells, index) for name, index in columns.items()}
        found = len(problems.found)
        fields = {
            name: _text(texts.get(name, ""), name, number, columns.get(name), problems)
            for name in (CATEGORY, PERIOD, *LONG_OPTIONAL)
        }
        value = _value(texts[VALUE], number, columns[VALUE], problems, blank_allowed=False)
        for name in (CATEGORY, PERIOD):
            if not fields[name]:
                problems.add(number, columns[name], f"the {name} is blank")
        if len(problems.found) > found or value is None:
            continue
        figure = AuditFigure(
            category=fields[CATEGORY] or "",
            period=fields[PERIOD] or "",
            value=value,
            area=fields[AREA],
            unit=fields[UNIT],
            source=fields[SOURCE],
            notes=fields[NOTES],
        )
        entries.append(_Entry(number, figure, columns[VALUE], columns.get(UNIT)))
    return entries


def _long_columns(header: Sequence[str], problems: _Problems) -> dict[str, int]:
    """The position of each known column; a problem for each unknown, repeated or missing one."""
    known = (*LONG_REQUIRED, *LONG_OPTIONAL)
    positions: dict[str, list[int]] = {}
    for index, heading in enumerate(header):
        name = heading.strip().casefold()
        if not name:
            continue
        if name not in known:
            problems.add(
                1,
                index,
                f"'{_short(heading)}' is not a column of an audit file (the columns are "
                f"{_listed(known)})",
            )
            continue
        positions.setdefault(name, []).append(index)
    for indexes in positions.values():
        if len(indexes) > 1:
            letters = ", ".join(column_letter(index) for index in indexes)
            problems.add(1, indexes[1], f"this column appears more than once ({letters})")
    for name in LONG_REQUIRED:
        if name not in positions:
            problems.add(
                1,
                None,
                f"there is no '{name}' column: a file with one figure a row needs "
                f"{_listed(LONG_REQUIRED)} columns",
            )
    return {name: indexes[0] for name, indexes in positions.items()}


# The wide layout: a row per category, a column per period.


def _read_wide(table: Table, problems: _Problems) -> tuple[list[_Entry], list[str]]:
    """Entries from a file with a category column then a column per period (and perhaps a
    unit column), and the periods."""
    unit_column = _wide_unit_column(table.header)
    periods = _wide_periods(table.header, problems, unit_column)
    entries = []
    filled: set[int] = set()
    for number, cells in table.rows:
        category = _text(_cell(cells, 0), CATEGORY, number, 0, problems)
        unit = None
        if unit_column is not None:
            unit = _text(_cell(cells, unit_column), UNIT, number, unit_column, problems)
        given = [index for index in periods if _cell(cells, index).strip()]
        filled.update(given)
        values = {
            index: _value(_cell(cells, index), number, index, problems, blank_allowed=True)
            for index in given
        }
        if not category:
            if given:
                problems.add(number, 0, "the category is blank")
            continue
        if not given:
            problems.add(
                number,
                0,
                f"'{_short(category)}' has no figure in any period: give at least one, or "
                "remove the row (a heading row cannot be imported)",
            )
        for index, value in values.items():
            if value is not None:
                figure = AuditFigure(category, periods[index], value, unit=unit)
                entries.append(_Entry(number, figure, index, unit_column))
    for index in periods.keys() - filled:
        problems.add(
            1,
            index,
            f"the period '{_short(periods[index])}' has no figures: fill them in, or "
            "remove the column",
        )
    return entries, list(periods.values())


def _wide_unit_column(header: Sequence[str]) -> int | None:
    """The position of the first column after `category` headed `unit`, if any."""
    names = [heading.strip().casefold() for heading in header]
    return next((index for index in range(1, len(names)) if names[index] == UNIT), None)


def _wide_periods(
    header: Sequence[str], problems: _Problems, unit_column: int | None = None
) -> dict[int, str]:
    """The period of each column after the first (but the unit's), by position; problems for
    bad headings."""
    periods: dict[int, str] = {}
    first: dict[str, int] = {}
    for index in range(1, len(header)):
        if index == unit_column:
            continue
        if unit_column is not None and header[index].strip().casefold() == UNIT:
            letter = column_letter(unit_column)
            problems.add(1, index, f"this column appears more than once ({letter})")
            continue
        period = _text(header[index], PERIOD, 1, index, problems)
        if not period:
            continue
        key = _key(period)
        if key in first:
            problems.add(
                1,
                index,
                f"the period '{_short(period)}' already has a column ({column_letter(first[key])})",
            )
            continue
        first[key] = index
        periods[index] = period
    if not any(heading.strip() for i, heading in enumerate(header) if i and i != unit_column):
        problems.add(
            1,
            None,
            "there are no period columns after 'category': add one column for each period, "
            "headed with its name like '2016/17'",
        )
    return periods


# Cells.


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _text(cell: str, name: str, row: int, column: int | None, problems: _Problems) -> str | None:
    """A text cell cleaned to one line (single-spaced but for notes), or None when blank.

    Text too long to store is a problem, but is still returned: it is not blank.
    """
    text = " ".join(clean_line(cell).split()) if name != NOTES else clean_line(cell).strip()
    limit = LIMITS[name]
    if len(text) > limit:
        problems.add(row, column, f"the {name} is longer than {limit:,} characters")
    return text or None


def _value(
    cell: str, row: int, column: int, problems: _Problems, *, blank_allowed: bool
) -> Decimal | None:
    """The figure in a cell, or None (with a problem unless blank and `blank_allowed`)."""
    text = cell.strip()
    if not text:
        if not blank_allowed:
            problems.add(row, column, "the value is blank: give the figure (0 if there were none)")
        return None
    problem = _number_problem(text)
    if problem:
        problems.add(row, column, problem)
        return None
    return Decimal(text.replace(",", ""))


def _number_problem(text: str) -> str | None:
    """Why `text` is not an audit figure, or None when it is one."""
    shown = _short(text)
    if text.startswith("-") and _NUMBER.fullmatch(text[1:]):
        return f"'{shown}' is below zero: an audit figure cannot be negative"
    if not _NUMBER.fullmatch(text):
        return f"'{shown}' is not a number: write figures like 1070, 1,070 or 12.5"
    whole, _, fraction = text.replace(",", "").partition(".")
    if len((whole + fraction).lstrip("0")) > MAX_DIGITS:
        return f"'{shown}' has more than {MAX_DIGITS} digits"
    if len(fraction) > MAX_DECIMAL_PLACES:
        return (
            f"'{shown}' has more than {MAX_DECIMAL_PLACES} decimal places: round it "
            f"to {MAX_DECIMAL_PLACES} or fewer"
        )
    return None


def _nameless_cells(table: Table, problems: _Problems) -> None:
    """A problem for each column that has values but no heading (each reported once)."""
    first: dict[int, int] = {}
    for number, cells in table.rows:
        for index, cell in enumerate(cells):
            nameless = index >= len(table.header) or not table.header[index].strip()
            if nameless and cell.strip() and index not in first:
                first[index] = number
    for index, number in sorted(first.items()):
        problems.add(1, index, f"this column has no heading but has values (from row {number})")


# Both layouts.


def _assemble(
    entries: Iterable[_Entry], problems: _Problems, periods: Sequence[str] = ()
) -> AuditTable:
    """The table of entries, each name spelled as it first appears; `periods` come first.

    Names that differ only in case or spacing are the same; a repeated (category, area,
    period) and a category given two units are problems.
    """
    names = _Spellings(periods)
    units: dict[str, tuple[str, int]] = {}  # by category key: its unit and the row giving it
    seen: dict[tuple[str, str, str], int] = {}
    figures = []
    for entry in entries:
        figure = entry.figure
        category = names.category(figure.category)
        period = names.period(figure.period)
        area = names.area(figure.area)
        key = (_key(category), _key(area or ""), _key(period))
        if key in seen:
            where = f" in {area}" if area else ""
            problems.add(
                entry.row,
                entry.value_column,
                f"'{_short(category)}'{where} for {period} is given twice, in rows "
                f"{seen[key]} and {entry.row}: give it once",
            )
            continue
        seen[key] = entry.row
        if figure.unit is not None:
            unit, row = units.setdefault(key[0], (figure.unit, entry.row))
            if _key(unit) != _key(figure.unit):
                problems.add(
                    entry.row,
                    entry.unit_column,
                    f"'{_short(category)}' is counted in '{unit}' in row {row} but in "
                    f"'{figure.unit}' here: give each category one unit",
                )
        figures.append(replace(figure, category=category, period=period, area=area))
    unit_of = {category: unit for category, (unit, _) in units.items()}
    return AuditTable(
        periods=tuple(names.periods.values()),
        figures=tuple(_with_unit(f, unit_of.get(_key(f.category))) for f in figures),
    )


def _with_unit(figure: AuditFigure, unit: str | None) -> AuditFigure:
    """The figure with its category's unit, and the measure that unit implies."""
    return replace(figure, unit=unit, measure=measure_of(unit))


class _Spellings:
    """The first spelling of each category, area and period, matched by `_key`."""

    def __init__(self, periods: Sequence[str]) -> None:
        self.categories: dict[str, str] = {}
        self.areas: dict[str, str] = {}
        self.periods: dict[str, str] = {_key(period): period for period in periods}

    def category(self, name: str) -> str:
        return self.categories.setdefault(_key(name), name)

    def period(self, name: str) -> str:
        return self.periods.setdefault(_key(name), name)

    def area(self, name: str | None) -> str | None:
        return None if name is None else self.areas.setdefault(_key(name), name)


def _key(text: str) -> str:
    """How names are matched: ignoring case and spacing."""
    return " ".join(text.split()).casefold()


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _listed(names: Sequence[str]) -> str:
    quoted = [f"'{_short(name)}'" for name in names if name.strip()]
    if not quoted:
        return "empty"
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
