"""Production settings, error pages and unsafe uploads: the defences docs/security.md lists."""

from __future__ import annotations

import io
import zipfile

import pytest
from flask import Flask

from app import create_app
from common.spreadsheets import MAX_UNZIPPED_BYTES, UnreadableFile, read_xlsx


def test_production_cookies_are_secure_http_only_and_same_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("INSECURE_COOKIES", raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-this-test")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app()
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_to_start_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(SystemExit, match="SECRET_KEY is not set"):
        create_app()


def test_an_unexpected_error_shows_the_service_page_not_a_traceback() -> None:
    app: Flask = create_app(
        {"TESTING": False, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )

    @app.get("/broken")
    def broken() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    response = app.test_client().get("/broken")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body and "hunter2" not in body


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"0" * (1024 * 1024)
            for _ in range(MAX_UNZIPPED_BYTES // len(chunk) + 1):
                sheet.write(chunk)
    data = out.getvalue()
    assert len(data) < 1024 * 1024  # a small upload that unpacks past the limit
    with pytest.raises(UnreadableFile, match="too large once unpacked"):
        read_xlsx(data)
