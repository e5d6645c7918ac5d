"""Accounts: creating them, checking passwords, and the login manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_login import LoginManager
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from common.database import db, utcnow
from common.models import Role, User

MIN_PASSWORD_LENGTH = 12
MIN_STRENGTH = 3  # zxcvbn's score, 0 to 4: 3 is "safely unguessable" by an online attack
LOCK_AFTER = 5  # failed sign-ins in a row
LOCK_FOR = dt.timedelta(minutes=15)
SIGN_IN_FAILED = (
    f"Enter a correct email address and password. After {LOCK_AFTER} failed attempts in a "
    f"row an account is locked for {int(LOCK_FOR.total_seconds() // 60)} minutes."
)
# scrypt (memory-hard, recommended by OWASP) as werkzeug implements it.
HASH_METHOD = "scrypt"

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to see that page"
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The account a session names ("id:version"), if its session version is still current."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # includes sessions from before session versions: they sign in again
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every session this account has: each carries the old session version, which no
    longer loads the account. The caller commits."""
    user.session_version = (user.session_version or 1) + 1


class AccountError(ValueError):
    """An account could not be created or changed; the message says why."""


def normalise_email(email: str) -> str:
    """The email address in the form accounts are stored under, or AccountError."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"'{email.strip()}' is not a valid email address: {exc}") from exc


def password_problem(password: str, known: Sequence[str] = ()) -> str | None:
    """Why `password` is not acceptable, or None.

    Long enough, and not easy to guess: not a common password, a keyboard pattern, a
    repeat, or built from `known` words (the account's email address).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 1024:
        return "Password must be 1,024 characters or fewer"
    words = [part for text in known for part in (text, *text.replace("@", " ").split())]
    verdict = zxcvbn(password[:100], user_inputs=words)  # its cost grows with length
    if verdict["score"] < MIN_STRENGTH:
        warning = verdict["feedback"]["warning"] or "it is too easy to guess"
        return (
            f"Choose a password that is harder to guess: {warning.rstrip('.').lower()}. "
            "A few unrelated words make a strong password"
        )
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
    problem = password_problem(password, [address])
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
    """Change an account's password (which also unlocks it and ends its sessions);
    AccountError if unacceptable."""
    problem = password_problem(password, [user.email])
    if problem:
        raise AccountError(problem)
    user.password_hash = generate_password_hash(password, method=HASH_METHOD)
    end_sessions(user)
    user.failed_sign_ins = 0
    user.locked_until = None


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the account, or None; and whether it just locked."""

    user: User | None
    locked_now: User | None = None


def authenticate(email: str, password: str, now: dt.datetime | None = None) -> SignIn:
    """The active, unlocked account these credentials belong to, counting failures.

    After LOCK_AFTER failures in a row an account refuses every sign-in, even a correct one,
    for LOCK_FOR. The caller commits. Every refusal takes the same time and says the same
    thing, so nothing reveals whether an account exists or is locked.
    """
    now = now or utcnow()
    user = find_user(email)
    if user is None or not user.active or (user.locked_until and user.locked_until > now):
        check_password_hash(_DUMMY_HASH, password)  # the same time as a real check
        return SignIn(None)
    if check_password_hash(user.password_hash, password):
        user.failed_sign_ins = 0
        user.locked_until = None
        return SignIn(user)
    user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
    if user.failed_sign_ins >= LOCK_AFTER:
        user.failed_sign_ins = 0
        user.locked_until = now + LOCK_FOR
        return SignIn(None, locked_now=user)
    return SignIn(None)


_DUMMY_HASH = generate_password_hash("not-a-real-password", method=HASH_METHOD)
