"""Importing a crime and disorder audit's figures as a job, from the officers' page or
`flask audit import`: the job calls `assembly.audits.import_audit`, all or nothing."""

from __future__ import annotations

from assembly import audits
from assembly.audits import AuditError
from survey import audit as audit_log
from survey import jobs
from survey.database import db
from survey.display import plural
from survey.import_jobs import refused
from survey.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to
from survey.models import User
from survey.responses_io import ImportRefused
from survey.spreadsheets import UnreadableFile

AUDIT_IMPORT = "audit import"
AGAIN = link_to("strategies.audit_list", "Upload a corrected file")


def start_audit_import(
    name: str, filename: str, data: bytes, replace: bool, started_by_id: int | None = None
) -> Job:
    """A queued job to import an audit file under `name`; the caller commits, then enqueues."""
    return jobs.new_job(
        AUDIT_IMPORT,
        f"Import the audit '{name}' from {filename}",
        {"name": name, "filename": filename, "replace": replace},
        input=data,
        started_by_id=started_by_id,
    )


@job_kind(AUDIT_IMPORT)
def run_audit_import(job: Job, progress: Progress) -> Outcome:
    """Store every figure in the job's file, or none and every problem."""
    name, filename = job.params["name"], job.params["filename"]
    progress.step("Reading and checking the file")
    try:
        audit = audits.import_audit(
            name, filename, job.input or b"", job.started_by_id, replace=job.params["replace"]
        )
    except (AuditError, UnreadableFile) as exc:
        raise JobFailed(f"{filename}: nothing imported. {exc}", link=AGAIN) from None
    except ImportRefused as exc:
        raise refused(filename, exc, AGAIN) from None
    officer = db.session.get(User, job.started_by_id) if job.started_by_id else None
    audit_log.record("audit imported", None, audit.name, filename, by=officer)
    db.session.flush()
    categories = audits.audit_categories(audit)
    return Outcome(
        f"Imported audit '{audit.name}': {plural(len(categories), 'category', 'categories')} "
        f"over {plural(len(audit.periods), 'period')} ({', '.join(audit.periods)})",
        link_to("strategies.audit_page", f"See the audit '{audit.name}'", audit_id=audit.id),
    )
