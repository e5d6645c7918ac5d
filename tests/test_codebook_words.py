"""Words offered to officers for a theme, from the answers they coded (pure core)."""

from __future__ import annotations

from survey.core.codebook_words import WordSuggestion, suggested_words

MISSED = [
    "Someone kicked our door in",
    "They kicked the back door in",
    "Kicked in the shed door",
    "Yobs on the corner",
]
WITHOUT = ["The door was left open by the council", "Nothing"]


def test_words_several_missed_answers_use_and_others_seldom_do_are_offered() -> None:
    # "door": in 3 missed answers but also one without the theme (a quarter of its uses);
    # "yobs", "back door": in one missed answer only.
    assert suggested_words(MISSED, WITHOUT, known=lambda _: False) == [
        WordSuggestion("kicked", finds=3, wrongly=0)
    ]
    assert suggested_words(MISSED, [], known=lambda _: False) == [
        WordSuggestion("door", 3, 0),
        WordSuggestion("kicked", 3, 0),
    ]


def test_words_the_theme_already_finds_are_not_offered() -> None:
    assert suggested_words(MISSED, WITHOUT, known=lambda phrase: phrase == "kicked") == []


def test_a_pair_finding_what_one_of_its_words_finds_is_left_out_and_most_is_kept() -> None:
    missed = ["speed bumps needed", "speed bumps please", "more speed bumps on hill road"]
    assert suggested_words(missed, [], known=lambda _: False) == [
        WordSuggestion("bumps", 3, 0),
        WordSuggestion("speed", 3, 0),
    ]
    assert [s.phrase for s in suggested_words(missed, [], lambda _: False, most=1)] == ["bumps"]
    assert suggested_words([], WITHOUT, known=lambda _: False) == []
