"""Accounts: creating them, checking passwords, and the login manager."""

from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_login import LoginManager
from werkzeug.security import check_password_hash, generate_password_hash

from survey.database import db
from survey.models import Role, User

MIN_PASSWORD_LENGTH = 12
# scrypt (memory-hard, recommended by OWASP) as werkzeug implements it.
HASH_METHOD = "scrypt"

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to see that page"
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


class AccountError(ValueError):
    """An account could not be created or changed; the message says why."""


def normalise_email(email: str) -> str:
    """The email address in the form accounts are stored under, or AccountError."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"'{email.strip()}' is not a valid email address: {exc}") from exc


def password_problem(password: str) -> str | None:
    """Why `password` is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 1024:
        return "Password must be 1,024 characters or fewer"
    return None


def find_user(email: str) -> User | None:
    """The account with this email address, if any."""
    try:
        wanted = normalise_email(email)
    except AccountError:
        return None
    return db.session.scalar(sa.select(User).where(User.email == wanted))


def create_user(email: str, password: str, role: str) -> User:
    """Create an account; raise AccountError naming the problem. Caller commits."""
    address = normalise_email(email)
    try:
        role_value = Role(role)
    except ValueError as exc:
        roles = ", ".join(r.value for r in Role)
        raise AccountError(f"Unknown role '{role}' (use one of {roles})") from exc
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if db.session.scalar(sa.select(User.id).where(User.email == address)) is not None:
        raise AccountError(f"An account for {address} already exists")
    user = User(
        email=address,
        password_hash=generate_password_hash(password, method=HASH_METHOD),
        role=role_value.value,
    )
    db.session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    """Change an account's password; raise AccountError if it is not acceptable."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.password_hash = generate_password_hash(password, method=HASH_METHOD)


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials belong to, or None."""
    user = find_user(email)
    if user is None or not user.active:
        # Hash anyway so the time taken does not reveal whether the account exists.
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


_DUMMY_HASH = generate_password_hash("not-a-real-password", method=HASH_METHOD)
