"""Shares, Wilson intervals, suppression and their wording, against hand-computed values."""

from __future__ import annotations

import pytest

from common import display
from common.statistics import Share, hidden, is_small, net, share, wilson_interval


@pytest.mark.parametrize(
    ("count", "base", "low", "high"),
    [
        # Published Wilson 95% intervals (e.g. Newcombe 1998, table I).
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),
        (7, 10, 0.3968, 0.8922),
        (50, 61, 0.7053, 0.8962),
    ],
)
def test_wilson_interval_matches_published_values(
    count: int, base: int, low: float, high: float
) -> None:
    got = wilson_interval(count, base)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_wilson_interval_refuses_an_empty_base_or_impossible_count() -> None:
    with pytest.raises(ValueError, match="at least one"):
        wilson_interval(0, 0)
    with pytest.raises(ValueError, match="not between"):
        wilson_interval(11, 10)


def test_counts_from_one_to_four_are_small_but_zero_and_five_are_not() -> None:
    assert [n for n in range(8) if is_small(n, 5)] == [1, 2, 3, 4]
    assert [n for n in range(8) if is_small(n, 3)] == [1, 2]


def test_a_suppressed_share_holds_no_count_percentage_or_interval() -> None:
    hidden = share(4, 61, 5)
    assert hidden == Share(None, 61, 5)
    assert hidden.suppressed and hidden.percent is None and hidden.interval is None
    assert display.share_of(hidden) == "fewer than 5 of 61"
    assert display.share_percent(hidden) == "fewer than 5"
    assert display.share_count(hidden) == "fewer than 5"
    assert display.interval(hidden) == ""


def test_a_share_is_written_with_its_base_and_interval() -> None:
    shown = share(50, 61, 5)
    assert display.share_of(shown) == "50 of 61 (82%)"
    assert display.interval(shown) == "71% to 90%"
    assert display.share_of(share(1234, 2000, 5)) == "1,234 of 2,000 (62%)"


def test_an_empty_base_is_written_as_nought_of_nought() -> None:
    empty = share(0, 0, 5)
    assert display.share_of(empty) == "0 of 0"
    assert display.share_percent(empty) == "-"
    assert empty.interval is None


def test_a_threshold_of_ten_is_written_as_fewer_than_ten() -> None:
    assert display.share_of(share(9, 100, 10)) == "fewer than 10 of 100"


WHY = (
    "so that no one can be identified. "
    "Where other numbers, here or in another group’s results, would let it be worked out, "
    "more are “not shown”."
)


@pytest.mark.parametrize(
    ("threshold", "rule"),
    [
        (5, "Any number from 1 to 4 is shown as “fewer than 5”, " + WHY),
        (10, "Any number from 1 to 9 is shown as “fewer than 10”, " + WHY),
        (2, "The number 1 is shown as “fewer than 2”, " + WHY),
        (1, "Every number is shown as it is."),
    ],
)
def test_readers_are_told_the_rule_as_it_is_applied(threshold: int, rule: str) -> None:
    # Zero identifies no one and is shown: the rule must not say "below 5".
    assert display.suppression_note(threshold) == rule
    assert display.share_count(share(0, 10, threshold)) == "0"
    if threshold > 1:
        assert display.share_count(share(threshold - 1, 10, threshold)) == display.fewer_than(
            share(threshold - 1, 10, threshold)
        )


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (82.5, 0, "83"),
        (2.5, 0, "3"),
        (0.5, 0, "1"),
        (81.967, 0, "82"),
        (22.65, 1, "22.7"),
        (-22.65, 1, "-22.7"),
        (-0.4, 0, "0"),
        (0.0, 1, "0.0"),
        (100.0, 0, "100"),
    ],
)
def test_numbers_round_half_away_from_zero(value: float, places: int, text: str) -> None:
    assert display.rounded(value, places) == text


def test_net_agreement_is_signed_points_and_needs_both_shares() -> None:
    agree, disagree = share(30, 60, 5), share(12, 60, 5)
    assert net(agree, disagree) == pytest.approx(30.0)
    assert display.points(30.0) == "+30 points"
    assert display.points(-1.0) == "-1 point"
    assert display.points(0.3) == "0 points"
    assert net(agree, share(3, 60, 5)) is None


def test_a_base_too_small_to_show_is_not_written_beside_a_hidden_count() -> None:
    # "fewer than 5 of 3" says more than "fewer than 5": the base is itself a small count.
    assert display.share_of(hidden(3, 5)) == "fewer than 5"
    assert display.share_of(hidden(12, 5)) == "fewer than 5 of 12"
