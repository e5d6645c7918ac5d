"""Benchmark: residents' online submissions under gunicorn, on SQLite and on PostgreSQL.

Not a test: it prints figures. For each backend it builds a fresh database (migrations, then
the demo consultation), starts gunicorn (`app:create_app()`, sync workers) on 127.0.0.1, its
per-address submission limit raised as all clients share that address, and runs concurrent
clients, each a process with its own httpx client, which:

1. prepare one draft per submission by walking the resident journey (untimed);
2. measure the server's ceiling, GET /health requests per second, before and after step 3
   (the ratio uses the higher of the two);
3. timed: send their prepared final POST /consultations/<slug>/check, all clients at once;
   a submission is acknowledged by a 302 to the confirmation page;
4. read each acknowledged resident's reference from the confirmation page (untimed).

Then it checks the database: every acknowledged submission stored exactly once, with its
answers and the reference shown, its draft gone, and nothing else added.

Targets (16 clients, 4 workers, PostgreSQL): submissions per second at least 15% of the
/health ceiling, p99 under 150 ms, nothing lost or doubled. Exits 1 when anything is lost or
doubled or a request failed; missed performance targets are reported, not fatal.

    .venv/bin/python bench/submit.py --backend both   # or sqlite, postgresql; --help

PostgreSQL: BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/bench,
created if missing; its `public` schema is dropped and rebuilt.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import math
import multiprocessing as mp
import os
import platform
import queue
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey.core import demo  # noqa: E402
from survey.core.questions import AGREEMENT_SCALE, LIKERT_SCALE  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
SLUG = demo.SLUG
CHECK_URL = f"/consultations/{SLUG}/check"
CONFIRMATION_URL = f"/consultations/{SLUG}/confirmation"
TARGET_RATIO = 0.15
TARGET_P99_MS = 150.0
HEALTH_REQUESTS_PER_CLIENT = 256
TIMEOUT = 30.0  # seconds, per request
PHASE_TIMEOUT = 900.0  # seconds a client waits at a barrier for the others
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE_RE = re.compile(r'class="app-reference">([^<]+)<')
CHOICES = {  # the demo's single-choice questions
    "agree_priorities": AGREEMENT_SCALE,
    "worries": demo.WORRIES,
    "feel_safe": LIKERT_SCALE,
    "area": demo.AREAS,
    "age_band": demo.AGE_BANDS,
}


# --- the clients (one process each) --------------------------------------------------------------
def answer(key: str, rng: random.Random) -> dict[str, Any]:
    """Form data a resident might post for one of the demo consultation's questions."""
    if key == "priority_support":
        return {f"row-{i}": rng.choice(LIKERT_SCALE) for i in range(len(demo.PRIORITIES))}
    if key == "hear_about":
        return {"answer": rng.sample(demo.HEAR_ABOUT, rng.randint(1, 2))}
    if key not in CHOICES:
        raise RuntimeError(f"the benchmark does not know how to answer question '{key}'")
    return {"answer": rng.choice(CHOICES[key])}


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    if match is None:
        raise RuntimeError("page has no CSRF token")
    return match[1]


def prepare_draft(client: httpx.Client, rng: random.Random) -> tuple[str, str]:
    """Walk one resident's journey to the check page in a fresh cookie jar: its session cookie
    (which holds the draft token) and the check page's CSRF token."""
    client.cookies.clear()
    url = f"/consultations/{SLUG}/questions/agree_priorities"
    for _ in range(20):  # bounded: the demo has 7 questions
        page = client.get(url)
        if page.status_code != 200:
            raise RuntimeError(f"GET {url} gave {page.status_code}")
        data = answer(url.rsplit("/", 1)[1], rng) | {"csrf_token": csrf_token(page.text)}
        sent = client.post(url, data=data)
        if sent.status_code != 302:
            raise RuntimeError(f"POST {url} gave {sent.status_code}, not a redirect")
        url = sent.headers["location"]
        if url.endswith(CHECK_URL):
            break
    else:
        raise RuntimeError("the journey did not reach the check page")
    check = client.get(url)
    cookie = client.cookies.get("session")
    if check.status_code != 200 or cookie is None:
        raise RuntimeError(f"GET {url} gave {check.status_code} (session cookie: {cookie!r})")
    return cookie, csrf_token(check.text)


def hit_health(client: httpx.Client, out: dict[str, Any], phase: str) -> None:
    """GET /health repeatedly, for the server's ceiling on a trivial endpoint."""
    start = time.monotonic()
    for _ in range(HEALTH_REQUESTS_PER_CLIENT):
        status = client.get("/health").status_code
        if status != 200:
            out["errors"].append(f"GET /health gave {status}")
    out[phase] = (start, time.monotonic())


def submit_all(
    client: httpx.Client, prepared: list[tuple[str, str, str]], out: dict[str, Any]
) -> list[tuple[str, str]]:
    """The timed phase: each draft's final POST in turn; (draft token, new session cookie)
    for each acknowledged one."""
    done = []
    start = time.monotonic()
    for cookie, csrf, token in prepared:
        client.cookies.clear()  # the request carries this draft's cookie only
        sent = time.perf_counter()
        try:
            response = client.post(
                CHECK_URL, data={"csrf_token": csrf}, headers={"Cookie": f"session={cookie}"}
            )
        except httpx.HTTPError as exc:
            out["errors"].append(f"POST {CHECK_URL} failed: {exc!r}")
            continue
        out["latency_ms"].append((time.perf_counter() - sent) * 1000)
        location = response.headers.get("location", "")
        if response.status_code == 302 and location.endswith(CONFIRMATION_URL):
            done.append((token, client.cookies.get("session") or ""))
        else:
            out["errors"].append(f"POST {CHECK_URL} gave {response.status_code} -> {location}")
    out["submit"] = (start, time.monotonic())
    return done


def shown_reference(client: httpx.Client, cookie: str) -> str | None:
    client.cookies.clear()
    page = client.get(CONFIRMATION_URL, headers={"Cookie": f"session={cookie}"})
    match = REFERENCE_RE.search(page.text) if page.status_code == 200 else None
    return match[1] if match else None


def client_main(cfg: dict[str, Any], index: int, barrier: Any, results: Any) -> None:
    """One client: prepare its drafts, then each phase in step with the other clients."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    signer = Flask("bench")
    signer.secret_key = cfg["secret_key"]
    session = SecureCookieSessionInterface().get_signing_serializer(signer)
    assert session is not None  # None only without a secret key
    rng = random.Random(index)
    out: dict[str, Any] = {"errors": [], "latency_ms": []}
    with httpx.Client(base_url=cfg["base_url"], timeout=TIMEOUT) as client:
        prepared = []
        for _ in range(cfg["submissions"]):
            cookie, csrf = prepare_draft(client, rng)
            prepared.append((cookie, csrf, session.loads(cookie)["drafts"][SLUG]))
        # The clients' garbage collections, in step with each other, would stall requests
        # and be counted as the server's latency.
        gc.collect()
        gc.disable()
        barrier.wait(PHASE_TIMEOUT)
        hit_health(client, out, "health_before")
        barrier.wait(PHASE_TIMEOUT)
        done = submit_all(client, prepared, out)
        barrier.wait(PHASE_TIMEOUT)
        hit_health(client, out, "health_after")
        gc.enable()
        out["acknowledged"] = [(token, shown_reference(client, c)) for token, c in done]
    results.put(out)


def run_clients(args: argparse.Namespace, base_url: str, secret_key: str) -> list[dict[str, Any]]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(args.clients)
    results = ctx.Queue()
    procs = []
    for index in range(args.clients):
        count = args.submissions // args.clients + int(index < args.submissions % args.clients)
        cfg = {"base_url": base_url, "secret_key": secret_key, "submissions": count}
        procs.append(ctx.Process(target=client_main, args=(cfg, index, barrier, results)))
        procs[-1].start()
    collected: list[dict[str, Any]] = []
    try:
        while len(collected) < len(procs):
            with contextlib.suppress(queue.Empty):
                collected.append(results.get(timeout=1))
            if any(p.exitcode not in (None, 0) for p in procs):
                raise SystemExit("a client failed (its traceback is above)")
    finally:
        for proc in procs:
            if len(collected) < len(procs):  # a client failed, or we were interrupted
                proc.terminate()
            proc.join()
    return collected


# --- the server and its database ---------------------------------------------------------------
def build_database(env: dict[str, str]) -> None:
    """Migrations, then the demo consultation, through the app's own commands."""
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for command in (["db", "upgrade"], ["demo"]):
        done = subprocess.run([*flask, *command], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def reset_postgres(url: str) -> None:
    """Create the benchmark's database if missing, then give it an empty `public` schema."""
    parsed = sa.engine.make_url(url)
    name = parsed.database or ""
    if name in {"", "postgres", "bench_results"} or name.startswith(("test", "template")):
        raise SystemExit(f"refusing to reset database '{name}' for the benchmark: pick another")
    server = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    bench = sa.create_engine(parsed, isolation_level="AUTOCOMMIT")
    with bench.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    bench.dispose()


@contextlib.contextmanager
def gunicorn(workers: int, env: dict[str, str]) -> Iterator[str]:
    """gunicorn with sync workers on a free port of 127.0.0.1, once it answers: its address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{sock.getsockname()[1]}"
    command = [sys.executable, "-m", "gunicorn", "--bind", address, "--workers", str(workers)]
    command += ["--worker-class", "sync", "--log-level", "warning", "app:create_app()"]
    base_url = f"http://{address}"
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base_url + "/health", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start (exit code {proc.poll()})")
            time.sleep(0.2)
        yield base_url
    finally:
        proc.terminate()  # the master stops its workers
        proc.wait(timeout=60)


def verify(
    engine: sa.Engine, last_id: int, acknowledged: list[tuple[str, str | None]]
) -> dict[str, int]:
    """Compare what the residents were shown with the responses added after `last_id`."""
    with engine.connect() as conn:
        added = conn.execute(
            sa.text(
                "SELECT submission_token, reference, (SELECT count(*) FROM answer a"
                " WHERE a.response_id = r.id) FROM response r WHERE r.id > :id"
            ),
            {"id": last_id},
        ).all()
        drafts = set(conn.scalars(sa.text("SELECT token FROM draft")))
    copies = Counter(token for token, _, _ in added)
    stored = {(token, reference) for token, reference, _ in added}
    tokens = {token for token, _ in acknowledged}
    return {
        "stored": len(added),
        "lost": sum(1 for token in tokens if not copies[token]),
        "doubled": sum(copies[token] - 1 for token in tokens if copies[token] > 1),
        "not acknowledged": sum(n for token, n in copies.items() if token not in tokens),
        "wrong reference": sum(
            1 for t, ref in acknowledged if copies[t] and (t, ref) not in stored
        ),
        "without answers": sum(1 for _, _, answers in added if not answers),
        "drafts left": len(tokens & drafts),
    }


# --- one backend ---------------------------------------------------------------------------------
def run_backend(args: argparse.Namespace, backend: str, workdir: Path) -> dict[str, Any]:
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", "").strip() or DEFAULT_PG_URL
        reset_postgres(url)
    secret_key = secrets.token_urlsafe(32)
    env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}  # production mode
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=secret_key,
        INSECURE_COOKIES="1",  # plain http on loopback: the session cookie must not be Secure
        SUBMISSION_RATE_LIMIT="100000 per minute",  # all clients share one address
    )
    print(f"[{backend}] migrating and loading the demo consultation", flush=True)
    build_database(env)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        last_id = conn.scalar(sa.text("SELECT coalesce(max(id), 0) FROM response"))
    with gunicorn(args.workers, env) as base_url:
        print(
            f"[{backend}] gunicorn {args.workers} sync workers on {base_url}; {args.clients} "
            f"clients prepare {args.submissions} drafts, then send them",
            flush=True,
        )
        results = run_clients(args, base_url, secret_key)
    figures = summarise(results)
    figures["integrity"] = verify(engine, last_id, [a for r in results for a in r["acknowledged"]])
    engine.dispose()
    return figures


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile by nearest rank (an observed value)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1] if ordered else math.nan


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    def per_second(phase: str, count: int) -> float:
        """Over the phase, from the first client's start to the last one's end."""
        return count / float(max(r[phase][1] for r in results) - min(r[phase][0] for r in results))

    health = len(results) * HEALTH_REQUESTS_PER_CLIENT
    ceiling = max(per_second("health_before", health), per_second("health_after", health))
    acknowledged = sum(len(r["acknowledged"]) for r in results)
    latency = [ms for r in results for ms in r["latency_ms"]]
    rate = per_second("submit", acknowledged)
    return {
        "ceiling": ceiling,
        "per_second": rate,
        "ratio": rate / ceiling,
        "p50": percentile(latency, 50),
        "p99": percentile(latency, 99),
        "max": max(latency, default=math.nan),
        "acknowledged": acknowledged,
        "errors": [e for r in results for e in r["errors"]],
    }


# --- report --------------------------------------------------------------------------------------
def report(figures: dict[str, dict[str, Any]]) -> bool:
    """Print the table and the targets; True if nothing was lost, doubled or failed."""
    head = (
        f"{'backend':<11}{'/health req/s':>14}{'submits/s':>10}{'ratio':>7}{'p50 ms':>8}"
        f"{'p99 ms':>8}{'max ms':>8}{'acked':>7}{'stored':>7}{'lost':>6}{'doubled':>8}"
    )
    print(f"\n{head}\n{'-' * len(head)}")
    for backend, f in figures.items():
        i = f["integrity"]
        print(
            f"{backend:<11}{f['ceiling']:>14.0f}{f['per_second']:>10.1f}{f['ratio']:>7.1%}"
            f"{f['p50']:>8.1f}{f['p99']:>8.1f}{f['max']:>8.1f}{f['acknowledged']:>7}"
            f"{i['stored']:>7}{i['lost']:>6}{i['doubled']:>8}"
        )
    print()
    intact_everywhere = True
    for backend, f in figures.items():
        problems = {k: v for k, v in f["integrity"].items() if k != "stored" and v}
        if f["errors"]:
            problems["failed requests"] = len(f["errors"])
        intact = not problems
        intact_everywhere = intact_everywhere and intact
        detail = ", ".join(f"{k} {v}" for k, v in problems.items()) or "every check passed"
        for label, met in [
            (f"submissions/s >= {TARGET_RATIO:.0%} of /health req/s", f["ratio"] >= TARGET_RATIO),
            (f"p99 < {TARGET_P99_MS:.0f} ms", f["p99"] < TARGET_P99_MS),
            (f"nothing lost or doubled ({detail})", intact),
        ]:
            print(f"{backend:<11}{'met    ' if met else 'NOT met'}  {label}")
        for error in f["errors"][:10]:
            print(f"{backend:<11}  {error}")
    return intact_everywhere


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop gunicorn too
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=1024, help="per backend (1024)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    args = parser.parse_args()
    if not 1 <= args.clients <= args.submissions or args.workers < 1:
        parser.error("need at least one worker, one client, and a submission per client")
    cores, python = os.cpu_count(), platform.python_version()
    print(f"machine: {cores} cores, Python {python}, {platform.platform()}")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory(prefix="bench-submit-") as workdir:
        figures = {backend: run_backend(args, backend, Path(workdir)) for backend in backends}
    return 0 if report(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
