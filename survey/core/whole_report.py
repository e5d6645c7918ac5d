"""The whole results report for one filter: built once, read by the page, the XLSX and the PDF.

Pure. Every table is a `survey.core.tables` table and every chart a `survey.core.charts` chart,
so the page, the spreadsheet and the PDF carry the same words and numbers; the numbers in them
were written by `common.display` and suppressed by `survey.core.results` before they got here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from common import display
from common.pdf_report import Block
from common.pdf_report import Table as PdfTable
from common.spreadsheets import Percent, ReportCell, sheet_name
from common.translation import N_, Say, english, worded
from survey.core import charts as chart_names
from survey.core import tables
from survey.core.charts import Chart
from survey.core.results import (
    Breakdown,
    ConsultationResults,
    QuestionResult,
    ScaleResult,
    TextResult,
)

TOP_THEMES = 5


@dataclass(frozen=True)
class Section:
    """One question: its heading, its main finding in words, its chart and its data table."""

    key: str
    heading: str
    words: str
    chart: Chart
    table: tables.DataTable
    result: QuestionResult


@dataclass(frozen=True)
class Report:
    """Everything the results page shows for one filter, in page order."""

    title: str
    slug: str
    shown_for: str
    made_on: dt.date
    summary: tables.DataTable
    channels: tables.DataTable
    weeks: tables.DataTable
    weeks_chart: Chart
    themes: tables.DataTable | None
    sections: tuple[Section, ...]
    breakdowns: tuple[tuple[tables.DataTable, Chart], ...]
    not_shown: tuple[str, ...]
    shows_figures: bool
    note: str  # the suppression rule, as readers are told it
    withheld: bool  # not shown though not small: it would let a small number be worked out
    threshold: int
    # When its counts were made, if before the latest response (a large consultation's, the
    # next count still to come); else None: the counts are of every response.
    counted_earlier: dt.datetime | None = None


def shown_for(results: ConsultationResults) -> str:
    """Whose results these are, in words."""
    if results.filters:
        chosen = "; ".join(f"{g.question.rstrip('?')}: {g.label}" for g in results.filters)
        return f"Results for those in every one of these groups: {chosen}"
    if results.group is not None:
        return (
            f"Results for those who answered “{results.group.question}” with {results.group.label}"
        )
    return "Results for everyone who responded"


def responses_text(results: ConsultationResults) -> str:
    """How many responded, as the page says it."""
    if results.responses is not None:
        return display.number(results.responses)
    return "not shown" if results.withheld else f"fewer than {display.number(results.threshold)}"


def finding(result: QuestionResult, say: Say = english) -> str:
    """A question's main finding in one sentence ('' when it has none to give)."""
    if isinstance(result, ScaleResult):
        if not result.answered:
            return say(N_("Too few answers to show."))
        agreed = display.share_of(result.agree, say)
        if result.agree.interval:
            words = worded(
                say,
                N_("Agreed: %(agreed)s, 95%% interval %(interval)s."),
                agreed=agreed,
                interval=display.interval(result.agree, say),
            )
        else:
            words = worded(say, N_("Agreed: %(agreed)s."), agreed=agreed)
        if result.net is not None:
            net = display.points(result.net, say)
            words += " " + worded(say, N_("Net agreement %(net)s."), net=net)
        return words
    if isinstance(result, TextResult) and result.themes and result.themes[0].share.count:
        top = result.themes[0]
        return worded(
            say,
            N_("Most mentioned: %(theme)s, by %(share)s who answered."),
            theme=top.theme,
            share=display.share_of(top.share, say),
        )
    return ""


def summary_table(results: ConsultationResults) -> tables.DataTable:
    """Responses, dates and the agreement headline."""
    rows = [
        ("Responses", responses_text(results)),
        (
            "Open",
            f"{display.long_date(results.opens)} to {display.long_date(results.closes)}",
        ),
    ]
    headline = results.headline
    if results.headline_not_shown is not None:
        rows.append((results.headline_not_shown, "not shown"))
    elif headline is not None and results.responses is not None:
        agreed = display.share_of(headline.agree)
        if headline.agree.interval:
            agreed += f" (95% interval {display.interval(headline.agree)})"
        rows.append((headline.text, f"Agreed: {agreed}"))
    return tables.DataTable("Key figures", ("", "Result"), tuple(rows))


def top_themes(results: ConsultationResults) -> tables.DataTable | None:
    """The most mentioned themes of every free-text question, each with its count shown (none
    whose count is suppressed: their order among themselves says nothing)."""
    rows = []
    for result in results.questions:
        if not isinstance(result, TextResult) or result.answered is None:
            continue
        shown = [t for t in result.themes if t.share.count]
        for theme in shown[:TOP_THEMES]:
            rows.append(
                (
                    theme.theme,
                    result.text,
                    display.share_count(theme.share),
                    display.share_percent(theme.share),
                )
            )
    if not rows:
        return None
    return tables.DataTable(
        "Most mentioned themes",
        ("Theme", "Question", "Mentioned by", "Percentage of those answering"),
        tuple(rows),
    )


def build(
    results: ConsultationResults,
    breakdowns: Sequence[Breakdown],
    charts: Mapping[str, Chart],
    made_on: dt.date,
    counted_earlier: dt.datetime | None = None,
) -> Report:
    """The report of these results; `charts` are `survey.core.charts.charts_for` them, by name.
    `counted_earlier`: when the counts were made, if they miss the latest changes."""
    threshold = results.threshold
    sections = tuple(
        Section(
            key=result.key,
            heading=result.text,
            words=finding(result),
            chart=charts[result.key],
            table=tables.question_table(result, threshold),
            result=result,
        )
        for result in results.questions
    )
    return Report(
        title=results.title,
        slug=results.slug,
        shown_for=shown_for(results),
        made_on=made_on,
        summary=summary_table(results),
        channels=tables.channels_table(results.channels),
        weeks=tables.weeks_table(results.weeks),
        weeks_chart=charts[chart_names.WEEKS_NAME],
        themes=top_themes(results),
        sections=sections,
        breakdowns=tuple(
            (tables.breakdown_table(b, threshold), charts[chart_names.breakdown_name(b)])
            for b in breakdowns
        ),
        not_shown=results.not_shown,
        shows_figures=results.responses is not None,
        note=display.suppression_note(threshold, "no resident"),
        withheld=results.withheld,
        threshold=threshold,
        counted_earlier=counted_earlier,
    )


def every_table(report: Report) -> list[tuple[str, list[tables.DataTable]]]:
    """Each part of the report with its tables, in page order: (sheet-sized part name, tables)."""
    summary = [report.summary]
    if report.shows_figures:
        summary += [t for t in (report.channels, report.weeks) if t.rows]
        if report.themes is not None:
            summary.append(report.themes)
    parts = [("Summary", summary)]
    if report.shows_figures:
        parts += [(section.heading, [section.table]) for section in report.sections]
        if report.breakdowns:
            parts.append(("Agreement by group", [table for table, _ in report.breakdowns]))
    return parts


NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$")
PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")


def cell_value(text: str) -> str | int | float | Percent:
    """A table's cell for a spreadsheet: '1,070' as 1070 and '82%' as 0.82 (shown with a
    percent format, so to the same places as the page); any other text as it is."""
    if NUMBER.match(text):
        value = float(text.replace(",", ""))
        return int(value) if value.is_integer() else value
    if PERCENT.match(text):
        places = len(text[:-1].partition(".")[2])
        return Percent(float(Decimal(text[:-1]) / 100), places)  # 0.227, not 0.22699999999999998
    return text


def made_on_text(report: Report) -> str:
    """The day the report was made, and when its counts were, if earlier than its last change."""
    made = f"Made on {display.long_date(report.made_on)}"
    if report.counted_earlier is None:
        return made
    return f"{made}, {counted_earlier_text(report.counted_earlier)}"


def counted_earlier_text(counted: dt.datetime) -> str:
    """What counts made before a consultation's latest responses cover, in words."""
    return (
        f"from the responses received by {display.date_time(counted)}: "
        "newer ones are being counted and will show within a few minutes"
    )


def not_shown_text(report: Report) -> str:
    """Why some questions are missing for this combination ('' when none are)."""
    if not report.not_shown:
        return ""
    return (
        "Not shown for this combination, because with the other groups' results they would "
        f"let a small number be worked out: {'; '.join(report.not_shown)}."
    )


def sheets(report: Report) -> list[tuple[str, list[list[ReportCell]]]]:
    """The report as spreadsheet sheets: its contents, the summary, then a sheet per question
    (and one for agreement by group), every table as on the page with numbers as numbers."""
    parts = every_table(report)
    names: list[str] = []
    questions = {section.heading for section in report.sections}
    for part, _ in parts:
        label = f"Q{len(names)} {part}" if part in questions else part  # after the summary
        names.append(sheet_name(label, [*names, "Contents"]))
    contents: list[list[ReportCell]] = [
        [report.title],
        [report.shown_for],
        [made_on_text(report)],
        [report.note],
    ]
    if not report.shows_figures:
        contents.append([withheld_text(report)])
    if report.not_shown:
        contents.append([not_shown_text(report)])
    contents += [[], ["Sheet", "What it holds"]]
    contents += [[name, part] for name, (part, _) in zip(names, parts, strict=True)]
    found: list[tuple[str, list[list[ReportCell]]]] = [("Contents", contents)]
    words = {section.heading: section.words for section in report.sections}
    for name, (part, part_tables) in zip(names, parts, strict=True):
        rows: list[list[ReportCell]] = [[part]]
        if words.get(part):
            rows.append([words[part]])
        for table in part_tables:
            rows += [[], [table.caption], list(table.headers)]
            rows += [[cell_value(cell) for cell in row] for row in table.rows]
        found.append((name, rows))
    return found


def withheld_text(report: Report) -> str:
    """What the page says in place of figures it cannot show."""
    if report.withheld:
        return display.WITHHELD_GROUP
    return (
        f"Fewer than {display.number(report.threshold)} people in this group responded, "
        "so their results are not shown."
    )


def pdf_blocks(report: Report) -> list[Block]:
    """The report as a PDF's blocks: the summary, then each question with its chart and table."""
    summary = [report.summary]
    if not report.shows_figures:
        return [Block("Summary", (withheld_text(report),), tables=_pdf_tables(summary))]
    blocks = [
        Block("Summary", tables=_pdf_tables([*summary, report.channels])),
        Block(
            "Responses over time",
            drawing=report.weeks_chart.drawing,
            tables=_pdf_tables([report.weeks]),
        ),
    ]
    if report.themes is not None:
        blocks.append(Block("Most mentioned themes", tables=_pdf_tables([report.themes])))
    if report.not_shown:
        blocks.append(Block("Not shown", (not_shown_text(report),)))
    for section in report.sections:
        blocks.append(
            Block(
                section.heading,
                (section.words,) if section.words else (),
                section.chart.drawing,
                _pdf_tables([section.table]),
            )
        )
    for table, chart in report.breakdowns:
        blocks.append(Block(chart.title, (), chart.drawing, _pdf_tables([table])))
    return blocks


def _pdf_tables(found: Sequence[tables.DataTable]) -> tuple[PdfTable, ...]:
    return tuple(PdfTable(t.caption, t.headers, t.rows) for t in found)
