"""Jobs on a real queue: Huey consumers on SQLite and Redis storage, a worker killed half-way,
and the job page officers watch (db: each runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from huey.consumer import Consumer

from common import job_queue, jobs
from common.database import db, utcnow
from common.jobs import Job, JobState
from survey.data import themes
from survey.data.models import Channel, Response
from survey.jobs.imports import start_import
from tests.conftest import IN_CI
from tests.support import error_summary, heading, make_consultation, page, post_form, sign_in

ROOT = Path(__file__).resolve().parent.parent
SLUG = "safer-streets"
IMPORT_URL = f"/officers/consultations/{SLUG}/import"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
GOOD_FILE = b"agree,area\nYes,North\nNo,South\nDon't know,North\n"


class QuietConsumer(Consumer):  # type: ignore[misc]
    """A consumer for a test: the test's own signal handlers stay as they are."""

    def _set_signal_handlers(self) -> None:
        pass


@pytest.fixture
def worker(app: Flask, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Real Huey workers (threads) on the queue's storage the test is parametrised with."""
    storage = getattr(request, "param", "sqlite")
    if storage == "redis":
        url = _reachable_redis()
        app.config["JOBS_QUEUE_NAME"] = f"csp-test-{secrets.token_hex(4)}"
    else:
        url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    app.config["JOBS_URL"] = url
    job_queue.init_app(app)
    queue = job_queue.queue()
    consumer = QuietConsumer(queue.huey, workers=2, worker_type="thread", periodic=False)
    consumer.start()
    try:
        yield storage
    finally:
        consumer.stop(graceful=True)
        queue.huey.storage.flush_all()


def _reachable_redis() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        if IN_CI:
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {exc}", pytrace=False)
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {exc}")
    return REDIS_URL


def finished(job_id: int, seconds: float = 60) -> Job:
    """The job once a worker has finished it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        job = jobs.job_by_id(job_id)
        assert job is not None
        if job.finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {seconds}s: {job.state}, {job.step}")


def response_total() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(Response.id))) or 0


def upload(client: FlaskClient, data: bytes, name: str) -> object:
    return post_form(
        client,
        IMPORT_URL,
        {"file": (io.BytesIO(data), name), "channel": "paper"},
        content_type="multipart/form-data",
    )


# A real queue.


@pytest.mark.parametrize("worker", ["sqlite", "redis"], indirect=True)
def test_a_worker_imports_what_the_officer_uploaded_and_the_page_says_so(
    client: FlaskClient, worker: str
) -> None:
    make_consultation()
    sign_in(client, "officer")
    started = upload(client, GOOD_FILE, "paper.csv")
    assert started.status_code == 303
    job_id = int(started.headers["Location"].rsplit("/", 1)[1])
    job = finished(job_id)
    assert job.state == JobState.DONE, job.summary
    assert response_total() == 3
    shown = client.get(started.headers["Location"])
    assert heading(shown) == f"Job {job_id} Import responses to Safer streets from paper.csv"
    assert "Imported 3 responses to 'safer-streets' from paper.csv" in page(shown).get_text()
    assert page(shown).find("meta", attrs={"http-equiv": "refresh"}) is None


@pytest.mark.parametrize("worker", ["sqlite", "redis"], indirect=True)
def test_a_worker_refuses_a_bad_file_whole_and_lists_every_problem(
    client: FlaskClient, worker: str
) -> None:
    make_consultation()
    sign_in(client, "officer")
    started = upload(client, b"agree,area\nYes,East\nPerhaps,North\n", "bad.csv")
    job = finished(int(started.headers["Location"].rsplit("/", 1)[1]))
    assert job.state == JobState.FAILED
    assert job.summary == "bad.csv: nothing imported: 2 problems"
    assert [p["text"] for p in job.problems] == [
        "row 2, column 'area': 'East' is not one of the options (North, South)",
        "row 3, column 'agree': 'Perhaps' is not one of the options (Yes, No, Don't know)",
    ]
    assert response_total() == 0
    shown = client.get(started.headers["Location"])
    assert error_summary(shown) == [p["text"] for p in job.problems]


def test_a_job_is_done_once_though_the_queue_delivers_it_twice(app: Flask, worker: str) -> None:
    consultation = make_consultation()
    job = start_import(consultation, GOOD_FILE, "twice.csv", Channel.PAPER)
    db.session.commit()
    job_queue.enqueue(job)
    job_queue.enqueue(job)
    assert finished(job.id).state == JobState.DONE
    time.sleep(0.3)  # the second delivery finds the job no longer queued
    assert response_total() == 3


# A worker killed half-way.


def _big_file(rows: int) -> bytes:
    lines = ["agree,area,worries"]
    lines += [f"Yes,North,Speeding cars on the main road number {n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _worker_process(app: Flask, env: dict[str, str]) -> subprocess.Popen[bytes]:
    environment = os.environ | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JOBS_URL": app.config["JOBS_URL"],
        "SECRET_KEY": "test-secret-key",
        "FLASK_APP": "app",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", "--workers", "1"],
        cwd=ROOT,
        env=environment | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _recording(job_id: int) -> bool:
    """Whether the import has begun writing its responses (its transaction is open)."""
    db.session.rollback()
    job = jobs.job_by_id(job_id)
    assert job is not None and job.state != JobState.FAILED, job and job.summary
    if db.engine.dialect.name == "sqlite":
        # SQLite: progress cannot be written while the import holds the write lock, so ask
        # for the lock instead; refused means the import is writing.
        return job.state == JobState.RUNNING and not jobs.write_apart(
            job_id, {"heartbeat_at": utcnow()}, skip_if_locked=True
        )
    return job.step == "Recording responses" and job.rows_done > 0


def test_a_worker_killed_mid_import_saves_nothing_and_the_job_is_reported_failed(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    consultation = make_consultation()
    themes.ensure_themes(consultation)  # so the import's first write is its first response
    db.session.commit()
    app.config["JOBS_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    job_queue.init_app(app)
    job = start_import(consultation, _big_file(20_000), "big.csv", Channel.PAPER)
    db.session.commit()
    job_queue.enqueue(job)
    process = _worker_process(app, {})
    try:
        deadline = time.monotonic() + 120
        while not _recording(job.id):
            assert time.monotonic() < deadline, "the import never began recording"
            assert process.poll() is None, process.stdout.read()  # type: ignore[union-attr]
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert response_total() == 0
    assert jobs.job_by_id(job.id).state == JobState.RUNNING  # type: ignore[union-attr]
    # The next worker to start finds the job's lease run out, and reports it failed.
    time.sleep(1.1)
    process = _worker_process(app, {"JOBS_LEASE_SECONDS": "1"})
    try:
        line = process.stdout.readline().decode()  # type: ignore[union-attr]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    assert line.startswith("Marked 1 job(s) failed"), line
    failed = finished(job.id, seconds=1)
    assert failed.state == JobState.FAILED and failed.summary == jobs.STALE
    assert failed.input is None
    assert response_total() == 0
    sign_in(client, "officer")
    shown = client.get(f"/officers/jobs/{job.id}")
    assert jobs.STALE in page(shown).select_one(".govuk-error-summary").get_text()


# The page officers watch.


def _running_job(**changes: object) -> Job:
    consultation = make_consultation()
    job = start_import(consultation, GOOD_FILE, "paper.csv", Channel.PAPER)
    job.state = JobState.RUNNING.value
    job.step = "Recording responses"
    job.rows_done, job.rows_total = 1500, 50_000
    job.started_at = job.heartbeat_at = utcnow()
    for name, value in changes.items():
        setattr(job, name, value)
    db.session.commit()
    return job


def test_the_job_page_shows_the_step_and_rows_read_and_refreshes_itself(
    client: FlaskClient,
) -> None:
    job = _running_job()
    sign_in(client, "officer")
    shown = client.get(f"/officers/jobs/{job.id}")
    assert shown.status_code == 200
    assert page(shown).select_one(".govuk-tag").get_text(strip=True) == "Running"
    progress = page(shown).select_one("#progress").get_text(strip=True)
    assert progress == "Recording responses: 1,500 of 50,000 rows"
    refresh = page(shown).find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None and refresh["content"] == "2"
    # Only without JavaScript: with it, the page's script updates the progress in place.
    assert refresh.find_parent("noscript") is not None
    assert page(shown).select_one("script[src$='/job_progress.js']") is not None
    assert page(shown).select_one("[data-app-job-running='2'] #progress") is not None
    assert error_summary(shown) == []


def test_a_job_whose_worker_went_quiet_is_shown_failed_and_then_marked_so(
    app: Flask, client: FlaskClient
) -> None:
    long_ago = utcnow() - dt.timedelta(hours=1)
    job = _running_job(heartbeat_at=long_ago)
    sign_in(client, "officer")
    shown = client.get(f"/officers/jobs/{job.id}")
    assert page(shown).title.get_text().startswith("Error: ")
    assert jobs.STALE in page(shown).select_one(".govuk-error-summary").get_text()
    assert page(shown).find("meta", attrs={"http-equiv": "refresh"}) is None
    assert jobs.job_by_id(job.id).state == JobState.RUNNING  # type: ignore[union-attr]
    assert jobs.fail_stale_jobs() == 1  # what the worker does every minute
    db.session.commit()
    assert jobs.job_by_id(job.id).state == JobState.FAILED  # type: ignore[union-attr]


def test_only_officers_see_jobs_and_unknown_ones_are_not_found(
    app: Flask, client: FlaskClient
) -> None:
    job = _running_job()
    sign_in(client, "councillor")
    assert client.get(f"/officers/jobs/{job.id}").status_code == 403
    officer = app.test_client()
    sign_in(officer, "officer")
    assert officer.get(f"/officers/jobs/{job.id + 1}").status_code == 404
    assert officer.get(f"/officers/jobs/{job.id}/output").status_code == 404


def test_jobs_show_prints_a_jobs_state_and_problems(app: Flask, tmp_path: Path) -> None:
    make_consultation()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"agree\nMaybe\n")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["responses", "import", SLUG, str(bad)]).exit_code == 1
    job_id = db.session.scalar(sa.select(sa.func.max(Job.id)))
    shown = runner.invoke(args=["jobs", "show", str(job_id)])
    assert shown.output.splitlines() == [
        "Import responses to Safer streets from bad.csv: failed",
        "bad.csv: nothing imported: row 2, column 'agree': 'Maybe' is not one of the options "
        "(Yes, No, Don't know)",
        "  row 2, column 'agree': 'Maybe' is not one of the options (Yes, No, Don't know)",
    ]
