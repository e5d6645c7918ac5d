"""Load and faults: a real gunicorn server, many residents at once, and a SIGKILL mid-load.

Each test starts gunicorn (several sync workers, production mode) on the test's own database,
SQLite in WAL mode or PostgreSQL, and drives it from concurrent clients that walk the real
journey (question pages, check answers, submit, confirmation). A submission counts as
acknowledged only when the resident has seen their reference on the confirmation page.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from flask import Flask

from common.database import db
from survey.data.models import Answer, Response
from tests.conftest import IN_CI
from tests.servers import gunicorn
from tests.support import make_consultation

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 16
SUBMISSIONS = 512
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE = re.compile(r'class="app-reference">([^<]+)<')
QUESTIONS = [
    {"key": "agree", "type": "agreement", "text": "Do you agree with the priorities?"},
    {
        "key": "area",
        "type": "single_choice",
        "text": "Where do you live?",
        "options": ["North", "South"],
        "breakdown": True,
    },
]
ANSWERS = {"agree": "Yes", "area": "South"}


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    references: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def server(app: Flask, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn with 4 sync workers on the test's database, and its base URL."""
    # Every client here shares 127.0.0.1, which a per-address limit meant for real
    # residents would throttle; these tests are about losing nothing under load.
    yield from _gunicorn(tmp_path, SUBMISSION_RATE_LIMIT="100000 per minute")


def _gunicorn(tmp_path: Path, **settings: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn on the test's database, serving a consultation of QUESTIONS; its address."""
    consultation = make_consultation(questions=QUESTIONS)
    db.session.commit()
    for base, process in gunicorn(tmp_path, **settings):
        yield f"{base}/consultations/{consultation.slug}", process


def _resident(client: httpx.Client, base: str) -> str:
    """One resident's whole journey; returns the reference shown at the end."""
    client.cookies.clear()
    url = f"{base}/questions/{QUESTIONS[0]['key']}"
    for question in QUESTIONS:
        page = client.get(url)
        assert page.status_code == 200, f"GET {url}: {page.status_code}"
        token = CSRF.search(page.text)
        assert token, f"no CSRF token on {url}"
        sent = client.post(
            url, data={"answer": ANSWERS[str(question["key"])], "csrf_token": token.group(1)}
        )
        assert sent.status_code == 302, f"POST {url}: {sent.status_code}"
        url = str(client.base_url.join(sent.headers["location"]))
    check = client.get(f"{base}/check")
    token = CSRF.search(check.text)
    assert check.status_code == 200 and token, "check page"
    submitted = client.post(f"{base}/check", data={"csrf_token": token.group(1)})
    assert submitted.status_code == 302, f"submit: {submitted.status_code}"
    confirmation = client.get(client.base_url.join(submitted.headers["location"]))
    reference = REFERENCE.search(confirmation.text)
    assert reference, "no reference on the confirmation page"
    return reference.group(1)


def _clients(base: str, per_client: int, tally: Tally, stop: threading.Event) -> None:
    def work() -> None:
        root = base.split("/consultations/")[0]
        with httpx.Client(base_url=root, timeout=30) as client:
            for _ in range(per_client):
                if stop.is_set():
                    return
                try:
                    reference = _resident(client, base)
                except (AssertionError, httpx.HTTPError) as exc:
                    with tally.lock:
                        tally.failures.append(repr(exc))
                    if stop.is_set():
                        return
                    continue
                with tally.lock:
                    tally.references.append(reference)

    threads = [threading.Thread(target=work) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)


def _stored() -> dict[str, int]:
    """Every stored response's reference and how many answers it has."""
    rows = db.session.execute(
        sa.select(Response.reference, sa.func.count(Answer.id))
        .outerjoin(Answer, Answer.response_id == Response.id)
        .group_by(Response.reference)
    )
    return {reference: n for reference, n in rows}


def test_hundreds_of_concurrent_submissions_are_each_stored_once(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, _ = server
    tally = Tally()
    _clients(base, SUBMISSIONS // CLIENTS, tally, threading.Event())
    assert tally.failures == []
    assert len(tally.references) == SUBMISSIONS
    stored = _stored()
    assert len(stored) == SUBMISSIONS  # exactly that many, no more
    assert sorted(stored) == sorted(tally.references)  # distinct, and the ones residents saw
    assert set(stored.values()) == {len(QUESTIONS)}


def test_a_server_killed_mid_load_keeps_every_acknowledged_response_whole(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, process = server
    tally, stop = Tally(), threading.Event()
    load = threading.Thread(target=_clients, args=(base, 1000, tally, stop))
    load.start()
    deadline = time.monotonic() + 120
    while len(tally.references) < 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # no clean shutdown: master and workers at once
    process.wait(timeout=30)
    stop.set()
    load.join(timeout=120)
    assert len(tally.references) >= 100, f"too few submissions before the kill: {tally.failures}"
    assert tally.failures, "the kill should have interrupted some residents"
    stored = _stored()
    missing = set(tally.references) - set(stored)
    assert not missing, f"acknowledged but not stored: {sorted(missing)}"
    partial = {ref: n for ref, n in stored.items() if n != len(QUESTIONS)}
    assert not partial, f"responses stored without all their answers: {partial}"


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SHARED_LIMIT = 12  # submissions a minute from one address, across all four workers


@pytest.fixture
def redis_limited_server(
    app: Flask, tmp_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn whose workers keep their rate-limit counts in Redis, under a prefix of its own."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis is not reachable at {REDIS_URL} ({exc})"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the shared rate-limit test must run)", pytrace=False)
        pytest.skip(reason)
    prefix = f"csp-test-{uuid.uuid4().hex}"
    yield from _gunicorn(
        tmp_path,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        SUBMISSION_RATE_LIMIT=f"{SHARED_LIMIT} per minute",
    )
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_with_redis_storage_the_submission_limit_holds_across_workers(
    redis_limited_server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    # In memory each of the 4 workers would count on its own and let through up to 4 times
    # the limit; with RATELIMIT_STORAGE_URI=redis://... they share one count per address.
    base, _ = redis_limited_server
    statuses: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        root = base.split("/consultations/")[0]
        with httpx.Client(base_url=root, timeout=30) as client:
            for _ in range(4):
                client.cookies.clear()
                for question in QUESTIONS:
                    url = f"{base}/questions/{question['key']}"
                    token = CSRF.search(client.get(url).text)
                    assert token, f"no CSRF token on {url}"
                    data = {"answer": ANSWERS[str(question["key"])], "csrf_token": token.group(1)}
                    assert client.post(url, data=data).status_code == 302
                token = CSRF.search(client.get(f"{base}/check").text)
                assert token, "no CSRF token on the check page"
                sent = client.post(f"{base}/check", data={"csrf_token": token.group(1)})
                with lock:
                    statuses.append(sent.status_code)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(statuses) == 32
    assert statuses.count(302) == SHARED_LIMIT  # accepted: exactly the limit, not 4 times it
    assert statuses.count(429) == 32 - SHARED_LIMIT
    assert len(_stored()) == SHARED_LIMIT
