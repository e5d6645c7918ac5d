"""One question per page, as residents see it (and officers in preview and paper entry).

Builds the parameters of the GOV.UK Frontend macros from a question, its raw answer and its
problems, through the question's type (`survey.core.question_types`), which also checks
the answer as imports do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from survey.core.answers import Problem, RawAnswer
from survey.core.question_types import kind_of
from survey.core.question_types.kind import OTHER_PART, PageText
from survey.core.questions import QuestionSpec
from survey.web.languages import problems as translated


def raw_from_form(spec: QuestionSpec, form: MultiDict[str, str], prefix: str = "") -> RawAnswer:
    """A question's raw answer from posted form fields (named `prefix` + answer/other/row-N)."""
    return kind_of(spec.type).raw_from_form(spec, form, prefix)


def field_id(spec: QuestionSpec, problem: Problem, prefix: str = "") -> str:
    """The id of the input an error summary link should move focus to."""
    if isinstance(problem.part, int):
        return f"{prefix}row-{problem.part}"
    if problem.part == OTHER_PART:
        return f"{prefix}{OTHER_PART}"
    return prefix + kind_of(spec.type).first_field


def error_list(
    spec: QuestionSpec, problems: Sequence[Problem], prefix: str = ""
) -> list[dict[str, str]]:
    """The GOV.UK error summary entries for a question's problems."""
    return [
        {"text": p.message, "href": "#" + field_id(spec, p, prefix)} for p in translated(problems)
    ]


def _legend(spec: QuestionSpec, caption: str, heading: bool, text: str | None = None) -> Markup:
    shown = escape(text if text is not None else spec.text)
    optional = Markup("") if spec.required else Markup(" {}").format(gettext("(optional)"))
    if heading and caption:
        return Markup('<span class="govuk-caption-l">{}</span>{}{}').format(
            caption, shown, optional
        )
    return Markup("{}{}").format(shown, optional)


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
    text = PageText(_legend(spec, caption, heading), caption, heading, prefix, say=gettext)
    fields = kind_of(spec.type).page_fields(spec, raw, translated(problems), text)
    return [_in_language(field) for field in fields]


ERROR_KEYS = ("errorMessage", "error")


def _in_language(field: dict[str, Any]) -> dict[str, Any]:
    """The wording GOV.UK Frontend's macros add themselves, in the page's language: the
    hidden "Error:" before each error message and the character count's messages."""
    for holder in (field, field.get("params") or {}):
        for key in ERROR_KEYS:
            if isinstance(holder.get(key), dict):
                holder[key] = {**holder[key], "visuallyHiddenText": gettext("Error")}
        for item in holder.get("items") or []:
            conditional = item.get("conditional")
            if isinstance(conditional, dict) and isinstance(conditional.get("error"), dict):
                conditional["error"] = {
                    **conditional["error"],
                    "visuallyHiddenText": gettext("Error"),
                }
    if field.get("component") == "character_count":
        field["params"].update(
            textareaDescriptionText=gettext("You can enter up to %{count} characters"),
            charactersUnderLimitText={
                "one": gettext("You have %{count} character remaining"),
                "other": gettext("You have %{count} characters remaining"),
            },
            charactersAtLimitText=gettext("You have 0 characters remaining"),
            charactersOverLimitText={
                "one": gettext("You have %{count} character too many"),
                "other": gettext("You have %{count} characters too many"),
            },
        )
    return field


def context_blocks(context: str) -> dict[str, Any] | None:
    """What residents read before a question: its heading (the first line) and blocks of
    paragraphs and bullet lists ("- " lines); None when the question has none."""
    lines = [line.strip() for line in context.splitlines() if line.strip()]
    if not lines:
        return None
    blocks: list[dict[str, Any]] = []
    for line in lines[1:]:
        if line.startswith("- "):
            if not blocks or blocks[-1]["kind"] != "list":
                blocks.append({"kind": "list", "items": []})
            blocks[-1]["items"].append(line[2:].strip())
        else:
            blocks.append({"kind": "paragraph", "text": line})
    return {"heading": lines[0], "blocks": blocks}


def answer_html(lines: Sequence[str]) -> Markup:
    """Answer lines for a summary list: each escaped, line breaks kept."""
    return Markup("<br>").join(
        Markup("<br>").join(escape(part) for part in line.split("\n")) for line in lines
    )
