"""Officers' pages for a draft out for comment: record partners' and committees' comments,
respond to every point, and publish "You said, we did".

Thin: the checks and the saving are `assembly.data.you_said`'s; with any problem nothing is
saved and each problem is shown at its field.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from assembly.core.you_said import KINDS, OUTCOMES, section_choices
from assembly.data import comment_rounds, strategies, you_said
from assembly.data.models import Strategy, StrategyConsultation
from assembly.web.dates import date_items, posted_date
from common import action_log
from common.access import role_required
from common.database import db
from common.models import Role
from common.settings import suppression_threshold
from common.text import clean_line, clean_text
from survey import interface

bp = Blueprint("strategy_comments", __name__)

COMMENT_FIELDS = ("section", "organisation", "kind", "made_by", "made_on", "text", "recommendation")
ANSWER_FIELDS = ("outcome", "detail", "passed_to")


def _round_or_404(slug: str, version: int) -> tuple[Strategy, StrategyConsultation]:
    strategy = strategies.by_strategy_slug(slug) or abort(404)
    made = comment_rounds.round_of(strategy, version) or abort(404)
    return strategy, made


def _errors(problems: dict[str, str], fields: tuple[str, ...]) -> list[dict[str, str]]:
    anchor = {"made_on": "made_on-day", "kind": "kind", "outcome": "outcome"}
    return [{"text": problems[f], "href": f"#{anchor.get(f, f)}"} for f in fields if f in problems]


@bp.route("/strategies/<slug>/comments/<int:version>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def comments(slug: str, version: int) -> ResponseReturnValue:
    """Every point said about a draft, its response, and the form to record a comment."""
    strategy, made = _round_or_404(slug, version)
    problems: dict[str, str] = {}
    if request.method == "POST":
        made_on, date_problem = posted_date(request.form, "made_on", "the date it was made")
        try:
            you_said.record_comment(
                made,
                section=request.form.get("section", ""),
                organisation=clean_line(request.form.get("organisation", "")).strip(),
                kind=request.form.get("kind", ""),
                made_by=clean_line(request.form.get("made_by", "")).strip(),
                made_on=made_on,
                text=clean_text(request.form.get("text", "")).strip(),
                recommendation=request.form.get("recommendation") == "yes",
                user=current_user,
            )
        except you_said.PointProblems as exc:
            db.session.rollback()
            problems = exc.problems
            if date_problem and "made_on" in problems:
                problems["made_on"] = date_problem
        else:
            db.session.commit()
            flash("Comment recorded. Now give the partnership's response to it.", "success")
            return redirect(url_for(".comments", slug=slug, version=version), code=303)
    points = you_said.points_of(made, minimum=suppression_threshold())
    spec = you_said.spec_of_round(made)
    return render_template(
        "officers/strategies/comments.html",
        strategy=strategy,
        made=made,
        consultation=interface.consultation(made.consultation_slug),
        points=points,
        unanswered=sum(1 for p in points if p.answer is None),
        sections=section_choices(spec),
        kinds=KINDS,
        form=request.form,
        problems=problems,
        errors=_errors(problems, COMMENT_FIELDS),
        page_has_errors=bool(problems),
        date_items=date_items(request.form, "made_on", "made_on" in problems),
    ), (400 if problems else 200)


@bp.route("/strategies/<slug>/comments/<int:version>/respond", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def respond(slug: str, version: int) -> ResponseReturnValue:
    """The partnership's response to one point: changed, not changed, or passed on."""
    strategy, made = _round_or_404(slug, version)
    subject = request.values.get("subject", "")
    points = {p.subject: p for p in you_said.points_of(made, minimum=suppression_threshold())}
    point = points.get(subject) or abort(404)
    problems: dict[str, str] = {}
    values = {
        "outcome": point.answer.outcome if point.answer else "",
        "detail": point.answer.detail if point.answer else "",
        "passed_to": point.answer.passed_to if point.answer else "",
    }
    if request.method == "POST":
        values = {
            "outcome": request.form.get("outcome", ""),
            "detail": clean_text(request.form.get("detail", "")).strip(),
            "passed_to": clean_line(request.form.get("passed_to", "")).strip(),
        }
        try:
            you_said.respond(
                made, subject, **values, minimum=suppression_threshold(), user=current_user
            )
        except you_said.PointProblems as exc:
            db.session.rollback()
            problems = exc.problems
        else:
            db.session.commit()
            flash("Response saved", "success")
            return redirect(url_for(".comments", slug=slug, version=version), code=303)
    return render_template(
        "officers/strategies/respond.html",
        strategy=strategy,
        made=made,
        point=point,
        values=values,
        outcomes=OUTCOMES,
        problems=problems,
        errors=_errors(problems, ANSWER_FIELDS),
        page_has_errors=bool(problems),
    ), (400 if problems else 200)


@bp.post("/strategies/<slug>/comments/<int:version>/publish")
@role_required(Role.OFFICER)
def publish(slug: str, version: int) -> ResponseReturnValue:
    """Publish "You said, we did" (the points with a response), or withdraw it."""
    strategy, made = _round_or_404(slug, version)
    made.you_said_published = request.form.get("publish") == "yes"
    what = "published" if made.you_said_published else "withdrawn"
    action_log.record(f"you said, we did {what}", None, strategy.title, f"draft {version}",
                      by=current_user)  # fmt: skip
    db.session.commit()
    flash(f"'You said, we did' {what}", "success")
    return redirect(url_for(".comments", slug=slug, version=version), code=303)
