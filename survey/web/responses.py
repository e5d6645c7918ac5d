"""Officers browse, open, correct and withdraw a consultation's responses.

Thin: the list is `survey.data.response_list` (filtered, counted and paged in SQL), a
correction goes through `survey.data.recording.correct_response` (the one write path), a
withdrawal through `personal_data.delete_response`; each change is in the action log with the
officer's reason. Pages showing residents' words are never cached.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    Response as FlaskResponse,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common import action_log
from common.access import role_required
from common.database import db
from common.models import Role
from common.text import clean_line
from survey.core.answers import Problem, RawAnswer, to_raw
from survey.core.question_types import check_response, from_rows
from survey.core.questions import QuestionSpec
from survey.data import consultations as store
from survey.data.models import Channel, Consultation, Response
from survey.data.personal_data import delete_response, find_response, respondent_record
from survey.data.recording import correct_response, stored_values
from survey.data.response_list import (
    ResponseFilter,
    breakdown_questions,
    count_responses,
    page_of_responses,
    theme_codes,
)
from survey.web.officers import consultation_or_404
from survey.web.question_pages import error_list, question_fields, raw_from_form

bp = Blueprint("responses", __name__)

CHANNEL_NAMES = {
    Channel.ONLINE.value: "Online",
    Channel.PAPER.value: "Paper form",
    Channel.EMAIL.value: "Email",
    Channel.EVENT.value: "At an event",
}
# Responses an officer typed in may be corrected; a resident's own online answers may not.
CORRECTABLE = {Channel.PAPER.value, Channel.EMAIL.value, Channel.EVENT.value}
REASON_LIMIT = 300


def _no_store(page: str) -> FlaskResponse:
    """A page holding residents' answers: never kept by a browser or proxy."""
    response = FlaskResponse(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def _filter_from(args: Mapping[str, str], consultation: Consultation) -> ResponseFilter:
    """The officer's filters from the query string; values that are not choices are ignored."""
    channel = args.get("channel") or None
    answers: dict[int, int] = {}
    for question in breakdown_questions(consultation):
        value = args.get(f"q{question.id}", "")
        if value.isdigit() and int(value) < len(question.spec().choices):
            answers[question.id] = int(value)
    return ResponseFilter(
        search=args.get("search", "")[:200],
        channel=channel if channel in CHANNEL_NAMES else None,
        flagged=args.get("flagged") == "yes",
        answers=answers,
    )


@bp.get("/consultations/<slug>/responses")
@role_required(Role.OFFICER)
def response_list(slug: str) -> ResponseReturnValue:
    """A page of responses, newest first, with the filters and how many match."""
    consultation = consultation_or_404(slug)
    wanted = _filter_from(request.args, consultation)
    after = request.args.get("after", "")
    rows, next_after = page_of_responses(
        consultation, wanted, int(after) if after.isdigit() else None
    )
    if wanted.search:
        action_log.record_read(
            "residents' words viewed",
            consultation,
            "responses searched",
            "responses " + (", ".join(row.reference for row in rows) or "none"),
            by=current_user,
        )
    breakdowns = [(q.id, q.spec()) for q in breakdown_questions(consultation)]
    filters = {k: v for k, v in request.args.items() if k != "after" and v}
    return _no_store(
        render_template(
            "officers/responses/list.html",
            consultation=consultation,
            wanted=wanted,
            rows=rows,
            matching=count_responses(consultation, wanted),
            total=store.response_count(consultation.id),
            breakdowns=breakdowns,
            channels=CHANNEL_NAMES,
            filters=filters,
            next_url=(
                url_for(".response_list", slug=slug, after=next_after, **filters)
                if next_after is not None
                else None
            ),
            first_url=url_for(".response_list", slug=slug, **filters) if after else None,
        )
    )


def _response_or_404(consultation: Consultation, reference: str) -> Response:
    response = find_response(reference)
    if response is None or response.consultation_id != consultation.id:
        abort(404)
    return response


@bp.get("/consultations/<slug>/responses/<reference>")
@role_required(Role.OFFICER)
def response_page(slug: str, reference: str) -> ResponseReturnValue:
    """Every answer of one response, with its theme codes, and what can be done with it."""
    consultation = consultation_or_404(slug)
    response = _response_or_404(consultation, reference)
    record = respondent_record(response)
    codes = theme_codes(response)
    ids = store.question_ids(consultation)
    for answer in record["answers"]:
        answer["themes"] = codes.get(ids.get(answer["key"], -1), [])
    action_log.record_read(
        "residents' words viewed", consultation, f"response {response.reference}", by=current_user
    )
    return _no_store(
        render_template(
            "officers/responses/response.html",
            consultation=consultation,
            response=response,
            record=record,
            channel=CHANNEL_NAMES.get(response.channel, response.channel),
            correctable=response.channel in CORRECTABLE,
        )
    )


@bp.post("/consultations/<slug>/responses/<reference>/export")
@role_required(Role.OFFICER)
def export_response(slug: str, reference: str) -> ResponseReturnValue:
    """Everything stored for the response, as the JSON a subject access request is sent."""
    consultation = consultation_or_404(slug)
    response = _response_or_404(consultation, reference)
    text = json.dumps(respondent_record(response), indent=2, ensure_ascii=False)
    action_log.record(
        "respondent's answers exported", consultation, response.reference, by=current_user
    )
    db.session.commit()
    download = FlaskResponse(text + "\n", mimetype="application/json")
    download.headers["Content-Disposition"] = (
        f'attachment; filename="response-{response.reference}.json"'
    )
    download.headers["Cache-Control"] = "no-store"
    return download


def _reason(errors: list[dict[str, str]]) -> str:
    reason = " ".join(clean_line(request.form.get("reason", "")).split())
    if not reason:
        errors.append({"text": "Enter why", "href": "#reason"})
    elif len(reason) > REASON_LIMIT:
        errors.append(
            {"text": f"The reason must be {REASON_LIMIT} characters or fewer", "href": "#reason"}
        )
    return reason


@bp.route("/consultations/<slug>/responses/<reference>/withdraw", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def withdraw_response(slug: str, reference: str) -> ResponseReturnValue:
    """Ask why, then delete the response and its answers; the results change with it."""
    consultation = consultation_or_404(slug)
    response = _response_or_404(consultation, reference)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        reason = _reason(errors)
        if not errors:
            delete_response(response)
            action_log.record(
                "response withdrawn", consultation, response.reference, reason, by=current_user
            )
            db.session.commit()
            flash(
                f"Response {response.reference} withdrawn: its answers are deleted and the "
                "results no longer count it",
                "success",
            )
            return redirect(url_for(".response_list", slug=slug))
    return _no_store(
        render_template(
            "officers/responses/withdraw.html",
            consultation=consultation,
            response=response,
            errors=errors,
            reason=request.form.get("reason", ""),
        )
    )


def _prefix(spec: QuestionSpec) -> str:
    return f"{spec.key}-"


@bp.route("/consultations/<slug>/responses/<reference>/correct", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def correct(slug: str, reference: str) -> ResponseReturnValue:
    """Correct a response an officer typed in: its answers as now stored, checked as on entry,
    saved with the reason in the action log."""
    consultation = consultation_or_404(slug)
    response = _response_or_404(consultation, reference)
    if response.channel not in CORRECTABLE:
        abort(404)
    specs = [q.spec() for q in consultation.questions]
    errors: list[dict[str, str]] = []
    problems: dict[str, list[Problem]] = {}
    if request.method == "POST":
        raw: dict[str, RawAnswer | None] = {
            s.key: raw_from_form(s, request.form, prefix=_prefix(s)) for s in specs
        }
        values, problems = check_response(specs, raw, enforce_required=False)
        if not values and not problems:
            problems = {specs[0].key: [Problem("Enter at least one answer")]}
        reason = _reason(errors)
        errors = [
            item for s in specs for item in error_list(s, problems.get(s.key, []), _prefix(s))
        ] + errors
        if not errors:
            changed = correct_response(consultation, response, values)
            if not changed:
                flash("Nothing was changed: the answers are as they were", "info")
            else:
                texts = {s.key: s.text for s in specs}
                action_log.record(
                    "response corrected",
                    consultation,
                    response.reference,
                    f"{reason} (changed: {', '.join(changed)})",
                    by=current_user,
                )
                db.session.commit()
                flash(
                    f"Response {response.reference} corrected: "
                    + "; ".join(texts[k] for k in changed),
                    "success",
                )
            return redirect(url_for(".response_page", slug=slug, reference=response.reference))
    else:
        rows = stored_values(response, store.question_ids(consultation))
        raw = {s.key: to_raw(s, from_rows(s, rows.get(s.key, []))) for s in specs}
    return _no_store(
        render_template(
            "officers/responses/correct.html",
            consultation=consultation,
            response=response,
            errors=errors,
            reason=request.form.get("reason", ""),
            questions=[
                question_fields(
                    s, raw.get(s.key), problems.get(s.key, []), heading=False, prefix=_prefix(s)
                )
                for s in specs
            ],
        )
    )
