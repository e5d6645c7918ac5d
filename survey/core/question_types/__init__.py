"""Every type of question, one module each, registered here by its type.

A new type is an entry in `QuestionType`, a module here with its `QuestionKind`, a line in
KINDS, and its templates. Everything else (the builder, residents' pages, paper entry, file
imports and exports, counting and results) asks the registry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from survey.core.answers import AnswerValue, Checked, Problem, RawAnswer, StoredRow, is_blank
from survey.core.follow_ups import is_shown, not_asked, shown_questions
from survey.core.question_types import (
    agreement,
    free_text,
    likert,
    matrix,
    multi_choice,
    single_choice,
)
from survey.core.question_types.kind import QuestionCounts, QuestionKind
from survey.core.questions import QuestionSpec, QuestionType

KINDS: dict[QuestionType, QuestionKind] = {
    kind.type: kind
    for kind in (
        agreement.KIND,
        likert.KIND,
        matrix.KIND,
        single_choice.KIND,
        multi_choice.KIND,
        free_text.KIND,
    )
}
# The types whose answers are residents' own words (personal data; screened; counted as text).
FREE_TEXT_TYPES = frozenset(t for t, kind in KINDS.items() if kind.holds_free_text)
SCALE_TYPES = frozenset(t for t, kind in KINDS.items() if kind.is_scale)

__all__ = [
    "FREE_TEXT_TYPES",
    "KINDS",
    "SCALE_TYPES",
    "QuestionCounts",
    "QuestionKind",
    "asked_questions",
    "check_answer",
    "check_response",
    "from_rows",
    "kind_of",
]


def kind_of(question_type: QuestionType | str) -> QuestionKind:
    """The behaviour of a type of question."""
    return KINDS[QuestionType(question_type)]


def check_answer(
    spec: QuestionSpec, raw: RawAnswer | None, *, enforce_required: bool = True
) -> Checked:
    """Normalise `raw` for `spec`, or say in GOV.UK style what is wrong with it.

    `enforce_required` is for residents answering online; a paper form or imported row
    records what the resident gave, even if they skipped a required question.
    """
    kind = kind_of(spec.type)
    if is_blank(raw):
        if spec.required and enforce_required:
            return Checked(problems=[Problem(kind.missing_message)])
        return Checked()
    assert raw is not None
    return kind.check(spec, raw, spec.required and enforce_required)


def check_response(
    specs: Sequence[QuestionSpec],
    raw: Mapping[str, RawAnswer | None],
    *,
    enforce_required: bool = True,
) -> tuple[dict[str, AnswerValue], dict[str, list[Problem]]]:
    """Check every answer of one response: the values given, and the problems per question key.

    A follow-up question not asked (its earlier answer is not one of its chosen options) takes
    no answer: it is not required, and an answer given to it is a problem.
    """
    values: dict[str, AnswerValue] = {}
    problems: dict[str, list[Problem]] = {}
    by_key = {spec.key: spec for spec in specs}
    for spec in specs:
        if not is_shown(spec, values, by_key):
            # Not asked, given the earlier answers: an answer to it was never asked for.
            if not is_blank(raw.get(spec.key)):
                problems[spec.key] = [Problem(f"Answered, but {not_asked(spec)}")]
            continue
        checked = check_answer(spec, raw.get(spec.key), enforce_required=enforce_required)
        if checked.problems:
            problems[spec.key] = checked.problems
        elif checked.value is not None:
            values[spec.key] = checked.value
    return values, problems


def asked_questions(
    specs: Sequence[QuestionSpec], raw: Mapping[str, RawAnswer | None]
) -> list[QuestionSpec]:
    """The questions asked of someone who has given the answers `raw` so far, in order."""
    values, _ = check_response(specs, raw, enforce_required=False)
    return shown_questions(specs, values)


def from_rows(spec: QuestionSpec, rows: Sequence[StoredRow]) -> AnswerValue | None:
    """Rebuild the answer to `spec` from its stored rows (None when there are none)."""
    return kind_of(spec.type).from_rows(spec, rows) if rows else None
