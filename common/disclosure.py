"""Which counts may be published, so that no hidden count can be worked out from the rest.

Primary suppression hides a count from 1 to threshold - 1. That alone is not enough where the
published cells add up: if "Yes 50, No 7, Don't know fewer than 5" and "61 answered" are all
shown, Don't know is 61 - 50 - 7 = 4. Secondary (complementary) suppression also hides the
smallest other cells of such a sum until every hidden count could be one of at least two
values, as the ONS and GSS disclosure-control guidance describe.

A reader knows the rule: a count shown as "fewer than N" is from 1 to N - 1, and one "not
shown" is any whole number. `recoverable` finds each hidden count that the published counts
and sums pin to one value, by linear programming over those bounds (the reader's best
attack); `protect` chooses what to hide so that it finds none.

Pure: plain counts in, sets of names out. Tests and `flask results disclosure-check` use
`recoverable` on everything a consultation publishes.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from scipy.optimize import linprog

from common.statistics import is_small

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Sum:
    """A published relation: the count named `total` is the sum of the counts named `parts`."""

    total: str
    parts: tuple[str, ...]


def primary(counts: Mapping[str, int], threshold: int) -> set[str]:
    """The counts small enough to identify someone: 1 to threshold - 1."""
    return {name for name, count in counts.items() if is_small(count, threshold)}


def recoverable(
    counts: Mapping[str, int],
    sums: Sequence[Sum],
    small: Collection[str],
    other: Collection[str] = (),
    threshold: int = 5,
) -> dict[str, int]:
    """Each hidden count that the published ones pin to a single whole number, with it.

    `small` are shown as "fewer than `threshold`" (so the reader knows 1 <= n < threshold);
    `other` are "not shown" (n >= 0); every other count in `counts` is published as it is.
    """
    hidden = [name for name in counts if name in small or name in other]
    if not hidden:
        return {}
    index = {name: i for i, name in enumerate(hidden)}
    rows: list[list[float]] = []
    values: list[float] = []
    for relation in sums:
        row = [0.0] * len(hidden)
        constant = 0
        for name, sign in ((relation.total, -1), *((part, 1) for part in relation.parts)):
            if name in index:
                row[index[name]] += sign
            else:
                constant += sign * counts[name]
        if any(row):
            rows.append(row)
            values.append(-constant)
    bounds: list[tuple[int, int | None]] = [
        (1, threshold - 1) if name in small else (0, None) for name in hidden
    ]
    found = {}
    for name in hidden:
        low = _extreme(index[name], 1, rows, values, bounds)
        high = _extreme(index[name], -1, rows, values, bounds)
        if low is None or high is None:  # no least or no greatest: cannot be pinned
            continue
        if math.ceil(low - TOLERANCE) == math.floor(high + TOLERANCE):
            found[name] = counts[name]
    return found


def _extreme(
    at: int,
    sense: int,
    rows: Sequence[Sequence[float]],
    values: Sequence[float],
    bounds: Sequence[tuple[int, int | None]],
) -> float | None:
    """The least (sense 1) or greatest (sense -1) value the hidden count `at` can take;
    None when it has no greatest."""
    objective = [0.0] * len(bounds)
    objective[at] = float(sense)
    solved = linprog(
        objective,
        A_eq=rows or None,
        b_eq=values or None,
        bounds=bounds,
        method="highs",
    )
    if solved.status == 3:  # unbounded: no greatest value
        return None
    if not solved.success:  # the published counts contradict each other: a caller's mistake
        raise ValueError(f"the published counts are inconsistent: {solved.message}")
    return float(sense * solved.fun)


def protect(
    counts: Mapping[str, int],
    sums: Sequence[Sum],
    threshold: int,
    keep: Collection[str] = (),
) -> tuple[set[str], set[str]]:
    """What to hide: (small counts, others hidden with them) so that `recoverable` finds
    nothing. Others are taken smallest first from the sums that give a count away, never
    from `keep` (a base or total the page needs) unless nothing else is left."""
    small = primary(counts, threshold)
    other: set[str] = set()
    if not small:  # nothing hidden, nothing to give away: no programme to solve
        return small, other
    while recoverable(counts, sums, small, other, threshold):
        hidden = small | other
        exposed = {  # the cells of every sum with a hidden count in it
            name
            for relation in sums
            for name in (relation.total, *relation.parts)
            if hidden & {relation.total, *relation.parts}
        }
        shown = [name for name in exposed if name not in small and name not in other]
        if not shown:  # nothing left to hide: cannot happen while a sum has a shown cell
            break
        # The smallest tells least: a hidden zero protects as well as any other count.
        chosen = min(shown, key=lambda name: (name in keep, counts[name], name))
        other.add(chosen)
    return small, other
