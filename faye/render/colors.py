"""Colours: parsing the designers' hex values, mixing, and the palette of each element.

Every image is tinted by two sources: the rarity colour from rarity_visuals.json (frames, glows, stars) and the
Esprit's element (art backgrounds, creature light). An element the table does not know still gets a stable
palette, derived from its name, so new elements in esprits.json render without code changes.
"""

from __future__ import annotations

import colorsys
import zlib
from dataclasses import dataclass

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)
INK: RGB = (244, 238, 226)
"""Main text: a warm off-white that reads well on the dark panels."""
MUTED: RGB = (160, 152, 172)
"""Labels and secondary text."""
PANEL: RGB = (20, 17, 28)
"""The dark violet-black every card and board is built on."""
FALLBACK_RARITY = "#9AA5B1"
"""A tier missing from rarity_visuals.json is drawn in neutral silver rather than refused."""


def hex_rgb(value: str) -> RGB:
    """'#F5B301' -> (245, 179, 1)."""
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """The colour `t` of the way from `a` to `b`."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def lighten(color: RGB, t: float) -> RGB:
    return mix(color, WHITE, t)


def darken(color: RGB, t: float) -> RGB:
    return mix(color, BLACK, t)


def alpha(color: RGB, a: int) -> RGBA:
    return color[0], color[1], color[2], a


@dataclass(frozen=True)
class ElementPalette:
    """Four tones of one element, darkest to brightest: sky, mid-ground, creature light, sparks."""

    deep: RGB
    mid: RGB
    light: RGB
    spark: RGB


ELEMENT_PALETTES: dict[str, ElementPalette] = {
    "Flame": ElementPalette((28, 8, 6), (122, 32, 14), (255, 138, 61), (255, 214, 130)),
    "Tide": ElementPalette((4, 18, 34), (13, 74, 107), (63, 193, 217), (168, 240, 255)),
    "Verdant": ElementPalette((6, 22, 12), (31, 81, 48), (111, 208, 140), (216, 255, 176)),
    "Stone": ElementPalette((20, 16, 13), (82, 68, 55), (200, 166, 122), (240, 220, 184)),
    "Frost": ElementPalette((7, 18, 32), (42, 77, 110), (159, 216, 255), (234, 248, 255)),
    "Volt": ElementPalette((14, 10, 30), (59, 42, 122), (255, 225, 74), (255, 247, 194)),
    "Lumen": ElementPalette((26, 20, 8), (107, 85, 32), (255, 233, 168), (255, 251, 232)),
    "Umbra": ElementPalette((8, 5, 16), (42, 24, 69), (167, 123, 240), (230, 211, 255)),
    "Gale": ElementPalette((8, 22, 18), (31, 90, 82), (143, 240, 208), (232, 255, 246)),
}


def _from_hue(hue: float, lightness: float, saturation: float) -> RGB:
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def element_palette(element: str) -> ElementPalette:
    """The element's palette; an unknown element gets tones around a hue hashed from its name."""
    known = ELEMENT_PALETTES.get(element)
    if known is not None:
        return known
    hue = (zlib.crc32(element.encode()) % 360) / 360
    return ElementPalette(
        _from_hue(hue, 0.07, 0.6), _from_hue(hue, 0.28, 0.5), _from_hue(hue, 0.66, 0.85), _from_hue(hue, 0.9, 0.9)
    )
