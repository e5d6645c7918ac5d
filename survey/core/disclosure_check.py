"""The checker: can anything a consultation publishes give a hidden count away?

Pure. Given the results as published and the same results counted with nothing hidden, it
takes each table whose cells add up to a shown total (a scale question's options with its
agreeing and disagreeing, a single choice's options, the channels, the weeks), and asks
`common.disclosure.recoverable` whether a reader could pin any hidden count to one value
from the shown ones and the rule's bounds. Each view is checked (everyone, and each group
of a breakdown question), and then each breakdown question's groups against everyone:
a question's count for everyone is the sum of its groups' and of those who did not answer
the breakdown question, so a count hidden in one view can be a subtraction away in another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from common.disclosure import Sum, recoverable
from common.statistics import Share
from survey.core.questions import QuestionType
from survey.core.results import (
    AGREE_LABELS,
    AGREEING,
    DISAGREE_LABELS,
    DISAGREEING,
    ChoiceResult,
    ConsultationResults,
    MatrixResult,
    ScaleResult,
)


@dataclass(frozen=True)
class Leak:
    """A hidden count a reader could work out: where, which, and its value."""

    view: str
    table: str
    cell: str
    value: int

    def __str__(self) -> str:
        return f"{self.view}: {self.table}: '{self.cell}' can be worked out ({self.value})"


def leaks(published: ConsultationResults, true: ConsultationResults, view: str) -> list[Leak]:
    """Every hidden count of one view that its shown counts give away; [] when none."""
    if published.responses is None:  # the whole view is hidden
        return []
    tables: list[tuple[str, list[tuple[str, Share, int]], list[Sum], int | None]] = []
    for shown, counted in zip(published.questions, true.questions, strict=True):
        if isinstance(shown, MatrixResult) and isinstance(counted, MatrixResult):
            pairs = list(zip(shown.statements, counted.statements, strict=True))
            tables += [_scale(f"{shown.key} / {s.statement}", s, c) for s, c in pairs]
        elif isinstance(shown, ScaleResult) and isinstance(counted, ScaleResult):
            tables.append(_scale(shown.key, shown, counted))
        elif (
            isinstance(shown, ChoiceResult)
            and isinstance(counted, ChoiceResult)
            and shown.type is QuestionType.SINGLE_CHOICE
        ):
            cells = [
                (s.label, s.share, c.share.count or 0)
                for s, c in zip(shown.options, counted.options, strict=True)
            ]
            tables.append((shown.key, cells, [], shown.answered))
    channels = [
        (s.label, s.share, c.share.count or 0)
        for s, c in zip(published.channels, true.channels, strict=True)
    ]
    weeks = [
        (s.starts.isoformat(), s.share, c.share.count or 0)
        for s, c in zip(published.weeks, true.weeks, strict=True)
    ]
    tables += [("channels", channels, [], published.responses)]
    tables += [("weeks", weeks, [], published.responses)]
    found = []
    for table, cells, sums, total in tables:
        found += [Leak(view, table, cell, value) for cell, value in _given_away(cells, sums, total)]
    return found


def _scale(
    name: str, shown: ScaleResult, counted: ScaleResult
) -> tuple[str, list[tuple[str, Share, int]], list[Sum], int | None]:
    cells = [
        (s.label, s.share, c.share.count or 0)
        for s, c in zip(shown.options, counted.options, strict=True)
    ]
    labels = [label for label, _, _ in cells]
    sums = []
    for total, labels_in, s, c in (
        (AGREEING, AGREE_LABELS, shown.agree, counted.agree),
        (DISAGREEING, DISAGREE_LABELS, shown.disagree, counted.disagree),
    ):
        parts = tuple(label for label in labels if label in labels_in)
        if len(parts) > 1:
            cells.append((total, s, c.count or 0))
            sums.append(Sum(total, parts))
    return name, cells, sums, shown.answered


def _given_away(
    cells: Sequence[tuple[str, Share, int]], sums: Sequence[Sum], total: int | None
) -> list[tuple[str, int]]:
    """The hidden cells of one table that its shown cells and total pin down."""
    if total is None or not cells:
        return []
    added_up = {relation.total for relation in sums}  # agreeing and disagreeing
    option_names = [name for name, _, _ in cells if name not in added_up]
    counts = {name: value for name, _, value in cells}
    counts["(total)"] = total
    small = {name for name, share, _ in cells if share.suppressed and not share.withheld}
    withheld = {name for name, share, _ in cells if share.withheld}
    threshold = cells[0][1].threshold
    relations = [Sum("(total)", tuple(option_names)), *sums]
    found = recoverable(counts, relations, small, withheld, threshold)
    return sorted(found.items())


View = tuple[str, ConsultationResults, ConsultationResults]  # (name, shown, counted)


def across_views(breakdown: str, everyone: View, groups: Sequence[View]) -> list[Leak]:
    """Hidden counts that everyone's and the groups' counts of one breakdown question give
    away together: per question, each option's count for everyone is its groups' plus an
    unknown count for those not in any group (never shown)."""
    found: list[Leak] = []
    _, shown, counted = everyone
    if shown.responses is None:
        return []
    for index, question in enumerate(shown.questions):
        if not _options_add_up(question):
            continue
        counts: dict[str, int] = {}
        small: set[str] = set()
        withheld: set[str] = set()
        sums: list[Sum] = []
        names = {}
        for view, view_shown, view_counted in (everyone, *groups):
            names[view] = _add_view(
                view,
                view_shown.questions[index],
                view_counted.questions[index],
                counts,
                small,
                withheld,
                sums,
            )
        for k, option in enumerate(names[everyone[0]]):
            rest = f"not in a group|{k}"
            in_groups = [names[g[0]][k] for g in groups]
            counts[rest] = counts[option] - sum(counts[name] for name in in_groups)
            withheld.add(rest)
            sums.append(Sum(option, (*in_groups, rest)))
        given = recoverable(counts, sums, small, withheld, shown.threshold)
        found += [
            Leak(f"{breakdown} groups against everyone", question.key, cell, value)
            for cell, value in sorted(given.items())
            if not cell.startswith("not in a group")
        ]
    return found


def _options_add_up(question: object) -> bool:
    """A scale question, or a single choice: its options add up to those who answered."""
    if isinstance(question, ScaleResult):
        return True
    return isinstance(question, ChoiceResult) and question.type is QuestionType.SINGLE_CHOICE


def _add_view(
    view: str,
    shown: object,
    counted: object,
    counts: dict[str, int],
    small: set[str],
    withheld: set[str],
    sums: list[Sum],
) -> list[str]:
    """One view's options of one question as cells of the joint system; their names."""
    assert isinstance(shown, ScaleResult | ChoiceResult)
    assert isinstance(counted, ScaleResult | ChoiceResult)
    names = []
    for option, truth in zip(shown.options, counted.options, strict=True):
        name = f"{view}|{option.label}"
        counts[name] = truth.share.count or 0
        names.append(name)
        if shown.answered is None or option.share.withheld:
            withheld.add(name)  # a hidden view: nothing is known of it but that it is >= 0
        elif option.share.suppressed:
            small.add(name)
    answered = f"{view}|(answered)"
    counts[answered] = counted.answered or 0
    if shown.answered is None:
        withheld.add(answered)
    sums.append(Sum(answered, tuple(names)))
    return names
