"""What every survey tool's layout says about its file: the shared shape of one tool's rules.

Pure core. A `Tool` names the tool's own columns (personal data, never stored; bookkeeping,
left out; the response's date), the headings that recognise its files, how it writes dates
(in one day/month order, never guessed row by row) and how it heads a question spread over
several columns. Each tool's module fills one in from that tool's published description.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from common.spreadsheets import column_letter
from survey.core.column_matching import normalise

PERSONAL = "personal data, never stored"
BOOKKEEPING = "the survey tool's own bookkeeping, not an answer"
SUBMITTED_AT = "submitted_at"
GENERIC_SUBS = frozenset({"", "response", "open ended response"})  # SurveyMonkey's row 2

# Headings that name a person or how to reach them, whatever the tool: never stored.
CONTACT_HEADINGS = frozenset(
    {
        "name",
        "full name",
        "first name",
        "last name",
        "surname",
        "email",
        "email address",
        "e mail",
        "e mail address",
        "ip address",
        "telephone",
        "telephone number",
        "phone",
        "phone number",
        "address",
        "postal address",
    }
)


class DateOrder(StrEnum):
    """The order a tool writes a date's day, month and year in."""

    MONTH_FIRST = "month first"
    DAY_FIRST = "day first"
    YEAR_FIRST = "year first"


_TIMES = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p", "")
_DATES = {
    DateOrder.MONTH_FIRST: ("%m/%d/%Y", "%m/%d/%y"),
    DateOrder.DAY_FIRST: ("%d/%m/%Y", "%d/%m/%y"),
    DateOrder.YEAR_FIRST: ("%Y-%m-%d", "%Y/%m/%d"),
}
DATE_EXAMPLES = {
    DateOrder.MONTH_FIRST: "08/25/2022 03:47:12 PM",
    DateOrder.DAY_FIRST: "25/08/2022 15:47:12",
    DateOrder.YEAR_FIRST: "2022-08-25 15:47:12",
}


def date_formats(order: DateOrder) -> tuple[str, ...]:
    """Every strptime pattern of a date in this order, with or without a time."""
    return tuple(f"{day} {time}".strip() for day in _DATES[order] for time in _TIMES)


@dataclass(frozen=True)
class Tool:
    """One survey tool's export layout, as its published description gives it."""

    name: str
    own_columns: Mapping[str, str | None]  # normalised heading: PERSONAL, BOOKKEEPING, None=date
    signature: tuple[frozenset[str], ...]  # any one of these heading sets recognises the file
    date_order: DateOrder
    date_example: str = ""
    label_rows: int = 0  # rows under the heading row that label a question's columns
    spans: bool = False  # a question heading stands over the first of its columns only
    own_prefixes: Mapping[str, str] = field(default_factory=dict)  # heading starts: what it is
    contact_headings: bool = False  # names, emails, addresses under any heading: personal
    sub_in_heading: bool = False  # "Question [Option]" headings (LimeSurvey)
    numbered_headings: bool = False  # "Q1. Question" headings (SmartSurvey)
    other_in_answer: bool = False  # "Other" text written in place of the word (Forms)

    def recognises(self, headings: set[str]) -> bool:
        return any(wanted <= headings for wanted in self.signature)

    @property
    def example(self) -> str:
        return self.date_example or DATE_EXAMPLES[self.date_order]


@dataclass(frozen=True)
class FileColumn:
    """One column of a tool's file: where it is, its heading, and its label if any."""

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


_SUB_HEADING = re.compile(r"^(?P<heading>.*?)\s*\[(?P<sub>[^\[\]]*)\]$", re.S)
_NUMBERED = re.compile(r"^Q\d+[.:)]?\s+", re.I)


def split_heading(tool: Tool, heading: str) -> tuple[str, str]:
    """A heading as (question, label): "Q [Sub]" headings carry their label with them."""
    text = heading.strip()
    if tool.numbered_headings:
        text = _NUMBERED.sub("", text)
    if tool.sub_in_heading:
        found = _SUB_HEADING.match(text)
        if found and found["heading"]:
            return found["heading"].strip(), found["sub"].strip()
    return text, ""
