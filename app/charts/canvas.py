"""The Agg canvas the charts draw on: each distinct text rasterised once, as a whole.

matplotlib 3.11's Agg renderer draws text glyph by glyph: every string is loaded by
FreeType once to be measured, again to be laid out, and once more per glyph to be
rasterised, each glyph with its own Python call. On the divergence chart (1,300 glyphs)
that was over half of a cold PNG's time. `StringRenderer` measures and rasterises a
string in one `FT2Font.set_text` + `draw_glyphs_to_bitmap` (the way Agg drew text up to
matplotlib 3.10), keeps the bitmap for the rest of the render (the twelve equal flag
labels are rasterised once) and blends it with the public `draw_image`. The measures
are the same as matplotlib's; glyphs land within a pixel of where it puts them (the
string is placed on whole pixels). Rotated text, mathtext and text not antialiased keep
matplotlib's own path. The SVG backend is not concerned: its text stays text.

`png_bytes` writes the canvas as a PNG itself: Pillow, which matplotlib calls, tries several
PNG filters on every row to choose one, which took longer than the compression; rows
left unfiltered compress in a third of the time, and smaller (a chart is mostly runs of
equal pixels).
"""

from __future__ import annotations

import struct
import zlib
from typing import NamedTuple

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont, get_font

_UNSET = object()


class _Rasterised(NamedTuple):
    """One string in one font: matplotlib's measures (pixels) and its coverage bitmap."""

    width: float
    height: float
    descent: float
    coverage: np.ndarray
    left: float
    top: float


class StringRenderer(RendererAgg):
    """RendererAgg that rasterises each (text, font) once per render, string by string."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._strings: dict = {}

    def _rasterised(self, text: str, prop) -> _Rasterised:
        # The key copies the FontProperties: they are mutable and hash by their state
        # (matplotlib's own metrics cache does the same).
        key = (text, prop.copy(), self.dpi, get_hinting_flag())
        found = self._strings.get(key)
        if found is None:
            font = get_font(findfont(prop))
            font.clear()
            font.set_size(prop.get_size_in_points(), self.dpi)
            font.set_text(text, 0.0, flags=get_hinting_flag())
            width, height = font.get_width_height()
            descent = font.get_descent()
            font.draw_glyphs_to_bitmap(antialiased=True)
            left, top = font.get_bitmap_offset()
            # FreeType's sizes are in 64ths of a pixel; the font's image is reused by the
            # next string, so the bitmap is copied out.
            coverage = np.array(font.get_image())
            found = _Rasterised(
                width / 64, height / 64, descent / 64, coverage, left / 64, top / 64
            )
            self._strings[key] = found
        return found

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        found = self._rasterised(s, prop)
        return found.width, found.height, found.descent

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle or not gc.get_antialiased() or _shaped(mtext):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        found = self._rasterised(s, prop)
        if not found.coverage.size:
            return None
        red, green, blue, alpha = gc.get_rgb()
        image = np.empty((*found.coverage.shape, 4), np.uint8)
        image[..., 0] = round(red * 255)
        image[..., 1] = round(green * 255)
        image[..., 2] = round(blue * 255)
        image[..., 3] = found.coverage if alpha == 1 else found.coverage * alpha
        # y runs down from the top here and up from the bottom in draw_image; the bitmap's
        # bottom row sits one pixel under the descent (as in matplotlib 3.10's Agg).
        bottom = round(y + found.top + found.descent) + 1
        self.draw_image(gc, round(x + found.left), self.height - bottom, image[::-1])
        return None


def _shaped(mtext) -> bool:
    """Whether the text asks for OpenType features or a language (matplotlib's path)."""
    features = getattr(mtext, "get_fontfeatures", None)
    language = getattr(mtext, "get_language", None)
    return bool((features and features()) or (language and language()))


class ChartCanvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with `StringRenderer` (one per pixel size and dpi)."""

    _size = _UNSET

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        size = (width, height, self.figure.dpi)
        if self._size != size:
            self.renderer = StringRenderer(width, height, self.figure.dpi)
            self._size = size
        return self.renderer


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Bit depth 8, colour type 6 (RGBA), deflate, standard filters, no interlacing.
_RGBA_8_BIT = struct.pack(">BBBBB", 8, 6, 0, 0, 0)
_INCHES_PER_METRE = 1 / 0.0254


def png_bytes(figure: Figure, dpi: float, compression: int) -> bytes:
    """The figure drawn at `dpi` (which it keeps) as an 8-bit RGBA PNG with that resolution
    recorded (pHYs), zlib level `compression`, every row unfiltered, no text chunks."""
    figure.set_dpi(dpi)
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())
    height, width, _channels = pixels.shape
    rows = np.empty((height, 1 + pixels[0].size), np.uint8)
    rows[:, 0] = 0  # each row's filter type
    rows[:, 1:] = pixels.reshape(height, -1)
    per_metre = round(dpi * _INCHES_PER_METRE)
    return b"".join(
        (
            _PNG_SIGNATURE,
            _chunk(b"IHDR", struct.pack(">II", width, height) + _RGBA_8_BIT),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),  # 1: per metre
            _chunk(b"IDAT", zlib.compress(rows, compression)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
