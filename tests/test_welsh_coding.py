"""Free text written in Welsh is coded by theme like English: a codebook can hold Welsh words,
and Welsh's joined short words (goryrru’n, i’r) do not hide them."""

from __future__ import annotations

from survey.core.coding import Matcher, normalise

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
