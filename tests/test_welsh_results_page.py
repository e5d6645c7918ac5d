"""The published results ('You said') in Welsh: the questions, options, chart words, tables and
suppression wording in Welsh, every number exactly as on the English page; the councillors'
page, which shares those sections, still in English."""

from __future__ import annotations

import csv
import io
import re

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from common.database import db
from survey.core.answers import Choice, Matrix, Multi, Text
from survey.data.models import Consultation, Status
from tests.support import make_consultation, page, sign_in
from tests.test_councillors import add, table_rows
from tests.test_residents_welsh import BASE, make_welsh_consultation

RESULTS = f"{BASE}/results"
# Fixed English wording of the results sections: none of it may be left on a Welsh page.
ENGLISH = (
    "fewer than",
    "Fewer than",
    "not shown",
    "who answered",
    "Answered",
    "Percentage",
    "Agreed:",
    "How to read this chart",
    "Download this chart",
    "image of",
    "Any number from",
    "Each bar is labelled",
)


def published(consultation: Consultation) -> Consultation:
    """20 responses, then closed with its results published.

    14 in the North, 6 in the South; 14 agree, 4 do not and 2 do not know, so that some counts
    are shown as 'fewer than 5' and one is hidden so as not to give a small one away.
    """
    for n in range(20):
        add(
            consultation,
            agree=Choice(0 if n < 14 else 1 if n < 18 else 2),
            safe=Choice(1 if n < 17 else 3),
            support=Matrix(((0, 0 if n < 12 else 3), (1, 1))),
            area=Choice(0 if n < 14 else 1),
            hear=Multi((1,) if n < 15 else (0, 1)),
            worries=Text("Goryrru"),
        )
    consultation.status = Status.CLOSED.value
    consultation.results_published = True
    db.session.commit()
    return consultation


def numbers(text: str) -> list[str]:
    """Every figure in `text`, in order: '1,070', '70%', '+20'."""
    return re.findall(r"[+-]?\d[\d,.]*%?", text)


def section(shown: BeautifulSoup, key: str) -> BeautifulSoup:
    found = shown.select_one(f'section[aria-labelledby="q-{key}"]')
    assert found is not None, f"no section for {key}"
    return found


def test_the_results_page_in_welsh_words_every_section_in_welsh(client: FlaskClient) -> None:
    published(make_welsh_consultation())
    shown = page(client.get(f"{RESULTS}?lang=cy"))
    assert shown.html["lang"] == "cy"
    switch = shown.select_one(".app-language-switch a")
    assert switch is not None and switch.get_text(strip=True) == "English"
    agree = section(shown, "agree")
    assert agree.h2.get_text(strip=True) == "Ydych chi’n cytuno â’r blaenoriaethau?"
    assert agree.select_one("p.govuk-body").get_text(strip=True) == (
        "Yn cytuno: 14 o 20 (70%), cyfwng 95% 48% i 85%."
    )
    assert agree.img["alt"] == (
        "Roedd 14 o 20 (70%) a atebodd yn cytuno (cyfwng 95% 48% i 85%). "
        "Llai na 5 o 20 yn anghytuno a llai na 5 o 20 ddim yn gwybod."
    )
    assert agree.summary.get_text(" ", strip=True).startswith("Sut i ddarllen y siart hon")
    assert [th.get_text(strip=True) for th in agree.select("thead th")] == [
        "Ateb",
        "Nifer",
        "Canran",
    ]
    caption = "Ydych chi’n cytuno â’r blaenoriaethau?"
    assert table_rows(shown, caption) == [
        ["Ydw", "14", "70%"],
        ["Nac ydw", "llai na 5", "llai na 5"],
        ["Ddim yn gwybod", "llai na 5", "llai na 5"],
        ["Wedi ateb", "20", ""],
        ["Yn cytuno (cyfwng 95%)", "14", "70% (48% i 85%)"],
    ]
    # The consultation's own Welsh options and statements, and the fixed scale in Welsh.
    assert [row[0] for row in table_rows(shown, "Ble rydych chi’n byw?")] == [
        "Gogledd",
        "De",
        "Wedi ateb",
    ]
    support = table_rows(shown, "Faint ydych chi’n cefnogi pob blaenoriaeth?")
    assert [row[0] for row in support] == ["Ymddygiad gwrthgymdeithasol", "Byrgleriaeth"]
    assert support[0][4] == "+20 pwynt"
    safe = table_rows(shown, "Rwy’n teimlo’n ddiogel ar ôl iddi dywyllu")
    assert [row[0] for row in safe][:3] == [
        "Cytuno’n gryf",
        "Cytuno",
        "Ddim yn cytuno nac yn anghytuno",
    ]
    assert "heb ei ddangos" in [cell for row in safe for cell in row]
    inset = shown.select_one(".govuk-inset-text").get_text(strip=True)
    assert inset.startswith("Mae unrhyw rif o 1 i 4 yn cael ei ddangos fel “llai na 5”")
    text = shown.select_one("main").get_text(" ", strip=True)
    left = [words for words in ENGLISH if words in text]
    assert not left, f"English left on the Welsh results page: {left}"


def test_the_welsh_and_english_results_pages_give_the_same_numbers(client: FlaskClient) -> None:
    published(make_welsh_consultation())
    english = page(client.get(f"{RESULTS}?lang=en"))
    welsh = page(client.get(f"{RESULTS}?lang=cy"))
    assert english.html["lang"] == "en" and welsh.html["lang"] == "cy"
    assert section(english, "agree").img["alt"].startswith("14 of 20 (70%) who answered agreed")
    in_english = english.select("main section")
    in_welsh = welsh.select("main section")
    assert len(in_english) == len(in_welsh) == 6
    for en, cy in zip(in_english, in_welsh, strict=True):
        assert numbers(en.table.get_text(" ")) == numbers(cy.table.get_text(" "))
        assert numbers(en.img["alt"]) == numbers(cy.img["alt"]), (en.img["alt"], cy.img["alt"])
        finding = [numbers(s.select_one("p.govuk-body").get_text()) for s in (en, cy)]
        assert finding[0] == finding[1]
    thanks = [numbers(shown.select_one(".govuk-body-l").get_text()) for shown in (english, welsh)]
    assert thanks[0] == thanks[1] and thanks[0][0] == "20"  # and the dates' days and years


def test_the_charts_a_welsh_page_shows_are_in_welsh(client: FlaskClient) -> None:
    published(make_welsh_consultation())
    client.get(f"{RESULTS}?lang=cy")
    download = client.get(f"{RESULTS}/charts/agree.csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Ydych chi’n cytuno â’r blaenoriaethau?"]
    assert rows[1] == ["Ateb", "Nifer", "Canran"]
    assert rows[3] == ["Nac ydw", "llai na 5", "llai na 5"]
    welsh_svg = client.get(f"{RESULTS}/charts/agree.svg").get_data(as_text=True)
    assert "Canran o’r 20 a atebodd" in welsh_svg  # the chart's own note, drawn in Welsh
    client.get(f"{RESULTS}?lang=en")
    english_svg = client.get(f"{RESULTS}/charts/agree.svg").get_data(as_text=True)
    assert "Percentage of the 20 who answered" in english_svg
    assert "Canran" not in english_svg


def test_the_councillors_page_stays_english_after_a_welsh_results_page(
    client: FlaskClient,
) -> None:
    published(make_welsh_consultation())
    welsh = page(client.get(f"{RESULTS}?lang=cy"))
    assert section(welsh, "agree").img["alt"].startswith("Roedd 14 o 20")
    sign_in(client, "councillor")
    shown = page(client.get("/results/safer-streets"))
    assert shown.html["lang"] == "en"
    assert shown.select_one(".app-language-switch") is None
    agree = section(shown, "agree")
    assert agree.h2.get_text(strip=True) == "Do you agree with the priorities?"
    assert agree.img["alt"] == (
        "14 of 20 (70%) who answered agreed (95% interval 48% to 85%). "
        "Fewer than 5 of 20 disagreed and fewer than 5 of 20 did not know."
    )
    assert agree.select_one("p.govuk-body").get_text(strip=True) == (
        "Agreed: 14 of 20 (70%), 95% interval 48% to 85%."
    )
    assert table_rows(shown, "Do you agree with the priorities?")[1] == [
        "No",
        "fewer than 5",
        "fewer than 5",
    ]
    links = agree.select_one("figure p.govuk-body-s").get_text(" ", strip=True)
    assert links.startswith("Download this chart: PNG")
    download = client.get("/results/safer-streets/charts/agree.csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1] == ["Answer", "Number", "Percentage"]


def test_a_consultation_with_no_welsh_shows_its_results_in_english(client: FlaskClient) -> None:
    published(make_consultation())
    shown = page(client.get(f"{RESULTS}?lang=cy"))
    assert shown.html["lang"] == "en"
    assert shown.select_one(".app-language-switch") is None
    assert table_rows(shown, "Do you agree with the priorities?")[0] == ["Yes", "14", "70%"]
