"""Fixtures: an app per test on SQLite and on PostgreSQL, the test client, the CLI runner.

Database tests run once per backend. PostgreSQL is chosen by TEST_DATABASE_URL; where it is
not set or not reachable those runs skip with the reason, except under CI=true, where they fail.

`make test` runs the suite in two pytest-xdist worker processes. Each keeps what it writes to
itself: its own PostgreSQL database, SQLite files and job queue file under its own temporary
folder (pytest gives each worker one), and the Redis keys each test names afresh.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from app import create_app
from common.database import db

IN_CI = os.environ.get("CI", "").lower() == "true"
# This process's pytest-xdist worker ("gw0", "gw1", ...), or "main" when run without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
BACKENDS = ["sqlite", "postgresql"]


def _postgres_server() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    reason = ""
    if not url:
        reason = "TEST_DATABASE_URL is not set"
    else:
        try:
            engine = sa.create_engine(url)
            with engine.connect():
                pass
            engine.dispose()
        except sa.exc.OperationalError as exc:
            reason = f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc.orig}"
    if reason:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)", pytrace=False)
        pytest.skip(reason)
    return url


_own_databases: list[sa.URL] = []


def _postgres_url() -> str:
    """A database of this test run's (and xdist worker's) own on the TEST_DATABASE_URL server,
    so that several runs at once (a developer's and CI's), or a run's two workers, never empty
    each other's tables."""
    if not _own_databases:
        server = sa.make_url(_postgres_server())
        name = f"{server.database or 'test'}_{WORKER}_{os.getpid()}_{secrets.token_hex(3)}"
        engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        _own_databases.append(server.set(database=name))
    return _own_databases[0].render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def _drop_own_databases() -> Iterator[None]:
    """Drop the run's own PostgreSQL database when the run ends."""
    yield
    for own in _own_databases:
        server = sa.make_url(os.environ["TEST_DATABASE_URL"])
        engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _own_job_queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Apps made from the environment (gunicorn, job workers, the browser tests' server,
    production-settings tests) keep their job queue in a file of this worker's own, not in the
    checkout's instance/jobs.sqlite3, which the other worker and `make run` would share."""
    queue = tmp_path_factory.mktemp("instance") / "jobs.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOBS_URL", f"sqlite:///{queue}")
        yield


@pytest.fixture(autouse=True)
def _counts_are_quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every count is quick, so reads always count the latest answers: whether a count is slow
    enough to be read from the last one (survey.data.result_cache) is otherwise a matter of
    how busy the machine is. tests/test_results_counted_earlier.py makes every count slow."""
    from survey.data import result_cache

    monkeypatch.setattr(result_cache, "SLOW_SECONDS", float("inf"))


def _config(url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": "localhost",
        # Tests sign in hundreds of times from one address; test_accounts_hardening turns
        # the limit on to test it.
        "RATELIMIT_ENABLED": False,
        # A job runs as it is enqueued, in the request; tests/test_jobs.py runs real workers.
        "JOBS_URL": "immediate",
        # LibreOffice numbers a draft's contents in seconds; tests/test_drafts.py turns it on.
        "FILL_DRAFT_CONTENTS": False,
    }


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Where each backend's test database is; its schema is built lazily by migrations."""
    return {"sqlite": "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")}


_migrated: set[str] = set()


def _migrate(url: str, backend: str) -> None:
    if url in _migrated:
        return
    app = create_app(_config(url))
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    _migrated.add(url)


def _empty_tables() -> None:
    """Empty every table a test filled, and start every id at 1 again.

    On PostgreSQL, TRUNCATE only the tables holding rows: truncating all forty cost about half a
    second each time (new files for every table), most of a small test's time, and a test fills
    a handful. TRUNCATE, not DELETE, so that rows come back in the order they were inserted
    (as tests reading without ORDER BY have always seen them).
    """
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        filled = db.session.scalars(
            sa.text(
                " UNION ALL ".join(
                    f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in tables
                )
            )
        ).all()
        if filled:
            db.session.execute(sa.text(f"TRUNCATE {', '.join(filled)} CASCADE"))
        restart = "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c WHERE c.relkind = 'S'"
        db.session.execute(sa.text(restart))  # a table emptied by the test keeps no count
    else:
        for name in tables:
            db.session.execute(sa.text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, database_urls: dict[str, str]) -> Iterator[Flask]:
    """A fresh app on an empty, migrated database, once per backend."""
    backend = request.param
    url = database_urls["sqlite"] if backend == "sqlite" else _postgres_url()
    _migrate(url, backend)
    application = create_app(_config(url))
    application.test_client_class = FreshGlobalsClient
    with application.app_context():
        _empty_tables()
        yield application
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The fixtures keep an app context open so tests can use the database; Flask reuses that
    context for requests, which would carry `g` (such as Flask-Login's signed-in user) from
    one request, or one client, to the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# For a test about what only PostgreSQL does (concurrent writers, a server that drops
# connections): run on PostgreSQL alone, rather than generated for SQLite and skipped.
POSTGRESQL_ONLY = pytest.mark.parametrize("app", ["postgresql"], indirect=True)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch):
    """Set the date the delivery commands and pages treat as today (1 August 2027 at first)."""

    def set_today(day: dt.date) -> None:
        import assembly.cli.delivery as cli
        import assembly.web.delivery as web
        import assembly.web.delivery_reports as reports

        monkeypatch.setattr(cli, "today", lambda: day)
        monkeypatch.setattr(web, "today", lambda: day)
        monkeypatch.setattr(reports, "today", lambda: day)

    set_today(dt.date(2027, 8, 1))
    return set_today
