"""Residents' answers in progress, kept server-side between question pages."""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa

from survey.answers import RawAnswer, raw_from_json, raw_to_json
from survey.database import db, utcnow
from survey.models import Consultation, Draft

KEEP_FOR = dt.timedelta(days=7)


# Built once: read on every question page and submission.
_BY_TOKEN = sa.select(Draft).where(Draft.token == sa.bindparam("token"))


def get_draft(consultation: Consultation, token: str | None) -> Draft | None:
    """The draft with this token for this consultation, if it still exists."""
    if not token:
        return None
    draft = db.session.scalar(_BY_TOKEN, {"token": token})
    if draft is None or draft.consultation_id != consultation.id:
        return None
    return draft


def new_draft(consultation: Consultation) -> Draft:
    """Start a draft, clearing out drafts abandoned for longer than `KEEP_FOR`."""
    db.session.execute(sa.delete(Draft).where(Draft.updated_at < utcnow() - KEEP_FOR))
    draft = Draft(token=secrets.token_urlsafe(32), consultation_id=consultation.id, answers={})
    db.session.add(draft)
    return draft


def raw_answers(draft: Draft | None) -> dict[str, RawAnswer | None]:
    """The raw answers saved in a draft, by question key."""
    if draft is None:
        return {}
    return {key: raw_from_json(value) for key, value in (draft.answers or {}).items()}


def save_answer(draft: Draft, key: str, raw: RawAnswer | None) -> None:
    """Keep one question's raw answer in the draft (None forgets it)."""
    answers = dict(draft.answers or {})
    if raw is None:
        answers.pop(key, None)
    else:
        answers[key] = raw_to_json(raw)
    draft.answers = answers
    draft.updated_at = utcnow()
