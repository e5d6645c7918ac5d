"""Save and come back later: a resident saves a partly answered response, gets a code, and
carries on with it on another browser until the consultation closes; codes are stored hashed,
rate-limited, refused with a message naming the problem, dead once the consultation closes,
and saved answers are deleted after it has been closed for the retention period."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from common.clock import today
from common.database import db, utcnow
from survey.core import return_codes
from survey.core.questions import QuestionSpec, QuestionType, ShowIf
from survey.core.resuming import continue_at
from survey.data import retention
from survey.data.models import Consultation, Draft, Response, Status
from survey.data.unfinished import KEEP_FOR, new_draft
from tests.support import csrf_token, error_summary, heading, make_consultation, page, post_form
from tests.test_follow_ups import FOLLOW_UP_QUESTIONS
from tests.test_residents_welsh import make_welsh_consultation

BASE = "/consultations/safer-streets"
CODE_SHAPE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def answer(client: FlaskClient, key: str, data: dict[str, Any]) -> str:
    sent = post_form(client, f"{BASE}/questions/{key}", data)
    assert sent.status_code == 302, (key, error_summary(sent))
    return str(sent.headers["Location"])


def save_on(
    client: FlaskClient,
    key: str,
    data: dict[str, Any] | None = None,
    label: str = "Save and come back later",
) -> Any:
    """Press "Save and come back later" on a question's page, with what is filled in."""
    form = page(client.get(f"{BASE}/questions/{key}"))
    button = form.find("button", string=re.compile(label))
    assert button is not None, f"no save button on {key}'s page"
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    return client.post(button["formaction"], data={**(data or {}), "csrf_token": token})


def shown_code(client: FlaskClient) -> str:
    saved = client.get(f"{BASE}/saved")
    assert saved.status_code == 200, saved.headers.get("Location")
    assert heading(saved) == "Your answers have been saved"
    return page(saved).select_one(".app-return-code").get_text(strip=True)


def enter_code(client: FlaskClient, code: str, query: str = "") -> Any:
    return post_form(client, f"{BASE}/continue{query}", {"code": code})


def drafts() -> list[Draft]:
    return list(db.session.scalars(sa.select(Draft)))


def responses() -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id))) or 0


# --- codes and where to carry on (pure core) ----------------------------------------------


def test_a_code_is_twelve_unmistakable_characters_shown_in_threes_of_four() -> None:
    codes = {return_codes.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert return_codes.well_formed(code)
        assert CODE_SHAPE.match(return_codes.shown(code))
        assert not set(code) & set("01OIL")


def test_a_typed_code_forgives_case_spaces_and_dashes_but_not_other_letters() -> None:
    assert return_codes.normalised(" k7qp m3xd–9rwt\n") == "K7QPM3XD9RWT"
    assert return_codes.well_formed(return_codes.normalised("k7qp-m3xd-9rwt"))
    assert not return_codes.well_formed(return_codes.normalised("K7QP-M3XD-9RW"))  # 11
    assert not return_codes.well_formed(return_codes.normalised("K7QP-M3XD-9RWO"))  # an O


def test_only_the_sha256_of_the_normalised_code_is_kept() -> None:
    expected = hashlib.sha256(b"K7QPM3XD9RWT").hexdigest()
    assert return_codes.digest(return_codes.normalised("k7qp-m3xd-9rwt")) == expected


def _spec(key: str, required: bool = True, show_if: ShowIf | None = None) -> QuestionSpec:
    return QuestionSpec(
        key=key, type=QuestionType.AGREEMENT, text=key, required=required, show_if=show_if
    )


def test_carrying_on_skips_optional_questions_passed_before_the_page_saved_on() -> None:
    every = [_spec("a"), _spec("b", required=False), _spec("c"), _spec("d", required=False)]
    # b was left blank on purpose, c's page was where they saved: carry on at c.
    assert continue_at(every, every, {"a"}, "c") == "c"
    # Saved on d's page having answered c: d, not yet reached when saving, is asked.
    assert continue_at(every, every, {"a", "c"}, "d") == "d"
    # Saved on the check page: everything was reached, so the check.
    assert continue_at(every, every, {"a", "c"}, None) is None
    # A required question with no answer is asked wherever they saved.
    assert continue_at(every, every, {"a"}, None) == "c"


def test_carrying_on_lands_on_a_follow_up_the_saved_answers_ask() -> None:
    follow_up = _spec("why", show_if=ShowIf("a", ("No",)))
    every = [_spec("a"), follow_up, _spec("c")]
    assert continue_at(every, [every[0], follow_up, every[2]], {"a"}, "why") == "why"
    assert continue_at(every, [every[0], every[2]], {"a"}, "why") == "c"


# --- saving ------------------------------------------------------------------------------


def test_saving_on_a_question_keeps_its_answer_and_shows_a_code_stored_only_hashed(
    client: FlaskClient,
) -> None:
    make_consultation()
    answer(client, "agree", {"answer": "Yes"})
    saved = save_on(client, "safe", {"answer": "Agree"})
    assert saved.headers["Location"] == f"{BASE}/saved"
    code = shown_code(client)
    assert CODE_SHAPE.match(code), code
    text = page(client.get(f"{BASE}/saved")).get_text(" ")
    closes = db.session.scalar(sa.select(Consultation.closes))
    assert f"kept until the consultation closes on {closes.day} " in text
    assert f"http://localhost{BASE}/continue" in text
    (draft,) = drafts()
    assert draft.answers == {"agree": "Yes", "safe": "Agree"}
    assert draft.saved_on == "safe"
    assert draft.code_digest == return_codes.digest(return_codes.normalised(code))
    # The code itself is in no column of any table.
    bare = return_codes.normalised(code)
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            assert bare not in str(tuple(row)) and code not in str(tuple(row)), table.name


def test_saving_again_from_the_same_browser_shows_the_same_code(client: FlaskClient) -> None:
    make_consultation()
    answer(client, "agree", {"answer": "Yes"})
    save_on(client, "safe")
    first = shown_code(client)
    answer(client, "safe", {"answer": "Agree"})
    save_on(client, "support")
    assert shown_code(client) == first


def test_an_answer_with_a_problem_is_shown_to_be_put_right_not_saved(
    client: FlaskClient,
) -> None:
    make_consultation()
    refused = save_on(client, "agree", {"answer": "Not an option"})
    assert refused.status_code == 200
    assert error_summary(refused) == [
        "'Not an option' is not one of the options (Yes, No, Don't know)"
    ]
    assert drafts() == []
    assert client.get(f"{BASE}/saved").status_code == 302  # no code was given


def test_a_blank_required_question_can_still_be_saved_and_is_asked_on_return(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation()
    answer(client, "agree", {"answer": "Yes"})
    assert save_on(client, "safe", {}).status_code == 302
    code = shown_code(client)
    other = app.test_client()
    assert enter_code(other, code).headers["Location"] == f"{BASE}/questions/safe"


def test_saving_on_the_check_page_comes_back_to_the_check(app: Flask, client: FlaskClient) -> None:
    make_consultation()
    for key, data in [
        ("agree", {"answer": "Yes"}),
        ("safe", {"answer": "Agree"}),
        ("support", {"row-0": "Agree", "row-1": "Disagree"}),
        ("area", {"answer": "North"}),
        ("hear", {}),  # optional, left blank
        ("worries", {}),  # optional, left blank
    ]:
        answer(client, key, data)
    check = page(client.get(f"{BASE}/check"))
    button = check.find("button", string=re.compile("Save and come back later"))
    token = check.find("input", attrs={"name": "csrf_token"})["value"]
    saved = client.post(button["formaction"], data={"csrf_token": token})
    assert saved.headers["Location"] == f"{BASE}/saved"
    other = app.test_client()
    back = enter_code(other, shown_code(client))
    assert back.headers["Location"] == f"{BASE}/check"
    assert heading(other.get(f"{BASE}/check")) == "Check your answers before sending your response"


def test_a_saved_draft_outlives_the_sweep_of_abandoned_drafts(app: Flask) -> None:
    consultation = make_consultation()
    saved, abandoned = new_draft(consultation), new_draft(consultation)
    saved.code_digest = return_codes.digest(return_codes.new_code())
    db.session.flush()
    long_ago = utcnow() - KEEP_FOR - dt.timedelta(days=1)
    for draft in (saved, abandoned):
        draft.updated_at = long_ago
    kept, swept = saved.token, abandoned.token
    db.session.commit()
    new_draft(consultation)
    db.session.commit()
    tokens = {d.token for d in drafts()}
    assert kept in tokens and swept not in tokens


# --- coming back -------------------------------------------------------------------------


def test_a_code_restores_the_answers_on_another_browser_which_sends_them_once(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation()
    start = page(client.get(BASE))
    link = start.find("a", string="Continue a response you saved")
    assert link is not None and link["href"] == f"{BASE}/continue"
    answer(client, "agree", {"answer": "Yes"})
    answer(client, "safe", {"answer": "Agree"})
    save_on(client, "support")
    code = shown_code(client)

    other = app.test_client()
    form = other.get(f"{BASE}/continue")
    assert heading(form) == "Enter the code you were given when you saved your answers"
    back = enter_code(other, code.lower().replace("-", " "))
    assert back.headers["Location"] == f"{BASE}/questions/support"
    answer(other, "support", {"row-0": "Agree", "row-1": "Agree"})
    answer(other, "area", {"answer": "South"})
    answer(other, "hear", {})
    answer(other, "worries", {})
    sent = post_form(other, f"{BASE}/check", follow_redirects=True)
    assert "Response sent" in heading(sent)
    assert responses() == 1
    # The browser that saved no longer holds the answers: it cannot send them a second time.
    assert client.get(f"{BASE}/check").headers["Location"] == f"{BASE}/questions/agree"
    assert client.get(f"{BASE}/saved").headers["Location"] == BASE
    assert responses() == 1
    # Sent answers are gone, code and all.
    refused = enter_code(app.test_client(), code)
    assert error_summary(refused) == [
        "There are no saved answers with this code. Check the code and enter it again"
    ]


def test_the_browser_that_saved_loses_the_answers_once_another_takes_them(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation()
    answer(client, "agree", {"answer": "Yes"})
    save_on(client, "safe")
    code = shown_code(client)
    token = csrf_token(client.get(f"{BASE}/questions/safe"))
    enter_code(app.test_client(), code)
    (draft,) = drafts()
    # Sending from the browser that saved sends nothing: it holds no answers any more.
    refused = client.post(f"{BASE}/check", data={"csrf_token": token})
    assert refused.headers["Location"] == f"{BASE}/questions/agree"
    assert responses() == 0
    # The saving browser's next answer starts a draft of its own; the saved one is untouched.
    answer(client, "agree", {"answer": "No"})
    assert db.session.get(Draft, draft.token).answers == {"agree": "Yes"}


def test_coming_back_lands_on_a_follow_up_the_saved_answers_ask(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation(questions=FOLLOW_UP_QUESTIONS)
    assert answer(client, "feel_safe", {"answer": "No"}) == f"{BASE}/questions/why_unsafe"
    save_on(client, "why_unsafe")
    other = app.test_client()
    assert enter_code(other, shown_code(client)).headers["Location"] == (
        f"{BASE}/questions/why_unsafe"
    )
    answer(other, "why_unsafe", {"answer": "Dark alleys"})
    answer(other, "where_unsafe", {"answer": ["Home"]})
    # The follow-up of a follow-up, asked now, then the check lists every asked question.
    assert answer(other, "home_help", {"answer": "No thanks"}) == f"{BASE}/questions/area"


def test_coming_back_passes_over_an_optional_question_left_blank(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation()
    for key, data in [
        ("agree", {"answer": "Yes"}),
        ("safe", {"answer": "Agree"}),
        ("support", {"row-0": "Agree", "row-1": "Agree"}),
        ("area", {"answer": "North"}),
        ("hear", {}),  # optional, passed on purpose
    ]:
        answer(client, key, data)
    save_on(client, "worries")
    other = app.test_client()
    assert enter_code(other, shown_code(client)).headers["Location"] == (
        f"{BASE}/questions/worries"
    )


def test_the_link_in_an_email_fills_in_the_code_but_only_the_button_restores(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation()
    answer(client, "agree", {"answer": "Yes"})
    save_on(client, "safe")
    code = shown_code(client)
    other = app.test_client()
    form = other.get(f"{BASE}/continue?code={code}")
    assert page(form).find("input", id="code")["value"] == code
    (draft,) = drafts()
    assert db.session.get(Draft, draft.token) is not None  # reading the page moved nothing


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your code"),
        (" - ", "Enter your code"),
        (
            "K7QP-M3XD",
            "Enter your code as it was given to you: 12 letters and numbers, like K7QP-M3XD-9RWT",
        ),  # fmt: skip
        (
            "K7QP-M3XD-9RWT",
            "There are no saved answers with this code. Check the code and enter it again",
        ),  # fmt: skip
    ],
)
def test_a_wrong_code_is_refused_with_a_message_naming_the_problem(
    client: FlaskClient, typed: str, message: str
) -> None:
    make_consultation()
    refused = enter_code(client, typed)
    assert refused.status_code == 200
    assert error_summary(refused) == [message]
    assert page(refused).title.get_text().startswith("Error: ")
    assert page(refused).find("input", id="code")["value"] == typed
    assert page(refused).select_one("#code-error") is not None


def test_a_code_of_another_consultation_does_not_open_this_one(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation()
    make_consultation(slug="other-streets", title="Other streets")
    answer(client, "agree", {"answer": "Yes"})
    save_on(client, "safe")
    code = shown_code(client)
    refused = post_form(app.test_client(), "/consultations/other-streets/continue", {"code": code})
    assert error_summary(refused) == [
        "There are no saved answers with this code. Check the code and enter it again"
    ]


def test_welsh_pages_and_errors(app: Flask, client: FlaskClient) -> None:
    make_welsh_consultation()
    client.get(f"{BASE}?lang=cy")
    start = page(client.get(BASE))
    assert start.find("a", string="Parhau ag ymateb a gadwyd gennych") is not None
    answer(client, "agree", {"answer": "Ydw"})
    save_on(client, "safe", label="Cadw a dod yn ôl yn nes ymlaen")
    saved = client.get(f"{BASE}/saved")
    assert saved.status_code == 200
    assert heading(saved) == "Mae eich atebion wedi’u cadw"
    other = app.test_client()
    other.get(f"{BASE}/continue?lang=cy")
    refused = enter_code(other, "K7QP")
    assert error_summary(refused) == [
        "Rhowch eich cod fel y cafodd ei roi i chi: 12 llythyren a rhif, fel K7QP-M3XD-9RWT"
    ]
    unknown = enter_code(other, "K7QP-M3XD-9RWT")
    assert error_summary(unknown) == [
        "Nid oes atebion wedi’u cadw gyda’r cod hwn. Gwiriwch y cod a’i roi eto"
    ]


# --- limits and closing ------------------------------------------------------------------


def test_entering_codes_is_limited_per_address(app: Flask, client: FlaskClient) -> None:
    app.config.update(RATELIMIT_ENABLED=True, RETURN_CODE_RATE_LIMIT="3 per minute")
    make_consultation()
    tries = [enter_code(client, "K7QP-M3XD-9RWT").status_code for _ in range(4)]
    assert tries == [200, 200, 200, 429]
    # Another address has its own count; reading the page is not counted.
    assert client.get(f"{BASE}/continue").status_code == 200
    other = post_form(
        app.test_client(),
        f"{BASE}/continue",
        {"code": "K7QP-M3XD-9RWT"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other.status_code == 200


def test_saving_is_counted_like_sending(app: Flask, client: FlaskClient) -> None:
    app.config.update(RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="2 per minute")
    make_consultation()
    tries = [save_on(client, "agree").status_code for _ in range(3)]
    assert tries == [302, 302, 429]


def test_after_closing_a_code_no_longer_works_and_the_page_says_so(
    app: Flask, client: FlaskClient
) -> None:
    consultation = make_consultation()
    answer(client, "agree", {"answer": "Yes"})
    save_on(client, "safe")
    code = shown_code(client)
    other = app.test_client()
    token = csrf_token(other.get(f"{BASE}/continue"))  # the page open as the consultation closes
    consultation.closes = today() - dt.timedelta(days=1)
    db.session.commit()
    closed = other.get(f"{BASE}/continue")
    assert heading(closed) == "This consultation has closed"
    refused = other.post(f"{BASE}/continue", data={"code": code, "csrf_token": token})
    assert heading(refused) == "This consultation has closed"
    assert other.get(f"{BASE}/check").status_code == 302
    assert client.get(f"{BASE}/saved").headers["Location"] == BASE
    consultation.closes = today() + dt.timedelta(days=3)
    consultation.status = Status.CLOSED.value  # closed early by an officer
    db.session.commit()
    assert heading(other.get(f"{BASE}/continue")) == "This consultation has closed"


def _saved_draft(consultation: Consultation) -> Draft:
    draft = new_draft(consultation)
    draft.code_digest = return_codes.digest(return_codes.new_code())
    return draft


def test_saved_answers_are_deleted_once_closed_for_the_retention_period(app: Flask) -> None:
    day = today()
    closed_long_ago = make_consultation(
        slug="long-ago", opens="2020-01-01", closes=(day - dt.timedelta(days=31)).isoformat()
    )
    closed_lately = make_consultation(
        slug="lately", opens="2020-01-01", closes=(day - dt.timedelta(days=30)).isoformat()
    )
    still_open = make_consultation(slug="still-open")
    closed_early = make_consultation(slug="closed-early", status=Status.CLOSED)
    _, recent_saved, open_saved, _ = (
        _saved_draft(c) for c in (closed_long_ago, closed_lately, still_open, closed_early)
    )
    not_saved = new_draft(closed_long_ago)  # the sweep of abandoned drafts deals with these
    db.session.commit()
    kept = {recent_saved.token, open_saved.token, not_saved.token}
    # Closed by an officer 31 days ago (its last change); set past the flush hook that moves it.
    db.session.execute(
        sa.update(Consultation)
        .where(Consultation.id == closed_early.id)
        .values(updated_at=utcnow() - dt.timedelta(days=31))
    )
    db.session.commit()

    now = utcnow()

    def run(at: dt.datetime) -> int:
        went = retention.remove(retention.Rules(at, saved_answers_days=30), [retention.SAVED])
        db.session.commit()
        return sum(d.count for d in went)

    assert run(now) == 2
    assert {d.token for d in drafts()} == kept
    assert run(now) == 0
    assert run(now + dt.timedelta(days=1)) == 1
