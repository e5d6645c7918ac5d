"""Staff accounts resist guessing: strong passwords, lock-out, and a sign-in rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from common.accounts import LOCK_AFTER, LOCK_FOR, AccountError, authenticate, create_user
from common.database import db, utcnow
from common.models import AuditEvent, User
from tests.support import PASSWORD, error_summary, post_form

EMAIL = "officer@example.org"


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


def test_an_account_locks_after_repeated_failures_even_for_the_right_password(
    client: FlaskClient,
) -> None:
    _account()
    for _ in range(LOCK_AFTER):
        assert _try(client, "not the password at all") == 200
    user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
    assert user is not None and user.locked_until is not None
    response = post_form(client, "/sign-in", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200  # locked: the right password is refused too
    assert error_summary(response)[0].startswith("Enter a correct email address and password.")
    logged = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert logged == ["account locked"]


def test_the_lock_ends_after_its_time_and_a_success_clears_the_count(app: Flask) -> None:
    _account()
    start = utcnow()
    for _ in range(LOCK_AFTER):
        authenticate(EMAIL, "wrong password here", now=start)
    almost = start + LOCK_FOR - dt.timedelta(seconds=1)
    assert authenticate(EMAIL, PASSWORD, now=almost).user is None
    later = start + LOCK_FOR + dt.timedelta(seconds=1)
    assert authenticate(EMAIL, PASSWORD, now=later).user is not None
    for _ in range(LOCK_AFTER - 1):
        authenticate(EMAIL, "wrong password here", now=later)
    assert authenticate(EMAIL, PASSWORD, now=later).user is not None  # 4 then a success


def test_a_locked_account_and_an_unknown_one_read_the_same(client: FlaskClient) -> None:
    _account()
    for _ in range(LOCK_AFTER):
        _try(client, "wrong password here")
    locked = post_form(client, "/sign-in", {"email": EMAIL, "password": PASSWORD})
    unknown = post_form(client, "/sign-in", {"email": "nobody@example.org", "password": "x" * 12})
    assert error_summary(locked) == error_summary(unknown)


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
