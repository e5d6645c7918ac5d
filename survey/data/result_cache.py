"""Counts kept between reads, under the version of the answers they were counted from.

Counting a million responses takes seconds (survey.data.counting), so counts are cached with
Flask-Caching: in each process by default, in Redis when RESULTS_CACHE_URL says so. Each
consultation has a results version, a random token that `changed` replaces in the same
transaction as any change to what its results count: a response recorded or deleted, an
answer's themes coded, themes merged. A cached count is found only under the token it was
counted from, so a changed consultation is counted afresh. This is the one place results are
cached, and `changed` the one way to make them count again.

Everything shown is made from one count (the base: every cell of a cross-table). Where that
count is slow (at least SLOW_SECONDS: a large consultation), a changed consultation is not
counted while someone waits: reads use the version last counted, if it is at most
STALE_SECONDS old, and say when it was counted (`counted_earlier`); a job counts the new
version each minute (`recount`) where the cache is shared (RESULTS_CACHE_URL). Every figure
of a read comes from the one version, so the views of a page still agree with each other.

Reading never writes: the token is read, and a consultation that never changed has none.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_caching import Cache
from sqlalchemy.dialects import postgresql, sqlite

from common.database import db, on_postgresql, utcnow
from survey.data.models import ResultsVersion

cache = Cache()
_log = logging.getLogger(__name__)

T = TypeVar("T")

SLOW_SECONDS = 0.5  # a base count this slow is not made again while someone waits ...
STALE_SECONDS = 120  # ... if the last one is at most this old (the job counts each minute)


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


@dataclass(frozen=True)
class Counted:
    """A base count made: the version it counted, when, and how long it took."""

    version: str
    at: dt.datetime
    seconds: float


def cached(consultation_id: int, what: str, count: Callable[[], T], *, base: str) -> T:
    """`count()` of the consultation's answers, counted once per results version: the current
    version, or the one last counted while the current is being counted (see the module).

    `base` names the count everything else is made from (its key says which questions it
    counts); when `what` is the base, the count is timed and kept as the last counted. The
    version is read before counting: counts stored under it may be newer than it, never
    older, as any change after the read gives the consultation another version.
    """
    at = _reading(consultation_id, base)
    key = f"results:{consultation_id}:{at}:{what}"
    try:
        found: T | None = cache.get(key)
    except Exception:  # a Redis cache down or not answering: count without it
        _log.exception("Results cache failed: %s counted afresh", key)
        return count()
    if found is None:
        began = time.perf_counter()
        found = count()
        try:
            cache.set(key, found)
            if what == base:
                counted = Counted(at, utcnow(), time.perf_counter() - began)
                cache.set(_last_key(consultation_id, base), counted)
        except Exception:
            _log.exception("Results cache failed: %s not kept", key)
    return found


def counted_earlier(consultation_id: int, base: str) -> dt.datetime | None:
    """When the results read now were counted, if that was before the consultation's latest
    change (a large consultation, its newest count still to come); else None."""
    if _reading(consultation_id, base) == version(consultation_id):
        return None
    last: Counted | None = _safely(lambda: cache.get(_last_key(consultation_id, base)))
    return last.at if last is not None else None


def recount(consultation_id: int, base: str, count_all: Callable[[], Any]) -> bool:
    """Count a large consultation's changed results now (a background job), so that readers
    move to them: `count_all` reads what pages show, here counted at the current version.
    False when there is nothing to do: never counted, quick to count, or already current."""
    last: Counted | None = _safely(lambda: cache.get(_last_key(consultation_id, base)))
    if last is None or last.seconds < SLOW_SECONDS:
        return False
    current = version(consultation_id)
    if _safely(lambda: cache.has(f"results:{consultation_id}:{current}:{base}")):
        return False
    db.session.info["results_afresh"] = True
    try:
        count_all()
    finally:
        db.session.info["results_afresh"] = False
    return True


def _reading(consultation_id: int, base: str) -> str:
    """The version reads use now (the module says which), decided once per version in a
    database session (a request's or a job's), so that all of a page's figures come from the
    same one."""
    current = version(consultation_id)
    if db.session.info.get("results_afresh"):
        return current
    decided: dict[tuple[int, str, str], str] = db.session.info.setdefault("results_reading", {})
    found = decided.get((consultation_id, base, current))
    if found is None:
        found = decided[(consultation_id, base, current)] = _decide(consultation_id, base, current)
    return found


def _decide(consultation_id: int, base: str, current: str) -> str:
    if _safely(lambda: cache.has(f"results:{consultation_id}:{current}:{base}")):
        return current
    last: Counted | None = _safely(lambda: cache.get(_last_key(consultation_id, base)))
    if last is None or last.seconds < SLOW_SECONDS:
        return current
    age = (utcnow() - last.at).total_seconds()
    if age > STALE_SECONDS:
        return current
    if not _safely(lambda: cache.has(f"results:{consultation_id}:{last.version}:{base}")):
        return current
    return last.version


def _last_key(consultation_id: int, base: str) -> str:
    return f"results:{consultation_id}:last:{base}"


def _safely(read: Callable[[], Any]) -> Any:
    """A cache call, or None when the cache is down (results are then counted afresh)."""
    try:
        return read()
    except Exception:
        _log.exception("Results cache failed")
        return None
