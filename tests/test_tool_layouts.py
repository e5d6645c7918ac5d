"""The other tools' exports, pure: SurveyMonkey condensed, LimeSurvey, SmartSurvey and Citizen
Space files recognised, their columns matched, dates read in each tool's own order.

Each fixture in tests/data/tool_exports is written in its tool's layout as docs/formats.md
describes it (and names the source of); every respondent in them is made up.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from common.spreadsheets import read_csv, read_xlsx
from survey.core.answers import Choice, Matrix, Multi, Text
from survey.core.column_mapping import mapping_json
from survey.core.column_matching import split_ticked, ticks
from survey.core.definitions import parse_definition
from survey.core.tool_import import parse_tool_file
from survey.core.tool_layouts import DateOrder, Layout, detect, parse_tool_date, read_tool_file
from tests.test_tool_exports import EXPORTS, as_workbook, edited, parsed, table_of

UTC = dt.UTC
CONDENSED = EXPORTS / "surveymonkey-condensed.csv"
LIME_FULL = EXPORTS / "limesurvey-full.csv"
LIME_CODES = EXPORTS / "limesurvey-codes.csv"
SMARTSURVEY = EXPORTS / "smartsurvey.csv"
CITIZEN_SPACE = EXPORTS / "citizen-space.csv"
FIRST_DATE = dt.datetime(2022, 3, 4, 10, 5, 40, tzinfo=UTC)  # 4 March, GMT
SECOND_DATE = dt.datetime(2022, 8, 25, 14, 47, 12, tzinfo=UTC)  # 25 August, BST
# Where the code-headed LimeSurvey file's subquestion columns go (its codes name no option).
LIME_CODE_MAPPING = {
    "columns": [
        {"column": "M", "to": "support/Anti-social behaviour"},
        {"column": "N", "to": "support/Burglary"},
        {"column": "P", "to": "hear/Newsletter"},
        {"column": "Q", "to": "hear/Website"},
    ]
}

FIRST_ANSWERS = {
    "agree": Choice(0),
    "safe": Choice(0),
    "support": Matrix(((0, 1), (1, 2))),
    "area": Choice(0),
    "hear": Multi((0, -1), "Parish magazine"),
    "worries": Text("Cars speeding, near the school"),
}
SECOND_ANSWERS = {
    "agree": Choice(1),
    "safe": Choice(3),
    "support": Matrix(((1, 3),)),
    "area": Choice(1),
    "hear": Multi((1,), None),
}


@pytest.mark.parametrize(
    ("path", "layout"),
    [
        (CONDENSED, Layout.SURVEYMONKEY_CONDENSED),
        (LIME_FULL, Layout.LIMESURVEY),
        (LIME_CODES, Layout.LIMESURVEY),
        (SMARTSURVEY, Layout.SMARTSURVEY),
        (CITIZEN_SPACE, Layout.CITIZEN_SPACE),
        (EXPORTS / "surveymonkey-expanded.csv", Layout.SURVEYMONKEY),
    ],
)
def test_each_tools_file_is_recognised_by_its_own_columns(path: Path, layout: Layout) -> None:
    assert detect(table_of(path)) is layout


def left_out(path: Path, mapping: object | None = None) -> dict[str, str]:
    return {c.column.name: c.why for c in parsed(table_of(path), mapping).left_out}


# SurveyMonkey, condensed


@pytest.mark.parametrize("workbook", [False, True], ids=["csv", "xlsx"])
def test_surveymonkey_condensed_reads_a_multi_choice_answer_from_one_cell(workbook: bool) -> None:
    table = read_xlsx(as_workbook(CONDENSED)) if workbook else table_of(CONDENSED)
    result = parsed(table)
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert (first.row, second.row) == (2, 3)  # one header row: the first response is row 2
    assert first.values["hear"] == Multi((0, 1), None)  # "Newsletter, Website"
    assert second.values["hear"] == Multi((1,), None)
    assert first.values["worries"] == Text("Cars speeding, near the school")  # not split
    assert (first.submitted_at, second.submitted_at) == (
        FIRST_DATE,
        dt.datetime(2022, 8, 25, 14, 47, tzinfo=UTC),
    )
    assert set(left_out(CONDENSED)) == {
        "Respondent ID (A)",
        "Collector ID (B)",
        "Start Date (C)",
        "IP Address (E)",
        "Email Address (F)",
        "First Name (G)",
        "Last Name (H)",
        "Custom Data 1 (I)",
    }


def test_a_cell_is_split_only_where_every_piece_is_an_option() -> None:
    options = ("Newsletter", "Website", "Friends, family or neighbours")
    assert split_ticked("Newsletter, Website", options) == ["Newsletter", "Website"]
    assert split_ticked("Friends, family or neighbours", options) == [
        "Friends, family or neighbours"
    ]
    assert split_ticked("Website;Friends, family or neighbours", options) == [
        "Website",
        "Friends, family or neighbours",
    ]
    assert split_ticked("Newsletter, Web site", options) == ["Newsletter, Web site"]


def test_an_options_own_column_saying_no_is_not_a_tick() -> None:
    assert ticks("Yes", "Newsletter") and ticks("Y", "Newsletter")
    assert ticks("Newsletter", "Newsletter")
    assert not ticks("No", "Newsletter") and not ticks("", "Newsletter")
    assert ticks("No", "No")  # an option called No, ticked, says its own name


# LimeSurvey


@pytest.mark.parametrize("workbook", [False, True], ids=["csv", "xlsx"])
def test_limesurvey_full_headings_and_answers_are_read_unedited(workbook: bool) -> None:
    table = read_xlsx(as_workbook(LIME_FULL)) if workbook else table_of(LIME_FULL)
    result = parsed(table)
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert first.values == FIRST_ANSWERS  # "Yes" under [Newsletter], "No" under [Website]
    assert second.values == SECOND_ANSWERS
    assert (first.submitted_at, second.submitted_at) == (FIRST_DATE, SECOND_DATE)
    assert left_out(LIME_FULL) == {
        "Response ID (A)": "the survey tool's own bookkeeping, not an answer",
        "Last page (C)": "the survey tool's own bookkeeping, not an answer",
        "Start language (D)": "the survey tool's own bookkeeping, not an answer",
        "Seed (E)": "the survey tool's own bookkeeping, not an answer",
        "Date started (F)": "the survey tool's own bookkeeping, not an answer",
        "Date last action (G)": "the survey tool's own bookkeeping, not an answer",
        "IP address (H)": "personal data, never stored",
        "Referrer URL (I)": "personal data, never stored",
    }


def test_limesurvey_subquestion_headings_split_into_question_and_label() -> None:
    file = read_tool_file(table_of(LIME_FULL), Layout.LIMESURVEY)
    column = file.columns[14]
    assert (column.heading, column.sub) == ("How do you hear about us?", "Newsletter")
    codes = read_tool_file(table_of(LIME_CODES), Layout.LIMESURVEY).columns
    assert [(c.heading, c.sub) for c in codes[12:14]] == [
        ("support", "SQ001"),
        ("support", "SQ002"),
    ]


def test_limesurvey_code_headings_match_question_keys_and_codes_wait_for_the_mapping() -> None:
    refused = parsed(table_of(LIME_CODES))
    assert [p.column for p in refused.parsed.problems if p.row == 1] == [
        "support / SQ001 (M)",
        "support / SQ002 (N)",
        "hear / SQ001 (P)",
        "hear / SQ002 (Q)",
    ]
    result = parsed(table_of(LIME_CODES), LIME_CODE_MAPPING)
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert (first.values, second.values) == (FIRST_ANSWERS, SECOND_ANSWERS)
    assert "token (F)" in left_out(LIME_CODES, LIME_CODE_MAPPING)
    assert left_out(LIME_CODES, LIME_CODE_MAPPING)["token (F)"] == "personal data, never stored"


def test_limesurvey_dates_are_year_first_and_a_day_first_one_is_refused() -> None:
    assert parse_tool_date("2022-03-04 10:05:40", Layout.LIMESURVEY) == FIRST_DATE
    result = parsed(edited(LIME_FULL, '"2022-08-25 15:47:12","3"', '"25/08/2022 15:47:12","3"'))
    [problem] = result.parsed.problems
    assert (problem.row, problem.column) == (3, "Date submitted (B)")
    assert problem.message == (
        "'25/08/2022 15:47:12' is not a date as LimeSurvey writes them, year first "
        "(like 2022-08-25 15:47:12)"
    )


# SmartSurvey


@pytest.mark.parametrize("workbook", [False, True], ids=["csv", "xlsx"])
def test_smartsurvey_numbered_headings_and_label_row_are_read_unedited(workbook: bool) -> None:
    table = read_xlsx(as_workbook(SMARTSURVEY)) if workbook else table_of(SMARTSURVEY)
    result = parsed(table)
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert (first.row, second.row) == (3, 4)  # after its heading row and its row of labels
    assert (first.values, second.values) == (FIRST_ANSWERS, SECOND_ANSWERS)
    assert (first.submitted_at, second.submitted_at) == (FIRST_DATE, SECOND_DATE)  # day first
    assert left_out(SMARTSURVEY) == {
        "UserID (A)": "the survey tool's own bookkeeping, not an answer",
        "User No (B)": "the survey tool's own bookkeeping, not an answer",
        "Name (C)": "personal data, never stored",
        "Email (D)": "personal data, never stored",
        "IP Address (E)": "personal data, never stored",
        "Unique ID (F)": "personal data, never stored",
        "Started (G)": "the survey tool's own bookkeeping, not an answer",
    }


def test_an_officer_can_say_a_tools_dates_are_month_first_in_the_mapping() -> None:
    text = SMARTSURVEY.read_text("utf-8").replace("25/08/2022 15:47:12", "08/25/2022 15:47:12")
    refused = parsed(read_csv(text.encode()))
    assert [p.column for p in refused.parsed.problems] == ["Ended (H)"]
    assert "day first" in refused.parsed.problems[0].message
    mapping = {"dates": "month first", "columns": []}
    swapped = text.replace("04/03/2022 10:05:40", "03/04/2022 10:05:40")
    result = parsed(read_csv(swapped.encode()), mapping)
    assert result.parsed.problems == (), result.parsed.problems
    assert [r.submitted_at for r in result.parsed.rows] == [FIRST_DATE, SECOND_DATE]
    bad = parsed(table_of(SMARTSURVEY), {"dates": "sideways", "columns": []})
    assert [p.message for p in bad.parsed.problems] == [
        "\"dates\" must be one of 'month first', 'day first', 'year first', not 'sideways'"
    ]


def test_the_mapping_shows_the_order_dates_are_read_in() -> None:
    result = parsed(table_of(SMARTSURVEY))
    shown = mapping_json(Layout.SMARTSURVEY, result.choices)
    assert (shown["layout"], shown["dates"]) == ("smartsurvey", "day first")
    assert DateOrder(shown["dates"]) is DateOrder.DAY_FIRST


# Citizen Space


@pytest.mark.parametrize("workbook", [False, True], ids=["csv", "xlsx"])
def test_citizen_space_export_is_read_with_contact_details_left_out(workbook: bool) -> None:
    table = read_xlsx(as_workbook(CITIZEN_SPACE)) if workbook else table_of(CITIZEN_SPACE)
    result = parsed(table)
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert first.values["hear"] == Multi((0, 1), None)  # "Newsletter, Website" in one cell
    assert first.values["support"] == Matrix(((0, 1), (1, 2)))  # "question - statement"
    assert second.values["safe"] == Choice(3)
    assert (first.submitted_at, second.submitted_at) == (
        dt.datetime(2022, 3, 4, 10, 5, tzinfo=UTC),  # 04/03/2022: 4 March, day first
        dt.datetime(2022, 8, 25, 14, 47, tzinfo=UTC),
    )
    assert left_out(CITIZEN_SPACE) == {
        "Response ID (A)": "the survey tool's own bookkeeping, not an answer",
        "Status (C)": "the survey tool's own bookkeeping, not an answer",
        "Name (D)": "personal data, never stored",
        "Email address (E)": "personal data, never stored",
        "Postal address (F)": "personal data, never stored",
    }


def test_an_unknown_citizen_space_column_is_refused_until_the_mapping_decides() -> None:
    table = edited(CITIZEN_SPACE, "Status,", "Analysis tag,")
    result = parsed(table)
    assert [p.column for p in result.parsed.problems] == ["Analysis tag (C)"]
    assert parsed(table, {"columns": [{"column": "C", "to": None}]}).parsed.problems == ()


DOC_EXAMPLES = {
    "surveymonkey-condensed": Layout.SURVEYMONKEY_CONDENSED,
    "limesurvey": Layout.LIMESURVEY,
    "smartsurvey": Layout.SMARTSURVEY,
    "citizen-space": Layout.CITIZEN_SPACE,
}


def test_the_other_tools_examples_in_the_format_documentation_import_without_problems() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "formats.md").read_text("utf-8")
    definition = json.loads(re.findall(r"```json\n(.*?)```", doc, flags=re.S)[0])
    specs = parse_definition(definition).questions
    tags = "|".join(DOC_EXAMPLES)
    examples = dict(re.findall(rf"```csv ({tags})\n(.*?)```", doc, re.S))
    assert set(examples) == set(DOC_EXAMPLES)
    for tag, text in examples.items():
        table = read_csv(text.encode())
        assert detect(table) is DOC_EXAMPLES[tag], tag
        file = read_tool_file(table, detect(table))
        result = parse_tool_file(specs, file, None, channels=("online",), default_channel="online")
        assert result.parsed.problems == () and len(result.parsed.rows) == 1, (tag, result)
        assert any(c.locked for c in result.left_out), tag  # its personal data, left out
        assert result.parsed.rows[0].submitted_at.date() == dt.date(2022, 3, 4), tag
