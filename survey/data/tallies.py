"""Results of a consultation, filled into `survey.core.results` types from its answers' counts.

The counts are `GROUP BY`s over the answers (survey.data.counting), kept between reads under the
consultation's results version (survey.data.result_cache). Nothing here writes, so every result
reads the same from a read-only database (a replica).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa

from common.database import db
from common.statistics import hidden as hidden_share
from common.statistics import is_small, withheld
from survey.core import combinations
from survey.core.follow_ups import with_follow_ups
from survey.core.question_types import QuestionCounts, kind_of
from survey.core.questions import QuestionType
from survey.core.release import protect_groups
from survey.core.results import (
    Breakdown,
    BreakdownQuestion,
    ConsultationResults,
    Count,
    Group,
    GroupShare,
    MatrixResult,
    QuestionResult,
    ScaleResult,
    Week,
    protected_shares,
)
from survey.data import result_cache
from survey.data.counting import Asked, Counts, count_cells, merged, other_texts_by_cell
from survey.data.models import (
    Channel,
    Consultation,
    Question,
    Theme,
)

T = TypeVar("T")

OTHER_TEXTS_SHOWN = 1000  # "Other" answers listed per question; the count covers them all


class UnknownGroup(LookupError):
    """A breakdown group that the consultation does not have; the message says which."""


def consultation_results(
    consultation: Consultation,
    group: tuple[str, str] | None = None,
    *,
    minimum: int,
) -> ConsultationResults:
    """All results of a consultation, or of one breakdown group: (question key, option label).

    Everyone's are protected on their own. A group's are protected with everyone's and every
    other group's (survey.core.release): they are worked out together, once per version.
    """
    questions = list(consultation.questions)
    specs = [question.spec() for question in questions]
    if group is None:
        return with_follow_ups(_view(consultation, questions, None, minimum), specs)
    chosen = _group(questions, group)
    if minimum <= 1:  # nothing hidden: each group's counts as they are
        return with_follow_ups(_view(consultation, questions, chosen, minimum), specs)
    views = _every_group(consultation, questions, minimum)
    return with_follow_ups(views[_view_name(chosen)], specs)


CHANNEL_KEY = "channel"
CHANNEL_QUESTION = "How they responded"


def combination_results(
    consultation: Consultation,
    groups: Sequence[tuple[str, str]],
    channel: str | None,
    *,
    minimum: int,
) -> ConsultationResults:
    """The results of those in every one of `groups` (question key, option label) who
    responded by `channel` (if given), protected with every other cell of their cross-table
    (survey.core.combinations). Counted once per version for each set of filters: every
    combination of the same questions is one cell of the same count."""
    questions = list(consultation.questions)
    specs = [question.spec() for question in questions]
    chosen = [_group(questions, group) for group in groups]
    if len({c[0].id for c in chosen}) != len(chosen):
        raise UnknownGroup("choose one group of each breakdown question")
    if channel is not None and channel not in {c.value for c in Channel}:
        raise UnknownGroup(f"'{channel}' is not a channel")
    by_ids = [c[0].id for c in chosen]
    breakdown_ids = _breakdown_ids(questions)
    at = [breakdown_ids.index(i) for i in by_ids]
    if channel is not None:  # the channel is the last place of every cell
        at.append(len(breakdown_ids))
    cells: dict[tuple[Any, ...], list[Counts]] = defaultdict(list)
    for cell, counts in _cells(consultation, questions).items():
        cells[_projected(cell, at)].append(counts)
    shown = [q for q in questions if q.id not in set(by_ids)]
    theme_rows = _themes_of(shown)
    unsafe = cached(
        consultation,
        f"unsafe:{consultation.updated_at.isoformat()}:{by_ids}:{channel is not None}:{minimum}",
        lambda: combinations.unsafe_tables(
            (
                _built(consultation, questions, shown, merged(n), 1, {}, theme_rows)
                for n in cells.values()
            ),
            minimum,
        ),
    )
    key = (*(c[1] for c in chosen), *((channel,) if channel is not None else ()))
    others = _other_texts(consultation, questions, [q.id for q in shown if q.other], key, at)
    counted = _built(
        consultation, questions, shown, merged(cells.get(key, [])), 1, others, theme_rows
    )
    filters = tuple(Group(q.key, q.text, label) for q, _, label in chosen)
    if channel is not None:
        filters += (Group(CHANNEL_KEY, CHANNEL_QUESTION, channel),)
    view = combinations.published(dataclasses.replace(counted, filters=filters), unsafe, minimum)
    return with_follow_ups(view, specs)


def _built(
    consultation: Consultation,
    questions: list[Question],
    shown: list[Question],
    counts: Counts,
    minimum: int,
    others: dict[int, tuple[str, ...]],
    theme_rows: ThemeRows,
) -> ConsultationResults:
    """One cell's results from its counts: the questions `shown`, "Other" texts given, and
    `theme_rows` the themes of their codebooks (`_themes_of`)."""
    arrivals = counts.arrivals
    total = sum(arrivals.values())
    return ConsultationResults(
        slug=consultation.slug,
        title=consultation.title,
        opens=consultation.opens,
        closes=consultation.closes,
        threshold=minimum,
        group=None,
        responses=total,
        channels=_channels(arrivals, minimum),
        weeks=_weeks(arrivals, minimum),
        questions=_from_counts(shown, counts, others, minimum, theme_rows),
        breakdown_questions=tuple(
            BreakdownQuestion(q.key, q.text, tuple(q.options)) for q in questions if q.breakdown
        ),
    )


def _view_name(chosen: tuple[Question, int, str]) -> str:
    return f"{chosen[0].key}={chosen[2]}"


def _view(
    consultation: Consultation,
    questions: list[Question],
    chosen: tuple[Question, int, str] | None,
    minimum: int,
) -> ConsultationResults:
    """One view protected on its own, kept as shown (deciding what to hide solves linear
    programmes)."""
    view = f"{chosen[0].id}={chosen[1]}" if chosen else "everyone"
    return cached(
        consultation,
        f"shown:{consultation.updated_at.isoformat()}:{view}:{minimum}",
        lambda: _results(consultation, questions, chosen, minimum),
    )


def _every_group(
    consultation: Consultation, questions: list[Question], minimum: int
) -> dict[str, ConsultationResults]:
    """Every group's view (`_group_views`), once per version."""
    return cached(
        consultation,
        f"groups:{consultation.updated_at.isoformat()}:{minimum}",
        lambda: _group_views(consultation, questions, minimum),
    )


def _group_views(
    consultation: Consultation, questions: list[Question], minimum: int
) -> dict[str, ConsultationResults]:
    """Every group's view, protected with everyone's and each other's."""
    everyone = (
        "everyone",
        _view(consultation, questions, None, minimum),
        _view(consultation, questions, None, 1),
    )
    breakdowns = {}
    for question in questions:
        if not question.breakdown:
            continue
        views: list[tuple[str, ConsultationResults | None, ConsultationResults]] = []
        for index, label in enumerate(question.options):
            chosen = (question, index, label)
            views.append(
                (
                    _view_name(chosen),
                    _view(consultation, questions, chosen, minimum),
                    _view(consultation, questions, chosen, 1),
                )
            )
        breakdowns[question.key] = views
    return protect_groups(everyone, breakdowns, minimum)


def _results(
    consultation: Consultation,
    questions: list[Question],
    chosen: tuple[Question, int, str] | None,
    minimum: int,
) -> ConsultationResults:
    all_questions = questions
    at = [] if chosen is None else [_breakdown_ids(questions).index(chosen[0].id)]
    key = () if chosen is None else (chosen[1],)
    cells = _cells(consultation, questions)
    counts = merged(c for k, c in cells.items() if _projected(k, at) == key)
    breakdowns = tuple(
        BreakdownQuestion(q.key, q.text, tuple(q.options)) for q in questions if q.breakdown
    )
    if chosen:  # a group's own question says only who is in it
        questions = [q for q in questions if q.id != chosen[0].id]
    arrivals = counts.arrivals
    total = sum(arrivals.values())
    hidden = is_small(total, minimum)
    # A group too small to show has every question's base below the threshold too, so the
    # builders hide every share; only empty questions (0 answers) can still be shown.
    others = _other_texts(
        consultation,
        all_questions,
        [q.id for q in questions if q.other],
        key,
        at,
    )
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
        questions=_from_counts(questions, counts, others, minimum),
        breakdown_questions=breakdowns,
    )


GroupView = Callable[[str, str], ConsultationResults]


def group_views(consultation: Consultation, *, minimum: int) -> GroupView:
    """A reader of each group's results, fetching every group's from the cache once (not once
    a group: they are kept together, and each fetch unpickles them all)."""
    questions = list(consultation.questions)
    specs = [question.spec() for question in questions]
    loaded: dict[str, ConsultationResults] = {}

    def view(key: str, label: str) -> ConsultationResults:
        if minimum <= 1:
            return consultation_results(consultation, (key, label), minimum=minimum)
        if not loaded:
            loaded.update(_every_group(consultation, questions, minimum))
        return with_follow_ups(loaded[_view_name(_group(questions, (key, label)))], specs)

    return view


def breakdown(
    consultation: Consultation,
    by_key: str,
    key: str,
    statement: int | None = None,
    *,
    minimum: int,
    views: GroupView | None = None,
) -> Breakdown:
    """Agreement with one scale question (or matrix statement) in each group of `by_key`."""
    questions = {q.key: q for q in consultation.questions}
    by, question = questions.get(by_key), questions.get(key)
    if by is None or not by.breakdown:
        raise UnknownGroup(f"{consultation.slug} has no breakdown question '{by_key}'")
    if question is None or not kind_of(question.type).is_scale:
        raise UnknownGroup(f"{consultation.slug} has no agreement or likert question '{key}'")
    spec = question.spec()
    if kind_of(spec.type).takes_rows != (statement is not None):
        raise UnknownGroup(f"say which statement of '{key}' to break down, and only for a matrix")
    groups = []
    for label in by.options:
        if views is None:
            view = consultation_results(consultation, (by.key, label), minimum=minimum)
        else:
            view = views(by.key, label)
        result = _scale_of(view, question.key, statement)
        if result is None:  # the group's results are not shown
            hidden = withheld(0, minimum) if view.withheld else hidden_share(0, minimum)
            groups.append(GroupShare(label, None, hidden))
        else:
            groups.append(GroupShare(label, result.answered, result.agree))
    return Breakdown(
        by_key=by.key,
        by_text=by.text,
        key=question.key,
        text=question.text,
        statement=None if statement is None else spec.rows[statement],
        groups=tuple(groups),
    )


def _scale_of(view: ConsultationResults, key: str, statement: int | None) -> ScaleResult | None:
    """One scale question's (or matrix statement's) result in a view; None when not shown."""
    if view.responses is None:
        return None
    result = view.question(key)
    if isinstance(result, MatrixResult) and statement is not None:
        return result.statements[statement]
    return result if isinstance(result, ScaleResult) else None


def _group(questions: Sequence[Question], group: tuple[str, str]) -> tuple[Question, int, str]:
    key, label = group
    for question in questions:
        if question.key == key and question.breakdown:
            for index, option in enumerate(question.options):
                if option.casefold() == label.casefold():
                    return question, index, option
            raise UnknownGroup(f"'{label}' is not a group of the breakdown question '{key}'")
    raise UnknownGroup(f"'{key}' is not a breakdown question of this consultation")


def _breakdown_ids(questions: Sequence[Question]) -> list[int]:
    """The breakdown questions whose options, with the channel, make the cells counted."""
    return [q.id for q in questions if q.breakdown]


def _projected(cell: tuple[Any, ...], at: Sequence[int]) -> tuple[Any, ...]:
    """A cell of the whole cross-table as a cell of the smaller one of the places `at`."""
    return tuple(cell[i] for i in at)


def _cells(consultation: Consultation, questions: Sequence[Question]) -> dict[Any, Counts]:
    """The consultation's counts in every cell of the cross-table of its breakdown questions
    and the channel, in one pass, once per version of its answers and of its questions.
    Everyone's counts, each group's and each combination's are sums of these cells."""
    asked = [Asked(q.id, QuestionType(q.type)) for q in questions]
    return cached(
        consultation,
        _base(consultation),
        lambda: count_cells(consultation.id, asked, _breakdown_ids(questions), by_channel=True),
    )


def _base(consultation: Consultation) -> str:
    """The key of the count every result is made from, for the consultation's questions now."""
    return f"cells:{consultation.updated_at.isoformat()}"


def cached(consultation: Consultation, what: str, count: Callable[[], T]) -> T:
    """A count of the consultation's, kept under the results version reads use now."""
    return result_cache.cached(consultation.id, what, count, base=_base(consultation))


def counted_earlier(consultation: Consultation) -> dt.datetime | None:
    """When the results read now were counted, if before the consultation's latest change."""
    return result_cache.counted_earlier(consultation.id, _base(consultation))


def recount(consultation: Consultation, *, minimum: int) -> bool:
    """Count a large consultation's changed results in the background: the counts, everyone's
    results and every group's (what councillors' and residents' pages read first). False when
    there was nothing to count."""

    def count_all() -> None:
        consultation_results(consultation, minimum=minimum)
        questions = list(consultation.questions)
        if minimum > 1 and any(q.breakdown for q in questions):
            _every_group(consultation, questions, minimum)

    return result_cache.recount(consultation.id, _base(consultation), count_all)


def _channels(arrivals: dict[tuple[dt.date, str], int], minimum: int) -> tuple[Count, ...]:
    per_channel: dict[str, int] = defaultdict(int)
    for (_, channel), n in arrivals.items():
        per_channel[channel] += n
    total = sum(per_channel.values())
    order = [c.value for c in Channel]  # a fixed order: ranking would hint at hidden counts
    ordered = sorted(per_channel, key=lambda c: order.index(c) if c in order else len(order))
    # The channels add up to the responses, which are shown: protect them together.
    shares = protected_shares({c: per_channel[c] for c in ordered}, total, minimum)
    return tuple(Count(channel, shares[channel]) for channel in ordered)


def _weeks(arrivals: dict[tuple[dt.date, str], int], minimum: int) -> tuple[Week, ...]:
    per_week: dict[dt.date, int] = defaultdict(int)
    for (on, _), n in arrivals.items():
        per_week[on - dt.timedelta(days=on.weekday())] += n
    if not per_week:
        return ()
    total = sum(per_week.values())
    first, last = min(per_week), max(per_week)
    mondays = []
    monday = first
    while monday <= last:  # weeks with no responses are shown as 0, not left out
        mondays.append(monday)
        monday += dt.timedelta(days=7)
    # The weeks add up to the responses too.
    shares = protected_shares({m.isoformat(): per_week.get(m, 0) for m in mondays}, total, minimum)
    return tuple(Week(m, shares[m.isoformat()]) for m in mondays)


def _from_counts(
    questions: Sequence[Question],
    counts: Counts,
    others: dict[int, tuple[str, ...]],
    minimum: int,
    theme_rows: ThemeRows | None = None,
) -> tuple[QuestionResult, ...]:
    themes = _theme_names(questions, counts.themes, theme_rows)
    results: list[QuestionResult] = []
    for question in questions:
        spec = question.spec()
        mine = QuestionCounts(
            options=counts.options.get(question.id, {}),
            people=counts.respondents.get(question.id, 0),
            texts=counts.answered.get(question.id, 0),
            themes=themes.get(question.id, {}),
            coded=counts.coded.get(question.id, 0),
            themed=counts.themed.get(question.id, 0),
            other_texts=others.get(question.id, ()),
        )
        results.append(kind_of(spec.type).result(spec, mine, minimum))
    return tuple(results)


ThemeRows = list[tuple[int, int, str]]  # (question id, theme id, theme name)


def _theme_names(
    questions: Sequence[Question], by_id: dict[int, dict[int, int]], rows: ThemeRows | None
) -> dict[int, dict[str, int]]:
    """Per free-text question, answers per theme name; every theme of its codebook is listed,
    with 0 when no one mentioned it (that is a finding too). `rows`: `_themes_of(questions)`,
    when already read."""
    names: dict[int, dict[str, int]] = defaultdict(dict)
    for question_id, theme_id, name in _themes_of(questions) if rows is None else rows:
        names[question_id][name] = by_id.get(question_id, {}).get(theme_id, 0)
    return names


def _themes_of(questions: Sequence[Question]) -> ThemeRows:
    """Every theme of the free-text questions' codebooks."""
    text_ids = [q.id for q in questions if kind_of(q.type).holds_free_text]
    if not text_ids:
        return []
    rows = db.session.execute(
        sa.select(Question.id, Theme.id, Theme.name)
        .join(
            Theme,
            sa.and_(
                Theme.consultation_id == Question.consultation_id,
                Theme.codebook == Question.codebook,
            ),
        )
        .where(Question.id.in_(text_ids))
    )
    return [(question_id, theme_id, name) for question_id, theme_id, name in rows]


def _other_texts(
    consultation: Consultation,
    questions: Sequence[Question],
    question_ids: Sequence[int],
    key: tuple[Any, ...],
    at: Sequence[int],
) -> dict[int, tuple[str, ...]]:
    """What people wrote for "Other", oldest first, at most OTHER_TEXTS_SHOWN per question, of
    those whose cell of the cross-table (as `_cells`) is `key` at the places `at`. Read for
    every cell at once, once per version."""
    if not question_ids:
        return {}
    every = cached(
        consultation,
        f"other-texts:{consultation.updated_at.isoformat()}",
        lambda: other_texts_by_cell(
            consultation.id,
            [q.id for q in questions if q.other],
            _breakdown_ids(questions),
            by_channel=True,
            first=OTHER_TEXTS_SHOWN,
        ),
    )
    return {
        question_id: tuple(
            text for cell, text in every.get(question_id, ()) if _projected(cell, at) == key
        )[:OTHER_TEXTS_SHOWN]
        for question_id in question_ids
    }
