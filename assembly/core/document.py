"""An accessible Word document, built with python-docx: the primitives a strategy draft uses.

Pure: no Flask, no database. Headings use Heading 1-3 without skipping a level and are
numbered 1, 1.1, 1.1.1 by one Word outline list, which also numbers body paragraphs within
their section (so scrutiny can cite "11.2"); every picture has alt text; every table has a
repeating header row, rows that do not split across pages and no merged cells; body text is a
sans-serif font of at least 12 pt; the page is A4 and the language British English. All text
passes through `word_text`, so nothing a resident or a file supplied can break the document.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document as open_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from assembly.core.language import ENGLISH_WORDS, Words
from common.text import clean_text

FONT = "Arial"
BODY_PT = 12
HEADING_PT = {1: 20, 2: 16, 3: 13}
PICTURE_WIDTH = Cm(16)
LANGUAGE = "en-GB"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2.5)  # A4
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
COMMENT_AUTHOR = "Strategy drafting"
TOC_INSTRUCTION = 'TOC \\o "1-2" \\z \\u'  # sections and priorities: a page, not four
TOC_LEVELS = 2
NO_PAGE = "\u2013"  # an entry's page before LibreOffice has laid the document out
DARK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
# The outline list: level 0 numbers Heading 1, level 1 Heading 2 and the paragraphs of a
# Heading 1 section, and so on; each (number text, indent in twentieths of a point).
OUTLINE = (("%1", 567), ("%1.%2", 851), ("%1.%2.%3", 1134), ("%1.%2.%3.%4", 1134))


def word_text(value: object) -> str:
    """Text safe to put in Word: what XML cannot hold removed, line endings normalised."""
    return clean_text(str(value))


class DraftDocument:
    """A Word document under construction, on python-docx's default template or a house one."""

    def __init__(self, template: bytes | None = None, tr: Words = ENGLISH_WORDS) -> None:
        self.tr = tr  # the document's language, for its own words (contents, captions, pages)
        self.doc: Document = open_document(io.BytesIO(template) if template else None)
        if template:
            _clear_body(self.doc)
        self._heading_level = 0
        self.figures = 0
        self.tables = 0
        self.pictures: list[str] = []  # the alt text of every picture, in order
        self.headings: list[tuple[int, str, str]] = []  # (level, number, text), in order
        self._counters = [0] * len(OUTLINE)
        self._contents: Paragraph | None = None
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._ensure_styles()
        self._outline = _add_outline(self.doc)
        if not template:
            _a4(self.doc)
        _british(self.doc, tr.word_language)

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
        for level in HEADING_PT:
            heading = styles[f"Heading {level}"].paragraph_format
            heading.keep_with_next = True
            heading.space_before = Pt(18 if level == 1 else 12)
            heading.space_after = Pt(6)
        for level in range(1, TOC_LEVELS + 1):
            if f"TOC {level}" not in names:
                styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
            entry = styles[f"TOC {level}"]
            entry.font.name = FONT
            entry.font.size = Pt(BODY_PT)
            entry.font.bold = level == 1
            entry.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            entry.paragraph_format.space_before = Pt(3 if level == 1 else 0)
            entry.paragraph_format.space_after = Pt(0)
            entry.paragraph_format.line_spacing = 1.0
            entry.paragraph_format.tab_stops.add_tab_stop(
                TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )
        if "Source" not in names:
            styles.add_style("Source", WD_STYLE_TYPE.PARAGRAPH)
        source = styles["Source"]
        source.font.name = FONT
        source.font.size = Pt(10)
        source.font.color.rgb = GREY
        source.paragraph_format.space_after = Pt(12)
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
            paragraph.add_run(self.tr("Page") + " ")
            _field(paragraph, "PAGE", "1")

    def update_fields_on_open(self) -> None:
        """Ask Word to update the contents' page numbers when the file is opened; removed
        once `fill_contents` has written them."""
        settings = self.doc.settings.element
        flag = settings.find(qn("w:updateFields"))
        if flag is None:
            flag = OxmlElement("w:updateFields")
            settings.append(flag)
        flag.set(qn("w:val"), "true")

    # Text.

    def title_page(self, lines: Sequence[tuple[str, str]]) -> None:
        """The title page: (style, text) lines; what follows starts a new page."""
        for style, text in lines:
            parts = word_text(text).split("-")
            paragraph = self._styled(parts[0], style)
            for part in parts[1:]:  # "2027-30" stays on one line
                paragraph.add_run()._r.append(OxmlElement("w:noBreakHyphen"))
                paragraph.add_run(part)

    def contents(self) -> None:
        """Where the contents list goes: its entries are written by `finish_contents` once
        every heading is known, and the next heading starts a new page."""
        self._styled(self.tr("Contents"), "Title").paragraph_format.page_break_before = True
        self._contents = self.doc.add_paragraph()

    def finish_contents(self) -> None:
        """The contents as a Word TOC field whose shown result lists every heading of level 1
        and 2 with its number; page numbers are a dash until `fill_contents` sets them."""
        if self._contents is None:
            return
        entries = [(level, f"{number}\t{text}") for level, number, text in self.headings]
        anchor = self._contents
        last = anchor
        for level, text in entries if entries else [(1, "")]:
            if level > TOC_LEVELS:
                continue
            entry = self._styled("", f"TOC {level}")
            entry.paragraph_format.tab_stops.add_tab_stop(Cm(1.2 if level == 1 else 1.8))
            entry.add_run(word_text(text) + "\t")
            entry.add_run(NO_PAGE)
            last._p.addnext(entry._p)
            last = entry
        first, final = anchor._p.getnext(), last
        anchor._p.getparent().remove(anchor._p)
        _field_around(Paragraph(first, final._parent), final, TOC_INSTRUCTION)

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Paragraph:
        """A numbered heading; refuses to skip a level (a Heading 3 straight after a Heading 1)."""
        if not 1 <= level <= 3 or level > self._heading_level + 1:
            raise ValueError(f"heading level {level} after level {self._heading_level}")
        self._heading_level = level
        paragraph = self._styled(word_text(text), f"Heading {level}")  # as add_heading does
        number = self._number(paragraph, level - 1)
        self.headings.append((level, number, word_text(text)))
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def _number(self, paragraph: Paragraph, level: int) -> str:
        """Put `paragraph` in the outline list at `level`; the number Word will show."""
        _numbered(paragraph, self._outline, level)
        self._counters[level] += 1
        self._counters[level + 1 :] = [0] * (len(OUTLINE) - level - 1)
        return ".".join(str(n) for n in self._counters[: level + 1])

    def paragraph(self, text: str = "", bold: bool = False, *, numbered: bool = False) -> Paragraph:
        """A paragraph of body text; newlines in `text` start new paragraphs. `numbered`
        paragraphs take the next number in their section (1.1, 1.2 under heading 1)."""
        parts = word_text(text).split("\n") or [""]
        paragraph = self.doc.add_paragraph()
        for index, part in enumerate(parts):
            if index:
                paragraph = self.doc.add_paragraph()
            if part:
                paragraph.add_run(part).bold = bold
            if numbered and part and self._heading_level:
                self._number(paragraph, self._heading_level)
        return paragraph

    def source(self, text: str) -> Paragraph:
        """A small 'Source: ...' line under a chart or table."""
        return self._styled(word_text(self.tr("Source: %(source)s", source=text)), "Source")

    def label(self, text: str) -> Paragraph:
        """A bold line introducing what follows (a list), kept on its page."""
        paragraph = self.paragraph(text, bold=True)
        paragraph.paragraph_format.keep_with_next = True
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

    def figure(
        self, png: bytes, alt_text: str, caption: str, source: str = "", width: int = PICTURE_WIDTH
    ) -> str:
        """A picture with alt text, a numbered caption and its source line, kept on one page;
        returns the caption as written."""
        self.figures += 1
        written = self.tr(
            "Figure %(number)s: %(caption)s", number=self.figures, caption=word_text(caption)
        )
        self._caption(written)
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = bool(source)
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=width)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", word_text(alt_text))
        doc_pr.set("title", written)
        self.pictures.append(word_text(alt_text))
        if source:
            self.source(source)
        return written

    def table(
        self,
        caption: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        source: str = "",
    ) -> Table:
        """A captioned table with a bold header row that repeats on every page, rows that never
        split across a page, and its source line under it. A table of up to KEEP_ROWS rows is
        kept on one page with its caption; a longer one may break between rows."""
        self.tables += 1
        self._caption(
            self.tr("Table %(number)s: %(caption)s", number=self.tables, caption=word_text(caption))
        )
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
        _column_widths(table, headers, rows)
        keep = len(rows) <= KEEP_ROWS
        for number, tr in enumerate(table._tbl.tr_lst):
            _cannot_split(tr)
            # A short table stays whole; a longer one keeps its header with its first row.
            if number < len(rows) and (keep or number == 0):
                for cell in cells[number * width : (number + 1) * width]:
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
        if source:
            self.source(source)
        else:
            self.doc.add_paragraph()
        return table

    def _caption(self, text: str) -> None:
        """A caption kept on the same page as the picture or table after it."""
        self._styled(text, "Caption").paragraph_format.keep_with_next = True

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


KEEP_ROWS = 6  # a table of up to this many rows is kept on one page
LONGEST_COLUMN = 160  # characters of a cell's text that claim more width (about 3 lines)
CHARACTER = Cm(0.24)  # the width of a character of 12 pt Arial, bold, with room to spare
CELL_MARGINS = Cm(0.4)


def _column_widths(table: Table, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Share the text width between the columns: each gets room for its longest word (so
    "March" is never broken across lines), and what is left goes to the columns of longer
    text, in proportion."""
    least, weights = [], []
    for index, header in enumerate(headers):
        texts = [str(header), *(str(row[index]) for row in rows)]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        least.append(CELL_MARGINS + CHARACTER * longest_word)
        weights.append(min(max(len(text) for text in texts), LONGEST_COLUMN))
    spare = TEXT_WIDTH - sum(least)
    if spare < 0:  # too many long words to fit: shrink every column alike
        widths = [Emu(int(width * TEXT_WIDTH / sum(least))) for width in least]
    else:
        total = sum(weights) or 1
        widths = [
            Emu(int(w + spare * weight / total)) for w, weight in zip(least, weights, strict=True)
        ]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    cells = table._cells
    for index, cell in enumerate(cells):
        cell.width = widths[index % len(widths)]


def _cannot_split(tr: object) -> None:
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(flag)  # type: ignore[attr-defined]


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


def _field_around(first: Paragraph, last: Paragraph, instruction: str) -> None:
    """Make the paragraphs from `first` to `last` the shown result of a field: the field's
    begin, instruction and separator go before `first`'s text, its end after `last`'s."""

    def char(kind: str) -> object:
        run = OxmlElement("w:r")
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run.append(element)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    start = first._p.r_lst[0] if first._p.r_lst else None
    for element in (char("begin"), instr_run, char("separate")):
        if start is not None:
            start.addprevious(element)
        else:
            first._p.append(element)
    last._p.append(char("end"))


def fill_contents(docx: bytes, pages: Sequence[str]) -> bytes:
    """The .docx with its contents entries' page numbers set, in order, and Word no longer
    asked to update fields on opening. `pages` come from a layout of this very file (see
    `assembly.core.pdf.contents_pages`); with the wrong number of them, nothing changes."""
    document = open_document(io.BytesIO(docx))
    entries = [
        p for p in document.paragraphs if p.style is not None and p.style.name.startswith("TOC ")
    ]
    if len(entries) != len(pages):
        return docx
    for entry, page in zip(entries, pages, strict=True):
        written = [run for run in entry.runs if run.text]
        written[-1].text = word_text(page)  # the last text of an entry is its page
    flag = document.settings.element.find(qn("w:updateFields"))
    if flag is not None:
        document.settings.element.remove(flag)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def without_comments(docx: bytes) -> bytes:
    """The .docx with its comments' anchors taken out of the text: what LibreOffice is given to
    lay out. LibreOffice 7.4 stops when a document with comments is opened through its API, and
    comments (notes in the margin for the officer) change neither the text nor the pages."""
    document = open_document(io.BytesIO(docx))
    body = document.element.body
    anchors = [qn("w:commentRangeStart"), qn("w:commentRangeEnd")]
    found = [e for tag in anchors for e in body.iter(tag)]
    found += [e.getparent() for e in body.iter(qn("w:commentReference"))]  # its run
    if not found:
        return docx
    for element in found:
        element.getparent().remove(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_outline(doc: Document) -> int:
    """A multilevel list numbering Heading 1-3 and body paragraphs; its list (num) id."""
    numbering = doc.part.numbering_part.element
    used = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(used, default=0) + 1
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>'
        for level, (text, indent) in enumerate(OUTLINE)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return int(numbering.add_num(abstract_id).numId)


def _numbered(paragraph: Paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _a4(doc: Document) -> None:
    """A4 portrait with 2.5 cm margins (python-docx's own template is US Letter)."""
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN


def _british(doc: Document, language: str = LANGUAGE) -> None:
    """British English (or Welsh, cy-GB) for the spelling checker, hyphenation and screen
    readers: document defaults, every style that sets a language, and the file's properties."""
    r_pr = doc.styles.element.find(qn("w:docDefaults"))
    defaults = None if r_pr is None else r_pr.find(qn("w:rPrDefault"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            defaults.append(rpr)
        _set_language(rpr, language)
    for style in doc.styles.element.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:lang")) is not None:
            _set_language(rpr, language)
    doc.core_properties.language = language


def _set_language(rpr: object, language: str = LANGUAGE) -> None:
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), language)


def _clear_body(doc: Document) -> None:
    """Remove a house template's body content, keeping its section (headers, footers, page)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
