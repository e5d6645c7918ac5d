"""Today's date where the partnership is, for deciding whether a consultation is open."""

from __future__ import annotations

import datetime as dt

from common.display import LOCAL_ZONE


def today() -> dt.date:
    """The date now in the UK."""
    return dt.datetime.now(LOCAL_ZONE).date()


def midday_on(day: dt.date) -> dt.datetime:
    """Midday UK time on `day`, in UTC: a moment for a response known only by its date.

    Midday, not midnight, so the date stays the same in UTC as in the UK, summer or winter.
    """
    return dt.datetime.combine(day, dt.time(12), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)
