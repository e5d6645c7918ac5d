"""What kind of period a label names, and which two periods of one kind a trend compares.

Pure core. A financial year ("2018/19") is never compared with a calendar year ("2018"), a
quarter, a month or a rolling twelve months ("Year ending Sep 2023"): each trend compares
the latest two periods of one kind, so a partial year is never set against a whole one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import StrEnum

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = tuple(name.capitalize() for name in MONTHS)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"


class PeriodKind(StrEnum):
    """The kinds of period a crime figure is counted over."""

    FINANCIAL_YEAR = "financial year"
    CALENDAR_YEAR = "calendar year"
    QUARTER = "quarter"
    MONTH = "month"
    ROLLING_12_MONTHS = "rolling 12 months"
    OTHER = "other"  # a label this module does not recognise ("Baseline")


_PATTERNS = (
    (PeriodKind.FINANCIAL_YEAR, re.compile(r"(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})")),
    (PeriodKind.CALENDAR_YEAR, re.compile(r"(?:calendar year\s*)?(\d{4})")),
    (
        PeriodKind.ROLLING_12_MONTHS,
        re.compile(rf"(?:12 months|year) (?:ending|to) {_MONTH}\s*(\d{{4}})"),
    ),
    (PeriodKind.QUARTER, re.compile(rf"{_MONTH}\s*(?:to|-|–)\s*{_MONTH}\s*(\d{{4}})")),
    (PeriodKind.QUARTER, re.compile(r"(\d{4})\s*q([1-4])|q([1-4])\s*(\d{4})")),
    (PeriodKind.MONTH, re.compile(rf"{_MONTH}\s*(\d{{4}})")),
    (PeriodKind.MONTH, re.compile(r"(\d{4})-(0[1-9]|1[0-2])")),
)


def period_kind(label: str) -> PeriodKind:
    """The kind of period `label` names; OTHER when it is not one this module knows."""
    text = " ".join(label.split()).casefold()
    for kind, pattern in _PATTERNS:
        found = pattern.fullmatch(text)
        if found and (kind is not PeriodKind.FINANCIAL_YEAR or _consecutive(found)):
            return kind
    return PeriodKind.OTHER


def _consecutive(found: re.Match[str]) -> bool:
    """True when '2018/19' (or '2018-2019') names two years in a row: a financial year."""
    first, second = found.group(1), found.group(2)
    following = (int(first) + 1) % (100 if len(second) == 2 else 10_000)
    return int(second) == following


def compared_periods(periods: Sequence[str]) -> tuple[str | None, str] | None:
    """The (previous, latest) periods a trend compares: the latest two of one kind, or for a
    quarter or month the same one a year before when there is one (seasons differ).

    The kind is the latest period's, unless that kind has only one period and another kind
    has two (a file of whole years then one quarter compares the years); `previous` is None
    when no kind has two periods, and the whole answer None when there are no periods.
    """
    if not periods:
        return None
    by_kind: dict[PeriodKind, list[str]] = {}
    for period in periods:
        by_kind.setdefault(period_kind(period), []).append(period)
    latest_kind = period_kind(periods[-1])
    if len(by_kind[latest_kind]) < 2:
        for period in reversed(periods):
            if len(by_kind[period_kind(period)]) >= 2:
                latest_kind = period_kind(period)
                break
    same = by_kind[latest_kind]
    if latest_kind in (PeriodKind.QUARTER, PeriodKind.MONTH):
        season = a_year_before(same[-1])  # the same season, not the quarter or month before
        if season in same:
            return season, same[-1]
    return (same[-2] if len(same) > 1 else None), same[-1]


def a_year_before(label: str) -> str:
    """The same quarter or month a year earlier: 'Apr to Jun 2024' for 'Apr to Jun 2025'."""
    return _YEAR.sub(lambda found: str(int(found.group()) - 1), label, count=1)


def same_kind(periods: Sequence[str], period: str) -> tuple[str, ...]:
    """The periods of the same kind as `period`, in their order: one line on a chart."""
    kind = period_kind(period)
    return tuple(p for p in periods if period_kind(p) is kind)


def financial_year(year: int) -> str:
    """The financial year starting in April of `year`, written '2024/25'."""
    return f"{year}/{(year + 1) % 100:02d}"


def quarter(year: int, first_month: int) -> str:
    """The quarter starting in `first_month` (1-12) of `year`, written 'Apr to Jun 2024'."""
    return f"{MONTH_NAMES[first_month - 1]} to {MONTH_NAMES[first_month + 1]} {year}"


def month(year: int, number: int) -> str:
    """A month written 'Apr 2024'."""
    return f"{MONTH_NAMES[number - 1]} {year}"


def chronological(periods: Sequence[str]) -> tuple[str, ...]:
    """The periods in time order by the year and month they name (stable: a label naming
    neither keeps its place after those that do). Within one kind this is their true order."""
    return tuple(sorted(periods, key=_start))


_YEAR = re.compile(r"\d{4}")
_MONTH_WORD = re.compile(_MONTH)


def period_begins(label: str) -> dt.date | None:
    """The first day a figure for `label` can speak for: the start of a year, quarter or month
    (1 April for a financial year); for a rolling twelve months, its last month, as the figure
    stands at that month's end. None for a label of no known kind.

    A report covering up to a day shows the figures of periods begun by then: a financial
    year's figure so far in a quarter's report, never one of a year yet to start."""
    kind = period_kind(label)
    if kind is PeriodKind.OTHER:
        return None
    year, month_number, _ = _start(label)
    if kind is PeriodKind.FINANCIAL_YEAR:
        return dt.date(year, 4, 1)
    quarter_number = re.search(r"q([1-4])", label.casefold())
    if kind is PeriodKind.QUARTER and quarter_number and not month_number:
        month_number = int(quarter_number.group(1)) * 3 - 2
    return dt.date(year, month_number or 1, 1)


def _start(label: str) -> tuple[int, int, int]:
    """A sort key: (year, month) named by the label, after its kind; (9999, …) for neither."""
    text = label.casefold()
    year = _YEAR.search(text)
    if year is None:
        return (9999, 0, 0)
    found = _MONTH_WORD.search(text)
    numbered = re.fullmatch(r"\d{4}-(\d{2})", text.strip())
    month_number = (
        MONTHS.index(found.group(1)) + 1 if found else int(numbered.group(1)) if numbered else 0
    )
    return (int(year.group()), month_number, 0)
