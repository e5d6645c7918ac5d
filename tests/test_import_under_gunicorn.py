"""A 50,000-row import as an officer does it: uploaded to the README's gunicorn (its default
30-second worker timeout) with `flask jobs worker` beside it, watched on the job page to the end.

Slow (minutes): the worker records every row. PostgreSQL only, the production database.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from flask import Flask

from common.accounts import create_user
from common.database import db
from survey.data.models import Response
from tests.conftest import POSTGRESQL_ONLY
from tests.servers import gunicorn, job_worker, stop
from tests.support import PASSWORD, make_consultation

pytestmark = [POSTGRESQL_ONLY, pytest.mark.slow]

ROWS = 50_000
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ANSWERS = ("Yes", "No", "Don't know")
JOB_PAGE = re.compile(r"/officers/jobs/\d+$")


@pytest.fixture
def service(app: Flask, tmp_path: Path) -> Iterator[str]:
    """gunicorn and a job worker sharing the test's database and an SQLite job queue."""
    make_consultation()
    create_user("officer@example.org", PASSWORD, "officer")
    db.session.commit()
    queue = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    worker = job_worker(tmp_path, JOBS_URL=queue)
    try:
        yield from (base for base, _ in gunicorn(tmp_path, JOBS_URL=queue))
    finally:
        stop(worker)


def _csrf(client: httpx.Client, url: str) -> str:
    shown = client.get(url)
    assert shown.status_code == 200, f"GET {url} gave {shown.status_code}"
    found = CSRF.search(shown.text)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def _rows_file() -> bytes:
    lines = ["agree,area,worries"]
    areas = ("North", "South")
    lines += [f"{ANSWERS[n % 3]},{areas[n % 2]},Speeding on road {n % 97}" for n in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_50000_row_file_imports_through_the_browser_under_gunicorn(service: str) -> None:
    with httpx.Client(base_url=service, timeout=60, follow_redirects=False) as client:
        token = _csrf(client, "/sign-in")
        signed_in = client.post(
            "/sign-in",
            data={"email": "officer@example.org", "password": PASSWORD, "csrf_token": token},
        )
        assert signed_in.status_code == 302, "sign-in failed"
        form = "/officers/consultations/safer-streets/import"
        started = client.post(
            form,
            data={"csrf_token": _csrf(client, form), "channel": "paper"},
            files={"file": ("residents.csv", _rows_file(), "text/csv")},
        )
        # The request only stores the file and queues the job: it answers, well inside
        # gunicorn's worker timeout, with the job page to watch.
        assert started.is_redirect, _text(started.text)[:500]
        job_page = started.headers["location"]
        assert JOB_PAGE.search(job_page), job_page
        deadline = time.monotonic() + 900
        seen = ""
        while "Imported 50,000 responses" not in seen:
            assert time.monotonic() < deadline, f"the import did not finish: {seen[:500]}"
            assert "Failed" not in seen, seen[:800]
            time.sleep(2)
            shown = client.get(job_page)
            assert shown.status_code == 200
            seen = _text(shown.text)
    total = db.session.scalar(sa.select(sa.func.count(Response.id)))
    assert total == ROWS
