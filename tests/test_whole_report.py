"""The whole results report's cells and sheet names for a spreadsheet. Pure: no app."""

from __future__ import annotations

from common.spreadsheets import Percent, sheet_name
from survey.core.whole_report import cell_value


def test_numbers_become_numbers_and_percentages_keep_the_pages_places() -> None:
    assert cell_value("1,070") == 1070
    assert cell_value("0") == 0
    assert cell_value("82%") == Percent(0.82, 0)
    assert cell_value("22.7%") == Percent(0.227, 1)


def test_words_stay_words() -> None:
    for text in ("fewer than 5", "not shown", "-", "+45 points", "72% to 89%", "Week 1", ""):
        assert cell_value(text) == text


def test_sheet_names_are_what_excel_accepts_and_never_repeat() -> None:
    long = "Q1 Do you agree with the proposed strategic priorities?"
    first = sheet_name(long)
    assert first == "Q1 Do you agree with the propos" and len(first) <= 31
    assert sheet_name("What [else]: a/b?") == "What  else   a b"
    assert sheet_name(long, [first]) == "Q1 Do you agree with the pr (2)"
    assert sheet_name("???") == "Sheet"
