"""Every case of the bad-input corpus, in every field of every form: a clear page, never a 500.

The forms are found by visiting every GET route of the app (public, officers', admins') as an
admin with a consultation and a response in place, so a form added tomorrow is covered too.
Each text field gets each case while the form's other fields keep their shown values; choice
fields also get a value that is not among their options. After a redirect (something was
saved) the next page must render, with any markup shown as text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask, url_for
from flask.testing import FlaskClient

from assembly.cli import DEMO_DATA
from assembly.data import crime_audits, strategies
from common.database import db
from survey.core.answers import Choice, Text
from survey.data.models import Channel, Status
from survey.data.recording import record_response
from tests.bad_input import CASES
from tests.support import make_consultation, sign_in

URL_VALUES = {
    "slug": "safer-streets",
    "key": "worries",
    "user_id": 1,
    "reference": "CDFGHJKM",
    "audit_id": 1,
    "version": 1,
    "number": 1,
}
TEXT_TYPES = {"text", "email", "password", "number", "search", "tel", "url", "date", None}
# Forms whose submission ends the session or removes what later forms need.
SKIPPED_ACTIONS = ("/sign-out", "/remove", "/active", "/status", "/move")
SCRIPT = "<script>alert('x')</script>"


@dataclass
class Form:
    page: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    text_fields: list[str] = field(default_factory=list)
    choice_fields: list[str] = field(default_factory=list)


def _forms(html: str, page: str) -> list[Form]:
    forms = []
    for element in BeautifulSoup(html, "html.parser").find_all("form"):
        assert isinstance(element, Tag)
        if str(element.get("method", "get")).lower() != "post":
            continue
        action = str(element.get("action") or page)
        if any(part in action for part in SKIPPED_ACTIONS):
            continue
        form = Form(page, action)
        for control in element.find_all(["input", "textarea", "select"]):
            assert isinstance(control, Tag)
            name = control.get("name")
            if not name or name == "csrf_token":
                continue
            name = str(name)
            kind = control.get("type") if control.name == "input" else control.name
            if kind in ("radio", "checkbox"):
                if name not in form.fields or control.has_attr("checked"):
                    form.fields[name] = str(control.get("value", "on"))
                if name not in form.choice_fields:
                    form.choice_fields.append(name)
            elif kind == "select":
                option = control.find("option")
                form.fields[name] = str(option.get("value", "")) if isinstance(option, Tag) else ""
                form.choice_fields.append(name)
            elif kind in ("submit", "button", "file"):
                continue
            elif kind == "hidden":
                form.fields[name] = str(control.get("value", ""))
            elif kind in TEXT_TYPES or kind == "textarea":
                form.fields[name] = (
                    control.get_text() if kind == "textarea" else str(control.get("value", ""))
                )
                form.text_fields.append(name)
        forms.append(form)
    return forms


def _pages(app: Flask) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.rule.startswith(("/assets", "/govuk")):
            continue
        if rule.endpoint == "static" or rule.rule.endswith((".csv", ".xlsx", ".json", ".docx")):
            continue
        if not set(rule.arguments) <= set(URL_VALUES):
            continue
        with app.test_request_context():
            pages.append(url_for(rule.endpoint, **{k: URL_VALUES[k] for k in rule.arguments}))
    return sorted(set(pages))


def _token(client: FlaskClient, page: str) -> str | None:
    html = client.get(page).get_data(as_text=True)
    found = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    return str(found["value"]) if isinstance(found, Tag) else None


def _send(client: FlaskClient, form: Form, data: dict[str, str], what: str, token: str) -> None:
    response = client.post(form.action, data=data | {"csrf_token": token})
    assert response.status_code < 500, f"{what}: {form.action} gave {response.status_code}"
    if response.status_code in (302, 303):
        followed = client.get(response.headers["Location"])
        assert followed.status_code < 500, f"{what}: page after {form.action} failed"
        html = followed.get_data(as_text=True)
        assert SCRIPT not in html, f"{what}: markup shown unescaped after {form.action}"
    else:
        assert SCRIPT not in response.get_data(as_text=True), f"{what}: unescaped markup"


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> FlaskClient:
    consultation = make_consultation(status=Status.OPEN)
    record_response(
        consultation,
        {"agree": Choice(0), "worries": Text("Burglary")},
        Channel.PAPER,
        reference="CDFGHJKM",
    )
    # An audit and a strategy (slug safer-streets, as above) so their forms are crawled too.
    crime_audits.import_audit(
        "2017-18 audit", "audit.csv", (DEMO_DATA / "audit.csv").read_bytes(), None
    )
    definition = json.loads((DEMO_DATA / "strategy.json").read_text(encoding="utf-8"))
    definition |= {
        "slug": "safer-streets",
        "consultation": "safer-streets",
        "audit": "2017-18 audit",
    }
    strategies.save_strategy(definition)
    db.session.commit()
    sign_in(client, "admin")
    return client


SHARDS = 4  # the forms are shared out, so that xdist's workers each take some (minutes each)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_form_field_survives_every_bad_input(
    app: Flask, staff: FlaskClient, shard: int
) -> None:
    forms: list[Form] = []
    for page in _pages(app):
        shown = staff.get(page)
        assert shown.status_code < 500, f"GET {page} gave {shown.status_code}"
        if shown.status_code == 200 and shown.mimetype == "text/html":
            forms.extend(_forms(shown.get_data(as_text=True), page))
    texts = sum(len(form.text_fields) for form in forms)
    assert len(forms) >= 8 and texts >= 15, "the crawler found too few forms to be useful"
    for form in forms[shard::SHARDS]:
        token = _token(staff, form.page) or ""  # one per session: no form here ends it
        for name in form.text_fields:
            for case, value in CASES:
                _send(staff, form, form.fields | {name: value}, f"{case} in {name}", token)
        for name in form.choice_fields:
            forged = form.fields | {name: "not-an-option \x00 <b>"}
            _send(staff, form, forged, f"forged {name}", token)
    print(f"shard {shard}: {len(forms[shard::SHARDS])} of {len(forms)} forms, {texts} text fields")


# Query parameters the pages read (filters, paging, where to go after signing in).
QUERY_NAMES = ("show", "theme", "page", "group", "action", "next", "change")
ADDRESS_CASES = ("a\x00b", "\x1b[31m", "%", "'; DROP TABLE response; --", "\u202etxet", "9" * 40)


def test_every_address_survives_bad_path_segments_and_query_values(
    app: Flask, staff: FlaskClient
) -> None:
    # PostgreSQL refuses text holding NUL, so a value from the address must never reach a
    # query unchecked: every GET route gets each case in each text part of its address and
    # in every query parameter a page reads.
    tried = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        if not set(rule.arguments) <= set(URL_VALUES):
            continue
        texts = [name for name in rule.arguments if isinstance(URL_VALUES[name], str)]
        for case in ADDRESS_CASES:
            variants = [{name: case} for name in texts] or [{}]
            for changed in variants:
                values = URL_VALUES | changed
                with app.test_request_context():
                    page = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
                query = {name: case for name in QUERY_NAMES}
                response = staff.get(page, query_string=query)
                tried += 1
                assert response.status_code < 500, f"GET {page} {case!r} gave 500"
    assert tried > 100, "too few addresses tried to be useful"


def test_a_wrong_method_gets_a_page_and_says_which_methods_are_allowed(
    client: FlaskClient,
) -> None:
    make_consultation()
    sent = client.delete("/consultations/safer-streets/check")
    assert sent.status_code == 405
    assert sorted(sent.headers["Allow"].replace(" ", "").split(",")) == [
        "GET",
        "HEAD",
        "OPTIONS",
        "POST",
    ]
    assert "Sorry, there is a problem with what was sent" in sent.get_data(as_text=True)
