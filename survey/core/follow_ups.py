"""Follow-up questions: a question asked only when an earlier answer is one of chosen options.

Pure core. The same rule decides what residents are asked, what "check your answers" lists,
which answers paper entry and imports may give, and who a question was asked of in results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from survey.core.answers import AnswerValue, Choice, Multi, match_option
from survey.core.questions import QuestionSpec, QuestionType, ShowIf
from survey.core.results import (
    ChoiceResult,
    ConsultationResults,
    FollowUp,
    QuestionResult,
    ScaleResult,
)

# The types whose answer is one or more options picked from a list: a condition can follow them.
CHOICE_TYPES = frozenset(
    {
        QuestionType.AGREEMENT,
        QuestionType.LIKERT,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTI_CHOICE,
    }
)
SHOW_IF_FIELDS = frozenset({"question", "answers"})


def parse_show_if(value: Any, where: str, problems: list[str]) -> ShowIf | None:
    """The shape of a `show_if` ({"question": key, "answers": [option, ...]}); the earlier
    question itself is checked against the whole list by `condition_problems`."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != SHOW_IF_FIELDS:
        problems.append(f"{where}: show_if must be an object with a question and a list of answers")
        return None
    question, answers = value["question"], value["answers"]
    if not isinstance(question, str) or not question.strip():
        problems.append(f"{where}: show_if needs the key of an earlier question")
        return None
    if (
        not isinstance(answers, list)
        or not answers
        or not all(isinstance(a, str) and a.strip() for a in answers)
    ):
        problems.append(f"{where}: show_if needs at least one answer of '{question.strip()}'")
        return None
    return ShowIf(question.strip(), tuple(dict.fromkeys(a.strip() for a in answers)))


def condition_problems(specs: Sequence[QuestionSpec]) -> list[str]:
    """What is wrong with the questions' conditions: each must follow an earlier question
    answered by picking options, name some of its options, and not be on a breakdown."""
    problems = []
    earlier: dict[str, QuestionSpec] = {}
    keys = {spec.key for spec in specs}
    for spec in specs:
        condition = spec.show_if
        if condition is not None:
            where = f"question '{spec.key}': show_if"
            before = earlier.get(condition.question)
            if spec.breakdown:
                problems.append(f"{where}: a breakdown question is asked of everyone")
            elif before is None:
                later = condition.question in keys and condition.question != spec.key
                problems.append(
                    f"{where}: '{condition.question}' "
                    + ("comes after this question" if later else "is not an earlier question")
                )
            elif before.type not in CHOICE_TYPES:
                problems.append(
                    f"{where}: '{before.key}' is a {before.type.value} question; a question can "
                    "only follow one answered by choosing options"
                )
            else:
                unknown = [a for a in condition.answers if match_option(before.choices, a) is None]
                if unknown:
                    problems.append(
                        f"{where}: {', '.join(repr(a) for a in unknown)} "
                        f"{'is' if len(unknown) == 1 else 'are'} not an option of "
                        f"'{before.key}' ({', '.join(before.choices)})"
                    )
        earlier[spec.key] = spec
    return problems


def chosen(value: AnswerValue | None) -> frozenset[int]:
    """The options an answer picked (none for an answer that picks no options)."""
    if isinstance(value, Choice):
        return frozenset({value.option})
    if isinstance(value, Multi):
        return frozenset(value.options)
    return frozenset()


def is_shown(
    spec: QuestionSpec,
    values: Mapping[str, AnswerValue],
    by_key: Mapping[str, QuestionSpec],
) -> bool:
    """True when `spec` is asked, given the answers `values` to the questions before it."""
    condition = spec.show_if
    if condition is None:
        return True
    before = by_key.get(condition.question)
    if before is None:
        return False
    wanted = {match_option(before.choices, answer) for answer in condition.answers}
    return any(option in wanted for option in chosen(values.get(before.key)))


def shown_questions(
    specs: Sequence[QuestionSpec], values: Mapping[str, AnswerValue]
) -> list[QuestionSpec]:
    """The questions asked, in order, given `values`; an answer to a question not asked
    counts for nothing (so a follow-up of a follow-up not asked is not asked either)."""
    by_key = {spec.key: spec for spec in specs}
    kept: dict[str, AnswerValue] = {}
    shown = []
    for spec in specs:
        if is_shown(spec, kept, by_key):
            shown.append(spec)
            if spec.key in values:
                kept[spec.key] = values[spec.key]
    return shown


def not_asked(spec: QuestionSpec) -> str:
    """Why a follow-up was not asked, for officers: "this question is only asked when ..."."""
    condition = spec.show_if
    if condition is None:
        return "this question is asked of everyone"
    answers = " or ".join(f"'{answer}'" for answer in condition.answers)
    return f"this question is only asked when '{condition.question}' is {answers}"


def with_follow_ups(
    results: ConsultationResults, specs: Sequence[QuestionSpec]
) -> ConsultationResults:
    """Each follow-up's result says who it was asked, from the published counts of the
    earlier question (so nothing hidden there shows here)."""
    by_key = {spec.key: spec for spec in specs}
    published = {result.key: result for result in results.questions}
    questions = []
    for result in results.questions:
        spec = by_key.get(result.key)
        condition = spec.show_if if spec is not None else None
        earlier = by_key.get(condition.question) if condition is not None else None
        if condition is None or earlier is None:
            questions.append(result)
            continue
        asked = _asked(earlier, published.get(earlier.key), condition.answers)
        follow_up = FollowUp(earlier.text, condition.answers, asked)
        questions.append(replace(result, follow_up=follow_up))
    return replace(results, questions=tuple(questions))


def _asked(
    earlier: QuestionSpec, result: QuestionResult | None, answers: Sequence[str]
) -> int | None:
    """How many gave one of `answers` to `earlier`, if its published counts say."""
    if not isinstance(result, ScaleResult | ChoiceResult) or result.answered is None:
        return None
    if earlier.type is QuestionType.MULTI_CHOICE and len(answers) > 1:
        return None  # one person can tick several: the ticks do not add up to people
    total = 0
    for answer in answers:
        option = next((o for o in result.options if o.label.casefold() == answer.casefold()), None)
        if option is None or option.share.count is None:
            return None
        total += option.share.count
    return total
