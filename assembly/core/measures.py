"""What a figure measures (a count, a rate per 1,000 population, a percentage), so wording
and rounding follow it: a rate is never "fewer offences", a percentage changes in points.

Pure core.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

_RATE = re.compile(r"\bper\b(?!\s*cent)", re.IGNORECASE)  # "per 1,000", not "per cent"
_PERCENT = re.compile(r"^\s*(%|per\s*cent|percent|percentage)", re.IGNORECASE)
SHOWN_PLACES = Decimal("0.1")  # rates and percentages are read to one decimal place


class Measure(StrEnum):
    """The kinds of figure an audit holds."""

    COUNT = "count"
    RATE = "rate"
    PERCENTAGE = "percentage"


def measure_of(unit: str | None) -> Measure:
    """The measure a unit implies: 'per 1,000 people' a rate, '%' a percentage, else a count."""
    if unit is None:
        return Measure.COUNT
    if _RATE.search(unit):
        return Measure.RATE
    if _PERCENT.match(unit):
        return Measure.PERCENTAGE
    return Measure.COUNT


def for_display(value: Decimal, measure: Measure) -> Decimal:
    """A value as a person reads it: rates and percentages to one decimal place (78.61234 is
    78.6); counts as given."""
    if measure is Measure.COUNT:
        return value
    return value.quantize(SHOWN_PLACES, rounding=ROUND_HALF_UP)
