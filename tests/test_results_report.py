"""The councillors' whole results report: filters combined, the summary, contents, and the
report as XLSX and PDF carrying the page's numbers."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from common.database import db
from common.display import WITHHELD_GROUP
from survey.core.answers import AnswerValue, Choice
from survey.data.models import Channel, Consultation
from survey.data.recording import record_response
from tests.support import make_consultation, open_definition, page, sign_in

YES, NO, DONT_KNOW = 0, 1, 2
NORTH, SOUTH = 0, 1
YOUNG, OLD = 0, 1
PAGE = "/results/safer-streets"
AGREE = "Do you agree with the priorities?"


def two_breakdowns() -> Consultation:
    """Safer streets with an age question beside the area, both breakdowns."""
    questions = open_definition()["questions"]
    questions.append(
        {
            "key": "age",
            "type": "single_choice",
            "text": "How old are you?",
            "options": ["Under 40", "40 or over"],
            "breakdown": True,
        }
    )
    return make_consultation(questions=questions)


def add(
    consultation: Consultation,
    times: int,
    channel: Channel = Channel.ONLINE,
    **values: AnswerValue,
) -> None:
    for _ in range(times):
        record_response(consultation, values, channel)


def everyone_large() -> Consultation:
    """Every cell of area by age at least 5, in each answer: North and under 40 are 10 yes
    and 5 no (online), the rest 6 yes and 6 no (on paper)."""
    consultation = two_breakdowns()
    add(consultation, 10, area=Choice(NORTH), age=Choice(YOUNG), agree=Choice(YES))
    add(consultation, 5, area=Choice(NORTH), age=Choice(YOUNG), agree=Choice(NO))
    for area, age in ((NORTH, OLD), (SOUTH, YOUNG), (SOUTH, OLD)):
        for answer in (YES, NO):
            add(
                consultation,
                6,
                Channel.PAPER,
                area=Choice(area),
                age=Choice(age),
                agree=Choice(answer),
            )
    db.session.commit()
    return consultation


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return page(response).get_text(" ", strip=True)


def page_tables(html_page: Any) -> dict[str, list[list[str]]]:
    """Every table of the page: caption -> headings, then rows, as text."""
    found = {}
    for table in html_page.select("table"):
        caption = table.caption.get_text(strip=True)
        head = [[c.get_text(" ", strip=True) for c in table.select("thead th")]]
        rows = [
            [c.get_text(" ", strip=True) for c in r.select("th, td")]
            for r in table.select("tbody tr")
        ]
        found[caption] = head + rows
    return found


def test_filters_combine_area_age_and_channel(client: FlaskClient) -> None:
    everyone_large()
    sign_in(client, "councillor")
    young_north = page(client.get(PAGE, query_string={"area": "North", "age": "Under 40"}))
    words = young_north.get_text(" ", strip=True)
    assert "Responses 15" in words
    assert "Agreed: 10 of 15 (67%)" in words
    assert (
        "those in every one of these groups: Where do you live: North; How old are you: Under 40"
        in words
    )
    chosen = {s["id"]: s.select_one("option[selected]") for s in young_north.select("form select")}
    assert chosen["area"].get_text(strip=True) == "North"
    assert chosen["age"].get_text(strip=True) == "Under 40"
    on_paper = text(client.get(PAGE, query_string={"area": "South", "channel": "paper"}))
    assert "Responses 24" in on_paper and "Agreed: 12 of 24 (50%)" in on_paper


def test_a_combination_too_small_shows_no_figures(client: FlaskClient) -> None:
    consultation = everyone_large()
    add(consultation, 3, Channel.PAPER, area=Choice(NORTH), age=Choice(YOUNG), agree=Choice(YES))
    db.session.commit()
    sign_in(client, "councillor")
    words = text(
        client.get(PAGE, query_string={"area": "North", "age": "Under 40", "channel": "paper"})
    )
    assert "Responses fewer than 5" in words
    assert "Fewer than 5 people in this group responded" in words and "Agreed:" not in words
    none = text(client.get(PAGE, query_string={"area": "South", "channel": "email"}))
    assert "Responses 0" in none  # no one: that identifies no one


def test_a_table_with_a_small_cell_anywhere_in_the_cross_table_is_not_shown(
    client: FlaskClient,
) -> None:
    """South and 40 or over also has 2 'don't know': shown for North and under 40, the
    agreement of the four combinations could be taken from everyone's to give those 2."""
    consultation = everyone_large()
    add(
        consultation, 2, Channel.PAPER, area=Choice(SOUTH), age=Choice(OLD), agree=Choice(DONT_KNOW)
    )
    add(consultation, 8, Channel.PAPER, area=Choice(SOUTH), age=Choice(OLD), safe=Choice(0))
    db.session.commit()
    sign_in(client, "councillor")
    young_north = page(client.get(PAGE, query_string={"area": "North", "age": "Under 40"}))
    words = young_north.get_text(" ", strip=True)
    assert "Responses 15" in words
    assert f"{AGREE} not shown" in words and AGREE not in page_tables(young_north)
    assert f"would let a small number be worked out: {AGREE}" in words
    assert "q-agree" not in str(young_north)


def test_a_small_group_outside_the_combination_hides_it_whole(client: FlaskClient) -> None:
    """One person in the north gave no age: North's 28 less its two age groups would say so."""
    consultation = everyone_large()
    add(consultation, 1, area=Choice(NORTH), agree=Choice(YES))
    db.session.commit()
    sign_in(client, "councillor")
    words = text(client.get(PAGE, query_string={"area": "North", "age": "Under 40"}))
    assert WITHHELD_GROUP in words
    assert "Responses not shown" in words and "Agreed:" not in words


def test_the_single_filter_addresses_still_work(client: FlaskClient) -> None:
    everyone_large()
    sign_in(client, "councillor")
    moved = client.get(PAGE, query_string={"group": "area:North"})
    assert moved.status_code == 301 and moved.headers["Location"] == f"{PAGE}?area=North"
    assert "Responses 27" in text(client.get(moved.headers["Location"]))
    assert client.get(PAGE, query_string={"area": "Atlantis"}).status_code == 404
    assert client.get(PAGE, query_string={"area": "North", "channel": "pigeon"}).status_code == 404


def test_the_summary_and_contents_lead_to_every_question(client: FlaskClient) -> None:
    everyone_large()
    sign_in(client, "councillor")
    shown = page(client.get(PAGE))
    summary = shown.select_one("#summary")
    assert summary is not None
    assert shown.select_one("#contents-heading").find_next("ol") is not None
    links = [a["href"] for a in shown.select("nav[aria-labelledby=contents-heading] a")]
    assert links[0] == "#summary" and "#q-agree" in links and "#by-group" in links
    for link in links:
        assert shown.select_one(link) is not None, f"{link} leads nowhere"
    tables = page_tables(shown)
    assert tables["Responses by week"][1][1] == "51"
    assert tables["Responses by channel"][1:] == [["Online", "15", "29%"], ["Paper", "36", "71%"]]


def workbook_tables(data: bytes) -> tuple[list[str], dict[str, list[list[str]]]]:
    """The sheet names and every table of the workbook (caption -> headings and rows), its
    numbers written back as the page writes them. A table is a caption after an empty row,
    then its rows up to the next empty row."""
    book = load_workbook(io.BytesIO(data))
    found: dict[str, list[list[str]]] = {}
    for sheet in book.worksheets[1:]:
        rows = [[_as_page(cell) for cell in row] for row in sheet.iter_rows()]
        for i in range(len(rows) - 1):
            if not any(rows[i]) and rows[i + 1][0]:
                table = []
                for row in rows[i + 2 :]:
                    if not any(row):
                        break
                    table.append(row)
                found[rows[i + 1][0]] = table
    return book.sheetnames, found


def _as_page(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, int | float) and cell.number_format.endswith("%"):
        return f"{round(value * 100)}%"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


@pytest.mark.parametrize("query", [{}, {"area": "North"}, {"area": "North", "age": "Under 40"}])
def test_the_xlsx_report_carries_the_pages_numbers(
    client: FlaskClient, query: dict[str, str]
) -> None:
    everyone_large()
    sign_in(client, "councillor")
    shown = page_tables(page(client.get(PAGE, query_string=query)))
    download = client.get(f"{PAGE}/report.xlsx", query_string=query)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith('.xlsx"')
    names, written = workbook_tables(download.data)
    assert names[:2] == ["Contents", "Summary"] and "Q1 Do you agree with the priori" in names
    for caption, rows in shown.items():
        assert caption in written, f"{caption} is not in the workbook"
        width = len(rows[0])
        assert [r[:width] for r in written[caption]] == rows, caption
    book = load_workbook(io.BytesIO(download.data))
    yes = next(
        r for r in book["Q1 Do you agree with the priori"].iter_rows() if r[0].value == "Yes"
    )
    assert isinstance(yes[1].value, int) and yes[2].number_format == "0%"


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize("query", [{}, {"area": "North", "age": "Under 40"}])
def test_the_pdf_report_carries_every_table_of_the_page(
    client: FlaskClient, tmp_path: Path, query: dict[str, str]
) -> None:
    everyone_large()
    sign_in(client, "councillor")
    html_page = page(client.get(PAGE, query_string=query))
    download = client.get(f"{PAGE}/report.pdf", query_string=query)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    written = pdf_text(download.data, tmp_path)
    flat = re.sub(r"\s+", " ", written)
    assert (
        "Safer streets" in flat
        and html_page.select_one(".govuk-caption-l").get_text(strip=True) in flat
    )
    for caption, rows in page_tables(html_page).items():
        assert caption in flat, f"{caption} is not in the PDF"
        for row in rows[1:]:
            pattern = r"\s+".join(re.escape(cell) for cell in row if cell)
            assert re.search(pattern, written) or re.search(pattern, flat), f"{caption}: {row}"
