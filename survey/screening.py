"""Probable duplicates and automated submissions: flagged for officers, never dropped.

An online response is recorded whatever happens here; this only says why an officer should
look at it: the same answers sent again from the same browser, the same long free text as
another response minutes earlier, or a field that people never see filled in (a honeypot).
Officers then keep it or remove it (`review_flagged`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa

from survey import audit
from survey.answers import AnswerValue, to_rows
from survey.database import db, utcnow
from survey.models import Answer, Consultation, Question, Response
from survey.personal_data import delete_response
from survey.questions import QuestionType

SAME_TEXT_WINDOW = dt.timedelta(minutes=10)
SAME_TEXT_MIN_LENGTH = 30  # shorter answers ("Burglary", "Speeding cars") repeat honestly
HONEYPOT_FIELD = "website"  # hidden from people (display: none); bots fill in every field
HONEYPOT_REASON = "a field hidden from people was filled in, as automated programs do"


def _rows(values: Mapping[str, AnswerValue], question_ids: Mapping[str, int]) -> set[tuple]:  # type: ignore[type-arg]
    return {
        (question_ids[key], stored.row, stored.option, stored.text)
        for key, value in values.items()
        for stored in to_rows(value)
    }


def same_answers_as(
    earlier: Response, values: Mapping[str, AnswerValue], question_ids: Mapping[str, int]
) -> bool:
    """True when `values` are exactly the answers `earlier` recorded."""
    stored = db.session.execute(
        sa.select(Answer.question_id, Answer.row, Answer.option, Answer.text).where(
            Answer.response_id == earlier.id
        )
    )
    return {tuple(row) for row in stored} == _rows(values, question_ids)


def same_text_recently(
    consultation: Consultation,
    values: Mapping[str, AnswerValue],
    question_ids: Mapping[str, int],
    now: dt.datetime | None = None,
) -> str | None:
    """The reference of a response of the last few minutes with the same long free text."""
    texts = [
        (question_ids[key], stored.text)
        for key, value in values.items()
        for stored in to_rows(value)
        if stored.text and len(stored.text) >= SAME_TEXT_MIN_LENGTH
    ]
    if not texts:
        return None
    since = (now or utcnow()) - SAME_TEXT_WINDOW
    free_text = sa.select(Question.id).where(
        Question.consultation_id == consultation.id,
        Question.type == QuestionType.FREE_TEXT.value,
    )
    found = db.session.scalar(
        sa.select(Response.reference)
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.consultation_id == consultation.id,
            Response.submitted_at >= since,
            Answer.question_id.in_(free_text),
            sa.or_(*(sa.and_(Answer.question_id == q, Answer.text == t) for q, t in texts)),
        )
        .order_by(Response.submitted_at.desc())
        .limit(1)
    )
    return str(found) if found is not None else None


def flag(response: Response, reason: str, like: str | None = None) -> None:
    """Mark a response for an officer to review; the caller commits."""
    response.review_reason = reason[:300]
    response.review_like = like


def flagged(consultation: Consultation) -> list[Response]:
    """The consultation's responses waiting for an officer's review, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Response)
            .where(Response.consultation_id == consultation.id, Response.review_reason.is_not(None))
            .order_by(Response.submitted_at, Response.id)
        )
    )


def flagged_count(consultation: Consultation) -> int:
    """How many of the consultation's responses wait for review."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(
                Response.consultation_id == consultation.id, Response.review_reason.is_not(None)
            )
        )
        or 0
    )


def review_flagged(response: Response, keep: bool) -> None:
    """An officer's decision: keep the response (it stays counted) or remove it. Caller commits."""
    consultation = db.session.get(Consultation, response.consultation_id)
    if keep:
        audit.record("flagged response kept", consultation, response.reference)
        response.review_reason = None
        response.review_like = None
    else:
        audit.record("flagged response removed", consultation, response.reference)
        delete_response(response)
