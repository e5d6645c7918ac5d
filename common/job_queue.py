"""The queue that carries jobs from the web to a worker: Huey, on Redis or an SQLite file.

`JOBS_URL` chooses where the queue is kept: `redis://host:6379/0` in production (web servers
and workers on several machines), by default an SQLite file in the instance folder, which needs
no other service. A queued task carries only a job's id; the job itself, with its input, is in
the database (`common.jobs`). `flask jobs worker` runs a Huey consumer in the app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

from common import jobs
from common.database import db

QUEUE_NAME = "csp-jobs"
IMMEDIATE = "immediate"  # tests: a task runs as it is enqueued, in the enqueuing thread


@dataclass(frozen=True)
class JobQueue:
    """An app's Huey instance and its one task: run a job by id."""

    huey: Huey
    run: TaskWrapper


def jobs_url(app: Flask) -> str:
    """`JOBS_URL`, or by default an SQLite file in the instance folder."""
    url = str(app.config.get("JOBS_URL") or os.environ.get("JOBS_URL", "")).strip()
    if url:
        return url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(app.instance_path) / "jobs.sqlite3")


def make_huey(url: str, name: str = QUEUE_NAME) -> Huey:
    """A Huey instance keeping its queue where `url` says; SystemExit naming the setting."""
    if url == IMMEDIATE:
        return MemoryHuey(name, immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url)
    if url.startswith("sqlite:///"):
        return SqliteHuey(name, filename=url[len("sqlite:///") :])
    raise SystemExit(
        f"JOBS_URL must be redis://host:port/db or sqlite:///path/to/file, not {url!r}"
    )


def init_app(app: Flask) -> None:
    """Give the app its queue, with the task that runs a job inside the app."""
    huey = make_huey(jobs_url(app), app.config.get("JOBS_QUEUE_NAME", QUEUE_NAME))
    lease = float(app.config.get("JOBS_LEASE_SECONDS", jobs.LEASE_SECONDS))

    @huey.task(name="run_job")  # type: ignore[misc]
    def run(job_id: int) -> None:
        with app.app_context():
            jobs.run_job(job_id)

    @huey.periodic_task(crontab(minute="*"), name="fail_stale_jobs")  # type: ignore[misc]
    def fail_stale() -> None:
        with app.app_context():
            jobs.fail_stale_jobs(lease)
            db.session.commit()

    app.extensions["job_queue"] = JobQueue(huey, run)


def queue() -> JobQueue:
    """The current app's queue."""
    found: JobQueue = current_app.extensions["job_queue"]
    return found


def enqueue(job: jobs.Job) -> None:
    """Put a committed job on the queue for a worker."""
    queue().run(job.id)


def consumer(workers: int = 2, **options: Any) -> Any:
    """A Huey consumer of this app's queue, with threads as its workers."""
    return queue().huey.create_consumer(workers=workers, worker_type="thread", **options)
