"""How the charts look: style, bars, diverging bars, lines, and the bytes of SVG and PNG.

Pure and wordless: `survey.core.charts` decides every label (through `common.display`) and hands
over plain values; this module only places them. matplotlib through `Figure`, never `pyplot`,
with its settings in a local `rc_context`, so nothing leaks into other code in the process.
"""

from __future__ import annotations

import io
import math
import struct
import textwrap
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from isal import isal_zlib
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Annotation, Text
from matplotlib.ticker import MaxNLocator, PercentFormatter
from matplotlib.transforms import Bbox, ScaledTranslation, Transform

PNG_DPI = 200
WIDTH = 8.0  # inches: 768 px at 100% zoom, about a GOV.UK page's main column
# Okabe-Ito: told apart by people with any common colour-vision deficiency.
BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#E69F00"
PURPLE, SKY, BLACK = "#CC79A7", "#56B4E9", "#000000"
GREY, INK, GRID = "#8C8C8C", "#0B0C0C", "#D0D0D0"
SERIES_STYLES = (  # colour, marker and dash all differ, so no line relies on colour
    (BLUE, "o", "-"),
    (VERMILLION, "s", "--"),
    (GREEN, "^", "-."),
    (ORANGE, "D", ":"),
    (PURPLE, "v", "-"),
    (SKY, "P", "--"),
    (BLACK, "X", "-."),
)
# svg.fonttype "path": glyphs are drawn as outlines, so the SVG looks the same in every browser
# and in Word whatever fonts are installed, and labels placed by matplotlib's font metrics
# never overlap or clip under a substituted font. The words stay in the file as comments, and
# every page gives them as alt text and a table.
STYLE = {
    "svg.fonttype": "path",
    "svg.hashsalt": "csp-charts",  # fixed ids for clip paths and hatches: the same bytes
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs on every machine
    "font.size": 12,
    "axes.titley": 1.0,  # titles placed, not searched for a place: a second layout pass saved
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "hatch.linewidth": 1.0,
    "axes.edgecolor": INK,
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
# ISA-L's deflate at its level 2 (of 0 to 3), a zlib stream any PNG reader reads: much
# faster than zlib's at a level that compresses as well (most of a chart's compressing is
# hashing blank rows); zlib's default level 6 is slower still for somewhat smaller files.
PNG_COMPRESSION = 2
SVG_DPI = 72  # the SVG backend's own: the layout is measured at the resolution written
PAD = 0.08  # inches between the figure's edge, its title, its axes and its legend
SUPPRESSED_HATCH = "///"
ROW_LABEL_PAD = 3.5  # points: matplotlib's own between a tick label and its axes


@dataclass(frozen=True)
class Bar:
    """One bar: its value, or None when suppressed: then a hatched range from 0 to `most`,
    the largest the hidden value could be, so that no length stands for the hidden count."""

    label: str
    value: float | None
    text: str
    colour: str = BLUE
    hatch: str = ""
    interval: tuple[float, float] | None = None
    most: float = 0.0


@dataclass(frozen=True)
class Diverging:
    """One matrix statement: agree right, disagree left, neither and don't know beside."""

    label: str
    agree: Bar
    disagree: Bar
    neither: Bar
    dont_know: Bar
    note: str = ""  # instead of bars, when too few answered


@dataclass(frozen=True)
class Drawing:
    """A titled figure tall enough for `rows` bars, kept to be drawn in the format asked for.

    A page needs only the SVG and a Word draft only the PNG, so each is drawn on its own.
    """

    title: str
    draw: Callable[[Figure], None]
    rows: int

    def svg(self) -> bytes:
        """The figure as SVG, for pages."""
        with rc_context(STYLE):
            figure = self._figure(SVG_DPI)
            out = io.BytesIO()
            figure.savefig(out, format="svg", metadata={**SVG_METADATA, "Title": self.title})
        return out.getvalue()

    def png(self) -> bytes:
        """The figure as PNG at PNG_DPI, for documents."""
        with rc_context(STYLE):
            figure = self._figure(PNG_DPI)
            canvas = figure.canvas
            canvas.draw()  # as laid out: at PNG_DPI already
            rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
        return png_bytes(rgba, PNG_DPI)

    def _figure(self, dpi: int) -> Figure:
        """The figure drawn and laid out at `dpi`, the resolution it will be written at."""
        figure = Figure(figsize=(WIDTH, 1.9 + 0.55 * max(self.rows, 1)), dpi=dpi)
        pad = PAD / figure.get_figheight()
        title = figure.suptitle(
            wrap(self.title, 68),
            x=0.01,
            y=1 - pad,
            ha="left",
            va="top",
            fontsize=14,
            fontweight="bold",
        )
        self.draw(figure)
        fit(figure, title, FigureCanvasAgg(figure).get_renderer())  # type: ignore[no-untyped-call]
        return figure


def fit(figure: Figure, title: Text, renderer: RendererBase) -> None:
    """Margins from the measured extents of everything drawn, so nothing is clipped.

    One measure instead of a layout engine's several: the axes stand in a row between the
    title and any legend below, and each margin is what their ticks, titles and labels reach
    beyond them. Words placed on the data (a bar's end) move with the axes' width, so they
    are placed again once the axes have their place: each is measured once, and only moved.
    """
    width, height = figure.bbox.width, figure.bbox.height
    pad = PAD * figure.dpi
    top = title.get_window_extent(renderer).y0 - pad
    legends = [legend.get_window_extent(renderer).y1 for legend in figure.legends]
    bottom = pad + max(legends, default=0.0)
    axes = sorted(figure.axes, key=lambda ax: ax.get_position().x0)
    frames = [_reach(ax, ax.get_tightbbox(renderer, bbox_extra_artists=[])) for ax in axes]
    words = [_Words(ax, renderer) for ax in axes]
    for _ in range(2):
        reach = [
            tuple(map(max, frame, _reach(ax, said.box())))
            for ax, frame, said in zip(axes, frames, words, strict=True)
        ]
        gap = max([pad] + [a[2] + b[0] + pad for a, b in zip(reach, reach[1:], strict=False)])
        left, right = pad + reach[0][0], width - pad - reach[-1][2]
        each = (right - left - gap * (len(axes) - 1)) / len(axes)
        figure.subplots_adjust(
            left=left / width,
            right=right / width,
            bottom=(bottom + max(r[1] for r in reach)) / height,
            top=(top - max(r[3] for r in reach)) / height,
            wspace=gap / each,
        )


class _Words:
    """The words an axes carries (labels, annotations), each laid out once.

    A word's extent is its laid-out box moved to its anchor, so when the axes move only the
    anchor is worked out again: laying out text is most of the cost of measuring it. An
    annotation (with its leader line) is measured whole each time.
    """

    def __init__(self, ax: Axes, renderer: RendererBase) -> None:
        self.renderer = renderer
        shown = [text for text in ax.texts if text.get_visible()]
        self.annotations = [text for text in shown if isinstance(text, Annotation)]
        self.shapes = [
            (text, text.get_window_extent(renderer).translated(*-_anchor(text)))
            for text in shown
            if not isinstance(text, Annotation)
        ]

    def box(self) -> Bbox | None:
        """Where the words are now drawn, or None when there are none."""
        boxes = [shape.translated(*_anchor(text)) for text, shape in self.shapes]
        boxes += [text.get_window_extent(self.renderer) for text in self.annotations]
        return Bbox.union(boxes) if boxes else None


def _anchor(text: Text) -> np.ndarray:
    """Where on the figure, in pixels, a text is placed from (its extent moves with it)."""
    return np.asarray(text.get_transform().transform(text.get_unitless_position()))


def _reach(ax: Axes, box: Bbox | None) -> tuple[float, float, float, float]:
    """How far `box` reaches beyond an axes: left, bottom, right, top (0 when within)."""
    frame = ax.bbox
    if box is None:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        max(0.0, frame.x0 - box.x0),
        max(0.0, frame.y0 - box.y0),
        max(0.0, box.x1 - frame.x1),
        max(0.0, box.y1 - frame.y1),
    )


def png_bytes(rgba: np.ndarray, dpi: int) -> bytes:
    """A PNG of an RGBA image, quickly: rows unfiltered (Pillow's adaptive filtering took two
    and a half times as long, for files 5% smaller), deflated by ISA-L (see PNG_COMPRESSION).
    The same image gives the same bytes."""
    height, width, _ = rgba.shape
    lines = np.empty((height, width * 4 + 1), np.uint8)
    lines[:, 0] = 0  # filter type None
    lines[:, 1:] = rgba.reshape(height, -1)
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", isal_zlib.compress(lines, PNG_COMPRESSION)),  # no copy of `lines`
            chunk(b"IEND", b""),
        )
    )


def wrap(text: str, width: int = 30) -> str:
    """Long labels on several lines."""
    return "\n".join(textwrap.wrap(text, width)) or text


def message(figure: Figure, words: str) -> None:
    """A chart with nothing to draw says why, in words."""
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, wrap(words, 60), ha="center", va="center", transform=ax.transAxes)


def bars(figure: Figure, shown: Sequence[Bar], note: str, percent: bool) -> None:
    """Horizontal bars, first at the top, each labelled at its end (or its whisker's)."""
    ax = _bar_axes(figure, [bar.label for bar in shown], note)
    ends = [1.0] + [_bar(ax, y, bar) for y, bar in enumerate(shown)]
    right = max(ends) * 1.08
    ax.set_xlim(0, max(10.0, min(100.0, right)) if percent else right)
    if percent:
        ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _bar_axes(figure: Figure, labels: Sequence[str], note: str) -> Axes:
    ax = figure.add_subplot()
    _row_labels(ax, labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_title(wrap(note, 62), loc="left")
    _tidy(ax)
    return ax


def _row_labels(ax: Axes, labels: Sequence[str]) -> None:
    """Each row's name left of the axes, where a tick label would be, at a fraction of the cost
    (a tick is five artists, measured and drawn each time)."""
    ax.set_yticks([])
    beside = _beside(ax, ax.get_yaxis_transform(), -ROW_LABEL_PAD)
    for y, label in enumerate(labels):
        ax.text(0, y, wrap(label), transform=beside, ha="right", va="center")


def _beside(ax: Axes, transform: Transform, points: float) -> Transform:
    """`transform`, then `points` to the right (left when negative): where a word beside a
    point is drawn. A text with it draws where an annotation offset by `points` would, and
    costs less to measure and draw (no check that the point is within the axes)."""
    return transform + ScaledTranslation(points / 72, 0, ax.figure.dpi_scale_trans)


def _tidy(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _bar(ax: Axes, y: float, bar: Bar, height: float = 0.6, sign: int = 1) -> float:
    """Draw one bar and its label; the x its label starts from.

    The bar is the rectangle `barh` would draw, added without widening the data limits (every
    chart sets its own): `barh`'s own bookkeeping was a good part of a chart's time.
    """
    if bar.value is None:
        _rectangle(ax, y, sign * bar.most, height, "white", INK, SUPPRESSED_HATCH)
        end = bar.most
    else:
        _rectangle(ax, y, sign * bar.value, height, bar.colour, "white", bar.hatch)
        end = bar.value
        if bar.interval is not None:
            low, high = bar.interval
            ax.errorbar(
                bar.value,
                y,
                xerr=[[bar.value - low], [high - bar.value]],
                fmt="none",
                ecolor=INK,
                capsize=5,
                linewidth=1.4,
            )
            end = high
    ax.text(
        sign * end,
        y,
        bar.text,
        transform=_beside(ax, ax.transData, 5 * sign),
        va="center",
        ha="left" if sign > 0 else "right",
    )
    return end


def _rectangle(
    ax: Axes, y: float, width: float, height: float, colour: str, edge: str, hatch: str
) -> None:
    """A horizontal bar from 0 to `width`, centred on `y`."""
    ax.add_artist(
        Rectangle(
            (0.0, y - height / 2),
            width,
            height,
            facecolor=colour,
            edgecolor=edge,
            hatch=hatch,
        )
    )


def diverging(figure: Figure, statements: Sequence[Diverging], threshold_label: str) -> None:
    """Disagree to the left of zero and agree to the right; neither and don't know beside."""
    main, side = figure.subplots(1, 2, sharey=True, width_ratios=(3, 2))
    _row_labels(main, [s.label for s in statements])
    main.set_ylim(len(statements) - 0.5, -0.5)
    main.axvline(0, color=INK, linewidth=1)
    reach = 25.0
    for y, row in enumerate(statements):
        if row.note:
            main.text(0, y, row.note, transform=_beside(main, main.transData, 5), va="center")
            continue
        reach = max(reach, _bar(main, y, row.agree), _bar(main, y, row.disagree, sign=-1))
        _bar(side, y - 0.17, row.neither, height=0.3)
        _bar(side, y + 0.17, row.dont_know, height=0.3)
    limit = min(100, 25 * math.ceil((reach + 12) / 25))  # room for the labels at the ends
    ticks = range(-limit, limit + 1, 25)
    main.set_xlim(-limit, limit)
    main.set_xticks(list(ticks), [f"{abs(t)}%" if t else "0" for t in ticks])
    main.set_title("Disagree ◀   ▶ Agree")
    side.set_xlim(0, 230)  # bars use the left part: the rest is room for their labels
    side.set_xticks([0, 100], ["0", "100%"])
    side.set_title("Neither, don't know", loc="left")
    for ax in (main, side):
        _tidy(ax)
    legend = [
        Patch(facecolor=VERMILLION, hatch="//", edgecolor="white", label="Disagree"),
        Patch(facecolor=BLUE, label="Agree"),
        Patch(facecolor=GREY, label="Neither"),
        Patch(facecolor=SKY, hatch="..", edgecolor="white", label="Don't know"),
        Patch(facecolor="white", hatch="///", edgecolor=INK, label=threshold_label),
    ]
    below = PAD / figure.get_figheight()  # `fit` leaves room above it for the axes
    figure.legend(
        handles=legend, loc="lower center", bbox_to_anchor=(0.5, below), ncols=3, frameon=False
    )


def lines(
    figure: Figure,
    periods: Sequence[str],
    series: Sequence[tuple[Sequence[float | None], str]],
    unit: str,
) -> None:
    """A line per series with markers, named at its last value; None values are gaps."""
    values = [v for points, _ in series for v in points if v is not None]
    ax = figure.add_subplot()
    ends: list[tuple[float, str, str]] = []
    for index, (points, end_label) in enumerate(series):
        colour, marker, style = SERIES_STYLES[index % len(SERIES_STYLES)]
        ys = [math.nan if v is None else v for v in points]
        ax.plot(range(len(periods)), ys, color=colour, marker=marker, linestyle=style, linewidth=2)
        last = max((i for i, v in enumerate(points) if v is not None), default=None)
        if last is not None:
            ends.append((float(points[last] or 0.0), wrap(end_label, 22), colour))
    _end_labels(ax, ends, len(periods) - 1, min(0.0, min(values)), max(values))
    every = math.ceil(len(periods) * (max(map(len, periods)) * 7 + 12) / 420)
    shown = [p if i % every == 0 else "" for i, p in enumerate(periods)]
    ax.set_xticks(range(len(periods)), shown)  # every label when there is room, else some
    ax.set_xlim(-0.3, len(periods) - 0.7)
    ax.set_ylabel(wrap(unit, 40))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color=GRID, linewidth=0.8)


def _end_labels(
    ax: Axes, ends: list[tuple[float, str, str]], x: int, low: float, high: float
) -> None:
    """Each series named at its end, nudged apart so that no two labels overlap."""
    top = high * 1.08 if high > 0 else 1.0
    ax.set_ylim(low, top)
    gap = (top - low) * 0.09
    placed: list[float] = []
    for value, text, colour in sorted(ends, key=lambda e: e[0]):
        y = max(value, placed[-1] + gap) if placed else value
        placed.append(y)
        ax.annotate(
            text,
            (x, value),
            xytext=(x + 0.2, y),
            textcoords="data",
            va="center",
            color=colour,
            fontweight="bold",
            # from the label's left edge, so that no leader line crosses another series' label
            arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.8, "relpos": (0, 0.5)},
        )
