"""Staff sessions end when they should: signing out, a new password, role or deactivation,
"sign out everywhere", and idle and absolute time-outs (db: SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import create_app
from common import staff_sessions
from common.accounts import set_password
from common.database import db
from common.models import AuditEvent, User
from tests.support import PASSWORD, csrf_token, page, post_form, sign_in

OFFICER_PAGE = "/officers/"


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def _replay(app: Flask, cookie: str) -> TestResponse:
    """The officers' page fetched by another browser holding a copy of `cookie`."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get(OFFICER_PAGE)


def _refused(response: TestResponse) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def _post(client: FlaskClient, url: str, from_page: str = "/account") -> TestResponse:
    """POST to `url` with the CSRF token of `from_page`, as its button does."""
    token = csrf_token(client.get(from_page))
    return client.post(url, data={"csrf_token": token})


def _account(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    assert user is not None
    return user


def _second_browser(app: Flask, email: str) -> FlaskClient:
    """Another browser signed in to the same account (same password as tests.support's)."""
    other = app.test_client()
    response = post_form(other, "/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return other


def test_a_cookie_saved_before_sign_out_is_refused_when_replayed(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, "officer")
    saved = _cookie(client)
    assert _replay(app, saved).status_code == 200  # a copy works while signed in
    signed_out = _post(client, "/sign-out")
    assert _refused(signed_out)
    assert _refused(_replay(app, saved))
    assert _refused(client.get(OFFICER_PAGE))


def test_signing_out_ends_the_sessions_on_other_browsers_too(
    app: Flask, client: FlaskClient
) -> None:
    email = sign_in(client, "officer")
    other = _second_browser(app, email)
    assert other.get(OFFICER_PAGE).status_code == 200
    _post(client, "/sign-out")
    assert _refused(other.get(OFFICER_PAGE))


def test_a_new_password_ends_every_session(app: Flask, client: FlaskClient) -> None:
    email = sign_in(client, "officer")
    saved = _cookie(client)
    set_password(_account(email), "a different long passphrase entirely")
    db.session.commit()
    assert _refused(_replay(app, saved))
    assert _refused(client.get(OFFICER_PAGE))


def test_sign_out_everywhere_else_keeps_this_browser_and_ends_the_rest(
    app: Flask, client: FlaskClient
) -> None:
    email = sign_in(client, "officer")
    saved = _cookie(client)
    other = _second_browser(app, email)
    response = _post(client, "/account/sign-out-everywhere-else")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    shown = page(client.get("/account")).get_text(" ", strip=True)
    assert "You are signed out on every other browser and device" in shown
    assert client.get(OFFICER_PAGE).status_code == 200
    assert _refused(other.get(OFFICER_PAGE))
    assert _refused(_replay(app, saved))  # this browser's own earlier cookie too
    logged = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert logged == ["signed in", "signed in", "signed out everywhere"]


def _admin_and_officer(app: Flask, client: FlaskClient) -> tuple[FlaskClient, User]:
    """`client` signed in as an admin; another browser signed in as an officer."""
    sign_in(client, "admin")
    officer = app.test_client()
    sign_in(officer, "officer")
    assert officer.get(OFFICER_PAGE).status_code == 200
    return officer, _account("officer@example.org")


def test_an_admin_can_sign_any_account_out_everywhere(app: Flask, client: FlaskClient) -> None:
    officer, account = _admin_and_officer(app, client)
    url = f"/admin/users/{account.id}"
    response = _post(client, url + "/sign-out-everywhere", from_page=url)
    assert response.status_code == 302
    assert _refused(officer.get(OFFICER_PAGE))
    assert client.get("/admin/users").status_code == 200  # the admin stays signed in
    logged = db.session.scalars(
        sa.select(AuditEvent.subject).where(AuditEvent.action == "signed out everywhere")
    ).all()
    assert logged == ["officer@example.org"]


def test_only_admins_can_sign_others_out_everywhere(app: Flask, client: FlaskClient) -> None:
    officer, account = _admin_and_officer(app, client)
    token = csrf_token(officer.get("/account"))
    response = officer.post(
        f"/admin/users/{account.id}/sign-out-everywhere", data={"csrf_token": token}
    )
    assert response.status_code == 403


def test_a_role_change_ends_the_accounts_sessions(app: Flask, client: FlaskClient) -> None:
    officer, account = _admin_and_officer(app, client)
    url = f"/admin/users/{account.id}"
    token = csrf_token(client.get(url))
    response = client.post(url, data={"csrf_token": token, "role": "councillor"})
    assert response.status_code == 302
    assert _refused(officer.get("/results/"))


def test_saving_an_unchanged_role_keeps_the_sessions(app: Flask, client: FlaskClient) -> None:
    officer, account = _admin_and_officer(app, client)
    url = f"/admin/users/{account.id}"
    token = csrf_token(client.get(url))
    client.post(url, data={"csrf_token": token, "role": "officer"})
    assert officer.get(OFFICER_PAGE).status_code == 200


def test_deactivating_an_account_ends_its_sessions_for_good(
    app: Flask, client: FlaskClient
) -> None:
    officer, account = _admin_and_officer(app, client)
    saved = _cookie(officer)
    url = f"/admin/users/{account.id}"
    _post(client, url + "/active", from_page=url)
    assert _refused(officer.get(OFFICER_PAGE))
    _post(client, url + "/active", from_page=url)  # reactivated: the old cookie stays dead
    assert _refused(_replay(app, saved))


def test_a_session_without_a_version_is_refused(app: Flask, client: FlaskClient) -> None:
    """A cookie from before session versions (only the account's id) signs no one in."""
    sign_in(client, "officer")
    with client.session_transaction() as session:
        session["_user_id"] = session["_user_id"].partition(":")[0]
    assert _refused(client.get(OFFICER_PAGE))


class _Clock:
    """Stands in for the sessions' clock: seconds that a test moves on."""

    def __init__(self, start: int = 1_800_000_000) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(staff_sessions, "_now", fake)
    return fake


def test_a_session_ends_after_two_idle_hours(client: FlaskClient, clock: _Clock) -> None:
    sign_in(client, "officer")
    clock.now += 2 * 3600 - 1
    assert client.get(OFFICER_PAGE).status_code == 200
    clock.now += 2 * 3600 - 1  # nearly two hours after that last request
    assert client.get(OFFICER_PAGE).status_code == 200
    clock.now += 2 * 3600
    response = client.get(OFFICER_PAGE, follow_redirects=True)
    shown = page(response).get_text(" ", strip=True)
    assert "You had not used the service for 2 hours, so you were signed out." in shown
    assert response.request.path == "/sign-in"


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(
    client: FlaskClient, clock: _Clock
) -> None:
    sign_in(client, "officer")
    for _ in range(23):
        clock.now += 30 * 60
        assert client.get(OFFICER_PAGE).status_code == 200
    clock.now += 30 * 60  # twelve hours since signing in
    response = client.get(OFFICER_PAGE, follow_redirects=True)
    shown = page(response).get_text(" ", strip=True)
    assert "You had been signed in for 12 hours, so you were signed out." in shown


def test_time_outs_are_configurable(app: Flask, client: FlaskClient, clock: _Clock) -> None:
    app.config["SESSION_IDLE_SECONDS"] = 600
    sign_in(client, "officer")
    clock.now += 599
    assert client.get(OFFICER_PAGE).status_code == 200
    clock.now += 600
    assert _refused(client.get(OFFICER_PAGE))


def test_a_time_out_setting_that_is_not_seconds_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SESSION_IDLE_SECONDS", "two hours")
    with pytest.raises(SystemExit, match="SESSION_IDLE_SECONDS must be a whole number"):
        create_app({"TESTING": True, "SECRET_KEY": "x" * 32})
