"""Officers' changes to answers' theme codes, one answer or several at once, and undoing the last.

Every change an officer makes on the review page goes through `code_answers`, which sets the
codes through `themes.set_codes` (the one write path for codes) and keeps what each answer was
before, so that the officer's last change to a question can be undone. Undoing puts the answers
back only if they are still as the change left them: a later change by anyone is never lost.
Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from common.database import db, utcnow
from common.display import number, plural
from survey.data.models import Answer, Coding, CodingChange, Question, Response, Theme
from survey.data.themes import CodingState, ThemeError, codes_of, question_themes, set_codes

NAMED = 5  # responses named in a message saying which answers changed since


class UndoError(ThemeError):
    """A change cannot be undone; the message says why, for a person."""


@dataclass(frozen=True)
class Change:
    """An officer's last change to a question's codes, as offered for undoing."""

    id: int
    description: str
    answers: int


def code_answers(
    question: Question, wanted: Mapping[int, Iterable[int]], officer_id: int, description: str
) -> Change:
    """Record an officer's themes for each answer (none is a decision too), all at once, and
    keep the change as the officer's last on this question so that it can be undone.

    Raises ThemeError, changing nothing, for an answer or theme that is not the question's.
    """
    decided = {answer_id: frozenset(theme_ids) for answer_id, theme_ids in wanted.items()}
    if not decided:
        raise ThemeError("Select at least one answer")
    before = codes_of(question, decided)
    now = utcnow()
    set_codes(
        question,
        {
            answer_id: CodingState(themes, Coding.OFFICER.value, officer_id, now)
            for answer_id, themes in decided.items()
        },
    )
    db.session.execute(
        sa.delete(CodingChange).where(
            CodingChange.user_id == officer_id, CodingChange.question_id == question.id
        )
    )
    change = CodingChange(
        user_id=officer_id,
        question_id=question.id,
        at=now,
        description=description[:300],
        answers=[
            {"answer": answer_id, "before": _stored(before[answer_id]), "after": sorted(themes)}
            for answer_id, themes in sorted(decided.items())
        ],
    )
    db.session.add(change)
    db.session.flush()
    return Change(change.id, change.description, len(decided))


def apply_theme(
    question: Question, answer_ids: Iterable[int], theme: Theme, officer_id: int
) -> Change:
    """Add one theme to each answer's codes, keeping the themes it has (an answer not yet coded
    gets that theme alone); each answer counts as reviewed by the officer."""
    ids = set(answer_ids)
    current = codes_of(question, ids) if ids else {}
    wanted = {answer_id: current[answer_id].theme_ids | {theme.id} for answer_id in ids}
    description = f"Theme '{theme.name}' applied to {plural(len(ids), 'answer')}"
    return code_answers(question, wanted, officer_id, description)


def remove_theme(
    question: Question, answer_ids: Iterable[int], theme: Theme, officer_id: int
) -> Change:
    """Take one theme off each answer's codes, keeping its other themes; each answer counts as
    reviewed by the officer."""
    ids = set(answer_ids)
    current = codes_of(question, ids) if ids else {}
    wanted = {answer_id: current[answer_id].theme_ids - {theme.id} for answer_id in ids}
    description = f"Theme '{theme.name}' removed from {plural(len(ids), 'answer')}"
    return code_answers(question, wanted, officer_id, description)


def last_change(question: Question, officer_id: int) -> Change | None:
    """The officer's last change to the question's codes that is not yet undone, if any."""
    change = db.session.scalar(
        sa.select(CodingChange).where(
            CodingChange.user_id == officer_id, CodingChange.question_id == question.id
        )
    )
    if change is None:
        return None
    return Change(change.id, change.description, len(change.answers))


def undo(question: Question, officer_id: int, change_id: int) -> Change:
    """Put back the answers of the officer's last change to the question as they were before it.

    Raises UndoError, changing nothing, when it is not their last change, or when any of its
    answers has been changed since (by anyone) or a theme it took off has been merged away.
    """
    change = db.session.scalar(
        sa.select(CodingChange).where(
            CodingChange.id == change_id,
            CodingChange.user_id == officer_id,
            CodingChange.question_id == question.id,
        )
    )
    if change is None:
        raise UndoError(
            "That change cannot be undone: only your last change to this question's codes can be"
        )
    ids = [entry["answer"] for entry in change.answers]
    still = _still_as_left(question, change, officer_id)
    changed = [answer_id for answer_id in ids if answer_id not in still]
    what = f"Your last change ({change.description[0].lower()}{change.description[1:]})"
    if changed:
        raise UndoError(
            f"{what} cannot be undone: {_changed_since(changed, len(ids))}. Nothing was changed"
        )
    before = {entry["answer"]: _restored(entry["before"]) for entry in change.answers}
    allowed = {theme.id for theme in question_themes(question)}
    if any(not state.theme_ids <= allowed for state in before.values()):
        raise UndoError(
            f"{what} cannot be undone: a theme it took off has since been merged into another."
            " Nothing was changed"
        )
    set_codes(question, before)
    undone = Change(change.id, change.description, len(ids))
    db.session.delete(change)
    db.session.flush()
    return undone


def _still_as_left(question: Question, change: CodingChange, officer_id: int) -> set[int]:
    """The change's answers whose codes are still the ones it left (deleted ones are not)."""
    ids = [entry["answer"] for entry in change.answers]
    present = set(
        db.session.scalars(
            sa.select(Answer.id).where(Answer.id.in_(ids), Answer.question_id == question.id)
        )
    )
    try:
        now = codes_of(question, present)
    except ThemeError:  # an answer's text was cleared since: it is no longer coded
        return set()
    return {
        entry["answer"]
        for entry in change.answers
        if entry["answer"] in now
        and now[entry["answer"]].theme_ids == frozenset(entry["after"])
        and now[entry["answer"]].source == Coding.OFFICER.value
        and now[entry["answer"]].coded_by_id == officer_id
    }


def _changed_since(changed: list[int], total: int) -> str:
    """'2 of its 12 answers have been changed since (responses AB12CD34, EF56GH78)'."""
    references = list(
        db.session.scalars(
            sa.select(Response.reference)
            .join(Answer, Answer.response_id == Response.id)
            .where(Answer.id.in_(changed))
            .order_by(Response.reference)
            .limit(NAMED)
        )
    )
    if total == 1:
        subject = "its answer has"
    elif len(changed) == total:
        subject = f"all {number(total)} of its answers have"
    else:
        verb = "has" if len(changed) == 1 else "have"
        subject = f"{number(len(changed))} of its {number(total)} answers {verb}"
    said = f"{subject} been changed since"
    if not references:  # deleted since
        return said
    named = ", ".join(references) + (", ..." if len(changed) > len(references) else "")
    return f"{said} (response{'s' if len(changed) > 1 else ''} {named})"


def _stored(state: CodingState) -> dict[str, Any]:
    return {
        "themes": sorted(state.theme_ids),
        "source": state.source,
        "by": state.coded_by_id,
        "at": state.coded_at.isoformat() if state.coded_at else None,
    }


def _restored(stored: dict[str, Any]) -> CodingState:
    at = stored.get("at")
    return CodingState(
        frozenset(stored.get("themes", ())),
        stored.get("source"),
        stored.get("by"),
        dt.datetime.fromisoformat(at) if at else None,
    )
