"""Text cleaning and reference numbers."""

from __future__ import annotations

from common.text import clean_line, clean_text
from survey.core.references import (
    ALPHABET,
    LENGTH,
    is_reference,
    new_reference,
    normalise_reference,
)


def test_clean_text_removes_what_no_database_or_word_file_can_hold() -> None:
    assert clean_text("a\x00b\x0bc\x7fd\ud800e\ufffe") == "abcde"


def test_clean_text_normalises_line_endings_and_keeps_tabs() -> None:
    assert clean_text("one\r\ntwo\rthree\u2028four\tfive") == "one\ntwo\nthree\nfour\tfive"


def test_clean_text_keeps_emoji_rtl_and_combining_marks_composed() -> None:
    assert clean_text("😀 مرحبا e\u0301") == "😀 مرحبا é"


def test_clean_line_folds_line_breaks_into_spaces() -> None:
    assert clean_line("a\n\nb\tc") == "a b c"


def test_references_use_only_the_unambiguous_alphabet() -> None:
    references = {new_reference() for _ in range(500)}
    assert len(references) == 500
    for reference in references:
        assert len(reference) == LENGTH and is_reference(reference)
    assert not set("01OILSBUV5") & set(ALPHABET)


def test_a_reference_typed_with_spaces_and_lower_case_is_recognised() -> None:
    assert normalise_reference("cdfg-hjkm ") == "CDFGHJKM"
