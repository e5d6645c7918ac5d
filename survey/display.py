"""How numbers, dates and times are written, everywhere a person reads them.

The pages, the exports and (later) the Word drafts all format through these functions, so
they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # only `register_filters` needs Flask; the pure core formats through here too
    from flask import Flask

LOCAL_ZONE = ZoneInfo("Europe/London")


def number(value: int) -> str:
    """A whole number with thousands separators: 1,070."""
    return f"{value:,}"


def long_date(value: dt.date) -> str:
    """A date in GOV.UK style: 5 January 2026."""
    return f"{value.day} {value:%B %Y}"


def date_time(value: dt.datetime) -> str:
    """A moment in UK time, GOV.UK style: 5 January 2026 at 2:05pm."""
    local = value.astimezone(LOCAL_ZONE)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{long_date(local.date())} at {hour}:{local:%M}{suffix}"


def iso_timestamp(value: dt.datetime) -> str:
    """A moment as ISO 8601 in UTC, for files: 2026-01-05T14:05:00+00:00."""
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 response', '2 responses', '1,070 responses'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{number(count)} {word}"


def register_filters(app: Flask) -> None:
    """Make the formatting functions available to templates."""
    app.add_template_filter(number)
    app.add_template_filter(long_date)
    app.add_template_filter(date_time)
    app.add_template_filter(plural)
