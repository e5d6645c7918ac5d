"""Comments on a draft out for comment, the partnership's responses, and "You said, we did".

Officers' pages and the next draft's appendix read the same points (`points_of`). Residents'
counts come from survey's results through `survey.interface`, suppressed there.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from assembly.core.comment_consultation import CommentError
from assembly.core.language import ENGLISH_WORDS, Words
from assembly.core.strategy import StrategySpec, parse_strategy
from assembly.core.you_said import (
    Answer,
    Comment,
    Point,
    all_points,
    answer_problems,
    comment_problems,
)
from assembly.data.models import (
    StrategyComment,
    StrategyConsultation,
    StrategyDraft,
    StrategyResponse,
)
from common import action_log
from common.database import db
from common.models import User
from survey import interface


class PointProblems(CommentError):
    """A comment or response refused: what is wrong, by field; nothing was saved."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems.values()))


def spec_of_round(made: StrategyConsultation) -> StrategySpec:
    """The definition of the draft that went out for comment."""
    inputs = db.session.scalar(
        sa.select(StrategyDraft.inputs).where(
            StrategyDraft.strategy_id == made.strategy_id,
            StrategyDraft.version == made.draft_version,
        )
    )
    assert inputs is not None, "a draft out for comment is kept"
    return parse_strategy(inputs["strategy"])


def comments_of(made: StrategyConsultation) -> list[Comment]:
    rows = db.session.scalars(
        sa.select(StrategyComment)
        .where(StrategyComment.round_id == made.id)
        .order_by(StrategyComment.made_on, StrategyComment.id)
    )
    return [
        Comment(
            r.id, r.section, r.organisation, r.kind, r.made_by, r.made_on, r.text, r.recommendation
        )  # fmt: skip
        for r in rows
    ]


def answers_of(made: StrategyConsultation) -> dict[str, Answer]:
    rows = db.session.scalars(
        sa.select(StrategyResponse).where(StrategyResponse.round_id == made.id)
    )
    return {r.subject: Answer(r.outcome, r.detail, r.passed_to) for r in rows}


def points_of(
    made: StrategyConsultation, *, minimum: int, tr: Words = ENGLISH_WORDS
) -> list[Point]:
    """Every point said about the draft, with its response if given; counts below `minimum`
    hidden as survey's results hide them; the fixed wording in the language of `tr`."""
    results = interface.results(made.consultation_slug, minimum=minimum)
    return all_points(spec_of_round(made), results, comments_of(made), answers_of(made), tr)


def record_comment(
    made: StrategyConsultation,
    *,
    section: str,
    organisation: str,
    kind: str,
    made_by: str,
    made_on: dt.date | None,
    text: str,
    recommendation: bool,
    user: User | None,
) -> StrategyComment:
    """Record a partner's or committee's comment; raises PointProblems. Caller commits."""
    problems = comment_problems(
        spec_of_round(made), section, organisation, kind, made_by, made_on, text, recommendation
    )
    if problems:
        raise PointProblems(problems)
    assert made_on is not None
    comment = StrategyComment(
        round_id=made.id,
        section=section,
        organisation=organisation,
        kind=kind,
        made_by=made_by,
        made_on=made_on,
        text=text,
        recommendation=recommendation,
        recorded_by=user.email if user is not None else action_log.COMMAND_LINE,
    )
    db.session.add(comment)
    what = "recommendation" if recommendation else "comment"
    action_log.record(f"{what} recorded", None, organisation, section, by=user)
    db.session.flush()
    return comment


def respond(
    made: StrategyConsultation,
    subject: str,
    outcome: str,
    detail: str,
    passed_to: str,
    *,
    minimum: int,
    user: User | None,
) -> None:
    """Save (or replace) the response to one point; raises PointProblems. Caller commits."""
    if subject not in {p.subject for p in points_of(made, minimum=minimum)}:
        raise PointProblems({"subject": "That point is not one said about this draft"})
    problems = answer_problems(outcome, detail, passed_to)
    if problems:
        raise PointProblems(problems)
    row = db.session.scalar(
        sa.select(StrategyResponse).where(
            StrategyResponse.round_id == made.id, StrategyResponse.subject == subject
        )
    )
    if row is None:
        row = StrategyResponse(round_id=made.id, subject=subject)
        db.session.add(row)
    row.outcome = outcome
    row.detail = detail
    row.passed_to = passed_to if outcome == "passed on" else ""
    row.responded_by = user.email if user is not None else action_log.COMMAND_LINE
    action_log.record("response to a comment saved", None, subject[:200], outcome, by=user)
    db.session.flush()


def newest_answered_round(strategy_id: int, before_version: int) -> StrategyConsultation | None:
    """The newest draft before `before_version` that went out for comment and has responses."""
    return db.session.scalar(
        sa.select(StrategyConsultation)
        .where(
            StrategyConsultation.strategy_id == strategy_id,
            StrategyConsultation.draft_version < before_version,
            sa.exists().where(StrategyResponse.round_id == StrategyConsultation.id),
        )
        .order_by(StrategyConsultation.draft_version.desc())
        .limit(1)
    )
