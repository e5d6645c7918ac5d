"""Drafts put out for comment: making the consultation on a draft version, and finding it.

The consultation is made from the draft's own definition (what that version was built from),
through `survey.interface.add_consultation`, the path `flask consultations load` takes; it
starts as a draft consultation that an officer opens as any other. Nothing is saved unless
all of it is.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from assembly.core.comment_consultation import (
    CommentError,
    comment_definition,
    draft_page_path,
)
from assembly.core.strategy import parse_strategy
from assembly.data.models import Strategy, StrategyConsultation, StrategyDraft, StrategyStatus
from assembly.data.strategies import frozen_reason
from common import action_log
from common.database import db
from common.display import long_date
from common.models import User
from survey import interface

COMMAND_LINE = action_log.COMMAND_LINE


def latest_draft(strategy: Strategy) -> StrategyDraft | None:
    """The newest build of the strategy's draft, if any."""
    return db.session.scalar(
        sa.select(StrategyDraft)
        .where(StrategyDraft.strategy_id == strategy.id)
        .order_by(StrategyDraft.version.desc())
        .limit(1)
    )


def rounds_of(strategy: Strategy) -> list[StrategyConsultation]:
    """Every draft of the strategy put out for comment, newest first."""
    return list(
        db.session.scalars(
            sa.select(StrategyConsultation)
            .where(StrategyConsultation.strategy_id == strategy.id)
            .order_by(StrategyConsultation.draft_version.desc())
        )
    )


def round_of(strategy: Strategy, version: int) -> StrategyConsultation | None:
    """The consultation on draft `version`, if it was put out for comment."""
    return db.session.scalar(
        sa.select(StrategyConsultation).where(
            StrategyConsultation.strategy_id == strategy.id,
            StrategyConsultation.draft_version == version,
        )
    )


def round_by_consultation(slug: str) -> StrategyConsultation | None:
    """The draft a consultation asks about, by the consultation's slug."""
    return db.session.scalar(
        sa.select(StrategyConsultation).where(StrategyConsultation.consultation_slug == slug)
    )


def put_out_for_comment(
    strategy: Strategy, opens: dt.date, closes: dt.date, user: User | None = None
) -> StrategyConsultation:
    """Make the consultation on the strategy's newest draft; raises CommentError saying why
    not (no draft, no PDF of it, already out for comment, dates, a taken slug). The caller
    commits."""
    if closes < opens:
        raise CommentError(
            f"the closing date ({closes.isoformat()}) is before the opening date "
            f"({opens.isoformat()})"
        )
    if strategy.frozen:
        raise CommentError(frozen_reason(strategy))
    draft = latest_draft(strategy)
    if draft is None:
        raise CommentError(
            f"'{strategy.slug}' has no draft yet: build one (with its PDF) before putting it "
            "out for comment"
        )
    existing = round_of(strategy, draft.version)
    if existing is not None:
        raise CommentError(
            f"draft {draft.version} of '{strategy.slug}' is already out for comment, as the "
            f"consultation '{existing.consultation_slug}'"
        )
    if draft.pdf is None:
        raise CommentError(
            f"draft {draft.version} of '{strategy.slug}' was built without a PDF, and residents "
            "are offered both: build the draft again with its PDF ('Also make a PDF', or "
            "'flask draft build --pdf')"
        )
    spec = parse_strategy(draft.inputs["strategy"])
    documents = [
        {
            "title": f"Read draft {draft.version} of the strategy (web page)",
            "href": draft_page_path(strategy.slug, draft.version),
        },
        {
            "title": f"Download draft {draft.version} of the strategy (PDF)",
            "href": draft_page_path(strategy.slug, draft.version, ".pdf"),
        },
    ]
    definition = comment_definition(spec, draft.version, opens, closes, documents)
    try:
        consultation = interface.add_consultation(definition)
    except interface.ConsultationRefused as exc:
        raise CommentError("; ".join(exc.problems)) from None
    made = StrategyConsultation(
        strategy_id=strategy.id,
        draft_version=draft.version,
        consultation_slug=consultation.slug,
        created_by=user.email if user is not None else COMMAND_LINE,
    )
    db.session.add(made)
    strategy.status = StrategyStatus.OUT_FOR_COMMENT.value
    action_log.record(
        "draft put out for comment",
        consultation,
        strategy.title,
        f"draft {draft.version}, {long_date(opens)} to {long_date(closes)}",
        by=user,
    )
    db.session.flush()
    return made
