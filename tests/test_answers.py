"""Checking one answer: the same rules for the web form, paper entry and imported rows."""

from __future__ import annotations

import pytest

from survey.core.answers import (
    Choice,
    Matrix,
    Multi,
    Problem,
    RawMulti,
    Text,
    answer_rows,
    describe,
    raw_from_json,
    raw_to_json,
    to_raw,
    to_rows,
)
from survey.core.definitions import parse_definition
from survey.core.question_types import check_answer, check_response, from_rows
from survey.core.questions import FREE_TEXT_LIMIT, OTHER_OPTION
from tests.support import open_definition

SPECS = {q.key: q for q in parse_definition(open_definition()).questions}


def test_option_text_matches_ignoring_case_and_outer_spaces() -> None:
    assert check_answer(SPECS["safe"], "  strongly AGREE ").value == Choice(0)


def test_dont_know_is_an_answer_not_a_blank() -> None:
    assert check_answer(SPECS["agree"], "Don't know").value == Choice(2)


def test_answer_not_among_options_names_the_options() -> None:
    checked = check_answer(SPECS["area"], "East")
    assert checked.problems == [Problem("'East' is not one of the options (North, South)")]


def test_required_blank_is_refused_online_but_kept_blank_on_paper() -> None:
    assert check_answer(SPECS["agree"], "").problems == [Problem("Select an answer")]
    assert check_answer(SPECS["agree"], "", enforce_required=False).value is None


def test_multi_choice_other_needs_its_text() -> None:
    checked = check_answer(SPECS["hear"], RawMulti(("Other",), ""))
    assert checked.problems == [Problem("Enter what your other answer is", "other")]


def test_other_text_alone_ticks_other() -> None:
    checked = check_answer(SPECS["hear"], RawMulti(("Website",), "Parish magazine"))
    assert checked.value == Multi((1, OTHER_OPTION), "Parish magazine")


def test_multi_choice_counts_each_option_once() -> None:
    checked = check_answer(SPECS["hear"], RawMulti(("Website", "website", "Newsletter")))
    assert checked.value == Multi((0, 1), None)


def test_a_response_is_stored_as_one_row_per_statement_option_or_text() -> None:
    values = {
        "agree": Choice(0),
        "support": Matrix(((0, 1), (2, 4))),
        "hear": Multi((1, OTHER_OPTION), "Parish magazine"),
        "worries": Text("Speeding"),
    }
    ids = {"agree": 11, "support": 12, "hear": 13, "worries": 14}
    assert answer_rows(values, ids) == [
        (11, None, 0, None),
        (12, 0, 1, None),
        (12, 2, 4, None),
        (13, None, 1, None),
        (13, None, OTHER_OPTION, "Parish magazine"),
        (14, None, None, "Speeding"),
    ]


def test_matrix_names_each_unanswered_statement() -> None:
    checked = check_answer(SPECS["support"], {0: "Agree", 1: ""})
    assert checked.problems == [Problem("Select an answer for 'Burglary'", 1)]


def test_free_text_over_the_limit_is_refused_with_the_limit_stated() -> None:
    checked = check_answer(SPECS["worries"], "x" * (FREE_TEXT_LIMIT + 1))
    assert checked.problems == [Problem("Your answer must be 5,000 characters or fewer")]


def test_free_text_keeps_emoji_rtl_and_html_but_drops_control_characters() -> None:
    text = "<script>alert(1)</script> 😀 שלום\x00\x07 e\u0301"
    checked = check_answer(SPECS["worries"], text)
    assert checked.value == Text("<script>alert(1)</script> 😀 שלום é")


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("agree", "No"),
        ("safe", "Don't know"),
        ("support", {0: "Agree", 1: "Strongly disagree"}),
        ("area", "South"),
        ("hear", RawMulti(("Newsletter", "Other"), "Leaflet")),
        ("worries", "Line one\nLine two"),
    ],
)
def test_every_type_survives_storage_and_draft_round_trips(key: str, raw: object) -> None:
    spec = SPECS[key]
    value = check_answer(spec, raw).value  # type: ignore[arg-type]
    assert value is not None
    assert from_rows(spec, to_rows(value)) == value
    assert check_answer(spec, raw_from_json(raw_to_json(to_raw(spec, value)))).value == value


def test_check_response_collects_problems_per_question() -> None:
    values, problems = check_response(list(SPECS.values()), {"agree": "Yes", "area": "Mars"})
    assert values == {"agree": Choice(0)}
    assert set(problems) == {"safe", "support", "area"}


def test_describe_lists_matrix_rows_and_other_text() -> None:
    assert describe(SPECS["support"], Matrix(((0, 1), (1, 5)))) == [
        "Anti-social behaviour: Agree",
        "Burglary: Don't know",
    ]
    assert describe(SPECS["hear"], Multi((OTHER_OPTION,), "Leaflet")) == ["Other: Leaflet"]
