"""Building a strategy's delivery reports as jobs, from the actions page: the quarterly
progress report and the annual report to scrutiny. The Word file is kept as the job's output,
with its PDF (made by LibreOffice, where it is installed), for the officer's job page and for
councillors to download from the actions page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa

from assembly.core.annual_report import build_annual_report
from assembly.core.delivery import parse_period
from assembly.core.pdf import PdfError, docx_to_pdf
from assembly.core.progress_report import build_progress_report
from assembly.data import delivery
from assembly.data.built_drafts import current_template
from assembly.data.delivery_reports import annual_report, check_quarter, check_year, progress_report
from assembly.data.models import Strategy
from common import jobs
from common.database import db, utcnow
from common.jobs import Job, JobFailed, JobState, Outcome, Progress, job_kind, link_to

REPORT_BUILD = "delivery report"
KINDS = {"progress": "progress report", "annual": "annual report"}


def start_report_build(
    strategy: Strategy, kind: str, when: str, on: dt.date, started_by_id: int | None = None
) -> Job:
    """A queued job to build the strategy's progress report for a quarter ('2027-Q1') or its
    annual report for a year ('2027'), statuses as they stand `on` that day; ValueError names
    a wrong kind or period. The caller commits, then enqueues."""
    if kind not in KINDS:
        raise ValueError(f"'{kind}' is not a report: choose the progress or the annual report")
    if kind == "progress":
        quarter = parse_period(when)
        check_quarter(strategy, quarter, on)
        when = str(quarter)
    elif not re.fullmatch(r"\d{4}", when.strip()):
        raise ValueError(f"'{when[:20]}' is not a year: write it like 2027")
    else:
        check_year(strategy, int(when), on)
    return jobs.new_job(
        REPORT_BUILD,
        f"Build the {KINDS[kind]} of {strategy.title} for {when.strip()}",
        {
            "strategy_id": strategy.id,
            "slug": strategy.slug,
            "kind": kind,
            "when": when.strip(),
            "on": on.isoformat(),
        },  # fmt: skip
        started_by_id=started_by_id,
    )


@job_kind(REPORT_BUILD)
def run_report_build(job: Job, progress: Progress) -> Outcome:
    """Build the report asked for and keep it as the job's output."""
    strategy = db.session.get(Strategy, job.params["strategy_id"])
    if strategy is None:
        raise JobFailed("The report could not be built: the strategy has been deleted")
    kind, when = job.params["kind"], job.params["when"]
    on = dt.date.fromisoformat(job.params["on"])
    progress.step(f"Building the {KINDS[kind]} from the actions, updates and measures")
    template = current_template()
    house = template.docx if template else None
    try:
        if kind == "progress":
            report = progress_report(strategy, parse_period(when), on)
            data = build_progress_report(report, utcnow(), house)
        else:
            data = build_annual_report(annual_report(strategy, int(when), on), utcnow(), house)
    except (delivery.DeliveryError, ValueError) as exc:
        raise JobFailed(f"The report could not be built: {exc}") from None
    name = f"{strategy.slug}-{kind}-report-{when}.docx"
    progress.step("Making the PDF with LibreOffice")
    try:
        pdf, note = docx_to_pdf(data), ""
    except PdfError as exc:  # the Word file is the report; its PDF a convenience
        pdf, note = None, f" (no PDF: {exc})"
    return Outcome(
        f"Built the {KINDS[kind]} of '{strategy.slug}' for {when}{note}",
        link_to(
            "delivery.actions", "See the strategy's actions and its reports", slug=strategy.slug
        ),  # fmt: skip
        output=data,
        output_name=name,
        pdf=pdf,
        pdf_name=name.removesuffix(".docx") + ".pdf" if pdf else None,
    )


def built_reports(strategy: Strategy, limit: int = 10) -> list[Job]:
    """The strategy's reports built, newest first."""
    found = db.session.scalars(
        sa.select(Job)
        .where(Job.kind == REPORT_BUILD, Job.state == JobState.DONE.value)
        .order_by(Job.id.desc())
    )
    return [job for job in found if _of(job.params, strategy)][:limit]


def _of(params: dict[str, Any], strategy: Strategy) -> bool:
    return params.get("strategy_id") == strategy.id
