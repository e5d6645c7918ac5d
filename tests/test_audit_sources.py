"""ONS recorded-crime tables and police.uk files, pure: read, counted, the partnership's area
chosen, comparators kept, and what the trends then say. Every file here is made up, in the
publishers' documented layouts."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from assembly.core.audit_files import AuditTable
from assembly.core.audit_readers import read_audit_bytes, read_audit_file
from assembly.core.measures import Measure
from assembly.core.periods import PeriodKind, compared_periods, period_kind
from assembly.core.police_uk import gathered
from assembly.core.trends import comparison, trend_table_rows, trends
from common.spreadsheets import ImportRefused, UnreadableFile

DATA = Path(__file__).resolve().parent / "data"
ONS = (DATA / "ons_csp_recorded_crime.csv").read_bytes()
ONS_HEADER = "area_code,area_name,period,value,indicator,measure,unit,group\n"
CSP = "Bath and North East Somerset"
POLICE_UK_HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
FORCE = "Avon and Somerset Constabulary"


def refusal(data: bytes, filename: str = "table.csv", area: str | None = None) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_audit_bytes(data, filename, area)
    return [str(problem) for problem in refused.value.problems]


def figure(table: AuditTable, category: str, period: str, measure: Measure) -> Decimal | None:
    found = [
        f.value
        for f in table.figures
        if (f.category, f.period, f.measure) == (category, period, measure)
    ]
    return found[0] if found else None


def sentence(table: AuditTable, category: str, measure: Measure) -> str:
    return next(t.sentence for t in trends(table) if (t.category, t.measure) == (category, measure))


# ONS tables.


def test_an_ons_table_of_several_areas_is_refused_without_an_area_listing_them() -> None:
    assert refusal(ONS) == [
        "the file has figures for more than one area: choose the partnership's (by name or "
        "code). The areas in the file are: Bath and North East Somerset (E22000234); Avon and "
        "Somerset (E23000036); England and Wales (K04000001)"
    ]


def test_an_area_not_in_the_file_is_refused_listing_those_that_are() -> None:
    (problem,) = refusal(ONS, area="Bristol")
    assert problem.startswith("there is no area 'Bristol' in the file")
    assert "England and Wales (K04000001)" in problem


@pytest.mark.parametrize("area", [CSP, "bath and north east  somerset", "E22000234", "e22000234"])
def test_the_partnerships_area_is_chosen_by_name_or_code(area: str) -> None:
    table = read_audit_bytes(ONS, "table.csv", area)
    assert (table.area_name, table.area_code) == (CSP, "E22000234")
    assert {f.area for f in table.figures} == {None}


def test_the_other_areas_are_kept_as_comparators() -> None:
    table = read_audit_bytes(ONS, "table.csv", CSP)
    assert {f.area for f in table.comparators} == {"Avon and Somerset", "England and Wales"}
    total = "Total recorded crime (excluding fraud)"
    rate = next(t for t in trends(table) if (t.category, t.measure) == (total, Measure.RATE))
    assert comparison(table, rate) == (
        f"{total} in 2022/23: 68.1 per 1,000 population in {CSP}, against 85.7 in Avon and "
        "Somerset and 93.6 in England and Wales."
    )


def test_one_area_alone_is_the_partnerships_without_choosing() -> None:
    data = (
        ONS_HEADER + f"E22000234,{CSP},2022/23,12,Police recorded crime,Count,,Arson\n"
    ).encode()
    table = read_audit_bytes(data, "table.csv")
    assert table.area_name == CSP and table.comparators == ()


def test_ons_markers_are_no_figure_not_a_problem() -> None:
    rows = [
        f"E22000234,{CSP},{period},{marker},Police recorded crime,Count,,Arson"
        for period, marker in zip(
            ("2016/17", "2017/18", "2018/19", "2019/20", "2020/21", "2021/22"),
            (":", "..", "[x]", "[c]", "[z]", "[low]"),
            strict=True,
        )
    ]
    rows.append(f"E22000234,{CSP},2022/23,7,Police recorded crime,Count,,Arson")
    table = read_audit_bytes((ONS_HEADER + "\n".join(rows) + "\n").encode(), "t.csv")
    assert [f.value for f in table.figures] == [None] * 6 + [Decimal(7)]
    assert table.figures[3].notes == "Not available in the source ('[c]')."
    (trend,) = trends(table)
    assert trend.previous_period == "2021/22" and trend.previous_value is None
    assert trend.sentence == (
        "Arson: no figure for 2021/22, so no change can be given; 2022/23: 7 offences."
    )


def test_a_category_with_no_figure_available_is_kept_and_says_so() -> None:
    table = read_audit_bytes(ONS, "table.csv", CSP)
    assert sentence(table, "Homicide", Measure.RATE) == (
        "Homicide: no figures for 2021/22 or 2022/23, so no change can be given."
    )


def test_raw_float_rates_are_kept_rounded_never_refused_for_their_length() -> None:
    table = read_audit_bytes(ONS, "table.csv", CSP)
    total = "Total recorded crime (excluding fraud)"
    assert figure(table, total, "2021/22", Measure.RATE) == Decimal("66.418702")
    long = ONS_HEADER + f"E22000234,{CSP},2022/23,78.61234567890123456,PRC,Rate,,Burglary\n"
    table = read_audit_bytes(long.encode(), "t.csv")
    assert table.figures[0].value == Decimal("78.612346")


def test_a_count_and_a_rate_of_one_category_are_both_kept_and_worded_apart() -> None:
    table = read_audit_bytes(ONS, "table.csv", CSP)
    total = "Total recorded crime (excluding fraud)"
    assert sentence(table, total, Measure.COUNT) == (
        f"{total} rose by 3.6% (464 more offences), from 12,843 in 2021/22 to 13,307 in 2022/23."
    )
    assert sentence(table, total, Measure.RATE) == (
        f"{total} rose by 1.7 per 1,000 population, from 66.4 in 2021/22 to 68.1 in 2022/23 "
        "(a rise of 2.5%)."
    )


def test_a_falling_rate_is_never_worded_as_fewer_offences() -> None:
    table = read_audit_bytes(ONS, "table.csv", CSP)
    words = sentence(table, "Residential burglary", Measure.RATE)
    assert words == (
        "Residential burglary fell by 0.7 per 1,000 population, from 5.6 in 2021/22 to 4.9 in "
        "2022/23 (a fall of 12.7%)."
    )
    assert "fewer" not in words and "offences" not in words


def test_a_calendar_year_is_never_compared_with_a_financial_year() -> None:
    data = ONS_HEADER + "".join(
        f"E22000234,{CSP},{period},{value},PRC,Rate,per 1000 population,Burglary\n"
        for period, value in (("2021/22", "5.1"), ("2022/23", "4.9"), ("2023", "9.9"))
    )
    table = read_audit_bytes(data.encode(), "t.csv")
    (trend,) = trends(table)
    assert (trend.previous_period, trend.latest_period) == ("2021/22", "2022/23")


def test_a_bad_ons_value_is_named_by_row_and_column() -> None:
    data = ONS_HEADER + f"E22000234,{CSP},2022/23,about 12,PRC,Count,,Arson\n"
    data += f"E22000234,{CSP},2022/23,-3,PRC,Count,,Theft\n,,2022/23,4,PRC,Count,,Drugs\n"
    assert refusal(data.encode()) == [
        "row 2, column 'D (value)': 'about 12' is not a number, nor one of ONS's markers for a "
        "figure that is not available ('..', ':', '[c]', '[low]', '[x]' and '[z]')",
        "row 3, column 'D (value)': '-3' is not a figure of zero or more",
        "row 4, column 'A (area_code)': the area is blank: give its code or name",
    ]


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_ons_workbook_with_notes_rows_above_its_header_is_read_with_its_title() -> None:
    title = "Table P1: Police recorded crime by Community Safety Partnership area"
    data = xlsx(
        [
            [title],
            ["This worksheet contains one table. Some cells refer to notes [note 1]."],
            [],
            ["Source: Home Office police recorded crime"],
            ONS_HEADER.strip().split(","),
            ["E22000234", CSP, "2021/22", 66.41870213, "PRC", "Rate", "per 1,000", "Burglary"],
            ["E22000234", CSP, "2022/23", 0.1 + 0.2, "PRC", "Rate", "per 1,000", "Burglary"],
        ]
    )
    table = read_audit_bytes(data, "p1.xlsx")
    assert [f.value for f in table.figures] == [Decimal("66.418702"), Decimal("0.3")]
    assert {f.source for f in table.figures} == {title}


def test_the_long_layout_with_notes_rows_above_its_header_is_read_too() -> None:
    data = xlsx(
        [["Crime in the district"], [], ["category", "period", "value"], ["Arson", "2022/23", 4]]
    )
    table = read_audit_bytes(data, "audit.xlsx")
    assert [(f.category, f.value) for f in table.figures] == [("Arson", Decimal(4))]


# police.uk files.


def police_uk(
    rows: Iterable[tuple[str, str, str]], header: Sequence[str] = POLICE_UK_HEADER
) -> bytes:
    """A street-level file: one row per (month, crime type, LSOA name)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for number, (month, crime, lsoa) in enumerate(rows):
        crime_id = "" if crime == "Anti-social behaviour" else f"{number:064x}"
        writer.writerow(
            (
                crime_id,
                month,
                FORCE,
                FORCE,
                "-2.36",
                "51.38",
                "On or near Milk Street",
                "E01014370" if lsoa else "",
                lsoa,
                crime,
                "Under investigation",
                "",
            )
        )
    return buffer.getvalue().encode("utf-8")


def months(first: tuple[int, int], count: int) -> list[str]:
    year, month = first
    found = []
    for _ in range(count):
        found.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def test_police_uk_rows_are_counted_per_financial_year_when_all_twelve_months_are_there() -> None:
    rows = [(m, "Burglary", f"{CSP} 001A") for m in months((2022, 4), 24)]
    rows += [(m, "Burglary", f"{CSP} 002B") for m in months((2023, 4), 12)]
    rows += [(m, "Anti-social behaviour", f"{CSP} 001A") for m in months((2022, 4), 3)]
    table = read_audit_bytes(police_uk(rows), "2022-04-avon-and-somerset-street.csv")
    assert table.periods == ("2022/23", "2023/24")
    counted = {(f.category, f.period): (f.value, f.unit) for f in table.figures}
    assert counted == {
        ("Burglary", "2022/23"): (Decimal(12), "offences"),
        ("Burglary", "2023/24"): (Decimal(24), "offences"),
        ("Anti-social behaviour", "2022/23"): (Decimal(3), "reports"),
        ("Anti-social behaviour", "2023/24"): (Decimal(0), "reports"),
    }
    assert {f.source for f in table.figures} == {f"police.uk street-level crime data ({FORCE})"}


def test_a_partial_year_is_counted_per_quarter_then_month_and_never_compared_with_a_whole_one() -> (
    None
):
    # April 2023 to August 2024: one whole financial year, one quarter, two months.
    # The whole year's months are counted again as the season the part year is set beside.
    rows = [(m, "Vehicle crime", "") for m in months((2023, 4), 17)]
    rows += [("2024-08", "Vehicle crime", "")]  # two in August 2024
    table = read_audit_bytes(police_uk(rows), "street.csv")
    assert table.periods == (
        "2023/24",
        "Apr to Jun 2023",
        "Jul 2023",
        "Aug 2023",
        "Apr to Jun 2024",
        "Jul 2024",
        "Aug 2024",
    )
    values = {f.period: f.value for f in table.figures}
    assert (values["2023/24"], values["Apr to Jun 2023"], values["Aug 2024"]) == (12, 3, 2)
    (trend,) = trends(table)  # August against August: a year apart, never against July
    assert (trend.previous_period, trend.latest_period) == ("Aug 2023", "Aug 2024")
    assert trend.sentence.startswith("Vehicle crime rose by 100.0% (1 more offence)")


def test_whole_years_are_compared_when_the_latest_part_year_has_nothing_to_compare_with() -> None:
    rows = [(m, "Drugs", "") for m in months((2022, 4), 27)]  # to June 2024
    table = read_audit_bytes(police_uk(rows), "street.csv")
    assert table.periods == ("2022/23", "2023/24", "Apr to Jun 2023", "Apr to Jun 2024")
    (trend,) = trends(table)  # the part year against the same quarter a year before
    assert (trend.previous_period, trend.latest_period) == ("Apr to Jun 2023", "Apr to Jun 2024")


def test_whole_years_are_compared_when_the_part_year_has_no_season_a_year_before() -> None:
    rows = [(m, "Drugs", "") for m in months((2023, 1), 18)]  # Jan 2023 to Jun 2024
    table = read_audit_bytes(police_uk(rows), "street.csv")
    assert table.periods == ("Jan to Mar 2023", "2023/24", "Apr to Jun 2023", "Apr to Jun 2024")
    assert trends(table)[0].previous_period == "Apr to Jun 2023"
    rows = [(m, "Drugs", "") for m in months((2023, 4), 15)]  # Apr 2023 to Jun 2024
    table = read_audit_bytes(police_uk(rows), "street.csv")
    (trend,) = trends(table)
    assert (trend.previous_period, trend.latest_period) == ("Apr to Jun 2023", "Apr to Jun 2024")


def test_months_are_gathered_into_years_quarters_and_single_months() -> None:
    present = [(2023, m) for m in range(1, 13)] + [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]
    found = {p for periods in gathered(present).values() for p in periods}
    # April 2023 is counted in 2023/24 and as the month a year before April 2024.
    assert sorted(found) == ["2023/24", "Apr 2023", "Apr 2024", "Jan to Mar 2023"]
    without_may = [m for m in present if m != (2023, 5)]  # 2023/24 is no longer whole
    assert list(dict.fromkeys(p for ps in gathered(without_may).values() for p in ps)) == [
        "Jan to Mar 2023",
        "Apr 2023",
        "Jun 2023",
        "Jul to Sep 2023",
        "Oct to Dec 2023",
        "Jan to Mar 2024",
        "Apr 2024",
    ]


def test_a_police_uk_file_of_several_local_authorities_needs_an_area() -> None:
    rows = [("2024-04", "Burglary", f"{CSP} 001A"), ("2024-04", "Burglary", "Bristol 010C")]
    assert refusal(police_uk(rows), "street.csv") == [
        "the file covers more than one local authority: choose one. The local authorities "
        f"in the file (from its LSOA names) are: {CSP}; Bristol. Name one, or the force "
        f"'{FORCE}' for every row."
    ]
    table = read_audit_bytes(police_uk(rows), "street.csv", "bristol")
    assert [(f.value, table.area_name) for f in table.figures] == [(Decimal(1), "Bristol")]
    whole = read_audit_bytes(police_uk(rows), "street.csv", FORCE)
    assert [f.value for f in whole.figures] == [Decimal(2)]


def test_a_bad_police_uk_row_is_named_and_nothing_is_counted() -> None:
    rows = [("2024-04", "Burglary", ""), ("April 2024", "Burglary", ""), ("2024-05", "", "")]
    assert refusal(police_uk(rows), "street.csv") == [
        "row 3, column 'B (Month)': 'April 2024' is not a month written like 2024-04",
        "row 4, column 'J (Crime type)': the crime type is blank",
    ]


def test_a_police_uk_file_is_counted_from_an_open_file_as_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "street.csv"
    path.write_bytes(police_uk([(m, "Shoplifting", "") for m in months((2024, 1), 3)] * 2000))
    seen: list[int] = []
    with path.open("rb") as source:
        table = read_audit_file(source, path.name, on_rows=seen.append)
    assert [(f.period, f.value) for f in table.figures] == [("Jan to Mar 2024", Decimal(6000))]
    assert seen[-1] == 6000


# Periods.


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("2018/19", PeriodKind.FINANCIAL_YEAR),
        ("2018-19", PeriodKind.FINANCIAL_YEAR),
        ("2018", PeriodKind.CALENDAR_YEAR),
        ("Apr to Jun 2024", PeriodKind.QUARTER),
        ("2024 Q1", PeriodKind.QUARTER),
        ("Apr 2024", PeriodKind.MONTH),
        ("2024-04", PeriodKind.MONTH),
        ("Year ending Sep 2023", PeriodKind.ROLLING_12_MONTHS),
        ("Baseline", PeriodKind.OTHER),
    ],
)
def test_each_kind_of_period_is_recognised(label: str, kind: PeriodKind) -> None:
    assert period_kind(label) is kind


def test_periods_of_different_kinds_are_never_compared() -> None:
    assert compared_periods(["2018", "2018/19", "2019", "2019/20"]) == ("2018/19", "2019/20")
    assert compared_periods(["Year ending Mar 2023", "2023/24"]) == (None, "2023/24")


def test_a_table_row_names_the_measure_when_a_category_has_two() -> None:
    table = read_audit_bytes(ONS, "table.csv", CSP)
    total = "Total recorded crime (excluding fraud)"
    assert trend_table_rows(trends(table)) == [
        (f"{total} (count)", "12,843", "13,307", "+464", "+3.6%"),
        (f"{total} (rate)", "66.4", "68.1", "+1.7", "+2.5%"),
        ("Residential burglary", "5.6", "4.9", "-0.7", "-12.7%"),
        ("Homicide", "no figure", "no figure", "–", "–"),
    ]


def test_a_police_uk_file_saved_as_a_workbook_is_counted_too() -> None:
    rows = [list(POLICE_UK_HEADER)] + [
        ["", month, FORCE, FORCE, "", "", "", "", "", "Anti-social behaviour", "", ""]
        for month in months((2024, 4), 3)
    ]
    table = read_audit_bytes(xlsx(rows), "street.xlsx")
    assert [(f.period, f.value, f.unit) for f in table.figures] == [
        ("Apr to Jun 2024", Decimal(3), "reports")
    ]


def police_uk_zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """An archive as police.uk's downloads come: a folder a month, a CSV a kind in each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_police_uk_download_is_counted_as_its_months_together() -> None:
    rows = [(m, "Burglary", "") for m in months((2023, 4), 15)]
    files = {
        f"{month}/{month}-avon-and-somerset-street.csv": police_uk(r for r in rows if r[0] == month)
        for month in {r[0] for r in rows}
    }
    files["2023-04/2023-04-avon-and-somerset-stop-and-search.csv"] = b"Type,Date\n"
    together = read_audit_bytes(police_uk_zip(files), "download.zip")
    alone = read_audit_bytes(police_uk(rows), "street.csv")
    assert together.periods == alone.periods == ("2023/24", "Apr to Jun 2023", "Apr to Jun 2024")
    assert together.figures == alone.figures


def test_a_bad_row_in_a_download_is_named_by_its_file_and_row() -> None:
    good = police_uk([("2024-04", "Burglary", "")])
    bad = police_uk([("2024-05", "Burglary", ""), ("May", "Burglary", "")])
    data = police_uk_zip({"2024-04/a-street.csv": good, "2024-05/b-street.csv": bad})
    assert refusal(data, "download.zip") == [
        "row 3, column 'B (Month)': 2024-05/b-street.csv: 'May' is not a month written like 2024-04"
    ]


def test_an_archive_that_is_not_police_uk_or_would_unpack_too_far_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="not a .zip archive"):
        read_audit_bytes(b"not a zip", "download.zip")
    with pytest.raises(UnreadableFile, match="no police.uk street-level or outcomes files"):
        read_audit_bytes(police_uk_zip({"notes.txt": b"hello"}), "download.zip")
    bomb = police_uk_zip({"2024-04/x-street.csv": b"0" * 5_000_000})  # packs 1,000 to 1
    with pytest.raises(UnreadableFile, match="far more than any CSV"):
        read_audit_bytes(bomb, "download.zip")
