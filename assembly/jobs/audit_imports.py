"""Importing a crime and disorder audit's figures as a job, from the officers' page or
`flask audit import`: the job calls `assembly.data.crime_audits.import_audit`, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

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
    name: str,
    filename: str,
    data: bytes | Path,
    replace: bool,
    started_by_id: int | None = None,
    area: str | None = None,
) -> Job:
    """A queued job to import an audit file under `name`; the caller commits, then enqueues.

    `data` is the uploaded file's bytes, or (from the command line, for a file too large to
    keep in the job: a police.uk file of a million rows) the path it is read from as it is
    counted; `area` names the partnership's area in a file of several.
    """
    params = {"name": name, "filename": filename, "replace": replace, "area": area}
    if isinstance(data, Path):
        params["path"] = str(data.resolve())
    return jobs.new_job(
        AUDIT_IMPORT,
        f"Import the audit '{name}' from {filename}",
        params,
        input=None if isinstance(data, Path) else data,
        started_by_id=started_by_id,
    )


@job_kind(AUDIT_IMPORT)
def run_audit_import(job: Job, progress: Progress) -> Outcome:
    """Store every figure in the job's file, or none and every problem."""
    name, filename = job.params["name"], job.params["filename"]
    progress.step("Reading and checking the file")
    try:
        with _opened(job) as source:
            audit = crime_audits.import_audit(
                name,
                filename,
                source,
                job.started_by_id,
                replace=job.params["replace"],
                area=job.params.get("area"),
                on_rows=progress.rows,
            )
    except OSError as exc:
        reason = f"It cannot be read ({exc.strerror})."
        raise JobFailed(f"{filename}: nothing imported. {reason}", link=AGAIN) from None
    except (AuditError, UnreadableFile) as exc:
        raise JobFailed(f"{filename}: nothing imported. {exc}", link=AGAIN) from None
    except ImportRefused as exc:
        raise refused(filename, exc, AGAIN) from None
    officer = db.session.get(User, job.started_by_id) if job.started_by_id else None
    action_log.record("audit imported", None, audit.name, filename, by=officer)
    db.session.flush()
    categories = crime_audits.audit_categories(audit)
    where = f" for {audit.area_name}" if audit.area_name else ""
    return Outcome(
        f"Imported audit '{audit.name}'{where}: "
        f"{plural(len(categories), 'category', 'categories')} "
        f"over {plural(len(audit.periods), 'period')} ({', '.join(audit.periods)})",
        link_to("strategies.audit_page", f"See the audit '{audit.name}'", audit_id=audit.id),
    )


def _opened(job: Job) -> BinaryIO:
    """The job's file: read from its path when the command line gave one, else its bytes."""
    path = job.params.get("path")
    return open(path, "rb") if path else io.BytesIO(job.input or b"")  # noqa: SIM115
