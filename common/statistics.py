"""The arithmetic behind every result: shares, Wilson intervals and small-number suppression.

Pure functions of counts. Suppression is decided here, once, so no page, export, chart or
Word draft can show a count that should be hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # two-sided 95% point of the standard normal distribution
DEFAULT_THRESHOLD = 5


def wilson_interval(count: int, base: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for count/base, as proportions from 0 to 1.

    Unlike the textbook p ± z·sqrt(p(1-p)/n) it stays inside 0..1 and is honest for small
    bases and for 0% or 100%.
    """
    if base <= 0:
        raise ValueError("an interval needs at least one respondent")
    if not 0 <= count <= base:
        raise ValueError(f"count {count} is not between 0 and the base {base}")
    p = count / base
    z2 = z * z
    centre = p + z2 / (2 * base)
    spread = z * math.sqrt(p * (1 - p) / base + z2 / (4 * base * base))
    denominator = 1 + z2 / base
    low = (centre - spread) / denominator
    high = (centre + spread) / denominator
    # The exact bounds at 0% and 100% are 0 and 1; floating point can miss by 1e-17.
    return (0.0 if count == 0 else low, 1.0 if count == base else high)


def is_small(count: int, threshold: int) -> bool:
    """True for a count that could identify someone: 1 to threshold - 1 (zero identifies no one)."""
    return 0 < count < threshold


@dataclass(frozen=True)
class Share:
    """A count out of a base: its percentage and 95% interval, or hidden as too small.

    `count` is None when suppressed, so nothing downstream can show it by mistake. The base is
    the number who answered the question (or were in the group), "Don't know" included.
    """

    count: int | None
    base: int
    threshold: int = DEFAULT_THRESHOLD
    # Hidden though not small, because shown it would let a small count be worked out
    # (secondary suppression, common.disclosure): written "not shown", not "fewer than 5".
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def percent(self) -> float | None:
        """The share as a percentage, 0 to 100; None when suppressed or the base is empty."""
        if self.count is None or self.base == 0:
            return None
        return 100 * self.count / self.base

    @property
    def interval(self) -> tuple[float, float] | None:
        """The Wilson 95% interval as percentages, 0 to 100; None when there is nothing to show."""
        if self.count is None or self.base == 0:
            return None
        low, high = wilson_interval(self.count, self.base)
        return (100 * low, 100 * high)


def share(count: int, base: int, threshold: int) -> Share:
    """`count` of `base`, suppressed when `count` is small."""
    return Share(None if is_small(count, threshold) else count, base, threshold)


def hidden(base: int, threshold: int) -> Share:
    """A share that cannot be shown because too few answered at all."""
    return Share(None, base, threshold)


def withheld(base: int, threshold: int) -> Share:
    """A share hidden so that a small count beside it cannot be worked out."""
    return Share(None, base, threshold, withheld=True)


def net(agree: Share, disagree: Share) -> float | None:
    """Net agreement in percentage points (% agreeing - % disagreeing), if both can be shown."""
    if agree.percent is None or disagree.percent is None:
        return None
    return agree.percent - disagree.percent
