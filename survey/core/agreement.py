"""How well theme codes agree with reference codes: per-theme precision, recall and F1.

Pure core: used by the benchmarks, by suggestions' cross-validation and by the officers' pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ThemeScore:
    """How well codes found for one theme agree with reference codes."""

    name: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Of the answers given the theme, the share the reference gives it (1 when none)."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        """Of the answers the reference gives the theme, the share found (1 when none)."""
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0 when both are 0)."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_coding(
    names: Sequence[str],
    expected: Sequence[Iterable[str]],
    found: Sequence[Iterable[str]],
) -> list[ThemeScore]:
    """Per theme of `names`, how `found` codes agree with `expected` codes, answer by answer."""
    if len(expected) != len(found):
        raise ValueError("expected and found codes must be for the same answers")
    counts = {name: [0, 0, 0] for name in names}
    for wanted, got in zip(expected, found, strict=True):
        wanted_set, got_set = set(wanted), set(got)
        for name in names:
            if name in got_set:
                counts[name][0 if name in wanted_set else 1] += 1
            elif name in wanted_set:
                counts[name][2] += 1
    return [ThemeScore(name, *counts[name]) for name in names]


def macro_f1(scores: Sequence[ThemeScore]) -> float:
    """The mean of the themes' F1 scores, each theme counting equally."""
    return sum(score.f1 for score in scores) / len(scores) if scores else 0.0


@dataclass(frozen=True)
class Pooled:
    """How codes found agree with reference codes over some answers, every theme together."""

    answers: int
    given: int  # codes the reference gives
    found: int  # of those, the codes also found
    extra: int  # codes found that the reference does not give

    @property
    def recall(self) -> float:
        """Of the codes the reference gives, the share found (1 when none)."""
        return self.found / self.given if self.given else 1.0


def pooled(expected: Sequence[Iterable[str]], found: Sequence[Iterable[str]]) -> Pooled:
    """Codes `found` against `expected`, answer by answer, counted over all the answers."""
    if len(expected) != len(found):
        raise ValueError("expected and found codes must be for the same answers")
    given = hit = extra = 0
    for wanted, got in zip(expected, found, strict=True):
        wanted_set, got_set = set(wanted), set(got)
        given += len(wanted_set)
        hit += len(wanted_set & got_set)
        extra += len(got_set - wanted_set)
    return Pooled(len(expected), given, hit, extra)


def pooled_apart(
    marked: Sequence[bool], expected: Sequence[Iterable[str]], found: Sequence[Iterable[str]]
) -> tuple[Pooled, Pooled]:
    """`pooled` over the answers `marked` True (answers written in Welsh, say), then the rest."""
    if not len(marked) == len(expected) == len(found):
        raise ValueError("marks, expected and found codes must be for the same answers")

    def side(wanted: bool) -> Pooled:
        pairs = [(e, f) for e, f, m in zip(expected, found, marked, strict=True) if m == wanted]
        return pooled([e for e, _ in pairs], [f for _, f in pairs])

    return side(True), side(False)
