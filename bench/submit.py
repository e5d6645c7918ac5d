"""Benchmark: residents' online submissions under gunicorn, on SQLite and on PostgreSQL.

Not a test: it prints figures. For each backend it builds a fresh database (migrations, then
the demo consultation), starts gunicorn on 127.0.0.1 and, from concurrent clients (each a
process with its own httpx client, so that the load generator is not serialised on one GIL):

0. gives the consultation earlier responses (--earlier, default 10,000: one open for a while,
   its PostgreSQL tables analysed as autovacuum would have; 0 measures a fresh database);
1. prepares one resident draft per submission by walking the journey as a browser would
   (question pages, answers, check page), each in its own cookie jar; not timed, but its
   page latencies are reported as extra information;
2. ceiling: all clients hammer the trivial GET /health endpoint, for the same server's
   requests per second;
3. timed: every client fires its prepared final POST /check submissions one after another,
   all clients at once; a submission is acknowledged by a 302 to the confirmation page;
4. ceiling again, so that the timed phase is bracketed (the machine may be shared); the
   ratio uses the higher of the two;
5. reads each acknowledged submission's reference from its confirmation page (not timed);
6. verifies against the database directly that every acknowledged submission is stored
   exactly once, with the reference the resident was shown, and that nothing else was added.

It also reports the CPU time per request of the gunicorn workers, of the PostgreSQL backends
and of the load generator, and the share of the machine used by anything else meanwhile: on
a small shared machine the clients compete with the server, and these figures say how.

Targets (from the issue): submissions per second at least 30% of the /health ceiling, p99
latency under 150 ms, nothing lost or doubled. Exits 1 when anything is lost, doubled,
unexpected or a request failed; missed performance targets are reported, not fatal.

Two rate-limit modes. By default all clients share 127.0.0.1 and the per-address submission
limit is raised (SUBMISSION_RATE_LIMIT=100000 per minute) so that the figures measure the
service, not the limiter. With --production-limits the app keeps its production setting
("30 per minute; 300 per hour" per client address, memory:// storage, so counted in each
gunicorn worker separately) and each client connects from its own loopback address
(127.0.0.2, 127.0.0.3, ...; --addresses N shares N of them between the clients, as residents
behind one library or mobile-network address would): gunicorn gives the app the socket's peer
address as REMOTE_ADDR (there is no ProxyFix), which is what the limiter counts. A refusal
(429) is then an expected answer, not an error: it is counted, its draft must still be there
(the resident's answers are kept) and nothing may be stored for it.

    .venv/bin/python bench/submit.py --backend both
    .venv/bin/python bench/submit.py --backend both --production-limits
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench (the default)

The PostgreSQL database is created if missing and its `public` schema is dropped and rebuilt:
never point BENCH_DATABASE_URL at a database holding anything you want to keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import multiprocessing as mp
import os
import platform
import queue
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import results as loader  # noqa: E402  (bench/results.py: its responses, for the earlier ones)

from survey import demo  # noqa: E402
from survey.models import Answer, Draft, Question, Response  # noqa: E402
from survey.questions import AGREEMENT_SCALE, LIKERT_SCALE, OTHER_LABEL  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}
SLUG = demo.SLUG
TARGET_RATIO = 0.30
TARGET_P99_MS = 150.0
REQUEST_TIMEOUT = 30.0  # seconds, per request
PHASE_LIMIT = 600.0  # seconds, per phase; loops stop (and count as failed) beyond it
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE_RE = re.compile(r'class="app-reference">([^<]+)<')

# --- the client processes -----------------------------------------------------------------


def _answer(key: str, rng: random.Random) -> dict[str, Any]:
    """Form data a resident might post for one of the demo consultation's questions."""
    if key == "agree_priorities":
        return {"answer": rng.choice(AGREEMENT_SCALE)}
    if key == "priority_support":
        return {f"row-{i}": rng.choice(LIKERT_SCALE) for i in range(len(demo.PRIORITIES))}
    if key == "worries":
        return {"answer": rng.choice(demo.WORRIES) if rng.random() < 0.8 else ""}
    if key == "feel_safe":
        return {"answer": rng.choice(LIKERT_SCALE)}
    if key == "hear_about":
        data: dict[str, Any] = {"answer": rng.sample(demo.HEAR_ABOUT, rng.randint(1, 2))}
        if rng.random() < 0.1:
            data["answer"].append(OTHER_LABEL)
            data["other"] = "Parish magazine"
        return data
    if key == "area":
        return {"answer": rng.choice(demo.AREAS)}
    if key == "age_band":
        return {"answer": rng.choice(demo.AGE_BANDS)}
    raise RuntimeError(f"the benchmark does not know how to answer question '{key}'")


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    if match is None:
        raise RuntimeError("page has no CSRF token")
    return match.group(1)


def _timed(lat: list[float], send: Any, *args: Any, **kw: Any) -> httpx.Response:
    start = time.perf_counter()
    response = send(*args, **kw)
    lat.append((time.perf_counter() - start) * 1000)
    return response


def _prepare(client: httpx.Client, rng: random.Random, lat: list[float]) -> tuple[str, str]:
    """Walk one resident's journey up to the check page in a fresh cookie jar.

    Returns the session cookie (which holds the draft token) and the check page's CSRF token.
    """
    client.cookies.clear()
    url = f"/consultations/{SLUG}/questions/agree_priorities"
    for _ in range(50):  # bounded: the demo has 7 questions
        page = _timed(lat, client.get, url)
        if page.status_code != 200:
            raise RuntimeError(f"GET {url} gave {page.status_code}")
        key = url.rsplit("/", 1)[1]
        data = _answer(key, rng) | {"csrf_token": _csrf(page.text)}
        sent = _timed(lat, client.post, url, data=data)
        if sent.status_code != 302:
            raise RuntimeError(f"POST {url} gave {sent.status_code}, not a redirect")
        url = sent.headers["location"]
        if url.endswith(f"/consultations/{SLUG}/check"):
            break
    else:
        raise RuntimeError("the journey did not reach the check page")
    check = _timed(lat, client.get, url)
    if check.status_code != 200:
        raise RuntimeError(f"GET {url} gave {check.status_code}")
    cookie = client.cookies.get("session")
    if cookie is None:
        raise RuntimeError("no session cookie (is the cookie Secure on plain http?)")
    return cookie, _csrf(check.text)


def server_cpu(server_pgid: int, db_marker: str | None) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn process group and, for PostgreSQL, by the
    backends serving the benchmark database (Linux /proc; zeros elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    app = db = 0
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            used = int(fields[11]) + int(fields[12])  # utime + stime
            if int(fields[2]) == server_pgid:
                app += used
            elif (
                db_marker
                and "postgres" in stat[: stat.rindex(")")]
                and db_marker in (entry / "cmdline").read_text(errors="replace")
            ):
                db += used
        except (OSError, ValueError, IndexError):
            continue
    busy = steal = iowait = 0
    try:  # the whole machine: user, nice, system, irq, softirq, steal
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        busy = sum(int(fields[i]) for i in (0, 1, 2, 5, 6, 7))
        steal, iowait = int(fields[7]), int(fields[4])
    except (OSError, ValueError, IndexError):
        pass
    return {
        "app": app / tick,
        "db": db / tick,
        "machine": busy / tick,
        # Time the hypervisor gave this machine's CPUs to others, and time they sat idle
        # with a disk write or read outstanding: what a shared machine does to a run.
        "steal": steal / tick,
        "iowait": iowait / tick,
    }


def _sync(barrier: Any, cfg: dict[str, Any], out: dict[str, Any], label: str) -> None:
    """Wait for every client; one of them notes the time and the server's CPU so far."""
    if barrier.wait(cfg["barrier_timeout"]) == 0:
        cpu = server_cpu(cfg["server_pgid"], cfg["db_marker"])
        out["marks"].append({"label": label, "time": time.monotonic(), **cpu})
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["client_cpu"][label] = usage.ru_utime + usage.ru_stime


def _ceiling(
    client: httpx.Client, cfg: dict[str, Any], barrier: Any, out: dict[str, Any], phase: str
) -> None:
    """All clients at once: GET /health, for the server's ceiling on a trivial endpoint."""
    lat: list[float] = []
    _sync(barrier, cfg, out, phase)
    out[f"{phase}_start"] = time.monotonic()
    limit = out[f"{phase}_start"] + PHASE_LIMIT
    for _ in range(cfg["health_requests"]):
        if time.monotonic() > limit:
            out["errors"].append("health phase ran out of time")
            break
        response = _timed(lat, client.get, "/health")
        if response.status_code != 200:
            out["errors"].append(f"GET /health gave {response.status_code}")
    out[f"{phase}_end"] = time.monotonic()
    out[f"{phase}_latency"] = lat


def client_main(cfg: dict[str, Any], index: int, barrier: Any, results: Any) -> None:
    """One concurrent client: ceiling, preparation, timed submissions, confirmations."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    signer = Flask("bench")
    signer.secret_key = cfg["secret_key"]
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    rng = random.Random(cfg["seed"] * 1000 + index)
    out: dict[str, Any] = {
        "index": index,
        "errors": [],
        "marks": [],
        "client_cpu": {},
    }
    check_url = f"/consultations/{SLUG}/check"
    # Its own source address when the limiter is to see one client per address (production).
    transport = httpx.HTTPTransport(local_address=cfg["local_address"])
    out["local_address"] = cfg["local_address"]
    with httpx.Client(
        base_url=cfg["base_url"],
        timeout=REQUEST_TIMEOUT,
        follow_redirects=False,
        transport=transport,
    ) as client:
        # 1. Preparation (not timed): one draft per submission, each in its own cookie jar.
        _sync(barrier, cfg, out, "prepare")
        lat: list[float] = []
        prepared = []
        journeys = []
        out["prepare_start"] = time.monotonic()
        limit = out["prepare_start"] + PHASE_LIMIT
        for _ in range(cfg["submissions"]):
            if time.monotonic() > limit:
                raise RuntimeError("preparation ran out of time")
            start = time.perf_counter()
            cookie, csrf = _prepare(client, rng, lat)
            journeys.append((time.perf_counter() - start) * 1000)
            token = serializer.loads(cookie)["drafts"][SLUG]
            prepared.append((cookie, csrf, token))
        out["prepare_end"] = time.monotonic()
        out["page_latency"] = lat
        out["journey_ms"] = journeys

        # No garbage collection in the clients while they measure: 16 processes in lockstep
        # reached a full collection together, which on 2 cores stalled every request for up to
        # a second (a p99 of 200-470 ms that was the load generator's, not the server's). What
        # they allocate from here on is small and bounded.
        gc.collect()
        gc.disable()

        # 2. Ceiling, just before the timed phase: GET /health.
        _ceiling(client, cfg, barrier, out, "health_before")

        # 3. Timed: the final POST /check of every prepared draft, one after another.
        _sync(barrier, cfg, out, "submit")
        lat = []
        sent_at: list[float] = []
        done = []
        refused: list[str] = []
        statuses: list[int] = []
        out["submit_start"] = time.monotonic()
        limit = out["submit_start"] + PHASE_LIMIT
        for cookie, csrf, token in prepared:
            if time.monotonic() > limit:
                out["errors"].append("submission phase ran out of time")
                break
            client.cookies.clear()
            started = time.monotonic()
            try:
                response = _timed(
                    lat,
                    client.post,
                    check_url,
                    data={"csrf_token": csrf},
                    headers={"Cookie": f"session={cookie}"},
                )
            except httpx.HTTPError as exc:
                out["errors"].append(f"POST /check failed: {exc!r}")
                continue
            sent_at.append(started)
            statuses.append(response.status_code)
            location = response.headers.get("location", "")
            if response.status_code == 302 and location.endswith(f"/{SLUG}/confirmation"):
                # The client's jar, emptied before the request, holds the cookie just set;
                # `response.cookies` would parse the Set-Cookie header a second time.
                done.append((token, client.cookies.get("session")))
            elif response.status_code == 429 and cfg["production_limits"]:
                refused.append(token)  # the limiter's answer; the draft must be kept
            else:
                out["errors"].append(f"POST /check gave {response.status_code} -> {location}")
        out["submit_end"] = time.monotonic()
        out["submit_latency"] = lat
        out["submit_sent_at"] = sent_at
        out["submit_status"] = statuses
        out["refused"] = refused

        # 4. Ceiling again, just after: the machine is shared, so bracket the timed phase.
        _ceiling(client, cfg, barrier, out, "health_after")

        # 5. Not timed: the reference each acknowledged resident is shown.
        _sync(barrier, cfg, out, "confirm")
        gc.enable()
        acknowledged = []
        for token, cookie in done:
            client.cookies.clear()
            reference = None
            try:
                page = client.get(
                    f"/consultations/{SLUG}/confirmation", headers={"Cookie": f"session={cookie}"}
                )
                match = REFERENCE_RE.search(page.text) if page.status_code == 200 else None
                reference = match.group(1) if match else None
            except httpx.HTTPError as exc:
                out["errors"].append(f"GET confirmation failed: {exc!r}")
            acknowledged.append((token, reference))  # None: flagged by the verification
        out["acknowledged"] = acknowledged
    results.put(out)


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(url: str, secret_key: str, production_limits: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FLASK_DEBUG", None)  # production mode, as deployed
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=secret_key,
        # Plain http on loopback: without this, production mode marks the session cookie
        # Secure and a client would (rightly) never send it back.
        INSECURE_COOKIES="1",
    )
    if production_limits:
        # The app's own defaults, whatever this shell says: the production settings.
        env.pop("SUBMISSION_RATE_LIMIT", None)
        env.pop("RATELIMIT_STORAGE_URI", None)
    else:
        # All 16 clients share 127.0.0.1, so the production per-address submission limit
        # would measure the limiter, not the service: raised here unless the caller sets it.
        env.setdefault("SUBMISSION_RATE_LIMIT", "100000 per minute")
    return env


def flask_cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def start_gunicorn(
    args: argparse.Namespace, env: dict[str, str], port: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    command.append("app:create_app()")
    # Why 4 sync workers by default, on 2 cores: a submission is CPU-bound Python (Flask,
    # SQLAlchemy) with short waits on the database, so threads in one worker mostly queue on
    # its GIL. On this machine gthread (2x4 and 4x2 threads) gave similar throughput but a p99
    # of 130-190 ms against 45-75 ms for sync; 2 to 6 sync workers were within the noise of
    # each other, and 4 (two per core, as the README deploys) lets one worker run while
    # another waits on PostgreSQL or the SQLite write lock.
    # Its own process group, so that stopping it stops every worker and nothing else.
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(proc: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{_tail(log)}")
        try:
            if httpx.get(base_url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /health within 60 s:\n{_tail(log)}")


def stop_gunicorn(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass


def _tail(log: Path) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    except OSError:
        return "(no log)"


# --- databases ------------------------------------------------------------------------------


def pg_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "").strip() or DEFAULT_PG_URL


def reset_postgres(url: str) -> None:
    """Create the benchmark database if missing, then give it an empty `public` schema."""
    import psycopg
    from psycopg import sql

    parsed = sa.engine.make_url(url)
    name = parsed.database or ""
    if not name or name in PROTECTED_DATABASES:
        raise SystemExit(f"refusing to use database '{name}' for the benchmark: pick another")
    params = {
        "host": parsed.host or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": parsed.username,
        "password": parsed.password,
    }
    params = {k: v for k, v in params.items() if v is not None}
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if found.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with psycopg.connect(dbname=name, autocommit=True, **params) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
    except psycopg.OperationalError as exc:
        raise SystemExit(
            f"PostgreSQL for the benchmark is not reachable ({exc}); set BENCH_DATABASE_URL "
            "or run with --backend sqlite"
        ) from None


def add_earlier_responses(engine: sa.Engine, count: int, backend: str) -> None:
    """Give the demo consultation `count` earlier responses, as one open for a while has.

    The responses and answers are bench/results.py's (the demo's questions, realistic shares,
    free texts from the demo's worries), bulk inserted. On PostgreSQL the tables are then
    ANALYZEd, as autovacuum would have done by then: without statistics the planner reads a
    small table sequentially, and the foreign-key checks of every answer kept that plan while
    the benchmark's submissions grew the table sixteenfold in a few seconds. SQLite has no
    automatic ANALYZE and gets none.
    """
    if count <= 0:
        return
    with engine.begin() as conn:
        cid = conn.scalar(sa.text("SELECT id FROM consultation WHERE slug = :s"), {"s": SLUG})
        questions = {
            key: Question(id=qid)
            for qid, key in conn.execute(
                sa.select(Question.id, Question.key).where(Question.consultation_id == cid)
            )
        }
        response_shift = conn.scalar(sa.select(sa.func.max(Response.id))) or 0
        answer_shift = conn.scalar(sa.select(sa.func.max(Answer.id))) or 0
        # Its theme codes are not written (the demo has no themes yet): any two ids will do.
        for rows_r, rows_a, _codes, _themes in loader._plan(count, questions, [0, 1]):
            conn.execute(
                sa.insert(Response),
                [
                    {
                        "id": rid + response_shift,
                        "consultation_id": cid,
                        "reference": reference,
                        "submitted_at": at,
                        "channel": channel,
                    }
                    for rid, reference, at, channel in rows_r
                ],
            )
            conn.execute(
                sa.insert(Answer),
                [
                    {
                        "id": aid + answer_shift,
                        "response_id": rid + response_shift,
                        "question_id": qid,
                        "row": row,
                        "option": option,
                        "text": text,
                    }
                    for aid, rid, qid, row, option, text in rows_a
                ],
            )
        if backend == "postgresql":
            for table in ("response", "answer"):
                conn.execute(
                    sa.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
    if backend == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))


def online_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(
                sa.select(sa.func.count()).select_from(Response).where(Response.channel == "online")
            )
            or 0
        )


def verify(
    engine: sa.Engine,
    before: int,
    acknowledged: list[tuple[str, str | None]],
    refused: list[str],
) -> dict:
    """Check in the database that each acknowledged submission is stored exactly once, and
    that each refused one (429, production limits) stored nothing and kept its draft."""
    tokens = [token for token, _ in acknowledged]
    shown = dict(acknowledged)
    with engine.connect() as conn:
        total = conn.scalar(sa.select(sa.func.count()).select_from(Response)) or 0
        references = conn.scalar(sa.select(sa.func.count(sa.distinct(Response.reference)))) or 0
        twice = conn.scalars(
            sa.select(Response.submission_token)
            .where(Response.submission_token.is_not(None))
            .group_by(Response.submission_token)
            .having(sa.func.count() > 1)
        ).all()
        stored = {
            token: reference
            for token, reference in conn.execute(
                sa.select(Response.submission_token, Response.reference).where(
                    Response.submission_token.is_not(None), Response.channel == "online"
                )
            )
        }
        empty = conn.scalar(
            sa.select(sa.func.count())
            .select_from(Response)
            .where(
                Response.submission_token.is_not(None),
                ~sa.exists().where(Answer.response_id == Response.id),
            )
        )
        drafts_left = (
            conn.scalar(
                sa.select(sa.func.count()).select_from(Draft).where(Draft.token.in_(tokens))
            )
            if tokens
            else 0
        )
        refused_drafts = (
            conn.scalar(
                sa.select(sa.func.count()).select_from(Draft).where(Draft.token.in_(refused))
            )
            if refused
            else 0
        )
    after = online_count(engine)
    lost = [t for t in tokens if t not in stored]
    wrong_reference = [t for t in tokens if t in stored and shown[t] != stored[t]]
    return {
        "acknowledged": len(tokens),
        "acknowledged_distinct": len(set(tokens)),
        "online_added": after - before,
        "lost": len(lost),
        "doubled_tokens": len(twice),
        "duplicate_references": total - references,
        "unexpected": (after - before) - (len(tokens) - len(lost)),
        "wrong_reference_shown": len(wrong_reference),
        "without_answers": int(empty or 0),
        "drafts_left": int(drafts_left or 0),
        "refused": len(refused),
        "refused_stored": sum(1 for t in refused if t in stored),
        "refused_drafts_kept": int(refused_drafts or 0),
    }


def integrity_ok(check: dict[str, int]) -> bool:
    return (
        check["acknowledged"] == check["acknowledged_distinct"] == check["online_added"]
        and check["lost"] == 0
        and check["doubled_tokens"] == 0
        and check["duplicate_references"] == 0
        and check["unexpected"] == 0
        and check["wrong_reference_shown"] == 0
        and check["without_answers"] == 0
        and check["drafts_left"] == 0
        and check["refused_stored"] == 0
        and check["refused_drafts_kept"] == check["refused"]
    )


# --- running one backend ----------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile by nearest rank (an observed value), in the values' unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def client_address(args: argparse.Namespace, index: int) -> str | None:
    """The loopback address a client connects from: its own with --production-limits (or
    one of --addresses, shared round robin), else the default (127.0.0.1)."""
    if not args.production_limits:
        return None
    return f"127.0.0.{2 + index % args.addresses}"


def run_clients(
    args: argparse.Namespace,
    base_url: str,
    secret_key: str,
    server_pgid: int,
    db_marker: str | None,
) -> list[dict]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(args.clients)
    results = ctx.Queue()
    per_client = [
        args.submissions // args.clients + (1 if i < args.submissions % args.clients else 0)
        for i in range(args.clients)
    ]
    health_per_client = max(1, args.health_requests // args.clients)
    procs = []
    for index, count in enumerate(per_client):
        cfg = {
            "local_address": client_address(args, index),
            "production_limits": args.production_limits,
            "base_url": base_url,
            "secret_key": secret_key,
            "seed": args.seed,
            "submissions": count,
            "health_requests": health_per_client,
            "barrier_timeout": PHASE_LIMIT + 120,
            "server_pgid": server_pgid,
            "db_marker": db_marker,
        }
        proc = ctx.Process(target=client_main, args=(cfg, index, barrier, results), daemon=True)
        proc.start()
        procs.append(proc)
    collected: list[dict] = []
    deadline = time.monotonic() + 4 * (PHASE_LIMIT + 120)
    try:
        while len(collected) < len(procs):
            if time.monotonic() > deadline:
                raise RuntimeError("clients did not finish in time")
            try:
                collected.append(results.get(timeout=1))
                continue
            except queue.Empty:
                pass
            failed = [p for p in procs if p.exitcode not in (None, 0)]
            if failed:
                barrier.abort()
                raise RuntimeError(f"{len(failed)} client process(es) failed (see above)")
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
    return collected


class DiskProbe(threading.Thread):
    """Times a small synchronous write (4 KiB, then fdatasync) to a file every 0.1 s.

    A commit waits for such a write: PostgreSQL's on every commit, SQLite's at a checkpoint.
    On a shared machine the disk's latency can jump for a moment, and every submission in
    flight then waits with it; the probe tells such a moment from the service's own time.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.samples: list[tuple[float, float]] = []  # (monotonic start, ms)
        self._stop_event = threading.Event()

    def run(self) -> None:
        block = os.urandom(4096)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while not self._stop_event.wait(0.1):
                start = time.monotonic()
                os.pwrite(fd, block, 0)
                os.fdatasync(fd)
                self.samples.append((start, (time.monotonic() - start) * 1000))
        finally:
            os.close(fd)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)


def _slowest(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The slowest 1% of submissions: when they were sent, and whether they were all in
    flight at one moment (one stall shared by all) or spread through the phase."""
    start = min(r["submit_start"] for r in results)
    timed = sorted(
        (
            (ms, sent - start)
            for r in results
            for ms, sent in zip(r["submit_latency"], r["submit_sent_at"], strict=True)
        ),
        reverse=True,
    )
    if not timed:
        return {}
    slowest = timed[: max(1, len(timed) // 100)]
    latest_start = max(sent for _, sent in slowest)
    earliest_end = min(sent + ms / 1000 for ms, sent in slowest)
    return {
        "count": len(slowest),
        "ms": [round(ms, 1) for ms, _ in slowest],
        "sent_s": [round(sent, 3) for _, sent in slowest],
        "first_sent_s": min(sent for _, sent in slowest),
        "last_sent_s": latest_start,
        "phase_s": max(r["submit_end"] for r in results) - start,
        "in_flight_together": latest_start < earliest_end,
    }


def _disk(samples: list[tuple[float, float]], results: list[dict[str, Any]]) -> dict[str, Any]:
    """The disk probe's writes during the timed phase, and the slowest of the whole run."""
    start = min(r["submit_start"] for r in results)
    end = max(r["submit_end"] for r in results)
    during = sorted(ms for at, ms in samples if start <= at <= end)
    slowest_during = max(
        ((ms, at - start) for at, ms in samples if start <= at <= end), default=(None, None)
    )
    return {
        "probes_timed_phase": len(during),
        "p50_ms": percentile(during, 50),
        "max_ms": slowest_during[0],
        "max_at_s": slowest_during[1],
        "max_ms_whole_run": max((ms for _, ms in samples), default=float("nan")),
    }


def summarise(
    results: list[dict],
    online_before: int,
    engine: sa.Engine,
    disk: list[tuple[float, float]],
) -> dict[str, Any]:
    def span(phase: str) -> float:
        return max(r[f"{phase}_end"] for r in results) - min(r[f"{phase}_start"] for r in results)

    def ceiling(phase: str) -> dict[str, float]:
        lat = [x for r in results for x in r[f"{phase}_latency"]]
        return {
            "requests": len(lat),
            "per_second": len(lat) / span(phase),
            "p50_ms": percentile(lat, 50),
            "p99_ms": percentile(lat, 99),
        }

    pages = [x for r in results for x in r["page_latency"]]
    journeys = [x for r in results for x in r["journey_ms"]]
    submits = [x for r in results for x in r["submit_latency"]]
    by_status = [
        (status, x)
        for r in results
        for status, x in zip(r["submit_status"], r["submit_latency"], strict=True)
    ]
    acked_lat = [x for status, x in by_status if status == 302]
    refused_lat = [x for status, x in by_status if status == 429]
    refused = [t for r in results for t in r["refused"]]
    acknowledged = [a for r in results for a in r["acknowledged"]]
    errors = [e for r in results for e in r["errors"]]
    marks = {m["label"]: m for r in results for m in r["marks"]}

    def cpu_ms(start: str, end: str, requests: int) -> dict[str, float]:
        """Server and client CPU per request over one phase, in ms: robust to a busy machine."""
        a, b = marks[start], marks[end]
        client = sum(r["client_cpu"][end] - r["client_cpu"][start] for r in results)
        app, db = b["app"] - a["app"], b["db"] - a["db"]
        # Everything else that ran meanwhile: other users of a shared machine, PostgreSQL's
        # background processes, the kernel. As a share of all CPUs over the phase.
        other = (b["machine"] - a["machine"]) - app - db - client
        capacity = (os.cpu_count() or 1) * (b["time"] - a["time"])

        def share(seconds: float) -> float:
            return max(0.0, seconds / capacity) if capacity else float("nan")

        return {
            "app_ms": app * 1000 / requests,
            "db_ms": db * 1000 / requests,
            "client_ms": client * 1000 / requests,
            "other_share": share(other),
            "steal_share": share(b["steal"] - a["steal"]),
            "iowait_share": share(b["iowait"] - a["iowait"]),
        }

    before, after = ceiling("health_before"), ceiling("health_after")
    before["cpu"] = cpu_ms("health_before", "submit", before["requests"])
    after["cpu"] = cpu_ms("health_after", "confirm", after["requests"])
    # The higher of the two brackets: the conservative ceiling for the ratio.
    top = max(before["per_second"], after["per_second"])
    rate = len(acknowledged) / span("submit")
    return {
        "health": {"ceiling_per_second": top, "before": before, "after": after},
        "submit": {
            "sent": len(submits),
            "acknowledged": len(acknowledged),
            "per_second": rate,
            "ratio_to_ceiling": rate / top,
            "p50_ms": percentile(submits, 50),
            "p99_ms": percentile(submits, 99),
            "max_ms": max(submits) if submits else float("nan"),
            "mean_ms": statistics.fmean(submits) if submits else float("nan"),
            "cpu": cpu_ms("submit", "health_after", max(1, len(submits))),
            "slowest": _slowest(results),
            "disk": _disk(disk, results),
            "refused": len(refused),
            "acknowledged_p50_ms": percentile(acked_lat, 50),
            "acknowledged_p99_ms": percentile(acked_lat, 99),
            "refused_p50_ms": percentile(refused_lat, 50),
            "refused_p99_ms": percentile(refused_lat, 99),
            "addresses": sorted(
                {r["local_address"] or "127.0.0.1" for r in results},
                key=lambda a: [int(part) for part in a.split(".")],
            ),
        },
        "journey": {
            "journeys": len(journeys),
            "page_requests": len(pages),
            "pages_per_second": len(pages) / span("prepare"),
            "page_p50_ms": percentile(pages, 50),
            "page_p99_ms": percentile(pages, 99),
            "journey_p50_ms": percentile(journeys, 50),
            "journey_p99_ms": percentile(journeys, 99),
        },
        "errors": errors,
        "integrity": verify(engine, online_before, acknowledged, refused),
    }


def run_backend(args: argparse.Namespace, backend: str, workdir: Path) -> dict[str, Any]:
    db_marker = None
    if backend == "sqlite":
        url = "sqlite:///" + str(workdir / "bench.sqlite3")
    else:
        url = pg_url()
        reset_postgres(url)
        parsed = sa.engine.make_url(url)
        # How a backend serving this database names itself in `ps` ("user database host").
        db_marker = f" {parsed.username} {parsed.database} "
    secret_key = secrets.token_urlsafe(32)
    env = server_env(url, secret_key, args.production_limits)
    print(f"[{backend}] migrating and loading the demo consultation", flush=True)
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "demo")
    engine = sa.create_engine(url)
    if args.earlier:
        print(f"[{backend}] adding {args.earlier:,} earlier responses", flush=True)
        add_earlier_responses(engine, args.earlier, backend)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / f"gunicorn-{backend}.log"
    proc = start_gunicorn(args, env, port, log)
    try:
        wait_healthy(proc, base_url, log)
        before = online_count(engine)
        print(
            f"[{backend}] gunicorn {args.worker_class} x{args.workers} on {base_url}; "
            f"{args.clients} clients: /health ceiling, then {args.submissions} journeys "
            "prepared, then their submissions timed",
            flush=True,
        )
        probe = DiskProbe(workdir / f"disk-probe-{backend}.bin")
        probe.start()
        try:
            results = run_clients(args, base_url, secret_key, proc.pid, db_marker)
        finally:
            probe.stop()
    finally:
        stop_gunicorn(proc)
    summary = summarise(results, before, engine, probe.samples)
    summary["clients"] = args.clients
    summary["earlier"] = args.earlier
    summary["production_limits"] = args.production_limits
    summary["submission_rate_limit"] = env.get(
        "SUBMISSION_RATE_LIMIT", "unset: the app's production default"
    )
    engine.dispose()
    summary["server_log_tail"] = _tail(log) if summary["errors"] else ""
    return summary


# --- report ---------------------------------------------------------------------------------


def figures_clients(figures: dict[str, dict[str, Any]]) -> int:
    return next(iter(figures.values()))["clients"]


def report(figures: dict[str, dict[str, Any]]) -> bool:
    """Print the table and the targets; True when nothing was lost, doubled or failed."""
    print()
    for backend, f in figures.items():
        s = f["submit"]
        addresses = s["addresses"]
        where = addresses[0] if len(addresses) == 1 else f"{addresses[0]}..{addresses[-1]}"
        mode = "production limits" if f["production_limits"] else "limit raised"
        print(
            f"{backend:<11}rate limit: {mode} "
            f"(SUBMISSION_RATE_LIMIT {f['submission_rate_limit']}); "
            f"{f['clients']} clients from {len(addresses)} address(es) {where}; "
            f"{f['earlier']:,} earlier responses"
        )
    print()
    head = (
        f"{'backend':<11}{'/health req/s':>14}{'submits/s':>11}{'ratio':>8}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'acked':>7}{'stored':>8}{'lost':>6}"
        f"{'doubled':>9}{'errors':>8}"
    )
    print(head)
    print("-" * len(head))
    for backend, f in figures.items():
        s, i = f["submit"], f["integrity"]
        doubled = i["doubled_tokens"] + i["duplicate_references"] + i["unexpected"]
        print(
            f"{backend:<11}{f['health']['ceiling_per_second']:>14.0f}{s['per_second']:>11.1f}"
            f"{s['ratio_to_ceiling']:>7.0%} {s['p50_ms']:>9.1f}{s['p99_ms']:>9.1f}"
            f"{s['max_ms']:>9.1f}{s['acknowledged']:>7}{i['online_added']:>8}{i['lost']:>6}"
            f"{doubled:>9}{len(f['errors']):>8}"
        )
    if any(f["production_limits"] for f in figures.values()):
        print()
        print(
            "Production limits: submissions refused with 429 (their drafts must be kept, "
            "nothing stored), and latency by answer:"
        )
        for backend, f in figures.items():
            s, i = f["submit"], f["integrity"]
            print(
                f"  {backend:<11}sent {s['sent']}, acknowledged {s['acknowledged']}, refused "
                f"{s['refused']} (stored {i['refused_stored']}, drafts kept "
                f"{i['refused_drafts_kept']}); acknowledged p50 {s['acknowledged_p50_ms']:.1f} "
                f"ms, p99 {s['acknowledged_p99_ms']:.1f} ms; refused p50 "
                f"{s['refused_p50_ms']:.1f} ms, p99 {s['refused_p99_ms']:.1f} ms"
            )
        print(
            "  (submits/s and the ratio count acknowledged submissions only: with refusals they "
            "measure the limiter's cap, not the service's speed)"
        )
    print()
    print("Whole journey (the untimed preparation: every page of it, as each resident walked):")
    for backend, f in figures.items():
        j = f["journey"]
        print(
            f"  {backend:<11}{j['page_requests'] / j['journeys']:.0f} requests each, "
            f"{j['pages_per_second']:.0f} requests/s, p50 "
            f"{j['page_p50_ms']:.1f} ms, p99 {j['page_p99_ms']:.1f} ms; journey p50 "
            f"{j['journey_p50_ms']:.0f} ms, p99 {j['journey_p99_ms']:.0f} ms"
        )
    print()
    print(f"/health ceiling ({figures_clients(figures)} clients), bracketing the timed phase:")
    for backend, f in figures.items():
        b, a = f["health"]["before"], f["health"]["after"]
        print(
            f"  {backend:<11}before {b['per_second']:.0f} req/s (p99 {b['p99_ms']:.1f} ms), "
            f"after {a['per_second']:.0f} req/s (p99 {a['p99_ms']:.1f} ms)"
        )
    print()
    cpus = os.cpu_count()
    print(
        "CPU per request in ms (gunicorn workers + PostgreSQL backends + the load generator), "
        f"and the share of the {cpus} CPUs used by anything else meanwhile:"
    )
    for backend, f in figures.items():
        h, c = f["health"]["before"]["cpu"], f["submit"]["cpu"]
        server_h, server_c = h["app_ms"] + h["db_ms"], c["app_ms"] + c["db_ms"]
        print(
            f"  {backend:<11}/health {h['app_ms']:.2f} + {h['db_ms']:.2f} + {h['client_ms']:.2f} "
            f"(else {h['other_share']:.0%}); submission {c['app_ms']:.2f} + {c['db_ms']:.2f} + "
            f"{c['client_ms']:.2f} (else {c['other_share']:.0%}, stolen "
            f"{c['steal_share']:.0%}, waiting on the disk {c['iowait_share']:.0%}); "
            f"server CPU /health:submission {server_h / server_c:.0%}"
        )
    print()
    print(
        "The slowest 1% of submissions, when they were sent, and the disk meanwhile (a 4 KiB "
        "write and fdatasync every 0.1 s, in the benchmark's working directory):"
    )
    for backend, f in figures.items():
        slow, disk = f["submit"]["slowest"], f["submit"]["disk"]
        if not slow:
            continue
        when = (
            f"all in flight together, sent {slow['first_sent_s']:.2f}-{slow['last_sent_s']:.2f} s"
            if slow["in_flight_together"]
            else f"sent from {slow['first_sent_s']:.2f} to {slow['last_sent_s']:.2f} s"
        )
        print(
            f"  {backend:<11}{slow['count']} of {slow['ms'][-1]:.0f}-{slow['ms'][0]:.0f} ms, "
            f"{when} into the {slow['phase_s']:.2f} s phase; disk p50 {disk['p50_ms']:.1f} ms, "
            f"slowest {disk['max_ms'] or float('nan'):.1f} ms at {disk['max_at_s'] or 0:.2f} s "
            f"({disk['probes_timed_phase']} probes; slowest of the whole run "
            f"{disk['max_ms_whole_run']:.1f} ms)"
        )
    print()
    all_ok = True
    for backend, f in figures.items():
        s, i = f["submit"], f["integrity"]
        intact = integrity_ok(i) and not f["errors"]
        all_ok = all_ok and intact
        lines = [
            (
                f"throughput >= {TARGET_RATIO:.0%} of /health ceiling",
                s["ratio_to_ceiling"] >= TARGET_RATIO,
                f"{s['ratio_to_ceiling']:.1%}",
            ),
            (f"p99 < {TARGET_P99_MS:.0f} ms", s["p99_ms"] < TARGET_P99_MS, f"{s['p99_ms']:.1f} ms"),
            (
                "nothing lost or doubled",
                intact,
                ", ".join(f"{k}={v}" for k, v in i.items()) + f", errors={len(f['errors'])}",
            ),
        ]
        for label, met, detail in lines:
            print(f"  {backend:<11}{label:<38}{'met' if met else 'NOT met':<9}({detail})")
        for error in f["errors"][:10]:
            print(f"  {backend:<11}error: {error}")
        if f["server_log_tail"]:
            print(f"  {backend:<11}server log tail:\n{f['server_log_tail']}")
    return all_ok


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def main() -> int:
    # Stopped with SIGTERM: unwind, so that gunicorn and the clients are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=1024, help="per backend (default 1024)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--worker-class", choices=["sync", "gthread"], default="sync", help="gunicorn (sync)"
    )
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument(
        "--health-requests", type=int, default=4096, help="for the ceiling (default 4096)"
    )
    parser.add_argument(
        "--production-limits",
        action="store_true",
        help="keep the app's production submission limit; each client on its own loopback address",
    )
    parser.add_argument(
        "--addresses",
        type=int,
        help="with --production-limits: loopback addresses the clients share (default: one each)",
    )
    parser.add_argument(
        "--earlier",
        type=int,
        default=10_000,
        help="responses already in the consultation before the clients start (default "
        "10000, as in one open for a while; 0: a fresh database, before autovacuum's first "
        "ANALYZE)",
    )
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or args.submissions < args.clients:
        parser.error("need 1-64 clients and at least one submission per client")
    if not 1 <= args.submissions <= 20000 or not 1 <= args.health_requests <= 100000:
        parser.error("keep --submissions to 1-20000 and --health-requests to 1-100000")
    if args.addresses is None:
        args.addresses = args.clients
    if not 1 <= args.addresses <= min(args.clients, 200):
        parser.error("--addresses must be between 1 and the number of clients")
    if args.addresses != args.clients and not args.production_limits:
        parser.error("--addresses needs --production-limits")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends:
        reset_postgres(pg_url())  # fail now, not after the SQLite run, if it is unusable
    workdir = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    figures: dict[str, dict[str, Any]] = {}
    try:
        for backend in backends:
            figures[backend] = run_backend(args, backend, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ok = report(figures)
    if args.json:
        document = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "commit": _commit(),
            "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "targets": {"ratio_to_ceiling": TARGET_RATIO, "p99_ms": TARGET_P99_MS},
            "backends": figures,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2) + "\n")
        print(f"\nfigures written to {args.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
