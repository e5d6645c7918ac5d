"""Unit tests for auto-coding free text by a codebook's phrases (pure core, no app)."""

from __future__ import annotations

import json

import pytest

from survey.core.agreement import macro_f1, pooled, pooled_apart, score_coding
from survey.core.coding import (
    DEFAULT_CODEBOOK,
    CodebookError,
    Matcher,
    codebook_names,
    highlighted,
    load_codebook,
    matcher_for,
    normalise,
    parse_codebook,
    phrase_problem,
    phrase_variants,
    unique_phrases,
    words_of,
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


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("  Kids' BIKES -- stolen!! ", ["kids", "bikes", "stolen"]),
        ("Don\u2019t ask", ["dont", "ask"]),
        ("goryrru\u2019n i\u2019r ysgol", ["goryrru", "n", "i", "r", "ysgol"]),  # Welsh: 2 words
        ("\uff21\uff22\uff23 \ufb01ne", ["abc", "fine"]),  # full-width letters, a ligature
        ("snake_case\u00a0and\u2014dashes", ["snake", "case", "and", "dashes"]),
        ("\u0149", ["n"]),  # casefolds to an apostrophe and n
        ("", []),
    ],
)
def test_words_of_are_the_normalised_words(text: str, words: list[str]) -> None:
    assert words_of(text) == words
    assert normalise(text) == " ".join(words)


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


def test_a_negation_cancels_the_themes_it_covers_to_the_end_of_its_clause(
    default: Matcher,
) -> None:
    assert default.themes("Not worried about burglary, but speeding is awful") == ["Road safety"]
    assert default.themes("I'm not scared of the kids round here") == []
    assert default.themes("Burglary isn't a problem here") == []
    assert default.themes("Burglary isn't a problem here. Speeding is.") == ["Road safety"]
    assert default.themes("Burglary") == ["Volume crime"]


def test_confidence_means_trust_in_the_police_only_when_the_sentence_names_them(
    default: Matcher,
) -> None:
    # Seen on real free text: "crisis in confidence in the ANC" was community confidence.
    assert default.themes("A crisis in confidence in the ANC") == []
    assert default.themes("No confidence in the council or the police") == ["Community confidence"]
    assert default.themes("I don't trust the police anymore") == ["Community confidence"]
    assert default.themes("Trust. The police.") == []  # the rule looks within one sentence


def test_when_and_unless_phrases_count_by_what_else_the_sentence_says() -> None:
    matcher = Matcher({"Trust": ["confidence when: police"], "Fear": ["unsafe unless: roads"]})
    assert matcher.themes("confidence in the police") == ["Trust"]
    assert matcher.themes("confidence tricksters") == []
    assert matcher.themes("I feel unsafe") == ["Fear"]
    assert matcher.themes("The roads are unsafe") == []
    assert matcher.themes("The roads are busy. I feel unsafe at night.") == ["Fear"]


def test_driving_words_that_are_not_about_the_roads_are_not_road_safety(default: Matcher) -> None:
    assert default.themes("ASB on the bus, people being abusive to the bus driver") == [
        "Anti-social behaviour"
    ]
    assert default.themes("Parking permits cost too much") == []
    assert default.themes("Drink driving") == ["Alcohol misuse", "Road safety"]


def test_harassment_for_who_someone_is_is_hate_crime_not_anti_social_behaviour(
    default: Matcher,
) -> None:
    assert default.themes("Transphobic harassment online") == ["Hate crime"]
    assert default.themes("Harassment from the neighbours") == ["Anti-social behaviour"]


def test_matches_give_the_words_of_each_theme_where_the_answer_has_them(
    default: Matcher,
) -> None:
    text = "Drunk teens SPEEDING, not worried about burglary"
    found = {(text[m.start : m.end], m.theme) for m in default.matches(text)}
    assert found == {
        ("Drunk", "Alcohol misuse"),
        ("teens", "Young people"),
        ("SPEEDING", "Road safety"),
    }
    assert default.matches("") == []


def test_highlighted_cuts_the_text_into_plain_and_matched_pieces() -> None:
    matcher = Matcher({"Drink": ["drink", "drink driving"], "Roads": ["driving"]})
    text = "Drink driving, again"
    pieces = highlighted(text, matcher.matches(text))
    assert "".join(piece for piece, _ in pieces) == text
    assert pieces == [
        ("Drink ", ("Drink",)),
        ("driving", ("Drink", "Roads")),
        (", again", ()),
    ]


def test_a_rule_with_nothing_after_it_is_refused_with_the_reason() -> None:
    assert phrase_problem("confidence when: police") is None
    assert phrase_problem("confidence when:  ") is not None
    assert "no words" in (phrase_problem("when: police") or "")
    raw = {"name": "x", "themes": [{"name": "A", "phrases": ["trust unless: ,"]}]}
    with pytest.raises(CodebookError, match="list the words after 'unless:'"):
        parse_codebook(raw)


def test_pooled_agreement_counts_every_themes_codes_together() -> None:
    expected = [{"Drugs", "Alcohol"}, {"Drugs"}, set(), {"Noise"}]
    found = [{"Drugs"}, {"Drugs", "Noise"}, {"Alcohol"}, {"Noise"}]
    result = pooled(expected, found)
    assert (result.answers, result.given, result.found, result.extra) == (4, 4, 3, 2)
    assert result.recall == 0.75
    assert pooled([], []).recall == 1.0
    with pytest.raises(ValueError):
        pooled([set()], [])


def test_pooled_apart_counts_the_marked_answers_and_the_rest_each_on_their_own() -> None:
    expected = [{"Drugs"}, {"Drugs"}, {"Noise"}]
    found = [set(), {"Drugs"}, {"Noise", "Drugs"}]
    marked, rest = pooled_apart([True, False, False], expected, found)
    assert (marked.answers, marked.given, marked.found, marked.extra) == (1, 1, 0, 0)
    assert (rest.answers, rest.given, rest.found, rest.extra) == (2, 2, 2, 1)
    with pytest.raises(ValueError):
        pooled_apart([True], expected, found)
