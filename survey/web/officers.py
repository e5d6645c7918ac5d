"""Officers' pages: running consultations, entering paper responses, imports and exports."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from survey import consultations as store
from survey.models import Role
from survey.web.access import role_required

bp = Blueprint("officers", __name__)


@bp.get("/")
@role_required(Role.OFFICER)
def index() -> ResponseReturnValue:
    return render_template(
        "officers/index.html",
        consultations=store.all_consultations(),
        counts=store.response_counts(),
    )
