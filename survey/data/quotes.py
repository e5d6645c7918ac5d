"""Quotes officers choose per theme: the answers to choose from, choosing, changing, removing,
and the quotes a results page may show.

A quote keeps its own text and its answer's id; the answer is never changed. Every choice,
change and removal is in the action log by ids (never the words). What a page shows is
decided by `survey.core.quotes` from the page's own published counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from common import action_log
from common.database import db
from common.models import User
from survey.core.quotes import (
    MOST_PER_THEME,
    QuotedTheme,
    QuoteError,
    quotable,
    quote_text,
    quoted_themes,
)
from survey.core.results import ConsultationResults
from survey.data.counting import in_group
from survey.data.models import Answer, AnswerTheme, Consultation, Question, Theme, ThemeQuote

READABLE = 25  # characters: shorter answers ("Drugs") name a theme rather than say something


@dataclass(frozen=True)
class Candidate:
    """An answer coded with a theme that could be quoted: its id and words."""

    answer_id: int
    text: str


@dataclass(frozen=True)
class CandidatePage:
    """A few of a theme's answers to choose quotes from, shortest readable first."""

    items: list[Candidate]
    total: int
    page: int
    pages: int


def quotes_of(question: Question) -> dict[int, list[ThemeQuote]]:
    """The question's quotes by theme id, in the order they were chosen."""
    found: dict[int, list[ThemeQuote]] = defaultdict(list)
    for quote in db.session.scalars(
        sa.select(ThemeQuote)
        .join(Answer, Answer.id == ThemeQuote.answer_id)
        .where(Answer.question_id == question.id)
        .order_by(ThemeQuote.id)
    ):
        found[quote.theme_id].append(quote)
    return found


def quote_of(question: Question, quote_id: int) -> ThemeQuote | None:
    """The question's quote with this id, if it is one of its quotes."""
    quote = db.session.get(ThemeQuote, quote_id)
    if quote is None:
        return None
    answer = db.session.get(Answer, quote.answer_id)
    return quote if answer is not None and answer.question_id == question.id else None


def candidates(question: Question, theme: Theme, page: int, per_page: int) -> CandidatePage:
    """One page of the question's answers coded with `theme` and not yet quoted under it:
    readable ones (at least READABLE characters) shortest first, then the shorter ones."""
    conditions = (
        Answer.question_id == question.id,
        Answer.text.is_not(None),
        Answer.text != "",
        Answer.id.in_(sa.select(AnswerTheme.answer_id).where(AnswerTheme.theme_id == theme.id)),
        Answer.id.not_in(sa.select(ThemeQuote.answer_id).where(ThemeQuote.theme_id == theme.id)),
    )
    total = db.session.scalar(sa.select(sa.func.count(Answer.id)).where(*conditions)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    length = sa.func.length(Answer.text)
    rows = db.session.execute(
        sa.select(Answer.id, Answer.text)
        .where(*conditions)
        .order_by(sa.case((length < READABLE, 1), else_=0), length, Answer.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [Candidate(answer_id, text or "") for answer_id, text in rows]
    return CandidatePage(items, total, page, pages)


def _coded_with(answer: Answer, theme: Theme) -> bool:
    return db.session.get(AnswerTheme, {"answer_id": answer.id, "theme_id": theme.id}) is not None


def choose_quote(
    consultation: Consultation,
    question: Question,
    theme: Theme,
    answer: Answer,
    text: str | None,
    by: User | None,
) -> ThemeQuote:
    """Quote `answer` under `theme`, in `text` (by default the answer's own words); the caller
    commits. QuoteError when it cannot be: not coded with the theme, quoted already, the
    theme's quotes all chosen, or the words hold a personal detail."""
    if answer.question_id != question.id or not _coded_with(answer, theme):
        raise QuoteError("That answer is not coded with this theme")
    chosen = db.session.scalars(sa.select(ThemeQuote).where(ThemeQuote.theme_id == theme.id)).all()
    if any(quote.answer_id == answer.id for quote in chosen):
        raise QuoteError("That answer is already quoted under this theme")
    if len(chosen) >= MOST_PER_THEME:
        raise QuoteError(
            f"A theme can have {MOST_PER_THEME} quotes at most: remove one before choosing another"
        )
    original = answer.text or ""
    words = quote_text(original if text is None else text, original)
    quote = ThemeQuote(theme_id=theme.id, answer_id=answer.id, text=words, chosen_by_id=_id(by))
    db.session.add(quote)
    db.session.flush()
    _log("quote chosen", consultation, question, quote, by)
    return quote


def change_quote(
    consultation: Consultation, question: Question, quote: ThemeQuote, text: str, by: User | None
) -> None:
    """Change a quote's words (to shorten it, or take a name out); the caller commits."""
    answer = db.session.get(Answer, quote.answer_id)
    quote.text = quote_text(text, answer.text or "" if answer is not None else "")
    _log("quote changed", consultation, question, quote, by)


def remove_quote(
    consultation: Consultation, question: Question, quote: ThemeQuote, by: User | None
) -> None:
    """Stop quoting an answer under a theme; the caller commits."""
    _log("quote removed", consultation, question, quote, by)
    db.session.delete(quote)


def _id(by: User | None) -> int | None:
    return by.id if isinstance(by, User) else None


def _log(
    action: str, consultation: Consultation, question: Question, quote: ThemeQuote, by: User | None
) -> None:
    """The action log's entry: ids only, never the resident's words."""
    action_log.record(
        action,
        consultation,
        f"quote {quote.id}",
        f"question {question.key}, theme {quote.theme_id}, answer {quote.answer_id}",
        by=by,
    )


def shown_quotes(
    consultation: Consultation, results: ConsultationResults
) -> tuple[QuotedTheme, ...]:
    """The quotes a results page of `results` (everyone's, or one group's) may show: only
    under themes whose count it shows at or above the threshold, in a group's view only from
    that group's responses, and only from writers who are in no small group (below). Only the
    words are read, nothing else of the response."""
    allowed = {(key, name) for key, names in quotable(results).items() for name in names}
    if not allowed:
        return ()
    statement = (
        sa.select(
            ThemeQuote.id,
            ThemeQuote.theme_id,
            Answer.response_id,
            Question.key,
            Theme.name,
            ThemeQuote.text,
        )
        .join(Answer, Answer.id == ThemeQuote.answer_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Theme, Theme.id == ThemeQuote.theme_id)
        .join(
            AnswerTheme,
            sa.and_(
                AnswerTheme.answer_id == ThemeQuote.answer_id,
                AnswerTheme.theme_id == ThemeQuote.theme_id,
            ),
        )  # still coded with the theme: a recoded answer's quote is not shown under it
        .where(Question.consultation_id == consultation.id)
        .order_by(ThemeQuote.id)
    )
    group = _group_filter(consultation, results)
    if group is not None:
        statement = statement.where(Answer.response_id.in_(group))
    rows = [row for row in db.session.execute(statement) if (row.key, row.name) in allowed]
    small = _in_small_groups(consultation, rows, results.threshold)
    chosen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        if row.id not in small:
            chosen[(row.key, row.name)].append(row.text)
    return quoted_themes(results, chosen)


def hidden_by_groups(consultation: Consultation, question: Question, threshold: int) -> set[int]:
    """The ids of the question's quotes no results page shows because a group their writer
    is in is small (as `shown_quotes` decides), for the officers' page to say so."""
    rows = db.session.execute(
        sa.select(ThemeQuote.id, ThemeQuote.theme_id, Answer.response_id)
        .join(Answer, Answer.id == ThemeQuote.answer_id)
        .where(Answer.question_id == question.id)
    ).all()
    return _in_small_groups(consultation, rows, threshold)


def _in_small_groups(
    consultation: Consultation, rows: Sequence[sa.Row[Any]], threshold: int
) -> set[int]:
    """The quotes whose writer is in a group of some breakdown question (or among those who
    did not answer it) where fewer than `threshold` mention the quote's theme.

    Such a quote is shown in no view: a quote shown to everyone but missing from each group's
    view but one would tell the reader which group wrote it, and that group is small.
    """
    if threshold <= 1 or not rows:
        return set()
    theme_ids = {row.theme_id for row in rows}
    writers = {row.response_id for row in rows}
    small: set[int] = set()
    grouped = aliased(Answer)
    for question in consultation.questions:
        if not question.breakdown:
            continue
        mentions = {
            (theme_id, option): count
            for theme_id, option, count in db.session.execute(
                sa.select(AnswerTheme.theme_id, grouped.option, sa.func.count())
                .join(Answer, Answer.id == AnswerTheme.answer_id)
                .outerjoin(
                    grouped,
                    sa.and_(
                        grouped.response_id == Answer.response_id,
                        grouped.question_id == question.id,
                        grouped.row.is_(None),
                    ),
                )
                .where(AnswerTheme.theme_id.in_(theme_ids))
                .group_by(AnswerTheme.theme_id, grouped.option)
            )
        }
        chose = {
            response_id: option
            for response_id, option in db.session.execute(
                sa.select(Answer.response_id, Answer.option).where(
                    Answer.question_id == question.id,
                    Answer.row.is_(None),
                    Answer.response_id.in_(writers),
                )
            )
        }
        for row in rows:
            if mentions.get((row.theme_id, chose.get(row.response_id)), 0) < threshold:
                small.add(row.id)
    return small


def _group_filter(
    consultation: Consultation, results: ConsultationResults
) -> sa.Select[tuple[int]] | None:
    """The responses of the view's group, or None for everyone's view."""
    if results.group is None:
        return None
    for question in consultation.questions:
        if question.key == results.group.key:
            for index, label in enumerate(question.options):
                if label == results.group.label:
                    return in_group(question.id, index)
    return sa.select(Answer.response_id).where(sa.false())  # no such group: no one in it
