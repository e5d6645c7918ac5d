"""The registry of question types: one module per type, and each type's parts agree with each
other (the page it draws posts back the answer it showed; its file columns read back what
an export wrote). Unit tests: no app, no database."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from survey.core.answers import AnswerValue, Choice, Matrix, Multi, Text, to_raw, to_rows
from survey.core.definitions import parse_definition
from survey.core.question_types import KINDS, check_answer, from_rows, kind_of
from survey.core.question_types.kind import PageText
from survey.core.questions import OTHER_OPTION, QuestionSpec, QuestionType
from tests.support import open_definition

SPECS = {q.key: q for q in parse_definition(open_definition()).questions}
ANSWERS: dict[str, AnswerValue] = {
    "agree": Choice(2),
    "safe": Choice(4),
    "support": Matrix(((0, 1), (1, 5))),
    "area": Choice(1),
    "hear": Multi((0, 1, OTHER_OPTION), "Parish; magazine"),
    "worries": Text("Speeding on\nthe main road"),
}


def test_every_type_has_its_own_module_in_the_registry() -> None:
    assert set(KINDS) == set(QuestionType)
    for question_type, kind in KINDS.items():
        assert kind.type is question_type
        assert type(kind).__module__ == f"survey.core.question_types.{question_type.value}"


def test_the_sample_definition_asks_every_type() -> None:
    assert {spec.type for spec in SPECS.values()} == set(QuestionType)


def _posted(fields: list[dict[str, Any]]) -> MultiDict[str, str]:
    """What a browser posts from these fields as drawn: every checked item, every value."""
    form: MultiDict[str, str] = MultiDict()
    for field in fields:
        params = field.get("params")
        if params is None:
            continue
        for item in params.get("items", ()):
            if item.get("checked"):
                form.add(params["name"], item["value"])
                conditional = item.get("conditional")
                if conditional and conditional.get("other"):
                    form.add(field["other_name"], conditional["other"])
        if "value" in params:
            form.add(params["name"], params["value"])
    return form


@pytest.mark.parametrize("key", list(ANSWERS))
def test_a_page_posts_back_the_answer_it_shows(key: str) -> None:
    spec, value = SPECS[key], ANSWERS[key]
    kind = kind_of(spec.type)
    fields = kind.page_fields(spec, to_raw(spec, value), [], PageText(spec.text, "", True))
    raw = kind.raw_from_form(spec, _posted(fields))
    assert check_answer(spec, raw).value == value


@pytest.mark.parametrize("key", list(ANSWERS))
def test_file_columns_read_back_what_an_export_writes(key: str) -> None:
    spec, value = SPECS[key], ANSWERS[key]
    kind = kind_of(spec.type)
    cells = {part: kind.cell(spec, value, part) for _, part in kind.columns(spec)}
    assert check_answer(spec, kind.raw_from_cells(spec, cells)).value == value


@pytest.mark.parametrize("key", list(ANSWERS))
def test_stored_rows_read_back_as_the_answer(key: str) -> None:
    spec, value = SPECS[key], ANSWERS[key]
    assert from_rows(spec, to_rows(value)) == value


def test_what_a_type_takes_is_checked_by_the_type() -> None:
    breakdown = kind_of(QuestionType.AGREEMENT).definition_problems(
        "question 'agree'", (), (), True, False, None
    )
    assert breakdown == ["question 'agree': only a single_choice question can be a breakdown"]
    assert kind_of(QuestionType.MATRIX).definition_problems("q", (), (), False, False, None) == [
        "q: a matrix question needs at least one statement in rows"
    ]
    single = QuestionSpec("area", QuestionType.SINGLE_CHOICE, "Where?", options=("N", "S"))
    assert (
        kind_of(single.type).definition_problems("q", single.options, (), True, False, None) == []
    )
