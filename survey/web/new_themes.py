"""Officers' pages for finding new themes: groups of the answers no theme matches, each to be
named as a new theme or dismissed.

Thin: grouping is a job (`survey.jobs.new_themes`); naming and dismissing are
`survey.data.new_themes` functions. The groups' typical answers are residents' own words, so
every page here is sent with `Cache-Control: no-store`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common import action_log
from common.access import role_required
from common.database import db
from common.display import plural
from common.job_queue import enqueue
from common.models import Role
from survey.core.new_themes import MIN_ANSWERS
from survey.data import new_themes, themes
from survey.data.models import CandidateState, Consultation, Question, ThemeCandidate
from survey.data.themes import ThemeError
from survey.jobs.new_themes import start_finding
from survey.web.coding import question_or_404
from survey.web.officers import consultation_or_404

bp = Blueprint("new_themes", __name__)


def _no_store(page: str) -> Response:
    """A page holding residents' answers: never kept by a browser or proxy."""
    response = Response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/consultations/<slug>/themes/<key>/new-themes")
@role_required(Role.OFFICER)
def candidates(slug: str, key: str) -> ResponseReturnValue:
    """The groups found among the answers no theme matches, and the button to look again."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    return _page(consultation, question)


def _page(
    consultation: Consultation,
    question: Question,
    errors: dict[int, list[dict[str, str]]] | None = None,
    values: dict[str, object] | None = None,
) -> Response:
    return _no_store(
        render_template(
            "officers/coding/new_themes.html",
            consultation=consultation,
            question=question,
            candidates=new_themes.open_candidates(question),
            named=new_themes.decided_count(question, CandidateState.NAMED),
            dismissed=new_themes.decided_count(question, CandidateState.DISMISSED),
            themes=themes.question_themes(question),
            min_answers=MIN_ANSWERS,
            errors=errors or {},
            values=values or {},
        )
    )


@bp.post("/consultations/<slug>/themes/<key>/new-themes/find")
@role_required(Role.OFFICER)
def find(slug: str, key: str) -> ResponseReturnValue:
    """Start grouping the answers no theme matches; the job's page comes next."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    job = start_finding(consultation, question, current_user.id)
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id), code=303)


@dataclass(frozen=True)
class _GroupForm:
    """A group's naming form as sent: where it is, what was typed and ticked."""

    consultation: Consultation
    question: Question
    candidate: ThemeCandidate
    values: dict[str, object]  # shown again when the form is refused
    phrases: list[str]  # ticked words, then typed phrases

    def refused(self, exc: ThemeError) -> Response:
        """The page again, with the refusal at the field it is about (nothing saved)."""
        db.session.rollback()
        message = str(exc)
        number = self.candidate.id
        error = {"text": message, "href": f"#{_field_of(message)}-{number}"}
        page = _page(self.consultation, self.question, {number: [error]}, self.values)
        page.status_code = 400
        return page


def _group_form(slug: str, key: str, candidate_id: int) -> _GroupForm:
    """The form sent for an open group of the question (404 for any other)."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    candidate = new_themes.candidate_of(question, candidate_id)
    if candidate is None:
        abort(404)
    themes.ensure_themes(consultation)
    values: dict[str, object] = {
        "candidate": candidate_id,
        "name": request.form.get("name", ""),
        "description": request.form.get("description", ""),
        "words": request.form.getlist("word"),
        "phrases": request.form.get("phrases", ""),
        "theme": request.form.get("theme", ""),
    }
    phrases = new_themes.phrases_from(request.form.getlist("word"), str(values["phrases"]))
    return _GroupForm(consultation, question, candidate, values, phrases)


@bp.post("/consultations/<slug>/themes/<key>/new-themes/<int:candidate_id>/name")
@role_required(Role.OFFICER)
def name(slug: str, key: str, candidate_id: int) -> ResponseReturnValue:
    """Add a group as a new theme, found by the words the officer chose."""
    form = _group_form(slug, key, candidate_id)
    try:
        theme = new_themes.name_candidate(
            form.consultation,
            form.question,
            form.candidate,
            str(form.values["name"]),
            str(form.values["description"]),
            form.phrases,
            current_user.id,
        )
    except ThemeError as exc:
        return form.refused(exc)
    action_log.record(
        "theme added from a group of answers",
        form.consultation,
        theme.name,
        f"from {len(form.candidate.answer_ids)} answers; phrases: {', '.join(theme.phrases or ())}",
        by=current_user,
    )
    db.session.commit()
    flash(
        f"Theme '{theme.name}' added. Auto-code answers to give it to the answers that use "
        "its words.",
        "success",
    )
    return redirect(url_for(".candidates", slug=slug, key=key), code=303)


@bp.post("/consultations/<slug>/themes/<key>/new-themes/<int:candidate_id>/add")
@role_required(Role.OFFICER)
def add(slug: str, key: str, candidate_id: int) -> ResponseReturnValue:
    """Add a group's chosen words to a theme the question has (the naming form's other
    button)."""
    form = _group_form(slug, key, candidate_id)
    chosen = str(form.values["theme"])
    try:
        theme, gained = new_themes.add_to_theme(
            form.question,
            form.candidate,
            int(chosen) if chosen.isdigit() else None,
            form.phrases,
            current_user.id,
        )
    except ThemeError as exc:
        return form.refused(exc)
    action_log.record(
        "group of answers added to a theme",
        form.consultation,
        theme.name,
        f"from {len(form.candidate.answer_ids)} answers; phrases added: {', '.join(gained)}",
        by=current_user,
    )
    db.session.commit()
    flash(
        f"{plural(len(gained), 'word or phrase', 'words or phrases')} added to "
        f"'{theme.name}'. Auto-code answers to give it to the answers that use them.",
        "success",
    )
    return redirect(url_for(".candidates", slug=slug, key=key), code=303)


def _field_of(message: str) -> str:
    """The naming form's field a refusal is about, for the error summary's link."""
    if message.startswith("Description"):
        return "description"
    if message.startswith("Choose the theme"):
        return "theme"
    if message.startswith(("Phrase", "Choose")) or "has these words already" in message:
        return "phrases"
    return "name"


@bp.post("/consultations/<slug>/themes/<key>/new-themes/<int:candidate_id>/dismiss")
@role_required(Role.OFFICER)
def dismiss(slug: str, key: str, candidate_id: int) -> ResponseReturnValue:
    """Keep a group as not a new theme, so it is not offered again."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    candidate = new_themes.candidate_of(question, candidate_id)
    if candidate is None:
        abort(404)
    new_themes.dismiss_candidate(candidate, current_user.id)
    words = ", ".join(candidate.words[:3])
    action_log.record(
        "group of answers dismissed",
        consultation,
        question.key,
        f"{len(candidate.answer_ids)} answers ({words})",
        by=current_user,
    )
    db.session.commit()
    flash(
        f"Group dismissed: its {plural(len(candidate.answer_ids), 'answer')} will not be "
        "grouped again",
        "success",
    )
    return redirect(url_for(".candidates", slug=slug, key=key), code=303)
