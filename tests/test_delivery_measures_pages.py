"""Measures against targets on the staff pages: the table and charts beside the actions, and
officers recording a figure (refused figures say why at their field and save nothing)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from assembly.data.models import TargetFigure
from common.database import db
from tests.support import error_summary, page, post_form, sign_in
from tests.test_delivery import adopt_demo
from tests.test_strategy_consultation import STRATEGY

pytestmark = pytest.mark.db

ACTIONS = f"/officers/strategies/{STRATEGY}/actions"
RECORD = f"/officers/strategies/{STRATEGY}/measures/record"


@pytest.fixture
def adopted(runner: FlaskCliRunner, on_day) -> FlaskCliRunner:
    adopt_demo(runner)
    return runner


def measure_rows(client: FlaskClient) -> list[list[str]]:
    rows = page(client.get(ACTIONS)).select("#measures-table tbody tr")
    return [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]


def figures() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(TargetFigure)) or 0


def test_an_officer_records_a_figure_on_the_page_and_sees_where_it_stands(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    sign_in(client, "officer", "recorder@example.org")
    before = measure_rows(client)
    target = "Six domestic abuse training events across the partnership each year"
    assert before[2][:5] == ["3", target, "4 (2025/26)", "6 a year by March 2028", "No figure yet"]
    saved = post_form(client, RECORD, {"target": "3", "period": "2026/27", "value": "5"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("#measures")
    assert measure_rows(client)[2][4:] == ["5 (2026/27)", "Moving the right way"]


def test_a_councillor_reads_the_measures_and_charts_and_records_none(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    done = adopted.invoke(args=["measures", "record", "--strategy", STRATEGY, "--target", "3",
                                "--period", "2026/27", "--value", "5"])  # fmt: skip
    assert done.exit_code == 0, done.output
    sign_in(client, "councillor", "reader@example.org")
    row = measure_rows(client)[2]
    assert row[4:] == ["5 (2026/27)", "Moving the right way"]
    img = page(client.get(ACTIONS)).select_one("#measures ~ figure img")
    assert img is not None and "5 in 2026/27 against a baseline of 4" in img["alt"]
    svg = client.get(img["src"])
    assert svg.status_code == 200 and svg.content_type == "image/svg+xml"
    assert client.get(RECORD).status_code == 403, "councillors read; only officers record"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"target": "", "period": "2026/27", "value": "5"}, "Select the target"),
        ({"target": "3", "period": "someday", "value": "5"}, "'someday' is not a period"),
        ({"target": "3", "period": "2026/27", "value": "five"}, "'five' is not a number"),
        ({"target": "1", "period": "2025/26", "value": "5"}, "is not after the baseline (2025/26)"),
    ],
)
def test_a_refused_figure_is_shown_at_its_field_and_nothing_is_saved(
    adopted: FlaskCliRunner, client: FlaskClient, form: dict[str, str], message: str
) -> None:
    sign_in(client, "officer", "recorder@example.org")
    refused = post_form(client, RECORD, form)
    assert refused.status_code == 400
    assert any(message in text for text in error_summary(refused)), error_summary(refused)
    assert figures() == 0
