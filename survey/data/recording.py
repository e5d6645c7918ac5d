"""The one write path for responses: online, typed in by an officer, or imported from a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa

from common.database import db, utcnow
from survey.core.answers import AnswerValue, answer_rows
from survey.core.references import new_reference
from survey.data import consultations as store
from survey.data import result_cache
from survey.data.consultations import Versioned
from survey.data.models import Answer, Channel, Draft, Response


def reference_exists(reference: str) -> bool:
    """True when a response already has this reference."""
    return (
        db.session.scalar(sa.select(Response.id).where(Response.reference == reference)) is not None
    )


def unused_reference(taken: set[str] | None = None) -> str:
    """A fresh reference, not in the database nor in `taken`."""
    while True:
        reference = new_reference()
        if (taken is None or reference not in taken) and not reference_exists(reference):
            return reference


def record_response(
    consultation: Versioned,
    values: Mapping[str, AnswerValue],
    channel: Channel,
    *,
    reference: str | None = None,
    submitted_at: dt.datetime | None = None,
    submission_token: str | None = None,
    entered_by_id: int | None = None,
    review: tuple[str, str | None] | None = None,
) -> Response:
    """Add one checked response and its answers to the session; the caller commits.

    `values` must come from `check_response` against this consultation's questions. The
    response is flushed, so a unique reference or submission token is enforced here.
    `review` is (why an officer should look at it, the reference it resembles), if anything.
    """
    response = Response(
        consultation_id=consultation.id,
        reference=reference or unused_reference(),
        submitted_at=submitted_at or utcnow(),
        channel=channel.value,
        submission_token=submission_token,
        entered_by_id=entered_by_id,
        review_reason=review[0][:300] if review else None,
        review_like=review[1] if review else None,
    )
    db.session.add(response)
    db.session.flush()  # the response's id, for its answers
    rows = [
        {"response_id": response.id, "question_id": q, "row": r, "option": o, "text": t}
        for q, r, o, t in answer_rows(values, store.question_ids(consultation))
    ]
    if rows:
        # One executemany on the table: ORM objects would each be read back for their ids.
        db.session.execute(sa.insert(Answer.__table__), rows)
    # Last: concurrent writers to this consultation queue for its version's row until commit.
    result_cache.changed(consultation.id)
    return response


def record_submission(
    consultation: Versioned,
    values: Mapping[str, AnswerValue],
    token: str,
    review: tuple[str, str | None] | None = None,
) -> Response:
    """Record a resident's online response and delete its draft; the caller commits.

    The draft token is the response's submission token: if the same draft is sent twice at
    once, the second flush fails on it (IntegrityError) and the caller finds the first with
    `find_by_token`.
    """
    db.session.execute(sa.delete(Draft).where(Draft.token == token))
    return record_response(
        consultation, values, Channel.ONLINE, submission_token=token, review=review
    )


def find_by_token(token: str) -> Response | None:
    """The response recorded from this draft token, if any."""
    return db.session.scalar(sa.select(Response).where(Response.submission_token == token))
