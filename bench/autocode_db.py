"""Benchmark: `flask themes autocode` on a consultation with many free-text answers.

Not a test: it prints figures. For each backend it builds a fresh database (migrations), one
consultation, and --answers responses to its free-text question (bulk inserts, texts from
bench/data/worries.csv), then times auto-coding them all: a first run; a second after officers
have reviewed 10% of the answers, which it must keep (no code changes); a third after an officer
adds two phrases to a theme (only the answers now coded differently are written). Each run is
also given as a share of the pure core's matching of the same texts in the same process (no
database), which tells a slower machine from a slower database path.

    .venv/bin/python bench/autocode_db.py [--answers 100000] [--backend sqlite|postgresql|both]
    BENCH_THEMES_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_themes

The PostgreSQL database is created if missing and its `public` schema is dropped and rebuilt:
never point BENCH_THEMES_DATABASE_URL at a database holding anything you want to keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flask_migrate import upgrade  # noqa: E402
from labelled import labelled_answers  # noqa: E402

from app import create_app  # noqa: E402
from common.database import db  # noqa: E402
from survey.core.coding import DEFAULT_CODEBOOK, load_codebook, matcher_for  # noqa: E402
from survey.core.definitions import parse_definition  # noqa: E402
from survey.data import themes  # noqa: E402
from survey.data.consultations import save_definition  # noqa: E402
from survey.data.models import (  # noqa: E402
    Answer,
    AnswerCoding,
    Coding,
    Consultation,
    Response,
)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_themes"
CHUNK = 10_000
CODEBOOK_EDIT = ("parking", "bins")  # an officer's edit before the third run


def fresh_postgres(url: str) -> str:
    target = sa.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        )
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    engine = sa.create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def run(backend: str, url: str, count: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        today = dt.date.today()
        consultation, _ = save_definition(
            parse_definition(
                {
                    "slug": "bench",
                    "title": "Bench",
                    "summary": "Bench",
                    "opens": today.isoformat(),
                    "closes": today.isoformat(),
                    "questions": [
                        {
                            "key": "worries",
                            "type": "free_text",
                            "text": "What are you most worried about?",
                            "codebook": "community-safety",
                        }
                    ],
                }
            )
        )
        db.session.commit()
        question = consultation.questions[0]
        texts = islice(cycle(a.text for a in labelled_answers()), count)
        now = dt.datetime.now(dt.UTC)
        started = time.perf_counter()
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            db.session.execute(
                sa.insert(Response.__table__),
                [
                    {
                        "consultation_id": consultation.id,
                        "reference": f"{start + n:08d}",
                        "submitted_at": now,
                        "channel": "online",
                        "submission_token": None,
                        "entered_by_id": None,
                    }
                    for n in range(size)
                ],
            )
        ids = db.session.scalars(sa.select(Response.id).order_by(Response.id)).all()
        db.session.execute(
            sa.insert(Answer.__table__),
            [
                {
                    "response_id": rid,
                    "question_id": question.id,
                    "row": None,
                    "option": None,
                    "text": text,
                }
                for rid, text in zip(ids, texts, strict=False)
            ],
        )
        db.session.commit()
        print(f"{backend}: {count:,} answers inserted in {time.perf_counter() - started:.1f} s")

        timed_run(consultation, f"{backend}: first run")
        reviewed = db.session.scalars(sa.select(AnswerCoding.answer_id).limit(count // 10)).all()
        db.session.execute(
            sa.update(AnswerCoding)
            .where(AnswerCoding.answer_id.in_(reviewed))
            .values(source=Coding.OFFICER.value)
        )
        db.session.commit()
        timed_run(consultation, f"{backend}: second run, after officers reviewed 10%")
        theme = themes.question_themes(question)[1]
        themes.describe_theme(theme, theme.description, [*theme.phrases, *CODEBOOK_EDIT])
        db.session.commit()
        timed_run(consultation, f"{backend}: after {theme.name} gained {', '.join(CODEBOOK_EDIT)}")
        db.session.remove()
        db.engine.dispose()


def matching_rate(count: int) -> float:
    """Answers a second the pure core matches the same texts at, best of 3 (no database)."""
    matcher = matcher_for(load_codebook(DEFAULT_CODEBOOK))
    texts = list(islice(cycle(a.text for a in labelled_answers()), count))
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            matcher.theme_indexes(text)
        best = min(best, time.perf_counter() - started)
    return count / best


MATCHING: list[float] = []  # the pure core's rate, measured once in main()


def timed_run(consultation: Consultation, label: str) -> None:
    """Auto-code the consultation once and print what the run did and how fast."""
    started = time.perf_counter()
    (result,) = themes.autocode(consultation)
    took = time.perf_counter() - started
    rate = result.coded / took
    print(
        f"{label}: coded {result.coded:,} ({result.themed:,} with a theme, {result.changed:,} "
        f"changed), kept {result.kept:,} officer codes, in {took:.2f} s: "
        f"{rate:,.0f} answers/s ({rate / MATCHING[0]:.0%} of matching alone)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    MATCHING.append(matching_rate(args.answers))
    print(f"the pure core matches the same texts at {MATCHING[0]:,.0f} answers/s (best of 3)")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            run("sqlite", f"sqlite:///{folder}/bench.sqlite3", args.answers)
    if args.backend in ("postgresql", "both"):
        url = os.environ.get("BENCH_THEMES_DATABASE_URL", "").strip() or DEFAULT_PG_URL
        run("postgresql", fresh_postgres(url), args.answers)


if __name__ == "__main__":
    main()
