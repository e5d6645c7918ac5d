"""The strategy draft built in Welsh (issue 26): its fixed wording from the documents'
catalogue, its numbers the English draft's to the digit, and its language cy-GB."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from flask.testing import FlaskCliRunner

from assembly.core.changes import changes_between
from assembly.core.language import Words
from assembly.core.statutory import DEFAULT_FILE, KEYS, WELSH_FILE, parse_wording
from assembly.core.strategy_document import build_draft
from assembly.data import built_drafts, strategies
from assembly.jobs.draft_builds import start_draft_build
from tests.test_changes import FOREWORD, changed, record
from tests.test_drafts import STRATEGY, _headings, _office_or_skip, _text

BUILT_AT = dt.datetime(2027, 1, 20, 14, 5, tzinfo=dt.UTC)
# The demo draft's sections, in Welsh, in order.
WELSH_SECTIONS = [
    "Rhagair",
    "Crynodeb gweithredol",
    "Yr ardal",
    "Y bartneriaeth",
    "Diben, dyletswyddau statudol ac Adran 17",
    "Crynodeb o’r asesiad strategol",
    "Ymgynghori: dull, cyrhaeddiad a chanlyniadau",
    "Sut y dewiswyd y blaenoriaethau",
    "Y blaenoriaethau strategol",
    "Llywodraethu, adrodd a gwerthuso",
    "Adnoddau a chyllid",
    "Effaith ar gydraddoldeb a phrawfesur gwledig",
    "Cysylltiadau â chynlluniau eraill",
    "Geirfa",
    "Atodiad: y data y tu ôl i’r siartiau, a’r ffynonellau",
]
# Every figure as the drafts print them: 1,070 and 22.7% and 82%, and the 5 of "fewer than 5".
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?")


@pytest.fixture
def demo(runner: FlaskCliRunner) -> FlaskCliRunner:
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    return runner


def _drafts() -> tuple[docx.document.Document, docx.document.Document]:
    """The demo strategy's draft in English and in Welsh, built from the same data at the same
    moment as the same version (nothing is kept)."""
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    built = []
    for language in ("en", "cy"):
        gathered = built_drafts.gather(
            strategy, "officer@example.org", BUILT_AT, minimum=5, language=language
        )
        built.append(docx.Document(io.BytesIO(build_draft(gathered.inputs))))
    return built[0], built[1]


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def _language_of(document: docx.document.Document) -> str | None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    return lang.get(qn("w:val"))


def test_the_welsh_draft_has_welsh_headings_and_table_headings(demo: FlaskCliRunner) -> None:
    english, welsh = _drafts()
    assert _headings(welsh, 1) == WELSH_SECTIONS
    assert len(_headings(welsh, 2)) == len(_headings(english, 2))
    headers = [tuple(c.text for c in table.rows[0].cells) for table in welsh.tables]
    assert ("Categori", "2024/25", "2025/26", "Newid", "% newid") in headers
    assert ("Cam gweithredu", "Pwy", "Erbyn pryd") in headers
    assert ("Blaenoriaeth", "Mesurau", "Arweinydd") in headers
    assert headers[-1] == ("Ffynhonnell", "Manylion")
    captions = [p.text for p in welsh.paragraphs if p.style.name == "Caption"]
    assert captions[0] == "Tabl 1: Tueddiadau troseddu ac anhrefn"
    assert "Ffigur 1: Newid yn y ffigurau a gofnodwyd, 2024/25 i 2025/26" in captions
    text = _text(welsh)
    assert (
        "Burglary: cynnydd o 22.7% (198 offences yn fwy), o 872 yn 2024/25 i 1,070 yn 2025/26."
    ) in text
    assert "Cafwyd 64 o ymatebion i gyd: 40 ar-lein, 15 ar bapur" in text
    assert "Drafft 1, a luniwyd ar 20 Ionawr 2027" in text
    assert "20 Ionawr 2027 am 2:05pm" in text  # built, in the sources table
    # The English draft's fixed wording is nowhere in the Welsh one; officers' text is.
    for english_only in (
        "Executive summary",
        "Sources of this draft",
        "Of the 61",
        "more offences",
    ):
        assert english_only in _text(english) and english_only not in text
    assert "To reduce incidents of anti-social behaviour (ASB)" in text
    # The statutory passages from the service's Welsh file.
    assert "Sefydlwyd Partneriaethau Diogelwch Cymunedol gan adrannau 5 i 7" in text
    assert "Community Safety Partnerships were set up" not in text


def test_the_welsh_statutory_wording_has_every_passage_the_english_has() -> None:
    english = parse_wording(DEFAULT_FILE.read_text(encoding="utf-8"))
    welsh = parse_wording(WELSH_FILE.read_text(encoding="utf-8"))
    assert set(welsh) == set(english) == set(KEYS)
    assert {k: len(v) for k, v in welsh.items()} == {k: len(v) for k, v in english.items()}
    for key, paragraphs in welsh.items():  # the same acts, sections and years
        for ours, theirs in zip(paragraphs, english[key], strict=True):
            assert _numbers(ours) == _numbers(theirs), key


def test_the_welsh_draft_says_every_number_the_english_one_does(demo: FlaskCliRunner) -> None:
    english, welsh = _drafts()
    assert len(english.tables) == len(welsh.tables)
    for number, (ours, theirs) in enumerate(zip(english.tables, welsh.tables, strict=True)):
        cells = [[_numbers(c.text) for c in row.cells] for row in ours.rows]
        assert cells == [[_numbers(c.text) for c in row.cells] for row in theirs.rows], number
    paragraphs = Counter(n for p in english.paragraphs for n in _numbers(p.text))
    assert len(paragraphs) > 100  # the check compares the draft's figures, not a handful
    assert Counter(n for p in welsh.paragraphs for n in _numbers(p.text)) == paragraphs

    def alt_texts(document: docx.document.Document) -> list[list[str]]:
        found = document.element.body.iter(qn("wp:docPr"))
        return [_numbers(e.get("descr", "")) for e in found]

    assert alt_texts(welsh) == alt_texts(english)


def test_the_welsh_draft_is_in_welsh_for_word_and_screen_readers(demo: FlaskCliRunner) -> None:
    english, welsh = _drafts()
    assert _language_of(welsh) == "cy-GB" and welsh.core_properties.language == "cy-GB"
    assert _language_of(english) == "en-GB" and english.core_properties.language == "en-GB"
    assert welsh.core_properties.title == "Community Safety Strategy 2027-30 (drafft 1)"
    footer = welsh.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Tudalen ")


def test_the_command_builds_a_welsh_draft_and_keeps_its_language(
    demo: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "drafft.docx"
    built = demo.invoke(
        args=["draft", "build", "--strategy", STRATEGY, "--out", str(out), "--language", "cy"]
    )
    assert built.exit_code == 0, built.output
    assert _headings(docx.Document(str(out)), 1)[1] == "Crynodeb gweithredol"
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    draft = built_drafts.draft_version(strategy, 1)
    assert draft is not None and draft.inputs["language"] == "cy"
    assert built_drafts.filename_of(strategy, draft) == f"{STRATEGY}-draft-1-cy.docx"
    refused = demo.invoke(
        args=["draft", "build", "--strategy", STRATEGY, "--out", str(out), "--language", "fr"]
    )
    assert refused.exit_code == 2 and "'fr' is not one of 'en', 'cy'" in refused.output


def test_the_build_job_carries_the_language(demo: FlaskCliRunner) -> None:
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    job = start_draft_build(strategy, False, 5, language="cy")
    assert job.params["language"] == "cy" and "Welsh" in job.title
    assert start_draft_build(strategy, False, 5).params["language"] == "en"
    with pytest.raises(ValueError):
        start_draft_build(strategy, False, 5, language="fr")


def test_welsh_words_come_from_the_compiled_catalogue() -> None:
    welsh = Words("cy")
    assert welsh("Glossary") == "Geirfa"
    assert welsh.ngettext(
        "In all, %(count)s response was received.",
        "In all, %(count)s responses were received.",
        1,
        count="1",
    ) == ("Cafwyd 1 ymateb i gyd.")
    assert Words("en")("%% change") == "% change"
    with pytest.raises(ValueError):
        Words("fr")


@pytest.mark.slow
def test_libreoffice_lays_out_the_welsh_draft(demo: FlaskCliRunner, tmp_path: Path) -> None:
    """LibreOffice opens the Welsh draft, numbers its contents and makes a PDF whose every page
    has more on it than its number, and each heading is on the page the contents says."""
    _office_or_skip()
    assert demo.app is not None
    demo.app.config["FILL_DRAFT_CONTENTS"] = True
    out = tmp_path / "drafft.docx"
    args = ["draft", "build", "--strategy", STRATEGY, "--out", str(out), "--pdf"]
    built = demo.invoke(args=[*args, "--language", "cy"])
    assert built.exit_code == 0, built.output
    document = docx.Document(str(out))
    entries = [p.text.split("\t") for p in document.paragraphs if p.style.name.startswith("TOC")]
    assert len(entries) > len(WELSH_SECTIONS) and all(page.isdigit() for _, _, page in entries)
    pdf = out.with_suffix(".pdf")

    def page_text(number: int) -> str:
        shown = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return " ".join(shown.split())

    assert b"/Lang(cy-GB)" in pdf.read_bytes()  # screen readers read the PDF as Welsh too
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert pages > 10
    for number in range(1, pages + 1):
        assert page_text(number).removesuffix(f"Tudalen {number}").strip(), number
    for number, heading, page in entries:
        assert heading[:40] in page_text(int(page)), (number, heading, page)
    assert "Crynodeb gweithredol" in " ".join(page_text(n) for n in range(1, 5))


def test_what_changed_since_the_last_draft_is_said_in_welsh() -> None:
    after = changed(period="2028 to 2031", foreword=FOREWORD + " Diolch.")
    after["strategy"]["signatories"][0]["role"] = "Co-chair"
    after["strategy"]["priorities"][1]["objectives"].append("To treat more people")
    after["figures"] = {
        "Responses": "70",
        "Agreement with the priorities": "50 of 61 (82%)",
        "Agreed: 'Do you agree?'": "fewer than 5 of 61",
    }
    assert changes_between(record(), after, Words("cy")) == [
        "Newidiodd y cyfnod o '2027 to 2030' i '2028 to 2031'",
        "Ailysgrifennwyd y rhagair",
        "Newidiodd llofnodwr 'Cllr Jo Bloggs': y rôl o 'Chair' i 'Co-chair'",
        "Ychwanegwyd blaenoriaeth 'Drug misuse': amcan 'To treat more people'",
        "Ymatebion: 64 o’r blaen, 70 bellach",
        "Yn cytuno: 'Do you agree?': llai na 5 o 61 bellach, heb ei ddangos o’r blaen",
        "Burglary, 2025/26: 1,070 o’r blaen, heb ei ddangos mwyach",
    ]
    # The same changes in English, as the English draft has always said them.
    assert changes_between(record(), after)[:2] == [
        "The period changed from '2027 to 2030' to '2028 to 2031'",
        "The foreword was rewritten",
    ]


def test_the_welsh_draft_quotes_the_consultations_own_welsh(demo: FlaskCliRunner) -> None:
    english, welsh = _drafts()
    asked = "Ydych chi’n cytuno â’r blaenoriaethau strategol arfaethedig?"
    assert asked in _text(welsh)
    assert asked not in _text(english)
    assert "Do you agree with the proposed strategic priorities?" in _text(english)


def test_the_welsh_drafts_charts_name_the_questions_in_welsh(demo: FlaskCliRunner) -> None:
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    charts = {}
    for language in ("en", "cy"):
        gathered = built_drafts.gather(
            strategy, "officer@example.org", BUILT_AT, minimum=5, language=language
        )
        charts[language] = gathered.inputs.charts
    asked = "Ydych chi’n cytuno â’r blaenoriaethau strategol arfaethedig?"
    welsh, english = charts["cy"], charts["en"]
    assert welsh.agreement is not None and english.agreement is not None
    assert welsh.agreement.title == asked
    assert english.agreement.title == "Do you agree with the proposed strategic priorities?"
    assert welsh.breakdown is not None and welsh.breakdown.title.endswith(asked)
    assert welsh.themes is not None and "Beth sy’n eich poeni fwyaf?" in welsh.themes.title

    # The same figures, row by row, under the Welsh headings.
    def figures(rows: tuple[tuple[str, ...], ...]) -> list[list[str]]:
        return [_numbers(" ".join(row[1:])) for row in rows]

    assert figures(welsh.agreement.rows) == figures(english.agreement.rows)
    assert figures(welsh.agreement.rows)[0] == ["50", "82%"]
