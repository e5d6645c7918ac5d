"""Officers type in responses that arrived on paper, by email or at an event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from common.clock import today
from common.database import db
from common.display import LOCAL_ZONE
from common.models import User
from survey.data.models import Answer, Question, Response, Status
from tests.support import csrf_token, error_summary, heading, make_consultation, page, post_form
from tests.support import sign_in as sign_in_as
from tests.test_officers import PAGE, date_parts, links_reach_inputs

ENTRY = f"{PAGE}/paper-response"


def sign_in(client: FlaskClient) -> User:
    email = sign_in_as(client, "officer")
    return db.session.scalar(sa.select(User).where(User.email == email))


def paper(**answers: Any) -> dict[str, Any]:
    """The paper entry form with today's date and `answers` (field name -> value)."""
    return {"channel": "paper", "received": date_parts(today()), **answers}


def stored_answers() -> set[tuple[str, int | None, int | None, str | None]]:
    """(question key, row, option, text) for every stored answer."""
    rows = db.session.execute(
        sa.select(Question.key, Answer.row, Answer.option, Answer.text).join(
            Question, Answer.question_id == Question.id
        )
    )
    return {tuple(r) for r in rows}


def response_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id))) or 0


def test_paper_response_is_recorded_with_its_channel_officer_and_answers(
    client: FlaskClient,
) -> None:
    make_consultation(status=Status.CLOSED)
    officer = sign_in(client)
    form_page = client.get(ENTRY)
    assert heading(form_page) == "Enter a paper response"
    assert (
        page(form_page)
        .find("input", attrs={"name": "channel", "value": "paper"})
        .has_attr("checked")
    )
    answers = {
        "agree-answer": "No",
        "support-row-1": "Strongly disagree",
        "hear-answer": ["Website", "Other"],
        "hear-other": "Leaflet",
        "worries-answer": "Cars parked on the pavement",
    }
    done = post_form(client, ENTRY, paper(**answers), follow_redirects=True)
    assert heading(done) == "Response recorded"
    reference = page(done).select_one(".govuk-panel__body strong").get_text(strip=True)
    assert "Enter another paper response" in page(done).get_text()
    stored = db.session.scalar(sa.select(Response))
    assert (stored.reference, stored.channel, stored.entered_by_id) == (
        reference,
        "paper",
        officer.id,
    )
    assert stored_answers() == {
        ("agree", None, 1, None),
        ("support", 1, 4, None),
        ("hear", None, 1, None),
        ("hear", None, -1, "Leaflet"),
        ("worries", None, None, "Cars parked on the pavement"),
    }


def test_an_answer_not_among_the_options_is_refused_and_nothing_saved(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client)
    refused = post_form(client, ENTRY, paper(**{"agree-answer": "Yes", "area-answer": "East"}))
    assert error_summary(refused) == ["'East' is not one of the options (North, South)"]
    links_reach_inputs(refused)
    assert page(refused).find(id="area-answer-error") is not None
    kept = page(refused).find("input", attrs={"name": "agree-answer", "value": "Yes"})
    assert kept.has_attr("checked"), "answers already typed are kept"
    assert response_count() == 0


def test_a_response_with_no_answers_at_all_is_refused(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client)
    refused = post_form(client, ENTRY, paper())
    assert error_summary(refused) == ["Enter at least one answer"]
    links_reach_inputs(refused)
    assert response_count() == 0


def test_every_kind_of_error_links_to_a_real_input(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client)
    refused = post_form(
        client,
        ENTRY,
        {
            "channel": "carrier pigeon",
            "received": ["31", "2", "2026"],
            "agree-answer": "Perhaps",
            "support-row-0": "Meh",
            "hear-answer": "Other",
            "worries-answer": "x" * 5001,
        },
    )
    assert error_summary(refused) == [
        "Select how the response arrived",
        "The date the response was received must be a real date",
        "'Perhaps' is not one of the options (Yes, No, Don't know)",
        "'Meh' is not one of the options (Strongly agree, Agree, Neither agree nor disagree, "
        "Disagree, Strongly disagree, Don't know)",
        "Enter what your other answer is",
        "Your answer must be 5,000 characters or fewer",
    ]
    links_reach_inputs(refused)
    assert response_count() == 0


def test_email_response_received_earlier_is_dated_that_day(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client)
    last_week = today() - dt.timedelta(days=7)
    sent = post_form(
        client,
        ENTRY,
        {"channel": "email", "received": date_parts(last_week), "agree-answer": "Yes"},
    )
    assert sent.status_code == 302, error_summary(sent)
    stored = db.session.scalar(sa.select(Response))
    assert stored.channel == "email"
    assert stored.submitted_at.astimezone(LOCAL_ZONE).date() == last_week


def test_a_date_received_in_the_future_is_refused(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client)
    tomorrow = today() + dt.timedelta(days=1)
    refused = post_form(
        client, ENTRY, paper(received=date_parts(tomorrow), **{"agree-answer": "Yes"})
    )
    assert error_summary(refused) == ["The date the response was received must be today or earlier"]
    links_reach_inputs(refused)
    assert response_count() == 0


def test_sending_the_same_page_twice_records_one_response(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client)
    form_page = client.get(ENTRY)
    token = page(form_page).find("input", attrs={"name": "submission"})["value"]
    data = paper(**{"agree-answer": "Yes", "csrf_token": csrf_token(form_page)})
    data["submission"] = token
    first = client.post(ENTRY, data=data)
    second = client.post(ENTRY, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert response_count() == 1
    another = post_form(client, ENTRY, paper(**{"agree-answer": "No"}))
    assert another.headers["Location"] != first.headers["Location"]
    assert response_count() == 2
