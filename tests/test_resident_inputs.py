"""Whatever a resident (or a bot) sends, the answer is a clear page, never a 500."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db
from survey.data.models import Answer, Draft, Question, Response
from survey.data.unfinished import consultation_and_draft, submitting
from tests.support import csrf_token, error_summary, heading, make_consultation, page, post_form
from tests.test_residents_journey import BASE, answer_all

NASTY = [
    ("control characters", "a\x00b\x01c\x1bd", "abcd"),
    ("emoji", "Scared 😱 of 🚗 crime", "Scared 😱 of 🚗 crime"),
    ("right-to-left", "أخاف من السرقة", "أخاف من السرقة"),
    ("combining marks", "cafe\u0301 Zalgo z\u0335\u0321", "café Zalgo z\u0335\u0321"),
    ("html and script", "<script>alert('x')</script><b>bold</b>", None),
    ("sql-looking", "'; DROP TABLE response; --", "'; DROP TABLE response; --"),
]


@pytest.mark.parametrize(("label", "typed", "stored"), NASTY, ids=[n[0] for n in NASTY])
def test_free_text_is_stored_clean_and_shown_escaped(
    client: FlaskClient, label: str, typed: str, stored: str | None
) -> None:
    make_consultation()
    answer_all(client)
    response = post_form(client, f"{BASE}/questions/worries?change=1", {"answer": typed})
    assert response.status_code == 302, label
    check = client.get(f"{BASE}/check")
    assert check.status_code == 200
    shown = page(check).get_text()
    expected = stored if stored is not None else typed
    assert expected in shown
    assert "<script>alert" not in check.get_data(as_text=True)
    post_form(client, f"{BASE}/check")
    saved = db.session.scalar(
        sa.select(Answer.text).join(Question).where(Question.key == "worries")
    )
    assert saved == expected


def test_invalid_utf8_and_lone_surrogates_in_the_body_are_replaced_not_fatal(
    client: FlaskClient,
) -> None:
    make_consultation()
    answer_all(client)
    form = client.get(f"{BASE}/questions/worries")
    body = b"csrf_token=" + csrf_token(form).encode() + b"&answer=before%ED%A0%80%FFafter"
    response = client.post(
        f"{BASE}/questions/worries?change=1",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    post_form(client, f"{BASE}/check")
    saved = db.session.scalar(
        sa.select(Answer.text).join(Question).where(Question.key == "worries")
    )
    assert saved is not None and saved.startswith("before") and saved.endswith("after")
    assert all(not 0xD800 <= ord(ch) <= 0xDFFF for ch in saved)


def test_over_long_free_text_is_refused_with_the_limit(client: FlaskClient) -> None:
    make_consultation()
    response = post_form(client, f"{BASE}/questions/worries", {"answer": "x" * 5001})
    assert response.status_code == 200
    assert error_summary(response) == ["Your answer must be 5,000 characters or fewer"]
    field = page(response).find("textarea", attrs={"name": "answer"})
    assert len(field.get_text()) == 5001, "what the resident typed is given back to edit"


def test_a_megabyte_of_text_gets_a_clear_error_not_a_crash(client: FlaskClient) -> None:
    make_consultation()
    response = post_form(client, f"{BASE}/questions/worries", {"answer": "y" * 1_000_000})
    assert response.status_code == 200
    assert error_summary(response) == ["Your answer must be 5,000 characters or fewer"]


def test_a_forged_option_is_refused_by_name(client: FlaskClient) -> None:
    make_consultation()
    response = post_form(client, f"{BASE}/questions/area", {"answer": "<i>Mars</i>"})
    assert error_summary(response) == ["'<i>Mars</i>' is not one of the options (North, South)"]
    assert "<i>Mars</i>" not in response.get_data(as_text=True)


def test_missing_csrf_token_gives_a_clear_page_and_saves_nothing(client: FlaskClient) -> None:
    make_consultation()
    response = client.post(f"{BASE}/questions/agree", data={"answer": "Yes"})
    assert response.status_code == 400
    assert heading(response) == "Your page has expired"


def test_forged_csrf_token_gives_a_clear_page(client: FlaskClient) -> None:
    make_consultation()
    client.get(f"{BASE}/questions/agree")
    response = client.post(f"{BASE}/questions/agree", data={"answer": "Yes", "csrf_token": "x"})
    assert response.status_code == 400
    assert heading(response) == "Your page has expired"


def test_back_and_resubmit_records_one_response(client: FlaskClient) -> None:
    make_consultation()
    answer_all(client)
    check = client.get(f"{BASE}/check")
    token = csrf_token(check)
    client.post(f"{BASE}/check", data={"csrf_token": token})
    # A browser that keeps the page in its back/forward cache shows the old check page on
    # Back; the resident sends it again.
    again = client.post(f"{BASE}/check", data={"csrf_token": token}, follow_redirects=True)
    assert "Response sent" in heading(again)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1


def test_the_check_page_after_sending_shows_the_confirmation(client: FlaskClient) -> None:
    # Chromium's back button fetches the check page again (tests/test_browser.py): the
    # resident should see their response went in, with its reference, not a blank question 1.
    make_consultation()
    answer_all(client)
    sent = post_form(client, f"{BASE}/check", follow_redirects=True)
    reference = page(sent).select_one(".app-reference").get_text(strip=True)
    back = client.get(f"{BASE}/check", follow_redirects=True)
    assert heading(back) == "Response sent"
    assert page(back).select_one(".app-reference").get_text(strip=True) == reference
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1


def test_the_check_page_after_sending_elsewhere_is_not_a_confirmation(
    client: FlaskClient,
) -> None:
    # This browser sent a response to another consultation: nothing sent to this one yet.
    make_consultation()
    make_consultation(slug="other")
    answer_all(client, base="/consultations/other")
    post_form(client, "/consultations/other/check")
    response = client.get(f"{BASE}/check")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/questions/agree")


def test_a_new_response_after_submitting_starts_a_fresh_draft(client: FlaskClient) -> None:
    make_consultation()
    answer_all(client)
    post_form(client, f"{BASE}/check")
    answer_all(client)
    post_form(client, f"{BASE}/check")
    references = db.session.scalars(sa.select(Response.reference)).all()
    assert len(set(references)) == 2


def test_check_page_sends_back_to_the_first_unanswered_required_question(
    client: FlaskClient,
) -> None:
    make_consultation()
    post_form(client, f"{BASE}/questions/agree", {"answer": "Yes"})
    response = client.get(f"{BASE}/check")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/questions/safe")


def test_unknown_question_is_not_found(client: FlaskClient) -> None:
    make_consultation()
    assert client.get(f"{BASE}/questions/nope").status_code == 404


def test_a_matrix_left_blank_links_its_error_to_the_first_statement(client: FlaskClient) -> None:
    make_consultation()
    response = post_form(client, f"{BASE}/questions/support", {})
    assert error_summary(response) == ["Select an answer for each statement"]
    link = page(response).select_one(".govuk-error-summary__list a")["href"]
    assert link == "#row-0" and page(response).find(id="row-0") is not None


def test_a_draft_is_found_only_with_its_own_consultation(app: object) -> None:
    first = make_consultation()
    second = make_consultation(slug="second-consultation")
    db.session.add(Draft(token="first-draft", consultation_id=first.id, answers={}))
    db.session.commit()
    assert consultation_and_draft(first.slug, "first-draft") == (
        first,
        db.session.get(Draft, "first-draft"),
    )
    # The token of another consultation's draft, one no longer there, or none: no draft.
    assert consultation_and_draft(second.slug, "first-draft") == (second, None)
    assert consultation_and_draft(first.slug, "sent-already") == (first, None)
    assert consultation_and_draft(first.slug, None) == (first, None)
    assert consultation_and_draft("no-such-consultation", "first-draft") == (None, None)


def test_a_submission_reads_only_its_own_consultations_draft(app: object) -> None:
    first = make_consultation()
    second = make_consultation(slug="second-consultation")
    answers = {"agree": {"answer": "Yes"}}
    db.session.add(Draft(token="first-draft", consultation_id=first.id, answers=answers))
    db.session.commit()
    found = submitting(first.slug, "first-draft")
    assert found is not None
    assert (found.id, found.slug, found.status, found.opens, found.closes) == (
        first.id,
        first.slug,
        first.status,
        first.opens,
        first.closes,
    )
    assert found.updated_at == first.updated_at  # the question cache's key, as the page's
    assert found.draft_answers == answers
    # The token of another consultation's draft, one no longer there, or none: no answers.
    for slug, token in [(second.slug, "first-draft"), (first.slug, "sent-already")]:
        other = submitting(slug, token)
        assert other is not None and other.draft_answers is None
    nothing = submitting(first.slug, None)
    assert nothing is not None and nothing.draft_answers is None
    assert submitting("no-such-consultation", "first-draft") is None
