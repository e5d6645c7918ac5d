"""Accounts: creating them, checking passwords, and the login manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_login import LoginManager
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from common.database import db, on_postgresql, utcnow
from common.models import Role, SignInFailures, User

MIN_PASSWORD_LENGTH = 12
MIN_STRENGTH = 3  # zxcvbn's score, 0 to 4: 3 is "safely unguessable" by an online attack
# Failed sign-ins in a row that each kind of key allows before attempts have to wait: a client
# address (an office or a library shares one), an email address typed from a browser that has
# not signed in to it before, and one browser that has.
FREE_FAILURES = {"address": 10, "account": 5, "browser": 5}
MAX_WAIT = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)  # failures this long ago no longer count
SIGN_IN_FAILED = (
    "Enter a correct email address and password. After several failed attempts, each further "
    "attempt has to wait a little longer."
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
    """Change an account's password (which also ends its sessions and clears its waits);
    AccountError if unacceptable."""
    problem = password_problem(password, [user.email])
    if problem:
        raise AccountError(problem)
    user.password_hash = generate_password_hash(password, method=HASH_METHOD)
    end_sessions(user)
    clear_sign_in_waits(user)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the account, or None; and, when the attempt was
    refused unchecked because of earlier failures, how long to wait."""

    user: User | None
    wait: dt.timedelta | None = None


def wait_after(failures: int, free: int) -> dt.timedelta:
    """How long the next attempt waits after `failures` in a row: nothing for the first
    `free`, then a second, doubling with each failure, at most MAX_WAIT."""
    if failures < free:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=2 ** min(failures - free, 20)), MAX_WAIT)


def _email_key(email: str) -> str:
    try:
        return normalise_email(email)
    except AccountError:
        return email.strip().lower()[:254]


def _keys(email: str, address: str, browser: str | None) -> list[tuple[str, int]]:
    """The keys an attempt counts under, with the failures each allows before waiting.

    A browser that has signed in to this account before counts on its own, so no one else's
    failures, however many, make its person wait: the account cannot be locked out.
    """
    if browser:
        return [(f"browser:{email}:{browser}", FREE_FAILURES["browser"])]
    return [
        (f"address:{address}", FREE_FAILURES["address"]),
        (f"account:{email}", FREE_FAILURES["account"]),
    ]


def _waiting(row: SignInFailures | None, free: int, now: dt.datetime) -> dt.timedelta:
    if row is None or row.last_at < now - FORGET_AFTER:
        return dt.timedelta(0)
    return max(dt.timedelta(0), row.last_at + wait_after(row.failures, free) - now)


def _count_failure(key: str, now: dt.datetime) -> None:
    """One more failure under `key` (the first, if its last was FORGET_AFTER ago)."""
    insert = postgresql.insert if on_postgresql() else sqlite.insert
    statement = insert(SignInFailures).values(key=key, failures=1, last_at=now)
    stale = SignInFailures.last_at < now - FORGET_AFTER
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[SignInFailures.key],
            set_={
                "failures": sa.case((stale, 1), else_=SignInFailures.failures + 1),
                "last_at": now,
            },
        )
    )


def authenticate(
    email: str,
    password: str,
    address: str,
    browser: str | None = None,
    now: dt.datetime | None = None,
) -> SignIn:
    """The active account these credentials belong to, counting failures.

    Failures are counted per client `address` and per email address, or, from a `browser`
    that has signed in to this email address before (its token), per browser. Once a key has
    had its free failures, each attempt under it must wait a little longer than the last,
    and one that comes sooner is refused without looking at the password (and not counted).
    The caller commits. A wrong, unknown or deactivated account reads the same and takes the
    same time, so nothing reveals which accounts exist.
    """
    now = now or utcnow()
    keys = _keys(_email_key(email), address, browser)
    found = db.session.scalars(
        sa.select(SignInFailures)
        .where(SignInFailures.key.in_([key for key, _ in keys]))
        .execution_options(populate_existing=True)  # counted since, in this session
    )
    rows: dict[str, SignInFailures | None] = dict.fromkeys((key for key, _ in keys), None)
    rows.update({row.key: row for row in found})
    wait = max(_waiting(rows[key], free, now) for key, free in keys)
    if wait > dt.timedelta(0):
        return SignIn(None, wait=wait)
    user = find_user(email)
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)  # the same time as a real check
    elif check_password_hash(user.password_hash, password):
        for row in rows.values():
            if row is not None:
                db.session.delete(row)
        return SignIn(user)
    for key, _ in keys:
        _count_failure(key, now)
    return SignIn(None)


def clear_sign_in_waits(user: User) -> None:
    """Forget the failures counted against an account's email address, from anywhere (an
    admin's help, a new password). The caller commits."""
    db.session.execute(
        sa.delete(SignInFailures).where(
            sa.or_(
                SignInFailures.key == f"account:{user.email}",
                SignInFailures.key.startswith(f"browser:{user.email}:", autoescape=True),
            )
        )
    )


_DUMMY_HASH = generate_password_hash("not-a-real-password", method=HASH_METHOD)
