"""Officers build a consultation's questions in the browser, and preview them as residents."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from common.database import db
from survey.core.definitions import parse_details
from survey.core.questions import QuestionSpec, QuestionType
from survey.data import consultations as store
from survey.data.models import Consultation, Draft, Question, Response, Status
from tests.support import csrf_token, error_summary, heading, make_consultation, page, post_form
from tests.support import sign_in as sign_in_as
from tests.test_officers import PAGE, add_response, links_reach_inputs

EVERY_TYPE: list[tuple[dict[str, Any], QuestionSpec]] = [
    (
        {"key": "agree", "type": "agreement", "text": "Do you agree?", "required": "yes"},
        QuestionSpec("agree", QuestionType.AGREEMENT, "Do you agree?"),
    ),
    (
        {"key": "safe", "type": "likert", "text": "I feel safe", "hint": "After dark"},
        QuestionSpec("safe", QuestionType.LIKERT, "I feel safe", hint="After dark"),
    ),
    (
        {"key": "support", "type": "matrix", "text": "Support?", "rows": "Burglary\n\nDrugs\n"},
        QuestionSpec("support", QuestionType.MATRIX, "Support?", rows=("Burglary", "Drugs")),
    ),
    (
        {
            "key": "area",
            "type": "single_choice",
            "text": "Where do you live?",
            "options": "North\r\nSouth",
            "breakdown": "y",
        },
        QuestionSpec(
            "area",
            QuestionType.SINGLE_CHOICE,
            "Where do you live?",
            options=("North", "South"),
            breakdown=True,
        ),
    ),
    (
        {
            "key": "hear",
            "type": "multi_choice",
            "text": "How did you hear?",
            "required": "no",
            "options": "Newsletter\nWebsite",
            "other": "y",
        },
        QuestionSpec(
            "hear",
            QuestionType.MULTI_CHOICE,
            "How did you hear?",
            required=False,
            options=("Newsletter", "Website"),
            other=True,
        ),
    ),
    (
        {"key": "worries", "type": "free_text", "text": "Worries?", "codebook": "community-safety"},
        QuestionSpec("worries", QuestionType.FREE_TEXT, "Worries?", codebook="community-safety"),
    ),
]


def sign_in(client: FlaskClient) -> None:
    sign_in_as(client, "officer")


def question_form(**fields: Any) -> dict[str, Any]:
    """The add-a-question form as a browser sends it: blank boxes, unticked boxes left out."""
    form = {"key": "", "type": "", "text": "", "hint": "", "required": "yes"}
    form.update({"options": "", "rows": "", "codebook": "community-safety"})
    form.update(fields)
    return form


def empty_consultation() -> Consultation:
    """A draft consultation with no questions yet."""
    problems: list[str] = []
    raw = {
        "slug": "safer-streets",
        "title": "Safer streets",
        "summary": "Tell us.",
        "opens": "2026-01-01",
        "closes": "2026-12-31",
    }
    details = parse_details(raw, problems)
    assert details is not None, problems
    consultation = store.create_consultation(details)
    db.session.commit()
    return consultation


def stored_specs() -> list[QuestionSpec]:
    return [q.spec() for q in db.session.scalars(sa.select(Question).order_by(Question.position))]


def test_officer_adds_a_question_of_every_type(client: FlaskClient) -> None:
    empty_consultation()
    sign_in(client)
    for fields, _ in EVERY_TYPE:
        added = post_form(client, f"{PAGE}/new-question", question_form(**fields))
        assert added.status_code == 302, (fields["type"], error_summary(added))
    assert stored_specs() == [spec for _, spec in EVERY_TYPE]
    listed = page(client.get(PAGE)).select("tbody tr td:nth-of-type(2)")
    assert [cell.get_text(" ", strip=True).split(" Key: ")[1] for cell in listed] == [
        "agree",
        "safe",
        "support",
        "area",
        "hear",
        "worries",
    ]


def test_question_problems_appear_against_their_fields_and_nothing_is_saved(
    client: FlaskClient,
) -> None:
    empty_consultation()
    sign_in(client)
    form_page = client.get(f"{PAGE}/new-question")
    assert heading(form_page) == "Add a question"
    refused = post_form(
        client,
        f"{PAGE}/new-question",
        question_form(key="Area", type="single_choice", options="North\nnorth", rows="Oops"),
    )
    assert error_summary(refused) == [
        "Enter the question",
        "Key must start with a lower-case letter and use only a-z, 0-9 and _ "
        "(40 characters or fewer)",
        "Options must all be different: 'North', 'north' appear more than once",
    ]  # the statements belong to another type: ignored, not an error (see below)
    links_reach_inputs(refused)
    assert stored_specs() == []


def test_fields_of_other_types_are_ignored_as_the_page_without_javascript_sends_them(
    client: FlaskClient,
) -> None:
    empty_consultation()
    sign_in(client)
    every_field = {
        "options": "North\nSouth",
        "other": "y",
        "breakdown": "y",
        "rows": "Burglary",
        "codebook": "community-safety",
    }
    for fields, _ in EVERY_TYPE:
        sent = question_form(**{**every_field, **fields})
        added = post_form(client, f"{PAGE}/new-question", sent)
        assert added.status_code == 302, (fields["type"], error_summary(added))
    stored = stored_specs()
    assert [(s.options, s.other, s.breakdown, s.rows, s.codebook) for s in stored] == [
        ((), False, False, (), None),
        ((), False, False, (), None),
        ((), False, False, ("Burglary", "Drugs"), None),
        (("North", "South"), False, True, (), None),
        (("Newsletter", "Website"), True, False, (), None),
        ((), False, False, (), "community-safety"),
    ]
    # Its own fields are still checked: a choice question needs its two options.
    refused = post_form(
        client,
        f"{PAGE}/new-question",
        question_form(key="q", text="Q?", type="single_choice", options="Only", rows="Burglary"),
    )
    assert error_summary(refused) == ["Enter at least two options, one per line"]


def test_each_types_own_fields_say_which_types_take_them(client: FlaskClient) -> None:
    empty_consultation()
    sign_in(client)
    form = page(client.get(f"{PAGE}/new-question"))
    taken_by = {
        field["name"]: part["data-question-types"]
        for part in form.select("[data-question-types]")
        for field in part.select("input[name], textarea[name]")
        if field["name"] != "codebook"
    }
    assert taken_by == {
        "options": "single_choice multi_choice",
        "other": "multi_choice",
        "breakdown": "single_choice",
        "rows": "matrix",
        "options_cy": "single_choice multi_choice",
        "rows_cy": "matrix",
    }
    codebook = form.select_one("input[name=codebook]").find_parent(
        attrs={"data-question-types": True}
    )
    assert codebook["data-question-types"] == "free_text"
    script = form.select_one("script[src$='question_types.js']")
    assert script is not None


def test_the_codebook_is_chosen_from_a_list_with_each_ones_themes(client: FlaskClient) -> None:
    empty_consultation()
    sign_in(client)
    form = page(client.get(f"{PAGE}/new-question"))
    radios = form.select("input[name=codebook]")
    assert [(r["type"], r["value"], r.has_attr("checked")) for r in radios] == [
        ("radio", "", False),
        ("radio", "community-safety", True),
    ]
    themes = form.select_one("#codebook-themes-1")
    assert themes.summary.get_text(strip=True) == (
        "The themes of Community safety: the 14 areas of concern"
    )
    listed = [item.get_text(strip=True) for item in themes.select("li")]
    assert len(listed) == 14 and listed[:2] == ["Alcohol misuse", "Anti-social behaviour"]
    made_up = question_form(key="q", text="Worries?", type="free_text", codebook="made-up")
    refused = post_form(client, f"{PAGE}/new-question", made_up)
    assert error_summary(refused) == ["Select a codebook from the list, or none"]
    links_reach_inputs(refused)
    none = question_form(key="q", text="Worries?", type="free_text", codebook="")
    assert post_form(client, f"{PAGE}/new-question", none).status_code == 302
    assert stored_specs()[0].codebook is None


def test_type_must_be_chosen_and_choice_questions_need_two_options(client: FlaskClient) -> None:
    empty_consultation()
    sign_in(client)
    no_type = post_form(client, f"{PAGE}/new-question", question_form(key="q", text="Q?"))
    assert error_summary(no_type) == ["Select the type of question"]
    links_reach_inputs(no_type)
    one_option = post_form(
        client,
        f"{PAGE}/new-question",
        question_form(key="q", text="Q?", type="multi_choice", options="Only"),
    )
    assert error_summary(one_option) == ["Enter at least two options, one per line"]
    assert stored_specs() == []


def test_a_key_already_used_is_refused(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    sign_in(client)
    refused = post_form(
        client, f"{PAGE}/new-question", question_form(key="agree", type="agreement", text="Again?")
    )
    assert error_summary(refused) == ["A question with the key 'agree' already exists"]
    assert len(stored_specs()) == 6


def move(client: FlaskClient, key: str, direction: str) -> TestResponse:
    token = csrf_token(client.get(PAGE))
    return client.post(
        f"{PAGE}/questions/{key}/move", data={"csrf_token": token, "direction": direction}
    )


def test_officer_reorders_questions_with_move_buttons(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    sign_in(client)
    assert move(client, "agree", "down").headers["Location"] == f"{PAGE}#questions"
    move(client, "worries", "up")
    move(client, "agree", "up")  # back to the top
    move(client, "agree", "up")  # already there: nothing changes
    keys = [s.key for s in stored_specs()]
    assert keys == ["agree", "safe", "support", "area", "worries", "hear"]
    first_row = page(client.get(PAGE)).select_one("tbody tr")
    assert "Move up" not in first_row.get_text() and "Move down" in first_row.get_text()


def test_officer_removes_a_question_after_confirming(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    sign_in(client)
    confirm = client.get(f"{PAGE}/questions/safe/remove")
    assert heading(confirm) == "Are you sure you want to remove this question?"
    assert "I feel safe after dark" in page(confirm).get_text()
    removed = post_form(client, f"{PAGE}/questions/safe/remove", follow_redirects=True)
    assert "Question removed: I feel safe after dark" in page(removed).get_text()
    assert [s.key for s in stored_specs()] == ["agree", "support", "area", "hear", "worries"]
    positions = sorted(q.position for q in db.session.scalars(sa.select(Question)))
    assert positions == [0, 1, 2, 3, 4]


def test_wording_can_change_after_responses_and_frozen_parts_show_as_text(
    client: FlaskClient,
) -> None:
    consultation = make_consultation(status=Status.OPEN)
    add_response(consultation)
    sign_in(client)
    form_page = page(client.get(f"{PAGE}/questions/area"))
    frozen = form_page.find(id="frozen-details").get_text(" ", strip=True)
    assert "Options North South" in frozen and "Breaks down results Yes" in frozen
    assert form_page.find("textarea", attrs={"name": "options"}) is None
    assert form_page.find("input", attrs={"name": "key"}) is None
    saved = post_form(
        client,
        f"{PAGE}/questions/area",
        {"text": "Which area do you live in?", "hint": "Your ward", "required": "yes"},
    )
    assert saved.status_code == 302, error_summary(saved)
    area = next(s for s in stored_specs() if s.key == "area")
    assert (area.text, area.hint, area.options, area.breakdown) == (
        "Which area do you live in?",
        "Your ward",
        ("North", "South"),
        True,
    )


def test_a_forged_change_to_options_after_responses_is_refused_with_the_reason(
    client: FlaskClient,
) -> None:
    consultation = make_consultation(status=Status.OPEN)
    add_response(consultation)
    sign_in(client)
    before = stored_specs()
    refused = post_form(
        client,
        f"{PAGE}/questions/area",
        {"text": "Where?", "required": "yes", "options": "North\nSouth\nEast"},
    )
    assert error_summary(refused) == [
        "This consultation already has responses, so you cannot change its options of this "
        "question (wording fixes are still allowed)"
    ]
    links_reach_inputs(refused)
    taken = post_form(client, f"{PAGE}/questions/area", {"text": "Where?", "key": "safe"})
    assert error_summary(taken) == ["A question with the key 'safe' already exists"]
    links_reach_inputs(taken)
    assert stored_specs() == before


def test_questions_cannot_be_removed_once_there_are_responses(client: FlaskClient) -> None:
    consultation = make_consultation(status=Status.OPEN)
    add_response(consultation)
    sign_in(client)
    assert "Remove" not in page(client.get(PAGE)).select_one("tbody").get_text()
    confirm = client.get(f"{PAGE}/questions/safe/remove")
    assert "cannot be removed" in page(confirm).get_text()
    token = csrf_token(confirm)
    refused = client.post(f"{PAGE}/questions/safe/remove", data={"csrf_token": token})
    assert error_summary(refused) == [
        "This consultation already has responses, so its questions cannot be removed"
    ]
    links_reach_inputs(refused)
    assert len(stored_specs()) == 6


PREVIEW_ANSWERS = [
    ("agree", {"answer": "Yes"}),
    ("safe", {"answer": "Agree"}),
    ("support", {"row-0": "Agree", "row-1": "Disagree"}),
    ("area", {"answer": "South"}),
    ("hear", {}),
    ("worries", {"answer": "Speeding"}),
]


def test_preview_walks_a_draft_as_residents_see_it_and_saves_nothing(
    client: FlaskClient,
) -> None:
    make_consultation(status=Status.DRAFT)
    sign_in(client)
    start = client.get(f"{PAGE}/preview")
    assert start.headers["Location"] == f"{PAGE}/preview/agree"
    first = client.get(start.headers["Location"])
    assert heading(first) == "Question 1 of 6 Do you agree with the priorities?"
    assert "Nothing you enter is saved" in page(first).get_text()
    for number, (key, answer) in enumerate(PREVIEW_ANSWERS, start=1):
        sent = post_form(client, f"{PAGE}/preview/{key}", answer)
        expected = (
            f"{PAGE}/preview/{PREVIEW_ANSWERS[number][0]}"
            if number < len(PREVIEW_ANSWERS)
            else PAGE
        )
        assert sent.headers.get("Location") == expected, (key, error_summary(sent))
    end = client.get(PAGE)
    assert "That was the last question of the preview. Nothing was saved." in page(end).get_text()
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Draft.token))) == 0


def test_preview_shows_residents_error_messages_with_working_links(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    sign_in(client)
    matrix = post_form(client, f"{PAGE}/preview/support", {"row-0": "Agree"})
    assert error_summary(matrix) == ["Select an answer for 'Burglary'"]
    nothing = post_form(client, f"{PAGE}/preview/support", {})
    assert error_summary(nothing) == ["Select an answer for each statement"]
    links_reach_inputs(nothing)
    forged = post_form(client, f"{PAGE}/preview/area", {"answer": "East"})
    assert error_summary(forged) == ["'East' is not one of the options (North, South)"]
    links_reach_inputs(forged)
