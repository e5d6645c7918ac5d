"""What is waiting in the consultations, for the officers' home: read in a few grouped queries.

Consultations closing soon or overdue to open, responses flagged for review, free-text answers
not yet coded, and background jobs queued or running.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from common.database import db
from common.jobs import Job, JobState
from survey.data.models import Answer, AnswerCoding, Consultation, Question, Response, Status

CLOSING_SOON_DAYS = 14


@dataclass(frozen=True)
class Waiting:
    """What the officers' home lists, each item (consultation or job, and a number)."""

    closing_soon: list[tuple[Consultation, int]]  # (consultation, days left)
    due_to_open: list[Consultation]
    flagged: list[tuple[Consultation, int]]
    uncoded: list[tuple[Consultation, Question, int]]
    jobs: list[Job]


def waiting(today: dt.date) -> Waiting:
    consultations = {c.id: c for c in db.session.scalars(sa.select(Consultation))}
    closing = sorted(
        (
            (c, (c.closes - today).days)
            for c in consultations.values()
            if c.status == Status.OPEN.value and 0 <= (c.closes - today).days <= CLOSING_SOON_DAYS
        ),
        key=lambda pair: pair[1],
    )
    due = [c for c in consultations.values() if c.status == Status.DRAFT.value and c.opens <= today]
    flagged = [
        (consultations[cid], count)
        for cid, count in db.session.execute(
            sa.select(Response.consultation_id, sa.func.count())
            .where(Response.review_reason.is_not(None))
            .group_by(Response.consultation_id)
        )
    ]
    uncoded_rows = db.session.execute(
        sa.select(Question, sa.func.count(Answer.id))
        .join(Answer, Answer.question_id == Question.id)
        .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .where(
            Question.codebook.is_not(None),
            Answer.text.is_not(None),
            Answer.text != "",
            AnswerCoding.answer_id.is_(None),
        )
        .group_by(Question.id)
        .order_by(Question.consultation_id, Question.position)
    ).all()
    uncoded = [(consultations[q.consultation_id], q, int(n)) for q, n in uncoded_rows]
    jobs = list(
        db.session.scalars(
            sa.select(Job)
            .where(Job.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]))
            .order_by(Job.created_at)
        )
    )
    return Waiting(closing, due, flagged, uncoded, jobs)
