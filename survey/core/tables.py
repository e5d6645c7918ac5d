"""Every result as a data table: caption, column headings and rows of text.

Pure. The councillors' pages show these under each chart, the CSV downloads write them, and
the Word drafts print them, so all three say the same. Every number goes through
`common.display`; a suppressed cell reads "fewer than 5".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from common import display
from common.statistics import Share
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


def _cells(share: Share) -> tuple[str, str]:
    return display.share_count(share), display.share_percent(share)


def _base(count: int | None, threshold: int) -> str:
    return f"fewer than {display.number(threshold)}" if count is None else display.number(count)


def question_table(result: QuestionResult, threshold: int) -> DataTable:
    """The data table of one question's result; a follow-up's says who it was asked."""
    table = _question_table(result, threshold)
    if result.follow_up is None:
        return table
    return replace(table, rows=(*table.rows, asked_row(result.follow_up, len(table.headers))))


def asked_row(follow_up: FollowUp, width: int) -> tuple[str, ...]:
    """Who a follow-up was asked: not everyone, so those not asked did not skip it."""
    answers = " or ".join(f"'{answer}'" for answer in follow_up.answers)
    label = f"Asked (those answering {answers} to '{follow_up.question}')"
    number = "not shown" if follow_up.asked is None else display.number(follow_up.asked)
    return (label, number, *([""] * (width - 2)))


def _question_table(result: QuestionResult, threshold: int) -> DataTable:
    if isinstance(result, MatrixResult):
        return matrix_table(result, threshold)
    if isinstance(result, ScaleResult):
        return scale_table(result, threshold)
    if isinstance(result, ChoiceResult):
        return choice_table(result, threshold)
    return themes_table(result, threshold)


def scale_table(result: ScaleResult, threshold: int) -> DataTable:
    """Answers per option of an agreement or likert question, with the share agreeing."""
    rows = [(o.label, *_cells(o.share)) for o in result.options]
    rows.append(("Answered", _base(result.answered, threshold), ""))
    rows.append(
        (
            "Agreeing (95% interval)",
            display.share_count(result.agree),
            " ".join(
                part
                for part in (display.share_percent(result.agree), _bracket(result.agree))
                if part
            ),
        )
    )
    return DataTable(
        result.statement or result.text, ("Answer", "Number", "Percentage"), tuple(rows)
    )


def _bracket(share: Share) -> str:
    shown = display.interval(share)
    return f"({shown})" if shown else ""


def matrix_table(result: MatrixResult, threshold: int) -> DataTable:
    """One row per statement: agreeing, disagreeing, don't know, net, answered."""
    rows = tuple(
        (
            statement.statement or "",
            display.share_of(statement.agree) if statement.answered else "-",
            display.share_percent(statement.disagree),
            display.share_percent(statement.dont_know),
            "-" if statement.net is None else display.points(statement.net),
            _base(statement.answered, threshold),
        )
        for statement in result.statements
    )
    headers = ("Statement", "Agreeing", "Disagreeing", "Don't know", "Net agreement", "Answered")
    return DataTable(result.text, headers, rows)


def choice_table(result: ChoiceResult, threshold: int) -> DataTable:
    """Answers per option; for multi choice each option ticked counts once."""
    rows = [(o.label, *_cells(o.share)) for o in result.options]
    rows.append(("Answered", _base(result.answered, threshold), ""))
    return DataTable(
        result.text, ("Answer", "Number", "Percentage of those answering"), tuple(rows)
    )


def themes_table(result: TextResult, threshold: int) -> DataTable:
    """Themes mentioned, most first; an answer can mention several."""
    rows = [(t.theme, *_cells(t.share)) for t in result.themes]
    rows.append(("No theme", *_cells(result.no_theme)))
    rows.append(("Answered", _base(result.answered, threshold), ""))
    if result.uncoded:
        rows.append(("Not yet coded", display.number(result.uncoded), ""))
    headers = ("Theme", "Number mentioning it", "Percentage of those answering")
    return DataTable(result.text, headers, tuple(rows))


def breakdown_table(result: Breakdown, threshold: int) -> DataTable:
    """Agreement in each group of a breakdown question."""
    rows = tuple(
        (
            group.label,
            display.fewer_than(group.agree)
            if group.answered is None and group.agree.withheld
            else _base(group.answered, threshold),
            display.share_count(group.agree),
            display.share_percent(group.agree),
            display.interval(group.agree),
        )
        for group in result.groups
    )
    caption = (
        f"How many agreed with “{result.statement or result.text}”, by answer to “{result.by_text}”"
    )
    headers = (result.by_text, "Answered", "Agreeing", "Percentage", "95% interval")
    return DataTable(caption, headers, rows)


def channels_table(channels: tuple[Count, ...]) -> DataTable:
    """Responses by how they arrived."""
    rows = tuple((c.label.capitalize(), *_cells(c.share)) for c in channels)
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
