"""Importing and exporting responses from the command line and the officers' pages (db)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from common.database import db
from common.models import User
from common.spreadsheets import FileFormat
from survey.core.answers import RawMulti
from survey.core.question_types import check_response
from survey.core.responses_io import ExportResponse
from survey.data import transfers
from survey.data.models import Channel, Consultation, Response
from survey.data.recording import record_response
from tests.support import error_summary, heading, make_consultation, page, post_form, sign_in

SLUG = "safer-streets"
IMPORT_URL = f"/officers/consultations/{SLUG}/import"
EVERY_TYPE = {
    "agree": "Don't know",
    "safe": "Strongly disagree",
    "support": {0: "Agree", 1: "Neither agree nor disagree"},
    "area": "South",
    "hear": RawMulti(("Newsletter", "Website", "Other"), '=HYPERLINK("x") parish'),
    "worries": "-1 for the police\nSecond line 😀 \u05e9\u05dc\u05d5\u05dd\n@everyone",
}
BAD_FILE = (
    b"reference,submitted_at,channel,agree,colour\n"
    b"HJKM2346,2026-02-30,web,Maybe,\n"
    b"HJKM2346,,,Yes,\n"
)
GOOD_FILE = "agree,hear,hear/other,worries\nYes,Website;other,Parish news,Café ☕\nno,,,\n".encode()


def add_responses(consultation: Consultation) -> None:
    """Three responses: every type answered, a few answered, and one with answers of 'Other'."""
    specs = [q.spec() for q in consultation.questions]
    answers = [
        EVERY_TYPE,
        {"support": {1: "Disagree"}, "hear": RawMulti(("Website",))},
        {"hear": RawMulti((), "+44 7700 900123"), "worries": "=1+1"},
    ]
    moment = dt.datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=dt.UTC)  # the night BST starts
    for number, (raw, channel) in enumerate(zip(answers, Channel, strict=False)):
        values, problems = check_response(specs, raw, enforce_required=False)
        assert not problems
        submitted = moment + dt.timedelta(hours=number)
        record_response(consultation, values, channel, submitted_at=submitted)
    db.session.commit()


def stored(consultation: Consultation) -> list[ExportResponse]:
    """Every stored response, with times to the second (as files hold them)."""
    return [
        ExportResponse(r.reference, r.submitted_at.replace(microsecond=0), r.channel, r.answers)
        for r in transfers.stored_responses(consultation)
    ]


def forget_responses() -> None:
    db.session.execute(sa.delete(Response))
    db.session.commit()


def response_total() -> int:
    return db.session.scalar(sa.select(sa.func.count(Response.id))) or 0


# Command line


@pytest.mark.parametrize("fmt", list(FileFormat))
def test_cli_export_then_import_gives_the_same_answers(
    runner: FlaskCliRunner, tmp_path: Path, fmt: FileFormat
) -> None:
    consultation = make_consultation()
    add_responses(consultation)
    before = stored(consultation)
    assert len(before) == 3 and before[0].answers["hear"].other  # type: ignore[union-attr]
    out = tmp_path / f"responses.{fmt.value}"
    exported = runner.invoke(args=["responses", "export", SLUG, "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert exported.output.strip() == f"Wrote 3 responses to {out}"
    forget_responses()
    imported = runner.invoke(args=["responses", "import", SLUG, str(out)])
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip() == f"Imported 3 responses to '{SLUG}' from responses.{fmt.value}"
    assert stored(consultation) == before


def test_cli_lists_every_problem_then_a_one_line_error_and_imports_nothing(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD_FILE)
    result = runner.invoke(args=["responses", "import", SLUG, str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "bad.csv: row 1, column 'colour': there is no question with the key 'colour' (columns "
        "are reference, submitted_at, channel and the question keys: agree, safe, support, "
        "area, hear, worries)",
        "bad.csv: row 2, column 'submitted_at': '2026-02-30' is not a date like 2026-01-31 or "
        "a date and time like 2026-01-31T14:05 (ISO 8601)",
        "bad.csv: row 2, column 'channel': 'web' is not a channel (use one of online, paper, "
        "email, event)",
        "bad.csv: row 2, column 'agree': 'Maybe' is not one of the options (Yes, No, Don't know)",
        "bad.csv: row 3, column 'reference': HJKM2346 is also used in row 2",
        "Error: bad.csv: nothing imported: 5 problems (listed above)",
    ]
    assert response_total() == 0


def test_cli_one_problem_is_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    consultation = make_consultation()
    add_responses(consultation)
    taken = stored(consultation)[0].reference
    file = tmp_path / "again.csv"
    file.write_text(f"reference,agree\n{taken},Yes\n,No\n", encoding="utf-8")
    result = runner.invoke(args=["responses", "import", SLUG, str(file)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: again.csv: nothing imported: row 2, column 'reference': a response with the "
        f"reference {taken} is already stored"
    )
    assert response_total() == 3


def test_cli_refuses_unreadable_files_in_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    make_consultation()
    latin = tmp_path / "latin.csv"
    latin.write_bytes("agree,worries\nYes,Café\n".encode("latin-1"))
    result = runner.invoke(args=["responses", "import", SLUG, str(latin)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: latin.csv: nothing imported. The file is not UTF-8 text")
    assert "CSV UTF-8" in lines[0]
    fake = tmp_path / "fake.xlsx"
    fake.write_text("agree\nYes\n", encoding="utf-8")
    result = runner.invoke(args=["responses", "import", SLUG, str(fake)])
    assert result.exit_code == 1 and "not a valid Excel .xlsx workbook" in result.output
    assert len(result.output.strip().splitlines()) == 1
    missing = runner.invoke(args=["responses", "import", SLUG, str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and missing.output.strip().endswith("nope.csv: no such file")
    unknown = runner.invoke(args=["responses", "import", "nope", str(latin)])
    assert unknown.output.strip() == "Error: No consultation with the slug 'nope'"
    text = runner.invoke(args=["responses", "export", SLUG, "--out", str(tmp_path / "x.txt")])
    assert text.exit_code == 1
    assert text.output.strip() == (
        "Error: x.txt: The file must be a CSV file (.csv) or an Excel workbook (.xlsx)."
    )
    assert response_total() == 0


def test_cli_channel_option_fills_blank_channels(runner: FlaskCliRunner, tmp_path: Path) -> None:
    make_consultation()
    file = tmp_path / "event.csv"
    file.write_text("channel,agree\n,Yes\nonline,No\n", encoding="utf-8")
    result = runner.invoke(args=["responses", "import", SLUG, str(file), "--channel", "event"])
    assert result.exit_code == 0, result.output
    channels = db.session.scalars(sa.select(Response.channel).order_by(Response.id)).all()
    assert channels == ["event", "online"]
    bad = runner.invoke(args=["responses", "import", SLUG, str(file), "--channel", "fax"])
    assert bad.exit_code == 2


def test_responses_commands_have_help(runner: FlaskCliRunner) -> None:
    for command in ("import", "export"):
        result = runner.invoke(args=["responses", command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


# Data access


def test_export_reads_every_response_in_one_query(app: Flask) -> None:
    consultation = make_consultation()
    add_responses(consultation)
    for _ in range(5):
        add_responses(consultation)
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        data = transfers.export_responses(consultation, FileFormat.CSV)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert data.decode("utf-8-sig").count("\r\n") >= 19
    assert len([s for s in statements if "FROM response" in s]) == 1, statements


# Web


def upload(client: FlaskClient, data: bytes, name: str, channel: str = "paper") -> object:
    return post_form(
        client,
        IMPORT_URL,
        {"file": (io.BytesIO(data), name), "channel": channel},
        content_type="multipart/form-data",
    )


def test_officer_sees_the_import_form_with_this_consultations_columns(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert heading(response) == "Safer streets Import responses"
    columns = [code.get_text() for code in page(response).select(".govuk-details li code")]
    assert columns[:4] == ["reference", "submitted_at", "channel", "agree"]
    assert "support/Anti-social behaviour" in columns and "hear/other" in columns


def test_officer_uploading_a_bad_file_sees_every_problem_and_nothing_is_imported(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    started = upload(client, BAD_FILE, "bad.csv")
    assert started.status_code == 303
    response = client.get(started.headers["Location"])
    assert heading(response) == "Job 1 Import responses to Safer streets from bad.csv"
    assert page(response).title.get_text().startswith("Error: ")
    description = page(response).select_one(".govuk-error-summary__body p").get_text(strip=True)
    assert description == "bad.csv: nothing imported: 5 problems"
    again = page(response).select_one("a#again")
    assert again.get_text() == "Upload a corrected file" and again["href"] == IMPORT_URL
    summary = error_summary(response)
    assert summary[0].startswith("row 1, column 'colour': there is no question")
    assert len(summary) == 5
    rows = [
        [cell.get_text(strip=True) for cell in tr.select("td")]
        for tr in page(response).select("#problems ~ .app-table-wrap tbody tr")
    ]
    assert rows[1:] == [
        [
            "2",
            "submitted_at",
            "'2026-02-30' is not a date like 2026-01-31 or a date and time like "
            "2026-01-31T14:05 (ISO 8601)",
        ],
        ["2", "channel", "'web' is not a channel (use one of online, paper, email, event)"],
        ["2", "agree", "'Maybe' is not one of the options (Yes, No, Don't know)"],
        ["3", "reference", "HJKM2346 is also used in row 2"],
    ]
    assert page(response).find("meta", attrs={"http-equiv": "refresh"}) is None
    assert response_total() == 0


def test_officer_uploading_a_file_that_is_not_utf8_is_told_how_to_save_it(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = upload(client, "agree\nNo\n".encode("utf-16"), "unicode.csv")
    [message] = error_summary(response)
    assert message.startswith("The file is saved as UTF-16")
    assert page(response).select_one(".govuk-error-summary__list a")["href"] == "#file"
    nothing = post_form(client, IMPORT_URL, {"channel": "paper"})
    assert error_summary(nothing) == ["Select a CSV or Excel file"]
    assert response_total() == 0


def test_officer_imports_a_good_file_and_sees_how_many(client: FlaskClient) -> None:
    consultation = make_consultation()
    sign_in(client, "officer")
    response = upload(client, GOOD_FILE, "paper.csv", channel="email")
    assert response.status_code == 303
    shown = client.get(response.headers["Location"])
    panel = page(shown).select_one(".govuk-panel")
    assert panel is not None, page(shown).select_one("main").get_text()
    assert " ".join(panel.get_text(" ", strip=True).split()) == (
        f"Done Imported 2 responses to '{SLUG}' from paper.csv"
    )
    made = page(shown).select_one("a#made")
    assert made["href"] == f"/officers/consultations/{SLUG}"
    assert made.get_text() == "Go to Safer streets"
    officer = db.session.scalar(sa.select(User.id))
    assert db.session.execute(sa.select(Response.channel, Response.entered_by_id)).all() == [
        ("email", officer),
        ("email", officer),
    ]
    answers = stored(consultation)[0].answers
    assert answers["hear"].other == "Parish news"  # type: ignore[union-attr]
    assert answers["worries"].text == "Café ☕"  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", list(FileFormat))
def test_web_export_downloads_a_file_that_imports_back_the_same(
    client: FlaskClient, fmt: FileFormat
) -> None:
    consultation = make_consultation()
    add_responses(consultation)
    before = stored(consultation)
    sign_in(client, "officer")
    download = client.get(f"/officers/consultations/{SLUG}/export.{fmt.value}")
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith(fmt.media_type.split(";")[0])
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="{SLUG}-responses.{fmt.value}"'
    )
    assert download.headers["Cache-Control"] == "no-store"
    forget_responses()
    assert upload(client, download.data, f"back.{fmt.value}").status_code == 303
    assert stored(consultation) == before


def test_xlsx_download_holds_text_not_formulas(client: FlaskClient) -> None:
    consultation = make_consultation()
    add_responses(consultation)
    sign_in(client, "officer")
    data = client.get(f"/officers/consultations/{SLUG}/export.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert "'=1+1" in values and "'+44 7700 900123" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_page_links_to_both_downloads(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = client.get(f"/officers/consultations/{SLUG}/export")
    assert heading(response) == "Safer streets Export responses"
    links = {a["href"] for a in page(response).select("a[download]")}
    assert links == {
        f"/officers/consultations/{SLUG}/export.csv",
        f"/officers/consultations/{SLUG}/export.xlsx",
    }


def test_councillors_can_neither_import_nor_export(client: FlaskClient) -> None:
    consultation = make_consultation()
    add_responses(consultation)
    sign_in(client, "councillor")
    for suffix in ("import", "export", "export.csv", "export.xlsx"):
        assert client.get(f"/officers/consultations/{SLUG}/{suffix}").status_code == 403, suffix
    token = page(client.get("/")).find("input", attrs={"name": "csrf_token"})
    posted = client.post(
        IMPORT_URL,
        data={"file": (io.BytesIO(GOOD_FILE), "x.csv"), "csrf_token": token["value"]},
        content_type="multipart/form-data",
    )
    assert posted.status_code == 403
    assert response_total() == 3


def test_unknown_consultations_are_not_found(client: FlaskClient) -> None:
    sign_in(client, "officer")
    for suffix in ("import", "export", "export.csv"):
        assert client.get(f"/officers/consultations/nope/{suffix}").status_code == 404
