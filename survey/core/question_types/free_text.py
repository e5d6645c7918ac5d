"""Free text in the resident's own words, optionally coded with a codebook's themes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from common.text import clean_text
from survey.core.answers import AnswerValue, Checked, Problem, RawAnswer, StoredRow, Text
from survey.core.question_types.kind import (
    THEMES_PART,
    PageText,
    Part,
    QuestionCounts,
    QuestionKind,
    hint_param,
    message,
)
from survey.core.questions import FREE_TEXT_LIMIT, QuestionSpec, QuestionType
from survey.core.results import QuestionResult, text_result
from survey.core.wording import N_


class FreeText(QuestionKind):
    type = QuestionType.FREE_TEXT
    label = "Free text"
    takes_codebook = True
    holds_free_text = True
    missing_message = N_("Enter your answer")

    def check(self, spec: QuestionSpec, raw: RawAnswer, every_row: bool) -> Checked:
        if not isinstance(raw, str):
            return Checked(problems=[Problem(N_("Give one answer to this question"))])
        text = clean_text(raw).strip()
        if len(text) > FREE_TEXT_LIMIT:
            return Checked(
                problems=[
                    Problem.of(
                        N_("Your answer must be %(limit)s characters or fewer"),
                        limit=f"{FREE_TEXT_LIMIT:,}",
                    )
                ]
            )
        return Checked(Text(text))

    def from_rows(self, spec: QuestionSpec, rows: Sequence[StoredRow]) -> AnswerValue:
        return Text(rows[0].text or "")

    def columns(self, spec: QuestionSpec) -> list[tuple[str, Part]]:
        themes = [(themes_column(spec.key), THEMES_PART)] if spec.codebook else []
        return [(spec.key, None), *themes]

    def page_fields(
        self, spec: QuestionSpec, raw: RawAnswer | None, problems: Sequence[Problem], text: PageText
    ) -> list[dict[str, Any]]:
        return [
            {
                "component": "character_count",
                "params": {
                    "name": text.prefix + "answer",
                    "id": text.prefix + "answer",
                    "label": {
                        "html": text.legend,
                        "isPageHeading": text.heading,
                        "classes": f"govuk-label--{text.size}",
                    },
                    "hint": hint_param(spec.hint),
                    "maxlength": FREE_TEXT_LIMIT,
                    "rows": 8,
                    "value": raw if isinstance(raw, str) else "",
                    "errorMessage": message(problems, None),
                },
            }
        ]

    def result(self, spec: QuestionSpec, counts: QuestionCounts, minimum: int) -> QuestionResult:
        return text_result(
            spec, counts.texts, counts.themes, counts.coded, counts.coded - counts.themed, minimum
        )


def themes_column(key: str) -> str:
    """The name of the column holding a coded question's themes: KEY_themes."""
    return f"{key}_{THEMES_PART}"


KIND = FreeText()
