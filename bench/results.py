"""Benchmark: all results of a consultation of 1,000 to 1,000,000 responses, PostgreSQL and SQLite.

Not a test: it prints figures. For each backend and size it builds a database with the demo
consultation's questions and N responses (about 13.5 answer rows each, and theme codes on most
free-text answers), written with bulk inserts (COPY on PostgreSQL) and analysed as autovacuum
would, then, in a fresh process (an empty results cache, and memory measured honestly):

- the first read: `consultation_results` counting every answer with GROUP BY;
- warm reads: the same again, from the results cache (survey.data.result_cache);
- the same two for one breakdown group (area = Keynsham) and the agreement breakdown by area;
- the process's peak resident memory (VmHWM).

Targets (issue 19): 1,000,000 responses on PostgreSQL at most 1 s warm and at most 5 s for
the first read after the bulk load; 100,000 on SQLite at most 1 s (both reads); peak memory
under 200 MB.

    .venv/bin/python bench/results.py [--backend both] [--sizes 1000,100000,1000000] [--reuse]

By default PostgreSQL is measured at 1,000, 100,000 and 1,000,000 responses and SQLite at
1,000 and 100,000. `--reuse` keeps a database an earlier run built with the same number of
responses (building a million takes minutes). Each size has its own database,
BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/bench_results) with
`_N` added to its name, dropped and rebuilt: never point it at anything you want to keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
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


def _reset(backend: str, responses: int) -> str:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{_sqlite_path(responses)}{suffix}").unlink(missing_ok=True)
        return _url(backend, responses)
    url = sa.make_url(_url(backend, responses))
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return _url(backend, responses)


def _sqlite_path(responses: int) -> Path:
    return SQLITE_PATH.with_name(f"{SQLITE_PATH.stem}-{responses}{SQLITE_PATH.suffix}")


def _url(backend: str, responses: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{_sqlite_path(responses)}"
    url = sa.make_url(PG_URL)
    return url.set(database=f"{url.database}_{responses}").render_as_string(hide_password=False)


def _existing(backend: str, responses: int) -> bool:
    """True when an earlier run left a database with exactly this many responses."""
    if backend == "sqlite" and not _sqlite_path(responses).exists():
        return False
    try:
        engine = sa.create_engine(_url(backend, responses))
        with engine.connect() as connection:
            count = connection.scalar(sa.text("SELECT count(*) FROM response"))
        engine.dispose()
    except sa.exc.SQLAlchemyError:
        return False
    return count == responses


def _plan(responses: int, questions: dict[str, Any], themes: list[int]) -> Iterator[tuple]:
    """(response rows, answer rows, coding rows, theme rows) per chunk, deterministic."""
    from survey.core.demo import AGE_BANDS, AREAS, HEAR_ABOUT, PRIORITIES, WORRIES

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


def upgrade_schema(backend: str, responses: int) -> None:
    """Bring a database an earlier run left up to today's migrations, so reusing it after
    the schema changed measures today's code rather than failing on a missing column."""
    app = _app(_url(backend, responses))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))


def build(backend: str, responses: int) -> float:
    """Create the schema, the demo consultation and `responses` responses; seconds taken."""
    url = _reset(backend, responses)
    app = _app(url)
    began = time.perf_counter()
    with app.app_context():
        from flask_migrate import upgrade

        from common.database import db
        from survey.core.definitions import parse_definition
        from survey.core.demo import definition
        from survey.data.consultations import save_definition
        from survey.data.models import Status, Theme

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


def _timed(call: Any) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def measure(backend: str, responses: int, repeats: int) -> dict[str, Any]:
    """Run in a fresh process: time the results, first and warm, and record peak memory."""
    app = _app(_url(backend, responses))
    with app.app_context():
        from survey.core.demo import SLUG
        from survey.data.consultations import by_slug
        from survey.data.tallies import breakdown, consultation_results

        consultation = by_slug(SLUG)
        assert consultation is not None
        list(consultation.questions)
        reads = {
            "all": lambda: consultation_results(consultation, minimum=5),
            "group": lambda: consultation_results(consultation, ("area", "Keynsham"), minimum=5),
            "breakdown": lambda: breakdown(consultation, "area", "agree_priorities", minimum=5),
        }
        first = {name: _timed(read) for name, read in reads.items()}
        warm = {name: [_timed(read) for _ in range(repeats)] for name, read in reads.items()}
        results = consultation_results(consultation, minimum=5)
        headline = results.headline
        assert headline is not None
        return {
            "responses": results.responses,
            "agree": [headline.agree.count, headline.agree.base],
            "first": first,
            "warm": warm,
            "rss_peak_mb": _rss_mb(),
        }


def _in_fresh_process(backend: str, responses: int, repeats: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", backend, "--responses", str(responses)]
    out = subprocess.run(
        [*command, "--repeats", str(repeats)], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
LABELS = {"all": "all results", "group": "one group", "breakdown": "breakdown"}


def _report(backend: str, figures: dict[str, Any]) -> None:
    print(f"\n{NAMES[backend]}: {figures['responses']:,} responses "
          f"(agreement {figures['agree'][0]:,} of {figures['agree'][1]:,}), "
          f"peak RSS {figures['rss_peak_mb']:.0f} MB")  # fmt: skip
    for key, label in LABELS.items():
        warm = figures["warm"][key]
        print(f"  {label:<12} first {figures['first'][key]:.3f} s, "
              f"warm median {statistics.median(warm):.4f} s (max {max(warm):.4f})")  # fmt: skip


def _verdicts(backend: str, measured: dict[int, dict[str, Any]]) -> None:
    firsts = ", ".join(f"{n:,}: {f['first']['all']:.3f} s" for n, f in measured.items())
    print(f"\n{NAMES[backend]} growth of the first read of all results: {firsts}")
    if backend == "postgresql" and 1_000_000 in measured:
        f = measured[1_000_000]
        warm, first = statistics.median(f["warm"]["all"]), f["first"]["all"]
        ok = warm <= 1 and first <= 5 and f["rss_peak_mb"] < 200
        print(f"  target 1,000,000: warm <= 1 s ({warm:.4f}), first <= 5 s ({first:.3f}), "
              f"peak < 200 MB ({f['rss_peak_mb']:.0f}): {'met' if ok else 'NOT met'}")  # fmt: skip
    if backend == "sqlite" and 100_000 in measured:
        f = measured[100_000]
        warm, first = statistics.median(f["warm"]["all"]), f["first"]["all"]
        ok = warm <= 1 and first <= 1 and f["rss_peak_mb"] < 200
        print(f"  target 100,000: first and warm <= 1 s ({first:.3f}, {warm:.4f}), "
              f"peak < 200 MB ({f['rss_peak_mb']:.0f}): {'met' if ok else 'NOT met'}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sizes", help="numbers of responses, e.g. 1000,100000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--measure", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--responses", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.responses, args.repeats)))
        return 0
    print(f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    for backend in backends:
        default = "1000,100000,1000000" if backend == "postgresql" else "1000,100000"
        measured: dict[int, dict[str, Any]] = {}
        for responses in (int(n) for n in (args.sizes or default).split(",")):
            if args.reuse and _existing(backend, responses):
                print(f"{backend}: reusing the database of {responses:,} responses")
                upgrade_schema(backend, responses)
            else:
                print(f"{backend}: building {responses:,} responses ...", flush=True)
                print(f"  built in {build(backend, responses):.0f} s", flush=True)
            measured[responses] = _in_fresh_process(backend, responses, args.repeats)
            _report(backend, measured[responses])
        _verdicts(backend, measured)
    return 0


if __name__ == "__main__":
    sys.exit(main())
