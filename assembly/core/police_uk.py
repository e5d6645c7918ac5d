"""police.uk street-level crime and outcomes files, counted as they are read.

Pure core. One row is one crime (or one outcome). Rows are counted by crime type and month
as they stream past, so a file of a million rows takes no more memory than one of ten;
the months are then gathered into financial years ('2024/25', April to March) where all
twelve are in the file, else whole quarters ('Apr to Jun 2024'), else single months, so a
partial year is never set beside a whole one. Anti-social behaviour is counted in reports,
crimes in offences. The partnership's area is picked out by the local authority that starts
each row's LSOA name ('Bath and North East Somerset 001A').
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

from assembly.core.audit_files import AuditFigure, AuditTable, _key, _Problems, _short
from assembly.core.measures import Measure
from assembly.core.periods import (
    PeriodKind,
    financial_year,
    month,
    period_kind,
    quarter,
)
from common.spreadsheets import ImportRefused, Problem

MONTH, FALLS_WITHIN, LSOA_NAME = "month", "falls within", "lsoa name"
CRIME_TYPE, OUTCOME_TYPE = "crime type", "outcome type"
_MONTH_TEXT = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")  # '001A' after the local authority's name
MAX_PROBLEMS = 1000  # listed in full; beyond these a bad file is only counted
PROGRESS_EVERY = 50_000
WHOLE_FILE = ""  # rows with no LSOA name belong to no local authority

Month = tuple[int, int]


def is_police_uk_header(header: Sequence[str]) -> bool:
    """True for a police.uk street-level or outcomes file's header row."""
    names = {" ".join(h.split()).casefold() for h in header}
    return {"crime id", MONTH, FALLS_WITHIN} <= names and bool({CRIME_TYPE, OUTCOME_TYPE} & names)


def count_police_uk_parts(
    parts: Iterable[tuple[str, Iterable[Sequence[str]]]],
    area: str | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> AuditTable:
    """The audit in several police.uk files (a month each, as police.uk's downloads come),
    each (its name, its rows with the header first), counted together as they are read.
    Every file must have the first one's header; problems name the file and its row."""
    tally: _Tally | None = None
    done = 0
    for name, rows in parts:
        iterator = iter(rows)
        header = tuple(next(iterator, ()))
        if tally is None:
            tally = _Tally(header)
        elif [" ".join(h.split()).casefold() for h in header] != tally.names:
            raise ImportRefused(
                [Problem(1, "", f"{name}: its columns are not those of the files before it")]
            )
        tally.part = name
        counted = done

        def rows_so_far(n: int, before: int = counted) -> None:
            if on_rows is not None:
                on_rows(before + n)

        done += tally.read(iterator, rows_so_far)
    if tally is None:
        raise ImportRefused([Problem(0, "", "the archive holds no police.uk files")])
    return tally.table(area)


def count_police_uk(
    rows: Iterable[Sequence[str]],
    area: str | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> AuditTable:
    """The audit in a police.uk file's rows (its header first), counted as they are read.

    Raises `ImportRefused` listing every problem by row and column, or when the file covers
    several local authorities and `area` names none of them (listing those it covers).
    """
    iterator = iter(rows)
    header = tuple(next(iterator, ()))
    tally = _Tally(header)
    tally.read(iterator, on_rows)
    return tally.table(area)


class _Tally:
    """Counts by local authority, category and month; the months and forces seen."""

    def __init__(self, header: Sequence[str]) -> None:
        names = [" ".join(h.split()).casefold() for h in header]
        self.names = names
        self.part = ""  # the file of an archive being read, named in its problems
        self.problems = _Problems(header)
        self.outcomes = CRIME_TYPE not in names
        self.category_column = names.index(OUTCOME_TYPE if self.outcomes else CRIME_TYPE)
        self.month_column = names.index(MONTH)
        self.lsoa_column = names.index(LSOA_NAME) if LSOA_NAME in names else None
        self.force_column = names.index(FALLS_WITHIN)
        self.counts: Counter[tuple[str, str, Month]] = Counter()
        self.categories: dict[str, str] = {}  # by key: the first spelling
        self.areas: dict[str, str] = {}
        self.forces: dict[str, str] = {}
        self.months: set[Month] = set()
        self.more_problems = 0

    def read(self, rows: Iterator[Sequence[str]], on_rows: Callable[[int], None] | None) -> int:
        """Count every row; problems are kept (the first MAX_PROBLEMS) and counted. Returns
        how many rows there were."""
        number = 1
        months: dict[str, Month] = {}  # each month's text is parsed once
        for number, cells in enumerate(rows, start=2):
            if not any(cells):
                continue
            month_text = _cell(cells, self.month_column).strip()
            when = months.get(month_text)
            if when is None:
                when = _month_of(month_text)
                if when is not None:  # only good ones: a bad file's texts could be endless
                    months[month_text] = when
            category = " ".join(_cell(cells, self.category_column).split())
            if when is None or not category:
                self._bad_row(number, month_text, category)
                continue
            place = self._area(cells)
            key = self.categories.setdefault(category.casefold(), category)
            self.counts[(place, key, when)] += 1
            self.months.add(when)
            force = _cell(cells, self.force_column).strip()
            if force and force not in self.forces:
                self.forces[force] = force
            if on_rows is not None and number % PROGRESS_EVERY == 0:
                on_rows(number - 1)
        if on_rows is not None:
            on_rows(number - 1)
        return number - 1

    def _area(self, cells: Sequence[str]) -> str:
        """The local authority a row's LSOA name starts with ('' when it has none)."""
        if self.lsoa_column is None:
            return WHOLE_FILE
        lsoa = _cell(cells, self.lsoa_column).strip()
        if not lsoa:
            return WHOLE_FILE
        name = _LSOA_SUFFIX.sub("", lsoa)
        return self.areas.setdefault(name, name)

    def _bad_row(self, number: int, month_text: str, category: str) -> None:
        if len(self.problems.found) >= MAX_PROBLEMS:
            self.more_problems += 1
            return
        where = f"{self.part}: " if self.part else ""
        if not category:
            what = "outcome type" if self.outcomes else "crime type"
            self.problems.add(number, self.category_column, f"{where}the {what} is blank")
        if _MONTH_TEXT.fullmatch(month_text) is None:
            self.problems.add(
                number,
                self.month_column,
                f"{where}'{_short(month_text)}' is not a month written like 2024-04",
            )

    def table(self, area: str | None) -> AuditTable:
        """The counts gathered into periods, for the partnership's area."""
        if self.problems or self.more_problems:
            found = self.problems.sorted()
            if self.more_problems:
                found.append(Problem(0, "", f"and {self.more_problems:,} more rows like these"))
            raise ImportRefused(found)
        if not self.counts:
            raise ImportRefused([Problem(0, "", "the file has a header row but no crimes")])
        chosen, name = self._chosen(area)
        periods = gathered(self.months)
        totals: Counter[tuple[str, str]] = Counter()
        for (place, category, when), count in self.counts.items():
            if chosen is None or place == chosen:
                for label in periods[when]:
                    totals[(category, label)] += count
        labels = tuple(dict.fromkeys(p for m in sorted(self.months) for p in periods[m]))
        source = self._source()
        figures = tuple(
            AuditFigure(
                category=category,
                period=label,
                value=Decimal(totals[(category, label)]),
                unit=self._unit(category),
                source=source,
                measure=Measure.COUNT,
            )
            for category in self.categories.values()
            for label in labels
        )
        return AuditTable(periods=labels, figures=figures, area_name=name)

    def _chosen(self, wanted: str | None) -> tuple[str | None, str | None]:
        """The local authority to count (None: the whole file) and the area's name."""
        forces = list(self.forces)
        if wanted is not None and wanted.strip():
            key = _key(wanted)
            for name in self.areas:
                if _key(name) == key:
                    return name, name
            if any(_key(force) == key for force in forces):
                return None, wanted.strip()
            raise ImportRefused([self._areas_problem(f"there is no area '{_short(wanted)}'")])
        if len(self.areas) <= 1:
            only = next(iter(self.areas), None) or (forces[0] if len(forces) == 1 else None)
            return None, only
        raise ImportRefused(
            [self._areas_problem("the file covers more than one local authority: choose one")]
        )

    def _areas_problem(self, why: str) -> Problem:
        """Why no area was chosen, with the areas the file covers (by LSOA name)."""
        listed = "; ".join(self.areas)
        forces = " or ".join(f"'{force}'" for force in self.forces)
        return Problem(
            0,
            "",
            f"{why}. The local authorities in the file (from its LSOA names) are: {listed}. "
            f"Name one, or the force {forces} for every row.",
        )

    def _unit(self, category: str) -> str:
        if self.outcomes:
            return "outcomes"
        return "reports" if "anti-social" in category.casefold() else "offences"

    def _source(self) -> str:
        kind = "outcomes data" if self.outcomes else "street-level crime data"
        forces = ", ".join(self.forces)
        return f"police.uk {kind}" + (f" ({forces})" if forces else "")


def gathered(months: Iterable[Month]) -> dict[Month, tuple[str, ...]]:
    """Each month's periods: its financial year when all twelve months are present, else its
    quarter when all three are, else the month itself; and, for a month of a whole year, the
    quarter or month it is a year before a part year's, so that Apr to Jun 2025 can be set
    beside Apr to Jun 2024 (the same season) rather than beside a whole year."""
    present = set(months)
    primary: dict[Month, str] = {}
    for year, number in sorted(present):
        start = year if number >= 4 else year - 1
        fy = [(start, m) for m in range(4, 13)] + [(start + 1, m) for m in range(1, 4)]
        first = number - (number - 1) % 3
        quarter_months = [(year, m) for m in range(first, first + 3)]
        if all(m in present for m in fy):
            primary[(year, number)] = financial_year(start)
        elif all(m in present for m in quarter_months):
            primary[(year, number)] = quarter(year, first)
        else:
            primary[(year, number)] = month(year, number)
    periods: dict[Month, tuple[str, ...]] = {}
    for (year, number), label in primary.items():
        later = primary.get((year + 1, number), "")
        first = number - (number - 1) % 3
        if period_kind(label) is not PeriodKind.FINANCIAL_YEAR or not later:
            periods[(year, number)] = (label,)
        elif period_kind(later) is PeriodKind.QUARTER:
            periods[(year, number)] = (label, quarter(year, first))
        elif period_kind(later) is PeriodKind.MONTH:
            periods[(year, number)] = (label, month(year, number))
        else:
            periods[(year, number)] = (label,)
    return periods


def _month_of(text: str) -> Month | None:
    """(2024, 4) for '2024-04'; None for anything else."""
    found = _MONTH_TEXT.fullmatch(text)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""
