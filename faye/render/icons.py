"""Small vector icons: stats, currencies, rarity stars, ascension diamonds, the lock, the streak flame.

stat_icons.json names emoji, which no shipped font can draw in colour and DejaVu mostly cannot draw at all
(it has the heart and the crossed swords, as thin monochrome glyphs). So every stat the game ships has its
own icon drawn here, in one consistent style; a stat added later without one shows its emoji when the font
has that glyph, and a plain diamond when it has not, so every stat row always has a picture. Icons are drawn
as masks at 4x and scaled down (smooth edges), then tinted light-to-colour from the top; both steps cached.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw

from faye.render.colors import RGB, hex_rgb, lighten
from faye.render.fonts import Face, font, has_glyph

SUPERSAMPLE = 4
Point = tuple[float, float]
Painter = Callable[[ImageDraw.ImageDraw, float], None]


def _star_points(
    cx: float, cy: float, outer: float, inner: float, points: int, turn: float = -math.pi / 2
) -> list[Point]:
    out = []
    for i in range(points * 2):
        r = outer if i % 2 == 0 else inner
        a = turn + i * math.pi / points
        out.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return out


def star_points(cx: float, cy: float, outer: float, points: int = 5) -> list[Point]:
    """A classic star polygon (inner radius 0.45 of the outer), point up."""
    return _star_points(cx, cy, outer, outer * 0.45, points)


def _heart(d: ImageDraw.ImageDraw, s: float) -> None:
    r = 0.235 * s
    d.ellipse((0.06 * s, 0.14 * s, 0.06 * s + 2 * r, 0.14 * s + 2 * r), fill=255)
    d.ellipse((0.94 * s - 2 * r, 0.14 * s, 0.94 * s, 0.14 * s + 2 * r), fill=255)
    d.polygon([(0.075 * s, 0.48 * s), (0.925 * s, 0.48 * s), (0.5 * s, 0.92 * s)], fill=255)


def _rotated(points: list[Point], angle: float, s: float) -> list[Point]:
    c, si = math.cos(angle), math.sin(angle)
    return [(0.5 * s + (x * c - y * si) * s, 0.5 * s + (x * si + y * c) * s) for x, y in points]


def _sword(d: ImageDraw.ImageDraw, s: float) -> None:
    # Drawn pointing up in a unit frame centred on 0, then turned 45 degrees.
    angle = math.pi / 4
    d.polygon(_rotated([(-0.07, 0.18), (-0.07, -0.36), (0.0, -0.47), (0.07, -0.36), (0.07, 0.18)], angle, s), fill=255)
    d.polygon(_rotated([(-0.22, 0.17), (0.22, 0.17), (0.22, 0.25), (-0.22, 0.25)], angle, s), fill=255)
    d.polygon(_rotated([(-0.04, 0.25), (0.04, 0.25), (0.04, 0.4), (-0.04, 0.4)], angle, s), fill=255)
    cx, cy = _rotated([(0.0, 0.44)], angle, s)[0]
    d.ellipse((cx - 0.07 * s, cy - 0.07 * s, cx + 0.07 * s, cy + 0.07 * s), fill=255)


def _shield(d: ImageDraw.ImageDraw, s: float) -> None:
    outline = [(0.5, 0.05), (0.88, 0.18), (0.84, 0.56), (0.5, 0.95), (0.16, 0.56), (0.12, 0.18)]
    inner = [(0.5, 0.2), (0.72, 0.28), (0.7, 0.54), (0.5, 0.78)]
    d.polygon([(x * s, y * s) for x, y in outline], fill=255)
    d.polygon([(x * s, y * s) for x, y in inner], fill=0)


def _wind(d: ImageDraw.ImageDraw, s: float) -> None:
    w = max(1, round(0.09 * s))
    for y, x0, x1 in ((0.3, 0.06, 0.62), (0.52, 0.06, 0.8), (0.74, 0.2, 0.56)):
        d.line((x0 * s, y * s, x1 * s, y * s), fill=255, width=w)
        r = 0.11 * s
        d.arc((x1 * s - r, y * s - 2 * r, x1 * s + r, y * s), start=-90 - 180, end=90, fill=255, width=w)


def _sparkle(d: ImageDraw.ImageDraw, s: float) -> None:
    d.polygon(_star_points(0.42 * s, 0.56 * s, 0.42 * s, 0.1 * s, 4), fill=255)
    d.polygon(_star_points(0.8 * s, 0.2 * s, 0.18 * s, 0.05 * s, 4), fill=255)


def _orb(d: ImageDraw.ImageDraw, s: float) -> None:
    d.ellipse((0.14 * s, 0.04 * s, 0.86 * s, 0.76 * s), fill=255)
    d.arc((0.26 * s, 0.16 * s, 0.62 * s, 0.52 * s), start=180, end=270, fill=0, width=max(1, round(0.07 * s)))
    d.polygon([(0.26 * s, 0.78 * s), (0.74 * s, 0.78 * s), (0.84 * s, 0.96 * s), (0.16 * s, 0.96 * s)], fill=255)


def _target(d: ImageDraw.ImageDraw, s: float) -> None:
    w = max(1, round(0.1 * s))
    d.ellipse((0.06 * s, 0.06 * s, 0.94 * s, 0.94 * s), outline=255, width=w)
    d.ellipse((0.26 * s, 0.26 * s, 0.74 * s, 0.74 * s), outline=255, width=w)
    d.ellipse((0.42 * s, 0.42 * s, 0.58 * s, 0.58 * s), fill=255)


def _swirl(d: ImageDraw.ImageDraw, s: float) -> None:
    turns = 2.2
    steps = 90
    pts = []
    for i in range(steps + 1):
        t = i / steps
        a = t * turns * 2 * math.pi
        r = (0.04 + 0.4 * t) * s
        pts.append((0.5 * s + r * math.cos(a), 0.5 * s + r * math.sin(a)))
    d.line(pts, fill=255, width=max(1, round(0.1 * s)), joint="curve")


def _diamond(d: ImageDraw.ImageDraw, s: float) -> None:
    d.polygon([(0.5 * s, 0.08 * s), (0.9 * s, 0.5 * s), (0.5 * s, 0.92 * s), (0.1 * s, 0.5 * s)], fill=255)


def _diamond_slot(d: ImageDraw.ImageDraw, s: float) -> None:
    """An empty ascension slot: the diamond's outline."""
    _diamond(d, s)
    d.polygon([(0.5 * s, 0.3 * s), (0.7 * s, 0.5 * s), (0.5 * s, 0.7 * s), (0.3 * s, 0.5 * s)], fill=0)


def _lock(d: ImageDraw.ImageDraw, s: float) -> None:
    """A padlock: a shackle over a body with a keyhole."""
    d.arc((0.24 * s, 0.06 * s, 0.76 * s, 0.62 * s), start=180, end=360, fill=255, width=max(1, round(0.11 * s)))
    for x in (0.24, 0.65):
        d.rectangle((x * s, 0.32 * s, (x + 0.11) * s, 0.48 * s), fill=255)
    d.rounded_rectangle((0.12 * s, 0.44 * s, 0.88 * s, 0.94 * s), radius=0.1 * s, fill=255)
    d.ellipse((0.42 * s, 0.56 * s, 0.58 * s, 0.72 * s), fill=0)
    d.polygon([(0.46 * s, 0.68 * s), (0.54 * s, 0.68 * s), (0.56 * s, 0.84 * s), (0.44 * s, 0.84 * s)], fill=0)


def _coin(d: ImageDraw.ImageDraw, s: float) -> None:
    d.ellipse((0.06 * s, 0.06 * s, 0.94 * s, 0.94 * s), fill=255)
    d.ellipse((0.2 * s, 0.2 * s, 0.8 * s, 0.8 * s), outline=0, width=max(1, round(0.06 * s)))
    d.polygon(_star_points(0.5 * s, 0.5 * s, 0.2 * s, 0.08 * s, 4), fill=0)


def _crystal(d: ImageDraw.ImageDraw, s: float) -> None:
    d.polygon(
        [(x * s, y * s) for x, y in ((0.5, 0.03), (0.8, 0.3), (0.8, 0.7), (0.5, 0.97), (0.2, 0.7), (0.2, 0.3))],
        fill=255,
    )
    d.line((0.5 * s, 0.1 * s, 0.5 * s, 0.9 * s), fill=0, width=max(1, round(0.05 * s)))


def _gem(d: ImageDraw.ImageDraw, s: float) -> None:
    d.polygon(
        [(0.26 * s, 0.14 * s), (0.74 * s, 0.14 * s), (0.96 * s, 0.38 * s), (0.5 * s, 0.92 * s), (0.04 * s, 0.38 * s)],
        fill=255,
    )
    w = max(1, round(0.05 * s))
    d.line((0.06 * s, 0.38 * s, 0.94 * s, 0.38 * s), fill=0, width=w)
    d.line((0.36 * s, 0.38 * s, 0.5 * s, 0.86 * s), fill=0, width=w)
    d.line((0.64 * s, 0.38 * s, 0.5 * s, 0.86 * s), fill=0, width=w)


def _star(d: ImageDraw.ImageDraw, s: float) -> None:
    d.polygon(star_points(0.5 * s, 0.54 * s, 0.5 * s), fill=255)


def _flame(d: ImageDraw.ImageDraw, s: float) -> None:
    pts = []
    for i in range(61):
        t = i / 60 * 2 * math.pi
        # A teardrop: round at the bottom, drawn to a flickering point at the top.
        x = 0.5 + 0.36 * math.sin(t) * (1 - 0.55 * (1 - math.cos(t)) / 2) ** 1.2
        y = 0.62 + 0.32 * math.cos(t) - 0.2 * (1 - math.cos(t)) / 2
        pts.append((x * s, y * s))
    d.polygon(pts, fill=255)
    d.ellipse((0.36 * s, 0.56 * s, 0.64 * s, 0.9 * s), fill=0)


PAINTERS: dict[str, Painter] = {
    "hp": _heart,
    "attack": _sword,
    "defense": _shield,
    "speed": _wind,
    "magic": _sparkle,
    "magic_resist": _orb,
    "crit_rate": _target,
    "dodge": _swirl,
    "faylen": _coin,
    "virelite": _crystal,
    "gems": _gem,
    "star": _star,
    "flame": _flame,
    "diamond": _diamond,
    "diamond_slot": _diamond_slot,
    "lock": _lock,
}

ICON_COLORS: dict[str, RGB] = {
    name: hex_rgb(value)
    for name, value in {
        "hp": "#F0506E",
        "attack": "#F59E5B",
        "defense": "#7FA7D9",
        "speed": "#6EE7C8",
        "magic": "#C49BFF",
        "magic_resist": "#9D7BEA",
        "crit_rate": "#FF6B5E",
        "dodge": "#67D4F5",
        "faylen": "#F2C14E",
        "virelite": "#5FD4E8",
        "gems": "#E86BD8",
        "flame": "#FF8A3D",
        "diamond": "#B8B0C8",
        "diamond_slot": "#8A8296",
        "lock": "#E8DFC8",
    }.items()
}


def _visible(emoji: str) -> str:
    return "".join(c for c in emoji if unicodedata.category(c) != "Cf" and not 0xFE00 <= ord(c) <= 0xFE0F)


@lru_cache(maxsize=256)
def _mask(name: str, emoji: str, size: int) -> Image.Image:
    """The icon's coverage: our drawing for `name`, else the emoji's glyph if the font has it, else a diamond."""
    big = size * SUPERSAMPLE
    canvas = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(canvas)
    glyphs = _visible(emoji)
    if name in PAINTERS:
        PAINTERS[name](draw, big)
    elif glyphs and all(has_glyph(Face.LABEL, c) for c in glyphs):
        draw.text((big / 2, big / 2), glyphs, font=font(Face.LABEL, round(big * 0.9)), fill=255, anchor="mm")
    else:
        _diamond(draw, big)
    return canvas.resize((size, size), Image.Resampling.LANCZOS)


@lru_cache(maxsize=512)
def icon(name: str, size: int, color: RGB | None = None, emoji: str = "") -> Image.Image:
    """An RGBA icon for `name`: ours, else `emoji` where the font can draw it, else a diamond."""
    base = color if color is not None else ICON_COLORS.get(name, ICON_COLORS["diamond"])
    top = lighten(base, 0.45)
    gradient = Image.linear_gradient("L").resize((size, size))
    tinted = Image.composite(Image.new("RGB", (size, size), base), Image.new("RGB", (size, size), top), gradient)
    tinted.putalpha(_mask(name, emoji, size))
    return tinted
