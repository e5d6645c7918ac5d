"""The retention run as a job, scheduled daily on the queue (`RETENTION_SCHEDULE`), so that
officers and admins see on the jobs' pages that it ran and what went."""

from __future__ import annotations

from common.database import utcnow
from common.jobs import Job, Outcome, Progress, job_kind
from survey.data import retention

RETENTION = "retention"
TITLE = "Remove residents' personal data past its retention period"


@job_kind(RETENTION)
def run_retention(job: Job, progress: Progress) -> Outcome:
    """Remove every kind of personal data that is due (`survey.data.retention`)."""
    rules = retention.Rules(utcnow(), **{k: int(v) for k, v in job.params.items()})
    progress.step("Removing personal data past its retention period")
    went = retention.remove(rules)
    return Outcome(f"Retention run: {retention.describe(went)}")
