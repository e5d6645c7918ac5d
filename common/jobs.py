"""Long work as jobs: the table officers watch, and the runner that does one job all or nothing.

Imports, draft builds and theme suggestions are each a kind of job: a function registered with
`job_kind`. The web request (or the CLI) stores a Job, with the uploaded file's bytes, and the
queue (`common.job_queue`) or the CLI runs it by id with `run_job`. The work's own writes are
committed once, together with the job's result, so a worker killed half-way leaves nothing
saved; progress is written on a connection of its own, so officers see it while that
transaction is still open.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from common.database import UTCDateTime, db, utcnow
from common.display import plural
from common.spreadsheets import ImportRefused

log = logging.getLogger(__name__)

LEASE_SECONDS = 600  # a running job whose worker has not been heard from for this long died
STALE = (
    "The worker running this job stopped before it finished (it was stopped or the server "
    "restarted). Nothing was saved: start it again."
)
UNEXPECTED = "The job stopped on an unexpected error. Nothing was saved: try again."
SQLITE_BUSY_MS = 10_000  # common.database's busy timeout, restored after a progress write


class JobState(StrEnum):
    """Where a job is: waiting for a worker, being done, finished, or failed (nothing saved)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):  # type: ignore[name-defined,misc]
    """One piece of long work, its progress, and what came of it."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(300))
    state: Mapped[str] = mapped_column(sa.String(10), default=JobState.QUEUED.value, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The uploaded file, read by the worker from here; cleared when the job ends. Loaded only
    # when asked for: the job page, read every two seconds, never needs its megabytes.
    input: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    step: Mapped[str] = mapped_column(sa.String(200), default="")
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None] = mapped_column()
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    # Every problem found: [{"row": 2, "column": "agree", "message": "...", "text": "..."}].
    problems: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    # What was made: {"endpoint": ..., "args": {...}, "text": ...} for the page to link to,
    # with under "back" the same for the page the job was asked for from, if it says.
    link: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    output: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)  # e.g. a PDF
    output_name: Mapped[str | None] = mapped_column(sa.String(255))
    # The same document as a PDF, for a job that makes both (a report's Word file and its PDF).
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_name: Mapped[str | None] = mapped_column(sa.String(255))
    started_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    def looks_stale(self, now: dt.datetime, lease_seconds: float = LEASE_SECONDS) -> bool:
        """Running, but its worker has not written for longer than the lease: it died."""
        beat = self.heartbeat_at or self.started_at
        return (
            self.state == JobState.RUNNING
            and beat is not None
            and (now - beat).total_seconds() > lease_seconds
        )


@dataclass(frozen=True)
class Outcome:
    """What a job made: a sentence for people, and where to find it."""

    summary: str
    link: dict[str, Any] | None = None
    output: bytes | None = None
    output_name: str | None = None
    pdf: bytes | None = None  # the output as a PDF too
    pdf_name: str | None = None
    back: dict[str, Any] | None = None  # the page the job was asked for from (`link_to`)


class JobFailed(Exception):
    """The job's work was refused (nothing saved): why, and every problem found."""

    def __init__(
        self, summary: str, problems: Sequence[object] = (), link: dict[str, Any] | None = None
    ) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = [problem_of(p) for p in problems]
        self.link = link  # where to put it right, e.g. the upload form


def problem_of(problem: object) -> dict[str, Any]:
    """A problem as stored: its row and column when it has them, and its sentence."""
    return {
        "row": getattr(problem, "row", 0) or 0,
        "column": getattr(problem, "column", "") or "",
        "message": getattr(problem, "message", None) or str(problem),
        "text": str(problem),
    }


def link_to(endpoint: str, text: str, **args: Any) -> dict[str, Any]:
    """A link for the job page to what the job made, by endpoint name (no request needed)."""
    return {"endpoint": endpoint, "args": args, "text": text}


ProgressCallback = Callable[[str, int, int | None], None]


class Progress:
    """A job's step and rows read, each written in a short transaction of its own."""

    def __init__(self, job_id: int, echo: ProgressCallback | None = None) -> None:
        self.job_id = job_id
        self.echo = echo
        self._step = ""
        self._total: int | None = None
        self._written = 0.0

    def step(self, text: str, total: int | None = None) -> None:
        """A new step, with how many rows it will read when known."""
        self._step, self._total = text, total
        self._write(0, force=True)

    def rows(self, done: int) -> None:
        """Rows read so far in this step (written at most twice a second)."""
        self._write(done, force=done == self._total)

    def _write(self, done: int, force: bool) -> None:
        if self.echo is not None:
            self.echo(self._step, done, self._total)
        if not force and time.monotonic() - self._written < 0.5:
            return
        self._written = time.monotonic()
        values = {"step": self._step, "rows_done": done, "rows_total": self._total}
        write_apart(self.job_id, values | {"heartbeat_at": utcnow()}, skip_if_locked=True)


def write_apart(
    job_id: int, values: dict[str, Any], only_if: str | None = None, skip_if_locked: bool = False
) -> bool:
    """Update a job on a connection of its own and commit; True when the row was changed.

    On SQLite the job's own transaction holds the database's one write lock while it records,
    so a progress write (`skip_if_locked`) then waits a moment and is skipped: the step set
    before the writing began stays on the page.
    """
    update = sa.update(Job).where(Job.id == job_id).values(**values)
    if only_if is not None:
        update = update.where(Job.state == only_if)
    sqlite = db.engine.dialect.name == "sqlite" and skip_if_locked
    try:
        with db.engine.connect() as conn:
            if sqlite:
                conn.exec_driver_sql("PRAGMA busy_timeout=100")
            try:
                changed = conn.execute(update).rowcount
                conn.commit()
            finally:
                if sqlite:
                    conn.rollback()
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    except sa.exc.OperationalError:
        if not sqlite:
            raise
        log.debug("job %s: progress not written while the database is locked", job_id)
        return False
    return bool(changed)


JobFunction = Callable[[Job, Progress], Outcome]
_KINDS: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register the function that does jobs of kind `name`."""

    def register(function: JobFunction) -> JobFunction:
        _KINDS[name] = function
        return function

    return register


def new_job(
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    *,
    input: bytes | None = None,
    started_by_id: int | None = None,
) -> Job:
    """Add a queued job; the caller commits, then enqueues it (or runs it)."""
    if kind not in _KINDS:
        raise KeyError(f"no job kind {kind!r}")
    job = Job(
        kind=kind,
        title=title[:300],
        params=params or {},
        input=input,
        started_by_id=started_by_id,
        state=JobState.QUEUED.value,
        problems=[],
    )
    db.session.add(job)
    db.session.flush()
    return job


def run_job(job_id: int, echo: ProgressCallback | None = None) -> Job | None:
    """Do a queued job: its work and its result committed together, or nothing and why.

    Returns the finished job, or None when it was not queued (already run, or taken by
    another worker: a queue may deliver a task twice).
    """
    started = {"state": JobState.RUNNING.value, "started_at": utcnow(), "heartbeat_at": utcnow()}
    if not write_apart(job_id, started, only_if=JobState.QUEUED.value):
        return None
    db.session.rollback()  # read the job as it is now, not as this session last saw it
    job = db.session.get(Job, job_id)
    if job is None:
        return None
    try:
        outcome = _KINDS[job.kind](job, Progress(job_id, echo))
    except JobFailed as exc:
        db.session.rollback()
        _fail(job_id, exc.summary, exc.problems, exc.link)
    except Exception:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        _fail(job_id, UNEXPECTED, [])
    else:
        _done(job, outcome)
    return job_by_id(job_id)


def _done(job: Job, outcome: Outcome) -> None:
    """Mark the job done in the work's own transaction, and commit the two together."""
    job.state = JobState.DONE.value
    job.summary = outcome.summary
    job.link = outcome.link
    if outcome.back is not None:  # kept in the link's JSON: the page shows it beside
        job.link = {**(outcome.link or {}), "back": outcome.back}
    job.output = outcome.output
    job.output_name = outcome.output_name
    job.pdf = outcome.pdf
    job.pdf_name = outcome.pdf_name
    job.problems = []
    job.input = None
    job.finished_at = utcnow()
    db.session.commit()


def _fail(
    job_id: int,
    summary: str,
    problems: list[dict[str, Any]],
    link: dict[str, Any] | None = None,
) -> None:
    values = {
        "state": JobState.FAILED.value,
        "summary": summary,
        "problems": problems,
        "link": link,
        "input": None,
        "finished_at": utcnow(),
    }
    write_apart(job_id, values)


def fail_stale_jobs(lease_seconds: float = LEASE_SECONDS, now: dt.datetime | None = None) -> int:
    """Mark failed every running job whose worker stopped being heard from; returns how many.

    Its work's transaction was never committed, so nothing of it was saved.
    """
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=lease_seconds)
    beat = sa.func.coalesce(Job.heartbeat_at, Job.started_at)
    result = db.session.execute(
        sa.update(Job)
        .where(Job.state == JobState.RUNNING.value, beat < cutoff)
        .values(state=JobState.FAILED.value, summary=STALE, input=None, finished_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def recent_jobs(kind: str, limit: int = 10) -> Sequence[Job]:
    """The newest jobs of one kind, newest first."""
    newest = sa.select(Job).where(Job.kind == kind).order_by(Job.id.desc()).limit(limit)
    return db.session.scalars(newest).all()


def job_by_id(job_id: int) -> Job | None:
    """One job as it is now in the database (a worker changes it), or None."""
    return db.session.get(Job, job_id, populate_existing=True)


def refused(filename: str, exc: ImportRefused, link: dict[str, Any] | None = None) -> JobFailed:
    """A refused file as a failed job: one problem in its sentence, or how many."""
    problems = exc.problems
    if len(problems) == 1:
        return JobFailed(f"{filename}: nothing imported: {problems[0]}", problems, link)
    count = plural(len(problems), "problem")
    return JobFailed(f"{filename}: nothing imported: {count}", problems, link)
