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

from common import action_log
from common.database import db, on_postgresql, utcnow
from common.models import User
from survey.core.answers import AnswerValue, answer_rows, to_rows
from survey.core.question_types import kind_of
from survey.data.consultations import Versioned, question_specs
from survey.data.models import TEXT_START, Answer, Consultation, Response
from survey.data.personal_data import delete_response

SAME_TEXT_WINDOW = dt.timedelta(minutes=10)
SAME_TEXT_MIN_LENGTH = 30  # shorter answers ("Burglary", "Speeding cars") repeat honestly
HONEYPOT_FIELD = "website"  # hidden from people (display: none); bots fill in every field
HONEYPOT_REASON = "a field hidden from people was filled in, as automated programs do"


def same_answers_as(
    earlier: Response, values: Mapping[str, AnswerValue], question_ids: Mapping[str, int]
) -> bool:
    """True when `values` are exactly the answers `earlier` recorded."""
    stored = db.session.execute(
        sa.select(Answer.question_id, Answer.row, Answer.option, Answer.text).where(
            Answer.response_id == earlier.id
        )
    )
    return {tuple(row) for row in stored} == set(answer_rows(values, question_ids))


def same_text_recently(
    consultation: Versioned,
    values: Mapping[str, AnswerValue],
    question_ids: Mapping[str, int],
    now: dt.datetime | None = None,
) -> str | None:
    """The reference of a response of the last few minutes with the same long free text.

    Its cost does not grow with the number of responses, however busy the consultation: each
    long free-text answer is looked up by question and the start of its text
    (`ix_answer_question_text_start`), and only the newest responses holding that same text
    are read, in the same statement.
    """
    free_text = {
        spec.key for spec in question_specs(consultation) if kind_of(spec.type).holds_free_text
    }
    since = (now or utcnow()) - SAME_TEXT_WINDOW
    for key, value in values.items():
        if key not in free_text:
            continue
        for stored in to_rows(value):
            text = stored.text
            if text and len(text) >= SAME_TEXT_MIN_LENGTH:
                found = _latest_with_text(question_ids[key], text, since)
                if found is not None:
                    return found
    return None


# Run on every online submission with a long free text. Both SQLite and
# PostgreSQL walk `ix_answer_question_text_start` backwards from the newest answer starting
# with the same 64 characters, stop after `NEWEST_COPIES` of them, and read those answers'
# responses by primary key; only then is the whole text compared. The cost grows neither with
# the consultation's size nor with how often the text was sent before.
# - The numbers are written into the statement, not bound: the planner matches an expression
#   to the index's `substr(text, 1, 64)` by its text, and `substr(text, $1, $2)` in a prepared
#   statement (psycopg prepares a statement run five times) would not match it.
# - SQLite uses the partial index only when its condition, `text IS NOT NULL`, is stated.
#   PostgreSQL proves it from substr() (a strict function), and stating it made the planner
#   expect a handful of rows, read every copy of the text with a bitmap scan and sort them,
#   rather than walk the index to the newest few. So the condition is stated for SQLite only.
NEWEST_COPIES = 10
_answer = Answer.__table__.c
_response = Response.__table__.c
_ONE, _START = sa.literal_column("1"), sa.literal_column(str(TEXT_START))


def _latest_with_text_statement(state_index_condition: bool) -> sa.Select[tuple[str]]:
    conditions = [
        _answer.question_id == sa.bindparam("question_id"),
        sa.func.substr(_answer.text, _ONE, _START) == sa.bindparam("start"),
    ]
    if state_index_condition:
        conditions.append(_answer.text.is_not(None))
    copies = (
        sa.select(_answer.response_id, _answer.text)
        .where(*conditions)
        .order_by(_answer.id.desc())
        .limit(sa.literal_column(str(NEWEST_COPIES)))
        .subquery("copies")
    )
    return (
        sa.select(_response.reference)
        .select_from(copies.join(Response.__table__, _response.id == copies.c.response_id))
        .where(
            copies.c.text == sa.bindparam("text"),
            _response.submitted_at >= sa.bindparam("since", type_=_response.submitted_at.type),
        )
        .order_by(_response.submitted_at.desc(), _response.reference.desc())
        .limit(_ONE)
    )


# Built once: building the statement costs more than running it, on every submission.
_LATEST_WITH_TEXT = {
    "sqlite": _latest_with_text_statement(state_index_condition=True),
    "postgresql": _latest_with_text_statement(state_index_condition=False),
}


def latest_with_text_statement() -> sa.Select[tuple[str]]:
    """The same-text lookup as the session's database should be asked it."""
    return _LATEST_WITH_TEXT["postgresql" if on_postgresql() else "sqlite"]


def _latest_with_text(question_id: int, text: str, since: dt.datetime) -> str | None:
    """The reference of the latest response since `since` answering this question with `text`.

    Looked for among the `NEWEST_COPIES` answers most recently recorded that start with the
    same 64 characters: a copy sent minutes ago is among them unless that many answers with
    the same start were recorded since, and then officers have those to look at.
    """
    found = db.session.scalar(
        latest_with_text_statement(),
        {"question_id": question_id, "start": text[:TEXT_START], "text": text, "since": since},
    )
    return None if found is None else str(found)


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


def review_flagged(response: Response, keep: bool, by: User | None) -> None:
    """An officer's decision: keep the response (it stays counted) or remove it. Caller commits."""
    consultation = db.session.get(Consultation, response.consultation_id)
    if keep:
        action_log.record("flagged response kept", consultation, response.reference, by=by)
        response.review_reason = None
        response.review_like = None
    else:
        action_log.record("flagged response removed", consultation, response.reference, by=by)
        delete_response(response)
