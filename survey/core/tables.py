"""Every result as a data table: caption, column headings and rows of text.

Pure. The councillors' pages show these under each chart, the CSV downloads write them, and
the Word drafts print them, so all three say the same. Every number goes through
`common.display`; a suppressed cell reads "fewer than 5". Fixed wording is said through `say`
(common.translation): a residents' page in Welsh gives one; everything else reads English.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from common import display
from common.statistics import Share
from common.translation import N_, Say, english, worded
from survey.core.results import (
    Breakdown,
    ChoiceResult,
    Count,
    FollowUp,
    MatrixResult,
    QuestionResult,
    ScaleResult,
    TextResult,
    Week,
)


@dataclass(frozen=True)
class DataTable:
    """A table as a person reads it: every cell already text."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _cells(share: Share, say: Say) -> tuple[str, str]:
    return display.share_count(share, say), display.share_percent(share, say)


def _base(count: int | None, threshold: int, say: Say) -> str:
    return display.below(threshold, say) if count is None else display.number(count)


def question_table(result: QuestionResult, threshold: int, say: Say = english) -> DataTable:
    """The data table of one question's result; a follow-up's says who it was asked."""
    table = _question_table(result, threshold, say)
    if result.follow_up is None:
        return table
    asked = asked_row(result.follow_up, len(table.headers), say)
    return replace(table, rows=(*table.rows, asked))


def asked_row(follow_up: FollowUp, width: int, say: Say = english) -> tuple[str, ...]:
    """Who a follow-up was asked: not everyone, so those not asked did not skip it."""
    answers = say(N_(" or ")).join(f"'{answer}'" for answer in follow_up.answers)
    label = worded(
        say,
        N_("Asked (those answering %(answers)s to '%(question)s')"),
        answers=answers,
        question=follow_up.question,
    )
    number = say(N_("not shown")) if follow_up.asked is None else display.number(follow_up.asked)
    return (label, number, *([""] * (width - 2)))


def _question_table(result: QuestionResult, threshold: int, say: Say) -> DataTable:
    if isinstance(result, MatrixResult):
        return matrix_table(result, threshold, say)
    if isinstance(result, ScaleResult):
        return scale_table(result, threshold, say)
    if isinstance(result, ChoiceResult):
        return choice_table(result, threshold, say)
    return themes_table(result, threshold, say)


def scale_table(result: ScaleResult, threshold: int, say: Say = english) -> DataTable:
    """Answers per option of an agreement or likert question, with the share agreeing."""
    rows = [(o.label, *_cells(o.share, say)) for o in result.options]
    rows.append((say(N_("Answered")), _base(result.answered, threshold, say), ""))
    rows.append(
        (
            worded(say, N_("Agreeing (95%% interval)")),
            display.share_count(result.agree, say),
            " ".join(
                part
                for part in (
                    display.share_percent(result.agree, say),
                    _bracket(result.agree, say),
                )
                if part
            ),
        )
    )
    headers = (say(N_("Answer")), say(N_("Number")), say(N_("Percentage")))
    return DataTable(result.statement or result.text, headers, tuple(rows))


def _bracket(share: Share, say: Say) -> str:
    shown = display.interval(share, say)
    return f"({shown})" if shown else ""


def matrix_table(result: MatrixResult, threshold: int, say: Say = english) -> DataTable:
    """One row per statement: agreeing, disagreeing, don't know, net, answered."""
    rows = tuple(
        (
            statement.statement or "",
            display.share_of(statement.agree, say) if statement.answered else "-",
            display.share_percent(statement.disagree, say),
            display.share_percent(statement.dont_know, say),
            "-" if statement.net is None else display.points(statement.net, say),
            _base(statement.answered, threshold, say),
        )
        for statement in result.statements
    )
    headers = (
        say(N_("Statement")),
        say(N_("Agreeing")),
        say(N_("Disagreeing")),
        say(N_("Don't know")),
        say(N_("Net agreement")),
        say(N_("Answered")),
    )
    return DataTable(result.text, headers, rows)


def choice_table(result: ChoiceResult, threshold: int, say: Say = english) -> DataTable:
    """Answers per option; for multi choice each option ticked counts once."""
    rows = [(o.label, *_cells(o.share, say)) for o in result.options]
    rows.append((say(N_("Answered")), _base(result.answered, threshold, say), ""))
    headers = (say(N_("Answer")), say(N_("Number")), say(N_("Percentage of those answering")))
    return DataTable(result.text, headers, tuple(rows))


def themes_table(result: TextResult, threshold: int, say: Say = english) -> DataTable:
    """Themes mentioned, most first; an answer can mention several."""
    rows = [(t.theme, *_cells(t.share, say)) for t in result.themes]
    rows.append((say(N_("No theme")), *_cells(result.no_theme, say)))
    rows.append((say(N_("Answered")), _base(result.answered, threshold, say), ""))
    if result.uncoded:
        rows.append((say(N_("Not yet coded")), display.number(result.uncoded), ""))
    headers = (
        say(N_("Theme")),
        say(N_("Number mentioning it")),
        say(N_("Percentage of those answering")),
    )
    return DataTable(result.text, headers, tuple(rows))


def breakdown_table(result: Breakdown, threshold: int, say: Say = english) -> DataTable:
    """Agreement in each group of a breakdown question."""
    rows = tuple(
        (
            group.label,
            display.fewer_than(group.agree, say)
            if group.answered is None and group.agree.withheld
            else _base(group.answered, threshold, say),
            display.share_count(group.agree, say),
            display.share_percent(group.agree, say),
            display.interval(group.agree, say),
        )
        for group in result.groups
    )
    caption = worded(
        say,
        N_("How many agreed with “%(question)s”, by answer to “%(by)s”"),
        question=result.statement or result.text,
        by=result.by_text,
    )
    headers = (
        result.by_text,
        say(N_("Answered")),
        say(N_("Agreeing")),
        say(N_("Percentage")),
        worded(say, N_("95%% interval")),
    )
    return DataTable(caption, headers, rows)


def channels_table(channels: tuple[Count, ...]) -> DataTable:
    """Responses by how they arrived."""
    rows = tuple((c.label.capitalize(), *_cells(c.share, english)) for c in channels)
    return DataTable("Responses by channel", ("Channel", "Responses", "Percentage"), rows)


def weeks_table(weeks: tuple[Week, ...]) -> DataTable:
    """Responses received in each week."""
    rows = tuple(
        (f"Week starting {display.long_date(w.starts)}", display.share_count(w.share))
        for w in weeks
    )
    return DataTable("Responses by week", ("Week", "Responses"), rows)


def csv_rows(table: DataTable) -> list[list[str]]:
    """The table as spreadsheet rows: a title row, the headings, then the rows."""
    return [[table.caption], list(table.headers), *[list(row) for row in table.rows]]
