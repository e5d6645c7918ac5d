"""Which counts may be published, so that no hidden count can be worked out from the rest.

Primary suppression hides a count from 1 to threshold - 1. That alone is not enough where the
published cells add up: if "Yes 50, No 7, Don't know fewer than 5" and "61 answered" are all
shown, Don't know is 61 - 50 - 7 = 4. Secondary (complementary) suppression also hides other
cells of such a sum until every hidden count could be one of at least two values, as the ONS
and GSS disclosure-control guidance describe.

A reader knows the rule: a count shown as "fewer than N" is from 1 to N - 1, and one "not
shown" is any whole number. Some counts are never published at all but follow from others (the
people in no published group: everyone less the groups shown); they are `unknown` to the reader
and any whole number. `recoverable` finds each hidden count that the published counts and sums
pin to one value, by linear programming over those bounds (the reader's best attack); `protect`
chooses what else to hide so that it finds none. A hidden count pinned to 0 gives no one away
(there is no one in it), nor does an unpublished one pinned to a count too large to identify
anyone; pinned to a small count, either does.

Pure: plain counts in, sets of names out. Tests and `flask results disclosure-check` use
`recoverable` on everything a consultation publishes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from common.statistics import is_small

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Sum:
    """A published relation: the count named `total` is the sum of the counts named `parts`."""

    total: str
    parts: tuple[str, ...]


class CannotProtect(ValueError):
    """Nothing that may be hidden would stop a hidden count being worked out."""

    def __init__(self, found: Sequence[str]) -> None:
        super().__init__(f"nothing left to hide to protect {', '.join(found)}")
        self.found = tuple(found)


def primary(counts: Mapping[str, int], threshold: int) -> set[str]:
    """The counts small enough to identify someone: 1 to threshold - 1."""
    return {name for name, count in counts.items() if is_small(count, threshold)}


def recoverable(
    counts: Mapping[str, int],
    sums: Sequence[Sum],
    small: Collection[str],
    other: Collection[str] = (),
    threshold: int = 5,
    unknown: Collection[str] = (),
    free: Collection[str] = (),
    only: Collection[str] | None = None,
) -> dict[str, int]:
    """Each hidden count that the published ones pin to a single whole number other than 0,
    with it.

    `small` are shown as "fewer than `threshold`" (so the reader knows 1 <= n < threshold);
    `other` are "not shown" (n >= 0; a small count in `other` too is only "not shown");
    `unknown` are never published (n >= 0) and count only when pinned to a small value; `free`
    are never published and never count (a slack: those who did not tick an option, or did not
    answer); every other count in `counts` is published as it is. `only`, when given, limits
    which hidden counts are tried.
    """
    reader = _Reader(counts, sums, threshold)
    reader.hide(small, other, unknown, free)
    return {
        name: counts[name]
        for name in counts
        if _tried(name, small, other, unknown, only, counts, threshold) and reader.pinned(name)
    }


def _tried(
    name: str,
    small: Collection[str],
    other: Collection[str],
    unknown: Collection[str],
    only: Collection[str] | None,
    counts: Mapping[str, int],
    threshold: int,
) -> bool:
    if (only is not None and name not in only) or counts[name] == 0:
        return False
    if name in small or name in other:
        return True
    return name in unknown and is_small(counts[name], threshold)  # else it identifies no one


class _Reader:
    """The reader's linear programme: every count a variable, the sums as equations; a
    published count fixed at its value, a hidden one bounded only as the rule says. Solved for
    a hidden count's least and greatest value.

    One solver is kept and only bounds and objective change, so each solve starts from the last
    basis (about a tenth of the time of solving afresh). Every solution seen narrows the work: a
    count already seen at two whole values cannot be pinned (the true counts are one solution).
    """

    def __init__(self, counts: Mapping[str, int], sums: Sequence[Sum], threshold: int) -> None:
        for relation in sums:
            if counts[relation.total] != sum(counts[part] for part in relation.parts):
                raise ValueError(f"the published counts are inconsistent: {relation}")
        self.counts = counts
        self.threshold = threshold
        self.index = {name: i for i, name in enumerate(counts)}
        self.size = len(counts)
        self.truth = np.array([float(counts[name]) for name in counts])
        # The compiled solver, not `highspy.Highs`: that wrapper's set-up prints a banner to
        # standard output before any option can silence it (HiGHS issues #1702, #2749).
        self.solver = highspy._Highs()  # type: ignore[attr-defined]
        self.solver.setOptionValue("output_flag", False)
        self.solver.addVars(self.size, self.truth, self.truth)
        for relation in sums:
            row = np.zeros(self.size)
            row[self.index[relation.total]] -= 1
            for part in relation.parts:
                row[self.index[part]] += 1
            at = np.flatnonzero(row).astype(np.int32)
            if len(at):
                self.solver.addRow(0.0, 0.0, len(at), at, row[at])
        self.columns = np.arange(self.size, dtype=np.int32)
        self.seen_low = self.truth.copy()
        self.seen_high = self.truth.copy()

    def hide(self, small: Collection[str], *others: Collection[str]) -> None:
        """Loosen counts to what the reader knows: `small` from 1 to threshold - 1, `others`
        0 or more (a count in both is 0 or more). Values seen stay possible."""
        loose = {name for group in others for name in group}
        for name in (*small, *loose):
            at = np.array([self.index[name]], dtype=np.int32)
            if name in small and name not in loose:
                low, high = 1.0, self.threshold - 1.0
            else:
                low, high = 0.0, highspy.kHighsInf
            self.solver.changeColsBounds(1, at, np.array([low]), np.array([high]))

    def show(self, names: Collection[str]) -> None:
        """Fix counts at their values again; what was seen may no longer be possible."""
        for name in names:
            at = self.index[name]
            value = np.array([self.truth[at]])
            self.solver.changeColsBounds(1, np.array([at], dtype=np.int32), value, value)
        self.seen_low = self.truth.copy()
        self.seen_high = self.truth.copy()

    def pinned(self, name: str) -> bool:
        at = self.index[name]
        if self._spans_two(at):
            return False
        for sense in (1.0, -1.0):
            objective = np.zeros(self.size)
            objective[at] = sense
            if not self._solve(objective):  # no greatest value: cannot be pinned
                return False
            if self._spans_two(at):
                return False
        return True

    def _spans_two(self, at: int) -> bool:
        """Whether the values seen for this count include two whole numbers."""
        low, high = float(self.seen_low[at]), float(self.seen_high[at])
        return math.ceil(low - TOLERANCE) < math.floor(high + TOLERANCE)

    def _solve(self, objective: np.ndarray) -> bool:
        """Solve; False when unbounded."""
        self.solver.changeColsCost(self.size, self.columns, objective)
        self.solver.run()
        status = self.solver.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            values = np.array(self.solver.getSolution().col_value)
            np.minimum(self.seen_low, values, out=self.seen_low)
            np.maximum(self.seen_high, values, out=self.seen_high)
            return True
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return False
        raise ValueError(f"the reader's programme could not be solved: {status.name}")


def protect(
    counts: Mapping[str, int],
    sums: Sequence[Sum],
    threshold: int,
    keep: Collection[str] = (),
    *,
    small: Collection[str] | None = None,
    hidden: Collection[str] = (),
    unknown: Collection[str] = (),
    free: Collection[str] = (),
    may_hide: Callable[[str], bool] | None = None,
    cost: Callable[[str], tuple[object, ...]] | None = None,
) -> tuple[set[str], set[str]]:
    """What to hide: (small counts, others hidden with them) so that `recoverable` finds
    nothing.

    `small` are those shown as "fewer than" (by default, every small published count);
    `hidden` are hidden already (decided elsewhere); `unknown` and `free` are never published
    (as for `recoverable`). Others are hidden one at a time from a sum that gives a count away,
    the sum with fewest hidden counts first (a lone hidden count in a sum is a subtraction
    away): the cheapest by `cost`, which by default is smallest first, `keep` (a base or total
    the page needs) last. Only counts that `may_hide` allows are chosen; CannotProtect when
    none is left to choose. A count in both sets is written "not shown", not "fewer than".
    """
    unpublished = {*unknown, *free}
    if small is None:
        small = primary({n: c for n, c in counts.items() if n not in unpublished}, threshold)
    small = set(small)
    given = set(hidden) - small
    other = set(given) | (set(hidden) & small)
    sensitive = sorted(small | {n for n in unknown if is_small(counts[n], threshold)})
    if not sensitive:
        return small, other  # nothing small, nothing to give away: no programme to solve

    def default_cost(name: str) -> tuple[object, ...]:
        return (name in keep, counts[name], name)

    rank = cost or default_cost
    reader = _Reader(counts, sums, threshold)
    reader.hide(small, other, unknown, free)
    while found := next((name for name in sensitive if reader.pinned(name)), None):
        chosen = _complement([found], sums, small, other, unpublished, may_hide, rank)
        if chosen is None:
            raise CannotProtect([found])
        other.add(chosen)
        reader.hide((), [chosen])
    # A count hidden to protect another that can be worked out all the same protects nothing
    # (a 0 where the total is 0): it is shown again, one at a time, unless that gives one away.
    for name in sorted(other - given):
        if not reader.pinned(name):
            continue
        if name in small:
            reader.hide([name])
        else:
            reader.show([name])
        if any(reader.pinned(s) for s in sensitive):
            reader.hide((), [name])
        else:
            other.discard(name)
    return small, other


def _complement(
    found: Sequence[str],
    sums: Sequence[Sum],
    small: set[str],
    other: set[str],
    unpublished: set[str],
    may_hide: Callable[[str], bool] | None,
    rank: Callable[[str], tuple[object, ...]],
) -> str | None:
    """The cell to hide next: from a sum holding a count that can be worked out, else (when
    every cell of those is hidden and the count follows through another sum) from any sum
    holding a hidden count. A shown cell first; failing that, a small one written "not
    shown" rather than "fewer than N", so that the reader no longer knows it is at least 1
    (five counts each "fewer than 5" that add up to 5 are each 1)."""

    hidden = small | other | unpublished

    def fewest_hidden(relation: Sum) -> int:
        return sum(1 for n in (relation.total, *relation.parts) if n in hidden)

    direct = [s for name in found for s in sums if name == s.total or name in s.parts]
    further = [s for s in sums if fewest_hidden(s) and s not in direct]
    ordered = [*sorted(direct, key=fewest_hidden), *sorted(further, key=fewest_hidden)]
    for loosen in (False, True):
        for relation in ordered:
            shown = [
                n
                for n in (relation.total, *relation.parts)
                if ((n in small and n not in other) if loosen else n not in hidden)
                and (may_hide is None or may_hide(n))
            ]
            if shown:
                return min(shown, key=rank)
    return None
