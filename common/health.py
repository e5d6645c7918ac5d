"""Health checks for load balancers and orchestrators.

`/health/live`: the process is up and answering (restart it when this fails).
`/health/ready`: it can serve people: the database answers, and so does every Redis the
configuration names (rate-limit counts, results cache, job queue); 503 with a short reason per
failure when not, so a load balancer sends traffic elsewhere. `/health` stays what it always
was, the liveness answer, for load balancers already pointed at it.
"""

from __future__ import annotations

from collections.abc import Iterator

import redis
import sqlalchemy as sa
from flask import Blueprint, Flask, current_app
from flask.typing import ResponseReturnValue

from common.database import db
from common.job_queue import IMMEDIATE, jobs_url, queue
from common.settings import redis_timeout

bp = Blueprint("health", __name__)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


@bp.get("/health")
@bp.get("/health/live")
def live() -> ResponseReturnValue:
    """The process answers: nothing else is checked (also the benchmarks' ceiling)."""
    return {"status": "ok"}


@bp.get("/health/ready")
def ready() -> ResponseReturnValue:
    """Whether this server can serve requests now: 200, or 503 naming what is not reachable."""
    problems = [problem for problem in _problems() if problem]
    if problems:
        return {"status": "unavailable", "problems": problems}, 503
    return {"status": "ok"}


def _problems() -> Iterator[str | None]:
    yield _database()
    for what, url in _redis_urls(current_app):
        yield _redis(what, url)
    yield _job_queue_file()


def _database() -> str | None:
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as exc:
        return _failed("database", exc)
    return None


def _redis_urls(app: Flask) -> list[tuple[str, str]]:
    """(what for, address) of every Redis the configuration uses."""
    found = []
    limits = str(app.config.get("RATELIMIT_STORAGE_URI", ""))
    if limits.startswith(REDIS_SCHEMES):
        found.append(("rate-limit counts (Redis)", limits))
    if app.config.get("CACHE_TYPE") == "RedisCache":
        found.append(("results cache (Redis)", str(app.config["CACHE_REDIS_URL"])))
    jobs = jobs_url(app)
    if jobs.startswith(REDIS_SCHEMES):
        found.append(("job queue (Redis)", jobs))
    return found


def _redis(what: str, url: str) -> str | None:
    """Ping one Redis, waiting no longer than REDIS_TIMEOUT_MS for it."""
    timeout = redis_timeout(current_app)
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    except Exception as exc:
        return _failed(what, exc)
    finally:
        client.close()
    return None


def _job_queue_file() -> str | None:
    """The job queue kept in an SQLite file (the default) can be read."""
    url = jobs_url(current_app)
    if url == IMMEDIATE or url.startswith(REDIS_SCHEMES):
        return None
    try:
        queue().huey.pending_count()
    except Exception as exc:
        return _failed("job queue (file)", exc)
    return None


def _failed(what: str, exc: Exception) -> str:
    """The short reason a caller sees (no addresses or passwords); the detail goes to the log."""
    current_app.logger.warning("Not ready: %s: %s", what, exc)
    reason = "timed out" if isinstance(exc, TimeoutError | redis.TimeoutError) else "not reachable"
    return f"{what}: {reason} ({type(exc).__name__})"
