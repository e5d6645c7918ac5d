"""Reads never write: results, charts, their exports and a draft's inputs from a read-only
PostgreSQL session, as a hot standby (a replica) would serve them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from assembly.data import built_drafts
from assembly.data.models import Strategy
from common.database import db
from survey.core.demo import SLUG
from survey.data.consultations import by_slug
from tests.conftest import POSTGRESQL_ONLY, FreshGlobalsClient
from tests.support import sign_in

READ_ONLY = {"connect_args": {"options": "-c default_transaction_read_only=on"}}


@pytest.fixture
def read_only(app: Flask) -> Iterator[Flask]:
    """The same database through sessions that cannot write, as on a replica."""
    config: dict[str, Any] = dict(app.config) | {"SQLALCHEMY_ENGINE_OPTIONS": READ_ONLY}
    reader = create_app(config)
    reader.test_client_class = FreshGlobalsClient
    with reader.app_context():
        yield reader
        db.session.remove()
        db.engine.dispose()


def _reader_client(reader: Flask, signed_in: FlaskClient) -> FlaskClient:
    """A client of the read-only app, signed in as `signed_in` is (the same signed cookie)."""
    client = reader.test_client()
    cookie = signed_in.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value, domain="localhost")
    return client


@POSTGRESQL_ONLY
def test_the_read_only_session_really_refuses_writes(app: Flask, read_only: Flask) -> None:
    with pytest.raises(sa.exc.InternalError, match="read-only transaction"):
        db.session.execute(sa.text("CREATE TABLE nothing (id int)"))
    db.session.rollback()


@POSTGRESQL_ONLY
def test_councillors_results_charts_and_exports_read_from_a_replica(
    app: Flask, client: FlaskClient, read_only: Flask
) -> None:
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        sign_in(client, "councillor", "reader@example.org")
    reader = _reader_client(read_only, client)
    pages = [
        "/results/",
        f"/results/{SLUG}",
        f"/results/{SLUG}?area=Keynsham",
        f"/results/{SLUG}?area=Keynsham&channel=online",
        f"/results/{SLUG}/report.xlsx",
        f"/results/{SLUG}/report.pdf?area=Keynsham",
        f"/results/{SLUG}/agree_priorities.csv",
        f"/results/{SLUG}/charts/agree_priorities.svg",
        f"/results/{SLUG}/charts/agree_priorities.png",
        f"/results/{SLUG}/charts/agree_priorities.csv",
    ]
    for address in pages:
        response = reader.get(address)
        assert response.status_code == 200, f"{address}: {response.status_code}"
    page = reader.get(f"/results/{SLUG}").get_data(as_text=True)
    assert "64" in page  # the demo's responses, counted from the replica


@POSTGRESQL_ONLY
def test_results_on_the_command_line_read_from_a_replica(app: Flask, read_only: Flask) -> None:
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    shown = read_only.test_cli_runner().invoke(args=["results", "show", SLUG, "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["responses"] == 64


@POSTGRESQL_ONLY
def test_a_drafts_inputs_are_gathered_from_a_replica(app: Flask, read_only: Flask) -> None:
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    strategy = db.session.scalar(sa.select(Strategy))
    assert strategy is not None
    gathered = built_drafts.gather(
        strategy, "replica test", dt.datetime(2026, 12, 6, tzinfo=dt.UTC), minimum=5
    )
    assert gathered.inputs.results.responses == 64
    assert gathered.consultation.slug == SLUG
    assert by_slug(SLUG) is not None


@POSTGRESQL_ONLY
def test_officers_quotes_pages_read_from_a_replica(
    app: Flask, client: FlaskClient, read_only: Flask
) -> None:
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        sign_in(client, "officer", "quoter@example.org")
    reader = _reader_client(read_only, client)
    quotes = f"/officers/consultations/{SLUG}/themes/worries/quotes"
    for address in (quotes, f"{quotes}/1/change"):
        response = reader.get(address)
        assert response.status_code == 200, f"{address}: {response.status_code}"
    assert "Quotes chosen: 1 of 3" in reader.get(quotes).get_data(as_text=True)
    results = reader.get(f"/results/{SLUG}").get_data(as_text=True)
    assert "What people said" in results  # the demo's quotes, shown where the counts allow
