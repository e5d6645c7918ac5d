"""A report as a PDF: headings, sentences, data tables and charts, drawn with matplotlib.

Pure: no Flask, no database, no office suite. Tables are written as text (a reader can copy
them, and `pdftotext` reads them back); each chart is its PNG for documents, drawn from the same
`common.chart_drawing.Drawing` as the page's SVG, and followed by its table. Fonts are
embedded as TrueType, so the text is text, not outlines.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.image import imread

from common.chart_drawing import PNG_DPI, Drawing, style

PAGE = (8.27, 11.69)  # A4, inches
MARGIN = 0.6
LINE = 0.19  # inches a line of 9 pt text takes
WIDE = 100  # characters of a sentence on a line
FIRST_COLUMN = 0.5  # of the text width: a table's row labels


@dataclass(frozen=True)
class Table:
    """A data table as text: caption, headings and rows."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    """A part of the report: a heading, sentences, a chart and tables, in that order."""

    heading: str
    words: tuple[str, ...] = ()
    drawing: Drawing | None = None
    tables: tuple[Table, ...] = field(default=())


def write_pdf(title: str, lines: Sequence[str], blocks: Sequence[Block]) -> bytes:
    """The report as PDF bytes: a title with `lines` under it, then each block."""
    buffer = io.BytesIO()
    with (
        rc_context({**style(), "pdf.fonttype": 42}),
        PdfPages(buffer, metadata={"Title": title, "Creator": None, "Producer": None}) as pages,
    ):
        writer = _Writer(pages)
        writer.text(title, size=16, bold=True)
        for line in lines:
            writer.text(line)
        for block in blocks:
            writer.gap()
            writer.text(block.heading, size=12, bold=True)
            for words in block.words:
                writer.text(words)
            if block.drawing is not None:
                writer.image(block.drawing.png())
            for table in block.tables:
                writer.table(table)
        writer.finish()
    return buffer.getvalue()


class _Writer:
    """Text laid down A4 page after A4 page, top to bottom."""

    def __init__(self, pages: PdfPages) -> None:
        self.pages = pages
        self.figure: Figure | None = None
        self.y = 0.0

    def _room(self, lines: int) -> Figure:
        if self.figure is None or self.y + lines * LINE > PAGE[1] - MARGIN:
            self.finish()
            self.figure = Figure(figsize=PAGE)
            self.y = MARGIN
        return self.figure

    def finish(self) -> None:
        if self.figure is not None:
            self.pages.savefig(self.figure)  # type: ignore[no-untyped-call]
            self.figure = None

    def image(self, png: bytes) -> None:
        """A chart as drawn for documents (PNG_DPI), as wide as the text at most."""
        pixels = imread(io.BytesIO(png), format="png")
        height, width = pixels.shape[0] / PNG_DPI, pixels.shape[1] / PNG_DPI
        scale = min(1.0, (PAGE[0] - 2 * MARGIN) / width, (PAGE[1] - 2 * MARGIN - LINE) / height)
        width, height = width * scale, height * scale
        lines = math.ceil(height / LINE) + 1
        figure = self._room(lines)
        axes = figure.add_axes(
            (MARGIN / PAGE[0], 1 - (self.y + height) / PAGE[1], width / PAGE[0], height / PAGE[1])
        )
        axes.imshow(pixels, interpolation="antialiased")
        axes.set_axis_off()
        self.y += lines * LINE

    def gap(self) -> None:
        self.y += LINE

    def _put(
        self, x: float, text: str, size: float = 9, bold: bool = False, right: bool = False
    ) -> None:
        figure = self._room(1)
        figure.text(
            x / PAGE[0],
            1 - self.y / PAGE[1],
            text,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            ha="right" if right else "left",
            va="top",
        )

    def text(self, words: str, size: float = 9, bold: bool = False) -> None:
        width = int(WIDE * 9 / size)
        for line in textwrap.wrap(words, width) or [""]:
            self._room(2 if size > 9 else 1)
            self._put(MARGIN, line, size, bold)
            self.y += LINE * size / 9

    def table(self, table: Table) -> None:
        self.gap()
        self.text(table.caption, bold=True)
        self._row(table.headers, bold=True)
        for row in table.rows:
            self._row(row)

    def _row(self, cells: Sequence[str], bold: bool = False) -> None:
        """A row: its label wrapped on the left, each other cell right-aligned in its column;
        as many lines high as its longest cell."""
        text_width = PAGE[0] - 2 * MARGIN
        first = text_width * (FIRST_COLUMN if len(cells) > 1 else 1)
        rest = (text_width - first) / max(len(cells) - 1, 1)
        wrapped = [textwrap.wrap(cells[0], int(WIDE * first / text_width)) or [""]]
        wrapped += [
            textwrap.wrap(cell, max(int(WIDE * rest / text_width) - 2, 8)) or [""]
            for cell in cells[1:]
        ]
        height = max(len(lines) for lines in wrapped)
        self._room(height)
        top = self.y
        for column, lines in enumerate(wrapped):
            x = MARGIN if column == 0 else MARGIN + first + rest * column
            for n, line in enumerate(lines):
                self.y = top + n * LINE
                self._put(x, line, bold=bold, right=column > 0)
        self.y = top + height * LINE
