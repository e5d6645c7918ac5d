"""Signing staff in and out. Residents never need an account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import InputRequired, Length

from common import action_log
from common.accounts import SIGN_IN_FAILED, authenticate
from common.database import db
from common.extensions import rate_limits
from common.models import Role

bp = Blueprint("accounts", __name__)


class SignInForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=1024)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def _home_for(role: str) -> str:
    """Where each role starts: officers at their consultations, councillors at the results,
    partners at the actions they own."""
    if role in (Role.OFFICER, Role.ADMIN):
        return url_for("officers.index")
    if role == Role.PARTNER:
        return url_for("delivery.index")
    return url_for("councillors.index")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@rate_limits.limit("SIGN_IN_RATE_LIMIT", methods=("POST",))
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_home_for(current_user.role))
    form = SignInForm()
    if form.validate_on_submit():
        attempt = authenticate(form.email.data or "", form.password.data or "")
        if attempt.locked_now is not None:
            action_log.record(
                "account locked", None, attempt.locked_now.email, "failed sign-ins", by=current_user
            )
        db.session.commit()
        user = attempt.user
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or _home_for(user.role))
        form.email.errors.append(SIGN_IN_FAILED)
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.get("/signed-in")
def signed_in() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/signed_in.html")
