"""Admins' pages: managing staff accounts."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from survey.database import db
from survey.models import Role, User
from survey.web.access import role_required

bp = Blueprint("admin", __name__)


def _all_users() -> Sequence[User]:
    return db.session.scalars(sa.select(User).order_by(User.email)).all()


@bp.get("/users")
@role_required(Role.ADMIN)
def users() -> ResponseReturnValue:
    return render_template("admin/users.html", users=_all_users())
