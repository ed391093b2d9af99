"""What every chart shares: a Figure on the Agg canvas, the palette, safe text, bytes out.

Never pyplot: it keeps every figure in a global registry, which leaks memory and
is not thread-safe in a server. A `Figure` is an ordinary object and is garbage
collected with the request.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import escape

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font

from app.charts.canvas import ChartCanvas, png_bytes

# gettext-like: the service passes Flask-Babel's gettext; tests and the archive may pass
# nothing and get English. Charts name the parameter `_` so Babel's extractor finds them.
Translate = Callable[..., str]
# (value, decimal places) -> the number as the reader's language writes it ("0,93" in
# Danish and Hungarian). The service passes the web pages' own formatter
# (app.template_helpers.number_filter_for); tests and the archive may pass nothing.
FormatNumber = Callable[[float, int], str]

FORMATS = ("svg", "png")
# 90 dpi: a 10-inch chart is 900 pixels wide, sharp on screen and in a document, with
# 44 % fewer pixels (and glyph pixels, most of the drawing time) than 120 dpi.
PNG_DPI = 90
# zlib level 1 on unfiltered rows (canvas.png_bytes): a sixth smaller than Pillow's
# default (level 6, filters chosen row by row) for these charts, in a fraction of its time.
PNG_COMPRESSION = 1

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency. Colour
# is never the only cue: flags also get a hatch and a text label, the client a diamond.
INK = "#1d2330"
MUTED = "#5b6475"
TEAM_DOT = "#56606e"
CLIENT = "#D55E00"
GAP = "#0072B2"
FLAG = "#b3261e"
FLAG_FILL = "#fbe3dc"
LINKED_FILL = "#eef3fa"
ZONE_FILL = "#fbe3dc"
HATCH = "#e8a396"  # the hatch lines of flag bands: visible in grey-scale, quiet in colour

# The SVG stays text (searchable, selectable, translatable, and far smaller and faster
# than glyph paths); a fixed hash salt makes element ids, and so the bytes, repeatable.
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "candor-charts",
    "font.size": 9,
    "font.family": "DejaVu Sans",
    # Unhinted glyphs: Agg draws text glyph by glyph, and hinting (FreeType's default
    # bytecode or autohinter) made a 1,400-glyph PNG a quarter slower; at 90 dpi the
    # unhinted text is as legible, only slightly softer.
    "text.hinting": "no_hinting",
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
}
_SVG_OPEN = re.compile(rb"<svg[^>]*>")
_MATHTEXT = re.compile(r"(?<!\\)\$")


def english(message: str, **variables: object) -> str:
    """The fallback translator: gettext's interface, English text."""
    return message % variables if variables else message


def plain(text: str, limit: int | None = None) -> str:
    """User text as literal text: matplotlib reads "$...$" as maths, so escape every "$"."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _MATHTEXT.sub(r"\\$", text)


def english_number(value: float, places: int) -> str:
    """The fallback number format: a decimal point, `places` decimals."""
    return f"{value:.{places}f}"


def number(value: float, format_number: FormatNumber = english_number) -> str:
    """At most two decimals and none trailing: 3.0 -> "3", 2.6666 -> "2.67" ("2,67" when
    `format_number` writes Danish). The places are chosen here, the writing is the caller's."""
    shortest = f"{value:.2f}".rstrip("0").rstrip(".")
    _whole, _point, fraction = shortest.partition(".")
    return format_number(value, len(fraction))


FONT_SIZE = _RC["font.size"]
# One more line of chart text: matplotlib spaces lines at 1.2 times the font size.
LINE_IN = 1.2 * FONT_SIZE / 72
# The title and the subtitle, from the figure's top edge (inches), at its left edge (a
# hundredth of its width in); the subtitle wraps, and the top margin grows by LINE_IN a line.
TITLE_TOP_IN, SUBTITLE_TOP_IN, EDGE = 0.3, 0.62, 0.01
# One more row of a legend: a line of text and matplotlib's spacing between entries.
LEGEND_ROW_IN = (1.2 + 0.5) * FONT_SIZE / 72


def text_width_in(text: str, size: float = FONT_SIZE, weight: str = "normal") -> float:
    """How wide one line of `text` is drawn, in inches: the sum of its glyphs' advances,
    each looked up once per process (FreeType's layout of a whole string costs about
    10 µs a character in matplotlib 3.11). Kerning is left out: a few hundredths of an
    inch on a line, within the room the callers leave. Call inside `drawing()`."""
    return size / 72 * sum(_advance(char, weight) for char in text)


# (character, weight) -> its advance in points per point of font size.
_ADVANCES: dict[tuple[str, str], float] = {}


def _advance(char: str, weight: str) -> float:
    key = (char, weight)
    found = _ADVANCES.get(key)
    if found is None:
        font = get_font(findfont(FontProperties(family=_RC["font.family"], weight=weight)))
        font.set_size(100, 72)  # 100 pt at 72 dpi: advances in 65536ths of 1/100 pt
        glyph = font.load_char(ord(char), flags=get_hinting_flag())
        found = _ADVANCES[key] = glyph.linearHoriAdvance / 65536 / 100
    return found


def wrapped(text: str, width_in: float) -> str:
    """`text` (9 pt) broken at spaces into lines no wider than `width_in` inches: a Danish
    or Hungarian subtitle is longer than the English one the figure was sized for."""
    if text_width_in(text) <= width_in:
        return text
    lines: list[str] = []
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width_in(candidate) <= width_in:
            lines[-1] = candidate
        else:
            lines.append(word)
    return "\n".join(lines)


def extra_lines(text: str) -> int:
    return text.count("\n")


def legend_columns(handles: list, figure_width_in: float, handle_length: float) -> int:
    """The most columns, up to three, in which the legend of `handles` (figure.legend at the
    figure's left edge, matplotlib's default paddings and its own split into columns) fits
    the figure. Labels are measured, not laid out: building the legend twice costs more."""
    em = FontProperties(size=matplotlib.rcParams["legend.fontsize"]).get_size_in_points() / 72
    rc = matplotlib.rcParams
    width_in = text_room(figure_width_in)
    texts = [text_width_in(handle.get_label()) for handle in handles]
    for columns in range(min(3, len(texts)), 1, -1):
        widest = [max(column) for column in np.array_split(texts, columns)]
        width = em * (
            rc["legend.borderaxespad"]
            + 2 * rc["legend.borderpad"]
            + columns * (handle_length + rc["legend.handletextpad"])
            + (columns - 1) * rc["legend.columnspacing"]
        )
        if width + sum(widest) <= width_in:
            return columns
    return 1


def legend_room(count: int, columns: int, rows_planned: int) -> float:
    """The inches a legend of `count` entries in `columns` columns needs beyond the
    `rows_planned` rows its chart's bottom margin was drawn for."""
    rows = -(-count // columns)
    return max(0, rows - rows_planned) * LEGEND_ROW_IN


def add_legend(figure: Figure, handles: list, columns: int, handle_length: float) -> None:
    """The legend at the figure's bottom left, in the `columns` that `legend_columns` chose
    for the same `handle_length` (its measure assumes this placement)."""
    figure.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.01),
        ncol=columns,
        frameon=False,
        handlelength=handle_length,
    )


def add_titles(figure: Figure, title: str, subtitle: str) -> None:
    """The bold title and the (already wrapped) subtitle at the figure's top left."""
    height = figure.get_figheight()
    figure.text(EDGE, 1 - TITLE_TOP_IN / height, title, fontsize=13, weight="bold", va="top")
    figure.text(EDGE, 1 - SUBTITLE_TOP_IN / height, subtitle, color=MUTED, va="top")


def text_room(width_in: float) -> float:
    """The width a text starting at the figure's left edge may take (a hair's margin)."""
    return width_in * (1 - 2 * EDGE)


def new_figure(width_in: float, height_in: float) -> Figure:
    figure = Figure(figsize=(width_in, height_in), facecolor="white")
    ChartCanvas(figure)
    return figure


def margins(figure: Figure, *, left: float, right: float, top: float, bottom: float) -> None:
    """Margins in inches (fixed room for labels whatever the row count); cheaper than
    constrained layout, which measures every text element on every render."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
    )


# rc_context swaps process-wide rcParams and restores them on exit; two threads
# overlapping would restore each other's settings mid-render. Rendering is CPU-bound
# under the GIL anyway, so serialising it costs next to nothing.
_RENDER_LOCK = threading.Lock()


@contextmanager
def drawing() -> Iterator[None]:
    """Wrap building and saving a figure: Candor's rcParams, one render at a time."""
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        yield


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown chart format {fmt!r}; expected one of {', '.join(FORMATS)}.")


def to_bytes(figure: Figure, fmt: str, title: str) -> bytes:
    """Call inside `drawing()`, which holds the rcParams the SVG writer and the PNG's text
    (unhinted) read."""
    check_format(fmt)
    if fmt == "png":
        return png_bytes(figure, PNG_DPI, PNG_COMPRESSION)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _titled_svg(buffer.getvalue(), title)


def _titled_svg(body: bytes, title: str) -> bytes:
    """Give the <svg> an accessible name when it is opened on its own (an <img> has alt)."""
    match = _SVG_OPEN.search(body)
    if match is None:  # pragma: no cover - matplotlib always writes one
        return body
    opening = match.group(0)
    if b"role=" not in opening:
        opening = opening[:-1] + b' role="img">'
    label = escape(title).encode("utf-8")
    return body[: match.start()] + opening + b"<title>" + label + b"</title>" + body[match.end() :]
