"""Admins manage staff accounts in the browser."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from common.accounts import SIGN_IN_FAILED
from common.database import db
from common.models import User
from tests.support import PASSWORD, csrf_token, error_summary, post_form, sign_in


def test_admin_creates_an_officer_who_can_then_sign_in(client: FlaskClient) -> None:
    sign_in(client, "admin")
    created = post_form(
        client,
        "/admin/users/new",
        {"email": "New.Officer@Example.org", "role": "officer", "password": PASSWORD},
        follow_redirects=True,
    )
    assert "Account created for new.officer@example.org" in created.get_data(as_text=True)
    fresh = client.application.test_client()
    response = post_form(
        fresh, "/sign-in", {"email": "new.officer@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/officers/"


def test_short_password_and_duplicate_email_are_refused_by_name(client: FlaskClient) -> None:
    sign_in(client, "admin")
    short = post_form(
        client,
        "/admin/users/new",
        {"email": "a@example.org", "role": "officer", "password": "short"},
    )
    assert error_summary(short) == ["Password must be at least 12 characters"]
    duplicate = post_form(
        client,
        "/admin/users/new",
        {"email": "admin@example.org", "role": "officer", "password": PASSWORD},
    )
    assert error_summary(duplicate) == ["An account for admin@example.org already exists"]
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_deactivated_account_cannot_sign_in(client: FlaskClient) -> None:
    sign_in(client, "admin")
    post_form(
        client,
        "/admin/users/new",
        {"email": "c@example.org", "role": "councillor", "password": PASSWORD},
    )
    user = db.session.scalar(sa.select(User).where(User.email == "c@example.org"))
    form_page = client.get(f"/admin/users/{user.id}")
    client.post(f"/admin/users/{user.id}/active", data={"csrf_token": csrf_token(form_page)})
    db.session.refresh(user)
    assert user.active is False
    fresh = client.application.test_client()
    refused = post_form(fresh, "/sign-in", {"email": "c@example.org", "password": PASSWORD})
    assert error_summary(refused) == [SIGN_IN_FAILED]


def test_admin_cannot_remove_their_own_admin_role(client: FlaskClient) -> None:
    sign_in(client, "admin")
    me = db.session.scalar(sa.select(User))
    response = post_form(client, f"/admin/users/{me.id}", {"role": "officer"})
    assert error_summary(response) == ["You cannot remove your own admin role"]
