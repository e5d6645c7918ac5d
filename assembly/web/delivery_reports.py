"""Measures against targets and delivery reports of an adopted strategy, on the staff pages.

Every account that reads the actions sees each target's chart; officers record figures for
targets no audit measures and build the progress and annual reports as jobs; councillors
download the reports built. Thin: figures and reports are `assembly.data`'s.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from assembly.core.target_progress import target_chart
from assembly.data import delivery, target_figures
from assembly.data.models import Strategy
from assembly.jobs.report_builds import built_reports, start_report_build
from common import action_log
from common.access import role_required
from common.clock import today
from common.database import db
from common.job_queue import enqueue
from common.models import Role

bp = Blueprint("delivery_reports", __name__)

MEASURE_FIELDS = ("target", "period", "value")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _strategy_or_404(slug: str) -> Strategy:
    try:
        return delivery.delivered(slug)
    except delivery.DeliveryError:
        abort(404)


@bp.get("/strategies/<slug>/measures/<int:number>.svg")
@role_required(Role.PARTNER)
def measure_chart(slug: str, number: int) -> ResponseReturnValue:
    """Target `number`'s chart of actual figures against its target and baseline, as SVG."""
    measures = target_figures.measures_of(_strategy_or_404(slug))
    if not 1 <= number <= len(measures):
        abort(404)
    chart = target_chart(measures[number - 1]) or abort(404)
    response = Response(chart.svg, content_type="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=60"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/strategies/<slug>/measures/record", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def record_measure(slug: str) -> ResponseReturnValue:
    """Record a target's actual figure for a period (targets no audit measures)."""
    strategy = _strategy_or_404(slug)
    values = {f: request.form.get(f, request.args.get(f, "")) for f in MEASURE_FIELDS}
    problems: dict[str, str] = {}
    if request.method == "POST":
        try:
            number = int(values["target"])
        except ValueError:
            problems["target"] = "Select the target the figure measures"
        else:
            try:
                target_figures.record_figure(
                    strategy, number, values["period"], values["value"], current_user
                )
            except target_figures.TargetError as exc:
                problems[exc.field] = str(exc)[:1].upper() + str(exc)[1:]
        if problems:
            db.session.rollback()
        else:
            db.session.commit()
            flash(f"Figure for target {number} saved", "success")
            return redirect(url_for("delivery.actions", slug=slug, _anchor="measures"), code=303)
    return render_template(
        "officers/delivery/record_measure.html",
        strategy=strategy,
        measures=target_figures.measures_of(strategy),
        values=values,
        problems=problems,
        errors=[{"text": problems[f], "href": f"#{f}"} for f in MEASURE_FIELDS if f in problems],
        page_has_errors=bool(problems),
    ), (400 if problems else 200)


@bp.post("/strategies/<slug>/reports")
@role_required(Role.OFFICER)
def build_report(slug: str) -> ResponseReturnValue:
    """Start building the progress report (for a quarter) or the annual report (for a year);
    the job's page comes next."""
    strategy = _strategy_or_404(slug)
    kind = request.form.get("kind", "")
    when = request.form.get("period" if kind == "progress" else "year", "")
    try:
        job = start_report_build(strategy, kind, when, today(), current_user.id)
    except ValueError as exc:
        db.session.rollback()
        flash(f"The report was not built: {exc}", "error")
        return redirect(url_for("delivery.actions", slug=slug, _anchor="reports"), code=303)
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id), code=303)


@bp.get("/strategies/<slug>/reports/<int:job_id>")
@role_required(Role.COUNCILLOR)
def report_file(slug: str, job_id: int) -> ResponseReturnValue:
    """A built report's Word file, for officers and councillors."""
    return _report_download(slug, job_id, pdf=False)


@bp.get("/strategies/<slug>/reports/<int:job_id>.pdf")
@role_required(Role.COUNCILLOR)
def report_pdf(slug: str, job_id: int) -> ResponseReturnValue:
    """A built report's PDF, for officers and councillors."""
    return _report_download(slug, job_id, pdf=True)


def _report_download(slug: str, job_id: int, *, pdf: bool) -> ResponseReturnValue:
    strategy = _strategy_or_404(slug)
    job = next((j for j in built_reports(strategy, limit=10_000) if j.id == job_id), None)
    if job is None:
        abort(404)
    data, name = (job.pdf, job.pdf_name) if pdf else (job.output, job.output_name)
    if data is None or not name:
        abort(404)
    action_log.record_read(
        "file downloaded", None, name, f"report of {strategy.slug}", by=current_user
    )
    return Response(
        data,
        content_type=PDF if pdf else DOCX,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
