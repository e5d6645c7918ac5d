"""Data access for theme suggestions learnt from officers' codes.

`suggest` learns, per coded question, from the answers officers reviewed (their themes, or
"no theme") and writes a `ThemeSuggestion` for every other answer with text: suggestions are
not codes, so they never change an answer's themes or the results until an officer accepts
them in the review queue. `agreement` says per theme how far to trust them. The pure core is
`survey.core.learning`; the officers' pages and `flask themes suggest` call these same functions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa

from common.database import db
from survey.core import learning
from survey.core.learning import Agreement, Example, TooFewExamples
from survey.data.models import (
    Answer,
    AnswerCoding,
    AnswerTheme,
    Coding,
    Consultation,
    Question,
    Theme,
    ThemeSuggestion,
)
from survey.data.themes import CHUNK, coded_questions, ensure_themes, question_themes

STORED = 0.2  # suggestions below this confidence are not worth showing an officer


@dataclass(frozen=True)
class SuggestResult:
    """What one suggestion run did for one question."""

    question_key: str
    reviewed: int  # answers officers reviewed: the examples learnt from
    considered: int  # answers not reviewed by an officer: each given fresh suggestions
    suggested: int  # of those, answers with a theme suggested at THRESHOLD or more
    learnt: tuple[str, ...]  # the themes suggested
    skipped: dict[str, str]  # theme: why it is not suggested
    reason: str | None = None  # why nothing was suggested at all


def suggest(consultation: Consultation, question: Question | None = None) -> list[SuggestResult]:
    """Learn from officers' codes and suggest themes for every answer they have not reviewed.

    Earlier suggestions for the question are replaced, or removed when there is too little to
    learn from; codes (officers' or auto) are never touched. The caller commits.
    """
    ensure_themes(consultation)
    questions = [question] if question is not None else coded_questions(consultation)
    return [_suggest_question(q) for q in questions]


def _suggest_question(question: Question) -> SuggestResult:
    themes = question_themes(question)
    names = [theme.name for theme in themes]
    examples = reviewed_examples(question)
    db.session.execute(
        sa.delete(ThemeSuggestion).where(
            ThemeSuggestion.answer_id.in_(
                sa.select(Answer.id).where(Answer.question_id == question.id)
            )
        )
    )
    try:
        suggester = learning.train(examples, names)
    except TooFewExamples as exc:
        return SuggestResult(question.key, len(examples), 0, 0, (), {}, str(exc))
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text)
        .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .where(
            *_has_text(question),
            sa.or_(AnswerCoding.source.is_(None), AnswerCoding.source != Coding.OFFICER.value),
        )
        .order_by(Answer.id)
    ).all()
    ids = {theme.name: theme.id for theme in themes}
    stored: list[dict[str, object]] = []
    suggested = 0
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        for (answer_id, _), found in zip(
            chunk, suggester.confidences([text for _, text in chunk]), strict=True
        ):
            suggested += any(value >= learning.THRESHOLD for value in found.values())
            stored.extend(
                {"answer_id": answer_id, "theme_id": ids[name], "confidence": round(value, 4)}
                for name, value in found.items()
                if value >= STORED
            )
    for start in range(0, len(stored), CHUNK):
        db.session.execute(sa.insert(ThemeSuggestion.__table__), stored[start : start + CHUNK])
    reason = None if suggester.themes else "no theme has enough examples yet"
    return SuggestResult(
        question.key,
        len(examples),
        len(rows),
        suggested,
        suggester.themes,
        suggester.skipped,
        reason,
    )


def agreement(question: Question) -> Agreement:
    """Per theme, how suggestions agree with officers' codes on the answers they reviewed.

    Cross-validated (`survey.core.learning.cross_validate`): each reviewed answer is scored by
    suggestions learnt from the others. Raises TooFewExamples when there are too few.
    Remembered for the same examples and themes, as the officers' page asks on every view.
    """
    names = tuple(theme.name for theme in question_themes(question))
    return _cross_validated(tuple(reviewed_examples(question)), names)


@functools.lru_cache(maxsize=32)
def _cross_validated(examples: tuple[Example, ...], names: tuple[str, ...]) -> Agreement:
    return learning.cross_validate(examples, names)


def reviewed_examples(question: Question) -> list[Example]:
    """The question's answers with text that officers reviewed, with their themes, by id."""
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text)
        .join(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .where(*_has_text(question), AnswerCoding.source == Coding.OFFICER.value)
        .order_by(Answer.id)
    ).all()
    names: dict[int, set[str]] = {}
    for answer_id, name in db.session.execute(
        sa.select(AnswerTheme.answer_id, Theme.name)
        .join(Theme, Theme.id == AnswerTheme.theme_id)
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .where(*_has_text(question), AnswerCoding.source == Coding.OFFICER.value)
    ):
        names.setdefault(answer_id, set()).add(name)
    return [Example(text, frozenset(names.get(answer_id, ()))) for answer_id, text in rows]


def suggestion_count(question: Question) -> int:
    """How many of the question's answers have a suggestion stored."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(ThemeSuggestion.answer_id)))
            .join(Answer, Answer.id == ThemeSuggestion.answer_id)
            .where(Answer.question_id == question.id)
        )
        or 0
    )


def _has_text(question: Question) -> tuple[sa.ColumnElement[bool], ...]:
    return (Answer.question_id == question.id, Answer.text.is_not(None), Answer.text != "")
