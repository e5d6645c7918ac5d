"""The queue that carries jobs from the web to a worker: Huey, on Redis or an SQLite file.

`JOBS_URL` chooses where the queue is kept: `redis://host:6379/0` in production (web servers
and workers on several machines), by default an SQLite file in the instance folder, which needs
no other service. A queued task carries only a job's id; the job itself, with its input, is in
the database (`common.jobs`). `flask jobs worker` runs a Huey consumer in the app.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

from common import jobs
from common.database import db, utcnow

QUEUE_NAME = "csp-jobs"
IMMEDIATE = "immediate"  # tests: a task runs as it is enqueued, in the enqueuing thread


@dataclass(frozen=True)
class JobQueue:
    """An app's Huey instance, its task that runs a job by id, and its scheduled jobs."""

    huey: Huey
    run: TaskWrapper
    scheduled: dict[str, TaskWrapper] = field(default_factory=dict)


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


def check_schedule(name: str, when: str) -> crontab:
    """A crontab line (minute hour day month weekday), refused at start-up naming the setting."""
    fields = when.split()
    if len(fields) != 5:
        raise SystemExit(
            f"{name} must be a crontab line of five fields (minute hour day month weekday), "
            f"such as '30 2 * * *', not {when!r}"
        )
    try:
        schedule = crontab(*fields, strict=True)
    except (ValueError, TypeError):
        raise SystemExit(f"{name}: {when!r} is not a crontab line Huey can read") from None
    return schedule


def schedule_job(
    app: Flask,
    kind: str,
    when: str,
    title: str,
    params: Callable[[], dict[str, Any]],
    setting: str = "schedule",
) -> TaskWrapper:
    """Run a job of `kind` on the crontab line `when`, as a Job row officers can see.

    Every worker's scheduler puts the task on the queue, so with several workers (or machines)
    the first to take it for a time claims that minute in the queue's store; the rest do nothing.
    `params` is called in the app, when the job is made, to read its settings; `setting`
    names where `when` came from, for the message that refuses it.
    """
    found = queue_of(app)
    schedule = check_schedule(setting, when)

    @found.huey.periodic_task(schedule, name=f"scheduled_{kind}")  # type: ignore[misc]
    def scheduled() -> int | None:
        with app.app_context():
            return run_scheduled(found.huey, kind, title, params())

    found.scheduled[kind] = scheduled
    return scheduled  # type: ignore[no-any-return]


def every_minute(app: Flask, name: str, work: Callable[[], object]) -> TaskWrapper:
    """Do `work` in the app each minute, on one worker only (the first to claim the minute in
    the queue's store), as upkeep rather than a job officers see."""
    found = queue_of(app)

    @found.huey.periodic_task(crontab(minute="*"), name=name)  # type: ignore[misc]
    def upkeep() -> None:
        minute = utcnow().strftime("%Y-%m-%dT%H:%M")
        if not found.huey.put_if_empty(f"{name}:{minute}", "taken"):
            return
        with app.app_context():
            work()

    found.scheduled[name] = upkeep
    return upkeep  # type: ignore[no-any-return]


def run_scheduled(huey: Huey, kind: str, title: str, params: dict[str, Any]) -> int | None:
    """Make and do a scheduled job, once per minute across every worker; its id, or None when
    another worker already took this minute's."""
    minute = utcnow().strftime("%Y-%m-%dT%H:%M")
    if not huey.put_if_empty(f"scheduled:{kind}:{minute}", "taken"):
        return None
    job = jobs.new_job(kind, title, params)
    db.session.commit()
    jobs.run_job(job.id)
    return job.id


def queue_of(app: Flask) -> JobQueue:
    """An app's queue (outside a request or command)."""
    found: JobQueue = app.extensions["job_queue"]
    return found


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
