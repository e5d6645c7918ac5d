"""Officers' pages for choosing quotes per theme: the answers coded with each theme, a few at a
time, to use as quotes; a quote's words changed (to shorten it, or take a name out); a quote
removed.

Thin: every change is a `survey.data.quotes` function, which screens the words and writes the
action log. The pages hold residents' words, so they are sent with `Cache-Control: no-store`.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common.access import role_required
from common.database import db
from common.models import Role
from common.settings import suppression_threshold
from survey.core.personal_details import personal_details
from survey.core.quotes import LONGEST, MOST_PER_THEME, QuoteError
from survey.data import quotes, themes
from survey.data.models import Answer, Consultation, Question, Theme, ThemeQuote
from survey.web.addresses import query_number
from survey.web.coding import question_or_404, theme_or_404
from survey.web.officers import consultation_or_404

bp = Blueprint("quotes", __name__)

PER_THEME = 3  # answers offered per theme at a time: enough to choose from, a page to read


def _quote_or_404(question: Question, quote_id: int) -> ThemeQuote:
    quote = quotes.quote_of(question, quote_id)
    if quote is None:
        abort(404)
    return quote


def _no_store(page: str, status: int = 200) -> Response:
    """A page holding residents' answers: never kept by a browser or proxy."""
    response = Response(page, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/consultations/<slug>/themes/<key>/quotes")
@role_required(Role.OFFICER)
def choose(slug: str, key: str) -> ResponseReturnValue:
    """Each theme with its quotes and a few of its answers to choose from (?theme=ID&page=N
    pages one theme's answers)."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    paged_theme, paged_to = query_number("theme"), query_number("page") or 1
    chosen = quotes.quotes_of(question)
    by_id = {theme.id: theme for theme in themes.question_themes(question)}
    sections = []
    for summary in themes.theme_summaries(question):
        theme = by_id[summary.id]
        page_number = paged_to if summary.id == paged_theme else 1
        offered = quotes.candidates(question, theme, page_number, PER_THEME)
        warnings = {item.answer_id: personal_details(item.text) for item in offered.items}
        sections.append((summary, chosen.get(summary.id, []), offered, warnings))
    return _no_store(
        render_template(
            "officers/coding/quotes.html",
            consultation=consultation,
            question=question,
            sections=sections,
            most=MOST_PER_THEME,
            threshold=suppression_threshold(),
            hidden=quotes.hidden_by_groups(consultation, question, suppression_threshold()),
        )
    )


@bp.post("/consultations/<slug>/themes/<key>/quotes/<int:theme_id>/answers/<int:answer_id>")
@role_required(Role.OFFICER)
def use(slug: str, key: str, theme_id: int, answer_id: int) -> ResponseReturnValue:
    """Quote an answer under a theme: in its own words, or the officer's shortened ones when
    the form sends them. Words holding a personal detail come back to be changed."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    theme = theme_or_404(consultation, question, theme_id)
    answer = themes.answer_of(question, answer_id)
    if answer is None:
        abort(404)
    text = request.form.get("text")
    try:
        quotes.choose_quote(consultation, question, theme, answer, text, current_user)
    except QuoteError as exc:
        db.session.rollback()
        return _quote_form(consultation, question, theme, answer, None, text, exc)
    db.session.commit()
    flash(f"Quote added to {theme.name}", "success")
    return redirect(_back_to(slug, key, theme_id), code=303)


@bp.route(
    "/consultations/<slug>/themes/<key>/quotes/<int:quote_id>/change", methods=["GET", "POST"]
)
@role_required(Role.OFFICER)
def change(slug: str, key: str, quote_id: int) -> ResponseReturnValue:
    """Change a quote's words: shorten it, or replace a name with [name]."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    quote = _quote_or_404(question, quote_id)
    theme = theme_or_404(consultation, question, quote.theme_id)
    answer = db.session.get(Answer, quote.answer_id)
    assert answer is not None  # a quote goes with its answer
    if request.method == "GET":
        return _quote_form(consultation, question, theme, answer, quote, quote.text, None)
    text = request.form.get("text", "")
    try:
        quotes.change_quote(consultation, question, quote, text, current_user)
    except QuoteError as exc:
        db.session.rollback()
        return _quote_form(consultation, question, theme, answer, quote, text, exc)
    db.session.commit()
    flash(f"Quote changed for {theme.name}", "success")
    return redirect(_back_to(slug, key, theme.id), code=303)


@bp.post("/consultations/<slug>/themes/<key>/quotes/<int:quote_id>/remove")
@role_required(Role.OFFICER)
def remove(slug: str, key: str, quote_id: int) -> ResponseReturnValue:
    """Stop quoting an answer: the answer stays as it is, coded as it was."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    quote = _quote_or_404(question, quote_id)
    theme_id = quote.theme_id
    quotes.remove_quote(consultation, question, quote, current_user)
    db.session.commit()
    flash("Quote removed", "success")
    return redirect(_back_to(slug, key, theme_id), code=303)


def _back_to(slug: str, key: str, theme_id: int) -> str:
    return url_for(".choose", slug=slug, key=key, _anchor=f"theme-{theme_id}")


def _quote_form(
    consultation: Consultation,
    question: Question,
    theme: Theme,
    answer: Answer,
    quote: ThemeQuote | None,
    text: str | None,
    problem: QuoteError | None,
) -> Response:
    """The form to write a quote's words, beside the answer they come from; with the problems
    when they could not be saved (400)."""
    errors = [{"text": m, "href": "#text"} for m in problem.messages] if problem else []
    return _no_store(
        render_template(
            "officers/coding/quote.html",
            consultation=consultation,
            question=question,
            theme=theme,
            answer=answer,
            quote=quote,
            text=answer.text if text is None else text,
            errors=errors,
            longest=LONGEST,
        ),
        400 if errors else 200,
    )
