"""Several statements, each answered on the agreement scale (Strongly agree ... Don't know)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from survey.core.answers import (
    AnswerValue,
    Checked,
    Matrix,
    Problem,
    RawAnswer,
    StoredRow,
    match_option,
    not_an_option,
)
from survey.core.question_types.kind import (
    Form,
    PageText,
    Part,
    QuestionCounts,
    QuestionKind,
    choice_items,
    hint_param,
    message,
)
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.results import QuestionResult, matrix_result
from survey.core.wording import N_


class MatrixKind(QuestionKind):
    type = QuestionType.MATRIX
    label = "Several statements, each on the agreement scale"
    takes_rows = True
    is_scale = True
    missing_message = N_("Select an answer for each statement")
    first_field = "row-0"  # it has no "answer" input: its first statement's radios

    def check(self, spec: QuestionSpec, raw: RawAnswer, every_row: bool) -> Checked:
        if not isinstance(raw, Mapping):
            return Checked(problems=[Problem(N_("Answer each statement separately"))])
        problems: list[Problem] = []
        pairs: list[tuple[int, int]] = []
        for row, statement in enumerate(spec.rows):
            label = str(raw.get(row, ""))
            if not label.strip():
                if every_row:
                    problems.append(
                        Problem.of(
                            N_("Select an answer for '%(statement)s'"), row, statement=statement
                        )
                    )
                continue
            index = match_option(spec.choices, label)
            if index is None:
                problems.append(not_an_option(label, spec.choices, row))
            else:
                pairs.append((row, index))
        if set(raw) - set(range(len(spec.rows))):
            problems.append(Problem(N_("Answers were given for statements that do not exist")))
        if problems:
            return Checked(problems=problems)
        return Checked(Matrix(tuple(pairs)))

    def from_rows(self, spec: QuestionSpec, rows: Sequence[StoredRow]) -> AnswerValue:
        return Matrix(tuple(sorted((r.row or 0, r.option or 0) for r in rows)))

    def columns(self, spec: QuestionSpec) -> list[tuple[str, Part]]:
        return [(f"{spec.key}/{statement}", row) for row, statement in enumerate(spec.rows)]

    def cell(self, spec: QuestionSpec, value: AnswerValue, part: Part) -> str:
        assert isinstance(value, Matrix)
        return next((spec.choices[o] for row, o in value.rows if row == part), "")

    def raw_from_cells(self, spec: QuestionSpec, cells: Mapping[Part, str]) -> RawAnswer:
        return {row: cell for row, cell in cells.items() if isinstance(row, int)}

    def raw_from_form(self, spec: QuestionSpec, form: Form, prefix: str = "") -> RawAnswer:
        return {i: form.get(f"{prefix}row-{i}", "") for i in range(len(spec.rows))}

    def page_fields(
        self, spec: QuestionSpec, raw: RawAnswer | None, problems: Sequence[Problem], text: PageText
    ) -> list[dict[str, Any]]:
        given: Mapping[int, str] = raw if isinstance(raw, Mapping) else {}
        fields: list[dict[str, Any]] = [
            {
                "component": "heading",
                "caption": text.caption if text.heading else "",
                "text": spec.text,
                "optional": not spec.required,
                "hint": hint_param(spec.hint or text.say(N_("Answer for each statement."))),
                "heading": text.heading,
                "error": message(problems, None),
            }
        ]
        for index, statement in enumerate(spec.rows):
            name = f"{text.prefix}row-{index}"
            fields.append(
                {
                    "component": "radios",
                    "params": {
                        "name": name,
                        "idPrefix": name,
                        "fieldset": {
                            "legend": {"text": statement, "classes": "govuk-fieldset__legend--s"}
                        },
                        "classes": "govuk-radios--small",
                        "items": choice_items(spec.choices, [given.get(index, "")]),
                        "errorMessage": message(problems, index),
                    },
                }
            )
        return fields

    def result(self, spec: QuestionSpec, counts: QuestionCounts, minimum: int) -> QuestionResult:
        return matrix_result(spec, counts.options, minimum)


KIND = MatrixKind()
