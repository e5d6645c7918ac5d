"""Health checks: /health/live answers while the process runs; /health/ready says 503, and
why, when the database, a configured Redis or the job queue cannot be reached; a Redis that
accepts connections and never answers costs REDIS_TIMEOUT_MS, not a worker."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from common.database import db
from common.extensions import rate_limits
from survey.data import result_cache
from tests.support import post_form

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A local port that accepts connections and never answers (a hung Redis)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        yield silent.getsockname()[1]


def _closed_port() -> int:
    """A local port nothing listens on (a stopped server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_live_and_ready_answer_ok_when_all_is_well(client: FlaskClient) -> None:
    for url in ("/health", "/health/live", "/health/ready"):
        response = client.get(url)
        assert (response.status_code, response.json) == (200, {"status": "ok"}), url


def test_ready_checks_every_configured_redis(app: Flask, client: FlaskClient) -> None:
    app.config.update(RATELIMIT_STORAGE_URI=REDIS, JOBS_URL="redis://127.0.0.1:6379/1")
    assert client.get("/health/ready").json == {"status": "ok"}


def test_ready_fails_with_the_reason_when_the_database_is_down() -> None:
    down = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/nothing"
    broken = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": down,
            "JOBS_URL": "immediate",
        }
    )
    with broken.app_context():
        client = broken.test_client()
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response.json == {
            "status": "unavailable",
            "problems": ["database: not reachable (OperationalError)"],
        }
        assert client.get("/health/live").status_code == 200  # the process itself is fine
        assert client.get("/health").json == {"status": "ok"}  # as before: liveness
        db.engine.dispose()


def test_ready_fails_when_a_redis_is_stopped(app: Flask, client: FlaskClient) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json["problems"] == [
        "rate-limit counts (Redis): not reachable (ConnectionError)"
    ]
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no addresses given away


def test_ready_fails_quickly_when_a_redis_never_answers(
    app: Flask, client: FlaskClient, silent_port: int
) -> None:
    app.config["JOBS_URL"] = f"redis://127.0.0.1:{silent_port}/1"
    app.config["REDIS_TIMEOUT_MS"] = 30
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json["problems"] == ["job queue (Redis): timed out (TimeoutError)"]


def test_ready_fails_when_the_job_queue_file_cannot_be_opened(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    queue_file = made.extensions["job_queue"].huey.storage

    def unreadable(*args: object) -> int:
        raise sa.exc.OperationalError("SELECT", {}, Exception("unable to open database file"))

    monkeypatch.setattr(queue_file, "queue_size", unreadable)
    response = made.test_client().get("/health/ready")
    assert response.status_code == 503
    assert response.json["problems"] == ["job queue (file): not reachable (OperationalError)"]


def test_redis_timeouts_are_short_and_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS)
    monkeypatch.setenv("RESULTS_CACHE_URL", "redis://127.0.0.1:6379/2")
    made = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    pool = made.extensions["rate_limits"].limiter.storage.storage.connection_pool
    assert pool.connection_kwargs["socket_timeout"] == 0.05
    assert "socket_timeout=0.05" in made.config["CACHE_REDIS_URL"]
    monkeypatch.setenv("REDIS_TIMEOUT_MS", "80")
    made = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    pool = made.extensions["rate_limits"].limiter.storage.storage.connection_pool
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.08
    assert "socket_connect_timeout=0.08" in made.config["CACHE_REDIS_URL"]
    monkeypatch.setenv("REDIS_TIMEOUT_MS", "0.1")
    with pytest.raises(SystemExit, match="REDIS_TIMEOUT_MS must be a whole number of milli"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_a_silent_results_cache_still_shows_the_results(
    app: Flask, silent_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    app.config.update(
        CACHE_TYPE="RedisCache",
        CACHE_REDIS_URL=f"redis://127.0.0.1:{silent_port}/0?socket_timeout=0.03",
    )
    result_cache.cache.init_app(app)
    with caplog.at_level(logging.ERROR):
        assert result_cache.cached(1, "tally", lambda: 42, base="tally") == 42
    assert any("Results cache failed" in r.getMessage() for r in caplog.records)


def test_a_silent_rate_limit_redis_lets_sign_in_go_ahead(
    app: Flask, client: FlaskClient, silent_port: int
) -> None:
    app.config.update(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{silent_port}/0"
    )
    rate_limits.init_app(app)
    data = {"email": "nobody@example.org", "password": "not the password"}
    assert post_form(client, "/sign-in", data).status_code == 200
