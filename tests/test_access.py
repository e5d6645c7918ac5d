"""Who may see what: every staff route, for anonymous visitors, partners, councillors,
officers and admins.

The table is built from the app's own URL map, so a new route is covered the day it is added.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from survey.data.models import Status
from tests.support import make_consultation, sign_in

# Values for URL parts, so every route can be visited.
URL_VALUES = {
    "slug": "safer-streets",
    "key": "agree",
    "user_id": 1,
    "reference": "CDFGHJKM",
    "theme_id": 1,
    "audit_id": 1,
    "version": 1,
    "number": 1,
    "job_id": 1,
    "quote_id": 1,
    "status": "closed",
}
PUBLIC_PREFIXES = ("/assets/", "/govuk/", "/static/")
# Delivery pages every account reaches: a partner sees only the actions it owns (403 on any
# other, checked in tests/test_delivery_pages.py), councillors read, officers change.
# Built delivery reports and the one-page delivery view: councillors read them as officers do.
# A person's own account page (signing out everywhere) is every account's.
COUNCILLORS_UP = {
    "delivery_reports.report_file",
    "delivery_reports.report_pdf",
    "delivery.position",
}
EVERY_ACCOUNT = {
    "accounts.account",
    "delivery.index",
    "delivery.actions",
    "delivery.item",
    "delivery_reports.measure_chart",
}


def staff_urls(app: Flask) -> list[tuple[str, str]]:
    """(url, minimum role) for every GET route under /results, /account, /officers and /admin."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()):
            continue
        if rule.endpoint in EVERY_ACCOUNT:
            needed = "partner"
        elif rule.endpoint in COUNCILLORS_UP:
            needed = "councillor"
        elif rule.rule.startswith("/admin"):
            needed = "admin"
        elif rule.rule.startswith("/officers"):
            needed = "officer"
        elif rule.rule.startswith(("/results", "/account")):
            needed = "councillor"
        else:
            continue
        missing = set(rule.arguments) - set(URL_VALUES)
        assert not missing, f"add sample values for {missing} (route {rule.rule})"
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{k: URL_VALUES[k] for k in rule.arguments})
        urls.append((url, needed))
    assert urls, "no staff routes found"
    return urls


ALLOWED = {
    "partner": {"partner"},
    "councillor": {"partner", "councillor"},
    "officer": {"partner", "councillor", "officer"},
    "admin": {"partner", "councillor", "officer", "admin"},
}


def test_anonymous_visitors_are_sent_to_sign_in_from_every_staff_page(
    app: Flask, client: FlaskClient
) -> None:
    make_consultation(status=Status.OPEN)
    for url, _ in staff_urls(app):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/sign-in"), url


@pytest.mark.parametrize("role", ["partner", "councillor", "officer", "admin"])
def test_each_role_sees_only_its_pages(app: Flask, client: FlaskClient, role: str) -> None:
    make_consultation(status=Status.OPEN)
    sign_in(client, role)
    for url, needed in staff_urls(app):
        status = client.get(url).status_code
        if needed in ALLOWED[role]:
            assert status in (200, 302, 404), f"{role} should reach {url}, got {status}"
            assert status != 403
        else:
            assert status == 403, f"{role} should get 403 at {url}, got {status}"


def test_public_pages_need_no_account(client: FlaskClient) -> None:
    make_consultation(status=Status.OPEN)
    for url in ("/", "/consultations/safer-streets", "/privacy", "/accessibility", "/sign-in"):
        assert client.get(url).status_code == 200, url


def test_a_draft_consultation_is_not_public(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    assert client.get("/consultations/safer-streets").status_code == 404
    assert client.get("/consultations/safer-streets/questions/agree").status_code == 404
