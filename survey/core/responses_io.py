"""Responses as a spreadsheet: one row per response, one column per question (or statement).

Pure core: no Flask, no database. Reading turns a file's rows into checked answers (with the
same `check_response` residents' answers go through) and a list of every problem, each named
by row and column as the spreadsheet shows them; writing turns plain response data into rows.
The CSV and XLSX bytes themselves are read and written by `common.spreadsheets`.
The format is documented, with examples, in docs/formats.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from common.clock import midday_on
from common.display import LOCAL_ZONE, iso_timestamp
from common.spreadsheets import Problem, Table, column_letter
from common.text import clean_line
from survey.core.answers import AnswerValue, RawAnswer
from survey.core.answers import Problem as AnswerProblem
from survey.core.question_types import check_response, kind_of
from survey.core.question_types.kind import OTHER_PART, SEPARATOR, THEMES_PART
from survey.core.questions import QuestionSpec
from survey.core.references import LENGTH as REFERENCE_LENGTH
from survey.core.references import is_reference, normalise_reference

REFERENCE = "reference"
SUBMITTED_AT = "submitted_at"
CHANNEL = "channel"
RESPONSE_COLUMNS = (REFERENCE, SUBMITTED_AT, CHANNEL)
OTHER_COLUMN = OTHER_PART  # KEY/other holds a multi-choice question's "please specify" text
THEMES_COLUMN = THEMES_PART  # KEY_themes holds the themes a coded free-text answer has
THEMES_SEPARATOR = "; "  # between theme names, as exports write them


@dataclass(frozen=True)
class Column:
    """What one column of a responses file holds: a response field, or (part of) an answer.

    `part` is a matrix statement's index, OTHER_COLUMN for "Other" text, or THEMES_COLUMN
    for the themes of a free-text answer coded with a codebook.
    """

    name: str
    key: str | None = None
    part: int | str | None = None


@dataclass(frozen=True)
class ParsedRow:
    """One response read from a file, checked and ready to record."""

    row: int
    reference: str | None
    submitted_at: dt.datetime | None
    channel: str
    raw: Mapping[str, RawAnswer]
    values: Mapping[str, AnswerValue]
    themes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by question key


@dataclass(frozen=True)
class ParsedFile:
    """Every response a file holds, and every problem found in it (in file order)."""

    rows: tuple[ParsedRow, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ExportResponse:
    """One stored response, as plain data for writing a file."""

    reference: str
    submitted_at: dt.datetime
    channel: str
    answers: Mapping[str, AnswerValue]
    themes: Mapping[str, Sequence[str]] = field(default_factory=dict)  # by question key


def columns_for(specs: Sequence[QuestionSpec]) -> list[Column]:
    """Every column of the format, in the order an export writes them."""
    columns = [Column(name) for name in RESPONSE_COLUMNS]
    for spec in specs:
        kind = kind_of(spec.type)
        columns.extend(Column(name, spec.key, part) for name, part in kind.columns(spec))
    return columns


def is_coded(spec: QuestionSpec) -> bool:
    """True for a free-text question whose answers are coded with a codebook's themes."""
    return kind_of(spec.type).takes_codebook and bool(spec.codebook)


def parse_submitted_at(text: str) -> dt.datetime:
    """An ISO 8601 date and time, UK time unless it has an offset, in UTC.

    A date alone is midday UK time that day, as for paper responses entered by date, so
    its date reads the same in UTC as in the UK.
    """
    value = text.strip()
    try:
        if len(value) <= len("2026-01-31"):
            return midday_on(dt.date.fromisoformat(value))
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LOCAL_ZONE)
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(
            f"'{_shorten(value)}' is not a date like 2026-01-31 or a date and time like "
            "2026-01-31T14:05 (ISO 8601)"
        ) from None


def parse_table(
    specs: Sequence[QuestionSpec],
    table: Table,
    *,
    channels: Collection[str],
    default_channel: str,
    taken: Callable[[Collection[str]], Collection[str]] = lambda references: (),
    theme_names: Mapping[str, Sequence[str]] | None = None,
) -> ParsedFile:
    """Check every row of `table` against the questions; nothing is recorded here.

    Rows without a channel get `default_channel`. `taken` says which of the file's references
    already belong to stored responses (the caller looks them up; this module has no database).
    `theme_names` are the themes each coded question's KEY_themes column may name.
    """
    columns, problems = _read_header(specs, table)
    reader = _RowReader(specs, columns, channels, default_channel, theme_names or {})
    rows = []
    for number, cells in table.rows:
        parsed, row_problems = reader.read(number, cells)
        problems.extend(row_problems)
        if parsed is not None:
            rows.append(parsed)
    problems.extend(_nameless_cells(table, columns))
    given = reader.references
    for reference in sorted(set(taken(set(given))), key=lambda ref: given[ref]):
        problems.append(
            Problem(given[reference], _name_of(columns, REFERENCE), _taken_message(reference))
        )
    order = {name: index for index, name in enumerate(table.header)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    return ParsedFile(tuple(rows), tuple(problems))


def export_rows(
    specs: Sequence[QuestionSpec], responses: Iterable[ExportResponse]
) -> Iterable[list[str]]:
    """The header, then a row per response, exactly as `parse_table` reads them back."""
    columns = columns_for(specs)
    yield [column.name for column in columns]
    by_key = {spec.key: spec for spec in specs}
    for response in responses:
        yield [_cell(column, response, by_key) for column in columns]


def _cell(column: Column, response: ExportResponse, specs: Mapping[str, QuestionSpec]) -> str:
    if column.key is None:
        if column.name == REFERENCE:
            return response.reference
        if column.name == SUBMITTED_AT:
            return iso_timestamp(response.submitted_at)
        return response.channel
    if column.part == THEMES_COLUMN:
        return THEMES_SEPARATOR.join(response.themes.get(column.key, ()))
    spec = specs[column.key]
    value = response.answers.get(column.key)
    return "" if value is None else kind_of(spec.type).cell(spec, value, column.part)


# Reading: the header row.


def _lookup_name(name: str) -> str:
    """A column name as matched: keys and response fields ignore case, statements do not."""
    key, slash, rest = name.partition("/")
    return key.strip().lower() + slash + rest.strip()


def _read_header(
    specs: Sequence[QuestionSpec], table: Table
) -> tuple[dict[int, Column], list[Problem]]:
    """The known columns by position, and a problem for each unknown or repeated one."""
    known = {_lookup_name(column.name): column for column in columns_for(specs)}
    by_key = {spec.key: spec for spec in specs}
    columns: dict[int, Column] = {}
    seen: dict[Column, list[int]] = {}
    problems = []
    for index, name in enumerate(table.header):
        if not name:
            continue
        lookup = _lookup_name(name)
        key, _, rest = lookup.partition("/")
        column = known.get(lookup)
        if column is None and rest.casefold() == OTHER_COLUMN:
            column = known.get(f"{key}/{OTHER_COLUMN}")
        if column is None:
            problems.append(Problem(1, name, _unknown_column(lookup, by_key)))
            continue
        if column not in seen:  # a repeated column is refused; read only its first copy
            columns[index] = Column(name, column.key, column.part)
        seen.setdefault(column, []).append(index)
    for positions in seen.values():
        if len(positions) > 1:
            letters = ", ".join(column_letter(i) for i in positions)
            name = table.header[positions[0]]
            problems.append(Problem(1, name, f"this column appears more than once ({letters})"))
    return columns, problems


def _unknown_column(lookup: str, specs: Mapping[str, QuestionSpec]) -> str:
    key, slash, rest = lookup.partition("/")
    spec = specs.get(key)
    suffix = f"_{THEMES_COLUMN}"
    if spec is None and not slash and key.endswith(suffix) and key.removesuffix(suffix) in specs:
        return (
            f"question '{key.removesuffix(suffix)}' is not a free-text question coded with "
            f"themes, so it has no '{key}' column"
        )
    if spec is None:
        fields = ", ".join(RESPONSE_COLUMNS)
        keys = ", ".join(specs)
        return (
            f"there is no question with the key '{key}' (columns are {fields} and the "
            f"question keys: {keys})"
        )
    if kind_of(spec.type).takes_rows:
        statements = "; ".join(f"'{key}/{row}'" for row in spec.rows)
        if not slash:
            return f"'{key}' has a column per statement, named exactly: {statements}"
        return f"'{key}' has no statement '{rest}' (its columns are named exactly: {statements})"
    if rest.casefold() == OTHER_COLUMN:
        return f"question '{key}' has no 'Other' option, so no '{key}/other' column"
    return f"question '{key}' has one column, named '{key}'"


def _nameless_cells(table: Table, columns: Mapping[int, Column]) -> list[Problem]:
    """A problem for each column with values but no heading (each reported once)."""
    first: dict[int, int] = {}
    for number, cells in table.rows:
        for index, cell in enumerate(cells):
            if cell.strip() and index not in first and _nameless(table, columns, index):
                first[index] = number
    return [
        Problem(
            1,
            f"column {column_letter(index)}",
            f"this column has no heading but has values (from row {row})",
        )
        for index, row in sorted(first.items())
    ]


def _nameless(table: Table, columns: Mapping[int, Column], index: int) -> bool:
    return index >= len(table.header) or not table.header[index]


def _name_of(columns: Mapping[int, Column], name: str) -> str:
    return next((c.name for c in columns.values() if _lookup_name(c.name) == name), name)


# Reading: one row at a time.


class _RowReader:
    """Reads data rows against the header, remembering references seen in earlier rows."""

    def __init__(
        self,
        specs: Sequence[QuestionSpec],
        columns: Mapping[int, Column],
        channels: Collection[str],
        default_channel: str,
        theme_names: Mapping[str, Sequence[str]],
    ) -> None:
        self.specs = specs
        self.columns = columns
        self.channels = channels
        self.default_channel = default_channel
        self.theme_names = {
            key: {name.casefold(): name for name in names} for key, names in theme_names.items()
        }
        self.references: dict[str, int] = {}
        self.names = {(c.key, c.part): c.name for c in columns.values() if c.key is not None}

    def read(self, number: int, cells: Sequence[str]) -> tuple[ParsedRow | None, list[Problem]]:
        """One row's response, or None with the problems that stop it being recorded."""
        problems: list[Problem] = []
        fields: dict[str, tuple[str, str]] = {}
        answers: dict[Column, str] = {}
        theme_cells: dict[Column, str] = {}
        for index, column in self.columns.items():
            cell = cells[index] if index < len(cells) else ""
            if column.key is None:
                fields[_lookup_name(column.name)] = (column.name, cell)
            elif column.part == THEMES_COLUMN:
                theme_cells[column] = cell
            else:
                answers[column] = cell
        reference = self._reference(number, fields.get(REFERENCE), problems)
        submitted_at = self._submitted_at(number, fields.get(SUBMITTED_AT), problems)
        channel = self._channel(number, fields.get(CHANNEL), problems)
        raw = self._raw_answers(answers)
        values, answer_problems = check_response(self.specs, raw, enforce_required=False)
        for key, found in answer_problems.items():
            problems.extend(self._answer_problem(number, key, p) for p in found)
        if not values and not answer_problems:
            problems.append(Problem(number, "", "this row has no answers"))
        themes = self._themes(number, theme_cells, values, problems)
        if problems:
            return None, problems
        return ParsedRow(number, reference, submitted_at, channel, raw, values, themes), problems

    def _themes(
        self,
        number: int,
        cells: Mapping[Column, str],
        values: Mapping[str, AnswerValue],
        problems: list[Problem],
    ) -> dict[str, tuple[str, ...]]:
        """The themes named in a row's KEY_themes cells, as the question's themes spell them."""
        themes: dict[str, tuple[str, ...]] = {}
        for column, cell in cells.items():
            assert column.key is not None
            given = [name.strip() for name in cell.split(SEPARATOR) if name.strip()]
            if not given:
                continue
            if column.key not in values:
                problems.append(
                    Problem(number, column.name, f"themes are given but '{column.key}' is blank")
                )
                continue
            known = self.theme_names.get(column.key, {})
            unknown = [name for name in given if name.casefold() not in known]
            if unknown:
                listed = "; ".join(known.values()) or "none yet"
                problems.append(
                    Problem(
                        number,
                        column.name,
                        f"'{_shorten(unknown[0])}' is not a theme of question '{column.key}' "
                        f"(its themes are: {listed})",
                    )
                )
                continue
            names = dict.fromkeys(known[name.casefold()] for name in given)
            themes[column.key] = tuple(names)
        return themes

    def _reference(
        self, number: int, given: tuple[str, str] | None, problems: list[Problem]
    ) -> str | None:
        if given is None or not given[1].strip():
            return None
        name, cell = given
        reference = normalise_reference(cell.strip())
        if not is_reference(reference):
            problems.append(
                Problem(
                    number,
                    name,
                    f"'{_shorten(cell.strip())}' is not a reference: a reference is "
                    f"{REFERENCE_LENGTH} letters and digits like HJKM2346 (leave it blank "
                    "to give the response a new one)",
                )
            )
            return None
        if reference in self.references:
            first = self.references[reference]
            problems.append(Problem(number, name, f"{reference} is also used in row {first}"))
            return None
        self.references[reference] = number
        return reference

    def _submitted_at(
        self, number: int, given: tuple[str, str] | None, problems: list[Problem]
    ) -> dt.datetime | None:
        if given is None or not given[1].strip():
            return None
        try:
            return parse_submitted_at(given[1])
        except ValueError as exc:
            problems.append(Problem(number, given[0], str(exc)))
            return None

    def _channel(self, number: int, given: tuple[str, str] | None, problems: list[Problem]) -> str:
        if given is None or not given[1].strip():
            return self.default_channel
        channel = given[1].strip().lower()
        if channel not in self.channels:
            problems.append(
                Problem(
                    number,
                    given[0],
                    f"'{_shorten(given[1].strip())}' is not a channel "
                    f"(use one of {', '.join(self.channels)})",
                )
            )
        return channel

    def _raw_answers(self, cells: Mapping[Column, str]) -> dict[str, RawAnswer]:
        raw: dict[str, RawAnswer] = {}
        for spec in self.specs:
            given = {column.part: cell for column, cell in cells.items() if column.key == spec.key}
            if not given:
                continue
            raw[spec.key] = kind_of(spec.type).raw_from_cells(spec, given)
        return raw

    def _answer_problem(self, number: int, key: str, problem: AnswerProblem) -> Problem:
        name = self.names.get((key, problem.part)) or self.names.get((key, None), key)
        return Problem(number, name, problem.message)


def _taken_message(reference: str) -> str:
    return f"a response with the reference {reference} is already stored"


def _shorten(text: str, limit: int = 60) -> str:
    shown = clean_line(text).strip()
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
