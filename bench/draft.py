"""Benchmark: the Word draft of a strategy from 1,000 and from 1,000,000 responses.

Not a test: it prints figures. For each backend (PostgreSQL, SQLite) and each number of
responses it builds a database with `bench/results.py`'s loader (the demo consultation's
questions, N responses written in bulk, themes coded), imports the demo audit and loads the
demo strategy (`community-safety-strategy-2027-30`). Then, in rounds, it starts a fresh
process per number of responses (1,000, then 1,000,000, then 1,000 again ...), and in it
builds the draft with `assembly.data.built_drafts.build` twice: the first build (imports,
fonts, cold caches) is reported on its own, the second is the round's timed build. Each build
is split:

- counting: `consultation_results` and the area breakdown (SQL GROUP BY, in the database);
- charts: `assembly.core.charts.draft_charts`, with every chart's PNG drawn there (charts draw
  each format on first use, so the document would otherwise pay for them);
- rendering: `assembly.core.strategy_document.build_draft`, the .docx bytes;
- storing: from the finished document to committed (digest of the results, insert, commit);
- other: the rest (strategy, audit table and trends, house template, version).

LibreOffice numbering the contents (what the draft job does after the build) is timed on
its own, once per process.

The pictures in the built .docx are counted from its XML. The process's peak memory (VmHWM)
shows whether the counting stayed in the database.

Targets (issue 4, item 7): a full draft with at least 6 charts in at most 2 s; the draft for
1,000,000 responses within 1.5 times the time for 1,000.

    .venv/bin/python bench/draft.py [--backend both] [--responses 1000 1000000]
                                    [--repeats 3] [--reuse]

`--reuse` keeps databases built by an earlier run with the same number of responses (the
1,000,000 build takes minutes). Databases: BENCH_DATABASE_URL's with `_draft_N` added to its
name, and BENCH_SQLITE_PATH's with `-draft-N` (see bench/results.py); they are dropped and
rebuilt, so never point them at anything you want to keep.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import results as loader  # noqa: E402  (bench/results.py: the database builder)

STRATEGY = "community-safety-strategy-2027-30"
TARGET_SECONDS = 2.0
TARGET_CHARTS = 6
TARGET_RATIO = 1.5
PARTS = ("counting", "charts", "rendering", "storing", "other")
PROGRESS_EVERY = 100_000  # responses
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BASE_SQLITE = loader.SQLITE_PATH  # bench/results.py's, from BENCH_SQLITE_PATH
BASE_PG = sa.make_url(loader.PG_URL)  # from BENCH_DATABASE_URL


def _point_at(responses: int) -> None:
    """Aim bench/results.py's builder at this benchmark's database for `responses`."""
    loader.SQLITE_PATH = BASE_SQLITE.with_name(
        f"{BASE_SQLITE.stem}-draft-{responses}{BASE_SQLITE.suffix}"
    )
    loader.PG_URL = BASE_PG.set(database=f"{BASE_PG.database}_draft_{responses}").render_as_string(
        hide_password=False
    )


def _with_progress(plan: Callable[..., Iterator[tuple]], responses: int) -> Callable[..., Any]:
    """bench/results.py's chunk plan, printing how far the load has got."""

    def planned(*args: Any) -> Iterator[tuple]:
        began, done, shown = time.perf_counter(), 0, 0
        for chunk in plan(*args):
            yield chunk
            done += len(chunk[0])
            if done - shown >= PROGRESS_EVERY or done == responses:
                shown = done
                elapsed = time.perf_counter() - began
                print(f"    {done:>9,} responses written, {elapsed:5.0f} s", flush=True)

    return planned


def prepare(backend: str, responses: int, reuse: bool) -> None:
    """A database of `responses` responses with the demo audit and strategy loaded."""
    _point_at(responses)
    if reuse and loader._existing(backend, responses):
        loader.upgrade_schema(backend, responses)  # built before a migration: bring it up
        if _has_strategy(backend, responses):
            print(f"  {responses:,} responses: reusing the database", flush=True)
            return
    print(f"  {responses:,} responses: building ...", flush=True)
    plan = loader._plan
    loader._plan = _with_progress(plan, responses)
    try:
        seconds = loader.build(backend, responses)
    finally:
        loader._plan = plan
    began = time.perf_counter()
    _load_audit_and_strategy(backend, responses)
    loaded = time.perf_counter() - began
    print(f"    built in {seconds:.0f} s; audit and strategy loaded in {loaded:.1f} s", flush=True)


def _has_strategy(backend: str, responses: int) -> bool:
    try:
        engine = sa.create_engine(loader._url(backend, responses))
        with engine.connect() as connection:
            found = connection.scalar(
                sa.text("SELECT count(*) FROM strategy WHERE slug = :slug"), {"slug": STRATEGY}
            )
        engine.dispose()
    except sa.exc.SQLAlchemyError:
        return False
    return found == 1


def _load_audit_and_strategy(backend: str, responses: int) -> None:
    """What `flask demo` loads after the consultation: the demo audit and strategy."""
    app = loader._app(loader._url(backend, responses))
    with app.app_context():
        from assembly.cli import DEMO_AUDIT, DEMO_DATA
        from assembly.data import crime_audits, strategies
        from common.database import db

        if crime_audits.audit_by_name(DEMO_AUDIT) is None:
            data = (DEMO_DATA / "audit.csv").read_bytes()
            crime_audits.import_audit(DEMO_AUDIT, "audit.csv", data, None)
        raw = json.loads((DEMO_DATA / "strategy.json").read_text(encoding="utf-8"))
        strategies.save_strategy(raw)
        db.session.commit()
        db.engine.dispose()


class Clock:
    """Seconds spent in each part of one build, from wrappers around the functions it calls."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.parts = dict.fromkeys(PARTS, 0.0)  # wall-clock
        self.cpu = dict.fromkeys(PARTS, 0.0)  # this process's CPU (not the database server's)
        self.rendered_at = (0.0, 0.0)
        self.statements = 0

    def timed(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began, cpu = time.perf_counter(), time.process_time()
            value = function(*args, **kwargs)
            if part == "charts":
                _draw_every_png(value)
            ended, cpu_ended = time.perf_counter(), time.process_time()
            self.parts[part] += ended - began
            self.cpu[part] += cpu_ended - cpu
            if part == "rendering":
                self.rendered_at = (ended, cpu_ended)
            return value

        return wrapper


def _draw_every_png(charts: Any) -> None:
    """Read each chart's PNG now, so drawing is counted as charts, not as rendering."""
    shown = [charts.trends, charts.agreement, charts.themes, charts.breakdown]
    shown += [c for group in charts.priorities.values() for c in group]
    for chart in shown:
        if chart is not None:
            _ = chart.png


def _instrument(clock: Clock) -> None:
    from assembly.core import charts
    from assembly.data import built_drafts
    from survey import interface

    interface.results = clock.timed("counting", interface.results)
    interface.breakdown = clock.timed("counting", interface.breakdown)
    charts.draft_charts = clock.timed("charts", charts.draft_charts)
    built_drafts.build_draft = clock.timed("rendering", built_drafts.build_draft)


def pictures_in(docx: bytes) -> int:
    """The pictures in a .docx's body."""
    with zipfile.ZipFile(BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    return len(re.findall(r"<pic:pic[\s>]", body))


def measure(backend: str, responses: int) -> dict[str, Any]:
    """In a fresh process: a first build, then the timed one, each split into its parts."""
    _point_at(responses)
    app = loader._app(loader._url(backend, responses))
    with app.app_context():
        from assembly.data import built_drafts, strategies
        from common.database import db

        clock = Clock()
        _instrument(clock)

        @sa.event.listens_for(db.engine, "before_cursor_execute")
        def _count(*_: Any) -> None:
            clock.statements += 1

        builds = []
        for _ in range(2):
            db.session.expire_all()
            clock.reset()
            began, cpu = time.perf_counter(), time.process_time()
            strategy = strategies.by_strategy_slug(STRATEGY)
            assert strategy is not None, f"no strategy '{STRATEGY}': run without --reuse"
            draft = built_drafts.build(strategy, minimum=5)
            db.session.commit()
            ended, cpu_ended = time.perf_counter(), time.process_time()
            parts = dict(clock.parts, storing=ended - clock.rendered_at[0])
            cpu_parts = dict(clock.cpu, storing=cpu_ended - clock.rendered_at[1])
            total = ended - began
            parts["other"] = total - sum(v for k, v in parts.items() if k != "other")
            cpu_parts["other"] = (
                cpu_ended - cpu - sum(v for k, v in cpu_parts.items() if k != "other")
            )
            builds.append(
                {
                    "total": total,
                    "cpu": cpu_ended - cpu,
                    "parts": parts,
                    "cpu_parts": cpu_parts,
                    "statements": clock.statements,
                    "pictures": pictures_in(draft.docx),
                    "docx_kb": len(draft.docx) / 1024,
                    "responses": draft.inputs["responses"],
                }
            )
        peak = loader._rss_mb()
        return {"first": builds[0], "timed": builds[1], "peak_mb": peak, **_contents(draft.docx)}


def _contents(docx: bytes) -> dict[str, float]:
    """LibreOffice laying the draft out and numbering its contents, as the draft job does
    after the build: timed on its own (it is a separate process, and optional)."""
    from assembly.core.pdf import office_python, with_contents_filled

    if office_python() is None:
        return {}
    began = time.perf_counter()
    with_contents_filled(docx)
    return {"contents": time.perf_counter() - began}


def _in_fresh_process(backend: str, responses: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", backend, "--responses", str(responses)],
        check=True,
        capture_output=True,
        text=True,
        cwd=loader.ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(backend: str, counts: list[int], repeats: int) -> dict[int, list[dict[str, Any]]]:
    """`repeats` rounds, each a fresh process per number of responses, in turn."""
    figures: dict[int, list[dict[str, Any]]] = {n: [] for n in counts}
    for round_ in range(1, repeats + 1):
        for n in counts:
            got = _in_fresh_process(backend, n)
            figures[n].append(got)
            t = got["timed"]
            print(
                f"  round {round_}, {n:>9,} responses: {t['total']:.2f} s "
                f"(first build in the process {got['first']['total']:.2f} s)",
                flush=True,
            )
    return figures


def _median_parts(runs: list[dict[str, Any]], key: str = "parts") -> dict[str, float]:
    return {p: statistics.median(r["timed"][key][p] for r in runs) for p in PARTS}


def report(backend: str, figures: dict[int, list[dict[str, Any]]]) -> None:
    print(f"\n{NAMES[backend]}: the timed build of each round (after a first build)")
    header = f"  {'responses':>10} {'best':>7} {'median':>7} {'cpu':>6} " + " ".join(
        f"{p:>9}" for p in PARTS
    )
    print(header + f" {'first':>7} {'SQL':>4} {'charts':>6} {'docx':>7} {'peak':>7}")
    medians = {}
    for n, runs in figures.items():
        totals = [r["timed"]["total"] for r in runs]
        medians[n] = statistics.median(totals)
        parts = _median_parts(runs)
        last = runs[-1]["timed"]
        print(
            f"  {last['responses']:>10,} {min(totals):>6.2f}s {medians[n]:>6.2f}s "
            f"{statistics.median(r['timed']['cpu'] for r in runs):>5.2f}s "
            + " ".join(f"{parts[p]:>8.2f}s" for p in PARTS)
            + f" {statistics.median(r['first']['total'] for r in runs):>6.2f}s"
            f" {last['statements']:>4} {last['pictures']:>6} {last['docx_kb']:>5.0f}KB"
            f" {max(r['peak_mb'] for r in runs):>5.0f}MB"
        )
        cpu = _median_parts(runs, "cpu_parts")
        split = " ".join(f"{cpu[p]:>8.2f}s" for p in PARTS)
        print(f"  {'this CPU':>10} {'':>7} {'':>7} {'':>6} {split}")
    for n, runs in figures.items():
        filled = [r["contents"] for r in runs if "contents" in r]
        if filled:
            print(
                f"  {n:>10,} responses: LibreOffice numbering the contents, after the build: "
                f"median {statistics.median(filled):.2f} s"
            )
        else:
            print(f"  {n:>10,} responses: LibreOffice not installed, contents not timed")
    print(
        "  'first' is a process's first build: it counts the answers (the timed build reads "
        "the counts kept since, as a worker does once any page has counted them)."
    )
    _verdicts(figures, medians)


def _verdicts(figures: dict[int, list[dict[str, Any]]], medians: dict[int, float]) -> None:
    for n, runs in figures.items():
        charts = min(r["timed"]["pictures"] for r in runs)
        ok = medians[n] <= TARGET_SECONDS and charts >= TARGET_CHARTS
        print(
            f"  target  {n:,} responses: a draft of >= {TARGET_CHARTS} charts (has {charts}) "
            f"in <= {TARGET_SECONDS:.0f} s (median {medians[n]:.2f} s): "
            + ("met" if ok else "NOT met")
        )
    small, large = min(medians), max(medians)
    if small != large:
        ratio = medians[large] / medians[small]
        print(
            f"  target  {large:,} within {TARGET_RATIO}x of {small:,}: "
            f"{medians[large]:.2f} s / {medians[small]:.2f} s = {ratio:.2f}x: "
            + ("met" if ratio <= TARGET_RATIO else "NOT met")
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--responses", type=int, nargs="+", default=[1_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--measure", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.responses[0])))
        return 0
    print(
        "Times are wall-clock on a shared machine: other work slows them, by different "
        "amounts from run to run.\nRounds alternate the sizes, so compare them by their "
        "ratio within this run rather than with another run's figures."
    )
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    counts = sorted(set(args.responses))
    for backend in backends:
        print(f"\n{NAMES[backend]}:", flush=True)
        for n in counts:
            prepare(backend, n, args.reuse)
        report(backend, run(backend, counts, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
