"""A resident answers a consultation online: every question type, check answers, submit once."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db
from survey.data.models import Answer, Response, Status
from tests.support import error_summary, heading, make_consultation, page, post_form

BASE = "/consultations/safer-streets"


def answer_all(client: FlaskClient, base: str = BASE) -> None:
    steps = [
        ("agree", {"answer": "Yes"}),
        ("safe", {"answer": "Agree"}),
        ("support", {"row-0": "Strongly agree", "row-1": "Disagree"}),
        ("area", {"answer": "North"}),
        ("hear", {"answer": ["Website", "Other"], "other": "Parish magazine"}),
        ("worries", {"answer": "Drunk people shouting at night 😀 \u05e9\u05dc\u05d5\u05dd"}),
    ]
    for key, data in steps:
        response = post_form(client, f"{base}/questions/{key}", data)
        assert response.status_code == 302, (key, error_summary(response))


def test_resident_answers_every_type_and_gets_a_reference(client: FlaskClient) -> None:
    make_consultation()
    answer_all(client)
    check = client.get(f"{BASE}/check")
    assert heading(check) == "Check your answers before sending your response"
    text = page(check).get_text(" ")
    assert "Anti-social behaviour: Strongly agree" in text
    assert "Other: Parish magazine" in text
    done = post_form(client, f"{BASE}/check", follow_redirects=True)
    assert "Response sent" in heading(done)
    reference = page(done).select_one(".govuk-panel__body strong").get_text(strip=True)
    assert len(reference) == 8
    stored = db.session.scalar(sa.select(Response))
    assert stored.reference == reference and stored.channel == "online"
    counts = db.session.execute(sa.select(sa.func.count(Answer.id))).scalar()
    # agree, safe, 2 matrix rows, area, 2 ticked options, free text
    assert counts == 8


def test_required_question_left_blank_shows_gov_uk_error(client: FlaskClient) -> None:
    make_consultation()
    response = post_form(client, f"{BASE}/questions/agree", {})
    assert response.status_code == 200
    assert error_summary(response) == ["Select an answer"]
    assert page(response).title.get_text().startswith("Error: ")


def test_double_submission_records_one_response(client: FlaskClient) -> None:
    make_consultation()
    answer_all(client)
    check = client.get(f"{BASE}/check")
    token = page(check).find("input", attrs={"name": "csrf_token"})["value"]
    first = client.post(f"{BASE}/check", data={"csrf_token": token})
    second = client.post(f"{BASE}/check", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
    confirmation = client.get(second.headers["Location"])
    assert "Response sent" in heading(confirmation)


def test_closed_consultation_says_so_and_accepts_nothing(client: FlaskClient) -> None:
    make_consultation(status=Status.CLOSED)
    start = client.get(BASE)
    assert "It is no longer accepting responses" in page(start).get_text()
    answer = client.get(f"{BASE}/questions/agree")
    assert answer.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
