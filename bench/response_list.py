"""Benchmark: the officers' list of responses at 100,000 responses, PostgreSQL and SQLite.

Not a test: it prints figures. It uses the databases bench/results.py builds (the demo
consultation with N responses; built here if missing), signs in an officer and times whole
pages through the app (query, count and rendering), each the median of a few reads:

- the newest page; a page deep in the list (keyset: after a response half-way down);
- filtered by channel and area; a text search over free-text answers; a reference.

Target (issue 25): every page under 1 s at 100,000 responses.

    .venv/bin/python bench/response_list.py [--backend both] [--responses 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402
from results import _app, _existing, _url, build, upgrade_schema  # noqa: E402

TARGET_SECONDS = 1.0
PASSWORD = "bench-officer-password"


def measure(backend: str, responses: int, repeats: int) -> dict[str, float]:
    app = _app(_url(backend, responses))
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        from common.accounts import create_user
        from common.database import db
        from common.models import Role, User
        from survey.core.demo import SLUG
        from survey.data.consultations import by_slug
        from survey.data.models import Question, Response

        email = "bench-officer@example.org"
        if db.session.scalar(sa.select(User).where(User.email == email)) is None:
            create_user(email, PASSWORD, Role.OFFICER.value)
            db.session.commit()
        consultation = by_slug(SLUG)
        assert consultation is not None
        area = db.session.scalar(
            sa.select(Question.id).where(
                Question.consultation_id == consultation.id, Question.key == "area"
            )
        )
        middle = db.session.scalar(
            sa.select(Response.id).order_by(Response.submitted_at.desc()).offset(responses // 2)
        )
        reference = db.session.scalar(sa.select(Response.reference).offset(responses // 3))
    client = app.test_client()
    signed = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert signed.status_code == 302, "sign-in failed"
    base = f"/officers/consultations/{SLUG}/responses"
    pages = {
        "newest": base,
        "deep": f"{base}?after={middle}",
        "filtered": f"{base}?channel=paper&q{area}=1",
        "text search": f"{base}?search=burglary",
        "reference": f"{base}?search={reference}",
    }
    timings: dict[str, float] = {}
    for name, url in pages.items():
        runs = []
        for _ in range(repeats):
            began = time.perf_counter()
            page = client.get(url)
            runs.append(time.perf_counter() - began)
            assert page.status_code == 200, f"{url}: {page.status_code}"
        timings[name] = statistics.median(runs)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    worst = 0.0
    for backend in backends:
        if _existing(backend, args.responses):
            upgrade_schema(backend, args.responses)
        else:
            print(f"building {backend} with {args.responses:,} responses ...", flush=True)
            build(backend, args.responses)
        timings = measure(backend, args.responses, args.repeats)
        print(f"\n{backend}: {args.responses:,} responses, median of {args.repeats} reads")
        for name, seconds in timings.items():
            print(f"  {name:<12} {seconds:.3f} s")
        worst = max(worst, *timings.values())
    verdict = "meets" if worst < TARGET_SECONDS else "misses"
    print(f"\nslowest page {worst:.3f} s: {verdict} the target of {TARGET_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
