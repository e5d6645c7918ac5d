"""Data access for results: every count is a SQL `GROUP BY`, filled into `survey.results` types.

A handful of queries per consultation, whatever its size: option counts for all choice
questions at once, respondents per multi-choice question, answers and themes per free-text
question, channels and days. Nothing loads every answer into Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from flask import current_app

from survey.database import db
from survey.models import (
    Answer,
    AnswerCoding,
    AnswerTheme,
    Channel,
    Consultation,
    Question,
    Response,
    Theme,
)
from survey.questions import OTHER_OPTION, QuestionSpec, QuestionType
from survey.results import (
    Breakdown,
    BreakdownQuestion,
    ConsultationResults,
    Count,
    Group,
    GroupShare,
    QuestionResult,
    Week,
    choice_result,
    matrix_result,
    scale_result,
    text_result,
)
from survey.statistics import DEFAULT_THRESHOLD, is_small, share

OTHER_TEXTS_SHOWN = 1000  # "Other" answers listed per question; the count covers them all
SCALE_TYPES = (QuestionType.AGREEMENT, QuestionType.LIKERT, QuestionType.MATRIX)
CHOICE_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE)


class UnknownGroup(LookupError):
    """A breakdown group that the consultation does not have; the message says which."""


def threshold() -> int:
    """The smallest count that may be shown (config SUPPRESSION_THRESHOLD, default 5)."""
    return int(current_app.config.get("SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))


def consultation_results(
    consultation: Consultation,
    group: tuple[str, str] | None = None,
    minimum: int | None = None,
) -> ConsultationResults:
    """All results of a consultation, or of one breakdown group: (question key, option label)."""
    minimum = threshold() if minimum is None else minimum
    questions = list(consultation.questions)
    chosen = _group(questions, group) if group else None
    in_group = _responses_in(chosen[0].id, chosen[1]) if chosen else None
    _tune_for_counting()
    arrivals = _arrivals(consultation.id, in_group)
    total = sum(arrivals.values())
    hidden = is_small(total, minimum)
    return ConsultationResults(
        slug=consultation.slug,
        title=consultation.title,
        opens=consultation.opens,
        closes=consultation.closes,
        threshold=minimum,
        group=Group(chosen[0].key, chosen[0].text, chosen[2]) if chosen else None,
        responses=None if hidden else total,
        channels=() if hidden else _channels(arrivals, minimum),
        weeks=() if hidden else _weeks(arrivals, minimum),
        questions=_question_results(questions, in_group, minimum),
        breakdown_questions=tuple(
            BreakdownQuestion(q.key, q.text, tuple(q.options)) for q in questions if q.breakdown
        ),
    )


def breakdown(
    consultation: Consultation,
    by_key: str,
    key: str,
    statement: int | None = None,
    minimum: int | None = None,
) -> Breakdown:
    """Agreement with one scale question (or matrix statement) in each group of `by_key`."""
    minimum = threshold() if minimum is None else minimum
    questions = {q.key: q for q in consultation.questions}
    by, question = questions.get(by_key), questions.get(key)
    if by is None or not by.breakdown:
        raise UnknownGroup(f"{consultation.slug} has no breakdown question '{by_key}'")
    if question is None or QuestionType(question.type) not in SCALE_TYPES:
        raise UnknownGroup(f"{consultation.slug} has no agreement or likert question '{key}'")
    spec = question.spec()
    if (spec.type is QuestionType.MATRIX) != (statement is not None):
        raise UnknownGroup(f"say which statement of '{key}' to break down, and only for a matrix")
    grouping = sa.orm.aliased(Answer)
    rows = db.session.execute(
        sa.select(grouping.option, Answer.option, sa.func.count())
        .join(grouping, grouping.response_id == Answer.response_id)
        .where(
            grouping.question_id == by.id,
            Answer.question_id == question.id,
            Answer.row.is_(None) if statement is None else Answer.row == statement,
        )
        .group_by(grouping.option, Answer.option)
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for group_option, option, n in rows:
        counts[group_option][option] = n
    groups = []
    for index, label in enumerate(by.options):
        result = scale_result(spec, counts.get(index, {}), minimum, statement)
        groups.append(GroupShare(label, result.answered, result.agree))
    return Breakdown(
        by_key=by.key,
        by_text=by.text,
        key=question.key,
        text=question.text,
        statement=None if statement is None else spec.rows[statement],
        groups=tuple(groups),
    )


def _tune_for_counting() -> None:
    """On PostgreSQL, let this transaction's hashes and DISTINCTs work in memory, not on disk.

    The default work_mem (4 MB) makes counting a million respondents spill to temporary files.
    SET LOCAL ends with the transaction, so other work keeps the server's setting.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL work_mem = '64MB'"))


def _group(questions: Sequence[Question], group: tuple[str, str]) -> tuple[Question, int, str]:
    key, label = group
    for question in questions:
        if question.key == key and question.breakdown:
            for index, option in enumerate(question.options):
                if option.casefold() == label.casefold():
                    return question, index, option
            raise UnknownGroup(f"'{label}' is not a group of the breakdown question '{key}'")
    raise UnknownGroup(f"'{key}' is not a breakdown question of this consultation")


def _responses_in(question_id: int, option: int) -> sa.Select[tuple[int]]:
    """The ids of the responses that chose `option` of a breakdown question."""
    return sa.select(Answer.response_id).where(
        Answer.question_id == question_id, Answer.option == option
    )


def _arrivals(
    consultation_id: int, in_group: sa.Select[tuple[int]] | None
) -> dict[tuple[dt.date, str], int]:
    """Responses per (UTC day, channel) in one pass; total, channels and weeks add up from it."""
    day = _day_expression().label("day")
    statement = (
        sa.select(day, Response.channel, sa.func.count())
        .where(Response.consultation_id == consultation_id)
        .group_by(day, Response.channel)
    )
    if in_group is not None:
        statement = statement.where(Response.id.in_(in_group))
    arrivals: dict[tuple[dt.date, str], int] = {}
    for value, channel, n in db.session.execute(statement):  # a row per day and channel
        on = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        arrivals[(on, channel)] = n
    return arrivals


def _channels(arrivals: dict[tuple[dt.date, str], int], minimum: int) -> tuple[Count, ...]:
    per_channel: dict[str, int] = defaultdict(int)
    for (_, channel), n in arrivals.items():
        per_channel[channel] += n
    total = sum(per_channel.values())
    order = [c.value for c in Channel]  # a fixed order: ranking would hint at hidden counts
    ordered = sorted(per_channel, key=lambda c: order.index(c) if c in order else len(order))
    return tuple(Count(channel, share(per_channel[channel], total, minimum)) for channel in ordered)


def _day_expression() -> sa.ColumnElement[dt.date]:
    """The UTC calendar day of a response, in this database's dialect."""
    if db.engine.dialect.name == "postgresql":
        return sa.cast(sa.func.timezone("UTC", Response.submitted_at), sa.Date)
    return sa.func.date(Response.submitted_at)


def _weeks(arrivals: dict[tuple[dt.date, str], int], minimum: int) -> tuple[Week, ...]:
    per_week: dict[dt.date, int] = defaultdict(int)
    for (on, _), n in arrivals.items():
        per_week[on - dt.timedelta(days=on.weekday())] += n
    if not per_week:
        return ()
    total = sum(per_week.values())
    first, last = min(per_week), max(per_week)
    weeks = []
    monday = first
    while monday <= last:  # weeks with no responses are shown as 0, not left out
        weeks.append(Week(monday, share(per_week.get(monday, 0), total, minimum)))
        monday += dt.timedelta(days=7)
    return tuple(weeks)


def _question_results(
    questions: Sequence[Question],
    in_group: sa.Select[tuple[int]] | None,
    minimum: int,
) -> tuple[QuestionResult, ...]:
    # A group too small to show has every question's base below the threshold too, so the
    # builders hide every share; only empty questions (0 answers) can still be shown.
    specs = {q.id: q.spec() for q in questions}
    counts = _option_counts([q for q in questions if q.type != QuestionType.FREE_TEXT], in_group)
    multi = [q.id for q in questions if q.type == QuestionType.MULTI_CHOICE]
    respondents = _respondents(multi, in_group)
    texts = [q for q in questions if q.type == QuestionType.FREE_TEXT]
    answered, coded, themed = _text_counts([q.id for q in texts], in_group)
    themes = _theme_counts([q.id for q in texts], in_group)
    others = _other_texts([q.id for q in questions if q.other], in_group)
    results: list[QuestionResult] = []
    for question in questions:
        spec = specs[question.id]
        mine = counts.get(question.id, {})
        if spec.type is QuestionType.MATRIX:
            results.append(matrix_result(spec, mine, minimum))
        elif spec.type in SCALE_TYPES:
            results.append(scale_result(spec, _flat(mine), minimum))
        elif spec.type in CHOICE_TYPES:
            flat = _flat(mine)
            single = spec.type is QuestionType.SINGLE_CHOICE
            people = sum(flat.values()) if single else respondents.get(question.id, 0)
            results.append(choice_result(spec, flat, people, minimum, others.get(question.id, ())))
        else:
            results.append(_text(spec, question.id, answered, coded, themed, themes, minimum))
    return tuple(results)


def _flat(counts: dict[tuple[int | None, int], int]) -> dict[int, int]:
    return {option: n for (_, option), n in counts.items()}


def _text(
    spec: QuestionSpec,
    question_id: int,
    answered: dict[int, int],
    coded: dict[int, int],
    themed: dict[int, int],
    themes: dict[int, dict[str, int]],
    minimum: int,
) -> QuestionResult:
    people = answered.get(question_id, 0)
    decided = coded.get(question_id, 0)
    return text_result(
        spec,
        people,
        themes.get(question_id, {}),
        decided,
        decided - themed.get(question_id, 0),
        minimum,
    )


def _option_counts(
    questions: Sequence[Question], in_group: sa.Select[tuple[int]] | None
) -> dict[int, dict[tuple[int | None, int], int]]:
    """(question id) -> (row, option) -> count, for every choice question in one query."""
    if not questions:
        return {}
    statement = (
        sa.select(Answer.question_id, Answer.row, Answer.option, sa.func.count())
        .where(Answer.question_id.in_([q.id for q in questions]), Answer.option.is_not(None))
        .group_by(Answer.question_id, Answer.row, Answer.option)
    )
    if in_group is not None:
        statement = statement.where(Answer.response_id.in_(in_group))
    counts: dict[int, dict[tuple[int | None, int], int]] = defaultdict(dict)
    for question_id, row, option, n in db.session.execute(statement):
        counts[question_id][(row, option)] = n
    return counts


def _respondents(
    question_ids: Sequence[int], in_group: sa.Select[tuple[int]] | None
) -> dict[int, int]:
    """How many responses answered each multi-choice question (not how many ticks)."""
    if not question_ids:
        return {}
    statement = (
        sa.select(Answer.question_id, sa.func.count(sa.distinct(Answer.response_id)))
        .where(Answer.question_id.in_(question_ids))
        .group_by(Answer.question_id)
    )
    if in_group is not None:
        statement = statement.where(Answer.response_id.in_(in_group))
    return {question_id: n for question_id, n in db.session.execute(statement)}


def _text_counts(
    question_ids: Sequence[int], in_group: sa.Select[tuple[int]] | None
) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Per free-text question: answers, answers coded, and coded answers with a theme."""
    if not question_ids:
        return {}, {}, {}

    def per_question(statement: sa.Select[tuple[int, int]]) -> dict[int, int]:
        statement = statement.where(Answer.question_id.in_(question_ids)).group_by(
            Answer.question_id
        )
        if in_group is not None:
            statement = statement.where(Answer.response_id.in_(in_group))
        return {question_id: n for question_id, n in db.session.execute(statement)}

    answered = per_question(sa.select(Answer.question_id, sa.func.count()))
    coded = per_question(
        sa.select(Answer.question_id, sa.func.count()).join(
            AnswerCoding, AnswerCoding.answer_id == Answer.id
        )
    )
    themed = per_question(
        sa.select(Answer.question_id, sa.func.count(sa.distinct(AnswerTheme.answer_id))).join(
            AnswerTheme, AnswerTheme.answer_id == Answer.id
        )
    )
    return answered, coded, themed


def _theme_counts(
    question_ids: Sequence[int], in_group: sa.Select[tuple[int]] | None
) -> dict[int, dict[str, int]]:
    """Per free-text question, how many answers mention each theme (every theme listed, even 0)."""
    if not question_ids:
        return {}
    statement = (
        sa.select(Answer.question_id, Theme.name, sa.func.count())
        .select_from(AnswerTheme)
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(Theme, Theme.id == AnswerTheme.theme_id)
        .where(Answer.question_id.in_(question_ids))
        .group_by(Answer.question_id, Theme.name)
    )
    if in_group is not None:
        statement = statement.where(Answer.response_id.in_(in_group))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for question_id, name, n in db.session.execute(statement):
        counts[question_id][name] = n
    _add_unmentioned_themes(question_ids, counts)
    return counts


def _add_unmentioned_themes(question_ids: Sequence[int], counts: dict[int, dict[str, int]]) -> None:
    """A theme no one mentioned is a finding too: list it with 0."""
    rows = db.session.execute(
        sa.select(Question.id, Theme.name)
        .join(
            Theme,
            sa.and_(
                Theme.consultation_id == Question.consultation_id,
                Theme.codebook == Question.codebook,
            ),
        )
        .where(Question.id.in_(question_ids))
    )
    for question_id, name in rows:
        counts[question_id].setdefault(name, 0)


def _other_texts(
    question_ids: Sequence[int], in_group: sa.Select[tuple[int]] | None
) -> dict[int, tuple[str, ...]]:
    """What people wrote for "Other", oldest first, at most OTHER_TEXTS_SHOWN per question."""
    result: dict[int, tuple[str, ...]] = {}
    for question_id in question_ids:
        statement = (
            sa.select(Answer.text)
            .where(Answer.question_id == question_id, Answer.option == OTHER_OPTION)
            .order_by(Answer.id)
            .limit(OTHER_TEXTS_SHOWN)
        )
        if in_group is not None:
            statement = statement.where(Answer.response_id.in_(in_group))
        result[question_id] = tuple(t for t in db.session.scalars(statement) if t)
    return result
