"""Consultation definitions: every problem named, nothing accepted half-right."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from common.text import suggest_slug
from survey.core.definitions import (
    DefinitionErrors,
    definition_to_dict,
    parse_definition,
    parse_details,
    structure_changes,
)
from survey.core.questions import LIKERT_SCALE, QuestionType
from tests.support import open_definition


def problems_of(definition: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionErrors) as caught:
        parse_definition(definition)
    return caught.value.problems


def with_question(**fields: Any) -> dict[str, Any]:
    definition = open_definition()
    definition["questions"] = [{"key": "q", "type": "agreement", "text": "Agree?", **fields}]
    return definition


def test_a_valid_definition_round_trips_through_json_form() -> None:
    spec = parse_definition(open_definition())
    assert parse_definition(definition_to_dict(spec)) == spec
    assert [q.type for q in spec.questions] == list(QuestionType)


def test_likert_and_matrix_use_the_six_point_scale_with_dont_know() -> None:
    spec = parse_definition(open_definition())
    by_key = {q.key: q for q in spec.questions}
    assert by_key["safe"].choices == LIKERT_SCALE
    assert by_key["support"].choices[-1] == "Don't know"
    assert by_key["agree"].choices == ("Yes", "No", "Don't know")


def test_unknown_type_names_the_question_and_the_known_types() -> None:
    problems = problems_of(with_question(type="rating"))
    assert problems == [
        "question 'q': unknown type 'rating' (use one of agreement, likert, matrix, "
        "single_choice, multi_choice, free_text)"
    ]


def test_unknown_fields_are_refused_at_both_levels() -> None:
    definition = with_question(colour="red")
    definition["theme"] = "dark"
    assert problems_of(definition) == [
        "unknown field 'theme'",
        "question 'q': unknown field 'colour'",
    ]


def test_duplicate_keys_are_named() -> None:
    definition = open_definition()
    definition["questions"].append(copy.deepcopy(definition["questions"][0]))
    assert "question 'agree': the key is used more than once" in problems_of(definition)


def test_choice_question_without_options_is_refused() -> None:
    problems = problems_of(with_question(type="single_choice"))
    assert problems == ["question 'q': a single_choice question needs at least two options"]


def test_every_problem_is_listed_not_just_the_first() -> None:
    definition = open_definition(slug="Not A Slug", opens="tomorrow")
    definition["questions"][0]["type"] = "nope"
    problems = problems_of(definition)
    assert any(p.startswith("slug must") for p in problems)
    assert "opens 'tomorrow' is not a date like 2026-01-31" in problems
    assert any(p.startswith("question 'agree': unknown type") for p in problems)


def test_closing_before_opening_is_refused() -> None:
    problems = problems_of(open_definition(opens="2026-03-01", closes="2026-02-01"))
    assert problems == ["closes must be on or after opens"]


def test_only_single_choice_can_be_a_breakdown() -> None:
    problems = problems_of(with_question(breakdown=True))
    assert problems == ["question 'q': only a single_choice question can be a breakdown"]


def test_options_may_not_repeat_ignoring_case_nor_hold_the_separator() -> None:
    problems = problems_of(with_question(type="multi_choice", options=["Bath", "bath", "a;b"]))
    assert "question 'q': options repeats 'Bath', 'bath'" in problems
    assert "question 'q': options may not contain ';' (it separates choices in files)" in problems


def test_control_characters_are_removed_from_question_text() -> None:
    spec = parse_definition(with_question(text="Agree\x00 with\x1b these?"))
    assert spec.questions[0].text == "Agree with these?"


def test_structure_changes_list_what_is_frozen_but_not_wording() -> None:
    spec = parse_definition(open_definition())
    area = next(q for q in spec.questions if q.key == "area")
    reworded = parse_definition(
        open_definition(
            questions=[
                {
                    "key": "area",
                    "type": "single_choice",
                    "text": "Which area do you live in?",
                    "hint": "new hint",
                    "options": ["North", "South"],
                    "breakdown": True,
                }
            ]
        )
    ).questions[0]
    assert structure_changes(area, reworded) == []
    regrouped = parse_definition(
        open_definition(
            questions=[
                {
                    "key": "area",
                    "type": "multi_choice",
                    "text": "Where?",
                    "options": ["North", "South", "East"],
                }
            ]
        )
    ).questions[0]
    assert structure_changes(area, regrouped) == [
        "its type",
        "its options",
        "whether it is a breakdown",
    ]


def test_details_alone_need_no_questions_and_keep_the_definition_rules() -> None:
    details = {k: v for k, v in open_definition().items() if k != "questions"}
    problems: list[str] = []
    spec = parse_details(details, problems)
    assert problems == [] and spec is not None
    assert spec.questions == () and spec.slug == "safer-streets"
    refused = parse_details({**details, "title": " ", "closes": "2000-01-01"}, problems)
    assert refused is None
    assert problems == ["title is empty", "closes must be on or after opens"]


def test_slug_suggested_from_a_title_fits_the_slug_rules() -> None:
    assert suggest_slug("Community Safety 2026: Have your say!") == (
        "community-safety-2026-have-your-say"
    )
    assert suggest_slug("Café & Bar  --  Öffnungszeiten") == "cafe-bar-offnungszeiten"
    assert suggest_slug("!!!") == ""
    long = suggest_slug("word " * 40)
    assert len(long) <= 80 and not long.endswith("-")


def test_status_is_not_part_of_a_definition() -> None:
    """Opening and closing is an officer's decision, not something a file can slip in."""
    assert problems_of(open_definition(status="open")) == ["unknown field 'status'"]
