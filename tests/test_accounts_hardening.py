"""Staff accounts resist guessing: strong passwords, growing waits after failed sign-ins that
no one can use to lock a person out, and a sign-in rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from common import accounts
from common.accounts import (
    FREE_FAILURES,
    MAX_WAIT,
    SIGN_IN_FAILED,
    AccountError,
    authenticate,
    create_user,
    wait_after,
)
from common.database import db, utcnow
from common.models import AuditEvent, SignInFailures, User
from tests.support import PASSWORD, csrf_token, error_summary, post_form, sign_in

EMAIL = "officer@example.org"
ADDRESS = "192.0.2.10"


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-in waits read this one moment: the first wait is a second, which a busy machine can
    let pass between two requests of a test, so that "too soon" was not (seen in CI under load).
    Tests of waits ending pass their own `now`."""
    moment = utcnow()
    monkeypatch.setattr(accounts, "utcnow", lambda: moment)


def _account() -> User:
    user = create_user(EMAIL, PASSWORD, "officer")
    db.session.commit()
    return user


def _try(client: FlaskClient, password: str) -> int:
    response = post_form(client, "/sign-in", {"email": EMAIL, "password": password})
    return response.status_code


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password1234", "this is a very common password"),
        ("qwertyuiop123", "this is a very common password"),
        ("aaaaaaaaaaaaaa", 'repeats like "aaa" are easy to guess'),
        ("officer@example.org1", "it is too easy to guess"),
    ],
)
def test_easily_guessed_passwords_are_refused_with_the_reason(
    app: Flask, password: str, why: str
) -> None:
    with pytest.raises(AccountError) as refused:
        create_user(EMAIL, password, "officer")
    assert str(refused.value) == (
        f"Choose a password that is harder to guess: {why}. "
        "A few unrelated words make a strong password"
    )


def test_each_failure_past_the_free_ones_makes_the_next_attempt_wait_longer() -> None:
    waits = [wait_after(n, 5).total_seconds() for n in range(4, 18)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
    assert wait_after(10**6, 5) == MAX_WAIT


def test_an_attempt_too_soon_is_refused_unchecked_and_not_counted(app: Flask) -> None:
    _account()
    start = utcnow()
    for _ in range(FREE_FAILURES["account"]):
        assert authenticate(EMAIL, "wrong password here", ADDRESS, now=start).wait is None
    soon = authenticate(EMAIL, PASSWORD, ADDRESS, now=start)  # even the right password
    assert soon.user is None and soon.wait == dt.timedelta(seconds=1)
    for _ in range(50):  # hammering during the wait adds nothing to it
        assert authenticate(EMAIL, "wrong", ADDRESS, now=start).wait == dt.timedelta(seconds=1)
    later = start + dt.timedelta(seconds=1)
    assert authenticate(EMAIL, PASSWORD, ADDRESS, now=later).user is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInFailures)) == 0


def test_someone_elses_failures_never_make_a_known_browser_wait(
    app: Flask, client: FlaskClient
) -> None:
    _account()
    assert _try(client, PASSWORD) == 302  # the person's own browser, now known
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/account"))})
    attacker = app.test_client()
    for number in range(40):
        post_form(
            attacker,
            "/sign-in",
            {"email": EMAIL, "password": f"guess number {number}"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{number}"},
        )
    stranger = post_form(app.test_client(), "/sign-in", {"email": EMAIL, "password": PASSWORD})
    assert "too many failed attempts to sign in: wait" in " ".join(error_summary(stranger))
    assert _try(client, PASSWORD) == 302  # the known browser signs in at once


def test_an_admin_clears_the_wait(app: Flask, client: FlaskClient) -> None:
    user = _account()
    for _ in range(FREE_FAILURES["account"]):
        _try(client, "wrong password here")
    assert _try(client, PASSWORD) == 200  # waiting
    admin = app.test_client()
    sign_in(admin, "admin")
    url = f"/admin/users/{user.id}"
    admin.post(url + "/clear-sign-in-waits", data={"csrf_token": csrf_token(admin.get(url))})
    assert _try(client, PASSWORD) == 302
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "sign-in waits cleared" in actions


def test_one_address_trying_many_accounts_waits(app: Flask, client: FlaskClient) -> None:
    for number in range(FREE_FAILURES["address"]):
        post_form(client, "/sign-in", {"email": f"n{number}@example.org", "password": "x" * 12})
    refused = post_form(client, "/sign-in", {"email": "new@example.org", "password": "x" * 12})
    assert "wait a minute, then try again" in error_summary(refused)[0]
    elsewhere = post_form(
        app.test_client(),
        "/sign-in",
        {"email": "new@example.org", "password": "x" * 12},
        environ_base={"REMOTE_ADDR": "192.0.2.77"},
    )
    assert error_summary(elsewhere) == [SIGN_IN_FAILED]


def test_a_waiting_account_and_an_unknown_one_read_the_same(client: FlaskClient) -> None:
    _account()
    for _ in range(FREE_FAILURES["account"]):
        _try(client, "wrong password here")
        post_form(client, "/sign-in", {"email": "nobody@example.org", "password": "x" * 12})
    waiting = post_form(client, "/sign-in", {"email": EMAIL, "password": PASSWORD})
    unknown = post_form(client, "/sign-in", {"email": "nobody@example.org", "password": "x" * 12})
    assert error_summary(waiting) == error_summary(unknown)
    assert "wait a minute, then try again" in error_summary(waiting)[0]


def test_every_attempt_is_in_the_action_log(client: FlaskClient) -> None:
    _account()
    for _ in range(FREE_FAILURES["account"]):
        _try(client, "wrong password here")
    _try(client, PASSWORD)  # too soon
    rows = db.session.execute(
        sa.select(
            AuditEvent.actor, AuditEvent.action, AuditEvent.subject, AuditEvent.detail
        ).order_by(AuditEvent.id)
    ).all()
    failed = ("sign-in from 127.0.0.1", "sign-in failed", EMAIL, "from 127.0.0.1")
    waiting = ("sign-in from 127.0.0.1", "sign-in refused: waiting", EMAIL, "from 127.0.0.1")
    assert rows == [failed] * FREE_FAILURES["account"] + [waiting]
    db.session.execute(sa.delete(SignInFailures))
    db.session.commit()
    assert _try(client, PASSWORD) == 302
    last = db.session.execute(
        sa.select(AuditEvent.actor, AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)
    ).one()
    assert tuple(last) == (EMAIL, "signed in")


def test_sign_in_attempts_are_rate_limited_per_address(app: Flask, client: FlaskClient) -> None:
    app.config["RATELIMIT_ENABLED"] = True
    app.config["SIGN_IN_RATE_LIMIT"] = "3 per minute"
    _account()
    codes = [_try(client, "wrong password here") for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    blocked = post_form(client, "/sign-in", {"email": EMAIL, "password": PASSWORD})
    assert blocked.status_code == 429
    shown = blocked.get_data(as_text=True)
    assert "Too many attempts from your connection" in shown
    assert "Wait a minute, then go back and try again." in shown
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60  # the minute's window ends by then
    assert client.get("/sign-in").status_code == 200  # only sending the form is limited
