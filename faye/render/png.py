"""PNG encoding that meets both budgets: a few milliseconds per image and at most 300 KB.

Settings chosen by measurement (benchmarks/bench_render.py; a 400x560 RGBA card, a 1000x620 board):
- Cards and profiles are saved in full colour by our own writer: every row gets PNG's "Up" filter in one
  numpy subtraction and the rows are deflated at zlib level 1. Pillow's encoder picks a filter per row
  (adaptive) and costs ~1.6x the time for the same ~175 KB; Paeth saves 1 % of bytes for 2.5x the time, and
  zlib levels above 1 or the RLE strategy trade 30 % more time for 5 % fewer bytes, or the reverse.
- The 10-pull board would weigh ~450 KB in full colour, so it is reduced to 256 colours: the palette is Pillow's
  fast octree over the whole image, applied with Floyd-Steinberg dithering, which keeps glows and gradients
  smooth. Measured on the board against the median cut over an eighth-size thumbnail used before: 15 ms
  against 23 ms for palette and dithering, and a mean difference from the full-colour image of 0.95 against
  3.9 (0-255; the banner: 0.63 against 2.9); octree alone, without dithering, bands visibly. The indices are
  written unfiltered by the same writer (Pillow's took twice as long) and deflated at level 1: ~215 KB; level
  6 took 3x the time for 12 % fewer bytes, the RLE strategy 15 % less time for 330 KB, past the budget.
Every step is deterministic, so the same image always gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
from PIL import Image

LEVEL = 1
SIGNATURE = b"\x89PNG\r\n\x1a\n"
UP = 2
COLOR_TYPES = {"RGB": 2, "RGBA": 6}
INDEXED = 3
PALETTE = 256


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def _full_colour(image: Image.Image) -> bytes:
    """An 8-bit RGB or RGBA PNG, every row Up-filtered (the filter works on raw bytes, so it vectorises)."""
    if image.mode not in COLOR_TYPES:
        image = image.convert("RGBA")
    pixels = np.asarray(image)
    height, width = pixels.shape[:2]
    rows = pixels.reshape(height, -1)
    raw = np.empty((height, rows.shape[1] + 1), np.uint8)
    raw[:, 0] = UP
    raw[:1, 1:] = rows[:1]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])
    header = struct.pack(">IIBBBBB", width, height, 8, COLOR_TYPES[image.mode], 0, 0, 0)
    return _png(header, b"", raw)


def _png(header: bytes, palette: bytes, raw: np.ndarray) -> bytes:
    """The file around filtered rows (`raw`, a filter byte then the row's bytes), deflated at LEVEL."""
    body = zlib.compress(raw.tobytes(), LEVEL)
    chunks = [_chunk(b"IHDR", header), _chunk(b"PLTE", palette) if palette else b"", _chunk(b"IDAT", body)]
    return SIGNATURE + b"".join(chunks) + _chunk(b"IEND", b"")


def _paletted(image: Image.Image) -> bytes:
    rgb = image.convert("RGB")
    palette = rgb.quantize(PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    indexed = rgb.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
    colours = bytes(indexed.getpalette() or [])[: 3 * PALETTE]
    indices = np.asarray(indexed)
    raw = np.zeros((indexed.height, indexed.width + 1), np.uint8)  # filter byte 0: indices are not filtered
    raw[:, 1:] = indices
    header = struct.pack(">IIBBBBB", indexed.width, indexed.height, 8, INDEXED, 0, 0, 0)
    return _png(header, colours, raw)


def encode(image: Image.Image, *, paletted: bool = False) -> bytes:
    """PNG bytes: full colour (alpha kept) by default; `paletted` for large opaque images."""
    return _paletted(image) if paletted else _full_colour(image)
