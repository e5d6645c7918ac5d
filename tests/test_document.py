"""The Word primitives the drafts are built from: accessible, and unbreakable by any text."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from assembly.core.document import FONT, DraftDocument, fill_contents, word_text


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, format="PNG")
    return out.getvalue()


def _reopened(document: DraftDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(document.to_bytes()))


def test_word_text_removes_what_xml_cannot_hold() -> None:
    assert word_text("a\x00b\x01c\x0bd\ud800e\ufffe") == "abcde"
    assert word_text("line\r\nnext") == "line\nnext"
    assert word_text("Émoji 🙂 and עברית stay") == "Émoji 🙂 and עברית stay"


def test_control_characters_in_every_kind_of_text_still_give_a_valid_file() -> None:
    bad = "Drunk\x00 people\x07 \x1b[31m<script>&amp;</script>\ud83d"
    document = DraftDocument()
    document.heading(bad, 1)
    document.paragraph(bad)
    document.labelled(bad, bad)
    document.bullets([bad])
    document.table(bad, [bad, "b"], [[bad, bad]])
    document.figure(_png(), bad, bad)
    reopened = _reopened(document)
    text = "\n".join(p.text for p in reopened.paragraphs)
    assert "Drunk people [31m<script>&amp;</script>" in text  # ESC gone, the rest kept
    assert "\x00" not in text and "\x07" not in text


def test_headings_never_skip_a_level() -> None:
    document = DraftDocument()
    document.heading("Consultation", 1)
    with pytest.raises(ValueError, match="level 3 after level 1"):
        document.heading("Too deep", 3)
    document.heading("By area", 2)
    document.heading("Detail", 3)
    document.heading("Next section", 1)
    styles = [p.style.name for p in _reopened(document).paragraphs if p.text]
    assert styles == ["Heading 1", "Heading 2", "Heading 3", "Heading 1"]


def test_every_picture_has_alt_text_and_a_numbered_caption() -> None:
    document = DraftDocument()
    document.figure(_png(), "Burglary was the most mentioned worry: 18 of 52 (35%).", "Worries")
    document.figure(_png(), "Agreement was 82%.", "Agreement")
    reopened = _reopened(document)
    described = [shape._inline.docPr.get("descr") for shape in reopened.inline_shapes]
    assert described == [
        "Burglary was the most mentioned worry: 18 of 52 (35%).",
        "Agreement was 82%.",
    ]
    captions = [p.text for p in reopened.paragraphs if p.style.name == "Caption"]
    assert captions == ["Figure 1: Worries", "Figure 2: Agreement"]


def test_tables_have_a_repeating_bold_header_row_and_no_merged_cells() -> None:
    document = DraftDocument()
    document.table("Trends", ["Category", "Change"], [["Burglary", "+198"], ["Arson", "-10"]])
    table = _reopened(document).tables[0]
    header = table.rows[0]
    flag = header._tr.trPr.find(qn("w:tblHeader"))
    assert flag is not None and flag.get(qn("w:val")) == "true"
    assert [c.text for c in header.cells] == ["Category", "Change"]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        ["Burglary", "+198"],
        ["Arson", "-10"],
    ]
    xml = table._tbl.xml
    assert "w:gridSpan" not in xml and "w:vMerge" not in xml


def test_body_text_is_a_sans_serif_font_of_at_least_12_point() -> None:
    styles = _reopened(DraftDocument()).styles
    for name in ("Normal", "Caption", "List Bullet"):
        assert styles[name].font.name == FONT
        assert styles[name].font.size.pt >= 12
    for level in (1, 2, 3):
        assert styles[f"Heading {level}"].font.name == FONT


def _contents_document() -> DraftDocument:
    document = DraftDocument()
    document.title_page([("Title", "Community Safety Strategy 2027-30")])
    document.contents()
    document.heading("Foreword", 1)
    document.paragraph("We are pleased to publish this strategy.", numbered=True)
    document.heading("The priorities", 1)
    document.heading("Burglary", 2)
    document.heading("Targets", 3)  # level 3: in the outline, not in the contents
    document.finish_contents()
    document.page_numbers()
    document.update_fields_on_open()
    return document


def test_the_contents_lists_every_heading_of_level_one_and_two_with_its_number() -> None:
    data = _contents_document().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
        settings = package.read("word/settings.xml").decode()
        footers = [package.read(n).decode() for n in package.namelist() if "footer" in n]
    assert 'TOC \\o "1-2"' in body
    assert body.count('w:fldCharType="begin"') == body.count('w:fldCharType="end"')
    assert '<w:updateFields w:val="true"/>' in settings  # until the page numbers are written
    assert any(" PAGE " in footer for footer in footers)
    entries = [
        p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name.startswith("TOC")
    ]
    assert entries == ["1\tForeword\t\u2013", "2\tThe priorities\t\u2013", "2.1\tBurglary\t\u2013"]


def test_filled_contents_show_their_pages_and_word_is_not_asked_to_update() -> None:
    data = fill_contents(_contents_document().to_bytes(), ["3", "4", "4"])
    reopened = docx.Document(io.BytesIO(data))
    entries = [p.text for p in reopened.paragraphs if p.style.name.startswith("TOC")]
    assert entries == ["1\tForeword\t3", "2\tThe priorities\t4", "2.1\tBurglary\t4"]
    assert reopened.settings.element.find(qn("w:updateFields")) is None
    # With pages for a different layout, nothing is changed rather than numbered wrongly.
    assert fill_contents(_contents_document().to_bytes(), ["3"]) != data


def test_headings_and_paragraphs_are_numbered_in_one_outline() -> None:
    document = _contents_document()
    assert document.headings == [
        (1, "1", "Foreword"),
        (1, "2", "The priorities"),
        (2, "2.1", "Burglary"),
        (3, "2.1.1", "Targets"),
    ]
    reopened = _reopened(document)
    numbered = [
        (p.text, p._p.pPr.numPr.ilvl.val)
        for p in reopened.paragraphs
        if p._p.pPr is not None and p._p.pPr.numPr is not None and p.style.name != "List Bullet"
    ]
    assert numbered == [
        ("Foreword", 0),
        ("We are pleased to publish this strategy.", 1),  # paragraph 1.1
        ("The priorities", 0),
        ("Burglary", 1),
        ("Targets", 2),
    ]


def test_the_page_is_a4_and_the_language_british_english() -> None:
    reopened = _reopened(_contents_document())
    section = reopened.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert reopened.core_properties.language == "en-GB"
    defaults = reopened.styles.element.find(qn("w:docDefaults"))
    langs = {lang.get(qn("w:val")) for lang in reopened.styles.element.iter(qn("w:lang"))}
    assert defaults is not None and langs == {"en-GB"}


def test_table_rows_never_split_and_columns_follow_their_text() -> None:
    document = DraftDocument()
    table = document.table(
        "Targets", ("Target", "By"), [("Fewer burglaries in every ward of the city", "2030")]
    )
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    widths = [column.width for column in table.columns]
    assert widths[0] > 2 * widths[1]


def test_a_column_of_long_text_is_given_more_room_than_one_of_names() -> None:
    # A measures table: a list of measures beside a lead body. The list is the one to widen;
    # sharing alike once both passed a line made the list four times as tall as it need be.
    measures = "Class A drug seizures; Screening and referral for young people; Waiting times"
    table = DraftDocument().table(
        "Measures",
        ("Priority", "Measures", "Lead"),
        [("Drug misuse", measures * 2, "Responsible Authorities Group")],
    )
    priority, listed, lead = (column.width for column in table.columns)
    assert listed > 2 * lead and lead > priority


def test_a_source_line_follows_a_table_and_a_figure() -> None:
    document = DraftDocument()
    document.table(
        "Trends", ("Category", "2025/26"), [("Burglary", "1,070")], "Police recorded crime"
    )
    document.figure(_png(), "Burglary rose.", "Burglary", "Police recorded crime")
    texts = [(p.style.name, p.text) for p in _reopened(document).paragraphs]
    assert texts.count(("Source", "Source: Police recorded crime")) == 2


def test_a_comment_flags_a_paragraph_for_the_officer() -> None:
    document = DraftDocument()
    paragraph = document.labelled("Road safety", "not yet addressed by this strategy.")
    document.comment(paragraph, "Link it to a priority or say which agency addresses it.")
    reopened = _reopened(document)
    comments = list(reopened.comments)
    assert [c.text for c in comments] == ["Link it to a priority or say which agency addresses it."]


def test_a_house_template_keeps_its_header_and_loses_its_body() -> None:
    house = docx.Document()
    house.sections[0].header.paragraphs[0].text = "Safer Avonvale Partnership"
    house.add_paragraph("Template body text to be replaced")
    out = io.BytesIO()
    house.save(out)
    document = DraftDocument(out.getvalue())
    document.heading("Introduction", 1)
    reopened = _reopened(document)
    assert reopened.sections[0].header.paragraphs[0].text == "Safer Avonvale Partnership"
    texts = [p.text for p in reopened.paragraphs]
    assert "Template body text to be replaced" not in texts and "Introduction" in texts
