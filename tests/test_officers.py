"""Officers run consultations in the browser: create, change, open and close, and who may."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from common.clock import today
from common.database import db
from survey.core.definitions import parse_question
from survey.core.question_types import check_response
from survey.data.models import Channel, Consultation, Question, Status
from survey.data.recording import record_response
from survey.web.definition_problems import QUESTION_FIELDS, question_problem
from tests.support import (
    csrf_token,
    error_summary,
    heading,
    make_consultation,
    open_definition,
    page,
    post_form,
    sign_in,
)

PAGE = "/officers/consultations/safer-streets"


def date_parts(day: dt.date) -> list[str]:
    """A date as typed into the GOV.UK date input's three boxes."""
    return [str(day.day), str(day.month), str(day.year)]


def details(**changes: Any) -> dict[str, Any]:
    """A filled-in consultation details form."""
    form = {
        "title": "Safer parks",
        "slug": "",
        "summary": "Tell us how to make parks safer.",
        "how_used": "",
        "privacy": "",
        "opens": date_parts(today()),
        "closes": date_parts(today() + dt.timedelta(days=28)),
    }
    form.update(changes)
    return form


def links_reach_inputs(response: TestResponse) -> None:
    """Every error summary link moves focus to an element that is on the page."""
    html = page(response)
    for link in html.select(".govuk-error-summary__list a"):
        target = str(link["href"]).removeprefix("#")
        assert html.find(id=target) is not None, f"error link #{target} goes nowhere"


def add_response(consultation: Consultation) -> None:
    """Record one response (a 'Yes' to the first question), freezing the structure."""
    specs = [q.spec() for q in consultation.questions]
    values, _ = check_response(specs, {"agree": "Yes"})
    record_response(consultation, values, Channel.PAPER)
    db.session.commit()


def consultations() -> list[Consultation]:
    return list(db.session.scalars(sa.select(Consultation)))


def test_officer_creates_a_consultation_with_a_slug_made_from_its_title(
    client: FlaskClient,
) -> None:
    sign_in(client, "officer")
    listing = client.get("/officers/")
    assert page(listing).find("a", string=lambda s: s and "Create a consultation" in s)
    created = post_form(client, "/officers/new-consultation", details(title="Safer Parks 2026!"))
    assert created.headers["Location"] == "/officers/consultations/safer-parks-2026"
    shown = client.get(created.headers["Location"])
    assert heading(shown) == "Safer Parks 2026!"
    assert "Consultation created" in page(shown).get_text()
    (stored,) = consultations()
    assert (stored.status, stored.opens) == ("draft", today())
    assert stored.closes == today() + dt.timedelta(days=28)


def test_missing_details_are_each_named_and_nothing_is_saved(client: FlaskClient) -> None:
    sign_in(client, "officer")
    refused = post_form(
        client,
        "/officers/new-consultation",
        details(title="", summary=" ", opens=["", "", ""], closes=["31", "", "2026"]),
    )
    assert error_summary(refused) == [
        "Enter a title",
        "Enter a summary",
        "Enter the date the consultation opens",
        "The date the consultation closes must include a month",
    ]
    assert page(refused).title.get_text().startswith("Error: ")
    links_reach_inputs(refused)
    assert consultations() == []


def test_dates_use_the_core_rules_for_real_dates_and_their_order(client: FlaskClient) -> None:
    sign_in(client, "officer")
    unreal = post_form(client, "/officers/new-consultation", details(opens=["30", "2", "2026"]))
    assert error_summary(unreal) == ["The date the consultation opens must be a real date"]
    backwards = post_form(
        client,
        "/officers/new-consultation",
        details(opens=["2", "3", "2026"], closes=["1", "3", "2026"]),
    )
    assert error_summary(backwards) == [
        "The date the consultation closes must be the same as or after the date it opens"
    ]
    links_reach_inputs(backwards)
    assert consultations() == []


def test_a_slug_already_used_is_refused_rather_than_overwriting(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    taken = post_form(client, "/officers/new-consultation", details(slug="safer-streets"))
    assert error_summary(taken) == ["A consultation with the slug 'safer-streets' already exists"]
    bad = post_form(client, "/officers/new-consultation", details(slug="Safer Streets"))
    assert error_summary(bad) == [
        "Slug must use only lower-case letters a-z, numbers 0-9 and hyphens "
        "(80 characters or fewer)"
    ]
    (kept,) = consultations()
    assert kept.title == "Safer streets"


def test_officer_changes_the_details_but_not_the_slug(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    new_close = today() + dt.timedelta(days=60)
    saved = post_form(
        client,
        f"{PAGE}/details",
        details(title="Safer streets and parks", slug="hijack", closes=date_parts(new_close)),
    )
    assert saved.headers["Location"] == PAGE
    (stored,) = consultations()
    assert (stored.title, stored.slug, stored.closes) == (
        "Safer streets and parks",
        "safer-streets",
        new_close,
    )


def test_the_consultation_page_shows_status_dates_count_and_questions_in_order(
    client: FlaskClient,
) -> None:
    consultation = make_consultation(status=Status.OPEN)
    add_response(consultation)
    sign_in(client, "officer")
    shown = page(client.get(PAGE))
    summary = shown.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "Status Open" in summary and "Responses 1" in summary
    assert f"Closes {consultation.closes.day} " in summary
    rows = [r.find_all("td")[1].get_text(" ", strip=True) for r in shown.select("tbody tr")]
    assert rows[0].startswith("Do you agree with the priorities?")
    assert rows[-1].startswith("What are you most worried about? (optional)")
    buttons = [b.get_text(strip=True) for b in shown.select(".govuk-button")]
    assert {"Close consultation", "Return to draft", "Add a question"} <= set(buttons)
    assert {"Preview as a resident", "Enter a paper response"} <= set(buttons)


def change_status(client: FlaskClient, status: str) -> TestResponse:
    token = csrf_token(client.get(PAGE))
    return client.post(
        f"{PAGE}/status",
        data={"status": status, "csrf_token": token, "confirmed": "yes"},
        follow_redirects=True,
    )


def test_opening_and_closing_changes_what_residents_see(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    resident = client.application.test_client()
    sign_in(client, "officer")
    assert resident.get("/consultations/safer-streets").status_code == 404
    opened = change_status(client, "open")
    assert "Consultation opened. Residents can answer it until" in page(opened).get_text()
    start = page(resident.get("/consultations/safer-streets")).get_text()
    assert "Start now" in start
    closed = change_status(client, "closed")
    assert "Consultation closed" in page(closed).get_text()
    start = page(resident.get("/consultations/safer-streets")).get_text()
    assert "It is no longer accepting responses" in start and "Start now" not in start
    change_status(client, "draft")
    assert resident.get("/consultations/safer-streets").status_code == 404


def test_each_change_of_status_asks_first_and_says_what_it_will_do(client: FlaskClient) -> None:
    make_consultation(status=Status.OPEN)
    add_response(consultation := consultations()[0])
    sign_in(client, "officer")
    close = page(client.get(PAGE)).find("a", string=re.compile("Close consultation"))
    assert close["href"] == f"{PAGE}/status/closed"
    asked = client.get(close["href"])
    assert heading(asked) == "Are you sure you want to close it?"
    said = " ".join(page(asked).get_text().split())
    assert "Residents will no longer be able to answer it" in said
    assert "The 1 response recorded so far is kept" in said
    token = csrf_token(client.get(PAGE))
    unconfirmed = client.post(f"{PAGE}/status", data={"status": "closed", "csrf_token": token})
    assert unconfirmed.status_code == 302 and unconfirmed.location.endswith("/status/closed")
    assert consultations()[0].status == "open", "nothing changes until confirmed"
    draft = page(client.get(f"{PAGE}/status/draft")).get_text()
    assert "Residents will no longer be able to see it or answer it" in draft
    assert client.get(f"{PAGE}/status/open").status_code == 302, "already open"
    assert client.get(f"{PAGE}/status/archived").status_code == 404
    yes = page(asked).find("form", action=f"{PAGE}/status")
    assert yes["action"] == f"{PAGE}/status"
    fields = {i["name"]: i["value"] for i in yes.find_all("input")}
    assert fields["confirmed"] == "yes" and fields["status"] == "closed"
    done = client.post(yes["action"], data=fields)
    assert done.status_code == 302
    db.session.refresh(consultation)
    assert consultation.status == "closed"


def test_a_consultation_without_questions_cannot_be_opened(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT, questions=[open_definition()["questions"][0]])
    db.session.execute(sa.delete(Question))
    db.session.commit()
    sign_in(client, "officer")
    assert "Open consultation" not in page(client.get(PAGE)).get_text()
    refused = change_status(client, "open")
    assert error_summary(refused) == ["Add at least one question before opening the consultation"]
    links_reach_inputs(refused)
    assert consultations()[0].status == "draft"


def officer_routes(app: Flask) -> list[tuple[str, str]]:
    """(method, url) for every officers' route, with sample values for its URL parts."""
    values = {"slug": "safer-streets", "key": "agree", "reference": "CDFGHJKM", "status": "closed"}
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("officers."):
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
            found += [(m, url) for m in sorted(rule.methods or ()) if m in ("GET", "POST")]
    assert len(found) > 15, "expected every officers' page and button"
    return found


def visit(client: FlaskClient, method: str, url: str) -> TestResponse:
    """GET the url, or POST to it with a valid CSRF token from a public page."""
    if method == "GET":
        return client.get(url)
    token = csrf_token(client.get("/sign-in", follow_redirects=True))
    return client.post(url, data={"csrf_token": token, "status": "open", "direction": "up"})


@pytest.mark.parametrize("role", ["anonymous", "councillor"])
def test_only_officers_reach_any_officers_page_or_button(
    app: Flask, client: FlaskClient, role: str
) -> None:
    make_consultation(status=Status.DRAFT)
    if role == "councillor":
        sign_in(client, "councillor")
    for method, url in officer_routes(app):
        response = visit(client, method, url)
        if role == "anonymous":
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/sign-in"), (method, url)
        else:
            assert response.status_code == 403, (method, url, response.status_code)
    (untouched,) = consultations()
    assert untouched.status == "draft" and len(untouched.questions) == 6


def test_every_core_question_rule_reads_as_a_message_on_a_named_field() -> None:
    broken = [
        {"key": "", "type": None, "text": "", "required": "maybe"},
        {"key": "a", "type": "likert", "text": "x" * 501, "hint": "y" * 501, "options": ["a"]},
        {"key": "a", "type": "single_choice", "text": "t", "options": ["A", "a", "b;c", ""]},
        {"key": "a", "type": "multi_choice", "text": "t", "options": ["Other", "z" * 501]},
        {"key": "a", "type": "agreement", "text": "t", "rows": ["r"], "breakdown": True},
        {"key": "a", "type": "matrix", "text": "t", "other": True, "codebook": "c"},
    ]
    for raw in broken:
        problems: list[str] = []
        assert parse_question(raw, "question", problems) is None
        for problem in problems:
            field, message = question_problem(problem, raw["key"])
            assert field in QUESTION_FIELDS
            assert not message.startswith("question"), message
            assert "_" not in message.replace("a-z, 0-9 and _", ""), message
