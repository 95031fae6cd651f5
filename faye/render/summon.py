"""The summon reveal: one full card for a single pull, a 2x5 board of mini cards for a 10-pull.

The board is lit by the best pull's rarity: light rays and a burst behind the grid in its colour, and the
rarest cards set apart by a halo and a BEST badge, so the moment reads at a glance when shared.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from faye.render.card import MINI, card_image, mini_image
from faye.render.colors import INK, MUTED, PANEL, RGB, alpha, darken, hex_rgb, lighten, mix
from faye.render.data import CardData, CardState, SummonData
from faye.render.fonts import Face, draw_line, sized
from faye.render.icons import icon
from faye.render.layers import Size, halo, overlay, pen, radial_glow, vertical_gradient

COLUMNS = 5
MARGIN = 32
GAP = 18
HEADER = 84
HALO = 20


def board_size(pulls: int) -> Size:
    rows = math.ceil(pulls / COLUMNS)
    return (2 * MARGIN + COLUMNS * MINI[0] + (COLUMNS - 1) * GAP, HEADER + rows * MINI[1] + (rows - 1) * GAP + MARGIN)


@lru_cache(maxsize=16)
def backdrop(size: Size, color: RGB) -> Image.Image:
    """Dark board with rays and a burst in the best rarity's colour (cached per size and colour)."""
    width, height = size
    img = vertical_gradient(size, ((0.0, mix(PANEL, color, 0.18)), (0.5, PANEL), (1.0, darken(PANEL, 0.5)))).convert(
        "RGBA"
    )
    rays = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(rays)
    center = (width / 2, HEADER + (height - HEADER) / 2)
    far = math.hypot(width, height)
    for i in range(24):
        a = 2 * math.pi * i / 24
        spread = 0.045
        draw.polygon(
            [
                center,
                (center[0] + far * math.cos(a - spread), center[1] + far * math.sin(a - spread)),
                (center[0] + far * math.cos(a + spread), center[1] + far * math.sin(a + spread)),
            ],
            fill=alpha(color, 26 if i % 2 else 14),
        )
    img.alpha_composite(rays)
    img.alpha_composite(radial_glow(size, center, height * 0.9, color, 0.5))
    return img.convert("RGB")


def _header(img: Image.Image, data: SummonData, best: RGB) -> None:
    draw = pen(img)
    draw_line(draw, f"SUMMON ×{len(data.pulls)}", Face.TITLE, 30, (MARGIN, 48), alpha(INK, 255), shadow=(0, 0, 0, 160))
    top = max(data.pulls, key=lambda p: p.face.rarity.rank).face.rarity
    draw_line(draw, "BEST PULL", Face.LABEL, 12, (MARGIN, 70), alpha(MUTED, 255), tracking=2)
    x = MARGIN + sized(Face.LABEL, 12, "BEST PULL", 2) + 10
    draw_line(draw, top.name.upper(), Face.LABEL, 12, (x, 70), alpha(lighten(best, 0.25), 255), tracking=2)
    amount = f"−{data.cost_amount:,} {data.cost_currency}"
    right = img.width - MARGIN
    width = draw_line(draw, amount, Face.LABEL, 18, (right, 48), alpha(INK, 255), anchor="rs")
    glyph = icon(data.cost_currency, 22)
    img.paste(glyph, (round(right - width - 30), 28), glyph)


def summon_image(data: SummonData, assets: Path) -> Image.Image:
    """RGB board for several pulls; RGBA full card for one."""
    if len(data.pulls) == 1:
        pull = data.pulls[0]
        hp = pull.face.max_hp
        return card_image(
            CardData(pull.face, CardState(level=1, hp=hp, max_hp=hp, instance_id=pull.instance_id)), assets
        )
    size = board_size(len(data.pulls))
    best = hex_rgb(max(data.pulls, key=lambda p: p.face.rarity.rank).face.rarity.color)
    img = backdrop(size, best).copy()
    _header(img, data, best)
    highlighted = data.highlighted
    for i, pull in enumerate(data.pulls):
        x = MARGIN + (i % COLUMNS) * (MINI[0] + GAP)
        y = HEADER + (i // COLUMNS) * (MINI[1] + GAP)
        color = hex_rgb(pull.face.rarity.color)
        if i in highlighted:
            burst = radial_glow(
                (MINI[0] + 4 * HALO, MINI[1] + 4 * HALO),
                (MINI[0] / 2 + 2 * HALO, MINI[1] / 2 + 2 * HALO),
                MINI[1] * 0.75,
                color,
                0.8,
            )
            overlay(img, burst, (x - 2 * HALO, y - 2 * HALO))
            glow = halo(MINI, 16, lighten(color, 0.3), HALO, 1.8)
            overlay(img, glow, (x - HALO, y - HALO))
        card = mini_image(pull.face, assets, badge="★ BEST" if i in highlighted else None, pity=pull.pity)
        overlay(img, card, (x, y))
    return img
