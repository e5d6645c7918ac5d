"""Officers browse a consultation's responses: filtered, searched, counted and paged in SQL.

Newest first, a page at a time by keyset (the last response shown), so the thousandth page
costs what the first does; the count of matching responses is one `COUNT(*)`. Reads only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from common.database import db
from survey.data.models import Answer, AnswerTheme, Consultation, Question, Response, Theme

PAGE_SIZE = 50


@dataclass(frozen=True)
class ResponseFilter:
    """What an officer asked for: all of these hold for each response listed."""

    search: str = ""  # a reference, or words in any free-text answer
    channel: str | None = None
    flagged: bool = False
    # breakdown question id -> the option index chosen
    answers: Mapping[int, int] = field(default_factory=dict)

    @property
    def reference(self) -> str | None:
        """The search as a response reference, if it can be one."""
        cleaned = "".join(self.search.split()).upper()
        if len(cleaned) == 8 and cleaned.isascii() and cleaned.isalnum():
            return cleaned
        return None


@dataclass(frozen=True)
class ListedResponse:
    """One row of the list: the response and its breakdown answers (option indices)."""

    id: int
    reference: str
    submitted_at: dt.datetime
    channel: str
    flagged: bool
    breakdown: Mapping[int, int]


def _where(consultation: Consultation, wanted: ResponseFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [Response.consultation_id == consultation.id]
    words = wanted.search.strip()
    reference = wanted.reference
    if reference is not None and _has_reference(consultation, reference):
        conditions.append(Response.reference == reference)
    elif words:
        conditions.append(_text_contains(consultation, words))
    if wanted.channel:
        conditions.append(Response.channel == wanted.channel)
    if wanted.flagged:
        conditions.append(Response.review_reason.is_not(None))
    for question_id, option in wanted.answers.items():
        conditions.append(
            sa.exists().where(
                Answer.response_id == Response.id,
                Answer.question_id == question_id,
                Answer.row.is_(None),
                Answer.option == option,
            )
        )
    return conditions


def _has_reference(consultation: Consultation, reference: str) -> bool:
    """A search that is one of the consultation's references finds that response alone."""
    return (
        db.session.scalar(
            sa.select(Response.id).where(
                Response.reference == reference, Response.consultation_id == consultation.id
            )
        )
        is not None
    )


def _text_contains(consultation: Consultation, words: str) -> sa.ColumnElement[bool]:
    """Some free-text (or "Other") answer of the response holds `words`, in any case.

    One pass over the consultation's written answers (the partial index on answers with
    text finds them), rather than a look into each response's answers in turn.
    """
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    questions = sa.select(Question.id).where(Question.consultation_id == consultation.id)
    return Response.id.in_(
        sa.select(Answer.response_id).where(
            Answer.question_id.in_(questions),
            Answer.text.is_not(None),
            Answer.text.ilike(f"%{escaped}%", escape="\\"),
        )
    )


def count_responses(consultation: Consultation, wanted: ResponseFilter) -> int:
    """How many responses match."""
    query = sa.select(sa.func.count()).select_from(Response).where(*_where(consultation, wanted))
    return int(db.session.scalar(query) or 0)


def page_of_responses(
    consultation: Consultation,
    wanted: ResponseFilter,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[ListedResponse], int | None]:
    """Up to `size` matching responses, newest first, after the response `after` (an id);
    and the id to continue after, or None on the last page."""
    conditions = _where(consultation, wanted)
    if after is not None:
        last = db.session.get(Response, after)
        if last is None or last.consultation_id != consultation.id:
            return [], None
        conditions.append(
            sa.or_(
                Response.submitted_at < last.submitted_at,
                sa.and_(Response.submitted_at == last.submitted_at, Response.id < last.id),
            )
        )
    rows = db.session.execute(
        sa.select(
            Response.id,
            Response.reference,
            Response.submitted_at,
            Response.channel,
            Response.review_reason.is_not(None),
        )
        .where(*conditions)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(size + 1)
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    breakdown = _breakdown_answers(consultation, [r[0] for r in rows])
    listed = [
        ListedResponse(r[0], r[1], r[2], r[3], bool(r[4]), breakdown.get(r[0], {})) for r in rows
    ]
    return listed, (listed[-1].id if more and listed else None)


def breakdown_questions(consultation: Consultation) -> list[Question]:
    """The questions responses can be filtered by (those results are broken down by)."""
    return [q for q in consultation.questions if q.breakdown]


def _breakdown_answers(
    consultation: Consultation, response_ids: Sequence[int]
) -> dict[int, dict[int, int]]:
    """Each listed response's answer to each breakdown question."""
    questions = [q.id for q in breakdown_questions(consultation)]
    if not response_ids or not questions:
        return {}
    found: dict[int, dict[int, int]] = {}
    for response_id, question_id, option in db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.option).where(
            Answer.response_id.in_(response_ids),
            Answer.question_id.in_(questions),
            Answer.row.is_(None),
            Answer.option.is_not(None),
        )
    ):
        found.setdefault(response_id, {})[question_id] = option
    return found


def theme_codes(response: Response) -> dict[int, list[str]]:
    """The theme names the response's answers are coded with, by question id."""
    codes: dict[int, list[str]] = {}
    for question_id, name in db.session.execute(
        sa.select(Answer.question_id, Theme.name)
        .select_from(AnswerTheme)
        .join(Theme, Theme.id == AnswerTheme.theme_id)
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .where(Answer.response_id == response.id)
        .order_by(Theme.position, Theme.name)
    ):
        codes.setdefault(question_id, []).append(name)
    return codes
