"""More than one machine: two gunicorn servers and a job worker on one PostgreSQL and one Redis,
as deploy/ sets them up. A session, its sign-out, a job and the sign-in limit hold across both.

Slow (about a minute): real servers started from the environment. PostgreSQL and Redis only.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from flask import Flask

from common.accounts import create_user
from common.database import db
from common.job_queue import make_huey
from tests.conftest import IN_CI, POSTGRESQL_ONLY
from tests.servers import job_worker, running_gunicorn, server_environment, stop
from tests.support import PASSWORD, make_consultation

pytestmark = [POSTGRESQL_ONLY, pytest.mark.slow]

# Database 11: no other test uses it (0, 1, 2 and 15 are taken); keys are this run's own too.
REDIS_URL = os.environ.get("TEST_MULTI_SERVER_REDIS_URL", "redis://127.0.0.1:6379/11")
SIGN_IN_LIMIT = 6
EMAIL = "officer@example.org"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HOME = "/officers/"


@dataclass(frozen=True)
class Service:
    """Two web servers' addresses behind no load balancer, as a test reaches them."""

    a: str
    b: str


def _reachable_redis() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        if IN_CI:
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {exc}", pytrace=False)
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {exc}")
    return REDIS_URL


@pytest.fixture
def service(app: Flask, tmp_path: Path) -> Iterator[Service]:
    """Servers A and B and one worker, sharing the database, sessions, queue and limits."""
    url = _reachable_redis()
    make_consultation()
    create_user(EMAIL, PASSWORD, "officer")
    db.session.commit()
    run = secrets.token_hex(4)
    settings = {
        "JOBS_URL": url,
        "JOBS_QUEUE_NAME": f"csp-two-servers-{run}",
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"csp-two-servers-{run}",
        "RESULTS_CACHE_URL": url,
        "SIGN_IN_RATE_LIMIT": f"{SIGN_IN_LIMIT} per minute",
    }
    env = server_environment(**settings)
    worker = job_worker(tmp_path, **settings)
    try:
        with ExitStack() as servers:
            a, _ = servers.enter_context(running_gunicorn(env, tmp_path / "a.log", workers=2))
            b, _ = servers.enter_context(running_gunicorn(env, tmp_path / "b.log", workers=2))
            yield Service(a, b)
    finally:
        stop(worker)
        make_huey(url, settings["JOBS_QUEUE_NAME"]).storage.flush_all()
        store = redis.Redis.from_url(url)
        for key in store.scan_iter(f"{settings['RATELIMIT_KEY_PREFIX']}*"):
            store.delete(key)
        db.session.remove()
        db.engine.dispose()  # the servers wrote behind this engine's back


def _client(base: str, session: str | None = None) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    if session is not None:
        client.cookies.set("session", session)
    return client


def _csrf(client: httpx.Client, url: str) -> str:
    shown = client.get(url)
    assert shown.status_code == 200, f"GET {url} gave {shown.status_code}"
    found = CSRF.search(shown.text)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def _sign_in(client: httpx.Client, password: str = PASSWORD) -> httpx.Response:
    token = _csrf(client, "/sign-in")
    return client.post("/sign-in", data={"email": EMAIL, "password": password, "csrf_token": token})


def _signed_in(client: httpx.Client) -> bool:
    shown = client.get(HOME)
    assert shown.status_code in (200, 302), shown.status_code
    return shown.status_code == 200


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_sessions_jobs_and_limits_hold_across_two_servers(service: Service) -> None:
    with _client(service.a) as on_a:
        assert _sign_in(on_a).status_code == 302, "sign-in on A failed"
        cookie = on_a.cookies["session"]
        with _client(service.b, cookie) as on_b:
            assert _signed_in(on_b), "A's session cookie is not signed in on B"

            # A job started on A is done by the worker and seen done on B.
            form = "/officers/consultations/safer-streets/import"
            rows = b"agree,area,worries\nYes,North,Speeding\nNo,South,Litter\nYes,North,\n"
            started = on_a.post(
                form,
                data={"csrf_token": _csrf(on_a, form), "channel": "paper"},
                files={"file": ("residents.csv", rows, "text/csv")},
            )
            assert started.is_redirect, _text(started.text)[:500]
            job_page = started.headers["location"]
            deadline, seen = time.monotonic() + 60, ""
            while "Imported 3 responses" not in seen:
                assert time.monotonic() < deadline, f"the worker did not do the job: {seen[:500]}"
                assert "Failed" not in seen, seen[:800]
                time.sleep(0.5)
                shown = on_b.get(job_page)
                assert shown.status_code == 200
                seen = _text(shown.text)

            # Signing out on A ends the session on B too.
            on_a.post("/sign-out", data={"csrf_token": _csrf(on_a, HOME)})
            assert not _signed_in(on_b), "B still takes a cookie signed out on A"

    # The sign-in limit counts attempts on both servers together: one sign-in above, then
    # failures in turn on A and B. Counted apart, each would allow SIGN_IN_LIMIT.
    with _client(service.a) as on_a, _client(service.b) as on_b:
        answers = [
            _sign_in(client, "wrong password").status_code
            for _ in range(SIGN_IN_LIMIT)
            for client in (on_a, on_b)
        ][: SIGN_IN_LIMIT + 1]
    assert answers == [200] * (SIGN_IN_LIMIT - 1) + [429, 429], answers
