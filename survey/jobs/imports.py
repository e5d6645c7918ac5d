"""Importing responses as a job, started from the officers' page or `flask responses import`.

The job reads the file from the database and calls `survey.data.transfers.import_responses`, so
an import behaves identically from either; its responses, its counting into the kept results
and the job's result are committed together.
"""

from __future__ import annotations

from typing import Any

from common import jobs
from common.database import db
from common.display import LOCAL_ZONE, long_date, plural
from common.jobs import Job, JobFailed, Outcome, Progress, job_kind, link_to, refused
from common.spreadsheets import ImportRefused, UnreadableFile
from survey.core.column_mapping import ColumnChoice
from survey.core.tool_layouts import Layout
from survey.data import transfers
from survey.data.models import Channel, Consultation

RESPONSES_IMPORT = "responses import"


def start_import(
    consultation: Consultation,
    data: bytes,
    filename: str,
    channel: Channel,
    started_by_id: int | None = None,
    mapping: Any = None,
) -> Job:
    """A queued job to import the file's responses; the caller commits, then enqueues it.

    `mapping` is a mapping file's JSON, overriding where a survey tool's columns go.
    """
    return jobs.new_job(
        RESPONSES_IMPORT,
        f"Import responses to {consultation.title} from {filename}",
        {
            "consultation_id": consultation.id,
            "slug": consultation.slug,
            "filename": filename,
            "channel": channel.value,
            "mapping": mapping,
        },
        input=data,
        started_by_id=started_by_id,
    )


@job_kind(RESPONSES_IMPORT)
def run_import(job: Job, progress: Progress) -> Outcome:
    """Record every response in the job's file, or none and every problem."""
    params = job.params
    filename = params["filename"]
    consultation = db.session.get(Consultation, params["consultation_id"])
    if consultation is None:
        raise JobFailed(f"{filename}: nothing imported: the consultation has been deleted")
    again = link_to("transfers.import_responses", "Upload a corrected file", slug=consultation.slug)
    try:
        imported = transfers.import_responses(
            consultation,
            job.input or b"",
            filename,
            Channel(params["channel"]),
            mapping=params.get("mapping"),
            entered_by_id=job.started_by_id,
            progress=progress.step,
            recorded=progress.rows,
        )
    except UnreadableFile as exc:
        raise JobFailed(f"{filename}: nothing imported. {exc}", link=again) from None
    except ImportRefused as exc:
        raise refused(filename, exc, link=again) from None
    progress.rows(imported.count)
    count = plural(imported.count, "response")
    summary = f"Imported {count} to '{consultation.slug}' from {filename}"
    if imported.layout is not Layout.OWN:
        summary += f" (a {imported.layout.tool} export)"
    if imported.remembered_at is not None:  # no mapping given: the one kept for this shape
        confirmed = long_date(imported.remembered_at.astimezone(LOCAL_ZONE).date())
        summary += f", its columns read as confirmed for files like it on {confirmed}"
    return Outcome(
        summary + left_out_sentences(imported.left_out),
        link_to("officers.consultation", f"Go to {consultation.title}", slug=consultation.slug),
    )


def left_out_sentences(left_out: tuple[ColumnChoice, ...]) -> str:
    """Which columns were not imported, grouped by why (empty when none were)."""
    by_why: dict[str, list[str]] = {}
    for choice in left_out:
        by_why.setdefault(choice.why, []).append(choice.column.name)
    return "".join(f". Left out ({why}): {', '.join(names)}" for why, names in by_why.items())
