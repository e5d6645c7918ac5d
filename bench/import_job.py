"""Benchmark: a 50,000-row CSV import through the browser's path, as a job, under gunicorn.

Not a test: it prints figures. It builds a fresh database (migrations and the demo: its
consultation, accounts, audit and strategy), writes a CSV of N responses to the demo
consultation (its 64 exported responses repeated, references left blank so each row is a
new response, trimmed to fit the 8 MB upload limit: see `big_file`), then starts gunicorn
(`app:create_app()`, 2 sync workers, gunicorn's default 30 s timeout) and `flask jobs
worker` on the queue at JOBS_URL. As an officer it uploads the file on the import page,
timing that request (the target: under 1 s, the import being the job's), follows the
redirect to the job page and reads it every half second until the job has finished. It
prints the upload request's time, the job's own time from its started and finished
timestamps (rows per second), and the time from upload to a finished job page; then checks
the database holds exactly N more responses.

    .venv/bin/python bench/import_job.py [--rows 50000] [--backend postgresql|sqlite]

Databases: BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/csp_bench)
with `_import_job` added to its name, or an SQLite file under bench/data; the queue:
BENCH_JOBS_URL (default redis://127.0.0.1:6379/14). The database is dropped and rebuilt,
so never point it at anything you want to keep.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SLUG = "community-safety-strategy"
OFFICER = ("officer@example.org", "demo-officer-password")
PORT = 8731


def database(backend: str) -> str:
    """A fresh, empty database for the run."""
    if backend == "sqlite":
        path = ROOT / "bench" / "data" / "import-job.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = sa.make_url(
        os.environ.get(
            "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/csp_bench"
        )
    )
    name = f"{server.database or 'csp_bench'}_import_job"
    engine = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


# The upload limit is 8 MB: 50,000 rows of the demo's answers fit in it only without the
# officers' theme codes and submission times, and with half of the matrix question's rows and
# the free text cut short, about 150 bytes a row.
DROPPED = ("reference", "submitted_at", "worries_themes")
MATRIX_ROWS_KEPT = 4
TEXT_KEPT = 20  # characters of each free-text answer


def big_file(env: dict[str, str], rows: int, out: Path) -> bytes:
    """The demo's responses, exported, repeated to `rows` rows, each to be a new response."""
    flask(env, "responses", "export", SLUG, "--out", str(out))
    reader = csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    header, *body = list(reader)
    matrix = [i for i, name in enumerate(header) if name.startswith("priority_support/")]
    kept = [
        i
        for i, name in enumerate(header)
        if name not in DROPPED and (i not in matrix or i in matrix[:MATRIX_ROWS_KEPT])
    ]
    texts = {header.index("worries"), header.index("hear_about/other")}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header[i] for i in kept])
    for number in range(rows):
        row = body[number % len(body)]
        writer.writerow([row[i][:TEXT_KEPT] if i in texts else row[i] for i in kept])
    return buffer.getvalue().encode("utf-8")


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    options = parser.parse_args()
    url = database(options.backend)
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "INSECURE_COOKIES": "1",
        "JOBS_URL": os.environ.get("BENCH_JOBS_URL", "redis://127.0.0.1:6379/14"),
        "SIGN_IN_RATE_LIMIT": "1000 per minute",
    }
    flask(env, "db", "upgrade")
    flask(env, "demo")
    with tempfile.TemporaryDirectory() as folder:
        data = big_file(env, options.rows, Path(folder) / "demo.csv")
    engine = sa.create_engine(url)
    count = sa.text("SELECT count(*) FROM response")
    with engine.connect() as conn:
        before = conn.scalar(count)
    print(f"{options.backend}: {options.rows:,} rows, {len(data) / 1e6:.1f} MB of CSV")
    gunicorn = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{PORT}",
        "app:create_app()",
    ]
    worker = [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", "--workers", "1"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    consumer = subprocess.Popen(worker, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        run(f"http://127.0.0.1:{PORT}", data, options.rows)
    finally:
        server.terminate()
        consumer.terminate()
        server.wait(30)
        consumer.wait(60)
    with engine.connect() as conn:
        added = conn.scalar(count) - before
        started, finished = conn.execute(
            sa.text("SELECT started_at, finished_at FROM job ORDER BY id DESC LIMIT 1")
        ).one()
    if isinstance(started, str):  # SQLite gives the stored text
        started, finished = dt.datetime.fromisoformat(started), dt.datetime.fromisoformat(finished)
    seconds = (finished - started).total_seconds()
    print(f"job's own time: {seconds:.1f} s, {options.rows / seconds:,.0f} rows per second")
    print(f"responses stored: {added:,} ({'as expected' if added == options.rows else 'WRONG'})")


def run(base: str, data: bytes, rows: int) -> None:
    client = httpx.Client(base_url=base, timeout=60)
    for _ in range(100):
        try:
            client.get("/health")
            break
        except httpx.TransportError:
            time.sleep(0.1)
    sign_in = client.get("/sign-in").text
    email, password = OFFICER
    client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": token(sign_in)}
    )
    form = client.get(f"/officers/consultations/{SLUG}/import").text
    start = time.perf_counter()
    upload = client.post(
        f"/officers/consultations/{SLUG}/import",
        data={"channel": "paper", "csrf_token": token(form)},
        files={"file": ("big.csv", data, "text/csv")},
    )
    answered = time.perf_counter() - start
    assert upload.status_code == 303, upload.status_code
    job_page = upload.headers["Location"]
    print(
        f"upload request answered in {answered * 1000:.0f} ms ({upload.status_code} to {job_page})"
    )
    steps: list[str] = []
    while True:
        shown = client.get(job_page).text
        step = re.search(r'id="progress">([^<]*)<', shown)
        if step and (not steps or steps[-1] != step.group(1)):
            steps.append(step.group(1))
            print(f"  {time.perf_counter() - start:6.1f} s  {step.group(1)}")
        if 'http-equiv="refresh"' not in shown:
            break
        time.sleep(0.5)
    total = time.perf_counter() - start
    outcome = re.search(r'govuk-panel__body">\s*([^<]*)<', shown)
    said = html.unescape(outcome.group(1).strip()) if outcome else "FAILED: " + shown[:2000]
    print(f"job page finished after {total:.1f} s: {said}")
    print(f"upload to finished page: {rows / total:,.0f} rows per second")


if __name__ == "__main__":
    main()
