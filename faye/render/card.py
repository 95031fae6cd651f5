"""The Esprit card (400x560) and its mini card (176x246, for 10-pull grids and profiles).

A card is two layers. The face (frame, art, name, stars, rarity line, stats, lore) depends only on the Esprit
and is cached; the state (level, HP, XP, instance id) is drawn on a copy of it every time, which is cheap.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from faye.display import RATE_STATS
from faye.render.art import ART_SIZE, art_key, esprit_art
from faye.render.colors import INK, MUTED, PANEL, RGB, alpha, darken, hex_rgb, lighten, mix
from faye.render.data import CardData, CardFace, CardState, Stat
from faye.render.fonts import Face, attempts, draw_block, draw_line, fit_text, sized
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
STATS_TOP = 382
STAT_ROW = 22
LORE_TOP = 484

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
    _rarity_line(draw, face, CARD[0] / 2, RIBBON_Y + 36, 13)
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


def _state(img: Image.Image, face: CardFace, state: CardState) -> None:
    color = rarity_rgb(face)
    draw = pen(img)
    _level_badge(img, color, BADGE_CENTER, BADGE_RADIUS, state.level)
    top = RIBBON_Y + 50
    overlay(img, icon("hp", 16), (24, top))
    ratio = state.hp / state.max_hp if state.max_hp else 0.0
    draw_line(draw, "HP", Face.LABEL, 13, (45, top + 13), alpha(MUTED, 255))
    draw_bar(img, (70, top + 3, 210, 11), ratio, _hp_colour(ratio))
    draw_line(
        draw, f"{state.hp:,} / {state.max_hp:,}", Face.LABEL, 13, (CARD[0] - 24, top + 13), alpha(INK, 255), anchor="rs"
    )
    if state.xp is None and state.instance_id is None:
        return
    baseline = CARD[1] - 16
    dim = alpha(mix(MUTED, color, 0.3), 255)
    if state.instance_id is not None:
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
    if state.xp is not None:
        draw_line(draw, f"XP {state.xp:,}", Face.LABEL, 11, (CARD[0] - 28, baseline), dim, anchor="rs")


def card_image(card: CardData, assets: Path) -> Image.Image:
    """The full RGBA card: the cached face plus this Esprit's level, HP and XP."""
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
