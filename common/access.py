"""Route guards for signed-in staff, by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from common.models import Role

F = TypeVar("F", bound=Callable[..., Any])


def role_required(role: Role) -> Callable[[F], F]:
    """Send anonymous visitors to sign in, and refuse (403) accounts without `role`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.can(role):
                abort(403)
            return view(*args, **kwargs)

        return login_required(guarded)  # type: ignore[return-value]

    return decorate
