"""Residents' answers saved to come back to later, found again by their code's digest.

A saved response is a `Draft` with a `code_digest` (the SHA-256 of the resident's code; see
`survey.core.return_codes`). It is kept while its consultation is open, whatever `KEEP_FOR`
says of drafts, and deleted by the retention run (`survey.data.retention.SAVED`) once the
consultation has been closed for the retention period. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa

from common.database import db, utcnow
from survey.data.models import Consultation, Draft, Status


def save_for_later(draft: Draft, code_digest: str, saved_on: str | None) -> None:
    """Mark a draft saved under a code's digest, on this question's page (None: the check)."""
    draft.code_digest = code_digest
    draft.saved_on = saved_on
    draft.updated_at = utcnow()


def saved_draft(consultation_id: int, code_digest: str) -> Draft | None:
    """The draft of this consultation saved under this digest, if there is one."""
    return db.session.scalar(
        sa.select(Draft).where(
            Draft.consultation_id == consultation_id, Draft.code_digest == code_digest
        )
    )


def take_over(draft: Draft) -> str:
    """Give a saved draft a new token, for the browser that came back with its code; the token
    any other browser held no longer finds it, so one saved response is sent once."""
    draft.token = secrets.token_urlsafe(32)
    draft.updated_at = utcnow()
    db.session.flush()
    return draft.token


def saved_answers_due(now: dt.datetime, keep_days: int) -> sa.ColumnElement[bool]:
    """Saved answers whose consultation closed more than `keep_days` days before `now`.

    Closed means past its closing date, or closed early by an officer (the consultation's last
    change, `updated_at`, is then when it closed or later). The retention run removes them.
    """
    before = now - dt.timedelta(days=keep_days)
    closed_long_ago = sa.select(Consultation.id).where(
        sa.or_(
            Consultation.closes < before.date(),
            sa.and_(Consultation.status == Status.CLOSED.value, Consultation.updated_at < before),
        )
    )
    return sa.and_(Draft.code_digest.is_not(None), Draft.consultation_id.in_(closed_long_ago))
