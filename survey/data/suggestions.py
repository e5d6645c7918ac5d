"""Data access for theme suggestions: learnt from officers' codes, or by a language model.

`suggest` learns, per coded question, from the answers officers reviewed (their themes, or
"no theme"), or asks the suggester it is given (the council's language model), and writes a
`ThemeSuggestion` with its source for every other answer with text: suggestions are not codes,
so they never change an answer's themes or the results until an officer accepts them in the
review queue. `agreement` says per theme how far to trust learnt ones. The pure core is
`survey.core.learning` and `survey.core.suggesting`; the officers' pages and
`flask themes suggest` call these same functions.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from common.database import db
from survey.core import learning
from survey.core.learning import Agreement, Example, TooFewExamples
from survey.core.suggesting import LEARNT, ThemeBrief, ThemeSuggester
from survey.data.models import (
    Answer,
    AnswerCoding,
    Coding,
    Consultation,
    Question,
    ThemeSuggestion,
)
from survey.data.themes import (
    CHUNK,
    coded_questions,
    ensure_themes,
    question_themes,
    reviewed_answers,
)


@dataclass(frozen=True)
class SuggestResult:
    """What one suggestion run did for one question."""

    question_key: str
    reviewed: int  # answers officers reviewed: the examples learnt from (0 for a model)
    considered: int  # answers not reviewed by an officer: each given fresh suggestions
    suggested: int  # of those, answers with a theme suggested (learnt: at THRESHOLD or more)
    learnt: tuple[str, ...]  # the themes suggested
    skipped: dict[str, str]  # theme: why it is not suggested
    reason: str | None = None  # why nothing was suggested at all
    source: str = LEARNT
    unusable: dict[str, int] = field(default_factory=dict)  # why answers got none: how many


@dataclass(frozen=True)
class _Planned:
    """A question's suggestions, made before anything is written."""

    question: Question
    result: SuggestResult
    rows: list[dict[str, object]]


def suggest(
    consultation: Consultation,
    question: Question | None = None,
    suggester: ThemeSuggester | None = None,
) -> list[SuggestResult]:
    """Suggest themes for every answer officers have not reviewed, for one or every question.

    Without `suggester`, learnt per question from officers' codes; with one (the council's
    language model), by it. Each question's earlier suggestions from the same source are
    replaced (learnt ones removed when there is too little to learn from); the other source's
    stay, and codes (officers' or auto) are never touched. Every suggestion is made before
    anything is written, so slow suggesting holds no write lock. The caller commits.
    """
    ensure_themes(consultation)
    questions = [question] if question is not None else coded_questions(consultation)
    planned = [_plan(q, suggester) for q in questions]
    for plan in planned:
        _store(plan)
    return [plan.result for plan in planned]


def _plan(question: Question, given: ThemeSuggester | None) -> _Planned:
    themes = question_themes(question)
    briefs = [ThemeBrief(theme.name, theme.description or "") for theme in themes]
    if given is None:
        examples = reviewed_examples(question)
        try:
            learnt = learning.train(examples, [brief.name for brief in briefs])
        except TooFewExamples as exc:
            result = SuggestResult(question.key, len(examples), 0, 0, (), {}, str(exc))
            return _Planned(question, result, [])
        suggester: ThemeSuggester = learnt
        reviewed, offered, skipped = len(examples), learnt.themes, learnt.skipped
    else:
        suggester = given
        reviewed, offered, skipped = 0, tuple(brief.name for brief in briefs), {}
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text).where(*_not_reviewed(question)).order_by(Answer.id)
    ).all()
    ids = {theme.name: theme.id for theme in themes}
    stored: list[dict[str, object]] = []
    suggested = 0
    unusable: Counter[str] = Counter()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        found = suggester.suggest_themes([text for _, text in chunk], briefs)
        for (answer_id, _), suggestion in zip(chunk, found, strict=True):
            if suggestion.problem:
                unusable[suggestion.problem] += 1
                continue
            values = suggestion.themes.values()
            suggested += any(v is None or v >= learning.THRESHOLD for v in values)
            stored.extend(
                {
                    "answer_id": answer_id,
                    "theme_id": ids[name],
                    "source": suggester.source,
                    "confidence": None if value is None else round(value, 4),
                }
                for name, value in suggestion.themes.items()
                if value is None or value >= learning.SHOWN
            )
    reason = None if offered else "no theme has enough examples yet"
    result = SuggestResult(
        question.key,
        reviewed,
        len(rows),
        suggested,
        offered,
        skipped,
        reason,
        suggester.source,
        dict(unusable),
    )
    return _Planned(question, result, stored)


def _store(plan: _Planned) -> None:
    """Replace the question's earlier suggestions from this source with the planned ones."""
    db.session.execute(
        sa.delete(ThemeSuggestion).where(
            ThemeSuggestion.source == plan.result.source,
            ThemeSuggestion.answer_id.in_(
                sa.select(Answer.id).where(Answer.question_id == plan.question.id)
            ),
        )
    )
    for start in range(0, len(plan.rows), CHUNK):
        db.session.execute(sa.insert(ThemeSuggestion.__table__), plan.rows[start : start + CHUNK])


def not_reviewed_count(question: Question) -> int:
    """How many of the question's answers with text no officer has reviewed: those a
    suggestion run considers, and a language model run sends."""
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(
                sa.select(Answer.id).where(*_not_reviewed(question)).subquery()
            )
        )
        or 0
    )


def _not_reviewed(question: Question) -> tuple[sa.ColumnElement[bool], ...]:
    """Answers with text that no officer has reviewed (uncoded, or auto-coded only)."""
    reviewed = sa.select(AnswerCoding.answer_id).where(AnswerCoding.source == Coding.OFFICER.value)
    return (*_has_text(question), Answer.id.not_in(reviewed))


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
    return [Example(answer.text, answer.themes) for answer in reviewed_answers(question)]


def suggestion_count(question: Question, source: str | None = None) -> int:
    """How many of the question's answers have a suggestion stored (from `source`, or any)."""
    query = (
        sa.select(sa.func.count(sa.distinct(ThemeSuggestion.answer_id)))
        .join(Answer, Answer.id == ThemeSuggestion.answer_id)
        .where(Answer.question_id == question.id)
    )
    if source is not None:
        query = query.where(ThemeSuggestion.source == source)
    return db.session.scalar(query) or 0


def _has_text(question: Question) -> tuple[sa.ColumnElement[bool], ...]:
    return (Answer.question_id == question.id, Answer.text.is_not(None), Answer.text != "")
