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
from functools import cache
from pathlib import Path

import numpy as np
from isal import isal_zlib
from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Annotation, Text
from matplotlib.ticker import Formatter, MaxNLocator
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
# The Word draft's body is Arial: Liberation Sans has its metrics (Debian's fonts-liberation,
# installed by `make fonts`). DejaVu Sans, shipped with matplotlib, draws when it is not
# installed, and any glyph it lacks (the matrix chart's arrows).
BODY_FONT = "Liberation Sans"
FALLBACK_FONT = "DejaVu Sans"
FONT_FOLDERS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2")
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
# ISA-L's deflate at its level 2 (of 0 to 3), a zlib stream any PNG reader reads: much
# faster than zlib's at a level that compresses as well (most of a chart's compressing is
# hashing blank rows); zlib's default level 6 is slower still for somewhat smaller files.
PNG_COMPRESSION = 2
SVG_DPI = 72  # the SVG backend's own: the layout is measured at the resolution written
PAD = 0.08  # inches between the figure's edge, its title, its axes and its legend
ROW_LABEL_PAD = 3.5  # points: matplotlib's own between a tick label and its axes
ROW = 0.42  # inches of plot a row of bars takes: a bar, its label and a gap
LINE = 0.2  # inches a line of a 12 pt label takes
MIN_ROWS = 2  # the least plot a chart has, in rows, however few its bars
TICK_STEPS = (1, 2, 5, 10)  # never 2.5: a tick's label is exact at the places it shows


@dataclass(frozen=True)
class Bar:
    """One bar: its value, or None when suppressed (or nothing to show): then no bar at all,
    only `text` ("fewer than 5") at the axis, so that no length or range hints at the value."""

    label: str
    value: float | None
    text: str
    colour: str = BLUE
    hatch: str = ""
    interval: tuple[float, float] | None = None


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
    """A titled figure whose plot is `rows` rows of bars high, to be drawn in the format asked.

    The plot is sized to its rows (see `rows_for`), at least MIN_ROWS, and the figure to the
    plot and its words, so two bars take little of a page. A page needs only the SVG and a
    Word draft only the PNG, so each is drawn on its own.
    """

    title: str
    draw: Callable[[Figure], None]
    rows: float

    def svg(self) -> bytes:
        """The figure as SVG, for pages."""
        with rc_context(style()):
            figure = self._figure(SVG_DPI)
            out = io.BytesIO()
            figure.savefig(out, format="svg", metadata={**SVG_METADATA, "Title": self.title})
        return out.getvalue()

    def png(self) -> bytes:
        """The figure as PNG at PNG_DPI, for documents."""
        with rc_context(style()):
            figure = self._figure(PNG_DPI)
            canvas = figure.canvas
            canvas.draw()  # as laid out: at PNG_DPI already
            rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
        return png_bytes(rgba, PNG_DPI)

    def _figure(self, dpi: int) -> Figure:
        """The figure drawn and laid out at `dpi`, the resolution it will be written at."""
        plot = ROW * max(self.rows, MIN_ROWS)
        figure = Figure(figsize=(WIDTH, plot + 1.5), dpi=dpi)  # made to fit by `fit`
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
        renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
        fit(figure, title, renderer, plot)
        return figure


def style() -> dict[str, object]:
    """The rc settings charts are drawn with, the font among them."""
    return {**STYLE, "font.family": font_family()}


@cache
def font_family() -> list[str]:
    """Liberation Sans first when installed (Arial's metrics), else DejaVu Sans alone.

    Looked for in matplotlib's list, then in Debian's folders: matplotlib keeps its list of
    fonts in a cache made before the package may have been installed.
    """
    known = {font.name for font in font_manager.fontManager.ttflist}
    if BODY_FONT not in known:
        for folder in FONT_FOLDERS:
            for path in sorted(Path(folder).glob("LiberationSans-*.ttf")):
                font_manager.fontManager.addfont(str(path))
                known.add(BODY_FONT)
    return [BODY_FONT, FALLBACK_FONT] if BODY_FONT in known else [FALLBACK_FONT]


def rows_for(labels: Sequence[str], least: float = 1.0) -> float:
    """How many rows of ROW high `labels` need: more when a wrapped label takes more lines."""
    lines = max((wrap(label).count("\n") + 1 for label in labels), default=1)
    return len(labels) * max(least, (lines * LINE + 0.15) / ROW)


def fit(figure: Figure, title: Text, renderer: RendererBase, plot: float | None = None) -> None:
    """Margins from the measured extents of everything drawn, so nothing is clipped.

    One measure instead of a layout engine's several: the axes stand in a row between the
    title and any legend below, and each margin is what their ticks, titles and labels reach
    beyond them. With `plot` (inches), the figure is first made as tall as the axes need to be
    `plot` high with those margins. Words placed on the data (a bar's end) move with the axes'
    width, so they are placed again once the axes have their place: each is measured once,
    and only moved.
    """
    pad = PAD * figure.dpi
    axes = sorted(figure.axes, key=lambda ax: ax.get_position().x0)
    frames = [_reach(ax, ax.get_tightbbox(renderer, bbox_extra_artists=[])) for ax in axes]
    if plot is not None:
        _fit_height(figure, title, renderer, plot, frames)
    width, height = figure.bbox.width, figure.bbox.height
    top = title.get_window_extent(renderer).y0 - pad
    legends = [legend.get_window_extent(renderer).y1 for legend in figure.legends]
    bottom = pad + max(legends, default=0.0)
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


def _fit_height(
    figure: Figure,
    title: Text,
    renderer: RendererBase,
    plot: float,
    frames: Sequence[tuple[float, float, float, float]],
) -> None:
    """Make the figure as tall as its title, legend, the axes' margins and a `plot` high plot.

    The title hangs PAD below the top and a legend stands PAD above the bottom whatever the
    height, so each is placed again for the new height; the margins do not depend on it.
    """
    dpi = figure.dpi
    above = figure.bbox.height - title.get_window_extent(renderer).y0 + PAD * dpi
    legends = [legend.get_window_extent(renderer).height for legend in figure.legends]
    below = PAD * dpi * (2 if legends else 1) + max(legends, default=0.0)
    reach_above = max((frame[3] for frame in frames), default=0.0)
    reach_below = max((frame[1] for frame in frames), default=0.0)
    height = (above + reach_above + plot * dpi + reach_below + below) / dpi
    figure.set_figheight(height)
    title.set_y(1 - PAD / height)
    for legend in figure.legends:
        legend.set_bbox_to_anchor((0.5, PAD / height), transform=figure.transFigure)


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
    exact_ticks(ax.xaxis, "%" if percent else "", whole=not percent)


def exact_ticks(axis: Axis, suffix: str = "", whole: bool = False) -> None:
    """Ticks at steps of 1, 2 or 5 (times a power of ten), each labelled exactly.

    `whole` for counts: never a tick between two whole numbers ("2.5 responses").
    """
    axis.set_major_locator(MaxNLocator(steps=list(TICK_STEPS), integer=whole))
    axis.set_major_formatter(ExactFormatter(suffix))


class ExactFormatter(Formatter):
    """Tick labels with the decimal places their step needs, so none is rounded: '2.5%', never
    '2%' for 2.5; thousands separated ('4,000') as every figure is."""

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix
        self.places = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        """The places the ticks need: the fewest that write every tick exactly."""
        self.places = next((p for p in range(7) if all(_exact(v, p) for v in locs)), 6)

    def __call__(self, x: float, pos: int | None = None) -> str:
        text = f"{x:,.{self.places}f}"
        if text.lstrip("-").strip("0.,") == "":
            text = text.lstrip("-")  # never "-0"
        return text + self.suffix


def _exact(value: float, places: int) -> bool:
    return abs(round(value, places) - value) <= 1e-9 * max(1.0, abs(value))


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
    chart sets its own): `barh`'s own bookkeeping was a good part of a chart's time. A bar
    without a value is not drawn: its label stands at the axis.
    """
    if bar.value is None:
        end = 0.0
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


def diverging(figure: Figure, statements: Sequence[Diverging]) -> None:
    """Disagree to the left of zero and agree to the right; neither and don't know beside.

    A suppressed part has no bar, only its words ("fewer than 5") at the axis."""
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
    ]
    below = PAD / figure.get_figheight()  # `fit` leaves room above it for the axes
    figure.legend(
        handles=legend, loc="lower center", bbox_to_anchor=(0.5, below), ncols=4, frameon=False
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
    exact_ticks(ax.yaxis, whole=all(float(v).is_integer() for v in values))
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
