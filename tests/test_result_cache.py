"""Results are the answers' own counts: equal to a count by hand, and counted again after
every change to what they count, never read stale from the cache (db: SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app import create_app
from common.database import db
from survey.core.answers import AnswerValue, Choice, RawMulti, answer_rows
from survey.core.question_types import check_response
from survey.data import result_cache, tallies, themes
from survey.data.consultations import question_ids
from survey.data.counting import Asked, count, in_group
from survey.data.models import Answer, Channel, Consultation, QuestionType, Response
from survey.data.personal_data import delete_response
from survey.data.recording import record_response
from survey.data.tallies import consultation_results
from tests.conftest import IN_CI
from tests.support import make_consultation

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = pytest.mark.db

WORRIES = ["Speeding cars on the main road", "Drug dealing in the park", "Burglary", ""]


def _random_raw(rng: random.Random) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "agree": rng.choice(["Yes", "No", "Don't know"]),
        "safe": rng.choice(["Strongly agree", "Agree", "Disagree"]),
        "support": {0: rng.choice(["Agree", "Disagree"]), 1: "Strongly agree"},
        "area": rng.choice(["North", "South"]),
        "hear": RawMulti(tuple(rng.sample(["Newsletter", "Website"], rng.randint(1, 2))), ""),
    }
    worry = rng.choice(WORRIES)
    if worry:
        raw["worries"] = worry
    return raw


def _respond(consultation: Consultation, n: int, seed: int = 19) -> list[dict[str, AnswerValue]]:
    rng = random.Random(seed)
    specs = [q.spec() for q in consultation.questions]
    recorded = []
    for _ in range(n):
        values, problems = check_response(specs, _random_raw(rng))
        assert not problems
        record_response(consultation, values, rng.choice([Channel.ONLINE, Channel.PAPER]))
        recorded.append(values)
    db.session.commit()
    return recorded


def _by_hand(
    consultation: Consultation, recorded: list[dict[str, AnswerValue]]
) -> tuple[Counter[tuple[int, int | None, int]], dict[int, int]]:
    """Answers per (question, statement, option) and free-text answers per question, counted
    in Python from what was sent."""
    ids = question_ids(consultation)
    options: Counter[tuple[int, int | None, int]] = Counter()
    texts: Counter[int] = Counter()
    for values in recorded:
        for question_id, row, option, _ in answer_rows(values, ids):
            if option is None:
                texts[question_id] += 1
            else:
                options[(question_id, row, option)] += 1
    return options, dict(texts)


def _asked(consultation: Consultation) -> list[Asked]:
    return [Asked(q.id, QuestionType(q.type)) for q in consultation.questions]


def test_counts_equal_a_count_by_hand(app: Flask) -> None:
    consultation = make_consultation()
    recorded = _respond(consultation, 60)
    counts = count(consultation.id, _asked(consultation))
    options, texts = _by_hand(consultation, recorded)
    counted = {
        (question_id, row, option): n
        for question_id, by_option in counts.options.items()
        for (row, option), n in by_option.items()
    }
    assert counted == dict(options)
    assert counts.answered == texts
    assert sum(counts.arrivals.values()) == 60
    hear = question_ids(consultation)["hear"]
    assert counts.respondents == {hear: 60}  # everyone ticked at least one


def test_a_groups_counts_equal_a_count_by_hand(app: Flask) -> None:
    consultation = make_consultation()
    recorded = _respond(consultation, 60)
    area = question_ids(consultation)["area"]
    north = [values for values in recorded if values["area"] == Choice(0)]
    counts = count(consultation.id, _asked(consultation), in_group(area, 0))
    options, _ = _by_hand(consultation, north)
    counted = Counter(
        {
            (question_id, row, option): n
            for question_id, by_option in counts.options.items()
            for (row, option), n in by_option.items()
        }
    )
    assert counted == options
    assert sum(counts.arrivals.values()) == len(north) > 0


def _fresh(consultation: Consultation) -> Any:
    """The results counted afresh, with nothing cached."""
    result_cache.cache.clear()
    return consultation_results(consultation, minimum=5)


def _record(consultation: Consultation) -> None:
    _respond(consultation, 3, seed=7)


def _delete(consultation: Consultation) -> None:
    response = db.session.scalars(sa.select(Response).order_by(Response.id)).first()
    assert response is not None
    delete_response(response)
    db.session.commit()


def _autocode(consultation: Consultation) -> None:
    themes.autocode(consultation)
    db.session.commit()


def _officer_codes(consultation: Consultation) -> None:
    question = themes.coded_question(consultation, "worries")
    answer = db.session.scalars(
        sa.select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)
    ).first()
    assert answer is not None
    chosen = [theme.id for theme in themes.question_themes(question)[:2]]
    themes.record_coding(answer, chosen, None)
    db.session.commit()


def _merge(consultation: Consultation) -> None:
    question = themes.coded_question(consultation, "worries")
    summaries = [s for s in themes.theme_summaries(question) if s.answers]
    by_id = {t.id: t for t in themes.question_themes(question)}
    assert len(summaries) >= 2, "the merge needs two themes with answers"
    themes.merge_themes(by_id[summaries[0].id], by_id[summaries[1].id])
    db.session.commit()


CHANGES: dict[str, Callable[[Consultation], None]] = {
    "record": _record,
    "delete": _delete,
    "autocode": _autocode,
    "officer codes": _officer_codes,
    "merge": _merge,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_results_are_counted_again_after_every_change(app: Flask, change: str) -> None:
    consultation = make_consultation()
    _respond(consultation, 40)
    if change != "autocode":
        themes.autocode(consultation)
    before = consultation_results(consultation, minimum=5)  # counted and cached
    assert consultation_results(consultation, minimum=5) == before  # read from the cache
    CHANGES[change](consultation)
    after = consultation_results(consultation, minimum=5)
    assert after == _fresh(consultation)
    assert after != before, f"'{change}' should change the results"


def test_reading_results_writes_nothing(app: Flask) -> None:
    consultation = make_consultation()
    _respond(consultation, 10)
    version = result_cache.version(consultation.id)
    consultation_results(consultation, minimum=5)
    assert not db.session.new and not db.session.dirty and not db.session.deleted
    assert result_cache.version(consultation.id) == version


@pytest.fixture
def redis_cache_url() -> Iterator[str]:
    """Redis for the results cache, with this test's keys removed afterwards."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis is not reachable at {REDIS_URL} ({exc})"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the Redis cache test must run)", pytrace=False)
        pytest.skip(reason)
    yield REDIS_URL
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("csp-test-cache-*"):
        client.delete(key)


def test_workers_sharing_a_redis_cache_count_each_version_once(
    app: Flask, redis_cache_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = make_consultation()
    _respond(consultation, 12)
    shared = {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_cache_url,
        "CACHE_KEY_PREFIX": f"csp-test-cache-{uuid.uuid4().hex}:",
    }
    workers = [create_app(dict(app.config) | shared) for _ in range(2)]
    counted: list[int] = []
    real = tallies.count_cells
    monkeypatch.setattr(tallies, "count_cells", lambda *a, **k: counted.append(1) or real(*a, **k))
    seen = []
    for worker in [*workers, *workers]:
        with worker.app_context():
            seen.append(consultation_results(db.session.merge(consultation), minimum=5))
    assert len(counted) == 1  # one worker counted; the others read it from Redis
    assert all(results == seen[0] for results in seen)
    with workers[0].app_context():
        _respond(db.session.merge(consultation), 1, seed=3)
    with workers[1].app_context():
        after = consultation_results(db.session.merge(consultation), minimum=5)
    assert len(counted) == 2 and after.responses == 13
