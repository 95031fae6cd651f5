"""The shipped DejaVu fonts, glyph filtering and text that always fits its box.

Three faces: a bold serif for names and titles (the fantasy voice), a condensed italic serif for lore and a
condensed bold sans for numbers and labels (dense, legible at small sizes). They ship inside the package
(fonts/, Bitstream Vera licence) so a card looks the same on every machine.

Text never overflows: `fit_text` tries sizes and line counts in the caller's order of preference, wraps on
words (breaking a word only when it is wider than the box) and, as a last resort, ends with an ellipsis.
Characters the font cannot draw (emoji in a player's name, say) are dropped rather than shown as empty boxes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from PIL import ImageDraw, ImageFont

from faye.render.colors import RGBA

FONT_DIR = Path(__file__).resolve().parent / "fonts"
ELLIPSIS = "…"
_MISSING = "\U0010fffd"
"""A private-use code point no font maps: what the font draws for it is its "missing glyph" box."""


class Face(StrEnum):
    TITLE = "DejaVuSerif-Bold.ttf"
    LORE = "DejaVuSerifCondensed-Italic.ttf"
    LABEL = "DejaVuSansCondensed-Bold.ttf"


@cache
def _font_bytes(face: Face) -> bytes:
    return (FONT_DIR / face.value).read_bytes()


_per_thread = threading.local()


def font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The face at `size`, loaded once per thread: a FreeType face must never be used by two threads at once."""
    fonts: dict[tuple[Face, int], ImageFont.FreeTypeFont] | None = getattr(_per_thread, "fonts", None)
    if fonts is None:
        fonts = _per_thread.fonts = {}
    loaded = fonts.get((face, size))
    if loaded is None:
        loaded = fonts[(face, size)] = ImageFont.truetype(BytesIO(_font_bytes(face)), size)
    return loaded


def _glyph_print(face: Face, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font(face, 24).getmask(char)
    return mask.size, bytes(mask)


@lru_cache(maxsize=8192)
def has_glyph(face: Face, char: str) -> bool:
    """Whether the face draws `char` as itself rather than as its missing-glyph box."""
    if char.isspace():
        return True
    if unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F:
        return False  # joiners and emoji variation selectors: invisible at best, a box at worst
    return _glyph_print(face, char) != _glyph_print(face, _MISSING)


@lru_cache(maxsize=4096)
def drawable(text: str, face: Face) -> str:
    """`text` without the characters the face lacks, spaces tidied where they were."""
    kept = "".join(c for c in text if has_glyph(face, c))
    return re.sub(r"\s+", " ", kept).strip()


@dataclass(frozen=True)
class TextBlock:
    """Lines of text set in one face and size, measured to fit the box they were fitted to."""

    face: Face
    size: int
    lines: tuple[str, ...]

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return font(self.face, self.size)

    @property
    def line_height(self) -> int:
        ascent, descent = self.font.getmetrics()
        return ascent + descent

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)

    @property
    def width(self) -> float:
        return max((self.font.getlength(line) for line in self.lines), default=0.0)


def _break_word(word: str, typeface: ImageFont.FreeTypeFont, width: float) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and typeface.getlength(current + char) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current] if current else pieces


def wrap(text: str, typeface: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the box is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if typeface.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *whole, current = _break_word(word, typeface, width) or [""]
        lines.extend(whole)
    if current:
        lines.append(current)
    return lines


def _ellipsize(line: str, typeface: ImageFont.FreeTypeFont, width: float) -> str:
    line = line.rstrip()
    while line and typeface.getlength(line + ELLIPSIS) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS


def attempts(max_size: int, min_size: int, lines: int) -> list[tuple[int, int]]:
    """(size, max lines) from `max_size` down to `min_size`: one stretch of `fit_text`'s preferences."""
    return [(size, lines) for size in range(max_size, min_size - 1, -1)]


@lru_cache(maxsize=2048)
def fit_text(text: str, face: Face, width: int, preferences: tuple[tuple[int, int], ...]) -> TextBlock:
    """The first (size, max lines) in `preferences` at which `text` fits `width`; else the last, ellipsised.

    Callers choose the trade-off: a name shrinks on one line before it wraps to two, lore keeps its size and
    uses more lines.
    """
    clean = drawable(text, face)
    for size, max_lines in preferences:
        lines = wrap(clean, font(face, size), width)
        if len(lines) <= max_lines:
            return TextBlock(face, size, tuple(lines))
    size, max_lines = preferences[-1]
    typeface = font(face, size)
    lines = wrap(clean, typeface, width)
    kept = [*lines[: max_lines - 1], _ellipsize(lines[max_lines - 1], typeface, width)]
    return TextBlock(face, size, tuple(kept))


def fit_line(text: str, face: Face, width: int, max_size: int, min_size: int) -> TextBlock:
    """One line, shrinking from `max_size` to `min_size`, ellipsised if it is still too wide."""
    return fit_text(text, face, width, tuple(attempts(max_size, min_size, 1)))


def draw_block(
    draw: ImageDraw.ImageDraw,
    block: TextBlock,
    xy: tuple[float, float],
    fill: RGBA,
    *,
    align: str = "left",
    shadow: RGBA | None = None,
) -> None:
    """Draw `block` with its top at `xy[1]`; `xy[0]` is the left edge, centre or right edge per `align`."""
    anchor = {"left": "ls", "center": "ms", "right": "rs"}[align]
    ascent, _ = block.font.getmetrics()
    x, y = xy
    for i, line in enumerate(block.lines):
        baseline = y + ascent + i * block.line_height
        if shadow is not None:
            draw.text((x + 1, baseline + 2), line, font=block.font, fill=shadow, anchor=anchor)
        draw.text((x, baseline), line, font=block.font, fill=fill, anchor=anchor)


def draw_line(
    draw: ImageDraw.ImageDraw,
    text: str,
    face: Face,
    size: int,
    xy: tuple[float, float],
    fill: RGBA,
    *,
    anchor: str = "ls",
    tracking: float = 0,
    shadow: RGBA | None = None,
) -> float:
    """Short text whose width the layout already allows for (numbers, labels); returns its width.

    `tracking` spaces the letters apart (small capitals on labels); `anchor` is Pillow's, with its horizontal
    part ('l', 'm', 'r') honoured for tracked text too.
    """
    typeface = font(face, size)
    shown = drawable(text, face)
    width = sized(face, size, text, tracking)
    x = xy[0] - {"l": 0.0, "m": width / 2, "r": width}[anchor[0]]
    pieces = [(x, shown)] if not tracking else []
    for char in shown if tracking else "":
        pieces.append((x, char))
        x += typeface.getlength(char) + tracking
    for px, piece in pieces:
        if shadow is not None:
            draw.text((px + 1, xy[1] + 2), piece, font=typeface, fill=shadow, anchor="l" + anchor[1])
        draw.text((px, xy[1]), piece, font=typeface, fill=fill, anchor="l" + anchor[1])
    return width


def sized(face: Face, size: int, text: str, tracking: float = 0) -> float:
    """The width of `text` as `draw_line` would draw it."""
    shown = drawable(text, face)
    return font(face, size).getlength(shown) + tracking * max(0, len(shown) - 1)
