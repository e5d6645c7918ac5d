"""Reading a GOV.UK date input (day, month and year fields) from a posted form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def posted_date(form: Mapping[str, str], name: str, label: str) -> tuple[dt.date | None, str]:
    """The date in fields NAME-day, NAME-month and NAME-year, or None and what is wrong."""
    parts = [form.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        return None, f"Enter {label}"
    if not all(part.isdigit() for part in parts):
        return None, f"{label[:1].upper()}{label[1:]} must be a real date, like 31 3 2027"
    day, month, year = (int(part) for part in parts)
    try:
        if year < 1000:
            raise ValueError
        return dt.date(year, month, day), ""
    except ValueError:
        return None, f"{label[:1].upper()}{label[1:]} must be a real date, like 31 3 2027"


def date_items(form: Mapping[str, str], name: str, error: bool) -> list[dict[str, Any]]:
    """The items of a govukDateInput, filled in with what was posted."""
    widths = {"day": 2, "month": 2, "year": 4}
    return [
        {
            "name": part,
            "label": part.capitalize(),
            "value": form.get(f"{name}-{part}", ""),
            "classes": f"govuk-input--width-{widths[part]}"
            + (" govuk-input--error" if error else ""),
        }
        for part in ("day", "month", "year")
    ]
