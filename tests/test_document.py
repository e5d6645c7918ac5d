"""The Word primitives the drafts are built from: accessible, and unbreakable by any text."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from assembly.core.document import FONT, DraftDocument, word_text


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


def test_contents_field_and_update_on_open() -> None:
    document = DraftDocument()
    document.contents()
    document.page_numbers()
    document.update_fields_on_open()
    data = document.to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
        settings = package.read("word/settings.xml").decode()
        footers = [package.read(n).decode() for n in package.namelist() if "footer" in n]
    assert 'TOC \\o "1-2"' in body
    assert '<w:updateFields w:val="true"/>' in settings
    assert any(" PAGE " in footer for footer in footers)


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
