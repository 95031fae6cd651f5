"""What rarity adds around a creature: the sigil behind it, its aura, glints, an orbit of motes, a halo.

The rarer the Esprit, the more of it: Commons stand in a plain rune circle; from Uncommon their horn and
feather tips glint; from Epic a second rim in the rarity colour; from Mythic motes circle them; a Legendary
wears a halo.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from faye.render.colors import RGB, lighten
from faye.render.icons import star_points
from faye.render.paint.sketch import Anatomy
from faye.render.paint.tools import Point, glow_of


def sigil(img: Image.Image, center: Point, radius: float, color: RGB, rank: int, rng: random.Random) -> None:
    """A rune circle in the rarity colour behind the creature; rarer Esprits get more points and rings."""
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    cx, cy = center
    for scale, width in ((1.0, 4), (0.86, 2)):
        r = radius * scale
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=200, width=width)
    ticks = 24 + 8 * rank
    turn = rng.uniform(0, math.pi)
    for i in range(ticks):
        a = turn + 2 * math.pi * i / ticks
        inner = radius * (0.88 if i % 2 else 0.9)
        draw.line(
            [
                (cx + inner * math.cos(a), cy + inner * math.sin(a)),
                (cx + radius * 0.98 * math.cos(a), cy + radius * 0.98 * math.sin(a)),
            ],
            fill=160,
            width=2,
        )
    points = 5 + rank % 3 + (2 if rank >= 4 else 0)
    step = 2 if points % 2 else 3
    vertices = [
        (
            cx + radius * 0.84 * math.cos(turn + 2 * math.pi * i / points),
            cy + radius * 0.84 * math.sin(turn + 2 * math.pi * i / points),
        )
        for i in range(points)
    ]
    for i in range(points):
        draw.line([vertices[i], vertices[(i + step) % points]], fill=150, width=2)
    if rank >= 3:
        r = radius * 1.12
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=110, width=2)
    img.alpha_composite(glow_of(mask, color, 12, 1.3))
    lines = Image.new("RGB", img.size, lighten(color, 0.35))
    lines.putalpha(mask.point(lambda v: v * 2 // 3))
    img.alpha_composite(lines)


def aura(silhouette: Image.Image, color: RGB, rank: int) -> Image.Image:
    """The light around the creature: wider and hotter with every tier."""
    return glow_of(silhouette, color, 20 + 4 * rank, 1.2 + 0.25 * rank)


def ornaments(img: Image.Image, anatomy: Anatomy, color: RGB, rank: int, unit: float, rng: random.Random) -> None:
    """Glints on horn and feather tips (Uncommon on), an orbit of motes (Mythic on), a halo (Legendary)."""
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    if rank >= 1:
        for x, y in anatomy.glints[: 2 + rank]:
            draw.polygon(star_points(x, y, unit * (0.1 + 0.02 * rank), 4), fill=230)
    if rank >= 4:
        hx, hy = anatomy.heart
        turn = rng.uniform(0, math.pi)
        for i in range(7 + 2 * rank):
            a = turn + 2 * math.pi * i / (7 + 2 * rank)
            x, y = hx + unit * 2.3 * math.cos(a), hy - unit * 0.4 + unit * 0.7 * math.sin(a)
            r = unit * (0.035 + 0.03 * (i % 3 == 0))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=220)
    if rank >= 5:
        cx, cy = anatomy.crown
        cy -= unit * 0.35
        draw.ellipse((cx - unit * 0.5, cy - unit * 0.13, cx + unit * 0.5, cy + unit * 0.13), outline=255, width=5)
    img.alpha_composite(glow_of(mask, color, 8, 2.0))
    lit = Image.new("RGB", img.size, lighten(color, 0.5))
    lit.putalpha(mask)
    img.alpha_composite(lit)


def heart_rune(center: Point, unit: float, rank: int) -> list[Point]:
    """The rune on the creature's chest: a four-point star, larger and with more points the rarer it is."""
    return star_points(center[0], center[1], unit * (0.1 + 0.025 * rank), 4 + 2 * (rank >= 3))
