"""Signing staff in and out. Residents never need an account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import InputRequired, Length

from common import action_log, staff_sessions
from common.accounts import SIGN_IN_FAILED, SignIn, authenticate, end_sessions
from common.database import db
from common.display import wait_time
from common.extensions import rate_limits
from common.models import Role
from survey.web import known_browsers

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
        email, address = form.email.data or "", request.remote_addr or "unknown"
        browser = known_browsers.token_for(email)
        attempt = authenticate(email, form.password.data or "", address, browser)
        _log_attempt(attempt, email, address, browser)
        db.session.commit()
        user = attempt.user
        if user is not None:
            staff_sessions.begin(user)
            response = redirect(_safe_next(request.args.get("next")) or _home_for(user.role))
            known_browsers.remember(response, user.email, browser)
            return response
        if attempt.wait is not None:
            wait = wait_time(max(1, int(attempt.wait.total_seconds())))
            form.email.errors.append(
                f"There have been too many failed attempts to sign in: wait {wait}, then try "
                "again. An administrator can clear the wait for your account."
            )
        else:
            form.email.errors.append(SIGN_IN_FAILED)
    return render_template("accounts/sign_in.html", form=form)


def _log_attempt(attempt: SignIn, email: str, address: str, browser: str | None) -> None:
    """Every attempt in the action log: who, from where, and how it went."""
    where = f"from {address}" + (", a browser that signed in before" if browser else "")
    if attempt.user is not None:
        action_log.record("signed in", subject=attempt.user.email, detail=where, by=attempt.user)
        return
    action = "sign-in refused: waiting" if attempt.wait is not None else "sign-in failed"
    action_log.record(action, subject=email, detail=where, by=None, actor=f"sign-in {where}")


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """Sign out, ending the account's sessions everywhere: a copy of the session cookie kept
    from before (a shared computer, a stolen cookie) no longer signs anyone in."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        action_log.record("signed out", subject=current_user.email, by=current_user)
        db.session.commit()
    staff_sessions.end()
    flash("You have signed out", "success")
    return redirect(url_for("accounts.sign_in"))


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    """A person's own account: who they are signed in as, and signing out everywhere."""
    return render_template("accounts/account.html")


@bp.post("/account/sign-out-everywhere-else")
@login_required
def sign_out_everywhere_else() -> ResponseReturnValue:
    """End the account's sessions on every other browser and device; this one stays."""
    user = current_user._get_current_object()
    end_sessions(user)
    action_log.record("signed out everywhere", subject=user.email, by=user)
    db.session.commit()
    staff_sessions.renew(user)
    flash("You are signed out on every other browser and device", "success")
    return redirect(url_for("accounts.account"))


@bp.get("/signed-in")
def signed_in() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/signed_in.html")
