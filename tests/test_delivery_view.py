"""The councillors' delivery page: statuses by priority, actions overdue or at risk, measures
against targets, with the same numbers as this quarter's progress report and this year's
annual report (read back from the Word files); and which figures a past quarter's report uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from tests.support import csrf_token, page, sign_in
from tests.test_delivery import PARTNER, update
from tests.test_progress_report import cells, reported, write  # noqa: F401 (a fixture)
from tests.test_strategy_consultation import STRATEGY

pytestmark = pytest.mark.db

VIEW = f"/officers/strategies/{STRATEGY}/delivery"
STATUS_HEADINGS = ["Priority", "Not started (amber)", "On track (green)", "At risk (amber)",
                   "Overdue (red)", "Done (green)"]  # fmt: skip


def record(runner: FlaskCliRunner, period: str, value: str, target: str = "3") -> None:
    done = runner.invoke(args=["measures", "record", "--strategy", STRATEGY, "--target", target,
                               "--period", period, "--value", value])  # fmt: skip
    assert done.exit_code == 0, done.output


def table_rows(response, selector: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """A table's header row then its body rows, each cell's text, as the Word tables read."""
    table = page(response).select_one(selector)
    assert table is not None, selector
    head = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    body = [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
            for row in table.select("tbody tr")]  # fmt: skip
    return [head, *body]


def word_table(path: Path, first_cell: str, nth: int = 0) -> list[list[str]]:
    tables = [cells(t) for t in docx.Document(str(path)).tables]
    return [t for t in tables if t[0][0] == first_cell][nth]


def annual(runner: FlaskCliRunner, out: Path, year: str) -> None:
    done = runner.invoke(args=["report", "annual", "--strategy", STRATEGY, "--year", year,
                               "--out", str(out)])  # fmt: skip
    assert done.exit_code == 0, done.output


def test_the_page_shows_the_same_numbers_as_both_reports(
    reported: FlaskCliRunner,  # noqa: F811
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    record(reported, "2026/27", "5")
    sign_in(client, "councillor", "reader@example.org")
    shown = client.get(VIEW)
    assert shown.status_code == 200
    statuses = table_rows(shown, "#status-table")
    measures = table_rows(shown, "#measures-table")
    assert statuses[0] == STATUS_HEADINGS
    # 1 August 2027: action 1 (reported at risk, due June) is overdue; action 3 is done.
    assert statuses[1] == ["Anti-social behaviour", "2", "0", "0", "1", "0"]
    progress, year = tmp_path / "progress.docx", tmp_path / "annual.docx"
    assert write(reported, progress, "2027-Q3").exit_code == 0
    annual(reported, year, "2027")
    for path in (progress, year):
        assert word_table(path, "Priority") == statuses, path.name
        assert word_table(path, "No.") == measures, path.name
    assert measures[3][4:] == ["5 (2026/27)", "Moving the right way"]
    text = page(shown).get_text(" ", strip=True)
    assert "The progress report for 2027-Q3 and the annual report for 2027 give the same" in text
    attention = page(shown).select_one("#attention ~ ul.app-attention")
    assert attention is not None
    listed = attention.get_text(" ", strip=True)
    assert "1. Map ASB hotspots from police and council reports" in listed
    assert "2027-Q3: Draft map made" in listed and "Issues to be addressed: Housing data late" in (
        listed
    )


def test_a_status_comes_from_the_latest_quarter_not_the_latest_recorded(
    reported: FlaskCliRunner,  # noqa: F811
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    assert update(reported, action="2", period="2027-Q3", status="on track",
                  progress="Sessions booked").exit_code == 0  # fmt: skip
    # A correction for the quarter before, recorded afterwards, leaves this quarter's status.
    assert update(reported, action="2", period="2027-Q2", status="at risk",
                  progress="Trainer unavailable").exit_code == 0  # fmt: skip
    sign_in(client, "officer", "watcher@example.org")
    statuses = table_rows(client.get(VIEW), "#status-table")
    assert statuses[1] == ["Anti-social behaviour", "1", "1", "0", "1", "0"]
    q2 = tmp_path / "q2.docx"
    assert write(reported, q2, "2027-Q2").exit_code == 0
    assert word_table(q2, "Priority")[1] == ["Anti-social behaviour", "0", "1", "1", "0", "0"]


def test_a_past_quarter_s_report_shows_no_figure_of_a_later_period(
    reported: FlaskCliRunner,  # noqa: F811
    client: FlaskClient,
    on_day,
    tmp_path: Path,
) -> None:
    record(reported, "2026/27", "5")
    on_day(dt.date(2028, 5, 1))
    record(reported, "2027/28", "7")
    record(reported, "2028/29", "2")  # the new year so far
    sign_in(client, "councillor", "reader@example.org")
    now = table_rows(client.get(VIEW), "#measures-table")
    assert now[3][4] == "2 (2028/29)"
    q3 = tmp_path / "q3.docx"
    assert write(reported, q3, "2027-Q3").exit_code == 0
    assert word_table(q3, "No.")[3][4:] == ["7 (2027/28)", "Target met"]
    year = tmp_path / "annual.docx"
    annual(reported, year, "2027")
    assert word_table(year, "No.")[3][4] == "7 (2027/28)"


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2027-Q4", "2027-Q4 has not started yet: choose 2027-Q3 or an earlier quarter"),
        ("2027-Q1", f"2027-Q1 is before '{STRATEGY}' was adopted in 2027-Q2"),
    ],
)
def test_a_progress_report_needs_a_quarter_of_delivery_so_far(
    reported: FlaskCliRunner,  # noqa: F811
    client: FlaskClient,
    tmp_path: Path,
    period: str,
    message: str,
) -> None:
    out = tmp_path / "x.docx"
    done = write(reported, out, period)
    assert done.exit_code != 0 and message in done.output
    assert not out.exists()
    sign_in(client, "officer", "builder@example.org")
    token = csrf_token(client.get(f"/officers/strategies/{STRATEGY}/actions"))
    form = {"kind": "progress", "period": period, "csrf_token": token}
    refused = client.post(f"/officers/strategies/{STRATEGY}/reports", data=form)
    assert refused.status_code == 303 and refused.headers["Location"].endswith("#reports")
    shown = client.get(refused.headers["Location"])
    assert f"The report was not built: {message}" in page(shown).get_text(" ", strip=True)


def test_partners_do_not_see_the_councillors_page_and_the_menu_leads_there(
    reported: FlaskCliRunner,  # noqa: F811
    client: FlaskClient,
    app,
) -> None:
    sign_in(client, "partner", PARTNER)
    assert client.get(VIEW).status_code == 403
    client = app.test_client()
    sign_in(client, "councillor", "reader@example.org")
    links = [a["href"] for a in page(client.get("/officers/delivery")).select("td a")]
    assert VIEW in links
    assert client.get("/officers/strategies/nowhere/delivery").status_code == 404
