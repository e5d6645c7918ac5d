"""Everything a consultation publishes, protected together: random consultations with small
groups, and the edge cases, checked by the reader's linear programme (survey.core.release)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence

import pytest

from common.statistics import is_small
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.release import EVERYONE, View, across_views, leaks, protect_groups, status
from survey.core.results import (
    BreakdownQuestion,
    ChoiceResult,
    ConsultationResults,
    Count,
    Group,
    choice_result,
    protected_shares,
    scale_result,
)

AGREE = QuestionSpec("agree", QuestionType.AGREEMENT, "Do you agree?")
SAFE = QuestionSpec("safe", QuestionType.LIKERT, "I feel safe")
HEARD = QuestionSpec(
    "heard", QuestionType.SINGLE_CHOICE, "How did you hear?", options=("Paper", "Web", "Friend")
)
AREA = QuestionSpec(
    "area", QuestionType.SINGLE_CHOICE, "Area?", options=("North", "South", "East", "West")
)
AGE = QuestionSpec("age", QuestionType.SINGLE_CHOICE, "Age?", options=("Young", "Middle", "Old"))
QUESTIONS = (AGREE, SAFE, HEARD, AREA, AGE)
BREAKDOWNS = (AREA, AGE)
CHANNELS = ("online", "paper", "email")

Response = dict[str, int | None]  # question key -> option index (None: not answered)


def _view(
    responses: Sequence[Response], threshold: int, group: tuple[QuestionSpec, int] | None
) -> ConsultationResults:
    """One view as tallies builds it: each question from its counts, the channels protected
    together, a group's own question left out."""
    if group:
        spec, index = group
        responses = [r for r in responses if r[spec.key] == index]
    questions = []
    for spec in QUESTIONS:
        if group and spec is group[0]:
            continue
        counts = Counter(r[spec.key] for r in responses if r[spec.key] is not None)
        if spec.type is QuestionType.SINGLE_CHOICE:
            questions.append(choice_result(spec, counts, sum(counts.values()), threshold))
        else:
            questions.append(scale_result(spec, counts, threshold))
    total = len(responses)
    by_channel = Counter(str(r["channel"]) for r in responses)
    channels = () if is_small(total, threshold) else _channels(by_channel, total, threshold)
    return ConsultationResults(
        slug="random",
        title="Random",
        opens=dt.date(2026, 1, 1),
        closes=dt.date(2026, 2, 1),
        threshold=threshold,
        group=Group(group[0].key, group[0].text, group[0].options[group[1]]) if group else None,
        responses=None if is_small(total, threshold) else total,
        channels=channels,
        weeks=(),
        questions=tuple(questions),
        breakdown_questions=tuple(BreakdownQuestion(b.key, b.text, b.options) for b in BREAKDOWNS),
    )


def _channels(by_channel: Counter[str], total: int, threshold: int) -> tuple[Count, ...]:
    present = [c for c in CHANNELS if by_channel[c]]
    shares = protected_shares({c: by_channel[c] for c in present}, total, threshold)
    return tuple(Count(c, shares[c]) for c in present)


def _release(responses: Sequence[Response], threshold: int) -> tuple[View, dict[str, list[View]]]:
    """Everyone's view, and each group's as published with its counts beside it."""
    everyone: View = (EVERYONE, _view(responses, threshold, None), _view(responses, 1, None))
    breakdowns = {
        spec.key: [
            (
                f"{spec.key}={label}",
                _view(responses, threshold, (spec, i)),
                _view(responses, 1, (spec, i)),
            )
            for i, label in enumerate(spec.options)
        ]
        for spec in BREAKDOWNS
    }
    published = protect_groups(everyone, breakdowns, threshold)
    return everyone, {
        key: [(view, published[view], counted) for view, _, counted in groups]
        for key, groups in breakdowns.items()
    }


def _found(everyone: View, breakdowns: dict[str, list[View]]) -> list[str]:
    """Everything the checker can work out of a release."""
    views = [everyone, *(view for groups in breakdowns.values() for view in groups)]
    found = []
    for name, shown, counted in views:
        if shown is not None:
            found += leaks(name, shown, counted)
    keys = frozenset(breakdowns)
    known = status(views, keys)
    for key, groups in breakdowns.items():
        found += across_views(key, everyone, groups, keys, known)
    return [str(leak) for leak in found]


def _responses(rng: random.Random, size: int) -> list[Response]:
    """Residents spread unevenly over areas and ages (some areas nearly empty), some not
    saying which."""
    area_weights = [rng.choice([1, 2, 8, 20]) for _ in AREA.options]
    found = []
    for _ in range(size):
        found.append(
            {
                "agree": rng.choices([0, 1, 2, None], [10, 3, 1, 1])[0],
                "safe": rng.choices([0, 1, 2, 3, 4, 5], [4, 6, 2, 2, 1, 1])[0],
                "heard": rng.choice([0, 1, 2]),
                "area": rng.choices([*range(len(AREA.options)), None], [*area_weights, 2])[0],
                "age": rng.choices([0, 1, 2, None], [2, 6, 5, 1])[0],
                "channel": rng.choices(CHANNELS, [10, 4, 1])[0],
            }
        )
    return found


@pytest.mark.slow  # 200 releases, each protected and then attacked: about 40 s of solving
def test_random_consultations_with_small_groups_give_no_hidden_count_away() -> None:
    rng = random.Random(2026)
    withheld_views = 0
    for _ in range(200):
        responses = _responses(rng, rng.randint(8, 60))
        everyone, breakdowns = _release(responses, 5)
        assert _found(everyone, breakdowns) == []
        # Everyone's view is never changed by the groups'.
        assert everyone[1] == _view(responses, 5, None)
        withheld_views += sum(1 for g in breakdowns.values() for _, s, _ in g if s.withheld)
    assert withheld_views < 200 * 7 / 4  # groups are rarely taken off whole


@pytest.mark.slow
def test_without_protecting_groups_together_the_checker_finds_counts_given_away() -> None:
    rng = random.Random(2026)
    given_away = 0
    for _ in range(40):
        responses = _responses(rng, rng.randint(8, 60))
        everyone: View = (EVERYONE, _view(responses, 5, None), _view(responses, 1, None))
        alone = {
            spec.key: [
                (
                    f"{spec.key}={label}",
                    _view(responses, 5, (spec, i)),
                    _view(responses, 1, (spec, i)),
                )
                for i, label in enumerate(spec.options)
            ]
            for spec in BREAKDOWNS
        }
        given_away += bool(_found(everyone, alone))
    assert given_away > 20


def test_one_respondent_shows_nothing_that_can_be_worked_out() -> None:
    responses: list[Response] = [
        {"agree": 0, "safe": 1, "heard": 1, "area": 2, "age": 0, "channel": "online"}
    ]
    everyone, breakdowns = _release(responses, 5)
    assert everyone[1].responses is None
    assert all(s.responses is None for g in breakdowns.values() for _, s, _ in g)
    assert _found(everyone, breakdowns) == []


def test_everyone_in_one_group_sees_that_group_as_everyone_and_no_more() -> None:
    rng = random.Random(7)
    responses = [{**r, "area": 0} for r in _responses(rng, 30)]
    everyone, breakdowns = _release(responses, 5)
    assert _found(everyone, breakdowns) == []
    north = dict((v, s) for v, s, _ in breakdowns["area"])["area=North"]
    assert north.responses == 30
    # North's counts are everyone's: what everyone's view shows, North's shows alike.
    for mine, all_of_them in zip(north.questions[:3], everyone[1].questions[:3], strict=True):
        assert mine == all_of_them


@pytest.mark.parametrize("size", [12, 40])
def test_a_threshold_of_one_hides_nothing(size: int) -> None:
    rng = random.Random(size)
    responses = _responses(rng, size)
    everyone, breakdowns = _release(responses, 1)
    for groups in breakdowns.values():
        for view, shown, counted in groups:
            assert not shown.withheld, view
            assert shown == counted, view
    result = everyone[1].question("heard")
    assert isinstance(result, ChoiceResult)
    assert all(not o.share.suppressed for o in result.options)
