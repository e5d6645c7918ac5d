"""Responses files, pure: reading rows into checked answers, writing them, CSV and XLSX bytes."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Collection, Mapping
from pathlib import Path

import openpyxl
import pytest

from common.spreadsheets import (
    FileFormat,
    Table,
    UnreadableFile,
    file_format,
    neutralise,
    read_csv,
    read_file,
    read_xlsx,
    restore,
    write_csv,
    write_file,
)
from survey.core.answers import AnswerValue, RawAnswer, RawMulti
from survey.core.coding import load_codebook
from survey.core.definitions import parse_definition
from survey.core.question_types import check_response
from survey.core.responses_io import (
    ExportResponse,
    ParsedFile,
    columns_for,
    export_rows,
    parse_submitted_at,
    parse_table,
)
from tests.support import open_definition

SPECS = parse_definition(open_definition()).questions
CHANNELS = ("online", "paper", "email", "event")
HEADER = (
    "reference,submitted_at,channel,agree,safe,support/Anti-social behaviour,"
    "support/Burglary,area,hear,hear/other,worries,worries_themes"
)
TRICKY_TEXT = "=SUM(A1:A9)\nSecond line: drunk people 😀 at night\n\u05e9\u05dc\u05d5\u05dd"


def checked(raw: Mapping[str, RawAnswer]) -> dict[str, AnswerValue]:
    values, problems = check_response(SPECS, raw, enforce_required=False)
    assert not problems, problems
    return values


EVERY_TYPE = checked(
    {
        "agree": "Don't know",
        "safe": "Strongly disagree",
        "support": {0: "Agree", 1: "Neither agree nor disagree"},
        "area": "South",
        "hear": RawMulti(("Newsletter", "Website", "Other"), "+44 parish @magazine"),
        "worries": TRICKY_TEXT,
    }
)
SOME_BLANK = checked({"support": {1: "Disagree"}, "hear": RawMulti(("Website",))})
FORMULA_CHOICES = checked({"hear": RawMulti((), "-1 or =cmd|' /C calc'!A0"), "worries": "@me"})


def responses() -> list[ExportResponse]:
    moment = dt.datetime(2026, 7, 1, 13, 5, 9, tzinfo=dt.UTC)
    return [
        ExportResponse("HJKM2346", moment, "paper", EVERY_TYPE),
        ExportResponse("CDFG3479", moment + dt.timedelta(hours=1), "online", SOME_BLANK),
        ExportResponse("WXYZ7622", moment + dt.timedelta(days=1), "event", FORMULA_CHOICES),
    ]


def parse(table: Table, taken: Collection[str] = (), default: str = "paper") -> ParsedFile:
    return parse_table(
        SPECS,
        table,
        channels=CHANNELS,
        default_channel=default,
        taken=lambda refs: set(refs) & set(taken),
    )


def csv_table(text: str) -> Table:
    return read_csv(text.encode("utf-8"))


def problems_of(text: str, **kw: object) -> list[str]:
    return [str(p) for p in parse(csv_table(text), **kw).problems]  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", list(FileFormat))
def test_export_then_import_gives_the_same_responses(fmt: FileFormat) -> None:
    data = write_file(export_rows(SPECS, responses()), fmt)
    parsed = parse(read_file(data, fmt), default="email")
    assert parsed.problems == ()
    got = [(r.reference, r.submitted_at, r.channel, dict(r.values)) for r in parsed.rows]
    want = [(r.reference, r.submitted_at, r.channel, dict(r.answers)) for r in responses()]
    assert got == want
    assert [r.row for r in parsed.rows] == [2, 3, 4]


def test_export_writes_response_fields_then_questions_in_order() -> None:
    header, first, second, _ = export_rows(SPECS, responses())
    assert ",".join(header) == HEADER
    assert first == [
        "HJKM2346",
        "2026-07-01T13:05:09+00:00",
        "paper",
        "Don't know",
        "Strongly disagree",
        "Agree",
        "Neither agree nor disagree",
        "South",
        "Newsletter;Website;Other",
        "+44 parish @magazine",
        TRICKY_TEXT,
        "",
    ]
    assert second[3:] == ["", "", "", "Disagree", "", "Website", "", "", ""]


def test_csv_export_neutralises_formula_cells_with_a_quote() -> None:
    data = write_file(export_rows(SPECS, responses()), FileFormat.CSV)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][9] == "'+44 parish @magazine"
    assert rows[1][10] == "'" + TRICKY_TEXT
    assert rows[3][8:11] == ["Other", "'-1 or =cmd|' /C calc'!A0", "'@me"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_export_neutralises_formula_cells_and_stores_text_not_formulas() -> None:
    data = write_file(export_rows(SPECS, responses()), FileFormat.XLSX)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["J2"].value == "'+44 parish @magazine"
    assert sheet["K2"].value == "'" + TRICKY_TEXT
    assert sheet["J4"].value == "'-1 or =cmd|' /C calc'!A0"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            assert not str(cell.value or "").startswith(("=", "+", "-", "@")), cell.coordinate


@pytest.mark.parametrize(
    "value", ["=1+1", "'=1+1", "''@x", "'plain", "''", "-", "plain", "\tx", "'", "a=b"]
)
def test_reading_removes_exactly_the_quote_writing_adds(value: str) -> None:
    assert restore(neutralise(value)) == value


def test_a_quote_typed_before_ordinary_text_is_kept() -> None:
    parsed = parse(csv_table("worries\n'tis the season\n"))
    assert parsed.rows[0].values["worries"].text == "'tis the season"  # type: ignore[union-attr]


def test_utf8_is_read_with_or_without_a_byte_order_mark() -> None:
    text = "agree,worries\nyes,Café ☕ \u05e9\u05dc\u05d5\u05dd\n"
    plain = read_csv(text.encode("utf-8"))
    with_bom = read_csv(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert plain == with_bom
    assert plain.header == ("agree", "worries")
    assert plain.rows == ((2, ("yes", "Café ☕ \u05e9\u05dc\u05d5\u05dd")),)


def test_latin_1_is_refused_naming_the_byte_and_how_to_save_utf8() -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_csv("agree,worries\nYes,Café\n".encode("latin-1"))
    message = str(refused.value)
    assert message.startswith("The file is not UTF-8 text: byte 0xE9 on line 2")
    assert '"CSV UTF-8 (Comma delimited) (*.csv)"' in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_is_refused_with_or_without_a_byte_order_mark(encoding: str) -> None:
    with pytest.raises(UnreadableFile, match="UTF-16") as refused:
        read_csv("agree\nYes\n".encode(encoding))
    assert "CSV UTF-8" in str(refused.value)


def test_a_file_that_is_not_an_xlsx_workbook_gets_a_clear_message() -> None:
    with pytest.raises(UnreadableFile, match=r"not a valid Excel \.xlsx workbook"):
        read_xlsx(b"agree\nYes\n")
    with pytest.raises(UnreadableFile, match=r"old Excel \.xls workbook"):
        read_xlsx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(UnreadableFile, match="is an Excel workbook, not a CSV file"):
        read_csv(write_file([["agree"], ["Yes"]], FileFormat.XLSX))


def test_only_csv_and_xlsx_names_are_accepted() -> None:
    assert file_format("Paper responses.CSV") is FileFormat.CSV
    assert file_format("x.xlsx") is FileFormat.XLSX
    for name in ("x.xls", "x.txt", "responses"):
        with pytest.raises(UnreadableFile):
            file_format(name)


def test_empty_and_oversized_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnreadableFile, match="The file is empty"):
        read_file(b"", FileFormat.CSV)
    with pytest.raises(UnreadableFile, match="header row but no responses"):
        read_file(b"agree\n\n,\n", FileFormat.CSV)
    monkeypatch.setattr("common.spreadsheets.MAX_FILE_BYTES", 10)
    with pytest.raises(UnreadableFile, match="larger than"):
        read_file(b"agree\nYes\nNo\n", FileFormat.CSV)


@pytest.mark.parametrize("fmt", list(FileFormat))
def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch, fmt: FileFormat) -> None:
    monkeypatch.setattr("common.spreadsheets.MAX_ROWS", 3)
    data = write_file([["agree"]] + [["Yes"]] * 4, fmt)
    with pytest.raises(UnreadableFile, match="more than 3 responses"):
        read_file(data, fmt)
    assert len(read_file(write_file([["agree"]] + [["Yes"]] * 3, fmt), fmt).rows) == 3


def test_xlsx_numbers_and_dates_become_the_text_a_person_typed() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["submitted_at", "worries", "agree", "channel"])
    sheet.append([dt.datetime(2026, 1, 5, 14, 5, 0, 999_700), 42, "Yes", None])
    sheet.append([dt.date(2026, 7, 1), 2.5, "No", "EMAIL"])
    sheet.append([None, None, None, None])
    sheet.append(["2026-07-01T10:00:00+01:00", True, "no", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_xlsx(buffer.getvalue())
    assert table.rows == (
        (2, ("2026-01-05T14:05:01", "42", "Yes")),
        (3, ("2026-07-01", "2.5", "No", "EMAIL")),
        (5, ("2026-07-01T10:00:00+01:00", "TRUE", "no")),
    )
    rows = parse(table).rows
    assert [r.submitted_at for r in rows] == [
        dt.datetime(2026, 1, 5, 14, 5, 1, tzinfo=dt.UTC),  # GMT in January
        dt.datetime(2026, 7, 1, 11, 0, tzinfo=dt.UTC),  # a date alone is midday, here BST
        dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC),
    ]
    assert [r.channel for r in rows] == ["paper", "email", "paper"]


def test_times_without_an_offset_are_uk_time_and_a_date_alone_is_midday() -> None:
    assert parse_submitted_at("2026-01-31") == dt.datetime(2026, 1, 31, 12, tzinfo=dt.UTC)
    assert parse_submitted_at("2026-07-31") == dt.datetime(2026, 7, 31, 11, tzinfo=dt.UTC)
    assert parse_submitted_at("2026-07-31 00:00") == dt.datetime(2026, 7, 30, 23, tzinfo=dt.UTC)
    assert parse_submitted_at("2026-07-31 14:05") == dt.datetime(2026, 7, 31, 13, 5, tzinfo=dt.UTC)
    assert parse_submitted_at("2026-07-31T14:05Z") == dt.datetime(2026, 7, 31, 14, 5, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="'31/01/2026' is not a date like 2026-01-31"):
        parse_submitted_at("31/01/2026")


def test_answers_match_options_ignoring_case_and_missing_columns_are_blank() -> None:
    parsed = parse(
        csv_table("Agree,SUPPORT/Burglary,hear,Hear/Other\n yes ,agree, website ;OTHER;,Pub\n")
    )
    assert parsed.problems == ()
    expected = checked(
        {"agree": "Yes", "support": {1: "Agree"}, "hear": RawMulti(("Website", "Other"), "Pub")}
    )
    assert parsed.rows[0].values == expected
    assert parsed.rows[0].reference is None and parsed.rows[0].submitted_at is None


def test_required_questions_may_be_left_blank() -> None:
    assert SPECS[0].required
    parsed = parse(csv_table("agree,worries\n,Only this\n"))
    assert parsed.problems == () and list(parsed.rows[0].values) == ["worries"]


def test_every_problem_is_listed_by_row_and_column() -> None:
    text = (
        "reference,submitted_at,channel,agree,colour,support/Burglary,hear\n"
        "HJKM2346,2026-02-30,web,Maybe,,Agree,Website\n"
        "HJKM2346,2026-01-01,paper,Yes,,Yes,Newsletter;Radio\n"
        ",,,,,,\n"
        "ABC,,,,,,\n"
    )
    assert problems_of(text) == [
        "row 1, column 'colour': there is no question with the key 'colour' (columns are "
        "reference, submitted_at, channel and the question keys: agree, safe, support, area, "
        "hear, worries)",
        "row 2, column 'submitted_at': '2026-02-30' is not a date like 2026-01-31 or a date "
        "and time like 2026-01-31T14:05 (ISO 8601)",
        "row 2, column 'channel': 'web' is not a channel (use one of online, paper, email, event)",
        "row 2, column 'agree': 'Maybe' is not one of the options (Yes, No, Don't know)",
        "row 3, column 'reference': HJKM2346 is also used in row 2",
        "row 3, column 'support/Burglary': 'Yes' is not one of the options (Strongly agree, "
        "Agree, Neither agree nor disagree, Disagree, Strongly disagree, Don't know)",
        "row 3, column 'hear': 'Radio' is not one of the options (Newsletter, Website)",
        "row 5: this row has no answers",
        "row 5, column 'reference': 'ABC' is not a reference: a reference is 8 letters and "
        "digits like HJKM2346 (leave it blank to give the response a new one)",
    ]


def test_references_already_stored_are_problems_too() -> None:
    text = "reference,agree\nhjkm-2346,Yes\nCDFG3479,Maybe\nWXYZ7622,No\n"
    problems = problems_of(text, taken={"HJKM2346", "CDFG3479"})
    assert problems == [
        "row 2, column 'reference': a response with the reference HJKM2346 is already stored",
        "row 3, column 'reference': a response with the reference CDFG3479 is already stored",
        "row 3, column 'agree': 'Maybe' is not one of the options (Yes, No, Don't know)",
    ]


def test_header_problems_name_the_column_and_say_what_is_expected() -> None:
    text = "agree,Agree,support,support/burglary,area/other,hear/Other,,worries\nYes,,,,,,,x\n"
    assert problems_of(text) == [
        "row 1, column 'agree': this column appears more than once (A, B)",
        "row 1, column 'support': 'support' has a column per statement, named exactly: "
        "'support/Anti-social behaviour'; 'support/Burglary'",
        "row 1, column 'support/burglary': 'support' has no statement 'burglary' (its columns "
        "are named exactly: 'support/Anti-social behaviour'; 'support/Burglary')",
        "row 1, column 'area/other': question 'area' has no 'Other' option, so no "
        "'area/other' column",
    ]
    assert problems_of("agree,,worries\nYes,oops,\n") == [
        "row 1, column 'column B': this column has no heading but has values (from row 2)"
    ]


def test_free_text_over_the_limit_and_other_without_text_are_refused() -> None:
    text = f"worries,hear\n{'x' * 5001},Other\n"
    assert problems_of(text) == [
        "row 2, column 'worries': Your answer must be 5,000 characters or fewer",
        "row 2, column 'hear': Enter what your other answer is",
    ]


def test_semicolon_separated_files_get_a_column_problem_not_silence() -> None:
    assert problems_of("agree;worries\nYes;x\n")[0].startswith(
        "row 1, column 'agree;worries': there is no question with the key 'agree;worries'"
    )


def test_columns_for_lists_matrix_statements_and_other_text() -> None:
    names = [c.name for c in columns_for(SPECS)]
    assert ",".join(names) == HEADER


def test_rows_with_newlines_keep_their_spreadsheet_row_numbers() -> None:
    text = 'worries,agree\n"line one\nline two",Yes\n\n,No\n'
    parsed = parse(csv_table(text))
    assert [r.row for r in parsed.rows] == [2, 4]
    assert parsed.rows[0].values["worries"].text == "line one\nline two"  # type: ignore[union-attr]


def test_the_examples_in_the_format_documentation_are_read_without_problems() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text("utf-8")
    blocks = re.findall(r"```(json|csv)\n(.*?)```", doc, flags=re.S)
    definitions = [json.loads(text) for kind, text in blocks if kind == "json"]
    specs = parse_definition(definitions[0]).questions
    for example in definitions[1:]:  # one question of each type
        assert parse_definition({**definitions[0], "questions": [example]}).questions
    export, paper = [text for kind, text in blocks if kind == "csv"]
    names = {"worries": [theme.name for theme in load_codebook("community-safety").themes]}
    for text in (export, paper):
        parsed = parse_table(
            specs,
            read_csv(text.encode()),
            channels=CHANNELS,
            default_channel="paper",
            theme_names=names,
        )
        assert parsed.problems == () and parsed.rows, text
    # The export example is what an export of those responses really writes.
    table = read_csv(export.encode())
    rows = parse_table(
        specs, table, channels=CHANNELS, default_channel="paper", theme_names=names
    ).rows
    again = [
        ExportResponse(
            r.reference or "",
            r.submitted_at or dt.datetime.now(dt.UTC),
            r.channel,
            r.values,
            r.themes,
        )
        for r in rows
    ]
    assert cells(write_csv(export_rows(specs, again)).decode("utf-8-sig")) == cells(export)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))
