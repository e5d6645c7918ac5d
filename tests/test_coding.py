"""Unit tests for auto-coding free text by a codebook's phrases (pure core, no app)."""

from __future__ import annotations

import json

import pytest

from survey.core.coding import (
    DEFAULT_CODEBOOK,
    CodebookError,
    Matcher,
    codebook_names,
    load_codebook,
    macro_f1,
    matcher_for,
    normalise,
    parse_codebook,
    phrase_variants,
    score_coding,
    unique_phrases,
)

AREAS_OF_CONCERN = [
    "Alcohol misuse",
    "Anti-social behaviour",
    "Community confidence",
    "Domestic violence",
    "Drug misuse",
    "Hate crime",
    "Volume crime",
    "Young people",
    "Credit card fraud",
    "Homelessness",
    "Police staffing",
    "Prison aftercare",
    "Road safety",
    "Victims",
]


@pytest.fixture(scope="module")
def default() -> Matcher:
    return matcher_for(load_codebook(DEFAULT_CODEBOOK))


def test_the_default_codebook_is_the_14_areas_of_concern_of_the_2005_08_strategy() -> None:
    codebook = load_codebook("community-safety")
    assert [theme.name for theme in codebook.themes] == AREAS_OF_CONCERN
    for theme in codebook.themes:
        assert theme.description, f"{theme.name} has no description"
        assert len(theme.phrases) >= 20, f"{theme.name} has few phrases"


def test_the_shipped_codebooks_are_listed_by_name() -> None:
    assert DEFAULT_CODEBOOK in codebook_names()
    with pytest.raises(CodebookError, match="no codebook named 'crime-and-punishment'"):
        load_codebook("crime-and-punishment")


@pytest.mark.parametrize(
    "text",
    [
        "We were burgled",
        "two burglaries",
        "a break-in",
        "our house was broken into",
        "BURGLARY!!",
        "a break in next door",
        "the breakin",
    ],
)
def test_burglary_is_found_in_its_plural_tense_and_spelling_variants(
    default: Matcher, text: str
) -> None:
    assert default.themes(text) == ["Volume crime"]


def test_capitals_punctuation_and_apostrophes_do_not_matter(default: Matcher) -> None:
    assert default.themes("I DON'T feel safe...") == ["Community confidence"]
    assert default.themes("i dont feel safe") == ["Community confidence"]
    assert default.themes("I don\u2019t feel safe") == ["Community confidence"]


def test_a_hyphen_in_a_phrase_matches_a_space_or_nothing(default: Matcher) -> None:
    for text in ["anti-social behaviour", "anti social behaviour", "antisocial behaviour"]:
        assert default.themes(text) == ["Anti-social behaviour"], text


def test_words_match_whole_not_inside_other_words(default: Matcher) -> None:
    assert default.themes("the public footpath by the pubs") == ["Alcohol misuse"]
    assert default.themes("a public footpath") == []


def test_an_answer_gets_every_theme_it_mentions(default: Matcher) -> None:
    text = "Drunk teenagers vandalising the bus shelter, and the police never came."
    assert default.themes(text) == [
        "Alcohol misuse",
        "Anti-social behaviour",
        "Young people",
        "Police staffing",
    ]


def test_an_answer_about_nothing_in_the_codebook_gets_no_theme(default: Matcher) -> None:
    assert default.themes("Nothing really, it is a lovely place to live.") == []
    assert default.themes("") == []


def test_overlapping_phrases_of_different_themes_are_all_found() -> None:
    matcher = Matcher({"Drink": ["drink"], "Roads": ["drink driving"], "Both": ["driving"]})
    assert matcher.themes("drink driving") == ["Drink", "Roads", "Both"]


def test_a_phrase_listed_by_two_themes_counts_for_both() -> None:
    matcher = Matcher({"A": ["needles"], "B": ["used needles", "needles"]})
    assert matcher.themes("Needles in the park") == ["A", "B"]


def test_a_not_phrase_keeps_a_themes_word_from_counting_inside_it() -> None:
    matcher = Matcher({"Fear": ["unsafe", "not: unsafe driving"], "Roads": ["driving"]})
    assert matcher.themes("unsafe driving") == ["Roads"]
    assert matcher.themes("I feel unsafe, and unsafe driving too") == ["Fear", "Roads"]
    assert matcher.themes("Unsafe-driving!") == ["Roads"]  # normalised like any phrase
    assert Matcher({"Fear": ["not: unsafe driving"]}).themes("unsafe driving") == []


def test_unsafe_driving_is_road_safety_not_fear_of_crime(default: Matcher) -> None:
    # Seen on real free text: "unsafe driving" was coded as community confidence.
    assert default.themes("Unsafe driving on the A37") == ["Road safety"]
    assert default.themes("I feel unsafe walking home") == ["Community confidence"]


def test_a_multi_word_phrase_needs_its_words_in_order() -> None:
    matcher = Matcher({"Fear": ["fear of crime"]})
    assert matcher.themes("my fear of crime") == ["Fear"]
    assert matcher.themes("crime of fear") == []
    assert matcher.themes("fear, of, crime!") == ["Fear"]


def test_normalise_lowercases_and_drops_apostrophes_and_punctuation() -> None:
    assert normalise("  Kids' BIKES -- stolen!! ") == "kids bikes stolen"


def test_phrase_variants_join_hyphenated_words_or_keep_them_apart() -> None:
    assert phrase_variants("e-scooter") == {("e", "scooter"), ("escooter",)}
    assert phrase_variants("fly-tipping") == {("fly", "tipping"), ("flytipping",)}
    assert phrase_variants("  ") == set()


def test_unique_phrases_keeps_each_phrase_once() -> None:
    assert unique_phrases(["Drugs", " drugs ", "", "anti-social", "anti social"]) == (
        "Drugs",
        "anti-social",
    )


def test_parse_codebook_refuses_a_theme_named_twice() -> None:
    raw = {"name": "x", "themes": [{"name": "Drugs"}, {"name": "drugs"}]}
    with pytest.raises(CodebookError, match="the theme 'drugs' twice"):
        parse_codebook(raw)


def test_parse_codebook_refuses_phrases_that_are_not_a_list_of_text() -> None:
    with pytest.raises(CodebookError, match="phrases"):
        parse_codebook(json.loads('{"name": "x", "themes": [{"name": "A", "phrases": "a"}]}'))


def test_score_coding_counts_agreement_per_theme() -> None:
    expected = [["A"], ["A", "B"], [], ["B"]]
    found = [["A"], ["A"], ["B"], ["B"]]
    a, b = score_coding(["A", "B"], expected, found)
    assert (a.precision, a.recall, a.f1) == (1.0, 1.0, 1.0)
    assert (b.true_positives, b.false_positives, b.false_negatives) == (1, 1, 1)
    assert b.precision == b.recall == b.f1 == 0.5
    assert macro_f1([a, b]) == 0.75


def test_a_theme_never_found_nor_expected_scores_perfectly() -> None:
    (score,) = score_coding(["A"], [[]], [[]])
    assert score.f1 == 1.0
