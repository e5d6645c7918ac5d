"""Reading a survey tool's export: its columns mapped, its cells rewritten in the service's
own format, then checked by `responses_io.parse_table` like any other file.

Pure core. So every tool's rows meet exactly the checks the service's own files do, and are
recorded by the one write path; what this adds is the tool's wording (answers matched to the
options once normalised, a multi-column question folded into one answer, dates in the tool's
own order) and problems named by the tool's own rows and columns.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from common.display import iso_timestamp
from common.spreadsheets import Problem, Table
from survey.core.column_mapping import ColumnChoice, apply_mapping, date_order_of, propose
from survey.core.column_matching import matching_option, offered_option, split_ticked, ticks
from survey.core.question_types import kind_of
from survey.core.question_types.kind import OTHER_PART, SEPARATOR
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.responses_io import ParsedFile, parse_table
from survey.core.tool_layouts import (
    SUBMITTED_AT,
    DateOrder,
    FileColumn,
    Layout,
    ToolFile,
    parse_tool_date,
)


@dataclass(frozen=True)
class ToolParse:
    """A tool's file checked: its responses and problems, and where each column went."""

    parsed: ParsedFile
    choices: tuple[ColumnChoice, ...]

    @property
    def left_out(self) -> tuple[ColumnChoice, ...]:
        """The columns not imported, each with why."""
        return tuple(c for c in self.choices if c.decided and c.to is None)


def mapping_for(
    specs: Sequence[QuestionSpec], file: ToolFile, given: object | None
) -> tuple[list[ColumnChoice], list[Problem]]:
    """The proposed mapping, with a mapping file's decisions (if given) applied."""
    choices = propose(specs, file)
    if given is None:
        return choices, []
    return apply_mapping(choices, given, specs)


def parse_tool_file(
    specs: Sequence[QuestionSpec],
    file: ToolFile,
    given_mapping: object | None,
    *,
    channels: Collection[str],
    default_channel: str,
    taken: Callable[[Collection[str]], Collection[str]] = lambda references: (),
    theme_names: Mapping[str, Sequence[str]] | None = None,
) -> ToolParse:
    """Check every row of a tool's file against the questions; nothing is recorded here."""
    choices, problems = mapping_for(specs, file, given_mapping)
    problems += [_unmatched(choice) for choice in choices if not choice.decided]
    sources = _sources(choices, {spec.key: spec for spec in specs})
    problems += _clashes(sources, {spec.key: spec for spec in specs})
    rewriter = _Rewriter(specs, file.layout, sources, date_order_of(given_mapping))
    rows = [rewriter.row(number, cells) for number, cells in file.rows]
    table = Table(tuple(rewriter.targets), tuple(rows))
    parsed = parse_table(
        specs,
        table,
        channels=channels,
        default_channel=default_channel,
        taken=taken,
        theme_names=theme_names,
    )
    problems += rewriter.problems
    problems += [rewriter.renamed(p) for p in parsed.problems]
    order = {c.column.name: c.column.index for c in choices}
    order |= {_group_name(columns): columns[0].index for columns in sources.values()}
    problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    return ToolParse(ParsedFile(parsed.rows, tuple(problems)), tuple(choices))


def _welsh_option(text: str, spec: QuestionSpec) -> str | None:
    """The English option whose Welsh label `text` names, so answers from a survey's Welsh
    version count with the English ones (answers are stored as the English option)."""
    found = matching_option(text, spec.options_cy) if spec.options_cy else None
    return spec.options[spec.options_cy.index(found)] if found is not None else None


def _group_name(columns: Sequence[FileColumn]) -> str:
    """The name problems give the columns one answer is read from (a range when several)."""
    if len(columns) == 1:
        return columns[0].name
    return f"{columns[0].heading} ({columns[0].letter}-{columns[-1].letter})"


def _unmatched(choice: ColumnChoice) -> Problem:
    """A column no question is chosen for, and how a mapping file settles it."""
    place = f'"to": "{choice.offer}" if that is right' if choice.offer else "where it goes"
    return Problem(
        1,
        choice.column.name,
        f"{choice.why}: give a mapping file (--mapping) with {place}, or null to leave the "
        "column out (see --show-mapping)",
    )


def _sources(
    choices: Sequence[ColumnChoice], specs: Mapping[str, QuestionSpec]
) -> dict[str, list[FileColumn]]:
    """The file columns each column of the service's format is made from, in file order.

    A column sent to one option of a multi-choice question ("hear/Newsletter", as a mapping
    file may say of a column headed with the tool's code for it) is that option's column.
    """
    sources: dict[str, list[FileColumn]] = {}
    for choice in choices:
        if not choice.decided or choice.to is None:
            continue
        target, column = choice.to, choice.column
        key, _, option = target.partition("/")
        spec = specs.get(key)
        if spec and spec.type is QuestionType.MULTI_CHOICE and option in spec.choices:
            target, column = key, FileColumn(column.index, column.heading, option)
        sources.setdefault(target, []).append(column)
    return sources


def _clashes(
    sources: Mapping[str, Sequence[FileColumn]], specs: Mapping[str, QuestionSpec]
) -> list[Problem]:
    """A problem for each answer given by several columns, unless they are one question's
    options (SurveyMonkey's column per option), which are folded into one answer."""
    problems = []
    for target, columns in sources.items():
        spec = specs.get(target)
        if len(columns) > 1 and (spec is None or spec.type is not QuestionType.MULTI_CHOICE):
            others = ", ".join(c.letter for c in columns[1:])
            message = f"this column and column(s) {others} would all give '{target}'"
            problems.append(Problem(1, columns[0].name, message))
    return problems


class _Rewriter:
    """Rewrites a tool's rows in the service's format, remembering what it found wrong."""

    def __init__(
        self,
        specs: Sequence[QuestionSpec],
        layout: Layout,
        sources: Mapping[str, Sequence[FileColumn]],
        date_order: DateOrder | None = None,
    ) -> None:
        self.specs = {spec.key: spec for spec in specs}
        self.layout = layout
        self.date_order = date_order
        self.sources = sources
        self.problems: list[Problem] = []
        self.offers: dict[tuple[int, str], str] = {}
        self.targets = list(sources)
        if layout.rules.other_in_answer:  # its "Other" text is in the question's column
            self.targets += [
                f"{key}/{OTHER_PART}"
                for key, spec in self.specs.items()
                if key in sources and spec.type is QuestionType.MULTI_CHOICE and spec.other
                if f"{key}/{OTHER_PART}" not in sources
            ]

    def row(self, number: int, cells: Sequence[str]) -> tuple[int, tuple[str, ...]]:
        """One data row in the service's format (one cell per target column)."""

        def cell(column: FileColumn) -> str:
            return cells[column.index] if column.index < len(cells) else ""

        out = dict.fromkeys(self.targets, "")
        for target, columns in self.sources.items():
            out[target] = self._cell(number, target, columns, [cell(c) for c in columns], out)
        return number, tuple(out.values())

    def _cell(
        self,
        number: int,
        target: str,
        columns: Sequence[FileColumn],
        given: list[str],
        out: dict[str, str],
    ) -> str:
        key, _, part = target.partition("/")
        spec = self.specs.get(key)
        if target == SUBMITTED_AT:
            return self._date(number, columns[0], given[0])
        if spec is None or part == OTHER_PART or kind_of(spec.type).holds_free_text:
            return given[0]
        if spec.type is QuestionType.MULTI_CHOICE:
            return self._ticked(number, target, spec, zip(columns, given, strict=True), out)
        return self._option(number, target, spec, given[0])

    def _date(self, number: int, column: FileColumn, text: str) -> str:
        if not text.strip():
            return ""
        try:
            return iso_timestamp(parse_tool_date(text, self.layout, self.date_order))
        except ValueError as exc:
            self.problems.append(Problem(number, column.name, str(exc)))
            return ""

    def _option(self, number: int, target: str, spec: QuestionSpec, text: str) -> str:
        """The option a cell names (in English or, from a Welsh version of the survey, in
        Welsh), in the option's English wording; else the cell, to be refused."""
        if not text.strip():
            return text
        choices = spec.choices
        found = matching_option(text, choices) or _welsh_option(text, spec)
        if found is None:
            offer = offered_option(text, choices)
            if offer:
                self.offers[(number, target)] = offer
        return found or text

    def _ticked(
        self,
        number: int,
        target: str,
        spec: QuestionSpec,
        cells: Iterable[tuple[FileColumn, str]],
        out: dict[str, str],
    ) -> str:
        """A multi-choice answer from one column (the options ticked, together) or one column
        per option (ticked unless blank or a word like "No")."""
        labels: list[str] = []
        for column, text in cells:
            option = (
                matching_option(column.sub, spec.choices) or _welsh_option(column.sub, spec)
                if column.sub
                else None
            )
            if option:
                labels += [option] if ticks(text, column.sub) else []
            elif text.strip():
                labels += split_ticked(text, spec.choices + spec.options_cy)
        named = [
            matching_option(label, spec.choices) or _welsh_option(label, spec) or label.strip()
            for label in labels
        ]
        unknown = [label for label in named if label not in spec.choices]
        typed = len(unknown) == 1 and offered_option(unknown[0], spec.choices) is None
        if self.layout.rules.other_in_answer and spec.other and typed:
            # Forms writes what a resident typed for "Other" in place of the word Other. One
            # close to an option is more likely the option worded differently: refused below.
            out[f"{spec.key}/{OTHER_PART}"] = unknown[0]
            return SEPARATOR.join(label for label in named if label != unknown[0])
        for label in unknown:
            offer = offered_option(label, spec.choices)
            if offer:
                self.offers[(number, target)] = offer
        return SEPARATOR.join(named)

    def renamed(self, problem: Problem) -> Problem:
        """A problem of the rewritten file named by the tool's own column(s)."""
        columns = self.sources.get(problem.column)
        if not columns:
            return problem
        name = _group_name(columns)
        message = problem.message
        offer = self.offers.get((problem.row, problem.column))
        if offer:
            message += f" (did you mean '{offer}'?)"
        return Problem(problem.row, name, message)
