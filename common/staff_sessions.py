"""Staff sessions: started at sign-in, checked on every request, ended by time-outs.

A session holds the account's id and session version (`User.get_id`): raising the version
(`common.accounts.end_sessions`) ends every session the account has, wherever it is. Each
session also ends on its own after `SESSION_IDLE_SECONDS` without a request (default 2 hours)
and `SESSION_ABSOLUTE_SECONDS` after signing in (default 12 hours), whatever its use.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, session
from flask_login import current_user, login_user, logout_user

from common.display import wait_time
from common.models import User

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# The last-seen time is rewritten at most this often, so a busy page does not reissue the
# cookie on every request; the idle time-out is exact to within it.
SEEN_EVERY = 60  # seconds


def _now() -> int:
    return int(time.time())


def begin(user: User) -> None:
    """Sign `user` in on this browser, from now."""
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = _now()


def renew(user: User) -> None:
    """Keep this browser signed in after `user`'s session version was raised (ending their
    other sessions), without restarting its absolute time-out."""
    started = session.get(SIGNED_IN_AT)
    login_user(user)
    session[SIGNED_IN_AT] = started if isinstance(started, int) else _now()
    session[SEEN_AT] = _now()


def end() -> None:
    """Sign this browser out (other sessions of the account are untouched)."""
    logout_user()
    session.pop(SIGNED_IN_AT, None)
    session.pop(SEEN_AT, None)


def init_app(app: Flask) -> None:
    """Check the signed-in session, if any, before every request."""
    app.before_request(_check)


def _check() -> None:
    """End a session that has timed out or whose account no longer accepts it."""
    if "_user_id" not in session:
        return
    now = _now()
    config = current_app.config
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(started, int) or not isinstance(seen, int):
        session.clear()
        return
    absolute, idle = config["SESSION_ABSOLUTE_SECONDS"], config["SESSION_IDLE_SECONDS"]
    if now - started >= absolute:
        _time_out(f"You had been signed in for {wait_time(absolute)}")
    elif now - seen >= idle:
        _time_out(f"You had not used the service for {wait_time(idle)}")
    elif not current_user.is_authenticated:
        session.clear()  # signed out everywhere, a new password or role, or deactivated
    elif now - seen >= SEEN_EVERY:
        session[SEEN_AT] = now


def _time_out(why: str) -> None:
    session.clear()
    flash(f"{why}, so you were signed out. Sign in again to carry on.", "info")
