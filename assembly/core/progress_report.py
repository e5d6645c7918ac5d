"""The quarterly progress report on a strategy's action plan, in the layout councils use.

Pure core. As the 2004 reports to directors: a cover naming the reporting area, its lead and
the period; the scope of the area; a glossary; a red-amber-green summary; then for each
priority a table of Progress made, Issues to be addressed, Who and By when, first for the
items of earlier reports ("Updates on previous report") and then for items new this quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from assembly.core.delivery import STATUS_HEADINGS, Period, Status, status_rows
from assembly.core.document import DraftDocument
from assembly.core.target_progress import TargetProgress, target_chart
from common.display import long_date, number

COLUMNS = ("Action", "Progress made", "Issues to be addressed", "Who", "By when")
MEASURE_COLUMNS = ("No.", "Target", "Baseline", "Target value", "Latest", "Where it stands")
NO_UPDATE = "No update for this period"


@dataclass(frozen=True)
class ReportRow:
    """One action's line in the report: what was done this quarter and its status."""

    number: int
    action: str
    status: Status
    progress: str
    issues: str
    who: str
    by_when: str


@dataclass(frozen=True)
class PriorityProgress:
    """A priority's actions: those reported before, and those new this period."""

    name: str
    previous: tuple[ReportRow, ...]
    new: tuple[ReportRow, ...]

    def statuses(self) -> list[tuple[str, Status]]:
        """(priority, status) of each of its actions, for the status table."""
        return [(self.name, r.status) for r in self.previous + self.new]


@dataclass(frozen=True)
class ProgressReport:
    """Everything the report says, gathered for one strategy and one period."""

    title: str
    partnership: str
    area: str
    lead: str
    period: Period
    scope: str
    glossary: tuple[tuple[str, str], ...]
    priorities: tuple[PriorityProgress, ...]
    measures: tuple[TargetProgress, ...] = ()

    def statuses(self) -> list[tuple[str, Status]]:
        """(priority, status) of every action in the report, for the status table."""
        return [s for p in self.priorities for s in p.statuses()]


def period_words(period: Period) -> str:
    """'2027-Q1 (January to March 2027)'."""
    start = dt.date(period.year, period.quarter * 3 - 2, 1)
    return f"{period} ({start:%B} to {period.ends:%B %Y})"


def build_progress_report(
    report: ProgressReport, when: dt.datetime, template: bytes | None = None
) -> bytes:
    """The report as a Word file, on the house template when there is one."""
    doc = DraftDocument(template)
    doc.title_page(
        [
            ("Normal", report.partnership),
            ("Title", f"Progress report: {report.title}"),
            ("Subtitle", period_words(report.period)),
            ("Normal", f"Reporting area: {report.area}"),
            ("Normal", f"Lead: {report.lead}"),
            ("Normal", f"Made on {long_date(when.date())}"),
        ]
    )
    doc.heading("Summary", 1, new_page=True)
    doc.paragraph(
        "Red, amber and green: how many actions of each priority show each status at the end "
        "of the period. Overdue (red) means past its due date and not done."
    )
    doc.table(
        f"Status of actions by priority, {report.period}",
        STATUS_HEADINGS,
        status_rows(
            [p.name for p in report.priorities],
            [s for p in report.priorities for s in p.statuses()],
        ),
    )
    add_measures(doc, report.measures)
    doc.heading("Scope of the reporting area", 1)
    for passage in report.scope.split("\n\n"):
        doc.paragraph(passage)
    if report.glossary:
        doc.heading("Glossary", 1)
        doc.paragraph("; ".join(f"{term}: {meaning}" for term, meaning in report.glossary) + ".")
    for priority in report.priorities:
        doc.heading(priority.name, 1, new_page=True)
        for part, rows in (("Updates on previous report", priority.previous),
                           ("New items", priority.new)):  # fmt: skip
            doc.heading(part, 2)
            if not rows:
                doc.paragraph("None this period.")
                continue
            doc.table(f"{priority.name}: {part.lower()}", COLUMNS, [_cells(r) for r in rows])
    return doc.to_bytes()


def _cells(row: ReportRow) -> list[str]:
    return [
        f"{row.number}. {row.action} ({row.status.value})",
        row.progress or NO_UPDATE,
        row.issues or "None",
        row.who,
        row.by_when,
    ]


def add_measures(doc: DraftDocument, measures: Sequence[TargetProgress]) -> None:
    """The measures against targets: a table of where each stands, then each one's chart."""
    if not measures:
        return
    doc.heading("Measures against targets", 2)
    doc.table("Measures against targets", MEASURE_COLUMNS, [measure_cells(m) for m in measures])
    for measure in measures:
        chart = target_chart(measure)
        if chart is not None:
            doc.figure(chart.png, chart.alt_text, chart.title)
            doc.paragraph(measure.sentence())


def measure_cells(measure: TargetProgress) -> list[str]:
    """A target's row, as the councillors' view and both reports show it."""
    baseline = (
        measure.shown(measure.baseline)
        if measure.baseline is not None
        else (measure.spec.baseline or "Not given")
    )
    if measure.baseline is not None and measure.baseline_period:
        baseline += f" ({measure.baseline_period})"
    goal = measure.spec.value or "Not given"
    if measure.spec.by:
        goal += f" by {measure.spec.by}"
    latest = measure.latest
    return [
        number(measure.number),
        measure.spec.target,
        baseline,
        goal,
        f"{measure.shown(latest.value)} ({latest.period})" if latest else "No figure yet",
        measure.verdict.value.capitalize(),
    ]
