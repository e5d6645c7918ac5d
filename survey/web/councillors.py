"""Councillors' pages (officers and admins see them too): results, read-only.

Every figure comes from `survey.tallies` and every table from `survey.tables`, so the page,
its CSV downloads and the Word draft say the same; small counts are suppressed everywhere.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from survey import consultations as store
from survey import tables
from survey.models import Consultation, Role, Status
from survey.results import ConsultationResults, ScaleResult
from survey.spreadsheets import write_csv
from survey.tallies import UnknownGroup, breakdown, consultation_results
from survey.web.access import role_required

bp = Blueprint("councillors", __name__)


def _consultation(slug: str) -> Consultation:
    consultation = store.by_slug(slug)
    if consultation is None or consultation.status == Status.DRAFT:
        abort(404)
    return consultation


def _group() -> tuple[str, str] | None:
    """The breakdown group chosen in the filter, as ?group=KEY:LABEL."""
    chosen = request.args.get("group", "")
    key, sep, label = chosen.partition(":")
    return (key, label) if sep and key and label else None


def _results(consultation: Consultation) -> ConsultationResults:
    try:
        return consultation_results(consultation, _group())
    except UnknownGroup:
        abort(404)


@bp.get("/")
@role_required(Role.COUNCILLOR)
def index() -> ResponseReturnValue:
    consultations = [c for c in store.all_consultations() if c.status != Status.DRAFT]
    return render_template(
        "councillors/index.html", consultations=consultations, counts=store.response_counts()
    )


@bp.get("/<slug>")
@role_required(Role.COUNCILLOR)
def consultation(slug: str) -> ResponseReturnValue:
    chosen = _consultation(slug)
    results = _results(chosen)
    sections = [
        (result, tables.question_table(result, results.threshold)) for result in results.questions
    ]
    breakdowns = []
    if results.group is None:
        for by in results.breakdown_questions:
            for result in results.questions:
                if isinstance(result, ScaleResult):
                    table = breakdown(chosen, by.key, result.key, minimum=results.threshold)
                    breakdowns.append(tables.breakdown_table(table, results.threshold))
    return render_template(
        "councillors/consultation.html",
        consultation=chosen,
        results=results,
        sections=sections,
        breakdowns=breakdowns,
        channels=tables.channels_table(results.channels),
        weeks=tables.weeks_table(results.weeks),
        group_value=request.args.get("group", ""),
    )


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
    return Response(
        write_csv(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
