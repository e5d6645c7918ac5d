"""Every response carries the security headers; the page's one inline script has the nonce."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from app import trust_proxies
from survey.data.models import Status
from tests.support import make_consultation, page, sign_in
from tests.test_access import staff_urls
from tests.test_chart_pages import PAGE, seventy_agreeing
from tests.test_residents_journey import BASE, answer_all


def _policy(response: object) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def test_pages_forbid_inline_scripts_except_the_nonced_one(client: FlaskClient) -> None:
    make_consultation(status=Status.OPEN)
    response = client.get("/")
    policy = _policy(response)
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"])
    assert nonce is not None
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    scripts = page(response).find_all("script")
    inline = [s for s in scripts if not s.get("src")]
    assert inline and all(s.get("nonce") == nonce.group(1) for s in inline)
    again = _policy(client.get("/"))
    assert again["script-src"] != policy["script-src"], "a nonce must not be reused"


def test_every_kind_of_response_has_the_headers(client: FlaskClient) -> None:
    sign_in(client, "officer")
    for url in ("/", "/officers/", "/no-such-page", "/static/app.css", "/health"):
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url


def test_the_error_page_has_no_trace_of_the_code(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)
    assert page(response).find("h1").get_text(strip=True) == "Page not found"


def test_svg_charts_get_an_image_policy_without_scripts(client: FlaskClient) -> None:
    seventy_agreeing()
    sign_in(client, "councillor")
    svg = client.get(f"{PAGE}/charts/agree.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    policy = _policy(svg)
    assert policy["default-src"] == "'none'" and "script-src" not in policy


def test_hsts_is_sent_over_https_only(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    # Without TRUSTED_PROXIES a client's own X-Forwarded-Proto is not believed.
    forged = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forged.headers


def test_behind_a_trusted_proxy_https_is_seen_and_hsts_sent(
    app: Flask, client: FlaskClient
) -> None:
    trust_proxies(app, 1)
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"}
    response = client.get("/health", headers=proxied)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = client.get("/health", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers


def test_every_staff_page_is_kept_out_of_caches(app: Flask, client: FlaskClient) -> None:
    make_consultation(status=Status.OPEN)
    sign_in(client, "admin")
    checked = 0
    for url, _ in staff_urls(app):
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            assert response.headers["Cache-Control"] == "no-store", url
            checked += 1
    assert checked > 20
    for url in ("/", "/consultations/safer-streets", "/sign-in", "/account"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_a_residents_answers_page_is_kept_out_of_caches(client: FlaskClient) -> None:
    make_consultation(status=Status.OPEN)
    answer_all(client)
    check = client.get(f"{BASE}/check")
    assert check.status_code == 200
    assert check.headers["Cache-Control"] == "no-store"


def test_assets_keep_their_own_caching(client: FlaskClient) -> None:
    css = client.get("/govuk/govuk-frontend.min.css")
    assert "max-age=86400" in css.headers["Cache-Control"]
    assert "no-store" not in css.headers["Cache-Control"]
