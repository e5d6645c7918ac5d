"""Free text written in Welsh is coded by theme like English: a codebook can hold Welsh words,
and Welsh's joined short words (goryrru’n, i’r) do not hide them."""

from __future__ import annotations

import csv
from pathlib import Path

from survey.core.coding import (
    DEFAULT_CODEBOOK,
    Matcher,
    load_codebook,
    matcher_for,
    normalise,
    parse_phrase,
    welsh_mutations,
)

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
    assert welsh_mutations("cyffuriau") == {"gyffuriau", "nghyffuriau", "chyffuriau"}
    assert welsh_mutations("plismon") == {"blismon", "mhlismon", "phlismon"}
    assert welsh_mutations("gwerthu") == {"werthu", "ngwerthu"}  # soft g goes
    assert welsh_mutations("llanast") == {"lanast"}
    assert welsh_mutations("rhegi") == {"regi"}
    assert welsh_mutations("meddw") == {"feddw"}
    assert welsh_mutations("ofn") == {"hofn"}  # ei hofn
    for word in ("heddlu", "chwarae", "ffordd", "theatr", "ddoe", "ngwas", "sbwriel"):
        assert welsh_mutations(word) == set(), word


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
