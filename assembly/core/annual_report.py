"""The annual report on community safety to the council's crime and disorder scrutiny committee.

Pure core. Laid out as councils lay it out (Dorset's 2019 report): executive summary written
from the year's figures; equalities impact, budget, risk and climate from the strategy's own
words where it has them, else a Word comment telling the officer what to write; the
recommendations and their reasons; the partnership and its responsible authorities; a table of
the statutory duties and how each was met; general progress on each priority; partners'
actions; the plans for the coming year; and a crime trend appendix.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from assembly.core.delivery import STATUS_HEADINGS, Status, status_counts, status_rows
from assembly.core.document import DraftDocument
from assembly.core.progress_report import add_measures
from assembly.core.target_progress import TargetProgress, Verdict
from assembly.core.trends import Trend, trend_table_headers, trend_table_rows
from assembly.core.wording import join_words
from common.display import long_date, number, plural
from survey.core.charts import Chart

DUTIES = (
    "Strategic assessment",
    "Strategy or plan",
    "Community engagement and consultation",
    "Information sharing",
    "Reducing reoffending",
    "Domestic homicide reviews",
)
TO_WRITE = {
    "equality": "Write the equalities impact: which equality impact assessments were done on "
    "the strategy and its plans this year, and what they found.",
    "budget": "Write the budget: what the partnership was funded with this year and what the "
    "funding paid for.",
    "risk": "Write the risk assessment: the current and residual risk (low, medium or high) "
    "of the decision the committee is asked to make.",
    "climate": "Write the climate implications of the partnership's work, if any.",
    "authorities": "List the partnership's responsible authorities (council, police, fire, "
    "health, probation) in the strategy's details.",
    "Information sharing": "Say which information sharing protocol or agreements the "
    "partnership works under, and any made this year.",
    "Reducing reoffending": "Say how the partnership's reducing reoffending strategy was "
    "developed or delivered this year.",
    "Domestic homicide reviews": "Say how many domestic homicide reviews the partnership "
    "completed, is conducting or is scoping, and how their recommendations are monitored.",
    "Strategic assessment": "Say when the strategic assessment was completed and signed off.",
    "Community engagement and consultation": "Say how residents' views were sought this year.",
    "Strategy or plan": "Say when the strategy was agreed or refreshed.",
}
NOT_WRITTEN = "To be written by the officer."


@dataclass(frozen=True)
class Duty:
    """A statutory duty and how it was met this year ('' when the service has no record)."""

    name: str
    implementation: str


@dataclass(frozen=True)
class ActionYear:
    """An action as the year left it: its status and the progress reported in the year."""

    number: int
    priority: str
    action: str
    organisation: str
    status: Status
    due: str  # as people read it: "30 June 2027", or the plan's words
    progress: tuple[tuple[str, str], ...]  # (period, progress made), in period order
    new: bool  # added during delivery this year


@dataclass(frozen=True)
class AnnualReport:
    """Everything the annual report says, gathered for one strategy and one year."""

    title: str
    partnership: str
    year: int
    as_of: dt.date  # statuses as they stood on this day: the year's end, or today
    period: str  # the strategy's, "April 2027 to March 2030"
    adopted: str  # "by Full Council on 12 May 2027"
    equality_impact: str
    budget: str
    responsible_authorities: tuple[str, ...]
    structure: str
    duties: tuple[Duty, ...]
    priorities: tuple[str, ...]
    actions: tuple[ActionYear, ...]
    measures: tuple[TargetProgress, ...]
    trends: tuple[Trend, ...]
    audit_name: str
    trend_charts: tuple[Chart, ...] = ()

    def counts(self, priority: str | None = None) -> dict[Status, int]:
        """How many actions (of a priority) show each status at `as_of`."""
        return status_counts(a.status for a in self.actions if priority in (None, a.priority))


def status_words(counts: dict[Status, int]) -> str:
    """'3 done, 4 on track and 1 overdue': every status with any action, in board order."""
    return join_words([f"{number(n)} {s.value}" for s, n in counts.items() if n]) or "none"


def executive_summary(report: AnnualReport) -> list[str]:
    """The summary's paragraphs, from the year's own figures."""
    total = len(report.actions)
    paragraphs = [
        "The council's crime and disorder committee scrutinises the work of "
        f"{report.partnership} and partners' delivery of their community safety functions "
        "(Police and Justice Act 2006). It should receive a report at least once a year.",
        f"This report sets out the partnership's work in {report.year} on its {report.title} "
        f"({report.period}), adopted {report.adopted}.",
        f"On {long_date(report.as_of)}, of its {plural(total, 'action')}, "
        f"{status_words(report.counts())}.",
    ]
    if report.measures:
        verdicts = Counter(m.verdict for m in report.measures)
        parts = [f"{number(verdicts[v])} {v.value}" for v in Verdict if verdicts[v]]
        paragraphs.append(f"Of its {plural(len(report.measures), 'target')}: {join_words(parts)}.")
    crime = next((t for t in report.trends if t.category.casefold() == "all recorded crime"),
                 report.trends[0] if report.trends else None)  # fmt: skip
    if crime is not None:
        paragraphs.append(crime.sentence)
    return paragraphs


def duties_table_rows(report: AnnualReport) -> list[list[str]]:
    """The duties table: each duty and how it was met, or that the officer must write it."""
    return [[d.name, d.implementation or NOT_WRITTEN] for d in report.duties]


def build_annual_report(
    report: AnnualReport, when: dt.datetime, template: bytes | None = None
) -> bytes:
    """The report as a Word file, on the house template when there is one."""
    doc = DraftDocument(template)
    doc.title_page(
        [
            ("Normal", report.partnership),
            ("Title", "Community Safety Annual Report"),
            ("Subtitle", f"{report.year}: {report.title}"),
            ("Normal", "Report to the crime and disorder scrutiny committee"),
            ("Normal", f"Made on {long_date(when.date())}"),
        ]
    )
    doc.heading("Executive summary", 1, new_page=True)
    for paragraph in executive_summary(report):
        doc.paragraph(paragraph)
    _written(doc, "Equalities impact assessment", report.equality_impact, "equality")
    _written(doc, "Budget", report.budget, "budget")
    doc.heading("Risk assessment", 2)
    risky = {s: n for s, n in report.counts().items() if s in (Status.AT_RISK, Status.OVERDUE)}
    risk = doc.paragraph(
        f"Actions at risk or overdue at the end of the year: {status_words(risky)}. "
        "Current risk: to be assessed. Residual risk: to be assessed."
    )
    doc.comment(risk, TO_WRITE["risk"])
    _written(doc, "Climate implications", "", "climate")
    _recommendations(doc, report)
    _partnership(doc, report)
    doc.heading("Community safety work", 1, new_page=True)
    doc.heading("Statutory duties", 2)
    doc.paragraph("The table lists the partnership's statutory duties and how each was met.")
    table = doc.table(
        f"Statutory duties and how they were met in {report.year}",
        ["Duty", "Implementation"],
        duties_table_rows(report),
    )
    for row, duty in zip(table.rows[1:], report.duties, strict=True):
        if not duty.implementation:
            doc.comment(row.cells[1].paragraphs[0], TO_WRITE[duty.name])
    _general_progress(doc, report)
    _partners_actions(doc, report)
    _coming_year(doc, report)
    _appendix(doc, report)
    return doc.to_bytes()


def _written(doc: DraftDocument, heading: str, text: str, gap: str) -> None:
    """A section from the strategy's words, or a flagged gap for the officer."""
    doc.heading(heading, 2)
    if text.strip():
        for passage in text.split("\n\n"):
            doc.paragraph(passage)
        return
    doc.comment(doc.paragraph(NOT_WRITTEN), TO_WRITE[gap])


def _recommendations(doc: DraftDocument, report: AnnualReport) -> None:
    doc.heading("Recommendations", 2)
    doc.paragraph(
        f"Members of the committee consider and comment on the partnership's community "
        f"safety work in {report.year}.",
        numbered=True,
    )
    doc.paragraph(
        f"Members note the progress on the {report.title} and the plans for {report.year + 1}.",
        numbered=True,
    )
    doc.heading("Reason for recommendations", 2)
    doc.paragraph(
        "To ensure the council meets its duties under the Crime and Disorder Act 1998 and the "
        "Police and Justice Act 2006."
    )


def _partnership(doc: DraftDocument, report: AnnualReport) -> None:
    doc.heading(report.partnership, 1, new_page=True)
    doc.paragraph(
        f"{report.partnership} is a statutory partnership under the Crime and Disorder Act "
        "1998. It brings together the following responsible authorities, who must work "
        "together to understand and address community safety issues in their area:"
    )
    if report.responsible_authorities:
        doc.bullets(list(report.responsible_authorities))
    else:
        doc.comment(doc.paragraph(NOT_WRITTEN), TO_WRITE["authorities"])
    if report.structure.strip():
        for passage in report.structure.split("\n\n"):
            doc.paragraph(passage)


def _general_progress(doc: DraftDocument, report: AnnualReport) -> None:
    doc.heading("General progress", 2)
    doc.paragraph(
        f"Statuses are as they stood on {long_date(report.as_of)}, from the owners' quarterly "
        "updates; an action past its due date and not done is overdue."
    )
    doc.table(
        f"Status of actions by priority, {report.year}",
        STATUS_HEADINGS,
        status_rows(report.priorities, [(a.priority, a.status) for a in report.actions]),
    )
    for priority in report.priorities:
        mine = [a for a in report.actions if a.priority == priority]
        updated = sum(1 for a in mine if a.progress)
        doc.paragraph(
            f"{priority}: {plural(len(mine), 'action')}, {number(updated)} reported on during "
            f"the year; {status_words(report.counts(priority))}."
        )
    add_measures(doc, report.measures)


def _partners_actions(doc: DraftDocument, report: AnnualReport) -> None:
    doc.heading("Partners' actions", 2)
    reported = [a for a in report.actions if a.progress]
    if not reported:
        doc.paragraph(f"No progress was reported on any action in {report.year}.")
        return
    doc.paragraph(f"Examples of actions partners took in {report.year}, from their updates:")
    for organisation in sorted({a.organisation for a in reported}, key=str.casefold):
        doc.label(organisation)
        doc.bullets(
            [
                f"{a.action} ({a.status.value}): {a.progress[-1][1]}"
                for a in reported
                if a.organisation == organisation
            ]  # fmt: skip
        )


def _coming_year(doc: DraftDocument, report: AnnualReport) -> None:
    doc.heading(f"Plans for {report.year + 1}", 1, new_page=True)
    open_actions = [a for a in report.actions if a.status is not Status.DONE]
    doc.paragraph(
        f"The {report.title} runs {report.period}. In {report.year + 1} partners will carry on "
        f"with {plural(len(open_actions), 'action')} not yet done"
        + (", the overdue ones first." if report.counts()[Status.OVERDUE] else ".")
    )
    if open_actions:
        doc.table(
            f"Actions carried into {report.year + 1}",
            ["Action", "Priority", "Owner", "Due", "Status"],
            [[f"{a.number}. {a.action}" + (" (new)" if a.new else ""), a.priority,
              a.organisation, a.due, a.status.value.capitalize()] for a in open_actions],
        )  # fmt: skip


def _appendix(doc: DraftDocument, report: AnnualReport) -> None:
    doc.heading("Appendix: crime trend information", 1, new_page=True)
    if not report.trends:
        doc.paragraph("No audit figures have been imported.")
        return
    doc.paragraph(
        f"From the audit {report.audit_name}: every category's latest period against the one "
        "before of the same kind, and the comparators where the audit has them."
    )
    doc.table(
        "Crime and disorder trends",
        trend_table_headers(report.trends),
        trend_table_rows(report.trends),
    )
    for chart in report.trend_charts:
        doc.figure(chart.png, chart.alt_text, chart.title)
    doc.bullets([t.sentence for t in report.trends])


def due_words(due: dt.date | None, by_when: str) -> str:
    """An action's due date as people read it, or the plan's words."""
    return long_date(due) if due else (by_when or "No date")
