"""The one write path: every answer stored, and a draft sent twice at once recorded once."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from survey import recording
from survey.answers import AnswerValue, RawMulti, StoredRow, check_response, from_rows
from survey.database import db
from survey.direct_statements import stand_alone
from survey.models import Answer, Channel, Consultation, Draft, Response
from tests.support import make_consultation

RAW: dict[str, Any] = {
    "agree": "Yes",
    "safe": "Agree",
    "support": {0: "Strongly agree", 1: "Disagree"},
    "area": "North",
    "hear": RawMulti(("Website", "Other"), "Parish magazine"),
    "worries": "Speeding outside the school 😀",
}


def _values(consultation: Consultation) -> dict[str, AnswerValue]:
    values, problems = check_response([q.spec() for q in consultation.questions], RAW)
    assert not problems
    return values


def test_every_answer_is_stored_and_reads_back_the_same(app: Flask) -> None:
    consultation = make_consultation()
    values = _values(consultation)
    response = recording.record_response(consultation, values, Channel.PAPER)
    db.session.commit()
    answers = db.session.scalars(sa.select(Answer).where(Answer.response_id == response.id))
    rows: dict[int, list[StoredRow]] = {}
    for answer in answers:
        rows.setdefault(answer.question_id, []).append(
            StoredRow(answer.row, answer.option, answer.text)
        )
    stored = {q.key: from_rows(q.spec(), rows.get(q.id, [])) for q in consultation.questions}
    assert stored == values
    assert len(response.answers) == 8  # 2 matrix rows and 2 ticked options


def _stored(consultation: Consultation, response_id: int) -> dict[str, AnswerValue]:
    rows: dict[int, list[StoredRow]] = {}
    for answer in db.session.scalars(sa.select(Answer).where(Answer.response_id == response_id)):
        rows.setdefault(answer.question_id, []).append(
            StoredRow(answer.row, answer.option, answer.text)
        )
    return {
        q.key: value
        for q in consultation.questions
        if (value := from_rows(q.spec(), rows.get(q.id, []))) is not None
    }


@pytest.mark.parametrize("answered", [list(RAW), ["area"], []], ids=["all", "one", "none"])
def test_an_online_submission_stores_its_answers_and_drops_its_draft(
    app: Flask, answered: list[str]
) -> None:
    # On PostgreSQL the response, its answers and the draft's deletion are one statement.
    consultation = make_consultation()
    values = {key: value for key, value in _values(consultation).items() if key in answered}
    db.session.add(Draft(token="draft-token", consultation_id=consultation.id, answers={}))
    db.session.add(Draft(token="another-token", consultation_id=consultation.id, answers={}))
    db.session.commit()
    reference = recording.submit_once(consultation, values, "draft-token", ("why", "ABCDEFGH"))
    response = recording.find_by_token("draft-token")
    assert response is not None and response.reference == reference
    assert (response.channel, response.review_reason, response.review_like) == (
        "online",
        "why",
        "ABCDEFGH",
    )
    assert response.tally_state == 0  # not yet in the kept tallies
    assert _stored(consultation, response.id) == values
    assert len(values) == len(answered)
    tokens = db.session.scalars(sa.select(Draft.token)).all()
    assert tokens == ["another-token"]


def test_text_with_any_characters_is_stored_exactly_as_sent(app: Flask) -> None:
    # On PostgreSQL a submission's answers travel to the server as one JSON document.
    consultation = make_consultation()
    typed = 'He said "slow down" \\ not C:\\path\n\tthen left. שלום عليكم 😀 {"a": [1]} \u00e9'
    raw = RAW | {"worries": typed}
    values, problems = check_response([q.spec() for q in consultation.questions], raw)
    assert not problems
    db.session.add(Draft(token="draft-token", consultation_id=consultation.id, answers={}))
    db.session.commit()
    recording.submit_once(consultation, values, "draft-token")
    response = recording.find_by_token("draft-token")
    assert response is not None
    assert _stored(consultation, response.id) == values
    worries = next(q.id for q in consultation.questions if q.key == "worries")
    assert db.session.scalar(sa.select(Answer.text).where(Answer.question_id == worries)) == typed


def test_a_draft_sent_twice_at_once_is_recorded_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = make_consultation()
    values = _values(consultation)
    first = recording.submit_once(consultation, values, "draft-token")
    # The second request read the draft before the first had committed, so only the unique
    # constraint on the token stops it; it is then given the first one's response.
    real = recording.find_by_token
    lookups: list[str] = []

    def counted(token: str) -> Response | None:
        lookups.append(token)
        return real(token)

    monkeypatch.setattr(recording, "find_by_token", counted)
    second = recording.submit_once(consultation, values, "draft-token")
    assert second == first
    assert lookups == ["draft-token"]
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1


def test_a_reference_already_taken_is_drawn_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = make_consultation()
    values = _values(consultation)
    recording.record_response(consultation, values, Channel.PAPER, reference="CDFGHJKM")
    db.session.commit()
    drawn = iter(["CDFGHJKM", "CDFGHJKM", "NPQRTWXY"])
    monkeypatch.setattr(recording, "new_reference", lambda: next(drawn))
    assert recording.submit_once(consultation, values, "draft-token") == "NPQRTWXY"
    response = recording.find_by_token("draft-token")
    assert response is not None and response.reference == "NPQRTWXY"
    references = db.session.scalars(sa.select(Response.reference).order_by(Response.id)).all()
    assert references == ["CDFGHJKM", "NPQRTWXY"]


def test_a_submission_on_its_own_connection_is_still_recorded_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As POST /check sends it: its statements run straight on one pooled connection, each
    # committed on its own (survey.direct_statements). Its write must still be all or
    # nothing, a draft sent twice still recorded once, and the connection given back to the
    # pool in its usual transactional state.
    made = make_consultation()
    cid, values = made.id, _values(made)
    db.session.add(Draft(token="draft-token", consultation_id=cid, answers={}))
    db.session.add(Draft(token="second-token", consultation_id=cid, answers={}))
    db.session.commit()

    def new_request() -> Consultation:
        db.session.remove()
        consultation = db.session.get(Consultation, cid)
        assert consultation is not None
        return consultation

    with stand_alone():
        first = recording.submit_once(new_request(), values, "draft-token")
        # The second reached the write after the first had deleted the draft and stored its
        # response: the unique token refuses it, and it is given the first one's reference.
        assert recording.submit_once(new_request(), values, "draft-token") == first
    # A reference already taken: the refused write leaves nothing behind, the next one lands.
    recording.record_response(new_request(), values, Channel.PAPER, reference="CDFGHJKM")
    db.session.commit()
    drawn = iter(["CDFGHJKM", "NPQRTWXY"])
    monkeypatch.setattr(recording, "new_reference", lambda: next(drawn))
    with stand_alone():
        assert recording.submit_once(new_request(), values, "second-token") == "NPQRTWXY"
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 3
    assert db.session.scalar(sa.select(sa.func.count(Answer.id))) == 24
    assert db.session.scalar(sa.select(sa.func.count(Draft.token))) == 0
    assert db.engine.pool.checkedout() == 1  # the session's own, not the submission's
    db.session.remove()
    pooled = db.engine.raw_connection()
    try:
        # Transactional again, as the session expects a connection from the pool to be.
        assert not db.engine.dialect.detect_autocommit_setting(pooled.driver_connection)
    finally:
        pooled.close()
