"""Counts kept between reads, under the version of the answers they were counted from.

Counting a million responses takes seconds (survey.data.counting), so counts are cached with
Flask-Caching: in each process by default, in Redis when RESULTS_CACHE_URL says so. Each
consultation has a results version, a random token that `changed` replaces in the same
transaction as any change to what its results count: a response recorded or deleted, an
answer's themes coded, themes merged. A cached count is found only under the token it was
counted from, so a changed consultation is counted afresh and nothing is ever stale. This is
the one place results are cached, and `changed` the one way to make them count again.

Reading never writes: the token is read, and a consultation that never changed has none.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_caching import Cache
from sqlalchemy.dialects import postgresql, sqlite

from common.database import db, on_postgresql
from survey.data.models import ResultsVersion

cache = Cache()
_log = logging.getLogger(__name__)

T = TypeVar("T")


def _new_version(insert: Any) -> Any:
    """INSERT ... ON CONFLICT DO UPDATE of a consultation's token (both dialects have it)."""
    statement = insert(ResultsVersion).values(
        consultation_id=sa.bindparam("consultation_id"), token=sa.bindparam("token")
    )
    return statement.on_conflict_do_update(
        index_elements=[ResultsVersion.consultation_id],
        set_={"token": statement.excluded.token},
    )


# Built once: every recorded response runs it.
_NEW_VERSION = {
    "postgresql": _new_version(postgresql.insert),
    "sqlite": _new_version(sqlite.insert),
}


def changed(consultation_id: int) -> None:
    """Give the consultation a new results version, in the caller's transaction."""
    db.session.execute(
        _NEW_VERSION["postgresql" if on_postgresql() else "sqlite"],
        {"consultation_id": consultation_id, "token": secrets.token_hex(8)},
    )


def version(consultation_id: int) -> str:
    """The consultation's results version ('' if its answers never changed)."""
    token = db.session.scalar(
        sa.select(ResultsVersion.token).where(ResultsVersion.consultation_id == consultation_id)
    )
    return token or ""


def cached(consultation_id: int, what: str, count: Callable[[], T]) -> T:
    """`count()` of the consultation's current answers, counted once per results version.

    The version is read before counting: counts stored under it may be newer than it, never
    older, as any change after the read gives the consultation another version.
    """
    key = f"results:{consultation_id}:{version(consultation_id)}:{what}"
    try:
        found: T | None = cache.get(key)
    except Exception:  # a Redis cache down or not answering: count without it
        _log.exception("Results cache failed: %s counted afresh", key)
        return count()
    if found is None:
        found = count()
        try:
            cache.set(key, found)
        except Exception:
            _log.exception("Results cache failed: %s not kept", key)
    return found
