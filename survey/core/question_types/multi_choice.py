"""Choose one or more of the officer's options, and perhaps "Other - please specify"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from common.text import clean_line
from survey.core.answers import (
    AnswerValue,
    Checked,
    Multi,
    Problem,
    RawAnswer,
    RawMulti,
    StoredRow,
    match_option,
    not_an_option,
)
from survey.core.question_types.kind import (
    OTHER_PART,
    SEPARATOR,
    Form,
    PageText,
    Part,
    QuestionCounts,
    QuestionKind,
    choice_items,
    fieldset,
    hint_param,
    message,
)
from survey.core.questions import OTHER_LABEL, OTHER_OPTION, QuestionSpec, QuestionType
from survey.core.results import QuestionResult, choice_result
from survey.core.wording import N_

OTHER_TEXT_LIMIT = 500


class MultiChoice(QuestionKind):
    type = QuestionType.MULTI_CHOICE
    label = "Choose one or more options"
    needs_options = True
    can_have_other = True
    counts_people = True
    missing_message = N_("Select at least one option")

    def check(self, spec: QuestionSpec, raw: RawAnswer, every_row: bool) -> Checked:
        ticked = raw if isinstance(raw, RawMulti) else RawMulti((str(raw),))
        problems: list[Problem] = []
        chosen: list[int] = []
        for label in ticked.labels:
            if not label.strip():
                continue
            index = match_option(spec.choices, label)
            if index is None and spec.other and label.strip().casefold() == OTHER_LABEL.casefold():
                index = OTHER_OPTION
            if index is None:
                problems.append(not_an_option(label, spec.choices))
            elif index not in chosen:
                chosen.append(index)
        other = clean_line(ticked.other).strip()
        if other and not spec.other:
            problems.append(Problem(N_("This question has no 'Other' option"), OTHER_PART))
        elif other and OTHER_OPTION not in chosen:
            chosen.append(OTHER_OPTION)
        if OTHER_OPTION in chosen and not other:
            problems.append(Problem(N_("Enter what your other answer is"), OTHER_PART))
        if len(other) > OTHER_TEXT_LIMIT:
            problems.append(
                Problem.of(
                    N_("Your other answer must be %(limit)s characters or fewer"),
                    OTHER_PART,
                    limit=str(OTHER_TEXT_LIMIT),
                )
            )
        if problems:
            return Checked(problems=problems)
        return Checked(Multi(tuple(_ordered(spec, chosen)), other or None))

    def from_rows(self, spec: QuestionSpec, rows: Sequence[StoredRow]) -> AnswerValue:
        options = _ordered(spec, [r.option for r in rows if r.option is not None])
        other = next((r.text for r in rows if r.option == OTHER_OPTION), None)
        return Multi(tuple(options), other)

    def columns(self, spec: QuestionSpec) -> list[tuple[str, Part]]:
        other = [(f"{spec.key}/{OTHER_PART}", OTHER_PART)] if spec.other else []
        return [(spec.key, None), *other]

    def cell(self, spec: QuestionSpec, value: AnswerValue, part: Part) -> str:
        assert isinstance(value, Multi)
        if part == OTHER_PART:
            return value.other or ""
        return SEPARATOR.join(spec.choice_label(option) for option in value.options)

    def raw_from_cells(self, spec: QuestionSpec, cells: Mapping[Part, str]) -> RawAnswer:
        return RawMulti(tuple(cells.get(None, "").split(SEPARATOR)), cells.get(OTHER_PART, ""))

    def raw_from_form(self, spec: QuestionSpec, form: Form, prefix: str = "") -> RawAnswer:
        other = form.get(prefix + OTHER_PART, "") if spec.other else ""
        return RawMulti(tuple(form.getlist(prefix + "answer")), other)

    def page_fields(
        self, spec: QuestionSpec, raw: RawAnswer | None, problems: Sequence[Problem], text: PageText
    ) -> list[dict[str, Any]]:
        ticked = raw if isinstance(raw, RawMulti) else RawMulti()
        items = choice_items(spec.choices, ticked.labels)
        if spec.other:
            checked = bool(ticked.other.strip()) or any(
                label.strip().casefold() == OTHER_LABEL.casefold() for label in ticked.labels
            )
            items.append(
                {
                    "value": OTHER_LABEL,
                    "text": text.say(N_("Other")),
                    "checked": checked,
                    "conditional": {"other": ticked.other, "error": message(problems, OTHER_PART)},
                }
            )
        return [
            {
                "component": "checkboxes",
                "params": {
                    "name": text.prefix + "answer",
                    "idPrefix": text.prefix + "answer",
                    "fieldset": fieldset(text),
                    "hint": hint_param(spec.hint or text.say(N_("Select all that apply."))),
                    "items": items,
                    "errorMessage": message(problems, None),
                },
                "other_name": text.prefix + OTHER_PART,
            }
        ]

    def result(self, spec: QuestionSpec, counts: QuestionCounts, minimum: int) -> QuestionResult:
        return choice_result(spec, counts.per_option(), counts.people, minimum, counts.other_texts)


def _ordered(spec: QuestionSpec, options: Sequence[int]) -> list[int]:
    """In the question's order, "Other" last."""
    return sorted(options, key=lambda i: len(spec.choices) if i == OTHER_OPTION else i)


KIND = MultiChoice()
