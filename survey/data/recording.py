"""The one write path for responses: online, typed in by an officer, or imported from a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import sqlalchemy as sa

from common.database import db, utcnow
from survey.core.answers import AnswerValue, StoredRow, answer_rows, to_rows
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


def stored_values(
    response: Response, question_ids: Mapping[str, int]
) -> dict[str, list[StoredRow]]:
    """The stored rows of each question the response answered, by question key."""
    keys = {question_id: key for key, question_id in question_ids.items()}
    rows: dict[str, list[StoredRow]] = {}
    for answer in sorted(response.answers, key=lambda a: a.id):
        if answer.question_id in keys:
            rows.setdefault(keys[answer.question_id], []).append(
                StoredRow(answer.row, answer.option, answer.text)
            )
    return rows


def correct_response(
    consultation: Versioned, response: Response, values: Mapping[str, AnswerValue]
) -> list[str]:
    """Make the response's answers `values` (checked by `check_response`); the caller commits.

    Only the questions whose answer changed are rewritten, so the theme codes of unchanged
    free text stay; a changed free-text answer loses its codes with its old words. Returns the
    keys of the questions changed, in the consultation's order.
    """
    question_ids = store.question_ids(consultation)
    before = stored_values(response, question_ids)
    changed = [
        key
        for key in question_ids
        if sorted(before.get(key, []), key=_order)
        != sorted(to_rows(values[key]) if key in values else [], key=_order)
    ]
    if not changed:
        return []
    db.session.execute(
        sa.delete(Answer).where(
            Answer.response_id == response.id,
            Answer.question_id.in_([question_ids[key] for key in changed]),
        )
    )
    rows = [
        {"response_id": response.id, "question_id": q, "row": r, "option": o, "text": t}
        for q, r, o, t in answer_rows(
            {key: values[key] for key in changed if key in values}, question_ids
        )
    ]
    if rows:
        db.session.execute(sa.insert(Answer.__table__), rows)
    db.session.expire(response, ["answers"])
    result_cache.changed(consultation.id)
    return changed


def _order(row: StoredRow) -> tuple[int, int, str]:
    return (
        -1 if row.row is None else row.row,
        -2 if row.option is None else row.option,
        row.text or "",
    )


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
