"""Kept tallies: a consultation's counts stored as responses are counted, so results of a
million responses read a few thousand rows instead of counting 13 million answers.

A response starts with `tally_state` 0 (not counted), so submitting stays a plain insert with
no shared counter rows to lock. When results are read, `kept_counts` takes the consultation's
turn (a write to its `tally_lock` row), folds the responses not yet counted into the `tally`
rows, reads the counts it needs and commits. Anything that changes a counted response first
takes them out of the tallies (`withdraw`), or recounts what it changed (`recount`), under the
same turn, in the same transaction as the change:

- an officer's codes for one answer, a deleted response: `withdraw` the response first;
- auto-coding and theme merges, which change many answers' codes: `take_turn` before the
  change and `recount(THEME_KINDS)` after it.

Every count is kept for everyone and for each group of each breakdown question, so one group's
results and a breakdown are as cheap as everyone's. `check` recounts everything from the
answers and lists any difference, so officers can confirm the kept counts are the answers'.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from survey.database import db, on_postgresql
from survey.models import (
    Answer,
    AnswerCoding,
    AnswerTheme,
    Question,
    Response,
    Tally,
    TallyLock,
)
from survey.questions import QuestionType

NOT_COUNTED, COUNTING, COUNTED = 0, 1, 2

ARRIVAL = "arrival"  # responses per UTC day and channel
OPTION = "option"  # answers per (question, matrix statement, option)
RESPONDENTS = "respondents"  # responses that ticked anything, per multi-choice question
ANSWERED = "answered"  # free-text answers per question
CODED = "coded"  # free-text answers with a coding decision
THEMED = "themed"  # coded free-text answers with at least one theme
THEME = "theme"  # free-text answers per theme
THEME_KINDS = (CODED, THEMED, THEME)
ALL_KINDS = (ARRIVAL, OPTION, RESPONDENTS, ANSWERED, *THEME_KINDS)

EVERYONE = (0, -1)  # (by_question_id, by_option) of the counts over all responses
BULK = 10_000  # a fold of this many responses checks whether it is counting all of them

# (by_question_id, by_option, kind, question_id, row, option, theme_id, day, channel) -> n
Key = tuple[int, int, str, int, int, int, int, str, str]


@dataclass
class Counts:
    """The counts results are built from, for everyone or for one group."""

    arrivals: dict[tuple[dt.date, str], int] = field(default_factory=dict)
    options: dict[int, dict[tuple[int | None, int], int]] = field(default_factory=dict)
    respondents: dict[int, int] = field(default_factory=dict)
    answered: dict[int, int] = field(default_factory=dict)
    coded: dict[int, int] = field(default_factory=dict)
    themed: dict[int, int] = field(default_factory=dict)
    themes: dict[int, dict[int, int]] = field(default_factory=dict)  # question -> theme id -> n


def kept_counts(consultation_id: int, group: tuple[int, int] = EVERYONE) -> Counts:
    """Fold in what is not yet counted, then read one group's counts; commits.

    `group` is (breakdown question id, option index), or EVERYONE.
    """
    take_turn(consultation_id)
    fold(consultation_id)
    rows = db.session.execute(
        sa.select(
            Tally.kind,
            Tally.question_id,
            Tally.row,
            Tally.option,
            Tally.theme_id,
            Tally.day,
            Tally.channel,
            Tally.n,
        ).where(
            Tally.consultation_id == consultation_id,
            Tally.by_question_id == group[0],
            Tally.by_option == group[1],
            Tally.n != 0,
        )
    ).all()
    db.session.commit()
    return _counts(rows)


def kept_breakdown(
    consultation_id: int, by_question_id: int, question_id: int, row: int | None
) -> dict[int, dict[int, int]]:
    """Answers to one scale question (or matrix statement) per group: group -> option -> n."""
    take_turn(consultation_id)
    fold(consultation_id)
    rows = db.session.execute(
        sa.select(Tally.by_option, Tally.option, Tally.n).where(
            Tally.consultation_id == consultation_id,
            Tally.by_question_id == by_question_id,
            Tally.kind == OPTION,
            Tally.question_id == question_id,
            Tally.row == (-1 if row is None else row),
            Tally.n != 0,
        )
    ).all()
    db.session.commit()
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for group_option, option, n in rows:
        counts[group_option][option] = n
    return counts


def take_turn(consultation_id: int) -> None:
    """Write the consultation's lock row: until this transaction ends, nothing else can count
    or un-count its responses (PostgreSQL locks the row; SQLite takes its write lock)."""
    insert = _insert(TallyLock)
    db.session.execute(
        insert.values(consultation_id=consultation_id, turns=1).on_conflict_do_update(
            index_elements=[TallyLock.consultation_id],
            set_={"turns": TallyLock.__table__.c.turns + 1},
        )
    )


def fold(consultation_id: int) -> int:
    """Count the responses not yet counted into the tallies; returns how many. Call after
    `take_turn`, in the same transaction; the caller commits.

    The responses are marked first and then counted by their mark, so a response that arrives
    meanwhile is neither counted nor marked: it waits for the next fold. A few (the usual
    case: those since the last read) are counted by their ids, which the database plans for
    exactly; many (after an import) by their mark, once the planner has been told how many.
    """
    responses = Response.__table__
    mine = responses.c.consultation_id == consultation_id
    waiting = db.session.scalar(
        sa.select(sa.func.count()).select_from(responses).where(mine, _in_state(NOT_COUNTED))
    )
    if not waiting:
        return 0
    _tune_for_counting()
    mark = sa.update(responses).where(mine, _in_state(NOT_COUNTED)).values(tally_state=COUNTING)
    chosen: sa.ColumnElement[bool] | None
    if waiting < BULK:
        ids = list(db.session.scalars(mark.returning(responses.c.id)))
        marked = len(ids)
        chosen = Response.id.in_(ids)
    else:
        marked = db.session.execute(mark).rowcount  # type: ignore[attr-defined]
        if _one_writer():
            everything = marked == db.session.scalar(
                sa.select(sa.func.count()).select_from(responses).where(mine)
            )
            chosen = None if everything else _in_state(COUNTING)
        else:
            _analyse()  # the statistics still say none are being counted
            chosen = _in_state(COUNTING)
    if marked:
        _add(consultation_id, _contributions(consultation_id, chosen), 1)
        db.session.execute(
            sa.update(responses).where(mine, _in_state(COUNTING)).values(tally_state=COUNTED)
        )
        if marked >= BULK and not _one_writer():
            _analyse()  # so reads find the few responses waiting by the partial index
    return int(marked)


def _analyse() -> None:
    """PostgreSQL: refresh the response table's statistics, which ANALYZE takes from this
    transaction's view (its own marks included). Without it the planner, told that almost no
    response is being counted, loops over a million responses once per response."""
    db.session.execute(sa.text("ANALYZE response"))


def withdraw(consultation_id: int, response_ids: sa.Select[Any]) -> None:
    """Take these responses out of the tallies before they change or go; they are counted
    again, as they then are, at the next fold. The caller makes the change and commits."""
    take_turn(consultation_id)
    chosen = sa.and_(Response.id.in_(response_ids), Response.tally_state == COUNTED)
    _add(consultation_id, _contributions(consultation_id, chosen), -1)
    responses = Response.__table__
    db.session.execute(
        sa.update(responses)
        .where(
            responses.c.consultation_id == consultation_id,
            responses.c.id.in_(response_ids),
            responses.c.tally_state == COUNTED,
        )
        .values(tally_state=NOT_COUNTED)
    )


def recount(consultation_id: int, kinds: Sequence[str]) -> None:
    """Count these kinds again over the counted responses, after a change to many of them
    (call `take_turn` before making the change). The caller commits."""
    take_turn(consultation_id)
    db.session.execute(
        sa.delete(Tally).where(Tally.consultation_id == consultation_id, Tally.kind.in_(kinds))
    )
    _tune_for_counting()
    _add(consultation_id, _counted(consultation_id, kinds), 1)


def forget(consultation_id: int) -> None:
    """Drop the kept counts: every response is counted afresh at the next fold."""
    take_turn(consultation_id)
    db.session.execute(sa.delete(Tally).where(Tally.consultation_id == consultation_id))
    responses = Response.__table__
    db.session.execute(
        sa.update(responses)
        .where(
            responses.c.consultation_id == consultation_id,
            responses.c.tally_state != NOT_COUNTED,
        )
        .values(tally_state=NOT_COUNTED)
    )


@dataclass(frozen=True)
class Difference:
    """A kept count that is not what the answers say."""

    key: Key
    kept: int
    counted: int


def check(consultation_id: int) -> list[Difference]:
    """Fold, then count every kind again from the answers and compare with the kept counts;
    commits. An empty list means the kept counts are exactly the answers'."""
    take_turn(consultation_id)
    fold(consultation_id)
    kept: dict[Key, int] = {
        tuple(key): n
        for *key, n in db.session.execute(
            sa.select(*_key_columns(), Tally.n).where(
                Tally.consultation_id == consultation_id, Tally.n != 0
            )
        )
    }
    counted = _counted(consultation_id, ALL_KINDS)
    db.session.commit()
    return [
        Difference(key, kept.get(key, 0), counted.get(key, 0))
        for key in sorted(set(kept) | set(counted))
        if kept.get(key, 0) != counted.get(key, 0)
    ]


# Reading.


def _counts(rows: Iterable[Sequence[Any]]) -> Counts:
    counts = Counts()
    for kind, question_id, row, option, theme_id, day, channel, n in rows:
        if kind == ARRIVAL:
            counts.arrivals[(dt.date.fromisoformat(day), channel)] = n
        elif kind == OPTION:
            statement = None if row < 0 else row
            counts.options.setdefault(question_id, {})[(statement, option)] = n
        elif kind == RESPONDENTS:
            counts.respondents[question_id] = n
        elif kind == ANSWERED:
            counts.answered[question_id] = n
        elif kind == CODED:
            counts.coded[question_id] = n
        elif kind == THEMED:
            counts.themed[question_id] = n
        elif kind == THEME:
            counts.themes.setdefault(question_id, {})[theme_id] = n
    return counts


def _key_columns() -> tuple[Any, ...]:
    return (
        Tally.by_question_id,
        Tally.by_option,
        Tally.kind,
        Tally.question_id,
        Tally.row,
        Tally.option,
        Tally.theme_id,
        Tally.day,
        Tally.channel,
    )


# Writing.


def _add(consultation_id: int, contributions: dict[Key, int], sign: int) -> None:
    """Add (or, with sign -1, subtract) counts to the tallies, then drop counts now zero."""
    if not contributions:
        return
    names = [column.key for column in _key_columns()]
    rows = [
        {"consultation_id": consultation_id, **dict(zip(names, key, strict=True)), "n": sign * n}
        for key, n in contributions.items()
    ]
    insert = _insert(Tally)
    statement = insert.on_conflict_do_update(
        index_elements=["consultation_id", *names],
        set_={"n": Tally.__table__.c.n + insert.excluded.n},
    )
    db.session.execute(statement, rows)
    if sign < 0:
        db.session.execute(
            sa.delete(Tally).where(Tally.consultation_id == consultation_id, Tally.n == 0)
        )


def _insert(model: Any) -> Any:
    """INSERT for this database, with its ON CONFLICT clause (both dialects have one)."""
    table = model.__table__
    if on_postgresql():
        return postgresql.insert(table)
    return sqlite.insert(table)


def _tune_for_counting() -> None:
    """On PostgreSQL, let this transaction's hashes and DISTINCTs work in memory, not on disk.

    The default work_mem (4 MB) makes counting a million respondents spill to temporary files.
    SET LOCAL ends with the transaction, so other work keeps the server's setting.
    """
    if on_postgresql():
        db.session.execute(sa.text("SET LOCAL work_mem = '64MB'"))


# Counting from the answers.


def _contributions(
    consultation_id: int, chosen: sa.ColumnElement[bool] | None, kinds: Sequence[str] = ALL_KINDS
) -> dict[Key, int]:
    """What the chosen responses of a consultation add to each tally, counted in the database.

    Each count is grouped by the responses' options in the breakdown questions (a response's
    "groups": one option, or none, per breakdown question, which are single choice), so every
    answer is read once; the counts for everyone and for each group then add up from those in
    Python, from a few thousand rows.
    """
    questions = db.session.execute(
        sa.select(Question.id, Question.type, Question.breakdown).where(
            Question.consultation_id == consultation_id
        )
    ).all()
    of_type: dict[str, list[int]] = defaultdict(list)
    for question_id, kind, _ in questions:
        of_type[kind].append(question_id)
    breakdown_ids = [question_id for question_id, _, breakdown in questions if breakdown]
    text_ids = of_type[QuestionType.FREE_TEXT.value]
    choice_ids = [q for q, kind, _ in questions if kind != QuestionType.FREE_TEXT.value]
    multi_ids = of_type[QuestionType.MULTI_CHOICE.value]

    mine = Response.consultation_id == consultation_id
    responses = sa.select(Response.id).where(mine, chosen if chosen is not None else sa.true())
    groups: list[Any] = []
    g: Any = None
    if breakdown_ids:
        g = (
            sa.select(
                Answer.response_id.label("rid"),
                *(
                    sa.func.max(sa.case((Answer.question_id == b, Answer.option))).label(f"g{i}")
                    for i, b in enumerate(breakdown_ids)
                ),
            )
            .where(
                Answer.question_id.in_(breakdown_ids),
                Answer.row.is_(None),
                Answer.option.is_not(None),
                *(() if chosen is None else (Answer.response_id.in_(responses),)),
            )
            .group_by(Answer.response_id)
            .subquery("g")
        )
        groups = [g.c[f"g{i}"] for i in range(len(breakdown_ids))]

    def of_chosen(source: Any, response_id: Any) -> Any:
        """`source` limited to the chosen responses, with each response's groups attached."""
        if source is not Response.__table__ and chosen is not None:
            # Every answer to the consultation's questions is one of its responses': only a
            # choice of some of them needs the join.
            source = source.join(
                Response.__table__, sa.and_(Response.id == response_id, mine, chosen)
            )
        return source.outerjoin(g, g.c.rid == response_id) if g is not None else source

    found: dict[Key, int] = defaultdict(int)
    names = ("question_id", "row", "option", "theme_id", "day", "channel")

    def count(kind: str, source: Any, measure: Any, where: Any = None, **cells: Any) -> None:
        columns = [cells[name] for name in names if name in cells]
        statement = sa.select(*groups, *columns, measure).select_from(source)
        if where is not None:
            statement = statement.where(where)
        statement = statement.group_by(*groups, *columns)
        for row in db.session.execute(statement):
            values = dict(zip([n for n in names if n in cells], row[len(groups) : -1], strict=True))
            cell = (
                kind,
                values.get("question_id") or 0,
                -1 if values.get("row") is None else values["row"],
                -1 if values.get("option") is None else values["option"],
                values.get("theme_id") or 0,
                _iso(values.get("day")),
                values.get("channel") or "",
            )
            n = row[-1]
            found[(*EVERYONE, *cell)] += n
            for by_question, by_option in zip(breakdown_ids, row[: len(groups)], strict=True):
                if by_option is not None:
                    found[(by_question, by_option, *cell)] += n

    answers = of_chosen(Answer.__table__, Answer.response_id)
    if ARRIVAL in kinds:
        arrivals = of_chosen(Response.__table__, Response.id)
        count(
            ARRIVAL,
            arrivals,
            sa.func.count(),
            sa.and_(mine, chosen) if chosen is not None else mine,
            day=_day_expression(),
            channel=Response.channel,
        )
    if OPTION in kinds and choice_ids:
        count(
            OPTION,
            answers,
            sa.func.count(),
            sa.and_(Answer.question_id.in_(choice_ids), Answer.option.is_not(None)),
            question_id=Answer.question_id,
            row=Answer.row,
            option=Answer.option,
        )
    if RESPONDENTS in kinds and multi_ids:
        count(
            RESPONDENTS,
            answers,
            sa.func.count(sa.distinct(Answer.response_id)),
            Answer.question_id.in_(multi_ids),
            question_id=Answer.question_id,
        )
    if text_ids:
        texts = Answer.question_id.in_(text_ids)
        coded = answers.join(AnswerCoding, AnswerCoding.answer_id == Answer.id)
        themed = answers.join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        if ANSWERED in kinds:
            count(ANSWERED, answers, sa.func.count(), texts, question_id=Answer.question_id)
        if CODED in kinds:
            count(CODED, coded, sa.func.count(), texts, question_id=Answer.question_id)
        if THEMED in kinds:
            distinct = sa.func.count(sa.distinct(AnswerTheme.answer_id))
            count(THEMED, themed, distinct, texts, question_id=Answer.question_id)
        if THEME in kinds:
            count(
                THEME,
                themed,
                sa.func.count(),
                texts,
                question_id=Answer.question_id,
                theme_id=AnswerTheme.theme_id,
            )
    return {key: n for key, n in found.items() if n}


def _in_state(state: int) -> sa.ColumnElement[bool]:
    """Responses in a state other than counted, found by the partial index of those (whose
    condition must appear as written for SQLite to use it)."""
    return sa.and_(
        Response.__table__.c.tally_state != sa.literal_column(str(COUNTED)),
        Response.__table__.c.tally_state == state,
    )


def _one_writer() -> bool:
    """Whether no response can arrive while this transaction counts: true on SQLite, whose
    writers take turns (and `take_turn` began this transaction with a write). On PostgreSQL a
    response committed between two statements would be seen by the second, so counting there
    always picks responses by their state."""
    return not on_postgresql()


def _counted(consultation_id: int, kinds: Sequence[str]) -> dict[Key, int]:
    """The contributions of the counted responses. On SQLite, all responses less the few not
    counted, which is far quicker there than picking out the counted ones answer by answer."""
    if not _one_writer():
        _analyse()
        return _contributions(consultation_id, Response.tally_state == COUNTED, kinds)
    found = _contributions(consultation_id, None, kinds)
    for key, n in _contributions(consultation_id, _in_state(NOT_COUNTED), kinds).items():
        found[key] = found.get(key, 0) - n
    return {key: n for key, n in found.items() if n}


def _day_expression() -> sa.ColumnElement[Any]:
    """The UTC calendar day of a response, in this database's dialect."""
    if on_postgresql():
        return sa.cast(sa.func.timezone("UTC", Response.submitted_at), sa.Date)
    return sa.func.date(Response.submitted_at)


def _iso(day: Any) -> str:
    if day is None:
        return ""
    return day.isoformat() if isinstance(day, dt.date) else str(day)
