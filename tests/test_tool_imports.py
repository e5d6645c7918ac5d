"""Importing survey tools' exports from the command line and the upload page (db).

The fixtures in tests/data/tool_exports are written from each tool's published export layout;
every respondent in them is made up.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from common.database import db
from common.models import AuditEvent
from survey.data import consultations as store
from survey.data import transfers
from survey.data.models import Response
from tests.support import error_summary, make_consultation, page, post_form, sign_in
from tests.test_tool_exports import FORMS, SURVEYMONKEY, as_workbook
from tests.test_transfers import IMPORT_URL, SLUG, response_total, upload

# Every personal value the fixtures hold, none of which may reach the database.
PERSONAL_VALUES = (
    "192.0.2.10",
    "198.51.100.7",
    "resident.one@example.org",
    "resident.two@example.org",
    "412345678",
    "114263487361",
    "Ann",
    "Bob",
    "Cara Example",
    "ward-7",
)


def every_stored_text() -> str:
    """Every value in every table of the database, as one text to search."""
    texts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            texts += [str(value) for value in row]
    return "\n".join(texts)


def stored_answers() -> list[tuple[str, dict[str, object]]]:
    consultation = store.by_slug(SLUG)
    assert consultation is not None
    return [
        (r.submitted_at.isoformat(), dict(r.answers))
        for r in transfers.stored_responses(consultation)
    ]


def tool_file(tmp_path: Path, source: Path, fmt: str) -> Path:
    """The fixture as a .csv, or its cells saved as an .xlsx workbook."""
    out = tmp_path / f"{source.stem}.{fmt}"
    out.write_bytes(source.read_bytes() if fmt == "csv" else as_workbook(source))
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_surveymonkey_export_imports_unedited_without_its_personal_data(
    runner: FlaskCliRunner, tmp_path: Path, fmt: str
) -> None:
    make_consultation()
    file = tool_file(tmp_path, SURVEYMONKEY, fmt)
    result = runner.invoke(args=["responses", "import", SLUG, str(file), "--channel", "online"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"Imported 2 responses to '{SLUG}' from {file.name} (a SurveyMonkey export). "
        "Left out (the survey tool's own bookkeeping, not an answer): Respondent ID (A), "
        "Start Date (C). Left out (personal data, never stored): Collector ID (B), "
        "IP Address (E), Email Address (F), First Name (G), Last Name (H), Custom Data 1 (I)"
    )
    dates = [r.submitted_at for r in db.session.scalars(sa.select(Response).order_by(Response.id))]
    assert dates == [
        dt.datetime(2022, 3, 4, 10, 5, 40, tzinfo=dt.UTC),  # 03/04/2022: 4 March
        dt.datetime(2022, 8, 25, 14, 47, tzinfo=dt.UTC),  # 8/25/22 15:47 BST
    ]
    logged = db.session.scalar(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "responses imported")
    )
    assert logged == (
        "2 responses from a SurveyMonkey export; left out: Respondent ID, Collector ID, "
        "Start Date, IP Address, Email Address, First Name, Last Name, Custom Data 1"
    )
    stored = every_stored_text()
    assert "Parish magazine" in stored and "Cars speeding, near the school" in stored
    for value in PERSONAL_VALUES:
        assert value not in stored, f"{value!r} was stored"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_microsoft_forms_export_imports_unedited_without_its_personal_data(
    runner: FlaskCliRunner, tmp_path: Path, fmt: str
) -> None:
    consultation = make_consultation()
    file = tool_file(tmp_path, FORMS, fmt)
    result = runner.invoke(args=["responses", "import", SLUG, str(file)])
    assert result.exit_code == 0, result.output
    assert "(a Microsoft Forms export)" in result.output
    assert "Left out (personal data, never stored): Email (D), Name (E)" in result.output
    responses = list(transfers.stored_responses(consultation))
    assert [r.submitted_at.date() for r in responses] == [
        dt.date(2022, 3, 4),
        dt.date(2022, 8, 25),
    ]
    assert responses[1].answers["hear"].other == "Church noticeboard"  # type: ignore[union-attr]
    stored = every_stored_text()
    for value in PERSONAL_VALUES:
        assert value not in stored, f"{value!r} was stored"


def test_show_mapping_prints_the_mapping_as_json_and_imports_nothing(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    result = runner.invoke(args=["responses", "import", SLUG, str(FORMS), "--show-mapping"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["layout"] == "microsoft_forms"
    assert [(c["column"], c["heading"], c.get("to")) for c in shown["columns"]][:7] == [
        ("A", "ID", None),
        ("B", "Start time", None),
        ("C", "Completion time", "submitted_at"),
        ("D", "Email", None),
        ("E", "Name", None),
        ("F", "Do you agree with the priorities?", "agree"),
        ("G", "I feel safe after dark", "safe"),
    ]
    assert shown["columns"][3]["why"] == "personal data, never stored"
    assert response_total() == 0


def test_an_unmatched_column_refuses_the_file_until_the_mapping_file_places_it(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    file = tmp_path / "forms.csv"
    file.write_text(
        FORMS.read_text(encoding="utf-8").replace("Where do you live?", "Where do you live now?"),
        encoding="utf-8",
    )
    refused = runner.invoke(args=["responses", "import", SLUG, str(file)])
    assert refused.exit_code == 1
    assert refused.output.splitlines()[0].startswith(
        "Error: forms.csv: nothing imported: row 1, column 'Where do you live now? (J)': "
        "no question has this text; the closest is 'Where do you live?' (area)"
    )
    assert response_total() == 0
    shown = json.loads(
        runner.invoke(args=["responses", "import", SLUG, str(file), "--show-mapping"]).output
    )
    for entry in shown["columns"]:
        if entry["column"] == "J":
            entry["to"] = entry["offer"]
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(shown), encoding="utf-8")
    imported = runner.invoke(
        args=["responses", "import", SLUG, str(file), "--mapping", str(mapping)]
    )
    assert imported.exit_code == 0, imported.output
    assert response_total() == 2
    areas = [answers["area"] for _, answers in stored_answers()]
    assert [a.option for a in areas] == [0, 1]  # type: ignore[attr-defined]


def test_a_confirmed_mapping_is_remembered_for_the_next_file_of_the_same_shape(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    renamed = FORMS.read_text(encoding="utf-8").replace(
        "Where do you live?", "Where do you live now?"
    )
    first, second = tmp_path / "q1.csv", tmp_path / "q2.csv"
    first.write_text(renamed, encoding="utf-8")
    lines = renamed.splitlines()  # next quarter's export: same headings, other respondents
    second.write_text(
        "\n".join([lines[0], *(line.replace("2022", "2023") for line in lines[1:])]) + "\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": [{"column": "J", "to": "area"}]}), encoding="utf-8")
    done = runner.invoke(args=["responses", "import", SLUG, str(first), "--mapping", str(mapping)])
    assert done.exit_code == 0, done.output
    shown = json.loads(
        runner.invoke(args=["responses", "import", SLUG, str(second), "--show-mapping"]).output
    )
    assert [e["to"] for e in shown["columns"] if e["column"] == "J"] == ["area"]
    again = runner.invoke(args=["responses", "import", SLUG, str(second)])  # no mapping given
    assert again.exit_code == 0, again.output
    assert "its columns read as confirmed for files like it on" in again.output
    assert response_total() == 4
    other = tmp_path / "other.csv"  # another shape (a heading changed) is not given it
    other.write_text(renamed.replace("Where do you live now?", "Your area"), encoding="utf-8")
    refused = runner.invoke(args=["responses", "import", SLUG, str(other)])
    assert refused.exit_code == 1 and "no question has this text" in refused.output


def test_a_mapping_file_for_the_services_own_format_is_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    file = tmp_path / "own.csv"
    file.write_text("agree\nYes\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"columns": []}', encoding="utf-8")
    result = runner.invoke(args=["responses", "import", SLUG, str(file), "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert "a mapping file is for survey tools' exports" in result.output
    assert response_total() == 0


def test_an_officer_uploads_a_surveymonkey_export_and_sees_what_was_left_out(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    started = upload(client, SURVEYMONKEY.read_bytes(), "monkey.csv", channel="online")
    assert started.status_code == 303
    shown = client.get(started.headers["Location"])
    panel = page(shown).select_one(".govuk-panel")
    assert panel is not None, page(shown).select_one("main").get_text()
    text = " ".join(panel.get_text(" ", strip=True).split())
    assert text.startswith(f"Done Imported 2 responses to '{SLUG}' from monkey.csv")
    assert "Left out (personal data, never stored): Collector ID (B), IP Address (E)" in text
    assert "resident.one@example.org" not in every_stored_text()


def test_an_officer_checks_a_file_first_and_sees_the_mapping_and_rows_with_nothing_saved(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    text = FORMS.read_text(encoding="utf-8").replace("Where do you live?", "Where do you live now?")
    response = post_form(
        client,
        IMPORT_URL,
        {"file": (io.BytesIO(text.encode()), "forms.csv"), "channel": "online", "check": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    shown = page(response)
    intro = shown.select_one("#preview p").get_text(" ", strip=True)
    assert intro.startswith("Nothing has been saved. The file holds 2 responses and is a Microsoft")
    mapping = [
        [cell.get_text(" ", strip=True) for cell in tr.select("td")]
        for tr in shown.select("#column-mapping tbody tr")
    ]
    assert mapping[3] == ["Email (D)", "Left out", "personal data, never stored"]
    assert mapping[5][:2] == ["Do you agree with the priorities? (F)", "agree"]
    assert mapping[9][:2] == ["Where do you live now? (J)", "Not matched"]
    assert "a mapping file can send it to area" in mapping[9][2]
    problems = [li.get_text(" ", strip=True) for li in shown.select("#preview-problems li")]
    assert len(problems) == 1 and problems[0].startswith(
        "row 1, column 'Where do you live now? (J)': no question has this text"
    )
    rows = shown.select("#preview dl")
    assert len(rows) == 2
    first = {
        dt_.get_text(strip=True): dd.get_text(strip=True)
        for dt_, dd in zip(rows[0].select("dt"), rows[0].select("dd"), strict=True)
    }
    assert first["How do you hear about us?"] == "Newsletter; Website"
    assert "Where do you live?" not in first
    assert response_total() == 0


def test_an_officer_uploads_a_mapping_file_with_the_export_and_it_is_honoured(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    text = FORMS.read_text(encoding="utf-8").replace("Where do you live?", "Where do you live now?")
    mapping = json.dumps({"columns": [{"column": "J", "to": None}]}).encode()
    checked = post_form(
        client,
        IMPORT_URL,
        {
            "file": (io.BytesIO(text.encode()), "forms.csv"),
            "mapping": (io.BytesIO(mapping), "mapping.json"),
            "channel": "online",
            "check": "y",
        },
        content_type="multipart/form-data",
    )
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.select("td")]
        for tr in page(checked).select("#column-mapping tbody tr")
    ]
    assert rows[9] == ["Where do you live now? (J)", "Left out", "as the mapping file says"]
    assert page(checked).select("#preview-problems li") == []
    started = upload_with(client, text.encode(), mapping)
    assert started.status_code == 303
    assert response_total() == 2
    assert all("area" not in answers for _, answers in stored_answers())


def test_a_mapping_file_that_is_not_json_is_named_on_the_form(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = upload_with(client, FORMS.read_bytes(), b"{not json")
    assert error_summary(response) == ["The mapping file must be JSON, as --show-mapping prints it"]
    assert response_total() == 0


def test_a_mapping_file_holding_only_null_is_refused_not_taken_as_none(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = upload_with(client, FORMS.read_bytes(), b"null")
    assert error_summary(response) == ['The mapping file must be a JSON object with "columns"']
    assert response_total() == 0


def test_a_mapping_file_with_a_huge_number_says_so_in_plain_words(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = upload_with(client, FORMS.read_bytes(), b'{"area": ' + b"1" * 5000 + b"}")
    assert error_summary(response) == [
        "The mapping file is not usable: it has a number 5,000 digits long (at most 100)"
    ]
    assert "sys.set_int_max_str_digits" not in response.get_data(as_text=True)
    assert response_total() == 0


def upload_with(client: FlaskClient, data: bytes, mapping: bytes) -> TestResponse:
    return post_form(
        client,
        IMPORT_URL,
        {
            "file": (io.BytesIO(data), "forms.csv"),
            "mapping": (io.BytesIO(mapping), "mapping.json"),
            "channel": "online",
        },
        content_type="multipart/form-data",
    )
