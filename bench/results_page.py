"""Benchmark: the councillors' results page at 100,000 responses, PostgreSQL and SQLite.

Not a test: it prints figures. It uses the databases bench/results.py builds (the demo
consultation with N responses; built here if missing), signs in a councillor and times whole
pages through the app (counting, protecting, charts and rendering). In a fresh process, so the
results cache starts empty, each page is read once cold (its first read after a change: the
counting in SQL) and then warm (the median of a few reads, from the results cache):

- everyone's results; one group (area = Keynsham, the single filter);
- two filters combined (area and age group); three (area, age group and channel);
- the whole report, everyone's, as XLSX and as PDF;
- then after a change: everyone's page while the change waits for the background count (the
  last count, saying when it was made), the count itself (the job), and the page after it.

Everyone's first read in a fresh process is the count itself (seconds at this size): it is
what the job does, once per change, and a page waits for it only before any count was made.

Target (issue 25): the page under 1 s at 100,000 responses.

    .venv/bin/python bench/results_page.py [--backend both] [--responses 100000]

Set BENCH_SQLITE_PATH and BENCH_DATABASE_URL (as for bench/results.py) to keep its databases
apart from another run's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402
from results import _app, _existing, _url, build, upgrade_schema  # noqa: E402

TARGET_SECONDS = 1.0
PASSWORD = "bench-councillor-password"


def pages(slug: str) -> dict[str, str]:
    base = f"/results/{slug}"
    return {
        "everyone": base,
        "one group": f"{base}?area=Keynsham",
        "two filters": f"{base}?area=Keynsham&age_band=25+to+44",
        "three filters": f"{base}?area=Keynsham&age_band=25+to+44&channel=online",
        "report.xlsx": f"{base}/report.xlsx",
        "report.pdf": f"{base}/report.pdf",
    }


def measure(backend: str, responses: int, repeats: int) -> dict[str, tuple[float, float]]:
    """Each page's (cold, warm) seconds, in this process (call it in a fresh one)."""
    app = _app(_url(backend, responses))
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        from common.accounts import create_user
        from common.database import db
        from common.models import Role, User
        from survey.core.demo import SLUG

        email = "bench-councillor@example.org"
        if db.session.scalar(sa.select(User).where(User.email == email)) is None:
            create_user(email, PASSWORD, Role.COUNCILLOR.value)
            db.session.commit()
    client = app.test_client()
    signed = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert signed.status_code == 302, "sign-in failed"
    timings = {}
    for name, url in pages(SLUG).items():
        began = time.perf_counter()
        page = client.get(url)
        cold = time.perf_counter() - began
        assert page.status_code == 200, f"{url}: {page.status_code}"
        runs = []
        for _ in range(repeats):
            began = time.perf_counter()
            page = client.get(url)
            runs.append(time.perf_counter() - began)
        timings[name] = (cold, statistics.median(runs))
    # A change (a new results version, as every recorded response gives), then the page while
    # the change waits for the background count, the count itself, and the page after it.
    everyone = pages(SLUG)["everyone"]
    with app.app_context():
        from common.database import db
        from common.settings import suppression_threshold
        from survey.data import consultations, result_cache
        from survey.jobs.recount import recount_changed

        result_cache.changed(consultations.by_slug(SLUG).id)
        db.session.commit()
    began = time.perf_counter()
    page = client.get(everyone)
    waiting = time.perf_counter() - began
    assert b"These results count the responses received by" in page.data, "not the last count"
    with app.app_context():
        began = time.perf_counter()
        counted = recount_changed(minimum=suppression_threshold())
        job = time.perf_counter() - began
        assert counted == 1, "the job counted nothing"
    began = time.perf_counter()
    page = client.get(everyone)
    after = time.perf_counter() - began
    assert b"These results count the responses received by" not in page.data
    timings["after a change"] = (waiting, after)
    timings["background count"] = (job, job)
    return timings


def _in_fresh_process(backend: str, responses: int, repeats: int) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", backend, "--responses", str(responses),
         "--repeats", str(repeats)],
        capture_output=True, text=True, check=True, env=os.environ,
    )  # fmt: skip
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.responses, args.repeats)))
        return 0
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    worst = 0.0
    for backend in backends:
        if _existing(backend, args.responses):
            upgrade_schema(backend, args.responses)
        else:
            print(f"building {backend} with {args.responses:,} responses ...", flush=True)
            build(backend, args.responses)
        timings = _in_fresh_process(backend, args.responses, args.repeats)
        print(f"\n{backend}: {args.responses:,} responses; first read, then median of "
              f"{args.repeats} warm reads")  # fmt: skip
        waiting, after = timings.pop("after a change")
        job, _ = timings.pop("background count")
        for name, (cold, warm) in timings.items():
            print(f"  {name:<14} first {cold:6.3f} s   warm {warm:6.3f} s")
            if not name.startswith("report") and name != "everyone":
                worst = max(worst, cold)
        print(f"  everyone's page after a change: {waiting:6.3f} s (the last count, saying "
              f"when it was made); the job's count {job:6.3f} s; the page after it "
              f"{after:6.3f} s")  # fmt: skip
        worst = max(worst, waiting, after)
    verdict = "meets" if worst < TARGET_SECONDS else "misses"
    print(f"\nslowest page a councillor waits for {worst:.3f} s: {verdict} the target of "
          f"{TARGET_SECONDS:.0f} s (everyone's very first read, before any count, is the "
          "count itself)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
