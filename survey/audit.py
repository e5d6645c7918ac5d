"""The audit log: who did what to which consultation, written in the same transaction.

Officer and admin actions call `record` just before they commit, so an action and its log
entry are saved together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from survey.database import db
from survey.models import AuditEvent, Consultation, User
from survey.text import clean_line

COMMAND_LINE = "command line"
PAGE_SIZE = 50


def record(
    action: str,
    consultation: Consultation | None = None,
    subject: str = "",
    detail: str = "",
    *,
    by: User | None,
) -> AuditEvent:
    """Add an entry for `by`, the person who acted (None, or no one signed in: the command
    line); the caller commits."""
    if consultation is not None and consultation.id is None:
        db.session.flush()  # a consultation created in this transaction needs its id
    user = by if isinstance(by, User) else None  # a signed-out visitor's proxy is no User
    event = AuditEvent(
        user_id=user.id if user else None,
        actor=user.email if user else COMMAND_LINE,
        action=action,
        consultation_id=consultation.id if consultation is not None else None,
        subject=clean_line(subject)[:300],
        detail=detail,
    )
    db.session.add(event)
    return event


def actions() -> list[str]:
    """Every action that appears in the log, for the filter."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by("action")))


def events(
    page: int = 1, action: str | None = None
) -> tuple[Sequence[tuple[AuditEvent, str | None]], int]:
    """One page of entries, newest first, with each one's consultation title; and the total."""
    statement = sa.select(AuditEvent, Consultation.title).outerjoin(
        Consultation, Consultation.id == AuditEvent.consultation_id
    )
    counting = sa.select(sa.func.count(AuditEvent.id))
    if action:
        statement = statement.where(AuditEvent.action == action)
        counting = counting.where(AuditEvent.action == action)
    total = db.session.scalar(counting) or 0
    rows = db.session.execute(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return [(event, title) for event, title in rows], total
