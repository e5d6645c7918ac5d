"""Probable duplicates and automated submissions are recorded and flagged, never dropped."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from common.database import db, utcnow
from common.models import AuditEvent
from survey.core.answers import Choice, Multi, Text
from survey.data import screening
from survey.data.consultations import question_ids
from survey.data.models import TEXT_START, Answer, Channel, Draft, Response
from survey.data.recording import record_response
from survey.data.screening import HONEYPOT_REASON, SAME_TEXT_WINDOW
from tests.support import heading, make_consultation, page, post_form, sign_in
from tests.test_residents_journey import BASE, answer_all

LONG = "Drunk people shouting at night 😀 \u05e9\u05dc\u05d5\u05dd"  # as answer_all: 37 characters


def _send(client: FlaskClient) -> str:
    done = post_form(client, f"{BASE}/check", follow_redirects=True)
    assert "Response sent" in heading(done)
    return page(done).select_one(".govuk-panel__body strong").get_text(strip=True)


def _responses() -> list[Response]:
    return list(db.session.scalars(sa.select(Response).order_by(Response.id)))


def test_the_same_answers_sent_again_from_one_browser_are_kept_and_flagged(
    client: FlaskClient,
) -> None:
    make_consultation()
    answer_all(client)
    first = _send(client)
    answer_all(client)
    second = _send(client)
    stored = _responses()
    assert [r.reference for r in stored] == [first, second]  # both recorded
    assert stored[0].review_reason is None
    assert stored[1].review_reason == (
        "the same answers as an earlier response, sent again from the same browser"
    )
    assert stored[1].review_like == first


def test_different_answers_from_one_browser_are_not_flagged(client: FlaskClient) -> None:
    make_consultation()
    answer_all(client)
    _send(client)
    answer_all(client)
    post_form(client, f"{BASE}/questions/worries", {"answer": "Speeding cars on our road"})
    _send(client)
    assert [r.review_reason for r in _responses()] == [None, None]


def test_the_same_long_free_text_within_minutes_is_flagged(client: FlaskClient) -> None:
    consultation = make_consultation()
    earlier = record_response(
        consultation, {"agree": Choice(1), "worries": Text(LONG)}, Channel.PAPER
    )
    db.session.commit()
    answer_all(client)
    _send(client)
    flagged = _responses()[-1]
    assert flagged.review_reason == (
        "the same long free-text answer as another response a few minutes earlier"
    )
    assert flagged.review_like == earlier.reference


def test_the_same_text_long_ago_or_short_is_not_flagged(client: FlaskClient) -> None:
    consultation = make_consultation()
    long_ago = utcnow() - SAME_TEXT_WINDOW - dt.timedelta(minutes=1)
    record_response(consultation, {"worries": Text(LONG)}, Channel.PAPER, submitted_at=long_ago)
    record_response(consultation, {"worries": Text("Burglary")}, Channel.PAPER)
    db.session.commit()
    answer_all(client)
    _send(client)
    answer_all(client)  # a different browser would do; the answers differ from the first
    post_form(client, f"{BASE}/questions/worries", {"answer": "Burglary"})
    _send(client)
    assert [r.review_reason for r in _responses()] == [None, None, None, None]


def test_only_the_whole_same_text_in_the_same_free_text_question_is_matched(app: Flask) -> None:
    consultation = make_consultation()
    ids = question_ids(consultation)
    start = "Cars race down the high street every night and nobody does anything "  # > 64
    assert len(start) > TEXT_START
    same = start + "about it"
    at = utcnow() - dt.timedelta(minutes=5)

    def record(answers: dict[str, Any], minutes: int = 0) -> str:
        when = at + dt.timedelta(minutes=minutes)
        return record_response(consultation, answers, Channel.PAPER, submitted_at=when).reference

    record({"worries": Text(start + "at all")})  # the same first 64 characters only
    record({"hear": Multi((2,), same)})  # the same words as an "Other" text
    older = [record({"worries": Text(same)}, minutes=m) for m in (0, 1, 2)]
    latest = record({"worries": Text(same)}, minutes=3)
    record({"worries": Text(same)}, minutes=-20)  # outside the window
    record({"worries": Text(same)}, minutes=1)  # entered last, but submitted earlier
    db.session.commit()
    # the latest by the time it was submitted, not the last recorded
    assert screening.same_text_recently(consultation, {"worries": Text(same)}, ids) == latest
    assert older  # three more within the window: the latest is named, not any of them
    for other in (start + "at all!", start, same.upper()):
        assert screening.same_text_recently(consultation, {"worries": Text(other)}, ids) is None
    # the "Other" text alone is not a free-text answer to compare
    assert screening.same_text_recently(consultation, {"hear": Multi((2,), same)}, ids) is None


def _plans_of_same_text_lookup(question_id: int, text: str) -> list[str]:
    """How the database runs the same-text lookup. On PostgreSQL both as a custom plan (for
    these values) and as the generic plan of a prepared statement, which psycopg makes of any
    statement run five times and the server may then keep."""
    params = {"question_id": question_id, "start": text[:TEXT_START], "text": text}
    params["since"] = utcnow() - SAME_TEXT_WINDOW
    compiled = screening.latest_with_text_statement().compile(db.engine)
    connection = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        values = compiled.construct_params(params)
        bound = tuple(values[name] for name in compiled.positiontup or ())
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", bound)
        return ["\n".join(str(row[-1]) for row in rows)]
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return f"${len(names)}"

    sql = re.sub(r"%\((\w+)\)s", number, str(compiled))
    literals = {
        "question_id": str(question_id),
        "start": "'" + params["start"].replace("'", "''") + "'",
        "text": "'" + text.replace("'", "''") + "'",
        "since": f"'{params['since'].isoformat()}'",
    }
    arguments = ", ".join(literals[name] for name in names)
    plans = []
    for mode in ("force_custom_plan", "force_generic_plan"):
        connection.exec_driver_sql(f"SET LOCAL plan_cache_mode = {mode}")
        connection.exec_driver_sql(f"PREPARE same_text AS {sql}")
        rows = connection.exec_driver_sql(f"EXPLAIN EXECUTE same_text({arguments})")
        plans.append("\n".join(str(row[0]) for row in rows))
        connection.exec_driver_sql("DEALLOCATE same_text")
    return plans


def test_the_same_text_lookup_walks_its_index_from_the_newest(app: Flask) -> None:
    # However often a text was sent before, only its newest copies are read. The index's
    # expression must match the statement's: were the numbers in substr(text, 1, 64) bound
    # parameters, a prepared statement could not use the index. And with statistics showing
    # many copies, PostgreSQL must still walk the index rather than read them all and sort.
    consultation = make_consultation()
    ids = question_ids(consultation)
    copies = [
        record_response(consultation, {"worries": Text(LONG)}, Channel.PAPER) for _ in range(300)
    ]
    # Answers in the proportions of a real consultation's (one in 14 holds text; the demo's),
    # as many as make the planner weigh a walk against a bitmap scan: on a small table it
    # rightly reads the few rows there are.
    texts = [
        {"question_id": ids["worries"], "option": None, "text": f"Other {i}"} for i in range(6000)
    ]
    choices = [{"question_id": ids["area"], "option": 0, "text": None}] * 78_000
    rows = [row | {"response_id": copies[i % 300].id} for i, row in enumerate(texts + choices)]
    db.session.execute(sa.insert(Answer), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE answer"))
        db.session.execute(sa.text("ANALYZE response"))
    for plan in _plans_of_same_text_lookup(ids["worries"], LONG):
        if db.engine.dialect.name == "sqlite":
            assert "USING INDEX ix_answer_question_text_start (question_id=? AND <expr>=?)" in plan
            assert plan.count("TEMP B-TREE") == 1  # only the few responses found are sorted
        else:
            assert "Index Scan Backward using ix_answer_question_text_start" in plan, plan
            assert re.search(r"Index Cond: .*\(substr\(text, 1, 64\) = ", plan), plan
            assert "Bitmap" not in plan and "Sort Key: answer.id" not in plan, plan
    db.session.rollback()


def test_a_filled_honeypot_is_recorded_and_flagged(client: FlaskClient) -> None:
    make_consultation()
    post_form(client, f"{BASE}/questions/agree", {"answer": "Yes", "website": "http://spam"})
    answer_all(client)
    _send(client)
    assert _responses()[-1].review_reason == HONEYPOT_REASON
    question = client.get(f"{BASE}/questions/agree")
    hidden = page(question).select_one(".app-honeypot")
    assert hidden is not None and hidden.get("aria-hidden") == "true"
    assert hidden.find("input")["tabindex"] == "-1"


def test_officers_keep_or_remove_a_flagged_response(client: FlaskClient) -> None:
    make_consultation()
    answer_all(client)
    _send(client)
    answer_all(client)
    second = _send(client)
    answer_all(client)
    third = _send(client)
    sign_in(client, "officer")
    consultation_page = client.get("/officers/consultations/safer-streets")
    assert "2 responses look like a duplicate" in page(consultation_page).get_text(" ")
    listing = client.get("/officers/consultations/safer-streets/flagged")
    text = " ".join(page(listing).get_text(" ").split())
    assert f"Response {second}" in text and f"Response {third}" in text
    assert "Drunk people shouting at night" in text  # the answers, to decide on
    listing = client.get("/officers/consultations/safer-streets/flagged")
    token = page(listing).find("input", attrs={"name": "csrf_token"})["value"]
    client.post(
        f"/officers/consultations/safer-streets/flagged/{second}",
        data={"csrf_token": token, "decision": "keep"},
    )
    client.post(
        f"/officers/consultations/safer-streets/flagged/{third}",
        data={"csrf_token": token, "decision": "remove"},
    )
    stored = _responses()
    assert [r.reference for r in stored][1:] == [second]
    assert stored[1].review_reason is None
    # Each view of the flagged list is logged too, naming the responses it showed.
    changes = sa.select(AuditEvent.action).where(AuditEvent.action != "residents' words viewed")
    actions = db.session.scalars(changes.order_by(AuditEvent.id)).all()
    assert actions == ["signed in", "flagged response kept", "flagged response removed"]


def test_councillors_cannot_review_flagged_responses(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "councillor")
    assert client.get("/officers/consultations/safer-streets/flagged").status_code == 403


def test_too_many_submissions_from_one_address_get_a_page_and_keep_the_answers(
    app: Flask, client: FlaskClient
) -> None:
    app.config["RATELIMIT_ENABLED"] = True
    app.config["SUBMISSION_RATE_LIMIT"] = "2 per minute"
    make_consultation()
    for _ in range(2):
        answer_all(client)
        _send(client)
    answer_all(client)
    refused = post_form(client, f"{BASE}/check")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Nothing you entered before this page has been lost" in refused.get_data(as_text=True)
    assert len(_responses()) == 2
    assert db.session.scalar(sa.select(sa.func.count(Draft.token))) == 1  # answers kept
