"""Benchmark: all results of a consultation with 1,000,000 responses, on PostgreSQL and SQLite.

Not a test: it prints figures. For each backend it builds a database with the demo
consultation's questions and N responses (default 1,000,000; about 13.5 answer rows each, and
theme codes on most free-text answers), written with bulk inserts (COPY on PostgreSQL), then,
in a fresh process so that memory is measured honestly:

- the first `consultation_results`, which counts every response into the kept tallies;
- `consultation_results` for everyone (every question, channels, weeks), timed several times;
- the same for one breakdown group (area = Keynsham), and the agreement breakdown by area;
- the process's peak resident memory (VmHWM), before and after.

Targets (issue 3): all results in at most 1 s on PostgreSQL and 2 s on SQLite, peak memory
under 200 MB. Results are read from kept tallies (survey.tally_store): the first read after the
bulk load counts every response into them and is shown apart; the timed reads follow it.

    .venv/bin/python bench/results.py --backend both [--responses 1000000] [--reuse]

`--reuse` keeps a database built by an earlier run with the same number of responses (building
takes minutes). BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/
bench_results) is dropped and rebuilt: never point it at anything you want to keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SQLITE_PATH = Path(os.environ.get("BENCH_SQLITE_PATH", "/tmp/csp-bench-results.sqlite3"))
PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_results"
)
CHUNK = 20_000  # responses per insert batch
THEMES = (
    "Alcohol misuse", "Anti-social behaviour", "Community confidence", "Domestic violence",
    "Drug misuse", "Hate crime", "Volume crime", "Young people", "Credit card fraud",
    "Homelessness", "Police staffing", "Prison aftercare", "Road safety", "Victims",
)  # fmt: skip


def _app(url: str) -> Any:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    from app import create_app

    return create_app()


def _reset(backend: str) -> str:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    url = sa.make_url(PG_URL)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return PG_URL


def _url(backend: str) -> str:
    return f"sqlite:///{SQLITE_PATH}" if backend == "sqlite" else PG_URL


def _existing(backend: str, responses: int) -> bool:
    """True when an earlier run left a database with exactly this many responses."""
    if backend == "sqlite" and not SQLITE_PATH.exists():
        return False
    try:
        engine = sa.create_engine(_url(backend))
        with engine.connect() as connection:
            count = connection.scalar(sa.text("SELECT count(*) FROM response"))
        engine.dispose()
    except sa.exc.SQLAlchemyError:
        return False
    return count == responses


def _plan(responses: int, questions: dict[str, Any], themes: list[int]) -> Iterator[tuple]:
    """(response rows, answer rows, coding rows, theme rows) per chunk, deterministic."""
    from survey.demo import AGE_BANDS, AREAS, HEAR_ABOUT, PRIORITIES, WORRIES

    rng = random.Random(1_000_000)
    start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    span = 60 * 24 * 3600
    channels = ("online",) * 6 + ("paper", "email", "event")
    answer_id = 0
    q = {key: question.id for key, question in questions.items()}
    for first in range(1, responses + 1, CHUNK):
        rows_r, rows_a, rows_c, rows_t = [], [], [], []
        for response_id in range(first, min(first + CHUNK, responses + 1)):
            at = start + dt.timedelta(seconds=rng.randrange(span))
            rows_r.append((response_id, f"B{response_id:07d}", at, rng.choice(channels)))
            answers: list[tuple[int, int | None, int | None, str | None]] = []
            agree = rng.choices((0, 1, 2), weights=(82, 11, 7))[0]
            answers.append((q["agree_priorities"], None, agree, None))
            for row in range(len(PRIORITIES)):
                if rng.random() > 0.1:
                    answers.append((q["priority_support"], row, rng.randrange(6), None))
            answers.append((q["feel_safe"], None, rng.randrange(6), None))
            for option in rng.sample(range(len(HEAR_ABOUT)), rng.randint(1, 2)):
                answers.append((q["hear_about"], None, option, None))
            if rng.random() < 0.05:
                answers.append((q["hear_about"], None, -1, "Parish magazine"))
            answers.append((q["area"], None, rng.randrange(len(AREAS)), None))
            answers.append((q["age_band"], None, rng.randrange(len(AGE_BANDS)), None))
            has_text = rng.random() < 0.85
            if has_text:
                answers.append((q["worries"], None, None, rng.choice(WORRIES)))
            for question_id, row, option, text in answers:
                answer_id += 1
                rows_a.append((answer_id, response_id, question_id, row, option, text))
            if has_text and rng.random() < 0.9:
                rows_c.append((answer_id, "auto", start))
                for theme_id in rng.sample(themes, rng.choice((0, 1, 1, 2))):
                    rows_t.append((answer_id, theme_id))
        yield rows_r, rows_a, rows_c, rows_t


def _copy_text(rows: list[tuple]) -> bytes:
    """Rows as PostgreSQL COPY text (tab-separated, \\N for NULL)."""
    out = io.StringIO()
    for row in rows:
        out.write(
            "\t".join(
                "\\N"
                if v is None
                else (v.isoformat() if isinstance(v, dt.datetime) else str(v)).replace("\t", " ")
                for v in row
            )
        )
        out.write("\n")
    return out.getvalue().encode()


def build(backend: str, responses: int) -> float:
    """Create the schema, the demo consultation and `responses` responses; seconds taken."""
    url = _reset(backend)
    app = _app(url)
    began = time.perf_counter()
    with app.app_context():
        from flask_migrate import upgrade

        from survey.consultations import save_definition
        from survey.database import db
        from survey.demo import definition
        from survey.models import Status, Theme
        from survey.questions import parse_definition

        upgrade(directory=str(ROOT / "migrations"))
        consultation, _ = save_definition(parse_definition(definition(dt.date(2026, 10, 1))))
        consultation.status = Status.CLOSED.value
        themes = [
            Theme(consultation_id=consultation.id, codebook="community-safety", name=n, position=i)
            for i, n in enumerate(THEMES)
        ]
        db.session.add_all(themes)
        db.session.commit()
        questions = {question.key: question for question in consultation.questions}
        theme_ids = [theme.id for theme in themes]
        cid = consultation.id
        engine = db.engine
        chunks = _plan(responses, questions, theme_ids)
        if backend == "postgresql":
            _load_postgres(engine, cid, chunks)
        else:
            _load_sqlite(engine, cid, chunks)
    return time.perf_counter() - began


def _load_postgres(engine: sa.Engine, cid: int, chunks: Iterator[tuple]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for rows_r, rows_a, rows_c, rows_t in chunks:
            for table, columns, rows in (
                ("response", "id, reference, submitted_at, channel, consultation_id",
                 [(*r, cid) for r in rows_r]),
                ("answer", "id, response_id, question_id, row, option, text", rows_a),
                ("answer_coding", "answer_id, source, coded_at", rows_c),
                ("answer_theme", "answer_id, theme_id", rows_t),
            ):  # fmt: skip
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(_copy_text(rows))
            raw.commit()
        cursor.execute("SELECT setval('response_id_seq', (SELECT max(id) FROM response))")
        cursor.execute("SELECT setval('answer_id_seq', (SELECT max(id) FROM answer))")
        raw.commit()
        raw.driver_connection.autocommit = True  # type: ignore[union-attr]
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    finally:
        raw.close()


def _load_sqlite(engine: sa.Engine, cid: int, chunks: Iterator[tuple]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for rows_r, rows_a, rows_c, rows_t in chunks:
            cursor.executemany(
                "INSERT INTO response (id, reference, submitted_at, channel, consultation_id)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (i, ref, at.strftime("%Y-%m-%d %H:%M:%S.%f"), ch, cid)
                    for i, ref, at, ch in rows_r
                ],
            )
            cursor.executemany(
                "INSERT INTO answer (id, response_id, question_id, row, option, text)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows_a,
            )
            cursor.executemany(
                "INSERT INTO answer_coding (answer_id, source, coded_at) VALUES (?, ?, ?)",
                [(a, s, at.strftime("%Y-%m-%d %H:%M:%S.%f")) for a, s, at in rows_c],
            )
            cursor.executemany(
                "INSERT INTO answer_theme (answer_id, theme_id) VALUES (?, ?)", rows_t
            )
            raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def _rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    an exec, so a child of the (large) building process would report the builder's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(backend: str, repeats: int) -> dict[str, Any]:
    """Run in a fresh process: time the results and record peak memory."""
    app = _app(_url(backend))
    with app.app_context():
        from survey.consultations import by_slug
        from survey.demo import SLUG
        from survey.tallies import breakdown, consultation_results

        consultation = by_slug(SLUG)
        assert consultation is not None
        list(consultation.questions)
        before = _rss_mb()
        timings: dict[str, list[float]] = {"all": [], "group": [], "breakdown": []}
        # The first read after a bulk load counts every response into the kept tallies
        # (survey.tally_store); it is timed apart. Later reads fold in only new responses.
        # Tallies an earlier run kept (--reuse) are dropped first, so every run times it.
        from survey import tally_store
        from survey.database import db

        tally_store.forget(consultation.id)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # as autovacuum would after the update
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE response"))
        began = time.perf_counter()
        results = consultation_results(consultation)
        first = time.perf_counter() - began
        from survey.models import Tally

        kept_rows = db.session.scalar(sa.select(sa.func.count()).select_from(Tally))
        for _ in range(repeats):
            began = time.perf_counter()
            results = consultation_results(consultation)
            timings["all"].append(time.perf_counter() - began)
            began = time.perf_counter()
            consultation_results(consultation, ("area", "Keynsham"))
            timings["group"].append(time.perf_counter() - began)
            began = time.perf_counter()
            breakdown(consultation, "area", "agree_priorities")
            timings["breakdown"].append(time.perf_counter() - began)
        assert results is not None
        headline = results.headline
        assert headline is not None
        return {
            "responses": results.responses,
            "agree": [headline.agree.count, headline.agree.base],
            "timings": timings,
            "first_s": first,
            "kept_rows": kept_rows,
            "rss_before_mb": before,
            "rss_peak_mb": _rss_mb(),
        }


def _in_fresh_process(backend: str, repeats: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", backend, "--repeats", str(repeats)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _report(backend: str, figures: dict[str, Any], target: float) -> None:
    t = figures["timings"]
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    print(f"\n{name}: {figures['responses']:,} responses "
          f"(agreement {figures['agree'][0]:,} of {figures['agree'][1]:,})")  # fmt: skip
    first, kept = figures["first_s"], figures["kept_rows"]
    print(f"  first read   {first:.3f} s: counts every response into {kept:,} kept tallies, "
          "once after the bulk load")  # fmt: skip
    for label, key in (("all results", "all"), ("one group", "group"), ("breakdown", "breakdown")):
        runs = ", ".join(f"{s:.3f}" for s in t[key])
        print(f"  {label:<12} median {statistics.median(t[key]):.3f} s  (runs: {runs})")
    median = statistics.median(t["all"])
    peak, before = figures["rss_peak_mb"], figures["rss_before_mb"]
    print(f"  memory       peak RSS {peak:.0f} MB (before the first query {before:.0f} MB)")
    verdict = "met" if median <= target and peak < 200 else "NOT met"
    print(f"  target       all results <= {target:.0f} s and peak < 200 MB: {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--measure", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeats)))
        return 0
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    for backend in backends:
        if args.reuse and _existing(backend, args.responses):
            print(f"{backend}: reusing the database of {args.responses:,} responses")
        else:
            print(f"{backend}: building {args.responses:,} responses ...", flush=True)
            print(f"  built in {build(backend, args.responses):.0f} s", flush=True)
        figures = _in_fresh_process(backend, args.repeats)
        _report(backend, figures, 1.0 if backend == "postgresql" else 2.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
