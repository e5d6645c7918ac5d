"""Results in the language of the page that shows them: each question's text, statements and
options as the consultation gives them in that language.

Pure. The counts and shares are untouched (so every number is the same in either language);
only the words the officers wrote, and the fixed scales, are swapped. Anything with no wording
in that language (a theme's name, what people wrote for "Other") stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from survey.core.questions import OTHER_OPTION, QuestionSpec
from survey.core.results import (
    ChoiceResult,
    ConsultationResults,
    FollowUp,
    MatrixResult,
    OptionCount,
    QuestionResult,
    ScaleResult,
)

Names = Mapping[str, str]  # the English wording -> the page's wording


def names_of(english: QuestionSpec, shown: QuestionSpec) -> dict[str, str]:
    """A question's own wording, English to shown: its text, statements and options."""
    pairs = [(english.text, shown.text), *zip(english.rows, shown.rows, strict=False)]
    pairs += zip(english.choices, shown.choices, strict=False)
    if english.choices:
        pairs.append((english.choice_label(OTHER_OPTION), shown.choice_label(OTHER_OPTION)))
    return {a: b for a, b in pairs if a and b}


def in_language(
    results: ConsultationResults, english: Sequence[QuestionSpec], shown: Sequence[QuestionSpec]
) -> ConsultationResults:
    """The results with every question's wording as `shown` (the same questions, by key)."""
    by_key = {spec.key: spec for spec in shown}
    names = {s.key: names_of(s, by_key[s.key]) for s in english if s.key in by_key}
    everywhere: dict[str, str] = {}
    for found in names.values():
        everywhere.update(found)
    questions = tuple(
        _question(result, {**everywhere, **names.get(result.key, {})}, everywhere)
        for result in results.questions
    )
    return replace(results, questions=questions)


def _question(result: QuestionResult, own: Names, everywhere: Names) -> QuestionResult:
    follow_up = result.follow_up and _follow_up(result.follow_up, everywhere)
    if isinstance(result, MatrixResult):
        statements = tuple(_scale(s, own) for s in result.statements)
        return replace(
            result, text=_name(result.text, own), statements=statements, follow_up=follow_up
        )
    if isinstance(result, ScaleResult):
        return replace(_scale(result, own), follow_up=follow_up)
    if isinstance(result, ChoiceResult):
        options = _options(result.options, own)
        return replace(result, text=_name(result.text, own), options=options, follow_up=follow_up)
    return replace(result, text=_name(result.text, own), follow_up=follow_up)


def _scale(result: ScaleResult, own: Names) -> ScaleResult:
    statement = None if result.statement is None else _name(result.statement, own)
    return replace(
        result,
        text=_name(result.text, own),
        statement=statement,
        options=_options(result.options, own),
    )


def _options(options: tuple[OptionCount, ...], own: Names) -> tuple[OptionCount, ...]:
    return tuple(replace(o, label=_name(o.label, own)) for o in options)


def _follow_up(follow_up: FollowUp, everywhere: Names) -> FollowUp:
    return replace(
        follow_up,
        question=_name(follow_up.question, everywhere),
        answers=tuple(_name(a, everywhere) for a in follow_up.answers),
    )


def _name(text: str, names: Names) -> str:
    return names.get(text, text)
