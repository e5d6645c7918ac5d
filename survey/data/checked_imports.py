"""Reading an import's file against a consultation, recording nothing: its layout, where its
columns go, and its rows checked.

`transfers.import_responses` records what this checks; `--show-mapping` and the upload page's
preview show it without recording, so a preview and an import can never read a file differently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from common.spreadsheets import (
    ImportRefused,
    Problem,
    Table,
    column_letter,
    file_format,
    read_file,
)
from survey.core.answers import describe
from survey.core.column_mapping import ColumnChoice, mapping_json
from survey.core.responses_io import ParsedFile, parse_table
from survey.core.tool_import import mapping_for, parse_tool_file
from survey.core.tool_layouts import (
    Layout,
    ToolFile,
    detect,
    header_rows,
    read_tool_file,
    shape_of,
)
from survey.data.models import Channel, Consultation
from survey.data.references import taken_references
from survey.data.remembered_mappings import remembered
from survey.data.themes import coded_questions, question_themes

CHANNELS = tuple(channel.value for channel in Channel)
OWN_FORMAT = "the service's own format: columns are named by question key"
NOT_A_TOOL = (
    "a mapping file is for survey tools' exports; this file is in the service's own format, "
    "whose columns are named by question key"
)
PREVIEW_ROWS = 5


@dataclass(frozen=True)
class CheckedFile:
    """A file read and checked: its layout, its responses and problems, where its columns go."""

    layout: Layout
    parsed: ParsedFile
    choices: tuple[ColumnChoice, ...] = ()
    shape: str = ""  # a tool's file: the digest of its headings (see remembered_mappings)
    remembered_at: dt.datetime | None = None  # when the mapping used was confirmed, if kept

    @property
    def left_out(self) -> tuple[ColumnChoice, ...]:
        """The tool's columns not imported, each with why."""
        return tuple(c for c in self.choices if c.decided and c.to is None)


@dataclass(frozen=True)
class Preview:
    """What importing a file would record, for an officer to check before importing it: where
    its columns go, and its first responses (only those are checked; an import checks all)."""

    checked: CheckedFile
    rows: tuple[tuple[int, tuple[tuple[str, str], ...]], ...]  # (row, ((question, answer), ...))
    total: int  # responses in the whole file


def check_table(
    consultation: Consultation,
    table: Table,
    mapping: object | None,
    default_channel: Channel,
    theme_names: Mapping[str, Sequence[str]],
) -> CheckedFile:
    """Every row of the file checked against the consultation's questions; nothing recorded."""
    layout = detect(table)
    if layout is Layout.OWN and mapping is not None:
        raise ImportRefused([Problem(0, "", NOT_A_TOOL)])
    specs = [question.spec() for question in consultation.questions]
    common: dict[str, Any] = {
        "channels": CHANNELS,
        "default_channel": default_channel.value,
        "taken": taken_references,
        "theme_names": theme_names,
    }
    if layout is Layout.OWN:
        return CheckedFile(layout, parse_table(specs, table, **common))
    file = read_tool_file(table, layout)
    mapping, remembered_at = _or_remembered(consultation, file, mapping)
    checked = parse_tool_file(specs, file, mapping, **common)
    return CheckedFile(layout, checked.parsed, checked.choices, shape_of(file), remembered_at)


def _or_remembered(
    consultation: Consultation, file: ToolFile, mapping: object | None
) -> tuple[object | None, dt.datetime | None]:
    """The mapping given, else the one confirmed for files of this shape (and when)."""
    if mapping is not None:
        return mapping, None
    kept = remembered(consultation, shape_of(file))
    return (None, None) if kept is None else (kept.mapping, kept.saved_at)


def rows_in(table: Table) -> int:
    """How many responses the file holds (rows labelling a tool's columns are not)."""
    layout = detect(table)
    return len(table.rows if layout is Layout.OWN else read_tool_file(table, layout).rows)


def proposed_mapping(
    consultation: Consultation, data: bytes, filename: str, mapping: object | None = None
) -> dict[str, Any]:
    """Where each of the file's columns would go (with `mapping` applied), as JSON; no import.

    Raises ImportRefused when the mapping file itself is wrong.
    """
    table = read_file(data, file_format(filename))
    layout = detect(table)
    if layout is Layout.OWN:
        if mapping is not None:
            raise ImportRefused([Problem(0, "", NOT_A_TOOL)])
        return {"layout": layout.value, "columns": _own_columns(table)}
    specs = [question.spec() for question in consultation.questions]
    file = read_tool_file(table, layout)
    mapping, _ = _or_remembered(consultation, file, mapping)
    choices, problems = mapping_for(specs, file, mapping)
    if problems:
        raise ImportRefused(problems)
    return mapping_json(layout, choices)


def preview_import(
    consultation: Consultation,
    data: bytes,
    filename: str,
    default_channel: Channel,
    mapping: object | None = None,
) -> Preview:
    """The file's mapping, and its first responses as they would be recorded or their problems.

    Only the first rows are checked, so that the page comes back quickly whatever the size.
    """
    names = {q.key: [t.name for t in question_themes(q)] for q in coded_questions(consultation)}
    table = read_file(data, file_format(filename))
    labels = header_rows(table)  # rows labelling a tool's columns (SurveyMonkey's row 2)
    first = Table(table.header, table.rows[: PREVIEW_ROWS + labels])
    checked = check_table(consultation, first, mapping, default_channel, names)
    specs = {question.key: question.spec() for question in consultation.questions}
    rows = tuple(
        (
            row.row,
            tuple(
                (specs[key].text, "; ".join(describe(specs[key], value)))
                for key, value in row.values.items()
            ),
        )
        for row in checked.parsed.rows[:PREVIEW_ROWS]
    )
    return Preview(checked, rows, rows_in(table))


def _own_columns(table: Table) -> list[dict[str, Any]]:
    return [
        {"column": column_letter(i), "heading": name, "to": name, "why": OWN_FORMAT}
        for i, name in enumerate(table.header)
        if name
    ]
