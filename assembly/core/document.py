"""An accessible Word document, built with python-docx: the primitives a strategy draft uses.

Pure: no Flask, no database. Headings use Heading 1-3 without skipping a level; every picture
has alt text; every table has a repeating header row and no merged cells; body text is a
sans-serif font of at least 12 pt. All text passes through `word_text`, so nothing a resident
or a file supplied can break the document.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document as open_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from common.text import clean_text

FONT = "Arial"
BODY_PT = 12
HEADING_PT = {1: 20, 2: 16, 3: 13}
PICTURE_WIDTH = Cm(16)
COMMENT_AUTHOR = "Strategy drafting"
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'  # sections and priorities: a page, not four
TOC_PLACEHOLDER = "Contents: in Word, right-click here and choose Update Field."
DARK = RGBColor(0x0B, 0x0C, 0x0C)


def word_text(value: object) -> str:
    """Text safe to put in Word: what XML cannot hold removed, line endings normalised."""
    return clean_text(str(value))


class DraftDocument:
    """A Word document under construction, on python-docx's default template or a house one."""

    def __init__(self, template: bytes | None = None) -> None:
        self.doc: Document = open_document(io.BytesIO(template) if template else None)
        if template:
            _clear_body(self.doc)
        self._heading_level = 0
        self.figures = 0
        self.tables = 0
        self.pictures: list[str] = []  # the alt text of every picture, in order
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._ensure_styles()

    # Styles and page furniture.

    def _style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """The id of the style called `name` (None for the default), looked up once.

        python-docx checks a style given by name or object against the type's default style
        by walking every style in the document, each time: a quarter of a draft's rendering.
        """
        key = (name, kind)
        if key not in self._style_ids:
            style = self.doc.styles[name]
            self._style_ids[key] = self.doc.part.get_style_id(style, kind)  # type: ignore[no-untyped-call]
        return self._style_ids[key]

    def _styled(self, text: str, style: str) -> Paragraph:
        """A new paragraph of `text` in the paragraph style called `style`."""
        paragraph = self.doc.add_paragraph(text)
        paragraph._p.style = self._style_id(style)  # as add_paragraph(text, style) does
        return paragraph

    def _ensure_styles(self) -> None:
        styles = self.doc.styles
        names = {style.name for style in styles}
        for name, kind in (
            ("Title", WD_STYLE_TYPE.PARAGRAPH),
            ("Subtitle", WD_STYLE_TYPE.PARAGRAPH),
            ("Caption", WD_STYLE_TYPE.PARAGRAPH),
            ("List Bullet", WD_STYLE_TYPE.PARAGRAPH),
            ("Table Grid", WD_STYLE_TYPE.TABLE),
            *((f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH) for level in (1, 2, 3)),
        ):
            if name not in names:
                styles.add_style(name, kind)
        for name in ("Normal", "Caption", "List Bullet", "Title", "Subtitle"):
            font = styles[name].font
            font.name = FONT
            if name in ("Normal", "Caption", "List Bullet"):
                font.size = Pt(BODY_PT)
        for level, size in HEADING_PT.items():
            style = styles[f"Heading {level}"]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.color.rgb = DARK
            style.font.bold = True
        styles["Title"].font.size = Pt(28)
        styles["Caption"].font.italic = False
        styles["Caption"].font.bold = True
        styles["Caption"].font.color.rgb = DARK
        for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
            rpr = styles[name].element.get_or_add_rPr()
            fonts = rpr.get_or_add_rFonts()
            for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attribute), FONT)
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                fonts.attrib.pop(qn(theme), None)

    def set_properties(self, title: str, author: str, when: dt.datetime) -> None:
        """The document's title, author and dates, as Word shows them under File > Info."""
        props = self.doc.core_properties
        props.title = word_text(title)[:255]
        props.author = word_text(author)[:255]
        props.last_modified_by = props.author
        props.created = when.replace(tzinfo=None)
        props.modified = when.replace(tzinfo=None)
        props.revision = 1

    def page_numbers(self) -> None:
        """'Page N' centred in the footer of every page."""
        for section in self.doc.sections:
            footer = section.footer
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run("Page ")
            _field(paragraph, "PAGE", "1")

    def update_fields_on_open(self) -> None:
        """Ask Word to update the contents and page fields when the file is opened."""
        settings = self.doc.settings.element
        flag = settings.find(qn("w:updateFields"))
        if flag is None:
            flag = OxmlElement("w:updateFields")
            settings.append(flag)
        flag.set(qn("w:val"), "true")

    # Text.

    def title_page(self, lines: Sequence[tuple[str, str]]) -> None:
        """The title page: (style, text) lines, then a page break."""
        for style, text in lines:
            self._styled(word_text(text), style)
        self.page_break()

    def contents(self) -> None:
        """A table of contents field over Heading 1-3, then a page break."""
        self._styled("Contents", "Title")
        _field(self.doc.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER)
        self.page_break()

    def heading(self, text: str, level: int) -> Paragraph:
        """A heading; refuses to skip a level (a Heading 3 straight after a Heading 1)."""
        if not 1 <= level <= 3 or level > self._heading_level + 1:
            raise ValueError(f"heading level {level} after level {self._heading_level}")
        self._heading_level = level
        paragraph = self._styled(word_text(text), f"Heading {level}")  # as add_heading does
        return paragraph

    def paragraph(self, text: str = "", bold: bool = False) -> Paragraph:
        """A paragraph of body text; newlines in `text` start new paragraphs."""
        parts = word_text(text).split("\n") or [""]
        paragraph = self.doc.add_paragraph()
        for index, part in enumerate(parts):
            if index:
                paragraph = self.doc.add_paragraph()
            if part:
                paragraph.add_run(part).bold = bold
        return paragraph

    def labelled(self, label: str, text: str) -> Paragraph:
        """'Label: text' with the label in bold."""
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(word_text(label) + ": ").bold = True
        paragraph.add_run(word_text(text))
        return paragraph

    def bullets(self, items: Sequence[str]) -> None:
        """A bulleted list, one item per entry."""
        for item in items:
            self._styled(word_text(item), "List Bullet")

    def comment(self, paragraph: Paragraph, text: str) -> None:
        """A Word comment for the officer on the whole of `paragraph`."""
        runs: list[Run] = list(paragraph.runs) or [paragraph.add_run("")]
        self.doc.add_comment(runs, text=word_text(text), author=COMMENT_AUTHOR, initials="SD")

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # Figures and tables.

    def figure(self, png: bytes, alt_text: str, caption: str) -> str:
        """A picture with alt text and a numbered caption; returns the caption as written."""
        self.figures += 1
        written = f"Figure {self.figures}: {word_text(caption)}"
        self._caption(written)
        paragraph = self.doc.add_paragraph()
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=PICTURE_WIDTH)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", word_text(alt_text))
        doc_pr.set("title", written)
        self.pictures.append(word_text(alt_text))
        return written

    def table(self, caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
        """A captioned table with a bold header row that repeats on every page."""
        self.tables += 1
        self._caption(f"Table {self.tables}: {word_text(caption)}")
        width = len(headers)
        table: Table = self.doc.add_table(rows=1 + len(rows), cols=width)
        table._tbl.tblStyle_val = self._style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        _repeat_as_header(table.rows[0]._tr)
        # Every cell in one pass, row by row (no cell is merged): a row's `.cells` walks the
        # whole table again, so filling a table row by row took time growing with its square.
        cells = table._cells
        for cell, text in zip(cells[:width], headers, strict=True):
            cell.paragraphs[0].add_run(word_text(text)).bold = True
        for number, row in enumerate(rows, start=1):
            for cell, text in zip(cells[number * width : (number + 1) * width], row, strict=True):
                cell.text = word_text(text)
        self.doc.add_paragraph()
        return table

    def _caption(self, text: str) -> None:
        """A caption kept on the same page as the picture or table after it."""
        self._styled(text, "Caption").paragraph_format.keep_with_next = True

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _repeat_as_header(tr: object) -> None:
    tr_pr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (begin, instruction, separate, shown result, end) in `paragraph`."""

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _clear_body(doc: Document) -> None:
    """Remove a house template's body content, keeping its section (headers, footers, page)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
