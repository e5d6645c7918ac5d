"""Residents' personal data: one respondent's answers found, exported or deleted by reference,
and free text removed after the retention period.

Purging keeps each free-text answer's row and its theme codes and clears only the words, so
results already computed (how many answered, which themes) stay as they were.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from common.database import db
from common.display import iso_timestamp
from survey.core.answers import StoredRow, describe
from survey.core.question_types import FREE_TEXT_TYPES, from_rows
from survey.core.questions import OTHER_OPTION
from survey.data import result_cache
from survey.data.models import Answer, Consultation, Question, Response, Theme, ThemeQuote


def find_response(reference: str) -> Response | None:
    """The response with this reference (case and spaces forgiven), if any."""
    cleaned = "".join(reference.split()).upper()
    return db.session.scalar(sa.select(Response).where(Response.reference == cleaned))


def respondent_record(response: Response) -> dict[str, Any]:
    """Everything stored about one response, as a subject access request would need it."""
    consultation = db.session.get(Consultation, response.consultation_id)
    assert consultation is not None
    rows: dict[int, list[StoredRow]] = {}
    for answer in response.answers:
        rows.setdefault(answer.question_id, []).append(
            StoredRow(answer.row, answer.option, answer.text)
        )
    answers = []
    for question in consultation.questions:
        spec = question.spec()
        value = from_rows(spec, rows.get(question.id, []))
        answers.append({"key": spec.key, "question": spec.text, "answer": describe(spec, value)})
    return {
        "consultation": {"slug": consultation.slug, "title": consultation.title},
        "reference": response.reference,
        "submitted_at": iso_timestamp(response.submitted_at),
        "channel": response.channel,
        "answers": answers,
        "quotes": _quotes_of(response),
    }


def _quotes_of(response: Response) -> list[dict[str, str]]:
    """The response's words that officers chose to quote, as each quote reads."""
    rows = db.session.execute(
        sa.select(Question.key, Theme.name, ThemeQuote.text)
        .join(Answer, Answer.id == ThemeQuote.answer_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Theme, Theme.id == ThemeQuote.theme_id)
        .where(Answer.response_id == response.id)
        .order_by(ThemeQuote.id)
    )
    return [{"key": key, "theme": theme, "quote": text} for key, theme, text in rows]


def delete_response(response: Response) -> None:
    """Remove a response and all its answers and codes; the caller commits."""
    result_cache.changed(response.consultation_id)
    db.session.delete(response)


def _free_text_due(before: dt.datetime) -> sa.ColumnElement[bool]:
    """The one retention rule for free text: the words of free-text and "Other" answers of
    responses submitted before `before` (both the purge and the retention run use it)."""
    text_questions = sa.select(Question.id).where(Question.type.in_(FREE_TEXT_TYPES))
    return sa.and_(
        Answer.text.is_not(None),
        Answer.response_id.in_(sa.select(Response.id).where(Response.submitted_at < before)),
        sa.or_(Answer.question_id.in_(text_questions), Answer.option == OTHER_OPTION),
    )


def free_text_due(before: dt.datetime) -> sa.Select[tuple[int, int]]:
    """How many answers' words `purge_free_text(before)` would clear, per consultation id."""
    return (
        sa.select(Response.consultation_id, sa.func.count(Answer.id))
        .join(Response, Response.id == Answer.response_id)
        .where(_free_text_due(before))
        .group_by(Response.consultation_id)
    )


def purge_free_text(before: dt.datetime, consultation: Consultation | None = None) -> int:
    """Clear the words of free-text and "Other" answers of responses submitted before `before`,
    and delete officers' quotes of those words.

    Returns how many answers were cleared. The caller commits.
    """
    due = _free_text_due(before)
    if consultation is not None:
        mine = sa.select(Response.id).where(Response.consultation_id == consultation.id)
        due = sa.and_(due, Answer.response_id.in_(mine))
    db.session.execute(
        sa.delete(ThemeQuote)
        .where(ThemeQuote.answer_id.in_(sa.select(Answer.id).where(due)))
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        sa.update(Answer).where(due).values(text=None).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
