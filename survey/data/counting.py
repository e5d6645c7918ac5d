"""Counting a consultation's answers in SQL: every count is a `GROUP BY` over the answers.

Nothing here writes. The counts are the answers' own, so there is nothing to keep in step:
a response recorded, deleted or coded is counted as it now is at the next count. Counting a
million responses takes seconds, so `survey.data.result_cache` keeps counts between reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from common.database import db, on_postgresql
from survey.core.question_types import kind_of
from survey.core.questions import QuestionType
from survey.data.models import Answer, AnswerCoding, AnswerTheme, Response

# Counts of one question: (matrix statement or None, option index) -> answers.
OptionCounts = dict[tuple[int | None, int], int]


@dataclass
class Counts:
    """The counts results are built from, for everyone or for one group."""

    arrivals: dict[tuple[dt.date, str], int] = field(default_factory=dict)  # (day, channel)
    options: dict[int, OptionCounts] = field(default_factory=dict)  # question id -> counts
    respondents: dict[int, int] = field(default_factory=dict)  # multi-choice: who ticked any
    answered: dict[int, int] = field(default_factory=dict)  # free text: answers
    coded: dict[int, int] = field(default_factory=dict)  # free text: with a coding decision
    themed: dict[int, int] = field(default_factory=dict)  # free text: with at least one theme
    themes: dict[int, dict[int, int]] = field(default_factory=dict)  # question -> theme -> n


@dataclass(frozen=True)
class Asked:
    """What counting needs of one question: its id and type."""

    id: int
    type: QuestionType


def in_group(question_id: int, option: int) -> sa.Select[tuple[int]]:
    """The ids of the responses that chose `option` of a (single-choice) breakdown question."""
    return sa.select(Answer.response_id).where(
        Answer.question_id == question_id, Answer.row.is_(None), Answer.option == option
    )


def count(
    consultation_id: int, questions: Sequence[Asked], group: sa.Select[tuple[int]] | None = None
) -> Counts:
    """Count a consultation's responses and answers, all of them or those of one `group`."""
    counts = Counts(arrivals=_arrivals(consultation_id, group))
    ids = [q.id for q in questions]
    text_ids = [q.id for q in questions if kind_of(q.type).holds_free_text]
    multi_ids = [q.id for q in questions if kind_of(q.type).counts_people]
    for question_id, row, option, n in _rows(_answers_per_option(ids, group)):
        if option is not None:
            counts.options.setdefault(question_id, {})[(row, option)] = n
        elif question_id in text_ids:
            counts.answered[question_id] = counts.answered.get(question_id, 0) + n
    if multi_ids:
        counts.respondents = dict(_rows(_respondents(multi_ids, group)))
    if text_ids:
        _count_codes(counts, text_ids, group)
    return counts


def count_breakdown(
    by_question_id: int, question_id: int, row: int | None
) -> dict[int, dict[int, int]]:
    """Answers to one question (or matrix statement) per group of a breakdown question:
    group option -> option -> answers."""
    by = sa.orm.aliased(Answer)
    statement = (
        sa.select(by.option, Answer.option, sa.func.count())
        .join(
            by,
            sa.and_(
                by.response_id == Answer.response_id,
                by.question_id == by_question_id,
                by.row.is_(None),
            ),
        )
        .where(
            Answer.question_id == question_id,
            Answer.row.is_(None) if row is None else Answer.row == row,
            Answer.option.is_not(None),
        )
        .group_by(by.option, Answer.option)
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for group_option, option, n in _rows(statement):
        counts[group_option][option] = n
    return dict(counts)


def _rows(statement: sa.Select[Any]) -> list[Any]:
    return list(db.session.execute(statement).tuples())


def _limited(statement: sa.Select[Any], column: Any, group: sa.Select[tuple[int]] | None) -> Any:
    return statement if group is None else statement.where(column.in_(group))


def _arrivals(
    consultation_id: int, group: sa.Select[tuple[int]] | None
) -> dict[tuple[dt.date, str], int]:
    day = _day()
    statement = _limited(
        sa.select(day, Response.channel, sa.func.count())
        .where(Response.consultation_id == consultation_id)
        .group_by(day, Response.channel),
        Response.id,
        group,
    )
    return {(_date(on), channel): n for on, channel, n in _rows(statement)}


def _answers_per_option(ids: Sequence[int], group: sa.Select[tuple[int]] | None) -> Any:
    """Answers per (question, statement, option); free-text answers under option None."""
    columns = (Answer.question_id, Answer.row, Answer.option)
    return _limited(
        sa.select(*columns, sa.func.count()).where(Answer.question_id.in_(ids)).group_by(*columns),
        Answer.response_id,
        group,
    )


def _respondents(multi_ids: Sequence[int], group: sa.Select[tuple[int]] | None) -> Any:
    """Responses that ticked anything, per multi-choice question."""
    each = _limited(
        sa.select(Answer.question_id, Answer.response_id)
        .where(Answer.question_id.in_(multi_ids))
        .group_by(Answer.question_id, Answer.response_id),
        Answer.response_id,
        group,
    ).subquery()
    return sa.select(each.c.question_id, sa.func.count()).group_by(each.c.question_id)


def _count_codes(
    counts: Counts, text_ids: Sequence[int], group: sa.Select[tuple[int]] | None
) -> None:
    """Coding decisions and themes of free-text answers, in one pass over them: each answer
    once per theme it has, or once with no theme."""
    statement = _limited(
        sa.select(
            Answer.question_id,
            AnswerTheme.theme_id,
            sa.func.count(),
            sa.func.count(AnswerCoding.answer_id),
        )
        .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .outerjoin(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .where(Answer.question_id.in_(text_ids))
        .group_by(Answer.question_id, AnswerTheme.theme_id),
        Answer.response_id,
        group,
    )
    unthemed: dict[int, int] = {}
    coded_unthemed: dict[int, int] = {}
    for question_id, theme_id, n, coded in _rows(statement):
        if theme_id is None:
            unthemed[question_id], coded_unthemed[question_id] = n, coded
        else:
            counts.themes.setdefault(question_id, {})[theme_id] = n
    for question_id in text_ids:
        answered = counts.answered.get(question_id, 0)
        # An answer with a theme always has its coding decision (themes are only set with one).
        themed = answered - unthemed.get(question_id, 0)
        counts.themed[question_id] = themed
        counts.coded[question_id] = coded_unthemed.get(question_id, 0) + themed


def _day() -> sa.ColumnElement[Any]:
    """The UTC calendar day of a response, in this database's dialect."""
    if on_postgresql():
        return sa.cast(sa.func.timezone("UTC", Response.submitted_at), sa.Date)
    return sa.func.date(Response.submitted_at)


def _date(day: Any) -> dt.date:
    return day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
