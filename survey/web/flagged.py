"""Officers review responses flagged as probable duplicates or automated: keep or remove.

Thin: the decision is `survey.data.screening.review_flagged`, which logs it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common import action_log
from common.access import role_required
from common.database import db
from common.models import Role
from survey.data import screening
from survey.data.models import Response
from survey.data.personal_data import find_response, respondent_record
from survey.web.officers import consultation_or_404

bp = Blueprint("flagged", __name__)


@bp.get("/consultations/<slug>/flagged")
@role_required(Role.OFFICER)
def flagged_list(slug: str) -> ResponseReturnValue:
    """Every flagged response, with why, its answers and the response it resembles."""
    consultation = consultation_or_404(slug)
    items = []
    for response in screening.flagged(consultation):
        like = find_response(response.review_like) if response.review_like else None
        items.append(
            {
                "response": response,
                "record": respondent_record(response),
                "like": respondent_record(like) if like is not None else None,
            }
        )
    references = ", ".join(item["response"].reference for item in items) or "none"
    action_log.record_read(
        "residents' words viewed",
        consultation,
        "flagged responses",
        f"responses {references}",
        by=current_user,
    )
    return render_template("officers/flagged/list.html", consultation=consultation, items=items)


@bp.post("/consultations/<slug>/flagged/<reference>")
@role_required(Role.OFFICER)
def decide(slug: str, reference: str) -> ResponseReturnValue:
    """Keep a flagged response (it stays counted) or remove it."""
    consultation = consultation_or_404(slug)
    response = find_response(reference)
    if not isinstance(response, Response) or response.consultation_id != consultation.id:
        abort(404)
    decision = request.form.get("decision", "")
    if decision not in ("keep", "remove") or response.review_reason is None:
        abort(400)
    screening.review_flagged(response, keep=decision == "keep", by=current_user)
    db.session.commit()
    verb = "kept: it counts in the results" if decision == "keep" else "removed"
    flash(f"Response {reference} {verb}", "success")
    return redirect(url_for(".flagged_list", slug=slug))
