"""What a consultation found, as plain dataclasses built from counts.

The one narrow interface that the officers' and councillors' pages, the CLI, the exports and
`assembly` all read. Pure: the counts come from `survey.data.tallies` (SQL `GROUP BY`), and every
share is made by `common.statistics.share`, so suppression is applied in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from common.disclosure import Sum, protect
from common.statistics import DEFAULT_THRESHOLD, Share, is_small, net, share, withheld
from common.statistics import hidden as hidden_share
from survey.core.questions import (
    LIKERT_SCALE,
    OTHER_LABEL,
    OTHER_OPTION,
    QuestionSpec,
    QuestionType,
)

AGREE_LABELS = frozenset({"Yes", "Strongly agree", "Agree"})
DISAGREE_LABELS = frozenset({"No", "Disagree", "Strongly disagree"})
DONT_KNOW_LABEL = "Don't know"

# Counts of one question: (matrix row or None, option index) -> number of answers.
OptionCounts = Mapping[tuple[int | None, int], int]


@dataclass(frozen=True)
class FollowUp:
    """Who a follow-up question was asked: those who answered `question` with one of `answers`.

    Its base is them, not everyone: people not asked did not skip it. `asked` (how many) is
    what the earlier question's published counts give, or None where they do not (a count
    hidden, or several options of a multi-choice question, which one person can tick
    together): it is never a number the published counts do not already show.
    """

    question: str
    answers: tuple[str, ...]
    asked: int | None


@dataclass(frozen=True)
class OptionCount:
    """One option of a question and the share of those answering who chose it."""

    label: str
    share: Share


@dataclass(frozen=True)
class ScaleResult:
    """An agreement or likert question, or one statement of a matrix.

    `answered` (the base) is None when fewer than the threshold answered: then every share is
    suppressed too. `net` (% agree - % disagree) is given for likert scales only.
    """

    key: str
    text: str
    type: QuestionType
    statement: str | None
    answered: int | None
    options: tuple[OptionCount, ...]
    agree: Share
    disagree: Share
    dont_know: Share
    net: float | None
    follow_up: FollowUp | None = None  # who it was asked, for a follow-up question


@dataclass(frozen=True)
class MatrixResult:
    """A matrix question: one likert result per statement."""

    key: str
    text: str
    statements: tuple[ScaleResult, ...]
    follow_up: FollowUp | None = None  # who it was asked, for a follow-up question


@dataclass(frozen=True)
class ChoiceResult:
    """A single or multi choice question: count and share per option.

    A multi-choice answer counts once for each option ticked, so the shares can add up to more
    than 100%. `other_texts` are what people wrote for "Other", in the order they came.
    """

    key: str
    text: str
    type: QuestionType
    answered: int | None
    options: tuple[OptionCount, ...]
    other_texts: tuple[str, ...] = ()
    follow_up: FollowUp | None = None  # who it was asked, for a follow-up question


@dataclass(frozen=True)
class ThemeCount:
    """A theme and the share of those who answered a free-text question that mention it."""

    theme: str
    share: Share


@dataclass(frozen=True)
class TextResult:
    """A free-text question: how many answered and, per theme, how many mention it (sorted).

    An answer can mention several themes. `uncoded` answers have no officer or auto coding yet
    (a count of work to do, not of respondents: shown whenever the question's base is);
    `no_theme` were coded as mentioning none of the themes.
    """

    key: str
    text: str
    codebook: str | None
    answered: int | None
    themes: tuple[ThemeCount, ...]
    coded: int | None
    uncoded: int | None
    no_theme: Share
    follow_up: FollowUp | None = None  # who it was asked, for a follow-up question


QuestionResult = ScaleResult | MatrixResult | ChoiceResult | TextResult


@dataclass(frozen=True)
class Count:
    """A labelled count (a channel, a week), suppressed like any other cell."""

    label: str
    share: Share


@dataclass(frozen=True)
class Group:
    """One group of a breakdown question, e.g. area = Keynsham."""

    key: str
    question: str
    label: str


@dataclass(frozen=True)
class GroupShare:
    """One group's agreement with one scale question or statement."""

    label: str
    answered: int | None
    agree: Share


@dataclass(frozen=True)
class Breakdown:
    """Agreement with one scale question (or matrix statement) per group of a breakdown question."""

    by_key: str
    by_text: str
    key: str
    text: str
    statement: str | None
    groups: tuple[GroupShare, ...]


@dataclass(frozen=True)
class BreakdownQuestion:
    """A question flagged `breakdown` (area, age band) and its groups, for filters."""

    key: str
    text: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Week:
    """Responses received in the week starting on `starts` (a Monday)."""

    starts: dt.date
    share: Share


@dataclass(frozen=True)
class ConsultationResults:
    """Everything a consultation found, for everyone or for one breakdown group."""

    slug: str
    title: str
    opens: dt.date
    closes: dt.date
    threshold: int
    group: Group | None
    responses: int | None
    channels: tuple[Count, ...]
    weeks: tuple[Week, ...]
    questions: tuple[QuestionResult, ...]
    breakdown_questions: tuple[BreakdownQuestion, ...] = field(default=())
    # A group not shown on its own though not small: with the other groups' results it would
    # let a small count be worked out (survey.core.release). Then `responses` is None too.
    withheld: bool = False
    # Filters combined (area and age group and channel): each one, in the order chosen.
    filters: tuple[Group, ...] = field(default=())
    # Questions a combination does not show: with the other cells of its cross-table they
    # would let a small number be worked out (survey.core.combinations).
    not_shown: tuple[str, ...] = field(default=())
    # The headline question's text when a combination does not show it.
    headline_not_shown: str | None = None

    def question(self, key: str) -> QuestionResult:
        """The result of the question with this key."""
        for result in self.questions:
            if result.key == key:
                return result
        raise KeyError(key)

    @property
    def headline(self) -> ScaleResult | None:
        """The first agreement or likert question: "82% agreed with the proposed priorities"."""
        for result in self.questions:
            if isinstance(result, ScaleResult):
                return result
        return None


def visible(count: int, threshold: int) -> int | None:
    """A count as it may be shown: None when small enough to identify someone."""
    return None if is_small(count, threshold) else count


ANSWERED = "(answered)"  # the base, as a cell of the sums published beside it
AGREEING, DISAGREEING = "(agreeing)", "(disagreeing)"  # options added up


def protected_shares(
    options: Mapping[str, int],
    answered: int,
    threshold: int,
    aggregates: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, Share]:
    """Each option's share of `answered` (the options add up to it) and each aggregate's (a
    sum of options, such as agreeing), protected together: a small count hidden, and with
    it whichever others would give it away (common.disclosure)."""
    aggregates = aggregates or {}
    totals = {name: sum(options[part] for part in parts) for name, parts in aggregates.items()}
    if is_small(answered, threshold):  # the base itself is hidden: each count is left to it
        return {name: share(n, answered, threshold) for name, n in {**options, **totals}.items()}
    cells = {**options, **totals, ANSWERED: answered}
    relations = [Sum(ANSWERED, tuple(options))]
    relations += [Sum(name, parts) for name, parts in aggregates.items()]
    _, others = protect(cells, relations, threshold, keep={ANSWERED, *aggregates})
    if ANSWERED in others:  # only once all else is hidden: then every count is withheld
        return {name: withheld(answered, threshold) for name in cells if name != ANSWERED}
    return {
        name: withheld(answered, threshold) if name in others else share(n, answered, threshold)
        for name, n in cells.items()
        if name != ANSWERED
    }


def scale_result(
    spec: QuestionSpec,
    counts: Mapping[int, int],
    threshold: int = DEFAULT_THRESHOLD,
    statement: int | None = None,
) -> ScaleResult:
    """An agreement, likert or matrix-statement result from counts per option index."""
    scale = spec.choices
    answered = sum(counts.get(i, 0) for i in range(len(scale)))
    hidden = is_small(answered, threshold)
    by_label = {label: counts.get(i, 0) for i, label in enumerate(scale)}
    # Agreeing and disagreeing are published too: sums of two options each on a likert scale.
    groups = {
        name: tuple(label for label in scale if label in labels)
        for name, labels in ((AGREEING, AGREE_LABELS), (DISAGREEING, DISAGREE_LABELS))
    }
    added = {name: parts for name, parts in groups.items() if len(parts) > 1}
    shares = protected_shares(by_label, answered, threshold, added)

    def of(name: str) -> Share:
        if hidden:
            return hidden_share(answered, threshold)
        if name in shares:
            return shares[name]
        parts = groups.get(name, ())  # an aggregate of one option is that option
        return shares[parts[0]] if parts else share(0, answered, threshold)

    options = tuple(OptionCount(label, of(label)) for label in scale)
    agree, disagree = of(AGREEING), of(DISAGREEING)
    graded = scale == LIKERT_SCALE  # net agreement: on the five-point scale, not Yes/No
    return ScaleResult(
        key=spec.key,
        text=spec.text,
        type=spec.type,
        statement=None if statement is None else spec.rows[statement],
        answered=None if hidden else answered,
        options=options,
        agree=agree,
        disagree=disagree,
        dont_know=of(DONT_KNOW_LABEL),
        net=net(agree, disagree) if graded else None,
    )


def matrix_result(
    spec: QuestionSpec, counts: OptionCounts, threshold: int = DEFAULT_THRESHOLD
) -> MatrixResult:
    """A matrix result: one scale result per statement."""
    statements = tuple(
        scale_result(
            spec,
            {option: n for (row, option), n in counts.items() if row == index},
            threshold,
            statement=index,
        )
        for index in range(len(spec.rows))
    )
    return MatrixResult(spec.key, spec.text, statements)


def choice_result(
    spec: QuestionSpec,
    counts: Mapping[int, int],
    answered: int,
    threshold: int = DEFAULT_THRESHOLD,
    other_texts: Sequence[str] = (),
) -> ChoiceResult:
    """A single or multi choice result; `answered` counts respondents, not ticks."""
    hidden = is_small(answered, threshold)
    indexes = list(range(len(spec.choices))) + ([OTHER_OPTION] if spec.other else [])
    by_label = {spec.choice_label(index): counts.get(index, 0) for index in indexes}
    if spec.type is QuestionType.SINGLE_CHOICE and sum(by_label.values()) == answered:
        # One answer each: the options add up to the base.
        shares = protected_shares(by_label, answered, threshold)
    else:
        shares = {label: share(n, answered, threshold) for label, n in by_label.items()}
    options = tuple(
        OptionCount(label, hidden_share(answered, threshold) if hidden else shares[label])
        for label in by_label
    )
    # Listing the "Other" texts would give away how many there are: only when that can be shown.
    other_hidden = any(o.share.suppressed for o in options if o.label == OTHER_LABEL)
    return ChoiceResult(
        key=spec.key,
        text=spec.text,
        type=spec.type,
        answered=None if hidden else answered,
        options=options,
        other_texts=() if hidden or other_hidden else tuple(other_texts),
    )


def theme_order(theme: ThemeCount) -> tuple[float, str]:
    """Most mentioned first. Suppressed counts rank between 5 and 0, by name among themselves,
    so the order says nothing that the page does not."""
    count = theme.share.count
    return (-(theme.share.threshold - 0.5 if count is None else count), theme.theme)


def text_result(
    spec: QuestionSpec,
    answered: int,
    theme_counts: Mapping[str, int],
    coded: int,
    no_theme: int,
    threshold: int = DEFAULT_THRESHOLD,
) -> TextResult:
    """A free-text result: themes sorted by how many mention them, then by name."""
    hidden = is_small(answered, threshold)
    themes = tuple(
        sorted(
            (
                ThemeCount(
                    name,
                    hidden_share(answered, threshold) if hidden else share(n, answered, threshold),
                )
                for name, n in theme_counts.items()
            ),
            key=theme_order,
        )
    )
    return TextResult(
        key=spec.key,
        text=spec.text,
        codebook=spec.codebook,
        answered=None if hidden else answered,
        themes=themes,
        coded=None if hidden else coded,
        uncoded=None if hidden else answered - coded,
        no_theme=hidden_share(answered, threshold)
        if hidden
        else share(no_theme, answered, threshold),
    )
