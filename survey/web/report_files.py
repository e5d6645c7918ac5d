"""The whole results report as files to download: XLSX and PDF, from `survey.core.whole_report`."""

from __future__ import annotations

from functools import lru_cache

from flask import Response

from common.pdf_report import write_pdf
from common.spreadsheets import write_report
from survey.core import whole_report
from survey.web.chart_files import filename
from survey.web.result_filters import Filters

TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@lru_cache(maxsize=8)
def workbook(report: whole_report.Report) -> bytes:
    """The report as XLSX; kept per process for the same results (a new response, a new
    report), as charts are."""
    return write_report(whole_report.sheets(report))


@lru_cache(maxsize=8)
def pdf(report: whole_report.Report) -> bytes:
    """The report as PDF, kept the same way: drawing every chart again takes seconds."""
    lines = [report.shown_for, whole_report.made_on_text(report), report.note]
    return write_pdf(report.title, lines, whole_report.pdf_blocks(report))


def name(report: whole_report.Report, filters: Filters) -> str:
    """The file's name: the consultation, each filter, the day."""
    parts = [part for pair in filters.query.items() for part in pair]
    return filename(report.slug, "results", *parts, report.made_on.isoformat())


def download(body: bytes, kind: str, file_name: str) -> Response:
    return Response(
        body,
        content_type=TYPES[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}.{kind}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
