"""Helpers for tests that act as a person would: read pages, fill forms, sign in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from common.accounts import create_user
from common.database import db
from survey.core.definitions import parse_definition
from survey.data import consultations as store
from survey.data.models import Consultation, Status

PASSWORD = "correct horse battery staple"


def page(response: TestResponse) -> BeautifulSoup:
    """The response body as a parsed HTML page."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def heading(response: TestResponse) -> str:
    """The page's h1 (or a legend/label acting as the heading), as a person reads it."""
    h1 = page(response).find("h1")
    assert h1 is not None, "page has no h1"
    return " ".join(h1.get_text(" ", strip=True).split())


def error_summary(response: TestResponse) -> list[str]:
    """The messages in the GOV.UK error summary, in order (empty when there is none)."""
    summary = page(response).select(".govuk-error-summary__list a")
    return [" ".join(a.get_text(" ", strip=True).split()) for a in summary]


def csrf_token(response: TestResponse) -> str:
    """The CSRF token of the first form on a page."""
    field = page(response).find("input", attrs={"name": "csrf_token"})
    assert field is not None, "page has no CSRF token"
    return str(field["value"])


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kw: Any
) -> TestResponse:
    """GET a form page, then POST `data` to it with the page's CSRF token, as a browser would."""
    form_page = client.get(url)
    assert form_page.status_code == 200, f"GET {url} gave {form_page.status_code}"
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(form_page)
    return client.post(url, data=payload, **kw)


def open_definition(**changes: Any) -> dict[str, Any]:
    """A small definition with one question of every type, open today."""
    today = dt.date.today()
    definition: dict[str, Any] = {
        "slug": "safer-streets",
        "title": "Safer streets",
        "summary": "Tell us what would make your streets safer.",
        "opens": (today - dt.timedelta(days=1)).isoformat(),
        "closes": (today + dt.timedelta(days=10)).isoformat(),
        "questions": [
            {"key": "agree", "type": "agreement", "text": "Do you agree with the priorities?"},
            {"key": "safe", "type": "likert", "text": "I feel safe after dark"},
            {
                "key": "support",
                "type": "matrix",
                "text": "How much do you support each priority?",
                "rows": ["Anti-social behaviour", "Burglary"],
            },
            {
                "key": "area",
                "type": "single_choice",
                "text": "Where do you live?",
                "options": ["North", "South"],
                "breakdown": True,
            },
            {
                "key": "hear",
                "type": "multi_choice",
                "text": "How do you hear about us?",
                "options": ["Newsletter", "Website"],
                "other": True,
                "required": False,
            },
            {
                "key": "worries",
                "type": "free_text",
                "text": "What are you most worried about?",
                "codebook": "community-safety",
                "required": False,
            },
        ],
    }
    definition.update(changes)
    return definition


def make_consultation(status: Status = Status.OPEN, **changes: Any) -> Consultation:
    """Store a consultation from `open_definition(**changes)` with the given status."""
    consultation, _ = store.save_definition(parse_definition(open_definition(**changes)))
    consultation.status = status.value
    db.session.commit()
    return consultation


def sign_in(client: FlaskClient, role: str, email: str | None = None) -> str:
    """Create an account with `role` and sign in as it; returns the email address."""
    address = email or f"{role}@example.org"
    create_user(address, PASSWORD, role)
    db.session.commit()
    response = post_form(client, "/sign-in", {"email": address, "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return address


def comment_on_priority_6(consultation: Consultation) -> None:
    """Residents' paper comments on a draft's priority 6, auto-coded: 6 mention drugs (enough
    to be a point), 2 alcohol (too few); the "You said" tests and browser demo both use them."""
    from survey.core.question_types import check_response
    from survey.data import themes
    from survey.data.models import Channel
    from survey.data.recording import record_response

    specs = store.spec_of(consultation).questions
    for count, words in ((6, "More drug treatment please"), (2, "Alcohol in the park")):
        for _ in range(count):
            values, _ = check_response(
                specs, {"priority_6_comments": words}, enforce_required=False
            )
            record_response(consultation, values, Channel.PAPER)
    db.session.commit()
    themes.autocode(consultation)
    db.session.commit()
