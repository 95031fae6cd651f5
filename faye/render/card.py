"""The Esprit card (400x560) and its mini card (176x246, for 10-pull grids and profiles).

A card is two layers. The face (frame, art, name, stars, rarity line, stats at its level, lore) is cached; the
state (level and cap, HP, XP bar, ascension slots, lock, instance id) is drawn on a copy of it every time, which
is cheap.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from faye.display import RATE_STATS
from faye.render.art import ART_SIZE, art_key, esprit_art
from faye.render.colors import INK, MUTED, PANEL, RGB, alpha, darken, hex_rgb, lighten, mix
from faye.render.data import CardData, CardFace, CardState, Stat
from faye.render.fonts import Face, attempts, draw_block, draw_line, fit_line, fit_text, sized
from faye.render.icons import ICON_COLORS, icon
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

CARD: Size = (400, 560)
MINI: Size = (176, 246)
MINI_SCALE = MINI[0] / CARD[0]
SHADOW = (0, 0, 0, 170)

STAT_LABELS = {
    "hp": "HP",
    "attack": "Attack",
    "defense": "Defense",
    "speed": "Speed",
    "magic": "Magic",
    "magic_resist": "Resist",
    "crit_rate": "Crit",
    "dodge": "Dodge",
}

# Full card layout (pixels).
ART_BOX = (20, 66)
NAME_BOX = (26, 14, 296, 50)
"""x, y, width, height of the name; the level badge sits to its right."""
BADGE_CENTER = (CARD[0] - 46, 40)
BADGE_RADIUS = 25
NAME_FIT = tuple(attempts(26, 18, 1) + attempts(18, 13, 2))
LORE_FIT = tuple(attempts(13, 11, 3))
RIBBON_Y = ART_BOX[1] + ART_SIZE[1]
HP_TOP = RIBBON_Y + 40
XP_TOP = HP_TOP + 20
BAR_X, BAR_W = 90, 190
"""Where the HP and XP bars start, and how wide they are."""
XP_COLOUR: RGB = (122, 162, 255)
STATS_TOP = 384
STAT_ROW = 22
LORE_TOP = 484

# The ascension slots on the art.
ASCENSION: RGB = ICON_COLORS["virelite"]
"""Virelite's colour: ascending is what virelite is spent on."""
ASC_EDGE = alpha(mix(PANEL, ASCENSION, 0.45), 255)
ASC_GLYPH, ASC_PAD = 12, 7
LOCK_DISC = 26

# Mini card layout.
MINI_ART = (8, 8, 160, 138)
MINI_NAME_FIT = tuple(attempts(16, 12, 1) + attempts(12, 10, 2))


def stat_label(name: str) -> str:
    return STAT_LABELS.get(name, name.replace("_", " ").title())


def stat_value(stat: Stat) -> str:
    if stat.name in RATE_STATS and stat.value < 1:
        return f"{stat.value:.0%}"
    return f"{round(stat.value):,}"


def rarity_rgb(face: CardFace) -> RGB:
    return hex_rgb(face.rarity.color)


def _paste_art(
    img: Image.Image, face: CardFace, box: tuple[int, int, int, int], radius: int, assets: Path, art_id: str
) -> None:
    """The art in a rounded window with a rarity-coloured rim and a darkened foot for the ribbon to sit on."""
    x, y, w, h = box
    color = rarity_rgb(face)
    art = esprit_art(face.art, (w, h), assets, art_id).convert("RGBA")
    foot = Image.new("RGB", (w, h), PANEL)
    foot.putalpha(Image.linear_gradient("L").resize((w, h)).point(lambda v: max(0, v - 150) * 2))
    art.alpha_composite(foot)
    img.paste(art, (x, y), rounded_mask((w, h), radius))
    pen(img).rounded_rectangle(
        (x - 1, y - 1, x + w, y + h), radius + 1, outline=alpha(lighten(color, 0.15), 220), width=2
    )


def draw_stars(img: Image.Image, face: CardFace, center: tuple[float, float], star: int, gap: int) -> None:
    """rank + 1 stars on a dark plate edged in the rarity colour."""
    color = rarity_rgb(face)
    count = face.rarity.rank + 1
    width = count * star + (count - 1) * gap + star
    height = star + star // 2
    x0, y0 = round(center[0] - width / 2), round(center[1] - height / 2)
    draw = pen(img)
    draw.rounded_rectangle(
        (x0, y0, x0 + width, y0 + height), height // 2, fill=alpha(darken(PANEL, 0.3), 240), outline=alpha(color, 255)
    )
    glyph = icon("star", star, lighten(color, 0.25))
    for i in range(count):
        overlay(img, glyph, (x0 + star // 2 + i * (star + gap), y0 + (height - star) // 2))


def _rarity_line(draw: ImageDraw.ImageDraw, face: CardFace, center_x: float, baseline: float, size: int) -> None:
    """'LEGENDARY · Flame Striker': the tier in its colour in spaced capitals, then element and role in grey."""
    tier = face.rarity.name.upper()
    kind = " ".join(part for part in (face.element, face.role) if part)
    tracking = size * 0.18
    gap = size * 0.7
    parts = [(tier, alpha(lighten(rarity_rgb(face), 0.2), 255), tracking)]
    if kind:
        parts += [("·", alpha(MUTED, 255), 0.0), (kind, alpha(MUTED, 255), 0.0)]
    total = sum(sized(Face.LABEL, size, text, track) for text, _, track in parts) + gap * (len(parts) - 1)
    x = center_x - total / 2
    for text, fill, track in parts:
        x += draw_line(draw, text, Face.LABEL, size, (x, baseline), fill, tracking=track) + gap


def _stats(img: Image.Image, face: CardFace) -> None:
    draw = pen(img)
    col_w, left = 172, 24
    for i, stat in enumerate(face.stats):
        col, row = i % 2, i // 2
        x = left + col * (col_w + 8)
        y = STATS_TOP + row * STAT_ROW
        draw.rounded_rectangle((x, y, x + col_w, y + STAT_ROW - 3), 6, fill=(255, 255, 255, 10 if row % 2 else 18))
        overlay(img, icon(stat.name, 15, emoji=stat.icon), (x + 5, y + 2))
        draw_line(draw, stat_label(stat.name), Face.LABEL, 13, (x + 26, y + 15), alpha(MUTED, 255))
        draw_line(draw, stat_value(stat), Face.LABEL, 14, (x + col_w - 7, y + 15), alpha(INK, 255), anchor="rs")


def _divider(draw: ImageDraw.ImageDraw, y: float, color: RGB, width: int = 400) -> None:
    mid = width / 2
    draw.line((60, y, mid - 12, y), fill=alpha(color, 90), width=1)
    draw.line((mid + 12, y, width - 60, y), fill=alpha(color, 90), width=1)
    draw.polygon([(mid, y - 4), (mid + 5, y), (mid, y + 4), (mid - 5, y)], fill=alpha(lighten(color, 0.3), 200))


@lru_cache(maxsize=64)
def card_face(face: CardFace, assets: Path, art_id: str) -> Image.Image:
    """Everything on a full card (RGB) that does not change as the Esprit is played (cached; copy before drawing).

    `art_id` (`art.art_key`) names the art's content, so a replaced designer file gives a new face.
    """
    img = card_shell(CARD, face.rarity.color, face.rarity.rank, 1.0).copy()
    color = rarity_rgb(face)
    _paste_art(img, face, (*ART_BOX, *ART_SIZE), 14, assets, art_id)
    draw = pen(img)
    nx, ny, nw, nh = NAME_BOX
    name = fit_text(face.name, Face.TITLE, nw, NAME_FIT)
    draw_block(draw, name, (nx, ny + (nh - name.height) / 2), alpha(INK, 255), shadow=SHADOW)
    draw_stars(img, face, (CARD[0] / 2, RIBBON_Y), 16, 3)
    _rarity_line(draw, face, CARD[0] / 2, RIBBON_Y + 33, 13)
    _stats(img, face)
    _divider(draw, LORE_TOP - 8, color)
    if face.lore:
        lore = fit_text(face.lore, Face.LORE, 340, LORE_FIT)
        draw_block(draw, lore, (CARD[0] / 2, LORE_TOP), alpha(mix(INK, MUTED, 0.35), 255), align="center")
    return img


def _level_badge(img: Image.Image, color: RGB, center: tuple[float, float], radius: int, level: int) -> None:
    """A round medal: a metal ring in the rarity colour around 'LV' and the level."""
    cx, cy = center
    box = (round(cx - radius), round(cy - radius))
    size = (2 * radius, 2 * radius)
    ring = vertical_gradient(size, metal(color)).convert("RGBA")
    ring.putalpha(rounded_mask(size, radius))
    overlay(img, ring, box)
    inner = radius - max(2, radius // 8)
    draw = pen(img)
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), fill=alpha(darken(PANEL, 0.2), 255))
    draw_line(
        draw,
        "LV",
        Face.LABEL,
        max(8, radius * 2 // 5),
        (cx, cy - radius * 0.32),
        alpha(lighten(color, 0.3), 255),
        anchor="mm",
        tracking=1,
    )
    digits = str(level)
    size_px = round(radius * (0.95 if len(digits) < 3 else 0.75))
    draw_line(draw, digits, Face.LABEL, size_px, (cx, cy + radius * 0.25), alpha(INK, 255), anchor="mm")


def _hp_colour(ratio: float) -> RGB:
    if ratio > 0.5:
        return (91, 211, 122)
    if ratio > 0.25:
        return (242, 193, 78)
    return (240, 80, 80)


def draw_bar(
    img: Image.Image, box: tuple[int, int, int, int], ratio: float, color: RGB, *, track: RGB = (8, 6, 12)
) -> None:
    """A rounded progress bar: a dark track and a glossy fill (lighter on top) for `ratio` of its width."""
    x, y, w, h = box
    draw = pen(img)
    draw.rounded_rectangle(
        (x, y, x + w, y + h), h // 2, fill=alpha(track, 230), outline=alpha(mix(track, color, 0.4), 255)
    )
    filled = round((w - 2) * max(0.0, min(1.0, ratio)))
    if filled >= 2:
        gloss = vertical_gradient(
            (filled, h - 2), ((0.0, lighten(color, 0.45)), (0.5, color), (1.0, darken(color, 0.25)))
        )
        img.paste(gloss, (x + 1, y + 1), rounded_mask((filled, h - 2), (h - 2) // 2))


def _marks_width(slots: int, glyph: int) -> int:
    step = glyph + max(2, glyph // 4)
    return slots * step - (step - glyph)


def _marks_glyph(slots: int, width: int, largest: int) -> int | None:
    """The largest diamond, up to `largest` pixels and down to 5, at which `slots` of them fit `width`."""
    return next((glyph for glyph in range(largest, 4, -1) if _marks_width(slots, glyph) <= width), None)


def _rank_text(rank: int, slots: int) -> str:
    return f"◆ {rank}/{slots}"


def ascension_width(slots: int, width: int, largest: int = ASC_GLYPH) -> int:
    """How wide `ascension_marks` draws in `width`."""
    glyph = _marks_glyph(slots, width, largest)
    if glyph is None:
        return round(sized(Face.LABEL, largest, _rank_text(slots, slots)))
    return _marks_width(slots, glyph)


def ascension_marks(
    img: Image.Image, xy: tuple[int, int], rank: int, slots: int, width: int, largest: int = ASC_GLYPH
) -> None:
    """The ascension rank from `xy` (left, middle): `slots` diamonds, the first `rank` filled, as large as fit
    `width` (up to `largest`); with too many ranks for that, '◆ 3/20'.

    Diamonds in virelite's colour (what ascending costs), never stars: stars are the rarity.
    """
    x, y = xy
    glyph = _marks_glyph(slots, width, largest)
    if glyph is None:
        draw_line(pen(img), _rank_text(rank, slots), Face.LABEL, largest, (x, y), alpha(ASCENSION, 255), anchor="lm")
        return
    filled, empty = icon("diamond", glyph, ASCENSION), icon("diamond_slot", glyph)
    step = glyph + max(2, glyph // 4)
    for i in range(slots):
        overlay(img, filled if i < rank else empty, (x + i * step, y - glyph // 2))


def _ascension(img: Image.Image, state: CardState) -> None:
    """The ascension rank on the art's top left, on a dark plate, clear of the lock's disc."""
    x0, y0 = ART_BOX[0] + 8, ART_BOX[1] + 8
    room = ART_SIZE[0] - 16 - LOCK_DISC - 8 - 2 * ASC_PAD
    width = 2 * ASC_PAD + ascension_width(state.max_rank, room)
    height = ASC_GLYPH + 2 * ASC_PAD - 2
    pen(img).rounded_rectangle(
        (x0, y0, x0 + width, y0 + height), height // 2, fill=alpha(darken(PANEL, 0.3), 215), outline=ASC_EDGE
    )
    ascension_marks(img, (x0 + ASC_PAD, y0 + height // 2), state.ascension, state.max_rank, room)


def _lock(img: Image.Image) -> None:
    """A padlock in a dark disc on the art's top right: this Esprit cannot be released, consumed or listed."""
    x0, y0 = ART_BOX[0] + ART_SIZE[0] - 8 - LOCK_DISC, ART_BOX[1] + 8
    pen(img).ellipse((x0, y0, x0 + LOCK_DISC, y0 + LOCK_DISC), fill=alpha(darken(PANEL, 0.3), 215), outline=ASC_EDGE)
    overlay(img, icon("lock", 14), (x0 + 6, y0 + 5))


def _xp_row(img: Image.Image, state: CardState, color: RGB, cap: int) -> None:
    """'LV 23/30', the XP toward the next level, and its figures ('MAX' and a full bar at the cap)."""
    draw = pen(img)
    baseline = XP_TOP + 13
    draw_line(draw, "LV", Face.LABEL, 11, (24, baseline), alpha(MUTED, 255), tracking=1)
    level = fit_line(f"{state.level}/{cap}", Face.LABEL, BAR_X - 50, 13, 9)
    draw_block(draw, level, (45, baseline - level.font.getmetrics()[0]), alpha(INK, 255))
    xp = state.xp or 0
    if state.xp_to_next is None or state.level >= cap:
        ratio, caption, fill = 1.0, "MAX", alpha(lighten(color, 0.3), 255)
    else:
        ratio = xp / state.xp_to_next if state.xp_to_next else 0.0
        caption, fill = f"{xp:,} / {state.xp_to_next:,}", alpha(INK, 255)
    draw_bar(img, (BAR_X, XP_TOP + 4, BAR_W, 9), ratio, XP_COLOUR)
    draw_line(draw, caption, Face.LABEL, 12, (CARD[0] - 24, baseline), fill, anchor="rs")


def _state(img: Image.Image, face: CardFace, state: CardState) -> None:
    color = rarity_rgb(face)
    draw = pen(img)
    _level_badge(img, color, BADGE_CENTER, BADGE_RADIUS, state.level)
    if state.max_rank:
        _ascension(img, state)
    if state.locked:
        _lock(img)
    # A card from the game data has no XP row: its HP row sits between the two rows' places.
    top = HP_TOP if state.level_cap is not None else (HP_TOP + XP_TOP) // 2
    overlay(img, icon("hp", 16), (24, top))
    ratio = state.hp / state.max_hp if state.max_hp else 0.0
    draw_line(draw, "HP", Face.LABEL, 13, (45, top + 13), alpha(MUTED, 255))
    draw_bar(img, (BAR_X, top + 3, BAR_W, 11), ratio, _hp_colour(ratio))
    draw_line(
        draw, f"{state.hp:,} / {state.max_hp:,}", Face.LABEL, 13, (CARD[0] - 24, top + 13), alpha(INK, 255), anchor="rs"
    )
    if state.level_cap is not None:
        _xp_row(img, state, color, state.level_cap)
    if state.instance_id is None:
        return
    baseline = CARD[1] - 16
    dim = alpha(mix(MUTED, color, 0.3), 255)
    draw_line(draw, f"#{state.instance_id}", Face.LABEL, 11, (28, baseline), dim)
    if state.active:
        draw_line(
            draw,
            "◆ ACTIVE",
            Face.LABEL,
            11,
            (CARD[0] / 2, baseline),
            alpha(lighten(color, 0.3), 255),
            anchor="ms",
            tracking=1,
        )
    if state.locked:
        draw_line(draw, "LOCKED", Face.LABEL, 11, (CARD[0] - 28, baseline), dim, anchor="rs")


def card_image(card: CardData, assets: Path) -> Image.Image:
    """The full RGBA card: the cached face plus this Esprit's level, HP, XP, rank and lock."""
    img = card_face(card.face, assets, art_key(card.face.art, assets)).copy()
    _state(img, card.face, card.state)
    return cut_corners(img, card_radius(1.0))


@lru_cache(maxsize=128)
def mini_face(face: CardFace, assets: Path, art_id: str) -> Image.Image:
    """A small card's RGB face: art, stars, name, rarity (cached by its art's content; copy before drawing)."""
    img = card_shell(MINI, face.rarity.color, face.rarity.rank, MINI_SCALE).copy()
    _paste_art(img, face, MINI_ART, 8, assets, art_id)
    draw = pen(img)
    art_bottom = MINI_ART[1] + MINI_ART[3]
    draw_stars(img, face, (MINI[0] / 2, art_bottom), 10, 2)
    name = fit_text(face.name, Face.TITLE, MINI[0] - 20, MINI_NAME_FIT)
    box_top, box_h = art_bottom + 12, 38
    draw_block(
        draw, name, (MINI[0] / 2, box_top + (box_h - name.height) / 2), alpha(INK, 255), align="center", shadow=SHADOW
    )
    tier = face.rarity.name.upper()
    draw_line(
        draw,
        tier,
        Face.LABEL,
        10,
        (MINI[0] / 2, MINI[1] - 28),
        alpha(lighten(rarity_rgb(face), 0.2), 255),
        anchor="ms",
        tracking=2,
    )
    kind = " ".join(part for part in (face.element, face.role) if part)
    draw_line(draw, kind, Face.LABEL, 10, (MINI[0] / 2, MINI[1] - 15), alpha(MUTED, 255), anchor="ms")
    return img


def pill(
    img: Image.Image, text: str, anchor_xy: tuple[int, int], color: RGB, *, size: int = 10, right: bool = False
) -> None:
    """A small rounded label on the art: 'Lv 12', 'PITY', 'BEST'."""
    width = round(sized(Face.LABEL, size, text, 1)) + 12
    height = size + 8
    x, y = anchor_xy
    if right:
        x -= width
    draw = pen(img)
    draw.rounded_rectangle(
        (x, y, x + width, y + height), height // 2, fill=alpha(darken(PANEL, 0.2), 225), outline=alpha(color, 255)
    )
    draw_line(
        draw,
        text,
        Face.LABEL,
        size,
        (x + width / 2, y + height / 2),
        alpha(lighten(color, 0.35), 255),
        anchor="mm",
        tracking=1,
    )


def mini_image(
    face: CardFace, assets: Path, *, level: int | None = None, badge: str | None = None, pity: bool = False
) -> Image.Image:
    """The RGBA mini card: the Esprit's level or a PITY mark on the art's left, an optional badge on its right."""
    img = mini_face(face, assets, art_key(face.art, assets)).copy()
    color = rarity_rgb(face)
    left = f"Lv {level}" if level is not None else "PITY" if pity else None
    if left is not None:
        pill(img, left, (MINI_ART[0] + 5, MINI_ART[1] + 5), color)
    if badge is not None:
        pill(img, badge, (MINI_ART[0] + MINI_ART[2] - 5, MINI_ART[1] + 5), color, right=True)
    return cut_corners(img, card_radius(MINI_SCALE))
