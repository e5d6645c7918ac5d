"""Councillors' pages (officers and admins see them too): results, read-only.

Every figure comes from `survey.data.tallies`, every table from `survey.core.tables` and every
chart from `survey.core.charts`, so the page, its downloads and the Word draft say the same;
small counts are suppressed everywhere.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common import action_log
from common.access import role_required
from common.models import Role
from common.settings import suppression_threshold
from common.spreadsheets import write_csv
from survey.core import charts as chart_names
from survey.core import tables
from survey.core.results import Breakdown, ConsultationResults, ScaleResult
from survey.data import consultations as store
from survey.data.models import Consultation, Status
from survey.data.quotes import shown_quotes
from survey.data.tallies import UnknownGroup, breakdown, consultation_results
from survey.web import chart_files
from survey.web.addresses import query_text

bp = Blueprint("councillors", __name__)


def _consultation(slug: str) -> Consultation:
    consultation = store.by_slug(slug)
    if consultation is None or consultation.status == Status.DRAFT:
        abort(404)
    return consultation


def _group() -> tuple[str, str] | None:
    """The breakdown group chosen in the filter, as ?group=KEY:LABEL."""
    chosen = query_text("group")
    key, sep, label = chosen.partition(":")
    return (key, label) if sep and key and label else None


def _results(consultation: Consultation) -> ConsultationResults:
    try:
        return consultation_results(consultation, _group(), minimum=suppression_threshold())
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
    """Agreement by each breakdown question, for everyone (not within one group)."""
    if results.group is not None:
        return []
    return [
        breakdown(consultation, by.key, result.key, minimum=results.threshold)
        for by in results.breakdown_questions
        for result in results.questions
        if isinstance(result, ScaleResult)
    ]


@bp.get("/<slug>")
@role_required(Role.COUNCILLOR)
def consultation(slug: str) -> ResponseReturnValue:
    chosen = _consultation(slug)
    results = _results(chosen)
    found = _breakdowns(chosen, results)
    charts = chart_files.charts(results, found)
    sections = [
        (result, tables.question_table(result, results.threshold), charts[result.key])
        for result in results.questions
    ]
    breakdowns = [
        (tables.breakdown_table(b, results.threshold), charts[chart_names.breakdown_name(b)])
        for b in found
    ]
    return render_template(
        "councillors/consultation.html",
        consultation=chosen,
        results=results,
        sections=sections,
        breakdowns=breakdowns,
        channels=tables.channels_table(results.channels),
        weeks=tables.weeks_table(results.weeks),
        weeks_chart=charts[chart_names.WEEKS_NAME],
        group_value=query_text("group"),
        # Officers' quotes per theme, only where this view's own counts allow (theme-quotes).
        quotes=shown_quotes(chosen, results),
    )


def _chart(slug: str, key: str, kind: str) -> ResponseReturnValue:
    """A chart of the page (for the chosen group, if any) as SVG, PNG or its table as CSV."""
    chosen = _consultation(slug)
    results = _results(chosen)
    chart = chart_files.charts(results, _breakdowns(chosen, results)).get(key)
    if chart is None:
        abort(404)
    group = results.group
    name = chart_files.filename(slug, key, *((group.key, group.label) if group else ()))
    if kind == "csv":
        _downloaded(chosen, f"{name}.csv")
    return chart_files.chart_file(chart, kind, name, group)


def _downloaded(consultation: Consultation, filename: str) -> None:
    """Every download of results in the audit log."""
    action_log.record_read("results downloaded", consultation, filename, by=current_user)


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
    """One question's data table as CSV (for the chosen group, if any)."""
    chosen = _consultation(slug)
    results = _results(chosen)
    try:
        result = results.question(key)
    except KeyError:
        abort(404)
    table = tables.question_table(result, results.threshold)
    rows = tables.csv_rows(table)
    if results.group is not None:
        rows.insert(1, [f"{results.group.question} {results.group.label}"])
    suffix = f"-{results.group.key}-{results.group.label}" if results.group else ""
    filename = "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{slug}-{key}{suffix}")
    _downloaded(chosen, f"{filename}.csv")
    return Response(
        write_csv(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
