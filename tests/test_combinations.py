"""Combined filters (area and age group): no count a combination shows, added to or taken from
the others and everyone's, is a small number. Pure: random consultations, no app."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from common.statistics import is_small
from survey.core.combinations import published, unsafe_tables
from survey.core.release import tables
from survey.core.results import ConsultationResults
from tests.test_release import AGE, AREA, Response, _responses, _view

THRESHOLD = 5
Cell = tuple[int | None, int | None]  # (area, age); None: not answered


def _cells(responses: Sequence[Response]) -> dict[Cell, ConsultationResults]:
    """Every cell of area by age, those who answered neither included, counted as they are."""
    areas = [*range(len(AREA.options)), None]
    ages = [*range(len(AGE.options)), None]
    return {
        (area, age): _view([r for r in responses if (r["area"], r["age"]) == (area, age)], 1, None)
        for area, age in itertools.product(areas, ages)
    }


def _shown_counts(view: ConsultationResults) -> dict[tuple[str, str], int]:
    """Each count a published view shows, by (table, label)."""
    if view.responses is None:
        return {}
    return {
        (table.name, label): n
        for table in tables(view, view)
        for label, n in table.counts.items()
        if label not in table.small and label not in table.hidden
    }


def _published(
    responses: Sequence[Response], naive: bool = False
) -> tuple[dict[Cell, ConsultationResults], dict[Cell, dict[tuple[str, str], int]]]:
    cells = _cells(responses)
    unsafe = frozenset() if naive else unsafe_tables(cells.values(), THRESHOLD)
    shown = {
        cell: _shown_counts(published(counted, unsafe, THRESHOLD))
        for cell, counted in cells.items()
        if None not in cell  # a filter chooses a group, never "did not answer"
    }
    return cells, shown


def _worked_out(
    cells: dict[Cell, ConsultationResults], shown: dict[Cell, dict[tuple[str, str], int]]
) -> list[str]:
    """Small numbers a reader gets by taking the combinations shown from a whole area (or age
    group, or everyone): the rest of that row is then a group of people too."""
    found = []
    totals: dict[tuple[str, str], dict[Cell, int]] = {}
    for cell, counted in cells.items():
        for table in tables(counted, counted):
            for label, n in table.counts.items():
                totals.setdefault((table.name, label), {})[cell] = n
    for key, by_cell in totals.items():
        for axis in (0, 1):
            lines: dict[int | None, list[Cell]] = {}
            for cell in by_cell:
                lines.setdefault(cell[1 - axis], []).append(cell)
            for fixed, line in lines.items():
                if fixed is None:  # those who skipped a question: no view of theirs is published
                    continue
                whole = sum(by_cell[c] for c in line)  # the area's (or age group's) own count,
                # taken as known even where its view hides it: the stricter check
                taken = sum(shown[c][key] for c in line if c in shown and key in shown[c])
                if taken and is_small(whole - taken, THRESHOLD):
                    found.append(f"{key} along {line}: {whole} - {taken}")
    return found


def test_no_combination_lets_a_small_number_be_worked_out_by_subtraction() -> None:
    rng = random.Random(25)
    checked = 0
    for size in (60, 200, 800, 3000):
        for _ in range(3):
            cells, shown = _published(_responses(rng, size))
            assert _worked_out(cells, shown) == []
            checked += sum(len(counts) for counts in shown.values())
    assert checked > 0, "no combination showed anything: the test would prove nothing"


def test_showing_every_combination_large_enough_would_give_small_numbers_away() -> None:
    """The same check finds leaks when each combination is protected only on its own."""
    rng = random.Random(25)
    leaks = [
        leak
        for size in (200, 800)
        for _ in range(3)
        for leak in _worked_out(*_published(_responses(rng, size), naive=True))
    ]
    assert leaks
