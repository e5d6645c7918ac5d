"""Residents' answers in progress, kept server-side between question pages."""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa

from survey.answers import RawAnswer, raw_from_json, raw_to_json
from survey.consultations import by_slug
from survey.database import db, utcnow
from survey.models import Consultation, Draft

KEEP_FOR = dt.timedelta(days=7)


# One round trip for the two reads every question page and submission starts with.
_WITH_DRAFT = (
    sa.select(Consultation, Draft)
    .outerjoin(
        Draft,
        sa.and_(Draft.consultation_id == Consultation.id, Draft.token == sa.bindparam("token")),
    )
    .where(Consultation.slug == sa.bindparam("slug"))
)


def consultation_and_draft(
    slug: str, token: str | None
) -> tuple[Consultation | None, Draft | None]:
    """The consultation with this slug and, if it still exists, its draft with this token.

    A draft of another consultation, or a token with no draft left, gives no draft.
    """
    if not token:
        return by_slug(slug), None
    row = db.session.execute(_WITH_DRAFT, {"slug": slug, "token": token}).one_or_none()
    return (None, None) if row is None else (row[0], row[1])


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
