"""What every type of question does, and the behaviour the types that pick options share.

A type's module subclasses `QuestionKind` (or `OneOption`) and says, in one place, what its
definition takes, how an answer is checked and stored, how its file columns and form fields
are read, what the residents' page asks, and how its counts become a result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from markupsafe import Markup

from survey.core.answers import (
    AnswerValue,
    Checked,
    Choice,
    Problem,
    RawAnswer,
    StoredRow,
    match_option,
    not_an_option,
    to_raw,
)
from survey.core.questions import OTHER_LABEL, QuestionSpec, QuestionType
from survey.core.results import QuestionResult
from survey.core.wording import N_

OTHER_PART = "other"  # the "Other - please specify" text: a form field and a file column
THEMES_PART = "themes"  # a coded free-text answer's themes: a file column
SEPARATOR = ";"  # between the options ticked (or themes), in a file's cell

Part = int | str | None  # a matrix statement's index, OTHER_PART, THEMES_PART, or the answer


class Form(Protocol):
    """Posted form fields (werkzeug's MultiDict has these)."""

    def get(self, key: str, default: str = "") -> str: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class QuestionCounts:
    """What SQL counted of one question's answers, from everyone or from one group."""

    options: Mapping[tuple[int | None, int], int] = field(default_factory=dict)
    people: int = 0  # respondents who answered (for multi choice: people, not ticks)
    texts: int = 0  # free-text answers given
    themes: Mapping[str, int] = field(default_factory=dict)  # answers per theme name
    coded: int = 0  # free-text answers whose themes are decided
    themed: int = 0  # of those, with at least one theme
    other_texts: Sequence[str] = ()  # what people wrote for "Other", oldest first

    def per_option(self) -> dict[int, int]:
        """Answers per option index, whatever the statement."""
        return {option: n for (_, option), n in self.options.items()}


@dataclass(frozen=True)
class PageText:
    """How the question is introduced on its page: its legend and whether it is the heading."""

    legend: Any  # markup: the question (with its caption and "(optional)")
    caption: str
    heading: bool
    prefix: str = ""  # before each field name, for several questions on one page
    # Translates the fixed wording a page adds (default hints, "Other"), marked with `N_`.
    say: Callable[[str], str] = lambda message: message

    @property
    def size(self) -> str:
        return "l" if self.heading else "m"


class QuestionKind:
    """One type of question. Flags say what its definition takes; methods do the rest."""

    type: QuestionType
    label: str  # as officers choose it in the question builder
    needs_options = False  # the officer lists the options (at least two)
    takes_rows = False  # statements, each answered on the scale
    can_break_down = False  # results can be shown per option of it (an area, say)
    can_have_other = False  # "Other - please specify"
    takes_codebook = False  # its answers are coded with a codebook's themes
    is_scale = False  # agreement can be read from it, and broken down by group
    holds_free_text = False  # residents' own words: personal data, screened, counted as text
    counts_people = False  # its result's base is people, not answers
    missing_message = N_("Select an answer")
    first_field = "answer"  # where the error summary sends focus for a whole-question problem

    def definition_problems(
        self,
        where: str,
        options: Sequence[str],
        rows: Sequence[str],
        breakdown: bool,
        other: bool,
        codebook: str | None,
    ) -> list[str]:
        """What a definition of this type gives that it must not, or lacks."""
        name = self.type.value
        problems = []
        if self.needs_options and len(options) < 2:
            problems.append(f"{where}: a {name} question needs at least two options")
        if not self.needs_options and options:
            problems.append(f"{where}: a {name} question takes no options")
        if self.takes_rows and not rows:
            problems.append(f"{where}: a {name} question needs at least one statement in rows")
        if not self.takes_rows and rows:
            problems.append(f"{where}: only a matrix question takes rows")
        if breakdown and not self.can_break_down:
            problems.append(f"{where}: only a single_choice question can be a breakdown")
        if other and not self.can_have_other:
            problems.append(f"{where}: only a multi_choice question can offer 'Other'")
        if other and any(o.casefold() == OTHER_LABEL.casefold() for o in options):
            problems.append(f"{where}: 'Other' is added by the other flag; remove it from options")
        if codebook and not self.takes_codebook:
            problems.append(f"{where}: only a free_text question takes a codebook")
        return problems

    def check(self, spec: QuestionSpec, raw: RawAnswer, every_row: bool) -> Checked:
        """Normalise a raw answer that is not blank, or say in GOV.UK style what is wrong."""
        raise NotImplementedError

    def from_rows(self, spec: QuestionSpec, rows: Sequence[StoredRow]) -> AnswerValue:
        """Rebuild an answer from its stored rows (there is at least one)."""
        raise NotImplementedError

    def columns(self, spec: QuestionSpec) -> list[tuple[str, Part]]:
        """Its columns in a responses file: (heading, part), in the order an export writes."""
        return [(spec.key, None)]

    def cell(self, spec: QuestionSpec, value: AnswerValue, part: Part) -> str:
        """What an export writes in its column `part` for an answer."""
        raw = to_raw(spec, value)
        return raw if isinstance(raw, str) else ""

    def raw_from_cells(self, spec: QuestionSpec, cells: Mapping[Part, str]) -> RawAnswer:
        """The raw answer in one row's cells of its columns, by part."""
        return cells.get(None, "")

    def raw_from_form(self, spec: QuestionSpec, form: Form, prefix: str = "") -> RawAnswer:
        """The raw answer in posted form fields."""
        return form.get(prefix + "answer", "")

    def page_fields(
        self, spec: QuestionSpec, raw: RawAnswer | None, problems: Sequence[Problem], text: PageText
    ) -> list[dict[str, Any]]:
        """The GOV.UK macro calls (component name and params) that ask it."""
        raise NotImplementedError

    def result(self, spec: QuestionSpec, counts: QuestionCounts, minimum: int) -> QuestionResult:
        """Its result from its counts; shares below `minimum` hidden."""
        raise NotImplementedError


class OneOption(QuestionKind):
    """Questions answered by picking one option: agreement, likert, single choice."""

    def check(self, spec: QuestionSpec, raw: RawAnswer, every_row: bool) -> Checked:
        if not isinstance(raw, str):
            return Checked(problems=[Problem(N_("Give one answer to this question"))])
        index = match_option(spec.choices, raw)
        if index is None:
            return Checked(problems=[not_an_option(raw, spec.choices)])
        return Checked(Choice(index))

    def from_rows(self, spec: QuestionSpec, rows: Sequence[StoredRow]) -> AnswerValue:
        return Choice(rows[0].option or 0)

    def page_fields(
        self, spec: QuestionSpec, raw: RawAnswer | None, problems: Sequence[Problem], text: PageText
    ) -> list[dict[str, Any]]:
        chosen = (raw,) if isinstance(raw, str) else ()
        return [
            {
                "component": "radios",
                "params": {
                    "name": text.prefix + "answer",
                    "idPrefix": text.prefix + "answer",
                    "fieldset": fieldset(text),
                    "hint": hint_param(spec.hint),
                    "items": choice_items(spec.choices, chosen),
                    "errorMessage": message(problems, None),
                },
            }
        ]


def list_in_hint(hint: str) -> tuple[str, tuple[str, ...]]:
    """A hint that lists things in one sentence ("The priorities are: a; b; c.") as its
    introduction and the items; the hint and no items when it lists nothing."""
    intro, colon, rest = hint.partition(": ")
    items = tuple(item.strip() for item in rest.strip().rstrip(".").split(";"))
    if not colon or len(items) < 2 or not all(items):
        return hint, ()
    return intro + ":", items


def hint_param(hint: str) -> dict[str, Any] | None:
    """A GOV.UK hint: as written, or a listing sentence as its introduction and a bullet list."""
    if not hint:
        return None
    intro, items = list_in_hint(hint)
    if not items:
        return {"text": hint}
    listed = Markup("").join(Markup("<li>{}</li>").format(item) for item in items)
    return {
        "html": Markup('{}<ul class="govuk-list govuk-list--bullet govuk-hint">{}</ul>').format(
            intro, listed
        )
    }


def fieldset(text: PageText) -> dict[str, Any]:
    """A fieldset whose legend is the question."""
    return {
        "legend": {
            "html": text.legend,
            "isPageHeading": text.heading,
            "classes": f"govuk-fieldset__legend--{text.size}",
        }
    }


def choice_items(choices: Sequence[str], chosen: Sequence[str]) -> list[dict[str, Any]]:
    """Radio or checkbox items for `choices`, those in `chosen` checked."""
    picked = {match_option(choices, label) for label in chosen}
    return [
        {"value": choice, "text": choice, "checked": index in picked}
        for index, choice in enumerate(choices)
    ]


def message(problems: Sequence[Problem], part: Part) -> dict[str, str] | None:
    """The error message for one part of the question, if it has a problem."""
    for problem in problems:
        if problem.part == part:
            return {"text": problem.message}
    return None
