"""Residents' answers in progress, kept server-side between question pages."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from common.database import db, utcnow
from survey.core.answers import RawAnswer, raw_from_json, raw_to_json
from survey.data.consultations import by_slug
from survey.data.models import Consultation, Draft, accepting

KEEP_FOR = dt.timedelta(days=7)


# A consultation with one browser's draft of it (none when the token is another
# consultation's, or its draft is gone), by slug and token: one round trip for the two reads
# that question pages (`consultation_and_draft`) and the submission (`submitting`) start with.
_consultation, _draft = Consultation.__table__.c, Draft.__table__.c
_WITH_ITS_DRAFT = Consultation.__table__.outerjoin(
    Draft.__table__,
    sa.and_(_draft.consultation_id == _consultation.id, _draft.token == sa.bindparam("token")),
)
_BY_SLUG = _consultation.slug == sa.bindparam("slug")
_WITH_DRAFT = sa.select(Consultation, Draft).select_from(_WITH_ITS_DRAFT).where(_BY_SLUG)


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


@dataclass(frozen=True, slots=True)
class Submitting:
    """What a submission needs of its consultation and its draft, and nothing more.

    Plain values rather than the `Consultation` and `Draft` objects: the submission renders
    nothing that needs more.
    """

    id: int
    slug: str
    status: str
    opens: dt.date
    closes: dt.date
    updated_at: dt.datetime
    draft_answers: dict[str, Any] | None  # None: no draft with this token (any more)

    def accepting(self, today: dt.date) -> bool:
        return accepting(self.status, self.opens, self.closes, today)


_SUBMITTING = (
    sa.select(
        _consultation.id,
        _consultation.slug,
        _consultation.status,
        _consultation.opens,
        _consultation.closes,
        _consultation.updated_at,
        _draft.answers,
    )
    .select_from(_WITH_ITS_DRAFT)
    .where(_BY_SLUG)
)


def submitting(slug: str, token: str | None) -> Submitting | None:
    """The consultation with this slug and the answers of its draft with this token, if any.

    As `consultation_and_draft`, in plain values: a draft of another consultation, or a token
    with no draft left, gives no answers.
    """
    row = db.session.execute(_SUBMITTING, {"slug": slug, "token": token or ""}).one_or_none()
    return None if row is None else Submitting(*row)  # the slug is unique: one row at most


def new_draft(consultation: Consultation) -> Draft:
    """Start a draft, clearing out drafts abandoned for longer than `KEEP_FOR`.

    Drafts saved to come back to are kept (`survey.data.saved_responses` deletes them)."""
    db.session.execute(
        sa.delete(Draft).where(Draft.updated_at < utcnow() - KEEP_FOR, Draft.code_digest.is_(None))
    )
    draft = Draft(token=secrets.token_urlsafe(32), consultation_id=consultation.id, answers={})
    db.session.add(draft)
    return draft


def raw_answers(draft: Draft | None) -> dict[str, RawAnswer | None]:
    """The raw answers saved in a draft, by question key."""
    return answers_from_json(None if draft is None else draft.answers)


def answers_from_json(stored: dict[str, Any] | None) -> dict[str, RawAnswer | None]:
    """The raw answers of a draft's `answers` column, by question key."""
    return {key: raw_from_json(value) for key, value in (stored or {}).items()}


def save_answer(draft: Draft, key: str, raw: RawAnswer | None) -> None:
    """Keep one question's raw answer in the draft (None forgets it)."""
    answers = dict(draft.answers or {})
    if raw is None:
        answers.pop(key, None)
    else:
        answers[key] = raw_to_json(raw)
    draft.answers = answers
    draft.updated_at = utcnow()
