"""`flask jobs worker`, and how the other commands run their job and print what came of it.

A command stores its job like the officers' pages do, then does it itself, here, rather than
waiting for a worker: the command line works with no worker running, and prints the job's
progress (on a terminal), its result or every problem, as the job page shows them.
"""

from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from common import jobs
from common.database import db
from common.display import number
from common.job_queue import consumer, jobs_url
from common.jobs import Job, JobState

jobs_cli = click.Group("jobs", help="Run the worker that does imports, builds and suggestions.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs done at once (threads).")
@with_appcontext
def worker_command(workers: int) -> None:
    """Do queued jobs until stopped (Ctrl-C; SIGTERM lets running jobs finish first)."""
    lease = float(current_app.config.get("JOBS_LEASE_SECONDS", jobs.LEASE_SECONDS))
    stale = jobs.fail_stale_jobs(lease)
    db.session.commit()
    if stale:
        click.echo(f"Marked {number(stale)} job(s) failed: their worker stopped before the end")
    click.echo(f"Worker doing jobs from {_shown(jobs_url(current_app))}", err=True)
    if not logging.getLogger().handlers:  # say what each job is, as it starts and ends
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer(workers, graceful_signal="TERM").run()


@jobs_cli.command("show")
@click.argument("job_id", type=int)
@with_appcontext
def show_job(job_id: int) -> None:
    """Print job JOB_ID's state, step, result and problems."""
    job = jobs.job_by_id(job_id)
    if job is None:
        raise click.ClickException(f"No job {job_id}")
    click.echo(f"{job.title}: {job.state}")
    if not job.finished:
        click.echo(_progress_line(job.step, job.rows_done, job.rows_total))
    if job.summary:
        click.echo(job.summary)
    for problem in job.problems:
        click.echo(f"  {problem['text']}")


def run_here(job: Job) -> Job:
    """Do a job stored (and committed) by a command, printing its progress on a terminal."""
    echo = _echo_progress if sys.stderr.isatty() else None
    done = jobs.run_job(job.id, echo)
    if done is None:  # cannot happen to a job just stored, unless a worker took it
        raise click.ClickException(f"Job {job.id} was taken by a worker: see `flask jobs show`")
    return done


def report(job: Job, prefix: str) -> None:
    """Print a finished job's result; or its problems, one a line, and fail in one line."""
    if job.state == JobState.DONE:
        click.echo(job.summary)
        return
    if len(job.problems) > 1:
        for problem in job.problems:
            click.echo(f"{prefix}: {problem['text']}", err=True)
        raise click.ClickException(f"{job.summary} (listed above)")
    raise click.ClickException(job.summary)


_last_line = [""]


def _echo_progress(step: str, done: int, total: int | None) -> None:
    line = _progress_line(step, done, total)
    if line != _last_line[0]:
        _last_line[0] = line
        click.echo(f"\r{line}\033[K", nl=False, err=True)
        if total is not None and done == total:
            click.echo(err=True)


def _progress_line(step: str, done: int, total: int | None) -> str:
    if total is None:
        return f"{step}..."
    return f"{step}: {number(done)} of {number(total)} rows"


def _shown(url: str) -> str:
    """A queue's address without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://...@{rest.rsplit('@', 1)[1]}"
    return url
