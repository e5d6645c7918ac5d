"""Officers' pages for coding free-text answers with themes: auto-code, review, manage themes.

Thin: every change is a `survey.data.themes` function, the same ones `flask themes` calls.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common import action_log
from common.access import role_required
from common.database import db
from common.display import number, plural
from common.models import Role
from survey.core.coding import highlighted
from survey.core.learning import Agreement, TooFewExamples
from survey.core.suggesting import LEARNT
from survey.data import suggestions, themes
from survey.data.models import Consultation, Question, Theme
from survey.data.themes import ReviewItem, Show, ThemeError
from survey.web.addresses import query_number
from survey.web.officers import consultation_or_404

bp = Blueprint("coding", __name__)

PER_PAGE = 20
SUGGESTED = 0.5  # a learnt suggestion at least this confident is ticked in the queue
LEAST_SURE, OLDEST = "least-sure", "oldest"
ORDER_LABELS = {LEAST_SURE: "Least sure suggestions first", OLDEST: "Oldest response first"}
SHOW_LABELS = {
    Show.TO_REVIEW: "Not yet reviewed",
    Show.UNCODED: "Not yet coded",
    Show.AUTO: "Auto-coded",
    Show.REVIEWED: "Reviewed by an officer",
    Show.ALL: "All answers",
}


def _question_or_404(consultation: Consultation, key: str) -> Question:
    try:
        return themes.coded_question(consultation, key)
    except ThemeError:
        abort(404)


def _theme_or_404(consultation: Consultation, question: Question, theme_id: int) -> Theme:
    theme = themes.theme_of(consultation, theme_id)
    if theme is None or theme.codebook != question.codebook:
        abort(404)
    return theme


@bp.get("/consultations/<slug>/themes")
@role_required(Role.OFFICER)
def overview(slug: str) -> ResponseReturnValue:
    """The consultation's coded questions, how far each is coded, and the auto-code button."""
    consultation = consultation_or_404(slug)
    themes.ensure_themes(consultation)
    db.session.commit()
    questions = themes.coded_questions(consultation)
    return render_template(
        "officers/coding/overview.html",
        consultation=consultation,
        questions=[(q, themes.coding_counts(q)) for q in questions],
    )


@bp.post("/consultations/<slug>/themes/autocode")
@role_required(Role.OFFICER)
def autocode(slug: str) -> ResponseReturnValue:
    """Auto-code every coded question's answers, keeping officers' decisions."""
    consultation = consultation_or_404(slug)
    results = themes.autocode(consultation)
    coded = sum(r.coded for r in results)
    themed = sum(r.themed for r in results)
    kept = sum(r.kept for r in results)
    action_log.record(
        "answers auto-coded", consultation, detail=f"{coded} answers, {kept} kept", by=current_user
    )
    db.session.commit()
    message = f"{plural(coded, 'answer')} auto-coded, {number(themed)} with at least one theme."
    if kept:
        message += f" {plural(kept, 'answer')} reviewed by officers kept as they were."
    flash(message, "success")
    return redirect(url_for(".overview", slug=slug))


@bp.get("/consultations/<slug>/themes/<key>/review")
@role_required(Role.OFFICER)
def review(slug: str, key: str) -> ResponseReturnValue:
    """The review queue: a form per answer with its themes as checkboxes."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    themes.ensure_themes(consultation)
    db.session.commit()
    show, theme_id, page_number = _filters()
    theme_list = themes.question_themes(question)
    if theme_id is not None and theme_id not in {t.id for t in theme_list}:
        theme_id = None
    has_suggestions = suggestions.suggestion_count(question, LEARNT) > 0  # ordered by sureness
    order = _order(has_suggestions)
    page = themes.review_page(
        question, show, theme_id, page_number, PER_PAGE, least_sure_first=order == LEAST_SURE
    )
    # Audit log (issue 27): residents' words shown, named by answer id.
    action_log.record_read(
        "residents' words viewed",
        consultation,
        f"coding review: {question.key}",
        f"answers {_ids([item.answer_id for item in page.items])}",
        by=current_user,
    )
    matcher = themes.matcher_of(theme_list)
    ticked = {item.answer_id: _ticked(item, matcher, theme_list) for item in page.items}
    matched = {item.answer_id: matcher.matches(item.text) for item in page.items}
    return render_template(
        "officers/coding/review.html",
        consultation=consultation,
        question=question,
        themes=theme_list,
        page=page,
        ticked=ticked,
        matched=matched,
        pieces={i.answer_id: highlighted(i.text, matched[i.answer_id]) for i in page.items},
        show=show,
        show_labels=SHOW_LABELS,
        theme_id=theme_id,
        counts=themes.coding_counts(question),
        filters=_filter_args(show, theme_id, order if has_suggestions else None),
        order=order if has_suggestions else None,
        order_labels=ORDER_LABELS,
        agreement=_agreement(question) if has_suggestions else None,
    )


def _ids(ids: list[int]) -> str:
    """Ids for the audit log (issue 27): "none" or "3, 5, 8"."""
    return ", ".join(str(i) for i in ids) or "none"


def _order(has_suggestions: bool) -> str:
    """The queue's order: least sure suggestions first unless asked, once there are any."""
    asked = request.args.get("order", "")
    if not has_suggestions:
        return OLDEST
    return asked if asked in ORDER_LABELS else LEAST_SURE


def _agreement(question: Question) -> Agreement | None:
    """How far to trust each theme's suggestions, or None while too few answers are reviewed."""
    try:
        return suggestions.agreement(question)
    except TooFewExamples:
        return None


def _ticked(item: ReviewItem, matcher: themes.Matcher, theme_list: list[Theme]) -> set[int]:
    """Themes ticked for an answer: its codes, or for an uncoded one, what is suggested."""
    if item.source is not None:
        return set(item.theme_ids)
    found = {theme_list[i].id for i in matcher.theme_indexes(item.text)}
    learnt = {theme for theme, confidence in item.suggested.items() if confidence >= SUGGESTED}
    return found | learnt | item.suggested_by_model


def _filters() -> tuple[Show, int | None, int]:
    """The queue's filters from the query string, ignoring anything malformed."""
    try:
        show = Show(request.args.get("show", Show.TO_REVIEW.value))
    except ValueError:
        show = Show.TO_REVIEW
    return show, query_number("theme"), query_number("page") or 1


def _filter_args(show: Show, theme_id: int | None, order: str | None = None) -> dict[str, Any]:
    args: dict[str, Any] = {"show": show.value}
    if theme_id is not None:
        args["theme"] = theme_id
    if order is not None:
        args["order"] = order
    return args


@bp.post("/consultations/<slug>/themes/<key>/answers/<int:answer_id>")
@role_required(Role.OFFICER)
def code_answer(slug: str, key: str, answer_id: int) -> ResponseReturnValue:
    """Record an officer's themes for one answer, then go on to the next in the queue."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    answer = themes.answer_of(question, answer_id)
    if answer is None:
        abort(404)
    chosen = [int(v) for v in request.form.getlist("theme") if v.isdigit()]
    try:
        themes.record_coding(answer, chosen, current_user.id)
    except ThemeError:
        db.session.rollback()
        abort(400)
    # Audit log (issue 27): which answer was coded with which themes, never its words.
    action_log.record(
        "answer coded",
        consultation,
        f"answer {answer.id}",
        f"response {answer.response.reference}; theme ids: {_ids(chosen)}",
        by=current_user,
    )
    db.session.commit()
    show, theme_id, page_number = _filters()
    order = request.args.get("order")
    following = request.form.get("next", "")
    anchor = f"answer-{following}" if following.isdigit() else "queue"
    flash(f"Themes saved for response {answer.response.reference}", "success")
    return redirect(
        url_for(
            ".review",
            slug=slug,
            key=key,
            page=page_number,
            _anchor=anchor,
            **_filter_args(show, theme_id, order if order in ORDER_LABELS else None),
        )
    )


@bp.route("/consultations/<slug>/themes/<key>/themes", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def manage(slug: str, key: str) -> ResponseReturnValue:
    """The question's themes with their counts, and a form to add one."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    themes.ensure_themes(consultation)
    errors: list[dict[str, str]] = []
    name = request.form.get("name", "")
    description = request.form.get("description", "")
    if request.method == "POST":
        try:
            theme = themes.add_theme(consultation, question.codebook or "", name, description)
        except ThemeError as exc:
            db.session.rollback()
            errors.append({"text": str(exc), "href": "#name"})
        else:
            action_log.record("theme added", consultation, theme.name, by=current_user)
            db.session.commit()
            flash(f"Theme '{theme.name}' added", "success")
            return redirect(url_for(".manage", slug=slug, key=key))
    db.session.commit()
    return render_template(
        "officers/coding/themes.html",
        consultation=consultation,
        question=question,
        summaries=themes.theme_summaries(question),
        errors=errors,
        name=name,
        description=description,
    )


@bp.route("/consultations/<slug>/themes/<key>/themes/<int:theme_id>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def edit_theme(slug: str, key: str, theme_id: int) -> ResponseReturnValue:
    """Rename a theme, change its description and phrases."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    theme = _theme_or_404(consultation, question, theme_id)
    errors: list[dict[str, str]] = []
    values = {
        "name": theme.name,
        "description": theme.description,
        "phrases": "\n".join(theme.phrases or ()),
    }
    if request.method == "POST":
        values = {field: request.form.get(field, "") for field in values}
        try:
            themes.rename_theme(theme, values["name"])
        except ThemeError as exc:
            errors.append({"text": str(exc), "href": "#name"})
        try:
            themes.describe_theme(theme, values["description"], values["phrases"].splitlines())
        except ThemeError as exc:
            errors.append({"text": str(exc), "href": "#description"})
        if errors:
            db.session.rollback()
        else:
            action_log.record("theme changed", consultation, theme.name, by=current_user)
            db.session.commit()
            flash(f"Theme '{theme.name}' saved", "success")
            return redirect(url_for(".manage", slug=slug, key=key))
    return _theme_page(consultation, question, theme, values, errors)


@bp.post("/consultations/<slug>/themes/<key>/themes/<int:theme_id>/merge")
@role_required(Role.OFFICER)
def merge_theme(slug: str, key: str, theme_id: int) -> ResponseReturnValue:
    """Merge a theme into another: its codes and phrases move, and it is removed."""
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, key)
    theme = _theme_or_404(consultation, question, theme_id)
    into_id = request.form.get("into", "")
    into = themes.theme_of(consultation, int(into_id)) if into_id.isdigit() else None
    values = {
        "name": theme.name,
        "description": theme.description,
        "phrases": "\n".join(theme.phrases or ()),
    }
    if into is None or into.codebook != question.codebook:
        error = {"text": "Select the theme to merge into", "href": "#into"}
        return _theme_page(consultation, question, theme, values, [error])
    name = theme.name
    try:
        moved = themes.merge_themes(theme, into)
    except ThemeError as exc:
        db.session.rollback()
        error = {"text": str(exc)[0].upper() + str(exc)[1:], "href": "#into"}
        return _theme_page(consultation, question, theme, values, [error])
    action_log.record(
        "themes merged",
        consultation,
        f"{name} into {into.name}",
        f"{moved} answers",
        by=current_user,
    )
    db.session.commit()
    flash(f"'{name}' merged into '{into.name}': {plural(moved, 'answer')} moved", "success")
    return redirect(url_for(".manage", slug=slug, key=key))


def _theme_page(
    consultation: Consultation,
    question: Question,
    theme: Theme,
    values: dict[str, str],
    errors: list[dict[str, str]],
) -> ResponseReturnValue:
    others = [t for t in themes.question_themes(question) if t.id != theme.id]
    return render_template(  # errors are shown on the page, as the other forms do
        "officers/coding/theme.html",
        consultation=consultation,
        question=question,
        theme=theme,
        values=values,
        others=others,
        errors=errors,
    )
