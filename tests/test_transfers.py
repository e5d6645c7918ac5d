"""Importing and exporting responses from the command line (db)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from survey import transfers
from survey.answers import RawMulti, check_response
from survey.database import db
from survey.models import Channel, Consultation, Response
from survey.recording import record_response
from survey.responses_io import ExportResponse
from survey.spreadsheets import FileFormat
from tests.support import make_consultation

SLUG = "safer-streets"
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
