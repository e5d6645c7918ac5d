"""Audit files, pure: long and wide layouts from CSV and XLSX, and every way one is refused."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import openpyxl
import pytest

from assembly.core.audit_files import AuditFigure, AuditTable, read_audit
from common.spreadsheets import ImportRefused, UnreadableFile


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_in(data: bytes, filename: str = "audit.csv") -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_audit(data, filename)
    return [str(problem) for problem in refused.value.problems]


def values(table: AuditTable) -> list[tuple[str, str | None, str, Decimal]]:
    return [(f.category, f.area, f.period, f.value) for f in table.figures]


# The long layout.


def test_long_layout_reads_columns_in_any_order_with_any_case_and_spacing() -> None:
    table = read_audit(
        csv_bytes(
            " Value ,CATEGORY, period ,Area,Unit,Source,Notes\n"
            "872,Burglary,2016/17,,,Police recorded crime,\n"
            '"1,070",Burglary,2017/18,,,Police recorded crime,Includes sheds\n'
            "31,Burglary,2017/18,Keynsham,,,\n"
        ),
        "audit.csv",
    )
    assert table.periods == ("2016/17", "2017/18")
    assert values(table) == [
        ("Burglary", None, "2016/17", Decimal(872)),
        ("Burglary", None, "2017/18", Decimal(1070)),
        ("Burglary", "Keynsham", "2017/18", Decimal(31)),
    ]
    assert table.figures[1] == AuditFigure(
        category="Burglary",
        period="2017/18",
        value=Decimal(1070),
        area=None,
        unit=None,
        source="Police recorded crime",
        notes="Includes sheds",
    )


def test_periods_keep_the_files_order_and_are_never_sorted() -> None:
    table = read_audit(
        csv_bytes(
            "category,period,value\nRobbery,2017/18,40\nRobbery,2016/17,45\nArson,2015/16,3\n"
        ),
        "audit.csv",
    )
    assert table.periods == ("2017/18", "2016/17", "2015/16")


def test_categories_are_listed_once_in_the_order_they_first_appear() -> None:
    table = read_audit(
        csv_bytes(
            "category,period,value\nVehicle crime,2016/17,5\nArson,2016/17,3\n"
            "Vehicle crime,2017/18,6\n"
        ),
        "audit.csv",
    )
    assert table.categories == ("Vehicle crime", "Arson")


def test_values_may_have_thousands_separators_spaces_and_decimals() -> None:
    table = read_audit(
        csv_bytes(
            "category,period,value\n"
            'A,p1," 1,070 "\nB,p1,12.5\nC,p1,"1,234,567.25"\nD,p1,0\nE,p1,.5\nF,p1,007\n'
        ),
        "audit.csv",
    )
    assert [f.value for f in table.figures] == [
        Decimal(1070),
        Decimal("12.5"),
        Decimal("1234567.25"),
        Decimal(0),
        Decimal("0.5"),
        Decimal(7),
    ]


def test_a_byte_order_mark_does_not_hide_the_first_heading() -> None:
    data = "\ufeffcategory,period,value\nBurglary,2016/17,872\n".encode()
    assert values(read_audit(data, "audit.csv")) == [("Burglary", None, "2016/17", Decimal(872))]


def test_text_is_cleaned_to_one_line_and_names_differing_in_case_are_one() -> None:
    table = read_audit(
        csv_bytes(
            "category,period,value,area\n"
            '"Criminal\tdamage ",2016/17,226, Keynsham\n'
            "criminal  DAMAGE,2017/18,214,keynsham\n"
            "Criminal damage,2017/18,1,\n"
        ),
        "audit.csv",
    )
    assert values(table) == [
        ("Criminal damage", "Keynsham", "2016/17", Decimal(226)),
        ("Criminal damage", "Keynsham", "2017/18", Decimal(214)),
        ("Criminal damage", None, "2017/18", Decimal(1)),
    ]


def test_a_categorys_unit_is_given_to_all_its_figures() -> None:
    table = read_audit(
        csv_bytes(
            "category,period,value,unit\n"
            "ASB,2016/17,300,\nASB,2017/18,280,incidents\nArson,2017/18,14,\n"
            "ASB,2018/19,250,Incidents\n"  # the same unit in other capitals is not a conflict
        ),
        "audit.csv",
    )
    assert [(f.category, f.unit) for f in table.figures] == [
        ("ASB", "incidents"),
        ("ASB", "incidents"),
        ("Arson", None),
        ("ASB", "incidents"),
    ]


# The wide layout.


def test_wide_layout_has_a_column_per_period_in_the_files_order() -> None:
    table = read_audit(
        csv_bytes('Category,2017/18,2016/17\nBurglary,"1,070",872\nCriminal damage,214,226\n'),
        "audit.csv",
    )
    assert table.periods == ("2017/18", "2016/17")
    assert values(table) == [
        ("Burglary", None, "2017/18", Decimal(1070)),
        ("Burglary", None, "2016/17", Decimal(872)),
        ("Criminal damage", None, "2017/18", Decimal(214)),
        ("Criminal damage", None, "2016/17", Decimal(226)),
    ]


def test_a_blank_wide_cell_means_no_figure_for_that_period() -> None:
    table = read_audit(
        csv_bytes("category,2015/16,2016/17,2017/18\nArson,3,,14\nKnife crime,,0,12\n"),
        "audit.csv",
    )
    assert table.periods == ("2015/16", "2016/17", "2017/18")
    assert values(table) == [
        ("Arson", None, "2015/16", Decimal(3)),
        ("Arson", None, "2017/18", Decimal(14)),
        ("Knife crime", None, "2016/17", Decimal(0)),
        ("Knife crime", None, "2017/18", Decimal(12)),
    ]


def test_periods_stay_in_header_order_even_when_the_first_row_skips_one() -> None:
    table = read_audit(csv_bytes("category,2016/17,2017/18\nArson,,14\nRobbery,45,45\n"), "a.csv")
    assert table.periods == ("2016/17", "2017/18")


# XLSX.


def test_long_layout_from_an_xlsx_workbook() -> None:
    data = xlsx_bytes(
        [
            ["period", "category", "value", "unit"],
            ["2016/17", "Burglary", 872, None],
            ["2017/18", "Burglary", "1,070", "offences"],
            ["2017/18", "Rate per 1,000", 12.5, "per 1,000 people"],
        ]
    )
    table = read_audit(data, "Audit.XLSX")
    assert table.periods == ("2016/17", "2017/18")
    assert [(f.category, f.period, f.value, f.unit) for f in table.figures] == [
        ("Burglary", "2016/17", Decimal(872), "offences"),
        ("Burglary", "2017/18", Decimal(1070), "offences"),
        ("Rate per 1,000", "2017/18", Decimal("12.5"), "per 1,000 people"),
    ]


def test_wide_layout_from_an_xlsx_workbook_with_blank_cells() -> None:
    data = xlsx_bytes(
        [
            ["Category", "2017/18", "2016/17"],
            ["Burglary", 1070, 872.0],
            ["Arson", 14, None],
        ]
    )
    table = read_audit(data, "audit.xlsx")
    assert table.periods == ("2017/18", "2016/17")
    assert values(table) == [
        ("Burglary", None, "2017/18", Decimal(1070)),
        ("Burglary", None, "2016/17", Decimal(872)),
        ("Arson", None, "2017/18", Decimal(14)),
    ]


def test_problems_in_an_xlsx_workbook_are_placed_as_excel_shows_them() -> None:
    data = xlsx_bytes(
        [["category", "2016/17", "2017/18"], ["Burglary", 872, -5], ["Arson", "n/a", 14]]
    )
    assert problems_in(data, "audit.xlsx") == [
        "row 2, column 'C (2017/18)': '-5' is below zero: an audit figure cannot be negative",
        "row 3, column 'B (2016/17)': 'n/a' is not a number: write figures like 1070, "
        "1,070 or 12.5",
    ]


# Refusals.


def test_every_problem_in_a_long_file_is_listed_at_once_by_row_and_column() -> None:
    data = csv_bytes(
        "category,period,value,unit\n"
        "Burglary,2016/17,872,offences\n"  # row 2: fine
        ",2016/17,5,\n"  # row 3
        "Arson,,3,\n"  # row 4
        "Arson,2016/17,,\n"  # row 5
        "Arson,2017/18,n/a,\n"  # row 6
        "Robbery,2016/17,12abc,\n"  # row 7
        "Robbery,2017/18,-4,\n"  # row 8
        "Theft,2016/17,1234567890123456,\n"  # row 9
        "Theft,2017/18,NaN,\n"  # row 10
        "Fraud,2016/17,inf,\n"  # row 11
        "Fraud,2017/18,1.1234567,\n"  # row 12
        "Burglary,2017/18,900,incidents\n"  # row 13
        "burglary,2016/17,870,\n"  # row 14
    )
    assert problems_in(data) == [
        "row 3, column 'A (category)': the category is blank",
        "row 4, column 'B (period)': the period is blank",
        "row 5, column 'C (value)': the value is blank: give the figure (0 if there were none)",
        "row 6, column 'C (value)': 'n/a' is not a number: write figures like 1070, 1,070 or 12.5",
        "row 7, column 'C (value)': '12abc' is not a number: write figures like 1070, 1,070 "
        "or 12.5",
        "row 8, column 'C (value)': '-4' is below zero: an audit figure cannot be negative",
        "row 9, column 'C (value)': '1234567890123456' has more than 15 digits",
        "row 10, column 'C (value)': 'NaN' is not a number: write figures like 1070, 1,070 or 12.5",
        "row 11, column 'C (value)': 'inf' is not a number: write figures like 1070, 1,070 or 12.5",
        "row 12, column 'C (value)': '1.1234567' has more than 6 decimal places: round it to "
        "6 or fewer",
        "row 13, column 'D (unit)': 'Burglary' is counted in 'offences' in row 2 but in "
        "'incidents' here: give each category one unit",
        "row 14, column 'C (value)': 'Burglary' for 2016/17 is given twice, in rows 2 and 14: "
        "give it once",
    ]


def test_fifteen_digits_are_allowed_and_sixteen_are_not() -> None:
    table = read_audit(csv_bytes("category,period,value\nA,p,999999999999999\n"), "a.csv")
    assert table.figures[0].value == Decimal("999999999999999")
    assert problems_in(csv_bytes("category,period,value\nA,p,99999999999999.99\n")) == [
        "row 2, column 'C (value)': '99999999999999.99' has more than 15 digits"
    ]


@pytest.mark.parametrize("text", ["Infinity", "-inf", "sNaN", "1e5", "1,07", "1 070", "£5", "+5"])
def test_things_python_would_read_as_numbers_are_not_audit_figures(text: str) -> None:
    problems = problems_in(csv_bytes(f'category,period,value\nA,p,"{text}"\n'))
    assert len(problems) == 1
    assert problems[0].startswith(f"row 2, column 'C (value)': '{text}' is ")


def test_a_repeated_figure_in_an_area_names_both_rows() -> None:
    data = csv_bytes(
        "category,area,period,value\n"
        "Burglary,Keynsham,2016/17,31\nBurglary,,2016/17,872\nBurglary,keynsham,2016/17,30\n"
    )
    assert problems_in(data) == [
        "row 4, column 'D (value)': 'Burglary' in Keynsham for 2016/17 is given twice, in rows "
        "2 and 4: give it once"
    ]


def test_a_repeated_category_in_the_wide_layout_is_refused_cell_by_cell() -> None:
    data = csv_bytes("category,2016/17,2017/18\nArson,3,\nRobbery,45,45\nArson,4,14\n")
    assert problems_in(data) == [
        "row 4, column 'B (2016/17)': 'Arson' for 2016/17 is given twice, in rows 2 and 4: "
        "give it once"
    ]


def test_every_problem_in_a_wide_header_and_its_rows_is_listed() -> None:
    data = csv_bytes(
        "category,2016/17,2016/17 ,,2018/19\n"
        "Burglary,872,,,\n"
        ",5\n"  # row 3: figures without a category
        "Violent crime\n"  # row 4: a heading row
        "Arson,3,,9\n"  # row 5: a value under no heading
    )
    assert problems_in(data) == [
        "row 1, column 'C (2016/17)': the period '2016/17' already has a column (B)",
        "row 1, column 'D': this column has no heading but has values (from row 5)",
        "row 1, column 'E (2018/19)': the period '2018/19' has no figures: fill them in, or "
        "remove the column",
        "row 3, column 'A (category)': the category is blank",
        "row 4, column 'A (category)': 'Violent crime' has no figure in any period: give at "
        "least one, or remove the row (a heading row cannot be imported)",
    ]


def test_a_header_that_is_neither_layout_says_what_was_expected() -> None:
    (problem,) = problems_in(csv_bytes("Crime type,Year,Count\nBurglary,2016/17,872\n"))
    assert problem.startswith("row 1: the first row must name the columns, in one of two layouts")
    assert "'category', 'period' and 'value'" in problem
    assert "one column for each period" in problem
    assert problem.endswith("This file's first row is: 'Crime type', 'Year' and 'Count'")


def test_a_long_file_with_unknown_repeated_and_missing_columns_is_refused() -> None:
    data = csv_bytes("period,value,colour,Value\n2016/17,872,red,3\n")
    assert problems_in(data) == [
        "row 1: there is no 'category' column: a file with one figure a row needs "
        "'category', 'period' and 'value' columns",
        "row 1, column 'C (colour)': 'colour' is not a column of an audit file (the columns "
        "are 'category', 'period', 'value', 'area', 'unit', 'source' and 'notes')",
        "row 1, column 'D (Value)': this column appears more than once (B, D)",
    ]


def test_a_wide_file_with_no_period_columns_is_refused() -> None:
    assert problems_in(csv_bytes("category\nBurglary\n")) == [
        "row 1: there are no period columns after 'category': add one column for each "
        "period, headed with its name like '2016/17'",
        "row 2, column 'A (category)': 'Burglary' has no figure in any period: give at least "
        "one, or remove the row (a heading row cannot be imported)",
    ]


def test_text_longer_than_can_be_stored_is_refused() -> None:
    data = csv_bytes(f"category,period,value\n{'x' * 201},{'y' * 41},1\n")
    assert problems_in(data) == [
        "row 2, column 'A (category)': the category is longer than 200 characters",
        "row 2, column 'B (period)': the period is longer than 40 characters",
    ]


def test_one_bad_row_refuses_the_whole_file_and_gives_no_partial_table() -> None:
    good = "".join(f"Category {n},2016/17,{n}\n" for n in range(50))
    data = csv_bytes("category,period,value\n" + good + "Arson,2016/17,lots\n")
    result: AuditTable | None = None
    with pytest.raises(ImportRefused) as refused:
        result = read_audit(data, "audit.csv")
    assert result is None
    assert [p.row for p in refused.value.problems] == [52]
    assert not hasattr(refused.value, "table")


def test_a_file_that_is_not_a_table_is_unreadable_not_refused() -> None:
    with pytest.raises(UnreadableFile, match="old Excel"):
        read_audit(b"category,period,value\n", "audit.xls")
    with pytest.raises(UnreadableFile, match="empty"):
        read_audit(b"", "audit.csv")
