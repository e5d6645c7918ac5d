"""Survey tools' exports, pure: layouts recognised, columns matched, dates in the tool's order."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from common.spreadsheets import Table, read_csv, read_xlsx
from survey.core.answers import Choice, Matrix, Multi, Text
from survey.core.column_mapping import mapping_json
from survey.core.column_matching import How, best_match, matching_option, normalise
from survey.core.definitions import parse_definition
from survey.core.questions import LIKERT_SCALE
from survey.core.tool_import import ToolParse, parse_tool_file
from survey.core.tool_layouts import Layout, detect, parse_tool_date, read_tool_file
from tests.support import open_definition

SPECS = parse_definition(open_definition()).questions
EXPORTS = Path(__file__).parent / "data" / "tool_exports"
SURVEYMONKEY = EXPORTS / "surveymonkey-expanded.csv"
FORMS = EXPORTS / "microsoft-forms.csv"
UTC = dt.UTC


def table_of(path: Path) -> Table:
    return read_csv(path.read_bytes())


def as_workbook(path: Path, dates: dict[str, dt.datetime] | None = None) -> bytes:
    """The CSV's cells saved as an .xlsx workbook; `dates` puts real date cells in place of
    cells with that text, as Excel holds them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        sheet.append([(dates or {}).get(cell, cell or None) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parsed(table: Table, mapping: object | None = None) -> ToolParse:
    file = read_tool_file(table, detect(table))
    return parse_tool_file(
        SPECS, file, mapping, channels=("online", "paper"), default_channel="online"
    )


def edited(path: Path, old: str, new: str) -> Table:
    """The fixture with one piece of text changed, as another export would have it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    return read_csv(text.replace(old, new, 1).encode())


# Matching wording


def test_normalising_ignores_case_punctuation_apostrophes_and_spacing() -> None:
    assert normalise("  Don’t   KNOW! ") == normalise("dont know") == "dont know"
    assert normalise("I feel safe after dark.") == normalise("i feel safe after dark")


def test_a_close_wording_is_offered_not_matched() -> None:
    found = best_match("Where do you live now?", {"Where do you live?": "area"})
    assert found is not None and found.how is How.CLOSE and not found.applies
    assert best_match("Favourite colour", {"Where do you live?": "area"}) is None


def test_answers_match_the_scales_wording_once_normalised() -> None:
    assert matching_option("strongly agree", LIKERT_SCALE) == "Strongly agree"
    assert matching_option("Neither agree nor disagree.", LIKERT_SCALE) == (
        "Neither agree nor disagree"
    )
    assert matching_option("Stongly agree", LIKERT_SCALE) is None


# Layouts


def test_each_layout_is_recognised_from_its_own_headings() -> None:
    assert detect(table_of(SURVEYMONKEY)) is Layout.SURVEYMONKEY
    assert detect(table_of(FORMS)) is Layout.MICROSOFT_FORMS
    assert detect(read_csv(b"agree,area\nYes,North\n")) is Layout.OWN


def test_surveymonkey_columns_go_to_the_questions_and_personal_data_is_left_out() -> None:
    result = parsed(table_of(SURVEYMONKEY))
    where = {c.column.letter: c.to for c in result.choices}
    assert where == {
        "A": None,  # Respondent ID
        "B": None,  # Collector ID
        "C": None,  # Start Date
        "D": "submitted_at",  # End Date
        "E": None,  # IP Address
        "F": None,  # Email Address
        "G": None,  # First Name
        "H": None,  # Last Name
        "I": None,  # Custom Data 1
        "J": "agree",
        "K": "safe",  # "I feel safe after dark." matched once normalised
        "L": "support/Anti-social behaviour",
        "M": "support/Burglary",
        "N": "area",
        "O": "hear",
        "P": "hear",
        "Q": "hear/other",
        "R": "worries",
    }
    personal = {c.column.heading for c in result.choices if c.locked}
    assert personal == {
        "Collector ID",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    }
    assert {c.column.heading for c in result.left_out} == personal | {
        "Respondent ID",
        "Start Date",
    }


@pytest.mark.parametrize("workbook", [False, True], ids=["csv", "xlsx"])
def test_surveymonkey_rows_fold_back_into_one_answer_per_question(workbook: bool) -> None:
    table = read_xlsx(as_workbook(SURVEYMONKEY)) if workbook else table_of(SURVEYMONKEY)
    result = parsed(table)
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert (first.row, second.row) == (3, 4)  # after its two header rows
    assert first.values == {
        "agree": Choice(0),
        "safe": Choice(0),  # "strongly agree"
        "support": Matrix(((0, 1), (1, 2))),
        "area": Choice(0),
        "hear": Multi((0, -1), "Parish magazine"),
        "worries": Text("Cars speeding, near the school"),
    }
    assert second.values == {
        "agree": Choice(1),
        "safe": Choice(3),
        "support": Matrix(((1, 3),)),
        "area": Choice(1),
        "hear": Multi((1,), None),
    }


@pytest.mark.parametrize("workbook", [False, True], ids=["csv", "xlsx"])
def test_microsoft_forms_rows_are_read_with_other_text_from_the_answer(workbook: bool) -> None:
    excel_date = {"8/25/2022 15:47:12": dt.datetime(2022, 8, 25, 15, 47, 12)}
    table = read_xlsx(as_workbook(FORMS, excel_date)) if workbook else table_of(FORMS)
    result = parsed(table)
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert first.values["hear"] == Multi((0, 1), None)  # "Newsletter;Website;"
    assert first.values["support"] == Matrix(((0, 1),))  # "question.statement" headings
    assert second.values["hear"] == Multi((1, -1), "Church noticeboard")
    assert second.values["safe"] == Choice(4)  # "strongly disagree"
    assert second.submitted_at == dt.datetime(2022, 8, 25, 14, 47, 12, tzinfo=UTC)  # BST
    assert {c.column.heading for c in result.left_out} == {"ID", "Start time", "Email", "Name"}


# Dates, in each tool's own order


def test_surveymonkey_dates_are_month_first() -> None:
    assert parse_tool_date("03/04/2022 10:05:40 AM", Layout.SURVEYMONKEY) == dt.datetime(
        2022, 3, 4, 10, 5, 40, tzinfo=UTC
    )
    assert parse_tool_date("8/25/22 15:47", Layout.SURVEYMONKEY) == dt.datetime(
        2022, 8, 25, 14, 47, tzinfo=UTC
    )
    assert parse_tool_date("08/25/2022 03:47:12 PM", Layout.SURVEYMONKEY) == dt.datetime(
        2022, 8, 25, 14, 47, 12, tzinfo=UTC
    )


def test_microsoft_forms_dates_are_month_first() -> None:
    assert parse_tool_date("3/4/2022 10:05:40", Layout.MICROSOFT_FORMS) == dt.datetime(
        2022, 3, 4, 10, 5, 40, tzinfo=UTC
    )


def test_a_day_first_date_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="month first"):
        parse_tool_date("25/08/2022 15:47", Layout.SURVEYMONKEY)
    result = parsed(edited(SURVEYMONKEY, "8/25/22 15:47", "25/8/22 15:47"))
    assert [(p.row, p.column) for p in result.parsed.problems] == [(4, "End Date (D)")]
    assert result.parsed.problems[0].message == (
        "'25/8/22 15:47' is not a date as SurveyMonkey writes them, month first "
        "(like 08/25/2022 03:47:12 PM)"
    )


def test_the_first_row_of_surveymonkey_dates_is_read_as_4_march() -> None:
    first = parsed(table_of(SURVEYMONKEY)).parsed.rows[0]
    assert first.submitted_at == dt.datetime(2022, 3, 4, 10, 5, 40, tzinfo=UTC)


# Unmatched columns and answers


def test_a_close_heading_is_offered_and_the_file_refused_until_a_mapping_decides() -> None:
    table = edited(SURVEYMONKEY, "Where do you live?", "Where do you live now?")
    result = parsed(table)
    [choice] = [c for c in result.choices if c.column.letter == "N"]
    assert (choice.to, choice.decided, choice.offer) == (None, False, "area")
    assert result.parsed.rows == () or all("area" not in r.values for r in result.parsed.rows)
    [problem] = [p for p in result.parsed.problems if p.row == 1]
    assert problem.column == "Where do you live now? (N)"
    assert "the closest is 'Where do you live?' (area)" in problem.message
    assert "--mapping" in problem.message
    mapped = parsed(table, {"columns": [{"column": "N", "to": "area"}]})
    assert mapped.parsed.problems == ()
    assert mapped.parsed.rows[0].values["area"] == Choice(0)


def test_a_mapping_may_leave_a_column_out_but_never_bring_in_personal_data() -> None:
    table = edited(SURVEYMONKEY, "Where do you live?", "Favourite colour")
    assert [p.column for p in parsed(table).parsed.problems] == ["Favourite colour (N)"]
    left = parsed(table, {"columns": [{"column": "N", "to": None}]})
    assert left.parsed.problems == ()
    assert "area" not in left.parsed.rows[0].values
    sneaky = parsed(table, {"columns": [{"column": "F", "to": "worries"}, {"column": "N"}]})
    messages = [(p.column, p.message) for p in sneaky.parsed.problems if p.row <= 1]
    assert ("Email Address (F)", "this column holds personal data, which is never imported") in (
        messages
    )


def test_a_mapping_to_an_unknown_column_is_a_problem_named_by_column() -> None:
    result = parsed(table_of(FORMS), {"columns": [{"column": "J", "to": "colour"}]})
    [problem] = result.parsed.problems
    assert problem.column == "Where do you live? (J)"
    assert problem.message.startswith("the mapping sends this column to 'colour'")


def test_an_answer_near_an_option_is_offered_and_refused() -> None:
    result = parsed(edited(SURVEYMONKEY, "strongly agree", "stongly agree"))
    [problem] = result.parsed.problems
    assert (problem.row, problem.column) == (3, "I feel safe after dark. (K)")
    assert problem.message.endswith("(did you mean 'Strongly agree'?)")


def test_the_mapping_json_lists_every_column_and_leaves_unmatched_ones_without_a_target() -> None:
    table = edited(FORMS, "Where do you live?", "Where do you live now?")
    result = parsed(table)
    shown = mapping_json(Layout.MICROSOFT_FORMS, result.choices)
    assert shown["layout"] == "microsoft_forms"
    by_letter = {entry["column"]: entry for entry in shown["columns"]}
    assert len(by_letter) == 12
    assert by_letter["D"] == {
        "column": "D",
        "heading": "Email",
        "to": None,
        "why": "personal data, never stored",
    }
    assert "to" not in by_letter["J"] and by_letter["J"]["offer"] == "area"
    assert by_letter["K"]["to"] == "hear"


def test_the_tool_examples_in_the_format_documentation_are_read_without_problems() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text("utf-8")
    definition = json.loads(re.findall(r"```json\n(.*?)```", doc, flags=re.S)[0])
    specs = parse_definition(definition).questions
    examples = dict(re.findall(r"```csv (surveymonkey|microsoft-forms)\n(.*?)```", doc, re.S))
    assert set(examples) == {"surveymonkey", "microsoft-forms"}
    for text in examples.values():
        table = read_csv(text.encode())
        file = read_tool_file(table, detect(table))
        result = parse_tool_file(specs, file, None, channels=("online",), default_channel="online")
        assert result.parsed.problems == () and result.parsed.rows, text
    shown = json.loads(re.findall(r"```json mapping\n(.*?)```", doc, flags=re.S)[0])
    assert shown["layout"] == Layout.MICROSOFT_FORMS.value


def test_a_forms_answer_close_to_an_option_is_refused_not_taken_as_other_text() -> None:
    result = parsed(edited(FORMS, "Newsletter;Website;", "Newsletter;Web site;"))
    [problem] = result.parsed.problems
    assert (problem.row, problem.column) == (2, "How do you hear about us? (K)")
    assert problem.message == (
        "'Web site' is not one of the options (Newsletter, Website) (did you mean 'Website'?)"
    )


def test_a_heading_two_questions_share_is_not_guessed() -> None:
    definition = open_definition()
    definition["questions"][1]["text"] = "Do you agree with the priorities?"  # as 'agree' has
    specs = parse_definition(definition).questions
    table = table_of(FORMS)
    file = read_tool_file(table, detect(table))
    result = parse_tool_file(specs, file, None, channels=("online",), default_channel="online")
    problem, safe = result.parsed.problems  # the old text of 'safe' has no question now
    assert problem.column == "Do you agree with the priorities? (F)"
    assert safe.column == "I feel safe after dark (G)"
    assert problem.message.startswith(
        "questions agree, safe all have this text, so the column's is not known: give a "
        "mapping file (--mapping) with where it goes"
    )
