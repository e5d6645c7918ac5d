"""Browsers that have signed in to an account before, known by a signed cookie.

After a successful sign-in the browser keeps a cookie naming the account and a random token.
Its later attempts at that account count their failures on their own (common.accounts), so
no one else's failures at the same email address can make its person wait.
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from common.accounts import AccountError, normalise_email

COOKIE = "known_browser"
KEEP_FOR = 365 * 24 * 3600  # seconds


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.secret_key), salt="known-browser")


def token_for(email: str) -> str | None:
    """This browser's token, when it has signed in to this email address's account before."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    try:
        wanted = normalise_email(email)
        known = _signer().loads(cookie, max_age=KEEP_FOR)
    except (AccountError, BadSignature):
        return None
    if not isinstance(known, dict) or known.get("email") != wanted:
        return None
    token = known.get("token")
    return token if isinstance(token, str) else None


def remember(response: Response, email: str, token: str | None) -> None:
    """Mark this browser as one that signed in to `email`'s account (keeping its token)."""
    value = _signer().dumps({"email": email, "token": token or secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE,
        value,
        max_age=KEEP_FOR,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
