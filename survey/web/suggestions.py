"""Officers' pages for theme suggestions learnt from their own codes, and how far to trust them;
and, where the council has set one up, suggestions by its language model.

Thin: suggesting is a job (`survey.jobs.suggestions`), the same one `flask themes suggest`
runs; `survey.data.suggestions` measures the agreement.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common.access import role_required
from common.database import db
from common.job_queue import enqueue
from common.models import Role
from survey.core.learning import MIN_EXAMPLES, MIN_POSITIVES, THRESHOLD, TooFewExamples
from survey.core.llm_coder import Endpoint, endpoint_from
from survey.core.suggesting import LANGUAGE_MODEL, LEARNT
from survey.data import suggestions, themes
from survey.data.models import Consultation, Question
from survey.data.themes import ThemeError
from survey.jobs.suggestions import NOT_CONFIGURED, start_suggestions
from survey.web.officers import consultation_or_404

bp = Blueprint("suggestions", __name__)


def _question_or_404(consultation: Consultation, key: str) -> Question:
    try:
        return themes.coded_question(consultation, key)
    except ThemeError:
        abort(404)


@bp.get("/consultations/<slug>/themes/<key>/suggestions")
@role_required(Role.OFFICER)
def agreement(slug: str, key: str) -> ResponseReturnValue:
    """Per theme, how well suggestions agree with officers' codes; the button to suggest."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    themes.ensure_themes(consultation)
    db.session.commit()
    try:
        measured = suggestions.agreement(question)
        reason = None
    except TooFewExamples as exc:
        measured, reason = None, str(exc)
    return render_template(
        "officers/coding/suggestions.html",
        consultation=consultation,
        question=question,
        agreement=measured,
        reason=reason,
        counts=themes.coding_counts(question),
        suggested=suggestions.suggestion_count(question, LEARNT),
        language_model=_language_model(),
        suggested_by_model=suggestions.suggestion_count(question, LANGUAGE_MODEL),
        to_send=suggestions.not_reviewed_count(question),
        min_examples=MIN_EXAMPLES,
        min_positives=MIN_POSITIVES,
        threshold=round(THRESHOLD * 100),
    )


@bp.post("/consultations/<slug>/themes/<key>/suggest")
@role_required(Role.OFFICER)
def suggest(slug: str, key: str) -> ResponseReturnValue:
    """Start learning from officers' codes and suggesting themes; the job's page comes next."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    job = start_suggestions(consultation, question, current_user.id)
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id), code=303)


@bp.post("/consultations/<slug>/themes/<key>/suggest-with-language-model")
@role_required(Role.OFFICER)
def suggest_with_language_model(slug: str, key: str) -> ResponseReturnValue:
    """Start asking the council's language model for suggestions; the job's page comes next."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    if _language_model() is None:
        flash(NOT_CONFIGURED, "info")
        return redirect(url_for(".agreement", slug=slug, key=key), code=303)
    job = start_suggestions(consultation, question, current_user.id, LANGUAGE_MODEL)
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id), code=303)


def _language_model() -> Endpoint | None:
    """The council's language model (LLM_* settings), or None: the feature is off."""
    return endpoint_from(current_app.config)
