"""Councillors' pages (officers and admins see them too): results, read-only.

Every figure comes from `survey.data.tallies`, every table from `survey.core.tables` and every
chart from `survey.core.charts`, gathered once per filter by `survey.core.whole_report`, so the
page, its downloads (a chart, a table, the whole report as XLSX or PDF) and the Word draft say
the same; small counts are suppressed everywhere.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common import action_log
from common.access import role_required
from common.clock import today
from common.models import Role
from common.settings import suppression_threshold
from common.spreadsheets import write_csv
from survey.core import tables, whole_report
from survey.core.results import Breakdown, ConsultationResults, QuestionResult, ScaleResult
from survey.data import consultations as store
from survey.data.models import Consultation, Status
from survey.data.quotes import shown_quotes
from survey.data.tallies import UnknownGroup, breakdown, counted_earlier, group_views
from survey.web import chart_files, languages, report_files, result_filters
from survey.web.result_filters import Filters

bp = Blueprint("councillors", __name__)


@bp.app_template_filter("finding")
def finding(result: QuestionResult) -> str:
    """A question's main finding in words: the same sentence on the page and in the report
    files, in the page's language (the residents' results page shares these sections)."""
    return whole_report.finding(result, languages.page_say())


def _consultation(slug: str) -> Consultation:
    consultation = store.by_slug(slug)
    if consultation is None or consultation.status == Status.DRAFT:
        abort(404)
    return consultation


def _results(consultation: Consultation, filters: Filters) -> ConsultationResults:
    try:
        return result_filters.results(consultation, filters, suppression_threshold())
    except UnknownGroup:
        abort(404)


@bp.get("/")
@role_required(Role.COUNCILLOR)
def index() -> ResponseReturnValue:
    consultations = [c for c in store.all_consultations() if c.status != Status.DRAFT]
    return render_template(
        "councillors/index.html", consultations=consultations, counts=store.response_counts()
    )


def _breakdowns(consultation: Consultation, results: ConsultationResults) -> list[Breakdown]:
    """Agreement by each breakdown question, for everyone (not within a group)."""
    if results.group is not None or results.filters:
        return []
    views = group_views(consultation, minimum=results.threshold)
    return [
        breakdown(consultation, by.key, result.key, minimum=results.threshold, views=views)
        for by in results.breakdown_questions
        for result in results.questions
        if isinstance(result, ScaleResult)
    ]


def _report(slug: str) -> tuple[Consultation, Filters, ConsultationResults, whole_report.Report]:
    """The whole report of the consultation for the filters in the address."""
    chosen = _consultation(slug)
    filters = result_filters.read(chosen)
    results = _results(chosen, filters)
    found = _breakdowns(chosen, results)
    charts = chart_files.charts(results, found)
    counted = counted_earlier(chosen)
    return chosen, filters, results, whole_report.build(results, found, charts, today(), counted)


@bp.get("/<slug>")
@role_required(Role.COUNCILLOR)
def consultation(slug: str) -> ResponseReturnValue:
    old = result_filters.old_group()
    if old is not None:  # the page's earlier single filter: the same group, in today's address
        return redirect(url_for("councillors.consultation", slug=slug, **old), code=301)
    chosen, filters, results, report = _report(slug)
    return render_template(
        "councillors/consultation.html",
        consultation=chosen,
        results=results,
        report=report,
        filters=filters,
        query=filters.query,
        select_items=result_filters.select_items,
        channel_items=result_filters.channel_items(filters),
        sections=[(s.result, s.table, s.chart) for s in report.sections],
        not_shown_text=whole_report.not_shown_text(report),
        # Officers' quotes per theme, only where this view's own counts allow: everyone's view
        # or one group's (a combination's cross-table is not what their rules check).
        quotes=shown_quotes(chosen, results) if _one_group_at_most(filters, results) else (),
        quotes_for_combination=filters.chosen and not _one_group_at_most(filters, results),
    )


def _one_group_at_most(filters: Filters, results: ConsultationResults) -> bool:
    return not filters.chosen or (results.group is not None and not results.filters)


@bp.get("/<slug>/report.xlsx")
@role_required(Role.COUNCILLOR)
def report_xlsx(slug: str) -> ResponseReturnValue:
    """The whole report for the filters chosen, as a workbook: a summary sheet, then a sheet
    per question."""
    chosen, filters, _, report = _report(slug)
    name = report_files.name(report, filters)
    _downloaded(chosen, f"{name}.xlsx")
    return report_files.download(report_files.workbook(report), "xlsx", name)


@bp.get("/<slug>/report.pdf")
@role_required(Role.COUNCILLOR)
def report_pdf(slug: str) -> ResponseReturnValue:
    """The whole report for the filters chosen, as a PDF: every table and chart."""
    chosen, filters, _, report = _report(slug)
    name = report_files.name(report, filters)
    _downloaded(chosen, f"{name}.pdf")
    return report_files.download(report_files.pdf(report), "pdf", name)


def _chart(slug: str, key: str, kind: str) -> ResponseReturnValue:
    """A chart of the page (for the filters chosen) as SVG, PNG or its table as CSV."""
    chosen = _consultation(slug)
    filters = result_filters.read(chosen)
    results = _results(chosen, filters)
    chart = chart_files.charts(results, _breakdowns(chosen, results)).get(key)
    if chart is None:
        abort(404)
    name = chart_files.filename(slug, key, *_name_parts(filters))
    shown_for = whole_report.shown_for(results) if filters.chosen else None
    if kind == "csv":
        _downloaded(chosen, f"{name}.csv")
    return chart_files.chart_file(chart, kind, name, shown_for)


def _downloaded(consultation: Consultation, filename: str) -> None:
    """Every download of results in the audit log."""
    action_log.record_read("results downloaded", consultation, filename, by=current_user)


def _name_parts(filters: Filters) -> list[str]:
    return [part for pair in filters.query.items() for part in pair]


@bp.get("/<slug>/charts/<key>.svg")
@role_required(Role.COUNCILLOR)
def chart_svg(slug: str, key: str) -> ResponseReturnValue:
    """A chart as SVG, for the page."""
    return _chart(slug, key, "svg")


@bp.get("/<slug>/charts/<key>.png")
@role_required(Role.COUNCILLOR)
def chart_png(slug: str, key: str) -> ResponseReturnValue:
    """A chart as PNG at 200 dpi, for documents and slides."""
    return _chart(slug, key, "png")


@bp.get("/<slug>/charts/<key>.csv")
@role_required(Role.COUNCILLOR)
def chart_csv(slug: str, key: str) -> ResponseReturnValue:
    """A chart's data table as CSV."""
    return _chart(slug, key, "csv")


@bp.get("/<slug>/<key>.csv")
@role_required(Role.COUNCILLOR)
def question_csv(slug: str, key: str) -> ResponseReturnValue:
    """One question's data table as CSV (for the filters chosen)."""
    chosen = _consultation(slug)
    filters = result_filters.read(chosen)
    results = _results(chosen, filters)
    try:
        result = results.question(key)
    except KeyError:
        abort(404)
    rows = tables.csv_rows(tables.question_table(result, results.threshold))
    if filters.chosen:
        rows.insert(1, [whole_report.shown_for(results)])
    filename = chart_files.filename(slug, key, *_name_parts(filters))
    _downloaded(chosen, f"{filename}.csv")
    return Response(
        write_csv(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
