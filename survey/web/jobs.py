"""Officers' page for a job: its progress while it runs, then its result or every problem.

The page refreshes itself while the job waits or runs (no JavaScript), and links to what the
job made. Reading it never writes: a job whose worker died is shown as failed here, and marked
so by the next worker (`common.jobs.fail_stale_jobs`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.routing import BuildError

from common import action_log, jobs
from common.access import role_required
from common.database import db, utcnow
from common.jobs import Job, JobState
from common.models import Role, User

bp = Blueprint("jobs", __name__)

SHOWN_PROBLEMS = 1000  # rows of the problems table; the count above it says how many in all
SUMMARY_PROBLEMS = 10  # problems repeated in the error summary at the top of the page
REFRESH_SECONDS = 2


@bp.get("/jobs/<int:job_id>")
@role_required(Role.OFFICER)
def job_page(job_id: int) -> ResponseReturnValue:
    """A job's step and rows read while it runs; then what it made, or why nothing was."""
    job = jobs.job_by_id(job_id) or abort(404)
    lease = float(current_app.config.get("JOBS_LEASE_SECONDS", jobs.LEASE_SECONDS))
    stale = job.looks_stale(utcnow(), lease)
    state = JobState.FAILED if stale else JobState(job.state)
    problems = job.problems or []
    starter = db.session.get(User, job.started_by_id) if job.started_by_id else None
    return render_template(
        "officers/jobs/job.html",
        job=job,
        state=state,
        summary_text=jobs.STALE if stale else job.summary,
        refresh=REFRESH_SECONDS if state in (JobState.QUEUED, JobState.RUNNING) else None,
        link=_link(job.link) if job.finished else None,
        back=_link((job.link or {}).get("back")) if job.state == JobState.DONE.value else None,
        problems=problems[:SHOWN_PROBLEMS],
        problem_count=len(problems),
        summary=problems[:SUMMARY_PROBLEMS],
        by_row=any(p.get("row") or p.get("column") for p in problems),
        started_by=starter.email if starter else "the command line",
        page_has_errors=state == JobState.FAILED,
    )


@bp.get("/jobs/<int:job_id>/output")
@role_required(Role.OFFICER)
def job_output(job_id: int) -> ResponseReturnValue:
    """The file a job made (for example a draft's PDF)."""
    job: Job = jobs.job_by_id(job_id) or abort(404)
    return _download(job, job.output, job.output_name)


@bp.get("/jobs/<int:job_id>/pdf")
@role_required(Role.OFFICER)
def job_pdf(job_id: int) -> ResponseReturnValue:
    """The PDF of the file a job made (for example a report's)."""
    job: Job = jobs.job_by_id(job_id) or abort(404)
    return _download(job, job.pdf, job.pdf_name)


def _download(job: Job, data: bytes | None, name: str | None) -> ResponseReturnValue:
    """One of the files a job made, as a download, logged; 404 when it made none."""
    if data is None or not name:
        abort(404)
    action_log.record_read("file downloaded", None, name, f"made by job {job.id}", by=current_user)
    pdf = name.endswith(".pdf")
    return Response(
        data,
        content_type="application/pdf" if pdf else "application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _link(link: dict[str, Any] | None) -> dict[str, str] | None:
    """A link a job left (`jobs.link_to`: to what it made, or back to where it was asked
    for) as an address and its words; None when there is none or it no longer leads anywhere."""
    if not link or "endpoint" not in link:
        return None
    try:
        href = url_for(link["endpoint"], **link.get("args", {}))
    except BuildError:
        return None
    return {"href": href, "text": link.get("text", "See what was made")}
