"""Residents answer in Welsh or English: the language link, the language kept for the
journey, Welsh messages and errors, and answers given in Welsh counted with the English ones."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db
from common.display import long_date
from survey.data.models import Answer, Question
from tests.support import (
    error_summary,
    heading,
    make_consultation,
    open_definition,
    page,
    post_form,
    sign_in,
)

BASE = "/consultations/safer-streets"
WELSH_QUESTIONS = {
    "agree": {"text_cy": "Ydych chi’n cytuno â’r blaenoriaethau?"},
    "safe": {"text_cy": "Rwy’n teimlo’n ddiogel ar ôl iddi dywyllu"},
    "support": {
        "text_cy": "Faint ydych chi’n cefnogi pob blaenoriaeth?",
        "rows_cy": ["Ymddygiad gwrthgymdeithasol", "Byrgleriaeth"],
    },
    "area": {"text_cy": "Ble rydych chi’n byw?", "options_cy": ["Gogledd", "De"]},
    "hear": {
        "text_cy": "Sut rydych chi’n clywed amdanom ni?",
        "options_cy": ["Cylchlythyr", "Gwefan"],
    },
    "worries": {"text_cy": "Beth sy’n eich poeni fwyaf?"},
}


def welsh_definition() -> dict[str, object]:
    """The test consultation with its Welsh text, as an officer's definition file gives it."""
    definition = open_definition(title_cy="Strydoedd mwy diogel", summary_cy="Dywedwch wrthym.")
    for question in definition["questions"]:
        question.update(WELSH_QUESTIONS[question["key"]])
    return definition


def make_welsh_consultation():  # type: ignore[no-untyped-def]
    definition = welsh_definition()
    return make_consultation(**{k: v for k, v in definition.items() if k != "slug"})


def language_link(response) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    link = page(response).select_one(".app-language-switch a")
    return link.get_text(strip=True), link["lang"], link["href"]


def test_english_by_default_with_a_link_to_welsh(client: FlaskClient) -> None:
    make_welsh_consultation()
    start = client.get(BASE)
    assert page(start).html["lang"] == "en"
    text, lang, href = language_link(start)
    assert (text, lang) == ("Cymraeg", "cy")
    assert href == f"{BASE}?lang=cy"


def test_welsh_chosen_by_the_link_is_kept_for_the_journey(client: FlaskClient) -> None:
    consultation = make_welsh_consultation()
    start = client.get(f"{BASE}?lang=cy")
    shown = page(start)
    assert shown.html["lang"] == "cy"
    assert language_link(start)[:2] == ("English", "en")
    text = shown.get_text(" ", strip=True)
    assert heading(start) == "Strydoedd mwy diogel"
    assert f"Yn cau {long_date(consultation.closes, 'cy')}" in text
    assert "Dechrau nawr" in text and "Neidio i’r prif gynnwys" in text
    # No `?lang` on the next page: the choice is remembered.
    question = client.get(f"{BASE}/questions/agree")
    assert page(question).html["lang"] == "cy"
    assert page(question).select_one(".govuk-caption-l").get_text(strip=True) == "Cwestiwn 1 o 6"
    labels = [label.get_text(strip=True) for label in page(question).select(".govuk-radios label")]
    assert labels == ["Ydw", "Nac ydw", "Ddim yn gwybod"]
    assert "Ydych chi’n cytuno â’r blaenoriaethau?" in heading(question)
    back_to_english = client.get(f"{BASE}/questions/agree?lang=en")
    assert page(back_to_english).html["lang"] == "en"
    assert page(client.get(BASE)).html["lang"] == "en"


def test_welsh_dates_name_the_welsh_month() -> None:
    assert long_date(dt.date(2026, 2, 5), "cy") == "5 Chwefror 2026"
    assert long_date(dt.date(2026, 2, 5)) == "5 February 2026"


def test_validation_errors_are_in_welsh(client: FlaskClient) -> None:
    make_welsh_consultation()
    client.get(f"{BASE}?lang=cy")
    blank = post_form(client, f"{BASE}/questions/agree", {})
    assert error_summary(blank) == ["Dewiswch ateb"]
    assert page(blank).title.get_text().startswith("Gwall: ")
    assert page(blank).select_one(".govuk-error-summary__title").get_text(strip=True) == (
        "Mae problem wedi codi"
    )
    hidden = page(blank).select_one(".govuk-error-message .govuk-visually-hidden")
    assert hidden.get_text(strip=True) == "Gwall:"
    matrix = post_form(client, f"{BASE}/questions/support", {"row-0": "Cytuno"})
    assert error_summary(matrix) == ["Dewiswch ateb ar gyfer ‘Byrgleriaeth’"]
    wrong = post_form(client, f"{BASE}/questions/area", {"answer": "East"})
    assert error_summary(wrong) == ["Nid yw ‘East’ yn un o’r dewisiadau (Gogledd, De)"]


def test_answers_given_in_welsh_are_the_same_options_and_survive_switching(
    client: FlaskClient,
) -> None:
    make_welsh_consultation()
    client.get(f"{BASE}?lang=cy")
    steps = [
        ("agree", {"answer": "Ydw"}),
        ("safe", {"answer": "Cytuno"}),
        ("support", {"row-0": "Cytuno’n gryf", "row-1": "Anghytuno"}),
        ("area", {"answer": "Gogledd"}),
        ("hear", {"answer": ["Gwefan", "Other"], "other": "Papur bro"}),
        ("worries", {"answer": "Goryrru ar y ffordd fawr"}),
    ]
    for key, data in steps:
        response = post_form(client, f"{BASE}/questions/{key}", data)
        assert response.status_code == 302, (key, error_summary(response))
    check = page(client.get(f"{BASE}/check")).get_text(" ", strip=True)
    assert "Ymddygiad gwrthgymdeithasol: Cytuno’n gryf" in check and "Arall: Papur bro" in check
    assert "Gogledd" in check and "Gwefan" in check
    # Switching to English mid-journey keeps every answer, in English words.
    english = page(client.get(f"{BASE}/questions/safe?lang=en"))
    assert english.select_one("input[value='Agree']").has_attr("checked")
    area = page(client.get(f"{BASE}/questions/area"))
    assert area.select_one("input[value='North']").has_attr("checked")
    assert "Other: Papur bro" in page(client.get(f"{BASE}/check")).get_text(" ", strip=True)
    done = post_form(client, f"{BASE}/check", follow_redirects=True)
    assert heading(done) == "Response sent"
    stored = {
        (key, row, option, text)
        for key, row, option, text in db.session.execute(
            sa.select(Question.key, Answer.row, Answer.option, Answer.text).join(Question)
        )
    }
    assert ("agree", None, 0, None) in stored  # "Ydw" is Yes, the first option
    assert ("safe", None, 1, None) in stored  # "Cytuno" is Agree
    assert ("support", 0, 0, None) in stored and ("support", 1, 3, None) in stored
    assert ("area", None, 0, None) in stored  # "Gogledd" is North
    assert ("hear", None, 1, None) in stored and ("hear", None, -1, "Papur bro") in stored
    assert ("worries", None, None, "Goryrru ar y ffordd fawr") in stored  # as written


def test_confirmation_and_not_found_pages_are_in_welsh(client: FlaskClient) -> None:
    make_welsh_consultation()
    client.get(f"{BASE}?lang=cy")
    missing = client.get(f"{BASE}/questions/nope")
    assert missing.status_code == 404
    assert heading(missing) == "Heb ddod o hyd i’r dudalen"
    pending = client.get(f"{BASE}/results")
    assert heading(pending) == "Nid yw’r canlyniadau wedi’u cyhoeddi eto"


def test_staff_pages_stay_english_for_a_resident_who_chose_welsh(client: FlaskClient) -> None:
    make_consultation()
    client.get(f"{BASE}?lang=cy")
    sign_in(client, "officer")
    officers = client.get("/officers/")
    assert page(officers).html["lang"] == "en"
    assert page(officers).select_one(".app-language-switch") is None


def test_an_english_only_consultation_has_no_language_link(client: FlaskClient) -> None:
    make_consultation()
    client.get("/?lang=cy")
    start = client.get(BASE)
    assert page(start).html["lang"] == "en"
    assert page(start).select_one(".app-language-switch") is None
    assert heading(start) == "Safer streets"
    # The rest of the service stays in Welsh for this resident.
    home = page(client.get("/"))
    assert home.html["lang"] == "cy"
    listed = home.select_one(".govuk-list li")
    assert listed["lang"] == "en"  # the consultation's own English text, marked so


def test_welsh_text_is_refused_unless_the_whole_consultation_has_it() -> None:
    from survey.core.definitions import DefinitionErrors, parse_definition

    half = welsh_definition()
    del half["questions"][1]["text_cy"]
    try:
        parse_definition(half)
    except DefinitionErrors as errors:
        assert "question 'safe': text_cy is needed, as the consultation has a title_cy" in (
            errors.problems
        )
    else:
        raise AssertionError("a Welsh consultation with an English-only question was accepted")
    short = welsh_definition()
    short["questions"][3]["options_cy"] = ["Gogledd"]
    try:
        parse_definition(short)
    except DefinitionErrors as errors:
        assert any("options_cy needs one entry for each" in p for p in errors.problems)
    else:
        raise AssertionError("Welsh options that do not match the English ones were accepted")


def test_the_partnership_is_named_in_the_pages_language(client: FlaskClient) -> None:
    make_welsh_consultation()
    header = ".govuk-header__logotype-text"
    welsh = page(client.get(f"{BASE}?lang=cy"))
    assert welsh.select_one(header).get_text(strip=True) == "Partneriaeth Diogelwch Cymunedol"
    assert "Gwasanaeth gan Partneriaeth Diogelwch Cymunedol." in welsh.get_text()
    english = page(client.get(f"{BASE}?lang=en"))
    assert english.select_one(header).get_text(strip=True) == "Community Safety Partnership"
    # A council that names its own partnership, with no Welsh name: shown as it is named.
    client.application.config.update(PARTNERSHIP_NAME="Bathavon CSP", PARTNERSHIP_NAME_CY="")
    named = page(client.get(f"{BASE}?lang=cy"))
    assert named.select_one(header).get_text(strip=True) == "Bathavon CSP"


def test_a_page_not_yet_in_welsh_is_marked_english_for_a_resident_who_chose_welsh(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flask import session

    from survey.web import languages

    path = "/consultations/safer-streets/you-said-we-did"
    with client.application.test_request_context(path):
        session["lang"] = "cy"
        assert languages.language() == "cy"  # 'You said, we did' is in Welsh now
    # A page listed as not yet translated: English, with no link to a Welsh it lacks.
    monkeypatch.setattr(languages, "ENGLISH_ONLY_ENDPOINTS", ("published.you_said_page",))
    with client.application.test_request_context(path):
        session["lang"] = "cy"
        assert languages.language() == "en"
        assert languages._language_context()["language_link"] is None
    with client.application.test_request_context(BASE):
        session["lang"] = "cy"
        assert languages.language() == "cy"
