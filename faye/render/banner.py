"""A banner's poster: its name, how long it stays open, and its featured Esprits' mini cards.

The poster is lit like a summon board (the same cached backdrop, in the colour of the rarest featured tier), so a
banner reads as the promise of the summon it leads to. Featured cards go rarest first, five to a row, each with
a FEATURED badge; a banner without featured Esprits (the standard one) says that every Esprit of a tier is
equally likely instead. The time left is drawn as it is when the poster is made: front-ends that can show a
live countdown (Discord's `<t:…:R>`) show it next to the poster.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PIL import Image

from faye.clock import describe_wait
from faye.config import GameConfig
from faye.render.card import MINI, mini_image
from faye.render.colors import INK, MUTED, PANEL, RGB, alpha, hex_rgb, lighten
from faye.render.data import CardFace, face_of, rarity_of
from faye.render.fonts import Face, draw_line, fit_line
from faye.render.layers import Size, halo, overlay, pen
from faye.render.summon import COLUMNS, GAP, HALO, MARGIN, backdrop
from faye.results import BannerView

HEADER = 104
"""Name, kind and time left above the cards."""
EMPTY = 120
"""Height of the note that replaces the cards on a banner without featured Esprits."""
BADGE = "FEATURED"


@dataclass(frozen=True)
class BannerData:
    name: str
    kind: str
    time_left: str | None
    """'27d 12h'; None for a banner that never closes."""
    featured: tuple[CardFace, ...]
    """Rarest first."""


def banner_data(view: BannerView, config: GameConfig) -> BannerData:
    """The featured Esprits' faces from the game data, rarest tier first (a species that left esprits.json
    keeps its name and tier on a bare face)."""
    faces = [
        face_of(known, config)
        if (known := config.esprits_by_id.get(e.esprit_id)) is not None
        else CardFace(e.esprit_id, e.name, rarity_of(e.tier, config), "", "", "", ())
        for e in view.featured
    ]
    faces.sort(key=lambda face: -face.rarity.rank)
    left = None if view.seconds_left is None else describe_wait(timedelta(seconds=view.seconds_left))
    return BannerData(view.name, view.kind, left, tuple(faces))


def poster_size(featured: int) -> Size:
    columns = max(1, min(COLUMNS, featured))
    rows = math.ceil(featured / columns)
    body = rows * MINI[1] + (rows - 1) * GAP if featured else EMPTY
    return (2 * MARGIN + max(columns, 4) * (MINI[0] + GAP) - GAP, HEADER + body + MARGIN)


def _header(img: Image.Image, data: BannerData, color: RGB) -> None:
    draw = pen(img)
    title = fit_line(data.name, Face.TITLE, img.width - 2 * MARGIN, 30, 18)
    draw_line(draw, title.lines[0], Face.TITLE, title.size, (MARGIN, 50), alpha(INK, 255), shadow=(0, 0, 0, 160))
    kind = f"{data.kind.upper()} BANNER"
    draw_line(draw, kind, Face.LABEL, 13, (MARGIN, 80), alpha(lighten(color, 0.25), 255), tracking=2)
    left = "ALWAYS OPEN" if data.time_left is None else f"ENDS IN {data.time_left.upper()}"
    right = img.width - MARGIN
    draw_line(draw, left, Face.LABEL, 16, (right, 80), alpha(INK, 255), anchor="rs", tracking=1)


def banner_image(data: BannerData, assets: Path) -> Image.Image:
    """RGB poster: the header, then the featured mini cards with a halo each (or the note when none)."""
    size = poster_size(len(data.featured))
    color = hex_rgb(data.featured[0].rarity.color) if data.featured else lighten(PANEL, 0.5)
    img = backdrop(size, color).copy()
    _header(img, data, color)
    if not data.featured:
        note = "No featured Esprits: every Esprit of a tier is equally likely."
        draw_line(pen(img), note, Face.LABEL, 16, (size[0] / 2, HEADER + EMPTY / 2), alpha(MUTED, 255), anchor="mm")
        return img
    columns = min(COLUMNS, len(data.featured))
    indent = (size[0] - (columns * (MINI[0] + GAP) - GAP)) // 2
    for i, face in enumerate(data.featured):
        x = indent + (i % columns) * (MINI[0] + GAP)
        y = HEADER + (i // columns) * (MINI[1] + GAP)
        overlay(img, halo(MINI, 16, lighten(hex_rgb(face.rarity.color), 0.3), HALO, 1.4), (x - HALO, y - HALO))
        overlay(img, mini_image(face, assets, badge=BADGE), (x, y))
    return img
