"""Importing a crime and disorder audit's figures as a job, from the officers' page or
`flask audit import`: the job calls `assembly.data.crime_audits.import_audit`, all or nothing."""

from __future__ import annotations

from assembly.data import crime_audits
from assembly.data.crime_audits import AuditError
from common import action_log, jobs
from common.database import db
from common.display import plural
from common.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to, refused
from common.models import User
from common.spreadsheets import ImportRefused, UnreadableFile

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
        audit = crime_audits.import_audit(
            name, filename, job.input or b"", job.started_by_id, replace=job.params["replace"]
        )
    except (AuditError, UnreadableFile) as exc:
        raise JobFailed(f"{filename}: nothing imported. {exc}", link=AGAIN) from None
    except ImportRefused as exc:
        raise refused(filename, exc, AGAIN) from None
    officer = db.session.get(User, job.started_by_id) if job.started_by_id else None
    action_log.record("audit imported", None, audit.name, filename, by=officer)
    db.session.flush()
    categories = crime_audits.audit_categories(audit)
    return Outcome(
        f"Imported audit '{audit.name}': {plural(len(categories), 'category', 'categories')} "
        f"over {plural(len(audit.periods), 'period')} ({', '.join(audit.periods)})",
        link_to("strategies.audit_page", f"See the audit '{audit.name}'", audit_id=audit.id),
    )
