"""One question per page, as residents see it (and officers in preview and paper entry).

Builds the parameters of the GOV.UK Frontend macros from a question, its raw answer and its
problems. Validation itself is `survey.core.answers.check_answer`, shared with imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from survey.core.answers import Problem, RawAnswer, RawMulti, match_option
from survey.core.questions import FREE_TEXT_LIMIT, OTHER_LABEL, QuestionSpec, QuestionType


def raw_from_form(spec: QuestionSpec, form: MultiDict[str, str], prefix: str = "") -> RawAnswer:
    """A question's raw answer from posted form fields (named `prefix` + answer/other/row-N)."""
    if spec.type is QuestionType.MULTI_CHOICE:
        labels = tuple(form.getlist(prefix + "answer"))
        return RawMulti(labels, form.get(prefix + "other", "") if spec.other else "")
    if spec.type is QuestionType.MATRIX:
        return {i: form.get(f"{prefix}row-{i}", "") for i in range(len(spec.rows))}
    return form.get(prefix + "answer", "")


def field_id(spec: QuestionSpec, problem: Problem, prefix: str = "") -> str:
    """The id of the input an error summary link should move focus to."""
    if isinstance(problem.part, int):
        return f"{prefix}row-{problem.part}"
    if problem.part == "other":
        return f"{prefix}other"
    if spec.type is QuestionType.MATRIX:
        return f"{prefix}row-0"  # a matrix has no "answer" input: its first statement's radios
    return f"{prefix}answer"


def error_list(
    spec: QuestionSpec, problems: Sequence[Problem], prefix: str = ""
) -> list[dict[str, str]]:
    """The GOV.UK error summary entries for a question's problems."""
    return [{"text": p.message, "href": "#" + field_id(spec, p, prefix)} for p in problems]


def _message(problems: Sequence[Problem], part: int | str | None) -> dict[str, str] | None:
    for problem in problems:
        if problem.part == part:
            return {"text": problem.message}
    return None


def _legend(spec: QuestionSpec, caption: str, heading: bool, text: str | None = None) -> Markup:
    shown = escape(text if text is not None else spec.text)
    optional = Markup("") if spec.required else Markup(" (optional)")
    if heading and caption:
        return Markup('<span class="govuk-caption-l">{}</span>{}{}').format(
            caption, shown, optional
        )
    return Markup("{}{}").format(shown, optional)


def _choice_items(choices: Sequence[str], chosen: Sequence[str]) -> list[dict[str, Any]]:
    picked = {match_option(choices, label) for label in chosen}
    return [
        {"value": choice, "text": choice, "checked": index in picked}
        for index, choice in enumerate(choices)
    ]


def question_fields(
    spec: QuestionSpec,
    raw: RawAnswer | None,
    problems: Sequence[Problem],
    *,
    caption: str = "",
    heading: bool = True,
    prefix: str = "",
) -> list[dict[str, Any]]:
    """The GOV.UK macro calls (component name and params) that ask one question."""
    size = "l" if heading else "m"
    hint = {"text": spec.hint} if spec.hint else None
    whole_error = _message(problems, None)
    if spec.type is QuestionType.FREE_TEXT:
        return [
            {
                "component": "character_count",
                "params": {
                    "name": prefix + "answer",
                    "id": prefix + "answer",
                    "label": {
                        "html": _legend(spec, caption, heading),
                        "isPageHeading": heading,
                        "classes": f"govuk-label--{size}",
                    },
                    "hint": hint,
                    "maxlength": FREE_TEXT_LIMIT,
                    "rows": 8,
                    "value": raw if isinstance(raw, str) else "",
                    "errorMessage": whole_error,
                },
            }
        ]
    if spec.type is QuestionType.MATRIX:
        return _matrix_fields(spec, raw, problems, caption, heading, prefix)
    fieldset = {
        "legend": {
            "html": _legend(spec, caption, heading),
            "isPageHeading": heading,
            "classes": f"govuk-fieldset__legend--{size}",
        }
    }
    if spec.type is QuestionType.MULTI_CHOICE:
        chosen = raw.labels if isinstance(raw, RawMulti) else ()
        items = _choice_items(spec.choices, chosen)
        if spec.other:
            other_text = raw.other if isinstance(raw, RawMulti) else ""
            other_checked = bool(other_text.strip()) or any(
                label.strip().casefold() == OTHER_LABEL.casefold() for label in chosen
            )
            items.append(
                {
                    "value": OTHER_LABEL,
                    "text": "Other",
                    "checked": other_checked,
                    "conditional": {"other": other_text, "error": _message(problems, "other")},
                }
            )
        return [
            {
                "component": "checkboxes",
                "params": {
                    "name": prefix + "answer",
                    "idPrefix": prefix + "answer",
                    "fieldset": fieldset,
                    "hint": {"text": spec.hint or "Select all that apply."},
                    "items": items,
                    "errorMessage": whole_error,
                },
                "other_name": prefix + "other",
            }
        ]
    chosen_one = (raw,) if isinstance(raw, str) else ()
    return [
        {
            "component": "radios",
            "params": {
                "name": prefix + "answer",
                "idPrefix": prefix + "answer",
                "fieldset": fieldset,
                "hint": hint,
                "items": _choice_items(spec.choices, chosen_one),
                "errorMessage": whole_error,
            },
        }
    ]


def _matrix_fields(
    spec: QuestionSpec,
    raw: RawAnswer | None,
    problems: Sequence[Problem],
    caption: str,
    heading: bool,
    prefix: str,
) -> list[dict[str, Any]]:
    rows: Mapping[int, str] = raw if isinstance(raw, Mapping) else {}
    fields: list[dict[str, Any]] = [
        {
            "component": "heading",
            "caption": caption if heading else "",
            "text": spec.text,
            "optional": not spec.required,
            "hint": spec.hint or "Answer for each statement.",
            "heading": heading,
            "error": _message(problems, None),
        }
    ]
    for index, statement in enumerate(spec.rows):
        fields.append(
            {
                "component": "radios",
                "params": {
                    "name": f"{prefix}row-{index}",
                    "idPrefix": f"{prefix}row-{index}",
                    "fieldset": {
                        "legend": {
                            "text": statement,
                            "classes": "govuk-fieldset__legend--s",
                        }
                    },
                    "classes": "govuk-radios--small",
                    "items": _choice_items(spec.choices, [rows.get(index, "")]),
                    "errorMessage": _message(problems, index),
                },
            }
        )
    return fields


def answer_html(lines: Sequence[str]) -> Markup:
    """Answer lines for a summary list: each escaped, line breaks kept."""
    return Markup("<br>").join(
        Markup("<br>").join(escape(part) for part in line.split("\n")) for line in lines
    )
