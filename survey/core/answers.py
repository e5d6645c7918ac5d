"""Checking and normalising one answer, whatever it came from: the web form, an officer's
paper entry, or a row of an imported file. Pure core: no Flask, no database.

Raw answers are what a person gave, as text: an option's label, a list of labels, a label per
matrix statement, or free text. Normalised answers refer to options by position, and turn into
the rows stored in the `answer` table (one row per option chosen), so every count is a SQL
aggregate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from common.text import clean_line, clean_text
from survey.core.questions import (
    FREE_TEXT_LIMIT,
    OTHER_LABEL,
    OTHER_OPTION,
    QuestionSpec,
    QuestionType,
)

OTHER_TEXT_LIMIT = 500


@dataclass(frozen=True)
class RawMulti:
    """What a resident ticked on a multi-choice question, plus any "Other" text."""

    labels: tuple[str, ...] = ()
    other: str = ""


RawAnswer = str | RawMulti | Mapping[int, str]


@dataclass(frozen=True)
class Choice:
    """One option chosen (agreement, likert, single choice)."""

    option: int


@dataclass(frozen=True)
class Multi:
    """Options ticked on a multi-choice question; `other` is the "please specify" text."""

    options: tuple[int, ...]
    other: str | None = None


@dataclass(frozen=True)
class Matrix:
    """One option per answered statement, as (statement index, option index) pairs."""

    rows: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Text:
    """A free-text answer."""

    text: str


AnswerValue = Choice | Multi | Matrix | Text


@dataclass(frozen=True)
class StoredRow:
    """One row of the `answer` table for one question of one response."""

    row: int | None
    option: int | None
    text: str | None


@dataclass(frozen=True)
class Problem:
    """Why an answer was refused; `part` is a matrix statement index or "other"."""

    message: str
    part: int | str | None = None


@dataclass
class Checked:
    """The outcome of checking one answer: a value, nothing (not answered), or problems."""

    value: AnswerValue | None = None
    problems: list[Problem] = field(default_factory=list)


def match_option(choices: Sequence[str], label: str) -> int | None:
    """The index of the option whose text matches `label`, ignoring case and outer spaces."""
    wanted = clean_line(label).strip().casefold()
    for index, choice in enumerate(choices):
        if choice.casefold() == wanted:
            return index
    return None


def is_blank(raw: RawAnswer | None) -> bool:
    """True when nothing was given for the question."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not clean_text(raw).strip()
    if isinstance(raw, RawMulti):
        return not any(label.strip() for label in raw.labels) and not raw.other.strip()
    return all(not str(v).strip() for v in raw.values())


def check_answer(
    spec: QuestionSpec, raw: RawAnswer | None, *, enforce_required: bool = True
) -> Checked:
    """Normalise `raw` for `spec`, or say in GOV.UK style what is wrong with it.

    `enforce_required` is for residents answering online; a paper form or imported row
    records what the resident gave, even if they skipped a required question.
    """
    if is_blank(raw):
        if spec.required and enforce_required:
            return Checked(problems=[Problem(_missing_message(spec))])
        return Checked()
    assert raw is not None
    if spec.type is QuestionType.MULTI_CHOICE:
        return _check_multi(spec, raw if isinstance(raw, RawMulti) else RawMulti((str(raw),)))
    if spec.type is QuestionType.MATRIX:
        if not isinstance(raw, Mapping):
            return Checked(problems=[Problem("Answer each statement separately")])
        return _check_matrix(spec, raw, spec.required and enforce_required)
    if not isinstance(raw, str):
        return Checked(problems=[Problem("Give one answer to this question")])
    if spec.type is QuestionType.FREE_TEXT:
        return _check_text(raw)
    index = match_option(spec.choices, raw)
    if index is None:
        return Checked(problems=[Problem(_not_an_option(raw, spec.choices))])
    return Checked(Choice(index))


def _missing_message(spec: QuestionSpec) -> str:
    if spec.type is QuestionType.FREE_TEXT:
        return "Enter your answer"
    if spec.type is QuestionType.MULTI_CHOICE:
        return "Select at least one option"
    if spec.type is QuestionType.MATRIX:
        return "Select an answer for each statement"
    return "Select an answer"


def _not_an_option(label: str, choices: Sequence[str]) -> str:
    shown = clean_line(label).strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"'{shown}' is not one of the options ({', '.join(choices)})"


def _check_text(raw: str) -> Checked:
    text = clean_text(raw).strip()
    if len(text) > FREE_TEXT_LIMIT:
        return Checked(
            problems=[Problem(f"Your answer must be {FREE_TEXT_LIMIT:,} characters or fewer")]
        )
    return Checked(Text(text))


def _check_multi(spec: QuestionSpec, raw: RawMulti) -> Checked:
    problems: list[Problem] = []
    chosen: list[int] = []
    for label in raw.labels:
        if not label.strip():
            continue
        index = match_option(spec.choices, label)
        if index is None and spec.other and label.strip().casefold() == OTHER_LABEL.casefold():
            index = OTHER_OPTION
        if index is None:
            problems.append(Problem(_not_an_option(label, spec.choices)))
        elif index not in chosen:
            chosen.append(index)
    other = clean_line(raw.other).strip()
    if other and not spec.other:
        problems.append(Problem("This question has no 'Other' option", "other"))
    elif other and OTHER_OPTION not in chosen:
        chosen.append(OTHER_OPTION)
    if OTHER_OPTION in chosen and not other:
        problems.append(Problem("Enter what your other answer is", "other"))
    if len(other) > OTHER_TEXT_LIMIT:
        problems.append(
            Problem(f"Your other answer must be {OTHER_TEXT_LIMIT} characters or fewer", "other")
        )
    if problems:
        return Checked(problems=problems)
    ordered = sorted(chosen, key=lambda i: len(spec.choices) if i == OTHER_OPTION else i)
    return Checked(Multi(tuple(ordered), other or None))


def _check_matrix(spec: QuestionSpec, raw: Mapping[int, str], every_row: bool) -> Checked:
    problems: list[Problem] = []
    pairs: list[tuple[int, int]] = []
    for row, statement in enumerate(spec.rows):
        label = raw.get(row, "")
        if not str(label).strip():
            if every_row:
                problems.append(Problem(f"Select an answer for '{statement}'", row))
            continue
        index = match_option(spec.choices, str(label))
        if index is None:
            problems.append(Problem(_not_an_option(str(label), spec.choices), row))
        else:
            pairs.append((row, index))
    unknown = sorted(set(raw) - set(range(len(spec.rows))))
    if unknown:
        problems.append(Problem("Answers were given for statements that do not exist"))
    if problems:
        return Checked(problems=problems)
    return Checked(Matrix(tuple(pairs)))


def to_rows(value: AnswerValue) -> list[StoredRow]:
    """The `answer` table rows that store `value`."""
    if isinstance(value, Choice):
        return [StoredRow(None, value.option, None)]
    if isinstance(value, Multi):
        return [
            StoredRow(None, i, value.other if i == OTHER_OPTION else None) for i in value.options
        ]
    if isinstance(value, Matrix):
        return [StoredRow(row, option, None) for row, option in value.rows]
    return [StoredRow(None, None, value.text)]


AnswerRow = tuple[int, int | None, int | None, str | None]  # question id, row, option, text


def answer_rows(
    values: Mapping[str, AnswerValue], question_ids: Mapping[str, int]
) -> list[AnswerRow]:
    """Every `answer` table row of a response's answers, with its question's id."""
    return [
        (question_ids[key], stored.row, stored.option, stored.text)
        for key, value in values.items()
        for stored in to_rows(value)
    ]


def from_rows(spec: QuestionSpec, rows: Sequence[StoredRow]) -> AnswerValue | None:
    """Rebuild the answer to `spec` from its stored rows (None when there are none)."""
    if not rows:
        return None
    if spec.type is QuestionType.FREE_TEXT:
        return Text(rows[0].text or "")
    if spec.type is QuestionType.MATRIX:
        return Matrix(tuple(sorted((r.row or 0, r.option or 0) for r in rows)))
    if spec.type is QuestionType.MULTI_CHOICE:
        options = sorted(
            (r.option for r in rows if r.option is not None),
            key=lambda i: len(spec.choices) if i == OTHER_OPTION else i,
        )
        other = next((r.text for r in rows if r.option == OTHER_OPTION), None)
        return Multi(tuple(options), other)
    return Choice(rows[0].option or 0)


def to_raw(spec: QuestionSpec, value: AnswerValue | None) -> RawAnswer | None:
    """The raw (label) form of a normalised answer, as the form and the files show it."""
    if value is None:
        return None
    if isinstance(value, Choice):
        return spec.choice_label(value.option)
    if isinstance(value, Multi):
        labels = tuple(spec.choice_label(i) for i in value.options)
        return RawMulti(labels, value.other or "")
    if isinstance(value, Matrix):
        return {row: spec.choices[option] for row, option in value.rows}
    return value.text


def describe(spec: QuestionSpec, value: AnswerValue | None) -> list[str]:
    """Lines summarising an answer for "Check your answers" and officers' views."""
    if value is None:
        return ["Not answered"]
    if isinstance(value, Choice):
        return [spec.choice_label(value.option)]
    if isinstance(value, Multi):
        return [
            f"{OTHER_LABEL}: {value.other}" if i == OTHER_OPTION else spec.choice_label(i)
            for i in value.options
        ]
    if isinstance(value, Matrix):
        return [f"{spec.rows[row]}: {spec.choices[option]}" for row, option in value.rows]
    return [value.text]


def raw_to_json(raw: RawAnswer | None) -> object:
    """A raw answer as JSON, for drafts kept between pages."""
    if isinstance(raw, RawMulti):
        return {"labels": list(raw.labels), "other": raw.other}
    if isinstance(raw, Mapping):
        return {"rows": {str(k): v for k, v in raw.items()}}
    return raw


def raw_from_json(data: object) -> RawAnswer | None:
    """The inverse of `raw_to_json`."""
    if isinstance(data, dict) and "labels" in data:
        return RawMulti(tuple(str(x) for x in data["labels"]), str(data.get("other", "")))
    if isinstance(data, dict) and "rows" in data:
        return {int(k): str(v) for k, v in data["rows"].items()}
    return data if isinstance(data, str) else None


def check_response(
    specs: Sequence[QuestionSpec],
    raw: Mapping[str, RawAnswer | None],
    *,
    enforce_required: bool = True,
) -> tuple[dict[str, AnswerValue], dict[str, list[Problem]]]:
    """Check every answer of one response: the values given, and the problems per question key."""
    values: dict[str, AnswerValue] = {}
    problems: dict[str, list[Problem]] = {}
    for spec in specs:
        checked = check_answer(spec, raw.get(spec.key), enforce_required=enforce_required)
        if checked.problems:
            problems[spec.key] = checked.problems
        elif checked.value is not None:
            values[spec.key] = checked.value
    return values, problems
