"""The profile card: who the player is, how far they have come, what they own, their best and partner Esprits.

Tinted by the active Esprit's rarity (house gold without one), so a player's card changes as their partner
does. Layout, left to right: identity and progress (with a panel for the most advanced Esprit beside the
streak), then the active Esprit's mini card.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from faye.render.art import art_key, esprit_art
from faye.render.card import MINI, XP_COLOUR, ascension_marks, ascension_width, draw_bar, mini_image
from faye.render.colors import INK, MUTED, PANEL, RGB, alpha, darken, hex_rgb, lighten, mix
from faye.render.data import CardData, ProfileData
from faye.render.fonts import Face, attempts, draw_block, draw_line, drawable, fit_line, fit_text, sized
from faye.render.icons import icon
from faye.render.layers import (
    Size,
    card_radius,
    card_shell,
    cut_corners,
    metal,
    overlay,
    pen,
    rounded_mask,
    vertical_gradient,
)

PROFILE: Size = (820, 340)
HOUSE_GOLD = "#C9A45C"
LEFT = 32
RIGHT_EDGE = 580
"""Where the identity column ends and the active Esprit's column begins."""
CARD_X = PROFILE[0] - 32 - MINI[0]
NAME_FIT = tuple(attempts(30, 20, 1) + attempts(20, 14, 2))
BEST_BOX = (352, 182, 204, 56)
"""x, y, width, height of the best Esprit's panel, right of the streak, above the collection."""
THUMB = 44


def _avatar(img: Image.Image, name: str, color: RGB, box: tuple[int, int], size: int) -> None:
    """A medallion with the player's initial (a star when the name has no drawable letter)."""
    disc = vertical_gradient((size, size), metal(color)).convert("RGBA")
    disc.putalpha(rounded_mask((size, size), size // 2))
    overlay(img, disc, box)
    inner = size - 8
    face = vertical_gradient((inner, inner), ((0.0, mix(PANEL, color, 0.45)), (1.0, darken(PANEL, 0.3)))).convert(
        "RGBA"
    )
    face.putalpha(rounded_mask((inner, inner), inner // 2))
    overlay(img, face, (box[0] + 4, box[1] + 4))
    initial = drawable(name, Face.TITLE)[:1].upper() or "★"
    center = (box[0] + size / 2, box[1] + size / 2)
    draw_line(pen(img), initial, Face.TITLE, size // 2, center, alpha(lighten(color, 0.6), 255), anchor="mm")


def _chip_width(value: str, label: str) -> int:
    """How wide `_chip` draws."""
    return 26 + round(sized(Face.LABEL, 18, value)) + 6 + round(sized(Face.LABEL, 12, label))


def _chip(img: Image.Image, x: int, y: int, kind: str, value: str, label: str, color: RGB | None = None) -> int:
    """Icon, value, small label; returns the x after it."""
    draw = pen(img)
    glyph = icon(kind, 20, color)
    overlay(img, glyph, (x, y))
    x += 26
    x += round(draw_line(draw, value, Face.LABEL, 18, (x, y + 17), alpha(INK, 255))) + 6
    x += round(draw_line(draw, label, Face.LABEL, 12, (x, y + 17), alpha(MUTED, 255)))
    return x


def _collection(img: Image.Image, data: ProfileData, top: int) -> None:
    """Per tier: a diamond in the tier's colour and the count; under them, the collection's share per tier."""
    draw = pen(img)
    width = RIGHT_EDGE - LEFT - 24
    slot = width / max(1, len(data.collection))
    for i, (rarity, count) in enumerate(data.collection):
        color = hex_rgb(rarity.color)
        x = round(LEFT + i * slot)
        overlay(img, icon("diamond", 14, color), (x, top + 2))
        draw_line(draw, f"{count:,}", Face.LABEL, 16, (x + 19, top + 15), alpha(INK, 255))
        label = fit_line(rarity.name.upper(), Face.LABEL, round(slot) - 6, 10, 8)
        draw_block(draw, label, (x, top + 20), alpha(lighten(color, 0.15), 255))
    bar_top, height = top + 40, 8
    total = sum(n for _, n in data.collection)
    draw.rounded_rectangle((LEFT, bar_top, LEFT + width, bar_top + height), height // 2, fill=(8, 6, 12, 230))
    if total:
        strip = Image.new("RGB", (width, height), PANEL)
        strip_draw = ImageDraw.Draw(strip)
        start = 0.0
        for rarity, count in data.collection:
            share = width * count / total
            strip_draw.rectangle((round(start), 0, round(start + share), height), fill=hex_rgb(rarity.color))
            start += share
        img.paste(strip, (LEFT, bar_top), rounded_mask((width, height), height // 2))


def profile_image(data: ProfileData, assets: Path) -> Image.Image:
    """RGBA profile card, 820x340."""
    accent_hex = data.active.face.rarity.color if data.active is not None else HOUSE_GOLD
    accent = hex_rgb(accent_hex)
    img = card_shell(PROFILE, accent_hex, 2, 1.0).copy()
    draw = pen(img)

    _avatar(img, data.username, accent, (LEFT, 30), 76)
    name_x = LEFT + 92
    name = fit_text(data.username, Face.TITLE, RIGHT_EDGE - name_x - 96, NAME_FIT)
    draw_block(draw, name, (name_x, 28 + (48 - name.height) / 2), alpha(INK, 255), shadow=(0, 0, 0, 170))
    handle = fit_line(f"@{data.user_id}", Face.LABEL, RIGHT_EDGE - name_x - 96, 13, 10)
    draw_block(draw, handle, (name_x, 80), alpha(MUTED, 255))
    _level_medal(img, accent, data.level)

    bar_top = 124
    draw_line(draw, "EXPERIENCE", Face.LABEL, 11, (LEFT, bar_top - 6), alpha(MUTED, 255), tracking=2)
    if data.xp_for_next_level is None:
        progress, caption = 1.0, "MAX LEVEL"
    else:
        progress = data.xp_into_level / data.xp_for_next_level if data.xp_for_next_level else 1.0
        caption = f"{data.xp_into_level:,} / {data.xp_for_next_level:,} XP"
    draw_line(draw, caption, Face.LABEL, 12, (RIGHT_EDGE - 24, bar_top - 6), alpha(INK, 255), anchor="rs")
    draw_bar(img, (LEFT, bar_top, RIGHT_EDGE - 24 - LEFT, 12), progress, XP_COLOUR)

    x = LEFT
    for kind, value in (("faylen", data.faylen), ("virelite", data.virelite), ("gems", data.gems)):
        x = _chip(img, x, 156, kind, f"{value:,}", kind) + 26
    x = _chip(img, LEFT, 196, "flame", f"{data.daily_streak:,}", "day streak")
    plural = "Esprit" if data.collection_size == 1 else "Esprits"
    count = f"{data.collection_size:,}"
    labels = [f"{plural} collected", plural, ""] if data.best is not None else [f"{plural} collected"]
    # Beside the best Esprit's panel the label shortens, then goes, rather than run under it.
    label = next((t for t in labels if x + 26 + _chip_width(count, t) <= BEST_BOX[0] - 12), labels[-1])
    _chip(img, x + 26, 196, "star", count, label, accent)
    if data.best is not None:
        _best(img, data.best, assets)
    _collection(img, data, 244)

    _active(img, data, accent, assets)
    return cut_corners(img, card_radius(1.0))


def _level_medal(img: Image.Image, color: RGB, level: int) -> None:
    """The player's level, in a plate at the top right of the identity column."""
    draw = pen(img)
    right, top = RIGHT_EDGE - 24, 40
    width, height = 72, 52
    x = right - width
    plate = vertical_gradient((width, height), metal(color)).convert("RGBA")
    plate.putalpha(rounded_mask((width, height), 12))
    overlay(img, plate, (x, top))
    draw.rounded_rectangle((x + 3, top + 3, right - 3, top + height - 3), 10, fill=alpha(darken(PANEL, 0.2), 255))
    draw_line(
        draw,
        "LEVEL",
        Face.LABEL,
        10,
        (x + width / 2, top + 16),
        alpha(lighten(color, 0.3), 255),
        anchor="ms",
        tracking=2,
    )
    draw_line(draw, f"{level:,}", Face.LABEL, 22, (x + width / 2, top + 41), alpha(INK, 255), anchor="ms")


def _active(img: Image.Image, data: ProfileData, accent: RGB, assets: Path) -> None:
    draw = pen(img)
    center = CARD_X + MINI[0] / 2
    draw_line(
        draw, "ACTIVE ESPRIT", Face.LABEL, 11, (center, 40), alpha(lighten(accent, 0.2), 255), anchor="ms", tracking=2
    )
    top = 52
    if data.active is None:
        draw.rounded_rectangle(
            (CARD_X, top, CARD_X + MINI[0], top + MINI[1]), 10, outline=alpha(MUTED, 120), width=2, fill=(0, 0, 0, 60)
        )
        draw_line(draw, "None chosen", Face.LABEL, 14, (center, top + MINI[1] / 2), alpha(INK, 255), anchor="mm")
        draw_line(
            draw, "choose a partner", Face.LABEL, 11, (center, top + MINI[1] / 2 + 20), alpha(MUTED, 255), anchor="mm"
        )
        return
    card = mini_image(data.active.face, assets, level=data.active.state.level)
    overlay(img, card, (CARD_X, top))


def _best(img: Image.Image, best: CardData, assets: Path) -> None:
    """The most advanced Esprit: its art in a rarity-rimmed disc, name, 'LV 43/60', ascension slots, lock."""
    x0, y0, width, height = BEST_BOX
    color = hex_rgb(best.face.rarity.color)
    state = best.state
    draw = pen(img)
    draw.rounded_rectangle(
        (x0, y0, x0 + width, y0 + height), 12, fill=(0, 0, 0, 70), outline=alpha(mix(PANEL, color, 0.6), 255)
    )
    tx, ty = x0 + (height - THUMB) // 2, y0 + (height - THUMB) // 2
    draw.ellipse((tx - 2, ty - 2, tx + THUMB + 1, ty + THUMB + 1), fill=alpha(lighten(color, 0.1), 255))
    art = esprit_art(best.face.art, (THUMB, THUMB), assets, art_key(best.face.art, assets))
    img.paste(art, (tx, ty), rounded_mask((THUMB, THUMB), THUMB // 2))
    text_x, right = tx + THUMB + 10, x0 + width - 10
    draw_line(draw, "BEST ESPRIT", Face.LABEL, 9, (text_x, y0 + 15), alpha(lighten(color, 0.2), 255), tracking=2)
    if state.locked:
        overlay(img, icon("lock", 11), (right - 11, y0 + 6))
    name = fit_line(best.face.name, Face.TITLE, right - text_x, 15, 10)
    draw_block(draw, name, (text_x, y0 + 18), alpha(INK, 255))
    cap = state.level_cap if state.level_cap is not None else state.level
    level = f"LV {state.level}/{cap}"
    draw_line(draw, level, Face.LABEL, 11, (text_x, y0 + height - 8), alpha(MUTED, 255))
    if state.max_rank:
        room = right - text_x - round(sized(Face.LABEL, 11, level)) - 8
        left = right - ascension_width(state.max_rank, room, 9)
        ascension_marks(img, (left, y0 + height - 12), state.ascension, state.max_rank, room, 9)
