"""The GOV.UK date input as a WTForms field, and error summaries whose links reach real inputs.

The three boxes only say whether a date was typed in full, as numbers; whether it is a real
date is the core's `parse_date`, shared with the JSON loader and imports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field

PARTS = ("day", "month", "year")


class DateParts(Field):  # type: ignore[misc]
    """Day, month and year boxes; `iso` is YYYY-MM-DD once all three hold numbers."""

    widget = GovDateInput()

    def __init__(self, label: str, *, describes: str, required: bool = True, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.describes = describes
        self.must_be_given = required
        self.first_wrong = PARTS[0]
        self.iso: str | None = None

    def _value(self) -> str:
        return self.iso or ""

    def process_data(self, value: dt.date | None) -> None:
        self.data = value
        self.iso = value.isoformat() if value else None

    def process_formdata(self, valuelist: list[str]) -> None:
        day, month, year = ([v.strip() for v in valuelist] + ["", "", ""])[:3]
        self.raw_data = [day, month, year]
        self.data = None
        self.iso = None
        problem = self._problem(day, month, year)
        if problem:
            raise ValueError(problem)
        if year:
            self.iso = f"{year}-{int(month):02d}-{int(day):02d}"

    def _problem(self, day: str, month: str, year: str) -> str | None:
        given = dict(zip(PARTS, (day, month, year), strict=True))
        missing = [part for part, value in given.items() if not value]
        if len(missing) == len(PARTS):
            return f"Enter {self.describes}" if self.must_be_given else None
        if missing:
            self.first_wrong = missing[0]
            return f"{_capital(self.describes)} must include a {' and '.join(missing)}"
        for part, value in given.items():
            if not (value.isascii() and value.isdigit()):
                self.first_wrong = part
                return f"{_capital(self.describes)} must be a real date"
        if len(year) != 4:
            self.first_wrong = "year"
            return "Year must include 4 numbers"
        return None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def input_id(field: Field) -> str:
    """The id of the element an error summary link should move focus to for `field`."""
    if isinstance(field, DateParts):
        return f"{field.id}-{field.first_wrong}"
    return str(field.id)


def form_errors(form: FlaskForm) -> list[dict[str, str]]:
    """GOV.UK error summary entries for a form's fields, in page order, first error each."""
    return [
        {"text": field.errors[0], "href": "#" + input_id(field)} for field in form if field.errors
    ]
