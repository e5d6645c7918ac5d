"""Officers give a consultation in Welsh as well as English on the details form and the question
builder: all of it or none of it, so residents never meet a page that is half in English."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db
from survey.core.definitions import parse_details, parse_question
from survey.data.models import Consultation, Question, Status
from survey.web.definition_problems import (
    DETAIL_FIELDS,
    QUESTION_FIELDS,
    detail_problem,
    question_problem,
)
from tests.support import error_summary, heading, make_consultation, page, post_form
from tests.support import sign_in as sign_in_as
from tests.test_officer_questions import question_form
from tests.test_officers import PAGE, add_response, change_status, details, links_reach_inputs
from tests.test_residents_welsh import make_welsh_consultation

WELSH = {
    "title_cy": "Parciau mwy diogel",
    "summary_cy": "Dywedwch wrthym sut i wneud parciau’n fwy diogel.",
    "how_used_cy": "",
    "privacy_cy": "",
}
RESIDENT = "/consultations/safer-streets"


def sign_in(client: FlaskClient) -> None:
    sign_in_as(client, "officer")


def stored() -> Consultation:
    return db.session.scalars(sa.select(Consultation)).one()


def welsh_details(**changes: Any) -> dict[str, Any]:
    """The details form filled in, in English and Welsh."""
    return details(**{**WELSH, **changes})


def test_the_details_form_explains_that_welsh_is_optional(client: FlaskClient) -> None:
    sign_in(client)
    form = page(client.get("/officers/new-consultation"))
    fieldset = form.find(id="welsh")
    assert fieldset.legend.get_text(strip=True) == "Welsh (optional)"
    assert "Leave these empty for a consultation in English only" in fieldset.get_text()
    for name in WELSH:
        box = fieldset.find(attrs={"name": name})
        assert box is not None and box["lang"] == "cy", name


def test_officer_gives_the_details_in_welsh_and_residents_read_them(client: FlaskClient) -> None:
    sign_in(client)
    created = post_form(
        client, "/officers/new-consultation", welsh_details(title="Safer parks", slug="parks")
    )
    assert created.status_code == 302, error_summary(created)
    consultation = stored()
    assert (consultation.title_cy, consultation.summary_cy) == (
        WELSH["title_cy"],
        WELSH["summary_cy"],
    )
    shown = page(client.get("/officers/consultations/parks/details"))
    assert shown.find(id="title_cy")["value"] == WELSH["title_cy"]
    assert shown.find(id="summary_cy").get_text().strip() == WELSH["summary_cy"]


def test_changing_the_details_adds_or_clears_the_welsh(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client)
    own_words = {"how_used": "Officers read every response."}
    saved = post_form(
        client,
        f"{PAGE}/details",
        welsh_details(**own_words, how_used_cy="Bydd swyddogion yn darllen pob ymateb."),
    )
    assert saved.status_code == 302, error_summary(saved)
    assert stored().how_used_cy == "Bydd swyddogion yn darllen pob ymateb."
    cleared = post_form(
        client, f"{PAGE}/details", details(title_cy="", summary_cy="", how_used_cy="")
    )
    assert cleared.status_code == 302, error_summary(cleared)
    assert (stored().title_cy, stored().summary_cy, stored().how_used_cy) == ("", "", "")
    # English-only again: residents are offered no Welsh.
    start = page(client.get(f"{RESIDENT}?lang=cy"))
    assert start.select_one(".app-language-switch a") is None
    assert start.html["lang"] == "en"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"title_cy": "Parciau mwy diogel", "summary_cy": ""},
            ["Enter the summary in Welsh"],
        ),
        (
            {"title_cy": "", "summary_cy": "Dywedwch wrthym."},
            ["Enter the title in Welsh"],
        ),
        (
            {"how_used": "Officers read every response.", "privacy": "We keep answers a year."},
            [
                "Enter how answers will be used in Welsh, as you gave your own wording in English",
                "Enter the privacy notice in Welsh, as you gave your own wording in English",
            ],
        ),
        (
            {"privacy_cy": "Rydym yn cadw atebion am flwyddyn."},
            ["Enter a privacy notice in English too, or clear the Welsh"],
        ),
        (
            {"title_cy": "", "summary_cy": "", "how_used_cy": "Bydd swyddogion yn darllen."},
            [
                "Enter how answers will be used in English too, or clear the Welsh",
                "Enter the title in Welsh",
                "Enter the summary in Welsh",
            ],
        ),
    ],
    ids=["no-summary", "no-title", "own-wording", "welsh-only-privacy", "only-how-used"],
)
def test_some_welsh_needs_the_welsh_of_every_text_residents_read(
    client: FlaskClient, given: dict[str, str], expected: list[str]
) -> None:
    sign_in(client)
    refused = post_form(client, "/officers/new-consultation", welsh_details(**given))
    assert refused.status_code == 200
    assert error_summary(refused) == expected
    links_reach_inputs(refused)
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0


def test_welsh_longer_than_allowed_is_named_in_plain_words(client: FlaskClient) -> None:
    sign_in(client)
    refused = post_form(client, "/officers/new-consultation", welsh_details(title_cy="x" * 201))
    assert error_summary(refused) == ["Title in Welsh must be 200 characters or fewer"]


def test_every_core_welsh_detail_rule_reads_as_a_message_on_a_named_field() -> None:
    raw = {"slug": "s", "title": "t", "summary": "s", "opens": "2026-01-01"}
    raw.update(closes="2026-01-31", how_used="h", privacy_cy="p", summary_cy="x" * 6000)
    problems: list[str] = []
    assert parse_details(raw, problems) is None
    assert len(problems) == 4, problems
    for problem in problems:
        field, message = detail_problem(problem)
        assert field in DETAIL_FIELDS and field != "slug", problem
        assert "_cy" not in message and not message.startswith(field), message


# The question builder


def welsh_question(**fields: Any) -> dict[str, Any]:
    """A single-choice question with its Welsh, as the add-a-question form sends it."""
    form = question_form(
        key="area", type="single_choice", text="Where do you live?", options="North\nSouth"
    )
    form.update(text_cy="Ble rydych chi’n byw?", hint_cy="", context_cy="")
    form.update(options_cy="Gogledd\nDe", rows_cy="")
    form.update(fields)
    return form


def empty_welsh_consultation() -> Consultation:
    consultation = make_welsh_consultation()
    db.session.execute(sa.delete(Question))
    consultation.status = Status.DRAFT.value
    db.session.commit()
    return consultation


def test_officer_adds_a_question_in_welsh_whose_answers_stay_english(client: FlaskClient) -> None:
    empty_welsh_consultation()
    sign_in(client)
    form = page(client.get(f"{PAGE}/new-question"))
    assert form.find(id="welsh").legend.get_text(strip=True) == "Welsh"
    added = post_form(client, f"{PAGE}/new-question", welsh_question(hint="North or south"))
    assert error_summary(added) == ["Enter the hint in Welsh, as the question has one in English"]
    added = post_form(
        client, f"{PAGE}/new-question", welsh_question(hint="North or south", hint_cy="Gogledd")
    )
    assert added.status_code == 302, error_summary(added)
    question = db.session.scalars(sa.select(Question)).one()
    assert (question.options, question.options_cy) == (["North", "South"], ["Gogledd", "De"])
    assert (question.text_cy, question.hint_cy) == ("Ble rydych chi’n byw?", "Gogledd")
    shown = page(client.get(f"{PAGE}/questions/area"))
    assert shown.find(id="options_cy").get_text().strip() == "Gogledd\nDe"
    assert shown.find(id="text_cy")["value"] == "Ble rydych chi’n byw?"


def test_a_consultation_in_welsh_needs_each_question_in_welsh(client: FlaskClient) -> None:
    empty_welsh_consultation()
    sign_in(client)
    english_only = welsh_question(text_cy="", options_cy="")
    refused = post_form(client, f"{PAGE}/new-question", english_only)
    assert error_summary(refused) == [
        "Enter the question in Welsh: this consultation is offered in Welsh"
    ]
    links_reach_inputs(refused)
    assert db.session.scalars(sa.select(Question)).all() == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"options_cy": "Gogledd"},
            ["Enter one Welsh option for each of the 2 English options, one per line in the "
             "same order"],
        ),
        ({"options_cy": ""}, ["Enter the options in Welsh, one per line"]),
        (
            {"text_cy": "", "options_cy": "Gogledd\nDe"},
            ["Enter the question in Welsh, or clear the other Welsh boxes"],
        ),
        (
            {"options_cy": "Gogledd\ngogledd"},
            ["Options in Welsh must all be different: 'Gogledd', 'gogledd' appear more than "
             "once"],
        ),
    ],
    ids=["too-few", "missing", "no-text", "repeated"],
)  # fmt: skip
def test_welsh_options_must_match_the_english_one_for_one(
    client: FlaskClient, given: dict[str, str], expected: list[str]
) -> None:
    make_consultation(status=Status.DRAFT, title_cy="", summary_cy="")
    sign_in(client)
    refused = post_form(client, f"{PAGE}/new-question", welsh_question(key="where", **given))
    assert error_summary(refused) == expected
    links_reach_inputs(refused)


def test_welsh_wording_can_change_once_there_are_responses(client: FlaskClient) -> None:
    consultation = make_welsh_consultation()
    add_response(consultation)
    sign_in(client)
    form = page(client.get(f"{PAGE}/questions/area"))
    assert form.find(id="options") is None  # the English options are frozen
    assert form.find(id="options_cy") is not None and form.find(id="rows_cy") is None
    saved = post_form(
        client,
        f"{PAGE}/questions/area",
        {"text": "Where do you live?", "hint": "", "context": "", "required": "yes"}
        | {"text_cy": "Ym mha ardal ydych chi’n byw?", "hint_cy": "", "context_cy": ""}
        | {"options_cy": "Y gogledd\nY de", "codebook": ""},
    )
    assert saved.status_code == 302, error_summary(saved)
    area = db.session.scalars(sa.select(Question).where(Question.key == "area")).one()
    assert (area.options, area.options_cy) == (["North", "South"], ["Y gogledd", "Y de"])
    assert area.text_cy == "Ym mha ardal ydych chi’n byw?"


def test_every_core_welsh_question_rule_reads_as_a_message_on_a_named_field() -> None:
    broken = [
        {"key": "a", "type": "single_choice", "text": "t", "options": ["A", "B"],
         "text_cy": "c", "options_cy": ["A;", ""]},
        {"key": "a", "type": "matrix", "text": "t", "rows": ["r"], "hint": "h",
         "context": "c", "text_cy": "x" * 501, "rows_cy": ["r", "s"]},
        {"key": "a", "type": "likert", "text": "t", "hint_cy": "h", "context_cy": "c"},
    ]  # fmt: skip
    for raw in broken:
        problems: list[str] = []
        assert parse_question(raw, "question", problems) is None
        for problem in problems:
            field, message = question_problem(problem, raw["key"])
            assert field in QUESTION_FIELDS and field.endswith("_cy"), problem
            assert "_cy" not in message and not message.startswith("question"), message


# Opening and previewing


def test_a_welsh_consultation_cannot_open_with_a_question_only_in_english(
    client: FlaskClient,
) -> None:
    consultation = make_welsh_consultation()
    consultation.status = Status.DRAFT.value
    safe = db.session.scalars(sa.select(Question).where(Question.key == "safe")).one()
    safe.text_cy = ""
    db.session.commit()
    sign_in(client)
    refused = change_status(client, "open")
    assert error_summary(refused) == [
        "Add the Welsh of every question before opening this consultation in Welsh, or clear "
        "its Welsh details. Not yet in Welsh: I feel safe after dark"
    ]
    assert stored().status == "draft"
    safe.text_cy = "Rwy’n teimlo’n ddiogel ar ôl iddi dywyllu"
    db.session.commit()
    assert error_summary(change_status(client, "open")) == []
    assert stored().status == "open"


def test_preview_shows_either_language(client: FlaskClient) -> None:
    make_welsh_consultation()
    sign_in(client)
    english = client.get(f"{PAGE}/preview/area")
    assert heading(english) == "Question 4 of 6 Where do you live?"
    link = page(english).select_one(".app-language-switch a")
    assert (link.get_text(strip=True), link["lang"]) == ("Cymraeg", "cy")
    welsh = client.get(link["href"])
    assert heading(welsh) == "Cwestiwn 4 o 6 Ble rydych chi’n byw?"
    assert page(welsh).html["lang"] == "cy"
    assert [i["value"] for i in page(welsh).select("input[name=answer]")] == ["Gogledd", "De"]
    # Answering in Welsh moves on in Welsh; the officer's own pages stay English.
    moved = post_form(client, f"{PAGE}/preview/area?lang=cy", {"answer": "Gogledd"})
    assert moved.headers["Location"] == f"{PAGE}/preview/hear?lang=cy"
    assert page(client.get(PAGE)).html["lang"] == "en"
    assert heading(client.get(f"{PAGE}/preview/area")) == "Question 4 of 6 Where do you live?"


def test_preview_of_an_english_only_consultation_stays_english(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client)
    shown = client.get(f"{PAGE}/preview/area?lang=cy")
    assert heading(shown) == "Question 4 of 6 Where do you live?"
    assert page(shown).select_one(".app-language-switch a") is None
