"""The layouts survey tools export responses in, recognised from the file's own headings.

Pure core. Each layout says how its headings are laid out (one row or two), which of its own
columns hold personal data (never stored) or the tool's bookkeeping (left out), which column
says when a response was made, and how it writes dates: in the tool's own day/month order,
never guessed row by row.

Sources, read from each tool's published help on its exports (no real respondents' data):
- SurveyMonkey, "Exporting All Responses" / "Understanding exports": the expanded CSV and XLSX
  layout has two header rows (question text, then each column's option, statement or
  "Response" / "Open-Ended Response"), starts with Respondent ID, Collector ID, Start Date,
  End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1, writes US dates
  (08/25/2022 03:47:12 PM) and spreads a multi-choice question over a column per option.
- Microsoft Forms, "View results of your form" / "Open in Excel": one header row, ID, Start
  time, Completion time, Email, Name (Last modified time in newer workbooks), then a column
  per question headed with its text; several options ticked are joined with ';' and end in
  ';'; dates month first in US workbooks (8/25/2022 15:47:12).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from common.display import LOCAL_ZONE
from common.spreadsheets import Table, column_letter
from survey.core.column_matching import normalise


class Layout(StrEnum):
    """Who made the file: this service (its own format) or a survey tool."""

    OWN = "own"
    SURVEYMONKEY = "surveymonkey"
    MICROSOFT_FORMS = "microsoft_forms"

    @property
    def tool(self) -> str:
        """The tool's name as people know it."""
        return {
            Layout.OWN: "this service's own format",
            Layout.SURVEYMONKEY: "SurveyMonkey",
            Layout.MICROSOFT_FORMS: "Microsoft Forms",
        }[self]


PERSONAL = "personal data, never stored"
BOOKKEEPING = "the survey tool's own bookkeeping, not an answer"
SUBMITTED_AT = "submitted_at"

# The tools' own columns, by normalised heading: what each is (None: the date of the response).
_OWN_COLUMNS: dict[Layout, dict[str, str | None]] = {
    Layout.SURVEYMONKEY: {
        "respondent id": BOOKKEEPING,
        "collector id": PERSONAL,
        "start date": BOOKKEEPING,
        "end date": None,
        "ip address": PERSONAL,
        "email address": PERSONAL,
        "first name": PERSONAL,
        "last name": PERSONAL,
        "custom data": PERSONAL,
        "custom data 1": PERSONAL,
        "custom data 2": PERSONAL,
        "custom data 3": PERSONAL,
    },
    Layout.MICROSOFT_FORMS: {
        "id": BOOKKEEPING,
        "start time": BOOKKEEPING,
        "completion time": None,
        "last modified time": BOOKKEEPING,
        "email": PERSONAL,
        "name": PERSONAL,
    },
}
# Dates as each tool writes them, month first; ISO 8601 is what a workbook's date cell reads as.
_DATE_FORMATS: dict[Layout, tuple[str, ...]] = {
    Layout.SURVEYMONKEY: (
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%y %I:%M:%S %p",
        "%m/%d/%y %I:%M %p",
        "%m/%d/%y %H:%M:%S",
        "%m/%d/%y %H:%M",
        "%m/%d/%Y",
        "%m/%d/%y",
    ),
    Layout.MICROSOFT_FORMS: (
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%y %H:%M:%S",
        "%m/%d/%y %H:%M",
        "%m/%d/%Y",
    ),
}
_DATE_EXAMPLE = {
    Layout.SURVEYMONKEY: "08/25/2022 03:47:12 PM",
    Layout.MICROSOFT_FORMS: "8/25/2022 15:47:12",
}
GENERIC_SUBS = frozenset({"", "response", "open ended response"})  # SurveyMonkey's row 2


@dataclass(frozen=True)
class FileColumn:
    """One column of a tool's file: where it is, its heading, and its row-2 label if any."""

    index: int
    heading: str
    sub: str = ""

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def name(self) -> str:
        """The column as problems name it: its heading (and label), then its letter."""
        label = f"{self.heading} / {self.sub}" if normalise(self.sub) not in GENERIC_SUBS else ""
        return f"{label or self.heading or 'no heading'} ({self.letter})"


@dataclass(frozen=True)
class ToolFile:
    """A tool's file read by its layout: its columns, and its data rows with their numbers."""

    layout: Layout
    columns: tuple[FileColumn, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def shape_of(file: ToolFile) -> str:
    """A digest of the file's layout and headings: files of the same shape (next quarter's
    export of the same survey) take the same mapping."""
    headings = "\x1e".join(f"{c.heading}\x1f{c.sub}" for c in file.columns)
    return hashlib.sha256(f"{file.layout.value}\x1d{headings}".encode()).hexdigest()


def detect(table: Table) -> Layout:
    """The layout whose own first columns the header row has; OWN when none does."""
    heads = {normalise(cell) for cell in table.header}
    if {"respondent id", "collector id"} <= heads:
        return Layout.SURVEYMONKEY
    if {"id", "start time", "completion time"} <= heads:
        return Layout.MICROSOFT_FORMS
    return Layout.OWN


def read_tool_file(table: Table, layout: Layout) -> ToolFile:
    """The columns and data rows of a tool's file (SurveyMonkey's row 2 is part of its header)."""
    rows = table.rows
    subs: Sequence[str] = ()
    if layout is Layout.SURVEYMONKEY and rows and rows[0][0] == 2:
        subs, rows = rows[0][1], rows[1:]
    width = max([len(table.header), len(subs), *(len(cells) for _, cells in rows)])
    columns = []
    heading = ""
    for index in range(width):
        own = table.header[index].strip() if index < len(table.header) else ""
        sub = subs[index].strip() if index < len(subs) else ""
        # SurveyMonkey heads a question once, over the first of its columns.
        spans = layout is Layout.SURVEYMONKEY
        heading = own or (heading if sub else "") if spans else own
        columns.append(FileColumn(index, heading, sub))
    return ToolFile(layout, tuple(columns), tuple(rows))


def own_column(layout: Layout, column: FileColumn) -> tuple[bool, str | None]:
    """Whether the column is one of the tool's own, and what it is (None: the response's date)."""
    known = _OWN_COLUMNS.get(layout, {})
    heading = normalise(column.heading)
    if heading in known:
        return True, known[heading]
    if layout is Layout.SURVEYMONKEY and heading.startswith("custom data"):
        return True, PERSONAL
    return False, None


def parse_tool_date(text: str, layout: Layout) -> dt.datetime:
    """A date written by the tool, in its own day/month order, UK time, as UTC."""
    value = " ".join(text.split())
    try:
        moment = dt.datetime.fromisoformat(value)  # a workbook's date cell, read as ISO 8601
    except ValueError:
        moment = _tool_format(value, layout)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment.astimezone(dt.UTC)


def _tool_format(value: str, layout: Layout) -> dt.datetime:
    for pattern in _DATE_FORMATS.get(layout, ()):
        try:
            return dt.datetime.strptime(value.upper(), pattern)
        except ValueError:
            continue
    raise ValueError(
        f"'{value[:60]}' is not a date as {layout.tool} writes them, month first "
        f"(like {_DATE_EXAMPLE.get(layout, '2026-01-31 14:05')})"
    )
