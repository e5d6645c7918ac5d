"""Free text written in Welsh is coded by theme like English: a codebook can hold Welsh words,
and Welsh's joined short words (goryrru’n, i’r) do not hide them."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from survey.core.codebook_words import suggested_words
from survey.core.coding import (
    DEFAULT_CODEBOOK,
    Matcher,
    load_codebook,
    matcher_for,
    normalise,
    parse_phrase,
    phrase_problem,
    words_of,
)
from survey.core.welsh import looks_welsh, mutations, radicals, unmutated

ENGLISH_ANSWERS = Path(__file__).resolve().parent.parent / "bench" / "data" / "worries.csv"

WELSH_THEMES = {
    "Speeding": ["goryrru", "gyrru’n rhy gyflym"],
    "Drug misuse": ["cyffuriau", "gyffuriau", "nghyffuriau"],
}


def test_a_codebook_with_welsh_words_codes_an_answer_written_in_welsh() -> None:
    matcher = Matcher(WELSH_THEMES)
    answer = "Mae goryrru’n broblem ger yr ysgol, ac mae pobl yn gwerthu cyffuriau yn y parc."
    assert matcher.themes(answer) == ["Speeding", "Drug misuse"]
    assert matcher.themes("Pobl yn gyrru'n rhy gyflym i’r dref") == ["Speeding"]
    assert matcher.themes("Mae’r parc yn dawel") == []


def test_welsh_joined_words_stay_apart_but_english_contractions_stay_whole() -> None:
    assert normalise("Mae goryrru’n broblem i’r plant") == "mae goryrru n broblem i r plant"
    assert normalise("I DON'T think they're safe, I'm sure") == "i dont think theyre safe im sure"


def test_a_welsh_phrase_finds_its_first_word_in_every_mutated_form() -> None:
    matcher = Matcher({"Drug misuse": ["cy: cyffuriau"], "Domestic violence": ["cy: trais"]})
    for answer in ("cyffuriau", "ei gyffuriau", "fy nghyffuriau", "a chyffuriau"):
        assert matcher.themes(answer) == ["Drug misuse"], answer
    for answer in ("trais", "ei drais", "fy nhrais", "a thrais"):
        assert matcher.themes(answer) == ["Domestic violence"], answer
    # Without "cy:" a phrase is found as written only: English words do not mutate.
    assert Matcher({"Volume crime": ["crime"]}).themes("grime on the walls") == []


def test_welsh_mutations_follow_the_letters_that_mutate() -> None:
    assert mutations("cyffuriau") == {"gyffuriau", "nghyffuriau", "chyffuriau"}
    assert mutations("plismon") == {"blismon", "mhlismon", "phlismon"}
    assert mutations("gwerthu") == {"werthu", "ngwerthu"}  # soft g goes
    assert mutations("llanast") == {"lanast"}
    assert mutations("rhegi") == {"regi"}
    assert mutations("meddw") == {"feddw"}
    assert mutations("ofn") == {"hofn"}  # ei hofn
    for word in ("heddlu", "chwarae", "ffordd", "theatr", "ddoe", "ngwas", "sbwriel"):
        assert mutations(word) == set(), word


def test_a_welsh_rule_or_exclusion_is_welsh_throughout() -> None:
    matcher = Matcher(
        {
            "Community confidence": [
                "cy: ofn unless: cŵn",
                "cy: diogel",
                "not: cy: diogelwch ffyrdd",
            ],
            "Road safety": ["cy: ffyrdd"],
        }
    )
    assert matcher.themes("Mae gen i ofn cerdded adre") == ["Community confidence"]
    assert matcher.themes("Mae gen i ofn y cŵn") == []  # unless: its sentence has dogs
    assert matcher.themes("ofn y gŵn") == []  # the context word mutated counts too
    assert matcher.themes("dydy ddim yn teimlo’n ddiogel") == ["Community confidence"]
    assert matcher.themes("a diogelwch ffyrdd") == ["Road safety"]
    assert matcher.themes("a ddiogelwch ffyrdd") == ["Road safety"]
    assert parse_phrase("cy: not: diogelwch ffyrdd") == parse_phrase("not: cy: diogelwch ffyrdd")


def test_accents_do_not_matter_as_many_leave_them_out() -> None:
    matcher = Matcher({"Volume crime": ["cy: tŷ wedi ei dorri"], "Cafe": ["café"]})
    assert matcher.themes("Mae fy nhy wedi ei dorri") == ["Volume crime"]  # nhŷ, no accent
    assert matcher.themes("the cafe on the corner") == ["Cafe"]
    assert normalise("Tŷ, ŵyr, naïve") == "ty wyr naive"


def test_the_default_codebook_codes_answers_written_in_welsh() -> None:
    matcher = matcher_for(load_codebook(DEFAULT_CODEBOOK))
    assert matcher.themes("Ma' 'na ormod o yfed ar y stryd a phobl yn gwerthu cyffuriau") == [
        "Alcohol misuse",
        "Drug misuse",
    ]
    assert matcher.themes("Torrodd rhywun i mewn i’n tŷ ni, a does dim plismyn o gwmpas") == [
        "Volume crime",
        "Police staffing",
    ]
    assert matcher.themes("Ceir yn goryrru heibio’r ysgol") == ["Young people", "Road safety"]
    assert matcher.themes("Twyll ar y ffôn: galwad ffug gan y 'banc'") == ["Credit card fraud"]
    assert matcher.themes("Y tywydd") == []


def test_the_default_codebooks_welsh_phrases_code_no_english_answer_differently() -> None:
    """A mutated Welsh form that is also an English word ("gwin" gives "win") would code
    English answers wrongly: over every labelled English answer, the codebook gives the same
    themes with its Welsh phrases as without them."""
    codebook = load_codebook(DEFAULT_CODEBOOK)
    welsh = [p for t in codebook.themes for p in t.phrases if parse_phrase(p).welsh]
    assert len(welsh) > 400
    english = Matcher(
        {t.name: [p for p in t.phrases if not parse_phrase(p).welsh] for t in codebook.themes}
    )
    full = matcher_for(codebook)
    with ENGLISH_ANSWERS.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    assert len(texts) > 800
    assert [t for t in texts if full.themes(t) != english.themes(t)] == []


def test_radicals_undo_a_mutation_reading_welsh_letters_whole() -> None:
    assert radicals("gyffuriau") == {"gyffuriau", "cyffuriau"}  # g is a word's own start too
    assert radicals("nghyffuriau") == {"cyffuriau"}  # no word starts ngh
    assert radicals("ddiogel") == {"diogel"}  # dd is one letter, not a mutated d
    assert radicals("feddw") == {"feddw", "beddw", "meddw"}
    assert radicals("werthu") == {"werthu", "gwerthu"}
    assert radicals("hofn") == {"hofn", "ofn"}
    assert radicals("rhegi") == {"rhegi"}
    for word in ("cyffuriau", "pobl", "trais", "gwerthu", "llanast", "meddw", "ofn"):
        for form in mutations(word):
            assert word in radicals(form), form


def test_an_answer_is_taken_as_welsh_by_its_short_welsh_words() -> None:
    for text in (
        "Ma’ ’na ormod o bobl ifanc yn yfed yn y parc",
        "meddwon yn gweiddi tu allan i'r dafarn tan 2 y bore",
        "Dim digon o blismyn ar y strydoedd",
    ):
        assert looks_welsh(words_of(text)), text
    for text in (
        "Kids in the park drinking every night",
        "N/A",
        "Nobody does anything about it",  # "does" is Welsh too, but not only Welsh
        "The noise is a real bore",
        "Drugs and drink driving in the town, y'know",
        "",
    ):
        assert not looks_welsh(words_of(text)), text


def test_words_suggested_from_welsh_answers_are_welsh_phrases_of_the_unmutated_word() -> None:
    own = Matcher({"Drug misuse": ["drugs"]})
    missed = [
        "Ma’ pobl yn gwerthu cyffuriau yn y parc bob nos",
        "Dw i’n poeni am fy mab a’i gyffuriau",
        "Gormod o gyffuriau ar y stad, a does neb yn gwneud dim",
    ]
    without = ["Ma’ pobl yn gyrru’n rhy gyflym drwy’r pentref", "Sbwriel ar y stryd bob dydd"]
    found = suggested_words(missed, without, lambda words: bool(own.theme_indexes(words)))
    assert [(s.phrase, s.finds, s.wrongly) for s in found] == [("cy: cyffuriau", 3, 0)]
    # The phrase offered finds every form the answers use.
    assert all(Matcher({"Drug misuse": ["cy: cyffuriau"]}).themes(text) for text in missed)


def test_a_welsh_mark_with_no_words_is_a_problem_named_to_the_officer() -> None:
    assert phrase_problem("cy:") == "'cy:' has no words to find"
    assert phrase_problem("not: cy: ") == "'not: cy:' has no words to find"
    assert (
        phrase_problem("cy: when: heddlu")
        == "'cy: when: heddlu' has no words to find before its rule"
    )
    assert phrase_problem("cy: cyffuriau") is None


def test_a_form_is_unmutated_to_the_word_whose_forms_the_answers_use_most() -> None:
    uses = Counter({"gyffuriau": 2, "cyffuriau": 1, "feddw": 1, "meddw": 3})
    assert unmutated("gyffuriau", uses) == "cyffuriau"  # 3 uses of cyffuriau's forms, 2 of its own
    assert unmutated("feddw", uses) == "meddw"  # not beddw, which no answer uses
    assert unmutated("ddiogel", uses) == "diogel"  # dd only ever mutated
    assert unmutated("gwaith", Counter()) == "gwaith"  # nothing to tell: the form itself
