"""Data access for finding new themes among the answers no theme matches.

`find_new_themes` groups, per coded question, the answers with text that have no theme and
that the question's themes do not match (pure core: `survey.core.new_themes`), and stores each
group as a `ThemeCandidate` for officers. An officer names a group as a new theme of the
consultation's codebook copy (with the words they choose as its phrases) or dismisses it; both
are kept, and the answers of a dismissed group are not grouped again. The job
(`survey.jobs.new_themes`) and the officers' pages call these functions; the caller commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from common.database import db, utcnow
from survey.core import new_themes, sentence_vectors
from survey.core.coding import normalise
from survey.data import themes
from survey.data.models import (
    Answer,
    AnswerTheme,
    CandidateState,
    Consultation,
    Question,
    Theme,
    ThemeCandidate,
)
from survey.data.themes import ThemeError

TYPICAL = 3  # typical answers shown for each group
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FindResult:
    """What one run of finding new themes did for one question."""

    question_key: str
    unmatched: int  # answers with text that no theme matches (less dismissed groups' answers)
    groups: int  # groups offered to officers


@dataclass(frozen=True)
class Candidate:
    """A group offered as a new theme, as officers see it."""

    id: int
    size: int
    typical: tuple[str, ...]  # the texts of its most typical answers
    words: tuple[str, ...]


def unmatched_answers(question: Question) -> list[tuple[int, str]]:
    """(id, text) of the question's answers with text, no theme, and no theme's words, by id.

    Answers of a group an officer dismissed are left out: they were judged not a new theme.
    """
    dismissed = {
        answer_id
        for ids in db.session.scalars(
            sa.select(ThemeCandidate.answer_ids).where(
                ThemeCandidate.question_id == question.id,
                ThemeCandidate.state == CandidateState.DISMISSED.value,
            )
        )
        for answer_id in ids
    }
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text)
        .where(
            Answer.question_id == question.id,
            Answer.text.is_not(None),
            Answer.text != "",
            Answer.id.not_in(sa.select(AnswerTheme.answer_id)),
        )
        .order_by(Answer.id)
    ).all()
    matcher = themes.matcher_of(themes.question_themes(question))
    return [
        (answer_id, text)
        for answer_id, text in rows
        if answer_id not in dismissed and not matcher.theme_indexes(text)
    ]


def find_new_themes(
    consultation: Consultation, question: Question | None = None
) -> list[FindResult]:
    """Group the answers no theme matches, per coded question, replacing groups not decided."""
    themes.ensure_themes(consultation)
    questions = [question] if question is not None else themes.coded_questions(consultation)
    return [_find_for(q) for q in questions]


def _find_for(question: Question) -> FindResult:
    db.session.execute(
        sa.delete(ThemeCandidate).where(
            ThemeCandidate.question_id == question.id,
            ThemeCandidate.state == CandidateState.OPEN.value,
        )
    )
    answers = unmatched_answers(question)
    model = sentence_vectors.installed()
    if model is None:
        _log.warning(
            "no sentence model at %s (make setup keeps it): answers grouped by words alone",
            sentence_vectors.INSTALLED,
        )
    clusters = new_themes.find_clusters([text for _, text in answers], model=model)
    db.session.add_all(
        ThemeCandidate(
            question_id=question.id,
            answer_ids=[answers[i][0] for i in cluster.members],
            words=list(cluster.words),
            state=CandidateState.OPEN.value,
        )
        for cluster in clusters
    )
    db.session.flush()
    return FindResult(question.key, len(answers), len(clusters))


def open_candidates(question: Question, typical: int = TYPICAL) -> list[Candidate]:
    """The groups offered for the question and not yet decided, largest first."""
    rows = list(
        db.session.scalars(
            sa.select(ThemeCandidate)
            .where(
                ThemeCandidate.question_id == question.id,
                ThemeCandidate.state == CandidateState.OPEN.value,
            )
            .order_by(ThemeCandidate.id)
        )
    )
    # Many residents write the same words ("No lighting"): the typical answers shown are
    # different ones, looked for among the group's most typical few dozen.
    window = typical * 10
    wanted = [answer_id for row in rows for answer_id in row.answer_ids[:window]]
    texts = dict(
        db.session.execute(sa.select(Answer.id, Answer.text).where(Answer.id.in_(wanted))).all()
    )
    found = [
        Candidate(
            row.id,
            len(row.answer_ids),
            _different([texts[i] for i in row.answer_ids[:window] if i in texts], typical),
            tuple(row.words),
        )
        for row in rows
    ]
    return sorted(found, key=lambda c: (-c.size, c.id))


def _different(texts: Sequence[str], count: int) -> tuple[str, ...]:
    """The first `count` of `texts` whose words differ, as auto-coding reads them (case,
    spacing and punctuation aside)."""
    kept: dict[str, str] = {}
    for text in texts:
        kept.setdefault(normalise(text), text)
        if len(kept) == count:
            break
    return tuple(kept.values())


def decided_count(question: Question, state: CandidateState) -> int:
    """How many of the question's groups officers named, or dismissed."""
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                ThemeCandidate.question_id == question.id, ThemeCandidate.state == state.value
            )
        )
        or 0
    )


def candidate_of(question: Question, candidate_id: int) -> ThemeCandidate | None:
    """The question's open group with this id, or None (decided, replaced or another's)."""
    candidate = db.session.get(ThemeCandidate, candidate_id)
    if candidate is None or candidate.question_id != question.id:
        return None
    return candidate if candidate.state == CandidateState.OPEN.value else None


def name_candidate(
    consultation: Consultation,
    question: Question,
    candidate: ThemeCandidate,
    name: str,
    description: str,
    phrases: Sequence[str],
    officer_id: int | None,
) -> Theme:
    """Add the group as a new theme found by `phrases`; ThemeError names what is wrong."""
    theme = themes.add_theme(consultation, question.codebook or "", name, description)
    chosen = [phrase.strip() for phrase in phrases if phrase.strip()]
    if not chosen:
        raise ThemeError("Choose or type at least one word or phrase that finds the theme")
    themes.describe_theme(theme, description, chosen)
    _decide(candidate, CandidateState.NAMED, officer_id)
    candidate.theme_id = theme.id
    db.session.flush()
    return theme


def add_to_theme(
    question: Question,
    candidate: ThemeCandidate,
    theme_id: int | None,
    phrases: Sequence[str],
    officer_id: int | None,
) -> tuple[Theme, tuple[str, ...]]:
    """Add the group's chosen words to one of the question's themes: the group was a theme
    the codebook has, or one an officer named from another group, in words it did not know.
    Returns the theme and the words it gained (those it had already are not added twice);
    ThemeError names what is wrong."""
    theme = next((t for t in themes.question_themes(question) if t.id == theme_id), None)
    if theme is None:
        raise ThemeError("Choose the theme to add the words to")
    chosen = [phrase.strip() for phrase in phrases if phrase.strip()]
    if not chosen:
        raise ThemeError("Choose or type at least one word or phrase that finds the theme")
    before = list(theme.phrases or ())
    themes.describe_theme(theme, theme.description or "", [*before, *chosen])
    gained = tuple(p for p in theme.phrases or () if p not in before)
    if not gained:
        raise ThemeError(f"'{theme.name}' has these words already: choose or type others")
    _decide(candidate, CandidateState.NAMED, officer_id)
    candidate.theme_id = theme.id
    db.session.flush()
    return theme, gained


def dismiss_candidate(candidate: ThemeCandidate, officer_id: int | None) -> None:
    """Keep the group as not a theme, so its answers are not offered again."""
    _decide(candidate, CandidateState.DISMISSED, officer_id)
    db.session.flush()


def _decide(candidate: ThemeCandidate, state: CandidateState, officer_id: int | None) -> None:
    candidate.state = state.value
    candidate.decided_by_id = officer_id
    candidate.decided_at = utcnow()


def phrases_from(chosen: Iterable[str], typed: str) -> list[str]:
    """The phrases an officer ticked from the group's words and typed one a line, in order."""
    return list(dict.fromkeys([*chosen, *typed.splitlines()]))
