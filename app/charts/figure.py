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
from matplotlib.figure import Figure

from app.charts.canvas import ChartCanvas, png_bytes

# gettext-like: the service passes Flask-Babel's gettext; tests and the archive may pass
# nothing and get English. Charts name the parameter `_` so Babel's extractor finds them.
Translate = Callable[..., str]

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


def number(value: float) -> str:
    """3.0 -> "3", 2.6666 -> "2.67"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


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
