"""The one write path for responses: online, typed in by an officer, or imported from a file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.exc import IntegrityError

from survey import consultations as store
from survey.answers import AnswerValue, answer_rows
from survey.consultations import Versioned
from survey.database import db, on_postgresql, utcnow
from survey.direct_statements import DirectStatement, transaction
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
        **_response_row(
            consultation,
            reference or unused_reference(),
            submitted_at or utcnow(),
            channel,
            submission_token,
            entered_by_id,
            review,
        )
    )
    db.session.add(response)
    db.session.flush()  # the response's id, for its answers
    _insert_answers(response.id, values, question_ids)
    return response


# Built once: an import records a response per row, and building a statement costs more CPU
# than running it (about 0.4 ms against 0.06 ms through the session).
_INSERT_ANSWERS = sa.insert(Answer.__table__)


def _response_row(
    consultation: Versioned,
    reference: str,
    submitted_at: dt.datetime,
    channel: Channel,
    submission_token: str | None,
    entered_by_id: int | None,
    review: tuple[str, str | None] | None,
) -> dict[str, Any]:
    return {
        "consultation_id": consultation.id,
        "reference": reference,
        "submitted_at": submitted_at,
        "channel": channel.value,
        "submission_token": submission_token,
        "entered_by_id": entered_by_id,
        "review_reason": review[0][:300] if review else None,
        "review_like": review[1] if review else None,
    }


def _insert_answers(
    response_id: int, values: Mapping[str, AnswerValue], question_ids: Mapping[str, int]
) -> None:
    rows = [
        {"response_id": response_id, "question_id": q, "row": r, "option": o, "text": t}
        for q, r, o, t in answer_rows(values, question_ids)
    ]
    if rows:
        # One executemany on the table rather than ORM objects: the ORM wants each answer's
        # id back, which on SQLite costs an INSERT ... RETURNING per answer (15 for a typical
        # response), and its bulk insert splits rows by which columns are None.
        db.session.execute(_INSERT_ANSWERS, rows)


# The online submission's write, built once: it runs on every submission, and building a
# statement costs more CPU than running it. On PostgreSQL the answers go as one JSON array of
# rows ({"question_id", "row", "option", "text"}), so the statement's text is the same for
# every response; on SQLite as an executemany of the same rows.
_ANSWER_COLUMNS = ["response_id", "question_id", "row", "option", "text"]


def _new_response() -> sa.Insert:
    """The response with the values given when run (`_response_row`), returning its id."""
    response = Response.__table__
    columns = [
        *("consultation_id", "reference", "submitted_at", "channel", "submission_token"),
        *("entered_by_id", "review_reason", "review_like"),
    ]
    given_values = {name: sa.bindparam(name, type_=response.c[name].type) for name in columns}
    # The model's Python-side default is not applied by a direct statement.
    return sa.insert(response).values(given_values | {"tally_state": 0}).returning(response.c.id)


def _submission_statement() -> sa.Select[tuple[int]]:
    """PostgreSQL: the response, its answers and the draft's deletion as one statement.

    Three writes in one round trip instead of three (the answers would otherwise be a
    pipeline of one INSERT per answer row), and no transaction to begin and commit around
    them. The answers' JSON rather than four arrays, whose conversion in the driver cost more
    of the web worker's CPU than the server's parsing of the JSON. Data-modifying WITH clauses
    always run, once, to completion.
    """
    answer, draft = Answer.__table__, Draft.__table__
    new_response = _new_response().cte("new_response")
    given = (
        sa.func.json_to_recordset(sa.cast(sa.bindparam("answers", type_=sa.Text), JSON))
        .table_valued(
            sa.column("question_id", sa.Integer),
            sa.column("row", sa.Integer),
            sa.column("option", sa.Integer),
            sa.column("text", sa.Text),
        )
        .render_derived(name="given", with_types=True)
    )
    new_answers = sa.insert(answer).from_select(
        _ANSWER_COLUMNS,
        sa.select(
            new_response.c.id, given.c.question_id, given.c.row, given.c.option, given.c.text
        ).select_from(new_response.join(given, sa.true())),
    )
    sent_draft = sa.delete(draft).where(draft.c.token == sa.bindparam("token"))
    return (
        sa.select(new_response.c.id)
        .add_cte(new_answers.cte("new_answers"))
        .add_cte(sent_draft.cte("sent_draft"))
    )


_SUBMISSION = DirectStatement(_submission_statement())
_NEW_RESPONSE = DirectStatement(_new_response())
_NEW_ANSWER = DirectStatement(
    sa.insert(Answer.__table__).values({name: sa.bindparam(name) for name in _ANSWER_COLUMNS})
)
_SENT_DRAFT = DirectStatement(
    sa.delete(Draft.__table__).where(Draft.__table__.c.token == sa.bindparam("token"))
)


def _write_submission(
    row: dict[str, Any], values: Mapping[str, AnswerValue], question_ids: Mapping[str, int]
) -> None:
    """Insert the response and its answers and delete its draft (`row["submission_token"]`),
    committed at once: on PostgreSQL one statement, on SQLite three in one transaction."""
    answers = [
        {"question_id": q, "row": r, "option": o, "text": t}
        for q, r, o, t in answer_rows(values, question_ids)
    ]
    token = {"token": row["submission_token"]}
    if on_postgresql():
        _SUBMISSION.rows(row | token | {"answers": json.dumps(answers, ensure_ascii=False)})
        return
    # Everything is ready before the write lock is taken: the three statements run back to
    # back, and the lock is held only while they do. The answers as an executemany, which
    # cost SQLite half as much as reading the same rows out of JSON (150 against 300 us).
    with transaction():
        ((response_id,),) = _NEW_RESPONSE.rows(row)
        _NEW_ANSWER.run_many([answer | {"response_id": response_id} for answer in answers])
        _SENT_DRAFT.rows(token)


REFERENCE_TRIES = 5


def submit_once(
    consultation: Versioned,
    values: Mapping[str, AnswerValue],
    token: str,
    review: tuple[str, str | None] | None = None,
) -> str:
    """Record an online response and drop its draft, once per draft token even if sent twice.

    Returns the response's reference. Called only while the draft exists, so no response has
    this token unless a simultaneous request is recording it: the unique token stops the
    second, which is then given the first's reference. The new reference is not looked up
    beforehand either: the unique constraint catches the rare clash (about 1 in 55,000 at a
    million responses) and another is drawn. The usual submission writes the same rows as
    `record_response` in statements built once and run straight on the driver: response,
    answers, draft deleted (on PostgreSQL a single statement, on SQLite one transaction).
    """
    question_ids = store.question_ids(consultation)
    for _ in range(REFERENCE_TRIES):
        reference = new_reference()
        try:
            row = _response_row(
                consultation, reference, utcnow(), Channel.ONLINE, token, None, review
            )
            _write_submission(row, values, question_ids)
        except IntegrityError:
            db.session.rollback()
            existing = find_by_token(token)
            if existing is not None:
                return existing.reference
            continue  # the reference was taken: draw another
        return reference
    raise RuntimeError(f"no unused reference after {REFERENCE_TRIES} tries")


def find_by_token(token: str) -> Response | None:
    """The response recorded from this draft token, if any."""
    return db.session.scalar(sa.select(Response).where(Response.submission_token == token))
