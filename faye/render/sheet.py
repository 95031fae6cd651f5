"""The contact sheet: every Esprit's card (or art) on one page, so a designer reviews the roster at a glance.

A grid as square as the count allows, on the house's dark panel; in art-only mode each picture is captioned
with the Esprit's name, form and rarity. The cards are the same cached faces the game shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from faye.render.art import ART_SIZE, esprit_art
from faye.render.card import CARD, card_image
from faye.render.colors import INK, MUTED, PANEL, alpha, darken, hex_rgb, lighten
from faye.render.data import CardData, CardFace, CardState
from faye.render.fonts import Face, draw_line, fit_line
from faye.render.layers import Size, overlay, pen, vertical_gradient

MARGIN = 32
GAP = 20
HEADER = 64
CAPTION = 40


def _grid(count: int, cell: Size) -> tuple[int, int]:
    """(columns, rows) making the page closest to a 4:3 landscape."""
    columns = max(1, min(count, round(math.sqrt(count * 4 / 3 * cell[1] / cell[0]))))
    return columns, math.ceil(count / columns)


def _art_cell(face: CardFace, assets: Path) -> Image.Image:
    """The Esprit's art with its caption: the name, then form and rarity in its colour."""
    w, h = ART_SIZE
    cell = Image.new("RGB", (w, h + CAPTION), darken(PANEL, 0.2))
    cell.paste(esprit_art(face.art, ART_SIZE, assets), (0, 0))
    draw = pen(cell)
    name = fit_line(face.name, Face.TITLE, w - 16, 16, 12)
    draw_line(draw, name.lines[0], Face.TITLE, name.size, (8, h + 19), alpha(INK, 255))
    kind = f"{face.form or 'unknown form'} · {face.rarity.name}"
    draw_line(draw, kind, Face.LABEL, 11, (8, h + 34), alpha(lighten(hex_rgb(face.rarity.color), 0.2), 255))
    return cell


def sheet_image(faces: Sequence[CardFace], assets: Path, *, art_only: bool = False) -> Image.Image:
    """RGB page of every face, in order: full cards (level 1, full HP) or captioned art."""
    cell = (ART_SIZE[0], ART_SIZE[1] + CAPTION) if art_only else CARD
    columns, rows = _grid(len(faces), cell)
    size = (2 * MARGIN + columns * cell[0] + (columns - 1) * GAP, HEADER + rows * cell[1] + (rows - 1) * GAP + MARGIN)
    page = vertical_gradient(size, ((0.0, PANEL), (1.0, darken(PANEL, 0.5)))).copy()
    plural = "Esprit" if len(faces) == 1 else "Esprits"
    draw_line(pen(page), f"FAYE · {len(faces)} {plural}", Face.TITLE, 28, (MARGIN, 44), alpha(INK, 255))
    forms = len({f.form for f in faces})
    draw_line(pen(page), f"{forms} forms", Face.LABEL, 13, (size[0] - MARGIN, 44), alpha(MUTED, 255), anchor="rs")
    for i, face in enumerate(faces):
        x = MARGIN + (i % columns) * (cell[0] + GAP)
        y = HEADER + (i // columns) * (cell[1] + GAP)
        if art_only:
            page.paste(_art_cell(face, assets), (x, y))
        else:
            hp = face.max_hp
            overlay(page, card_image(CardData(face, CardState(level=1, hp=hp, max_hp=hp)), assets), (x, y))
    return page
