"""The per-address limits on sign-in and submission: counted per address and per window,
refused with a page and a Retry-After, checked at start-up, and never in a resident's way
when their storage fails."""

from __future__ import annotations

import logging
import socket

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app, trust_proxies
from common.database import db
from common.display import wait_time
from common.extensions import rate_limits
from common.settings import redis_timeout
from survey.data.models import Draft, Response
from tests.support import make_consultation, post_form
from tests.test_residents_journey import BASE, answer_all


def _sign_in_attempt(client: FlaskClient, address: str) -> int:
    data = {"email": "nobody@example.org", "password": "not the password"}
    return post_form(client, "/sign-in", data, environ_base={"REMOTE_ADDR": address}).status_code


def _submit(client: FlaskClient) -> int:
    answer_all(client)
    return post_form(client, f"{BASE}/check").status_code


def test_each_address_has_its_own_count(app: Flask, client: FlaskClient) -> None:
    app.config.update(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="2 per minute")
    assert [_sign_in_attempt(client, "192.0.2.1") for _ in range(3)] == [200, 200, 429]
    assert _sign_in_attempt(client, "192.0.2.2") == 200  # another address: its own count
    assert _sign_in_attempt(client, "192.0.2.1") == 429


def test_sign_in_and_submission_are_counted_apart(app: Flask, client: FlaskClient) -> None:
    app.config.update(
        RATELIMIT_ENABLED=True,
        SIGN_IN_RATE_LIMIT="1 per minute",
        SUBMISSION_RATE_LIMIT="1 per minute",
    )
    make_consultation()
    assert _sign_in_attempt(client, "127.0.0.1") == 200
    assert _sign_in_attempt(client, "127.0.0.1") == 429
    assert _submit(client) == 302  # the sign-in count is not the submission's


def test_every_window_of_a_setting_counts(app: Flask, client: FlaskClient) -> None:
    # "per minute; per hour": the hour's limit holds even while the minute's is not reached.
    app.config.update(RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="5 per minute; 2 per hour")
    make_consultation()
    assert [_submit(client) for _ in range(2)] == [302, 302]
    answer_all(client)
    refused = post_form(client, f"{BASE}/check")
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 3540 < wait <= 3600  # the hour's window, not the minute's
    assert "Wait an hour, then go back and try again." in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(Draft.token))) == 1  # answers kept


def test_switched_off_nothing_is_refused(app: Flask, client: FlaskClient) -> None:
    app.config.update(RATELIMIT_ENABLED=False, SIGN_IN_RATE_LIMIT="1 per minute")
    assert [_sign_in_attempt(client, "192.0.2.1") for _ in range(3)] == [200, 200, 200]


def test_a_failing_storage_lets_the_resident_through_and_is_logged(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app.config.update(RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="1 per minute")
    storage = app.extensions["rate_limits"].limiter.storage

    def unreachable(*args: object, **kwargs: object) -> int:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(storage, "incr", unreachable)
    make_consultation()
    with caplog.at_level(logging.ERROR):
        assert [_submit(client) for _ in range(2)] == [302, 302]  # over the limit, but sent
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 2
    failures = [r for r in caplog.records if "Rate-limit storage failed" in r.getMessage()]
    assert len(failures) == 2
    assert "SUBMISSION_RATE_LIMIT not counted" in failures[0].getMessage()


@pytest.mark.parametrize("setting", ["SUBMISSION_RATE_LIMIT", "SIGN_IN_RATE_LIMIT"])
@pytest.mark.parametrize("value", ["lots", "30 a minute", "per minute"])
def test_a_setting_that_is_not_limits_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, setting: str, value: str
) -> None:
    monkeypatch.setenv(setting, value)
    with pytest.raises(SystemExit) as stopped:
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert str(stopped.value) == (
        f'{setting} must be limits like "30 per minute; 300 per hour", not {value!r}'
    )


def test_a_setting_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUBMISSION_RATE_LIMIT", " 3 per second ")
    made = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert made.config["SUBMISSION_RATE_LIMIT"] == "3 per second"


def test_a_redis_that_does_not_answer_costs_a_moment_not_the_response(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    # A real Redis client against a port that accepts connections and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        app.config.update(
            RATELIMIT_ENABLED=True,
            SUBMISSION_RATE_LIMIT="1 per minute",
            RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0",
        )
        rate_limits.init_app(app)
        make_consultation()
        answer_all(client)
        # Without the timeouts the read below would wait for an answer that never comes.
        pool = app.extensions["rate_limits"].limiter.storage.storage.connection_pool
        assert pool.connection_kwargs["socket_timeout"] == redis_timeout(app) == 0.05
        assert pool.connection_kwargs["socket_connect_timeout"] == 0.05
        with caplog.at_level(logging.ERROR):
            assert post_form(client, f"{BASE}/check").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
    assert any("Rate-limit storage failed" in r.getMessage() for r in caplog.records)


def test_the_redis_address_may_set_its_own_timeout(app: Flask) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0?socket_timeout=5"
    rate_limits.init_app(app)
    pool = app.extensions["rate_limits"].limiter.storage.storage.connection_pool
    assert pool.connection_kwargs["socket_timeout"] == 5.0
    assert pool.connection_kwargs["socket_connect_timeout"] == redis_timeout(app)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "a minute"),
        (60, "a minute"),
        (61, "2 minutes"),
        (2400, "40 minutes"),
        (3540, "59 minutes"),
        (3541, "an hour"),
        (3600, "an hour"),
        (3601, "2 hours"),
        (86400, "24 hours"),
    ],
)
def test_the_wait_is_said_as_a_person_would_rounded_up(seconds: int, text: str) -> None:
    assert wait_time(seconds) == text


def _via_proxy(client: FlaskClient, forwarded_for: str) -> int:
    """A sign-in attempt arriving from a proxy at 10.0.0.5 that names the client it serves."""
    data = {"email": "nobody@example.org", "password": "not the password"}
    return post_form(
        client,
        "/sign-in",
        data,
        environ_base={"REMOTE_ADDR": "10.0.0.5"},
        headers={"X-Forwarded-For": forwarded_for},
    ).status_code


def test_behind_a_trusted_proxy_each_client_has_its_own_count(
    app: Flask, client: FlaskClient
) -> None:
    app.config.update(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="2 per minute")
    trust_proxies(app, 1)
    assert [_via_proxy(client, "192.0.2.1") for _ in range(3)] == [200, 200, 429]
    assert _via_proxy(client, "192.0.2.2") == 200  # another client behind the same proxy
    # A client's own forged X-Forwarded-For stands left of what the proxy adds: ignored.
    assert _via_proxy(client, "198.51.100.9, 192.0.2.1") == 429


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    app.config.update(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="2 per minute")
    codes = [_via_proxy(client, f"192.0.2.{n}") for n in range(1, 4)]
    assert codes == [200, 200, 429]  # all counted against 10.0.0.5, the connection's own


def test_trusted_proxies_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    made = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert isinstance(made.wsgi_app, ProxyFix)
    assert (made.wsgi_app.x_for, made.wsgi_app.x_proto) == (2, 2)
    monkeypatch.setenv("TRUSTED_PROXIES", "one")
    with pytest.raises(SystemExit, match="TRUSTED_PROXIES must be a whole number, 0 or more"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.delenv("TRUSTED_PROXIES")
    plain = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert not isinstance(plain.wsgi_app, ProxyFix)
