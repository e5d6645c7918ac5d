"""The one write path for responses: online, typed in by an officer, or imported from a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from survey import consultations as store
from survey.answers import AnswerValue, to_rows
from survey.database import db, utcnow
from survey.models import Answer, Channel, Consultation, Draft, Response
from survey.references import new_reference


class ReferenceTaken(ValueError):
    """An imported response's reference already belongs to another response."""


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
    consultation: Consultation,
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
    question_ids = store.question_ids(consultation)
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
        {
            "response_id": response.id,
            "question_id": question_ids[key],
            "row": stored.row,
            "option": stored.option,
            "text": stored.text,
        }
        for key, value in values.items()
        for stored in to_rows(value)
    ]
    if rows:
        # One executemany on the table rather than ORM objects: the ORM wants each answer's
        # id back, which on SQLite costs an INSERT ... RETURNING per answer (15 for a typical
        # response), and its bulk insert splits rows by which columns are None.
        db.session.execute(sa.insert(Answer.__table__), rows)
    return response


REFERENCE_TRIES = 5


def submit_once(
    consultation: Consultation,
    values: Mapping[str, AnswerValue],
    token: str,
    review: tuple[str, str | None] | None = None,
) -> Response:
    """Record an online response and drop its draft, once per draft token even if sent twice.

    Called only while the draft exists, so no response has this token unless a simultaneous
    request is recording it: the unique token stops the second, which is then given the
    first's response. The new reference is not looked up beforehand either: the unique
    constraint catches the rare clash (about 1 in 55,000 at a million responses) and another is
    drawn. The usual submission is three statements: response, answers, draft deleted.
    """
    for _ in range(REFERENCE_TRIES):
        try:
            response = record_response(
                consultation,
                values,
                Channel.ONLINE,
                reference=new_reference(),
                submission_token=token,
                review=review,
            )
            db.session.execute(sa.delete(Draft).where(Draft.token == token))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            existing = find_by_token(token)
            if existing is not None:
                return existing
            continue  # the reference was taken: draw another
        return response
    raise RuntimeError(f"no unused reference after {REFERENCE_TRIES} tries")


def find_by_token(token: str) -> Response | None:
    """The response recorded from this draft token, if any."""
    return db.session.scalar(sa.select(Response).where(Response.submission_token == token))
