"""The one write path: every answer stored, and a draft sent twice at once recorded once."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError

from common.clock import today
from common.database import db
from common.spreadsheets import FileFormat
from survey.core.answers import AnswerValue, RawMulti, StoredRow
from survey.core.question_types import check_response, from_rows
from survey.data import recording
from survey.data.models import Answer, Channel, Consultation, Draft, Question, Response
from survey.data.personal_data import delete_response
from survey.data.transfers import export_responses, import_responses
from survey.web import residents
from tests.support import csrf_token, make_consultation, post_form, sign_in
from tests.test_officers import date_parts
from tests.test_residents_journey import answer_all

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
    consultation = make_consultation()
    values = {key: value for key, value in _values(consultation).items() if key in answered}
    db.session.add(Draft(token="draft-token", consultation_id=consultation.id, answers={}))
    db.session.add(Draft(token="another-token", consultation_id=consultation.id, answers={}))
    db.session.commit()
    sent = recording.record_submission(consultation, values, "draft-token", ("why", "ABCDEFGH"))
    db.session.commit()
    response = recording.find_by_token("draft-token")
    assert response is not None and response.reference == sent.reference
    assert (response.channel, response.review_reason, response.review_like) == (
        "online",
        "why",
        "ABCDEFGH",
    )
    assert _stored(consultation, response.id) == values
    assert len(values) == len(answered)
    tokens = db.session.scalars(sa.select(Draft.token)).all()
    assert tokens == ["another-token"]


def test_text_with_any_characters_is_stored_exactly_as_sent(app: Flask) -> None:
    consultation = make_consultation()
    typed = 'He said "slow down" \\ not C:\\path\n\tthen left. שלום عليكم 😀 {"a": [1]} \u00e9'
    raw = RAW | {"worries": typed}
    values, problems = check_response([q.spec() for q in consultation.questions], raw)
    assert not problems
    recording.record_submission(consultation, values, "draft-token")
    db.session.commit()
    response = recording.find_by_token("draft-token")
    assert response is not None
    assert _stored(consultation, response.id) == values
    worries = next(q.id for q in consultation.questions if q.key == "worries")
    assert db.session.scalar(sa.select(Answer.text).where(Answer.question_id == worries)) == typed


def test_the_same_draft_token_cannot_record_a_second_response(app: Flask) -> None:
    # Two requests that both read the draft before either committed: the unique token stops
    # the second, and nothing of it is kept.
    consultation = make_consultation()
    values = _values(consultation)
    first = recording.record_submission(consultation, values, "draft-token")
    db.session.commit()
    with pytest.raises(IntegrityError):
        recording.record_submission(consultation, values, "draft-token")
    db.session.rollback()
    assert db.session.scalars(sa.select(Response.reference)).all() == [first.reference]
    assert db.session.scalar(sa.select(sa.func.count(Answer.id))) == 8


def test_a_reference_already_taken_is_drawn_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = make_consultation()
    values = _values(consultation)
    recording.record_response(consultation, values, Channel.PAPER, reference="CDFGHJKM")
    db.session.commit()
    drawn = iter(["CDFGHJKM", "CDFGHJKM", "NPQRTWXY"])
    monkeypatch.setattr(recording, "new_reference", lambda: next(drawn))
    assert recording.record_submission(consultation, values, "draft-token").reference == "NPQRTWXY"
    db.session.commit()
    references = db.session.scalars(sa.select(Response.reference).order_by(Response.id)).all()
    assert references == ["CDFGHJKM", "NPQRTWXY"]


def _answers_of(response: Response) -> set[tuple[str, int | None, int | None, str | None]]:
    rows = db.session.execute(
        sa.select(Question.key, Answer.row, Answer.option, Answer.text)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.response_id == response.id)
    )
    return {tuple(row) for row in rows}


def test_the_same_response_through_each_channel_is_stored_the_same(client: FlaskClient) -> None:
    consultation = make_consultation()
    # A resident answers online.
    answer_all(client)
    assert post_form(client, "/consultations/safer-streets/check").status_code == 302
    online = db.session.scalars(sa.select(Response)).one()
    exported = export_responses(consultation, FileFormat.CSV)
    # An officer types the same answers in from paper.
    sign_in(client, "officer")
    typed = {
        "channel": "paper",
        "received": date_parts(today()),
        "agree-answer": "Yes",
        "safe-answer": "Agree",
        "support-row-0": "Strongly agree",
        "support-row-1": "Disagree",
        "area-answer": "North",
        "hear-answer": ["Website", "Other"],
        "hear-other": "Parish magazine",
        "worries-answer": "Drunk people shouting at night 😀 \u05e9\u05dc\u05d5\u05dd",
    }
    entry = "/officers/consultations/safer-streets/paper-response"
    assert post_form(client, entry, typed).status_code == 302
    paper = db.session.scalars(sa.select(Response).where(Response.channel == "paper")).one()
    # And the online one comes back from its export file as an imported row.
    expected = _answers_of(online)
    delete_response(online)
    db.session.commit()
    assert import_responses(consultation, exported, "responses.csv").count == 1
    imported = db.session.scalars(sa.select(Response).where(Response.channel == "online")).one()
    assert len(expected) == 8
    assert _answers_of(paper) == expected
    assert _answers_of(imported) == expected


def test_a_draft_sent_twice_at_once_is_recorded_once(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_consultation()
    answer_all(client)
    with client.session_transaction() as state:
        token = state["drafts"]["safer-streets"]
    # The second request read the draft before the first had recorded it.
    seen = residents.submitting("safer-streets", token)
    assert seen is not None and seen.draft_answers is not None
    first = post_form(client, "/consultations/safer-streets/check")
    assert first.status_code == 302
    monkeypatch.setattr(residents, "submitting", lambda slug, token: seen)
    with client.session_transaction() as state:
        state["drafts"] = {"safer-streets": token}
    csrf = csrf_token(client.get("/consultations/safer-streets/questions/agree"))
    second = client.post("/consultations/safer-streets/check", data={"csrf_token": csrf})
    # The unique draft token refuses the second; the resident sees the first's confirmation.
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
    assert db.session.scalar(sa.select(Response.submission_token)) == token
