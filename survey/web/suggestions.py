"""Officers' pages for theme suggestions learnt from their own codes, and how far to trust them.

Thin: `survey.suggestions` does the work, as it does for `flask themes suggest`.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from survey import audit, suggestions, themes
from survey.database import db
from survey.display import number, plural
from survey.learning import MIN_EXAMPLES, MIN_POSITIVES, THRESHOLD, TooFewExamples
from survey.models import Consultation, Question, Role
from survey.themes import ThemeError
from survey.web.access import role_required
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
        suggested=suggestions.suggestion_count(question),
        min_examples=MIN_EXAMPLES,
        min_positives=MIN_POSITIVES,
        threshold=round(THRESHOLD * 100),
    )


@bp.post("/consultations/<slug>/themes/<key>/suggest")
@role_required(Role.OFFICER)
def suggest(slug: str, key: str) -> ResponseReturnValue:
    """Learn from officers' codes and suggest themes for the answers not yet reviewed."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    (result,) = suggestions.suggest(consultation, question)
    audit.record(
        "themes suggested",
        consultation,
        question.key,
        f"learnt from {result.reviewed} answers; {result.suggested} of {result.considered} "
        "given a theme",
    )
    db.session.commit()
    if result.reason and not result.learnt:
        flash(f"No themes suggested: {result.reason}.", "error")
    else:
        flash(
            f"Themes suggested for {plural(result.considered, 'answer')} not yet reviewed, "
            f"learnt from {plural(result.reviewed, 'answer')} officers reviewed; "
            f"{number(result.suggested)} have a theme ticked in the review queue.",
            "success",
        )
    return redirect(url_for(".agreement", slug=slug, key=key))
