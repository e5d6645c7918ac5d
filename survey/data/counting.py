"""Counting a consultation's answers in SQL: every count is a `GROUP BY` over the answers.

Nothing here writes. The counts are the answers' own, so there is nothing to keep in step:
a response recorded, deleted or coded is counted as it now is at the next count. Counting a
million responses takes seconds, so `survey.data.result_cache` keeps counts between reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from common.database import db, on_postgresql
from survey.core.question_types import kind_of
from survey.core.questions import OTHER_OPTION, QuestionType
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
    return _count(consultation_id, questions, _Scope(group=group)).get(None, Counts())


def count_cells(
    consultation_id: int,
    questions: Sequence[Asked],
    by_question_ids: Sequence[int],
    by_channel: bool,
) -> dict[tuple[Any, ...], Counts]:
    """The same counts for every cell of a cross-table of breakdown questions (and the
    channel), in one pass: (option of each question in turn, None for no answer, then the
    channel if asked) -> counts. Those who did not answer a breakdown question are a cell too:
    a reader can work them out as a group less its other cells."""
    found = _count(consultation_id, questions, _Cells(consultation_id, by_question_ids, by_channel))
    return {key: counts for key, counts in found.items() if key is not None}


def merged(parts: Iterable[Counts]) -> Counts:
    """The counts of several cells together. Every count adds up over cells, as each response
    is in exactly one cell: so everyone's counts, a group's and a combination's are all sums of
    the cells of one cross-table, counted in one pass."""
    total = Counts()
    for part in parts:
        _add(total.arrivals, part.arrivals)
        for question_id, options in part.options.items():
            _add(total.options.setdefault(question_id, {}), options)
        _add(total.respondents, part.respondents)
        _add(total.answered, part.answered)
        _add(total.coded, part.coded)
        _add(total.themed, part.themed)
        for question_id, themes in part.themes.items():
            _add(total.themes.setdefault(question_id, {}), themes)
    return total


def _add(into: dict[Any, int], more: dict[Any, int]) -> None:
    for key, n in more.items():
        into[key] = into.get(key, 0) + n


def other_texts_by_cell(
    consultation_id: int,
    question_ids: Sequence[int],
    by_question_ids: Sequence[int],
    by_channel: bool,
    first: int,
) -> dict[int, list[tuple[tuple[Any, ...], str]]]:
    """What people wrote for "Other", with the cell of the cross-table (as `count_cells`) each
    writer is in: question id -> (cell, text), oldest first. Only each cell's `first` oldest
    are read: a view's oldest `first` are among those of its cells."""
    if not question_ids:
        return {}
    cells = _Cells(consultation_id, by_question_ids, by_channel)
    order = sa.func.row_number().over(
        partition_by=(Answer.question_id, *cells.lead), order_by=Answer.response_id
    )
    ranked = cells.apply(
        sa.select(
            *(c.label(f"by{i}") for i, c in enumerate(cells.lead)),
            Answer.question_id,
            Answer.response_id,
            Answer.text,
            order.label("n"),
        ).where(
            Answer.question_id.in_(question_ids),
            Answer.row.is_(None),
            Answer.option == OTHER_OPTION,
        ),
        Answer.response_id,
    ).subquery()
    width = len(cells.lead)
    statement = (
        sa.select(ranked)
        .where(ranked.c.n <= first)
        .order_by(ranked.c.question_id, ranked.c.response_id)
    )
    texts: dict[int, list[tuple[tuple[Any, ...], str]]] = {q: [] for q in question_ids}
    for row in _rows(statement):
        key, (question_id, _, text, _) = tuple(row[:width]), row[width:]
        if text:
            texts[question_id].append((key, text))
    return texts


class _Scope:
    """Which responses a count covers: all, or one group's (`group`, a filter)."""

    lead: tuple[Any, ...] = ()

    def __init__(self, group: sa.Select[tuple[int]] | None = None) -> None:
        self.group = group

    def apply(self, statement: sa.Select[Any], response_id: Any) -> sa.Select[Any]:
        return statement if self.group is None else statement.where(response_id.in_(self.group))

    def split(self, rows: list[Any]) -> list[tuple[Any, tuple[Any, ...]]]:
        """(None, the row) for each row: one count."""
        return [(None, tuple(row)) for row in rows]


class _Cells(_Scope):
    """Every cell of a cross-table at once: each row led by the cell's breakdown options (None
    where not answered) and its channel.

    Each response's cell is worked out once, in a subquery grouped by response (so that it is
    made once, not looked up again for each answer), then joined to what is counted.
    """

    def __init__(
        self, consultation_id: int, by_question_ids: Sequence[int], by_channel: bool
    ) -> None:
        super().__init__()
        bys = [sa.orm.aliased(Answer) for _ in by_question_ids]
        columns: list[Any] = [Response.id.label("response_id")]
        columns += [by.option.label(f"by{i}") for i, by in enumerate(bys)]
        if by_channel:
            columns.append(Response.channel.label("channel"))
        cells = sa.select(*columns).where(Response.consultation_id == consultation_id)
        for by, question_id in zip(bys, by_question_ids, strict=True):
            cells = cells.outerjoin(
                by,
                sa.and_(
                    by.response_id == Response.id,
                    by.question_id == question_id,
                    by.row.is_(None),
                ),
            )
        self.cells = cells.group_by(*columns).subquery("cells")
        self.lead = tuple(c for c in self.cells.c if c.name != "response_id")

    def apply(self, statement: sa.Select[Any], response_id: Any) -> sa.Select[Any]:
        return statement.join(self.cells, self.cells.c.response_id == response_id)

    def split(self, rows: list[Any]) -> list[tuple[Any, tuple[Any, ...]]]:
        width = len(self.lead)
        return [(tuple(row[:width]), tuple(row[width:])) for row in rows]


def _count(consultation_id: int, questions: Sequence[Asked], scope: _Scope) -> dict[Any, Counts]:
    found: dict[Any, Counts] = defaultdict(Counts)
    for key, (on, channel, n) in scope.split(_rows(_arrivals(consultation_id, scope))):
        found[key].arrivals[(_date(on), channel)] = n
    ids = [q.id for q in questions]
    text_ids = [q.id for q in questions if kind_of(q.type).holds_free_text]
    multi_ids = [q.id for q in questions if kind_of(q.type).counts_people]
    for key, (question_id, row, option, n) in scope.split(_rows(_answers_per_option(ids, scope))):
        counts = found[key]
        if option is not None:
            counts.options.setdefault(question_id, {})[(row, option)] = n
        elif question_id in text_ids:
            counts.answered[question_id] = counts.answered.get(question_id, 0) + n
    if multi_ids:
        for key, (question_id, n) in scope.split(_rows(_respondents(multi_ids, scope))):
            found[key].respondents[question_id] = n
    if text_ids:
        _count_codes(found, text_ids, scope)
    return dict(found)


def _rows(statement: sa.Select[Any]) -> list[Any]:
    return list(db.session.execute(statement).tuples())


def _arrivals(consultation_id: int, scope: _Scope) -> sa.Select[Any]:
    day = _day()
    return scope.apply(
        sa.select(*scope.lead, day, Response.channel, sa.func.count())
        .where(Response.consultation_id == consultation_id)
        .group_by(*scope.lead, day, Response.channel),
        Response.id,
    )


def _answers_per_option(ids: Sequence[int], scope: _Scope) -> sa.Select[Any]:
    """Answers per (question, statement, option); free-text answers under option None."""
    columns = (Answer.question_id, Answer.row, Answer.option)
    return scope.apply(
        sa.select(*scope.lead, *columns, sa.func.count())
        .where(Answer.question_id.in_(ids))
        .group_by(*scope.lead, *columns),
        Answer.response_id,
    )


def _respondents(multi_ids: Sequence[int], scope: _Scope) -> sa.Select[Any]:
    """Responses that ticked anything, per multi-choice question."""
    each = scope.apply(
        sa.select(
            *(c.label(f"grp{i}") for i, c in enumerate(scope.lead)),
            Answer.question_id,
            Answer.response_id,
        )
        .where(Answer.question_id.in_(multi_ids))
        .group_by(*scope.lead, Answer.question_id, Answer.response_id),
        Answer.response_id,
    ).subquery()
    lead = tuple(each.c[f"grp{i}"] for i in range(len(scope.lead)))
    return sa.select(*lead, each.c.question_id, sa.func.count()).group_by(*lead, each.c.question_id)


def _count_codes(found: dict[Any, Counts], text_ids: Sequence[int], scope: _Scope) -> None:
    """Coding decisions and themes of free-text answers, in one pass over them: each answer
    once per theme it has, or once with no theme."""
    statement = scope.apply(
        sa.select(
            *scope.lead,
            Answer.question_id,
            AnswerTheme.theme_id,
            sa.func.count(),
            sa.func.count(AnswerCoding.answer_id),
        )
        .outerjoin(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        .outerjoin(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .where(Answer.question_id.in_(text_ids))
        .group_by(*scope.lead, Answer.question_id, AnswerTheme.theme_id),
        Answer.response_id,
    )
    unthemed: dict[Any, dict[int, int]] = defaultdict(dict)
    coded_unthemed: dict[Any, dict[int, int]] = defaultdict(dict)
    for key, (question_id, theme_id, n, coded) in scope.split(_rows(statement)):
        if theme_id is None:
            unthemed[key][question_id], coded_unthemed[key][question_id] = n, coded
        else:
            found[key].themes.setdefault(question_id, {})[theme_id] = n
    for key, counts in found.items():
        for question_id in text_ids:
            answered = counts.answered.get(question_id, 0)
            # An answer with a theme always has its coding decision (themes only come with one).
            themed = answered - unthemed[key].get(question_id, 0)
            counts.themed[question_id] = themed
            counts.coded[question_id] = coded_unthemed[key].get(question_id, 0) + themed


def _day() -> sa.ColumnElement[Any]:
    """The UTC calendar day of a response, in this database's dialect."""
    if on_postgresql():
        return sa.cast(sa.func.timezone("UTC", Response.submitted_at), sa.Date)
    return sa.func.date(Response.submitted_at)


def _date(day: Any) -> dt.date:
    return day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
