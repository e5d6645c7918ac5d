"""Disclosure control by the numbers: what a reader could work out, and what is hidden."""

from __future__ import annotations

import random

import pytest
from flask.testing import FlaskCliRunner

import survey.core.results as results_module
import survey.data.tallies as tallies
from common.disclosure import Sum, primary, protect, recoverable
from survey.core.questions import LIKERT_SCALE, QuestionSpec, QuestionType
from survey.core.results import ChoiceResult, ScaleResult, choice_result, scale_result

# The demo's agreement question: Yes 50, No 7, Don't know 4 of 61 answered.
AGREEMENT = {"yes": 50, "no": 7, "dont_know": 4, "answered": 61}
ANSWERED = Sum("answered", ("yes", "no", "dont_know"))


def test_a_small_count_beside_its_total_and_the_other_cells_is_a_subtraction_away() -> None:
    assert primary(AGREEMENT, 5) == {"dont_know"}
    assert recoverable(AGREEMENT, [ANSWERED], small={"dont_know"}) == {"dont_know": 4}


def test_the_next_smallest_cell_is_hidden_with_it_and_then_neither_can_be_worked_out() -> None:
    small, other = protect(AGREEMENT, [ANSWERED], 5, keep={"answered"})
    assert (small, other) == ({"dont_know"}, {"no"})
    assert recoverable(AGREEMENT, [ANSWERED], small, other) == {}


def test_two_small_counts_whose_sum_is_two_are_each_one() -> None:
    counts = {"a": 1, "b": 1, "c": 30, "all": 32}
    relation = Sum("all", ("a", "b", "c"))
    assert recoverable(counts, [relation], small={"a", "b"}) == {"a": 1, "b": 1}
    small, other = protect(counts, [relation], 5, keep={"all"})
    assert other == {"c"} and recoverable(counts, [relation], small, other) == {}


def test_an_aggregate_gives_a_part_away_and_is_covered_too() -> None:
    # Strongly agree 3 (hidden), Agree 40, "agreed" 43: 43 - 40 = 3.
    counts = {"sa": 3, "a": 40, "n": 10, "d": 8, "sd": 6, "agreed": 43, "all": 67}
    sums = [Sum("all", ("sa", "a", "n", "d", "sd")), Sum("agreed", ("sa", "a"))]
    assert recoverable(counts, sums, small={"sa"}) == {"sa": 3}
    small, other = protect(counts, sums, 5, keep={"all", "agreed"})
    assert recoverable(counts, sums, small, other) == {}
    assert "agreed" not in other and "all" not in other


def test_nothing_is_hidden_with_a_threshold_of_one() -> None:
    assert protect(AGREEMENT, [ANSWERED], 1) == (set(), set())


def test_random_one_way_tables_with_small_cells_never_give_a_count_away() -> None:
    rng = random.Random(22)
    for _ in range(200):
        cells = {
            f"c{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 20]) for i in range(rng.randint(2, 6))
        }
        counts = {**cells, "all": sum(cells.values())}
        relation = Sum("all", tuple(cells))
        small, other = protect(counts, [relation], 5, keep={"all"})
        assert recoverable(counts, [relation], small, other) == {}, counts
        assert small == primary(counts, 5)


LIKERT = QuestionSpec("safe", QuestionType.LIKERT, "I feel safe after dark")
CHOICE = QuestionSpec(
    "hear", QuestionType.SINGLE_CHOICE, "How did you hear?", options=("Paper", "Web", "Event")
)


def _published(result: ScaleResult | ChoiceResult) -> tuple[dict[str, int], set[str], set[str]]:
    """What a page shows of a result: true counts, and which are 'fewer than' or not shown."""
    assert result.answered is not None
    shares = {o.label: o.share for o in result.options}
    if isinstance(result, ScaleResult):
        shares |= {"(agreeing)": result.agree, "(disagreeing)": result.disagree}
    small = {name for name, s in shares.items() if s.suppressed and not s.withheld}
    withheld = {name for name, s in shares.items() if s.withheld}
    return {name: s.count or 0 for name, s in shares.items()}, small, withheld


def test_random_results_as_published_never_give_a_hidden_count_away() -> None:
    rng = random.Random(2022)
    checked = 0
    for _ in range(200):
        values = [rng.choice([0, 1, 2, 3, 4, 6, 9, 30]) for _ in LIKERT_SCALE]
        result = scale_result(LIKERT, dict(enumerate(values)), 5)
        if result.answered is None:
            continue
        true = dict(zip(LIKERT_SCALE, values, strict=True))
        counts = {
            **true,
            "(agreeing)": true["Strongly agree"] + true["Agree"],
            "(disagreeing)": true["Disagree"] + true["Strongly disagree"],
            "(answered)": result.answered,
        }
        sums = [
            Sum("(answered)", LIKERT_SCALE),
            Sum("(agreeing)", ("Strongly agree", "Agree")),
            Sum("(disagreeing)", ("Disagree", "Strongly disagree")),
        ]
        _, small, withheld = _published(result)
        assert recoverable(counts, sums, small, withheld) == {}, values
        checked += 1
    assert checked > 100
    for _ in range(200):
        values = [rng.choice([0, 1, 2, 3, 5, 12]) for _ in range(3)]
        if sum(values) < 5:
            continue
        result = choice_result(CHOICE, dict(enumerate(values)), sum(values), 5)
        true = dict(zip(("Paper", "Web", "Event"), values, strict=True))
        _, small, withheld = _published(result)
        relation = Sum("(answered)", tuple(true))
        assert recoverable({**true, "(answered)": sum(values)}, [relation], small, withheld) == {}


def test_nothing_the_demo_publishes_gives_a_hidden_count_away(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    checked = runner.invoke(args=["results", "disclosure-check", "community-safety-strategy"])
    assert checked.exit_code == 0, checked.output
    assert "12 views checked" in checked.output


def test_groups_protected_each_on_its_own_give_counts_away_against_everyone(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checker is not blind: each group's view protected alone (as before issue 22's
    second step) leaves everyone's 'No' (7, not shown) a sum of the areas' counts."""
    assert runner.invoke(args=["demo"]).exit_code == 0

    def each_on_its_own(everyone, breakdowns, threshold):  # type: ignore[no-untyped-def]
        return {view: shown for groups in breakdowns.values() for view, shown, _ in groups}

    monkeypatch.setattr(tallies, "protect_groups", each_on_its_own)
    checked = runner.invoke(args=["results", "disclosure-check", "community-safety-strategy"])
    assert checked.exit_code == 1
    found = checked.output.splitlines()[:-1]
    assert all(" groups against everyone: " in line for line in found), found
    assert (
        "area groups against everyone: agree_priorities: 'everyone|agree_priorities|No' "
        "can be worked out (7)" in found
    )


def test_the_checker_finds_what_primary_suppression_alone_gives_away(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0

    def small_only(counts, sums, threshold, keep=()):  # type: ignore[no-untyped-def]
        return primary(counts, threshold), set()

    monkeypatch.setattr(results_module, "protect", small_only)
    checked = runner.invoke(args=["results", "disclosure-check", "community-safety-strategy"])
    assert checked.exit_code == 1
    # The demo's agreement: 61 answered, Yes 50, No 7: Don't know is 4.
    assert "everyone: agree_priorities: 'Don't know' can be worked out (4)" in checked.output
    assert "everyone: channels: 'event' can be worked out (4)" in checked.output
