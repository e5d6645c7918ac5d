"""Officers type in a response that arrived on paper, by email or at an event.

Every question is on one page, checked by the same `check_response` as online answers (but
a resident may skip any question on paper), and recorded by the one write path,
`record_response`, with the officer who entered it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, RadioField

from common import action_log
from common.access import role_required
from common.clock import midday_on, today
from common.database import db, utcnow
from common.models import Role
from survey.core.answers import AnswerValue, Problem, RawAnswer
from survey.core.definitions import parse_date
from survey.core.follow_ups import not_asked
from survey.core.question_types import check_response
from survey.core.questions import QuestionSpec
from survey.data import consultations as store
from survey.data.models import Channel, Consultation, Response
from survey.data.recording import find_by_token, record_response
from survey.web.date_input import DateParts, form_errors
from survey.web.officers import bp, consultation_or_404, consultation_url
from survey.web.question_pages import error_list, question_fields, raw_from_form

CHANNELS = {
    Channel.PAPER.value: "Paper form",
    Channel.EMAIL.value: "Email",
    Channel.EVENT.value: "At an event",
}


class PaperResponseForm(FlaskForm):  # type: ignore[misc]
    channel = RadioField(
        "How did the response arrive?",
        choices=list(CHANNELS.items()),
        default=Channel.PAPER.value,
        widget=GovRadioInput(),
        validate_choice=False,
    )
    received = DateParts(
        "Date received (optional)",
        describes="the date the response was received",
        required=False,
        default=today,
        description="For example, 27 3 2026. If left blank, today's date is used.",
    )
    # Sent once per page: a second click of the button finds the response the first recorded.
    submission = HiddenField()


def _prefix(spec: QuestionSpec) -> str:
    """Form field names of a question start with its key, so questions cannot clash."""
    return f"{spec.key}-"


@bp.route("/consultations/<slug>/paper-response", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def paper_response(slug: str) -> ResponseReturnValue:
    """Every question on one page; record the response if all is well."""
    consultation = consultation_or_404(slug)
    specs = [q.spec() for q in consultation.questions]
    if not specs:
        flash("Add a question before entering responses", "info")
        return redirect(consultation_url(consultation))
    form = PaperResponseForm()
    raw: dict[str, RawAnswer | None] = {}
    problems: dict[str, list[Problem]] = {}
    errors: list[dict[str, str]] = []
    if not form.is_submitted():
        form.submission.data = secrets.token_urlsafe(32)
    else:
        token = _token(form.submission.data)
        done = find_by_token(token) if token else None
        if done is not None:
            if done.consultation_id != consultation.id:
                abort(400)
            return _recorded(consultation, done.reference)
        raw = {s.key: raw_from_form(s, request.form, prefix=_prefix(s)) for s in specs}
        values, problems = _checked_answers(specs, raw)
        channel, submitted_at = _checked_details(form)
        errors = form_errors(form) + [
            item for s in specs for item in error_list(s, problems.get(s.key, []), _prefix(s))
        ]
        if not errors and channel is not None:
            reference = _record(consultation, values, channel, submitted_at, token)
            return _recorded(consultation, reference)
    return render_template(
        "officers/paper_response.html",
        consultation=consultation,
        form=form,
        errors=errors,
        first_response=not store.has_responses(consultation),
        questions=[
            (
                question_fields(
                    s, raw.get(s.key), problems.get(s.key, []), heading=False, prefix=_prefix(s)
                ),
                _only_when(s),
            )
            for s in specs
        ],
    )


def _only_when(spec: QuestionSpec) -> str:
    """For a follow-up, when it is asked: its answer is left blank otherwise."""
    if spec.show_if is None:
        return ""
    reason = not_asked(spec)
    return f"{reason[:1].upper()}{reason[1:]}: leave it blank otherwise."


def _token(value: object) -> str | None:
    """The page's submission token, if it looks like one the page gave out."""
    return value if isinstance(value, str) and 20 <= len(value) <= 64 else None


def _checked_answers(
    specs: Sequence[QuestionSpec], raw: dict[str, RawAnswer | None]
) -> tuple[dict[str, AnswerValue], dict[str, list[Problem]]]:
    """Each answer checked as online, except that any may be blank, but not every one."""
    values, problems = check_response(specs, raw, enforce_required=False)
    if not values and not problems:
        problems = {specs[0].key: [Problem("Enter at least one answer")]}
    return values, problems


def _checked_details(form: PaperResponseForm) -> tuple[Channel | None, dt.datetime | None]:
    """The channel and moment received, or None with errors on the form's fields."""
    form.validate()
    channel = None
    if form.channel.data in CHANNELS:
        channel = Channel(form.channel.data)
    else:
        form.channel.errors.append("Select how the response arrived")
    if form.received.errors or form.received.iso is None:
        return channel, None
    problems: list[str] = []
    day = parse_date(form.received.iso, "received", problems)
    if day is None:
        form.received.errors.append("The date the response was received must be a real date")
    elif day > today():
        form.received.errors.append("The date the response was received must be today or earlier")
    elif day < today():
        return channel, midday_on(day)
    return channel, None


def _record(
    consultation: Consultation,
    values: dict[str, AnswerValue],
    channel: Channel,
    submitted_at: dt.datetime | None,
    token: str | None,
) -> str:
    """Record the response once, even if the page was sent twice; its reference."""
    try:
        response = record_response(
            consultation,
            values,
            channel,
            submitted_at=submitted_at or utcnow(),
            submission_token=token,
            entered_by_id=current_user.id,
        )
        reference = response.reference
        action_log.record(
            f"{channel.value} response entered", consultation, reference, by=current_user
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        done = find_by_token(token) if token else None
        if done is None:
            raise
        return done.reference
    return reference


def _recorded(consultation: Consultation, reference: str) -> ResponseReturnValue:
    """Send the officer to the page showing the recorded reference."""
    return redirect(
        url_for("officers.paper_response_recorded", slug=consultation.slug, reference=reference)
    )


@bp.get("/consultations/<slug>/paper-response/<reference>")
@role_required(Role.OFFICER)
def paper_response_recorded(slug: str, reference: str) -> ResponseReturnValue:
    """The reference of a recorded response, and the way to the next one."""
    consultation = consultation_or_404(slug)
    response = db.session.scalar(
        sa.select(Response).where(
            Response.reference == reference, Response.consultation_id == consultation.id
        )
    )
    if response is None:
        abort(404)
    return render_template(
        "officers/paper_response_recorded.html",
        consultation=consultation,
        response=response,
        channel=CHANNELS.get(response.channel, response.channel),
    )
