"""The layouts survey tools export responses in, recognised from the file's own headings.

Pure core. Each tool's module (one per tool) says, from that tool's published description,
how its headings are laid out, which of its own columns hold personal data (never stored) or
the tool's bookkeeping (left out), which column says when a response was made, and how it
writes dates: in the tool's own day/month order, never guessed row by row. Everything else
(matching columns to questions, answers to options) is the same for every tool.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from common.display import LOCAL_ZONE
from common.spreadsheets import Table
from survey.core.column_matching import normalise
from survey.core.tool_layouts.citizen_space import CITIZEN_SPACE
from survey.core.tool_layouts.limesurvey import LIMESURVEY
from survey.core.tool_layouts.microsoft_forms import FORMS
from survey.core.tool_layouts.smartsurvey import SMARTSURVEY
from survey.core.tool_layouts.surveymonkey import CONDENSED, EXPANDED
from survey.core.tool_layouts.tool import (
    BOOKKEEPING,
    CONTACT_HEADINGS,
    DATE_EXAMPLES,
    GENERIC_SUBS,
    PERSONAL,
    SUBMITTED_AT,
    DateOrder,
    FileColumn,
    Tool,
    date_formats,
    split_heading,
)

__all__ = [
    "BOOKKEEPING",
    "GENERIC_SUBS",
    "PERSONAL",
    "SUBMITTED_AT",
    "DateOrder",
    "FileColumn",
    "Layout",
    "ToolFile",
    "detect",
    "header_rows",
    "own_column",
    "parse_tool_date",
    "read_tool_file",
    "shape_of",
]


class Layout(StrEnum):
    """Who made the file: this service (its own format) or a survey tool."""

    OWN = "own"
    SURVEYMONKEY = "surveymonkey"
    SURVEYMONKEY_CONDENSED = "surveymonkey_condensed"
    MICROSOFT_FORMS = "microsoft_forms"
    LIMESURVEY = "limesurvey"
    SMARTSURVEY = "smartsurvey"
    CITIZEN_SPACE = "citizen_space"

    @property
    def tool(self) -> str:
        """The tool's name as people know it."""
        return TOOLS[self].name if self in TOOLS else "this service's own format"

    @property
    def rules(self) -> Tool:
        return TOOLS[self]


# In the order files are recognised: LimeSurvey's own columns include Citizen Space's pair.
TOOLS: dict[Layout, Tool] = {
    Layout.SURVEYMONKEY: EXPANDED,
    Layout.SURVEYMONKEY_CONDENSED: CONDENSED,
    Layout.MICROSOFT_FORMS: FORMS,
    Layout.LIMESURVEY: LIMESURVEY,
    Layout.SMARTSURVEY: SMARTSURVEY,
    Layout.CITIZEN_SPACE: CITIZEN_SPACE,
}


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
    """The layout whose own columns the header row has; OWN when none does."""
    heads = {normalise(cell) for cell in table.header}
    for layout, tool in TOOLS.items():
        if tool.recognises(heads):
            if tool is EXPANDED and not header_rows(table, EXPANDED):
                return Layout.SURVEYMONKEY_CONDENSED  # no row of labels: a column a question
            return layout
    return Layout.OWN


def header_rows(table: Table, tool: Tool | None = None) -> int:
    """How many rows under the heading row label the columns (not responses): those up to the
    tool's number whose own first column (its response's ID) is blank."""
    tool = tool or (TOOLS[detect(table)] if detect(table) is not Layout.OWN else None)
    if tool is None or not tool.label_rows:
        return 0
    count = 0
    for number, cells in table.rows[: tool.label_rows]:
        if number != count + 2 or (cells and cells[0].strip()) or not any(cells):
            break
        count += 1
    return count


def read_tool_file(table: Table, layout: Layout) -> ToolFile:
    """The columns and data rows of a tool's file (its label rows are part of its header)."""
    tool = TOOLS[layout]
    labels = header_rows(table, tool)
    label_rows = [cells for _, cells in table.rows[:labels]]
    rows = table.rows[labels:]
    width = max([len(table.header), *(len(cells) for _, cells in table.rows)])
    columns = []
    heading = ""
    for index in range(width):
        own = table.header[index].strip() if index < len(table.header) else ""
        subs = [r[index].strip() for r in label_rows if index < len(r) and r[index].strip()]
        sub = subs[-1] if subs else ""
        if tool.spans and not own:  # a question headed once, over the first of its columns
            own = heading if sub else ""
        question, inner = split_heading(tool, own)
        heading = own
        columns.append(FileColumn(index, question, inner or sub))
    return ToolFile(layout, tuple(columns), tuple(rows))


def own_column(layout: Layout, column: FileColumn) -> tuple[bool, str | None]:
    """Whether the column is one of the tool's own, and what it is (None: the response's date)."""
    tool = TOOLS[layout]
    heading = normalise(column.heading)
    if column.sub and tool.sub_in_heading:
        heading = normalise(f"{column.heading} {column.sub}")
    if heading in tool.own_columns:
        return True, tool.own_columns[heading]
    for prefix, what in tool.own_prefixes.items():
        if heading.startswith(prefix):
            return True, what
    if tool.contact_headings and heading in CONTACT_HEADINGS:
        return True, PERSONAL
    return False, None


def parse_tool_date(text: str, layout: Layout, order: DateOrder | None = None) -> dt.datetime:
    """A date written by the tool, in its own day/month order (or `order`), UK time, as UTC."""
    tool = TOOLS[layout]
    order = order or tool.date_order
    value = " ".join(text.split())
    try:
        moment = dt.datetime.fromisoformat(value)  # a workbook's date cell, read as ISO 8601
    except ValueError:
        moment = _in_order(value, tool, order)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment.astimezone(dt.UTC)


def _in_order(value: str, tool: Tool, order: DateOrder) -> dt.datetime:
    for pattern in date_formats(order):
        try:
            return dt.datetime.strptime(value.upper(), pattern)
        except ValueError:
            continue
    example = tool.example if order is tool.date_order else DATE_EXAMPLES[order]
    raise ValueError(
        f"'{value[:60]}' is not a date as {tool.name} writes them, {order.value} (like {example})"
    )
