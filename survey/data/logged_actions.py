"""The action log as admins read it: a page of entries with each one's consultation title."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from common.database import db
from common.models import AuditEvent
from survey.data.models import Consultation

PAGE_SIZE = 50


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
