"""Admins' pages: managing staff accounts (create, change role, deactivate)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, SubmitField
from wtforms.validators import InputRequired, Length

from common import action_log, jobs
from common.access import role_required
from common.accounts import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    clear_sign_in_waits,
    create_user,
    end_sessions,
)
from common.database import db, utcnow
from common.models import Role, User
from common.settings import retention_days, text_retention_days
from survey.data import logged_actions, retention
from survey.jobs.retention import RETENTION
from survey.web.addresses import query_number, query_text

bp = Blueprint("admin", __name__)

ROLE_CHOICES = [
    (Role.OFFICER.value, "Officer: runs consultations and sees results"),
    (Role.COUNCILLOR.value, "Councillor: reads results only"),
    (Role.ADMIN.value, "Admin: everything an officer can do, and manages accounts"),
    (
        Role.PARTNER.value,
        "Partner: police, health, probation or fire staff who report on "
        "the strategy actions they own",
    ),
]


class NewAccountForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter an email address"), Length(max=254)],
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select a role")],
    )
    password = PasswordField(
        "Temporary password",
        widget=GovPasswordInput(),
        description=f"At least {MIN_PASSWORD_LENGTH} characters. Give it to the person securely.",
        validators=[InputRequired("Enter a temporary password")],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class RoleForm(FlaskForm):  # type: ignore[misc]
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select a role")],
    )
    submit = SubmitField("Save role", widget=GovSubmitInput())


def _all_users() -> Sequence[User]:
    return db.session.scalars(sa.select(User).order_by(User.email)).all()


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@role_required(Role.ADMIN)
def users() -> ResponseReturnValue:
    return render_template("admin/users.html", users=_all_users())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user() -> ResponseReturnValue:
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data or "", form.password.data or "", form.role.data)
            action_log.record(
                "account created", subject=f"{user.email} ({user.role})", by=current_user
            )
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            field = form.password if "Password" in str(exc) else form.email
            field.errors.append(str(exc))
        else:
            flash(f"Account created for {user.email}", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int) -> ResponseReturnValue:
    account = _user(user_id)
    form = RoleForm(role=account.role)
    if form.validate_on_submit():
        if account.id == current_user.id and form.role.data != Role.ADMIN.value:
            form.role.errors.append("You cannot remove your own admin role")
        else:
            role = Role(form.role.data).value
            if role != account.role:
                end_sessions(account)  # they sign in again under the new role
            account.role = role
            action_log.record(
                "account role changed", subject=f"{account.email} ({account.role})", by=current_user
            )
            db.session.commit()
            flash(f"{account.email} is now {account.role}", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user.html", account=account, form=form)


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def toggle_active(user_id: int) -> ResponseReturnValue:
    account = _user(user_id)
    if account.id == current_user.id:
        flash("You cannot deactivate your own account", "info")
        return redirect(url_for("admin.user", user_id=account.id))
    account.active = not account.active
    if not account.active:
        end_sessions(account)
    action = "account reactivated" if account.active else "account deactivated"
    action_log.record(action, subject=account.email, by=current_user)
    db.session.commit()
    state = "reactivated" if account.active else "deactivated: it can no longer sign in"
    flash(f"{account.email} {state}", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/sign-out-everywhere")
@role_required(Role.ADMIN)
def sign_out_everywhere(user_id: int) -> ResponseReturnValue:
    """End every session an account has (a lost laptop, a suspected misuse)."""
    account = _user(user_id)
    end_sessions(account)
    action_log.record("signed out everywhere", subject=account.email, by=current_user)
    db.session.commit()
    flash(f"{account.email} is signed out on every browser and device", "success")
    return redirect(url_for("admin.user", user_id=account.id))


@bp.post("/users/<int:user_id>/clear-sign-in-waits")
@role_required(Role.ADMIN)
def clear_waits(user_id: int) -> ResponseReturnValue:
    """Let a person sign in at once after failed attempts (theirs or someone else's)."""
    account = _user(user_id)
    clear_sign_in_waits(account)
    action_log.record("sign-in waits cleared", subject=account.email, by=current_user)
    db.session.commit()
    flash(f"{account.email} can sign in again without waiting", "success")
    return redirect(url_for("admin.user", user_id=account.id))


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log() -> ResponseReturnValue:
    """The audit log of officers' and admins' actions, newest first, filterable by action."""
    page = query_number("page") or 1
    action = query_text("action") or None
    events, total = logged_actions.events(page, action)
    pages = max(1, -(-total // logged_actions.PAGE_SIZE))
    if page < 1 or page > pages:
        abort(404)
    return render_template(
        "admin/audit.html",
        events=events,
        total=total,
        page=page,
        pages=pages,
        action=action,
        actions=logged_actions.actions(),
    )


@bp.get("/retention")
@role_required(Role.ADMIN)
def retention_page() -> ResponseReturnValue:
    """When the retention run runs, its last runs, and what it would remove now (reads only)."""
    days = text_retention_days()
    return render_template(
        "admin/retention.html",
        schedule=current_app.config["RETENTION_SCHEDULE"],
        days=days,
        runs=jobs.recent_jobs(RETENTION),
        due=retention.due(retention.Rules(utcnow(), **retention_days())),
    )
