"""What an answer is, raw and normalised, whatever it came from: the web form, an officer's
paper entry, or a row of an imported file. Pure core: no Flask, no database. Checking an
answer against its question is its type's (`survey.core.question_types`).

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
    OTHER_OPTION,
    QuestionSpec,
)
from survey.core.wording import N_


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
    """Why an answer was refused; `part` is a matrix statement index or "other".

    `message` is in English; a message with values in it also keeps the wording before they
    went in (`template`, its catalogue id) and the values, so the web edge can say it in Welsh.
    """

    message: str
    part: int | str | None = None
    template: str = field(default="", compare=False)
    values: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, template: str, part: int | str | None = None, **values: str) -> Problem:
        """A problem whose message is `template` (marked with `N_`) with `values` put in."""
        return cls(template % values, part, template, tuple(values.items()))


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


def not_an_option(label: str, choices: Sequence[str], part: int | str | None = None) -> Problem:
    """Why `label` was refused: it is none of `choices` (named, shortened if long)."""
    shown = clean_line(label).strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return Problem.of(
        N_("'%(answer)s' is not one of the options (%(options)s)"),
        part,
        answer=shown,
        options=", ".join(choices),
    )


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


def describe(
    spec: QuestionSpec, value: AnswerValue | None, not_answered: str = N_("Not answered")
) -> list[str]:
    """Lines summarising an answer for "Check your answers" and officers' views."""
    if value is None:
        return [not_answered]
    if isinstance(value, Choice):
        return [spec.choice_label(value.option)]
    if isinstance(value, Multi):
        return [
            f"{spec.other_label}: {value.other}" if i == OTHER_OPTION else spec.choice_label(i)
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
