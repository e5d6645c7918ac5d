"""Today's date where the partnership is, for deciding whether a consultation is open."""

from __future__ import annotations

import datetime as dt

from survey.display import LOCAL_ZONE


def today() -> dt.date:
    """The date now in the UK."""
    return dt.datetime.now(LOCAL_ZONE).date()
