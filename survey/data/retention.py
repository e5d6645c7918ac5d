"""Retention: what residents' personal data is due to go, and removing it, kind by kind.

One rule per kind, used both to list what would go (`due`, a dry run: it only reads) and to
remove it (`remove`, the scheduled job and `flask personal-data retention`). Each kind counts
in SQL, per consultation. To add a kind, write its `Kind` and append it to `RETENTION_KINDS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from common import action_log
from common.database import db
from common.display import number
from survey.data.models import Consultation, Draft, Status
from survey.data.personal_data import free_text_due, purge_free_text
from survey.data.saved_responses import saved_answers_due
from survey.data.unfinished import KEEP_FOR

DEFAULT_TEXT_RETENTION_DAYS = 730
DEFAULT_SAVED_ANSWERS_DAYS = 30
RETENTION_RUN = "retention run"


@dataclass(frozen=True)
class Rules:
    """When each kind of personal data is due to go, as of `now`."""

    now: dt.datetime
    text_retention_days: int = DEFAULT_TEXT_RETENTION_DAYS
    saved_answers_days: int = DEFAULT_SAVED_ANSWERS_DAYS

    @property
    def text_before(self) -> dt.datetime:
        """Free text of responses submitted before this is due to go."""
        return self.now - dt.timedelta(days=self.text_retention_days)


@dataclass(frozen=True)
class Kind:
    """One kind of personal data kept for a time: counting what is due, and removing it.

    `count` is a query of (consultation id, how many) rows; `remove` removes exactly what
    `count` counts, in the caller's transaction.
    """

    name: str
    count: Callable[[Rules], sa.Select[tuple[int, int]]]
    remove: Callable[[Rules], None]


@dataclass(frozen=True)
class Due:
    """How many of one kind are due to go (or went) from one consultation."""

    consultation: str  # its slug
    title: str
    kind: str
    count: int


def _unfinished_due(rules: Rules) -> sa.ColumnElement[bool]:
    """Unfinished answers (not saved to come back to) go once their consultation no longer
    takes answers (closed, or past its closing date) or when left untouched for longer than
    `KEEP_FOR`. Answers saved with a code are the next kind's."""
    closed = sa.select(Consultation.id).where(
        sa.or_(Consultation.status == Status.CLOSED.value, Consultation.closes < rules.now.date())
    )
    return sa.and_(
        Draft.code_digest.is_(None),
        sa.or_(Draft.consultation_id.in_(closed), Draft.updated_at < rules.now - KEEP_FOR),
    )


def _count_unfinished(rules: Rules) -> sa.Select[tuple[int, int]]:
    return (
        sa.select(Draft.consultation_id, sa.func.count())
        .where(_unfinished_due(rules))
        .group_by(Draft.consultation_id)
    )


def _remove_unfinished(rules: Rules) -> None:
    db.session.execute(
        sa.delete(Draft).where(_unfinished_due(rules)).execution_options(synchronize_session=False)
    )


def _count_saved(rules: Rules) -> sa.Select[tuple[int, int]]:
    return (
        sa.select(Draft.consultation_id, sa.func.count())
        .where(saved_answers_due(rules.now, rules.saved_answers_days))
        .group_by(Draft.consultation_id)
    )


def _remove_saved(rules: Rules) -> None:
    db.session.execute(
        sa.delete(Draft)
        .where(saved_answers_due(rules.now, rules.saved_answers_days))
        .execution_options(synchronize_session=False)
    )


def _count_free_text(rules: Rules) -> sa.Select[tuple[int, int]]:
    return free_text_due(rules.text_before)


def _remove_free_text(rules: Rules) -> None:
    purge_free_text(rules.text_before)


UNFINISHED = Kind("unfinished answers", _count_unfinished, _remove_unfinished)
SAVED = Kind("answers saved to come back to", _count_saved, _remove_saved)
FREE_TEXT = Kind("free text", _count_free_text, _remove_free_text)

# Every kind the retention run removes, in this order. Extend here.
RETENTION_KINDS: list[Kind] = [UNFINISHED, SAVED, FREE_TEXT]


def due(rules: Rules, kinds: Sequence[Kind] | None = None) -> list[Due]:
    """What retention would remove now: counts per consultation and kind (reads only)."""
    found: list[Due] = []
    for kind in RETENTION_KINDS if kinds is None else kinds:
        counts = dict(db.session.execute(kind.count(rules)).tuples().all())
        if not counts:
            continue
        consultations = db.session.execute(
            sa.select(Consultation.id, Consultation.slug, Consultation.title)
            .where(Consultation.id.in_(counts))
            .order_by(Consultation.slug)
        )
        found += [
            Due(slug, title, kind.name, int(counts[cid])) for cid, slug, title in consultations
        ]
    return found


def remove(rules: Rules, kinds: Sequence[Kind] | None = None) -> list[Due]:
    """Remove what is due, with one action-log entry for the run; returns what went.

    Each kind is counted and then removed in the caller's transaction, which commits once.
    """
    went: list[Due] = []
    for kind in RETENTION_KINDS if kinds is None else kinds:
        found = due(rules, [kind])
        if found:
            kind.remove(rules)
        went += found
    action_log.record(
        RETENTION_RUN,
        subject=f"free text before {rules.text_before.date().isoformat()}",
        detail=describe(went),
        by=None,
        actor="retention",
    )
    return went


def describe(went: Sequence[Due]) -> str:
    """One line per consultation and kind, for the action log and the job's summary."""
    if not went:
        return "nothing was due"
    return "; ".join(f"{d.consultation}: {number(d.count)} {d.kind}" for d in went)
