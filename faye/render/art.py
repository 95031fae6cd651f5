"""Esprit art: the designer's PNG when there is one, otherwise a creature painted from the Esprit's own data.

Procedural art is seeded only by a CRC of the esprit_id (never Python's per-process `hash()`), so the same
Esprit gets the same picture in every process and on every machine. Its element picks the palette and the
scenery (flames, tides, leaves, peaks, ice, storms, rays, moonlight, gusts), its rarity colours the sigil
behind it, and its stats shape the creature: HP its size, defence its bulk, attack its horns, speed its
wings and tail, magic its glowing eyes and motes, critical rate its sparkles.

A missing or unreadable art file never breaks a card: the procedural art stands in, and a warning says why
(a missing file only warns once an art directory exists, so a fresh checkout without art stays quiet).
"""

from __future__ import annotations

import itertools
import logging
import math
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from faye.render.colors import BLACK, RGB, ElementPalette, alpha, darken, element_palette, hex_rgb, lighten, mix
from faye.render.data import ArtSpec
from faye.render.icons import star_points
from faye.render.layers import Size, radial_glow, vertical_gradient

log = logging.getLogger(__name__)

ART_SIZE: Size = (360, 236)
"""The art window of a full card; mini cards scale this art down."""
SUPERSAMPLE = 2

Point = tuple[float, float]


@dataclass(frozen=True)
class Traits:
    """Stats scaled to 0..1 against the game's usual ranges, the knobs that shape the creature."""

    hp: float
    attack: float
    defense: float
    speed: float
    magic: float
    crit: float
    dodge: float

    @classmethod
    def of(cls, spec: ArtSpec) -> Traits:
        values = {s.name: s.value for s in spec.stats}

        def scaled(name: str, top: float) -> float:
            return min(1.0, max(0.0, values.get(name, top / 3) / top))

        return cls(
            hp=scaled("hp", 500),
            attack=scaled("attack", 140),
            defense=scaled("defense", 140),
            speed=scaled("speed", 130),
            magic=scaled("magic", 140),
            crit=scaled("crit_rate", 0.3),
            dodge=scaled("dodge", 0.3),
        )


def _blurred(layer: Image.Image, radius: float) -> Image.Image:
    """A cheap wide blur: shrink, blur, grow back. Glows need softness, not precision."""
    k = 4
    small = layer.resize((max(1, layer.width // k), max(1, layer.height // k)), Image.Resampling.BILINEAR)
    return small.filter(ImageFilter.GaussianBlur(radius / k)).resize(layer.size, Image.Resampling.BILINEAR)


def _glow_of(mask: Image.Image, color: RGB, radius: float, gain: float = 1.0) -> Image.Image:
    """An RGBA glow of one colour around the shapes in an 'L' mask."""
    soft = _blurred(mask, radius)
    if gain != 1.0:
        soft = soft.point(lambda v: min(255, round(v * gain)))
    layer = Image.new("RGB", mask.size, color)
    layer.putalpha(soft)
    return layer


def _layer(size: Size) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    return layer, ImageDraw.Draw(layer)


# --- scenery, one per element ---------------------------------------------------------------------------


def _flames(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = _layer(img.size)
    for _ in range(rng.randint(7, 11)):
        x = rng.uniform(0, w)
        tall = rng.uniform(0.25, 0.6) * h
        half = rng.uniform(0.04, 0.08) * w
        lean = rng.uniform(-0.06, 0.06) * w
        pts = [
            (x - half, h),
            (x - half * 0.6, h - tall * 0.45),
            (x + lean, h - tall),
            (x + half * 0.6, h - tall * 0.45),
        ]
        draw.polygon(
            [*pts, (x + half, h)], fill=alpha(mix(pal.mid, pal.light, rng.uniform(0, 0.6)), rng.randint(50, 110))
        )
    img.alpha_composite(_blurred(layer, 10))
    _sparks(img, pal.spark, rng, rng.randint(18, 30), (0.35, 1.0))


def _waves(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = _layer(img.size)
    bands = rng.randint(3, 5)
    for k in range(bands):
        base = h * (0.62 + 0.09 * k)
        amp = h * rng.uniform(0.015, 0.04)
        freq = rng.uniform(1.5, 3.5) * 2 * math.pi / w
        phase = rng.uniform(0, 2 * math.pi)
        crest = [(x, base + amp * math.sin(freq * x + phase)) for x in range(0, w + 8, 8)]
        color = mix(pal.mid, pal.light, 0.15 + 0.5 * (k / bands))
        draw.polygon([*crest, (w, h), (0, h)], fill=alpha(color, 70 + 25 * k))
        draw.line(crest, fill=alpha(lighten(pal.light, 0.4), 120), width=3)
    for _ in range(rng.randint(8, 14)):
        x, y, r = rng.uniform(0, w), rng.uniform(0.1, 0.7) * h, rng.uniform(3, 9)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=alpha(pal.spark, 140), width=2)
    img.alpha_composite(layer)


def _leaf(draw: ImageDraw.ImageDraw, x: float, y: float, length: float, angle: float, color: tuple[int, ...]) -> None:
    pts: list[Point] = []
    for i in range(13):
        t = i / 12
        pts.append((t * length, math.sin(t * math.pi) * length * 0.28))
    pts += [(t * length, -math.sin(t * math.pi) * length * 0.28) for t in (i / 12 for i in range(12, -1, -1))]
    c, s = math.cos(angle), math.sin(angle)
    draw.polygon([(x + px * c - py * s, y + px * s + py * c) for px, py in pts], fill=color)


def _leaves(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = _layer(img.size)
    for side in (0, w):
        sway = 1 if side == 0 else -1
        pts = [
            (side + sway * (rng.uniform(0.02, 0.12) * w + 0.05 * w * math.sin(t * 5)), t * h)
            for t in np.linspace(0, 1, 30)
        ]
        draw.line(pts, fill=alpha(pal.mid, 160), width=6, joint="curve")
        for px, py in pts[3::4]:
            _leaf(
                draw,
                px,
                py,
                rng.uniform(0.05, 0.09) * w,
                rng.uniform(0, 2 * math.pi),
                alpha(mix(pal.mid, pal.light, rng.random() * 0.6), 170),
            )
    for _ in range(rng.randint(6, 10)):
        _leaf(
            draw,
            rng.uniform(0, w),
            rng.uniform(0, h),
            rng.uniform(0.03, 0.06) * w,
            rng.uniform(0, 2 * math.pi),
            alpha(pal.light, rng.randint(60, 130)),
        )
    img.alpha_composite(layer)
    _sparks(img, pal.spark, rng, rng.randint(10, 16), (0.0, 1.0))


def _peaks(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = _layer(img.size)
    for k, shade in enumerate((0.15, 0.35)):
        pts: list[Point] = [(0, h)]
        x = 0.0
        while x < w:
            pts.append((x, h * (0.55 + 0.12 * k) - rng.uniform(0, 0.22) * h))
            x += rng.uniform(0.06, 0.14) * w
        pts += [(w, h * (0.6 + 0.1 * k)), (w, h)]
        draw.polygon(pts, fill=alpha(mix(pal.mid, pal.deep, shade), 220))
    for _ in range(rng.randint(4, 7)):
        cx, cy = rng.uniform(0.05, 0.95) * w, rng.uniform(0.08, 0.5) * h
        r = rng.uniform(0.025, 0.05) * w
        crystal = [
            (cx, cy - 1.8 * r),
            (cx + r, cy - 0.6 * r),
            (cx + r * 0.8, cy + r),
            (cx - r * 0.8, cy + r),
            (cx - r, cy - 0.6 * r),
        ]
        draw.polygon(crystal, fill=alpha(pal.light, 90), outline=alpha(pal.spark, 200))
        draw.polygon(
            [(cx, cy - 1.8 * r), (cx + r, cy - 0.6 * r), (cx + r * 0.8, cy + r), (cx, cy + r)],
            fill=alpha(pal.spark, 50),
        )
    img.alpha_composite(_blurred(layer, 10))
    img.alpha_composite(layer)


def _ice(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = _layer(img.size)
    for _ in range(rng.randint(9, 14)):
        x = rng.uniform(0, w)
        tall = rng.uniform(0.15, 0.45) * h
        half = rng.uniform(0.015, 0.035) * w
        draw.polygon(
            [(x - half, h), (x + rng.uniform(-1, 1) * half, h - tall), (x + half, h)],
            fill=alpha(pal.light, rng.randint(70, 150)),
        )
    for _ in range(rng.randint(6, 10)):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0.05, 0.6) * h, rng.uniform(5, 13)
        for k in range(3):
            a = k * math.pi / 3
            draw.line(
                [(cx - r * math.cos(a), cy - r * math.sin(a)), (cx + r * math.cos(a), cy + r * math.sin(a))],
                fill=alpha(pal.spark, 190),
                width=2,
            )
    img.alpha_composite(layer)


def _storm(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    clouds, draw = _layer(img.size)
    for _ in range(9):
        cx, cy, r = rng.uniform(0, w), rng.uniform(-0.05, 0.18) * h, rng.uniform(0.08, 0.16) * w
        draw.ellipse((cx - r, cy - r * 0.55, cx + r, cy + r * 0.55), fill=alpha(darken(pal.mid, 0.3), 170))
    img.alpha_composite(_blurred(clouds, 8))
    bolts = Image.new("L", img.size, 0)
    bolt_draw = ImageDraw.Draw(bolts)
    for _ in range(rng.randint(2, 3)):
        x, y = rng.uniform(0.05, 0.95) * w, 0.08 * h
        pts: list[Point] = [(x, y)]
        while y < h * rng.uniform(0.55, 0.85):
            x += rng.uniform(-0.06, 0.06) * w
            y += rng.uniform(0.06, 0.12) * h
            pts.append((x, y))
        bolt_draw.line(pts, fill=255, width=4, joint="curve")
    img.alpha_composite(_glow_of(bolts, pal.light, 14, 2.5))
    core = Image.new("RGB", img.size, pal.spark)
    core.putalpha(bolts)
    img.alpha_composite(core)


def _rays(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = _layer(img.size)
    origin = (w * rng.uniform(0.35, 0.65), -0.1 * h)
    count = rng.randint(9, 13)
    for i in range(count):
        a = math.pi * (0.1 + 0.8 * (i + rng.uniform(0, 0.5)) / count)
        spread = rng.uniform(0.025, 0.05)
        far = 1.6 * h
        draw.polygon(
            [
                origin,
                (origin[0] + far * math.cos(a - spread), origin[1] + far * math.sin(a - spread)),
                (origin[0] + far * math.cos(a + spread), origin[1] + far * math.sin(a + spread)),
            ],
            fill=alpha(pal.spark, rng.randint(22, 48)),
        )
    img.alpha_composite(_blurred(layer, 6))
    _sparks(img, pal.spark, rng, rng.randint(10, 16), (0.0, 1.0), star=True)


def _moon(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    _sparks(img, lighten(pal.light, 0.5), rng, rng.randint(30, 45), (0.0, 0.7))
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    cx = w * (0.18 if rng.random() < 0.5 else 0.82)
    cy, r = h * 0.22, h * 0.13
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    shift = r * rng.uniform(0.35, 0.55)
    draw.ellipse((cx - r + shift, cy - r - shift * 0.4, cx + r + shift, cy + r - shift * 0.4), fill=0)
    img.alpha_composite(_glow_of(mask, pal.light, 22, 1.4))
    face = Image.new("RGB", img.size, lighten(pal.spark, 0.3))
    face.putalpha(mask)
    img.alpha_composite(face)


def _gusts(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = _layer(img.size)
    for _ in range(rng.randint(5, 8)):
        cx, cy = rng.uniform(0, w), rng.uniform(0.1, 0.9) * h
        r = rng.uniform(0.08, 0.2) * w
        start = rng.uniform(0, 360)
        draw.arc(
            (cx - r, cy - r * 0.45, cx + r, cy + r * 0.45),
            start,
            start + rng.uniform(120, 220),
            fill=alpha(pal.spark, rng.randint(70, 140)),
            width=rng.randint(2, 5),
        )
    for _ in range(rng.randint(4, 7)):
        _leaf(
            draw,
            rng.uniform(0, w),
            rng.uniform(0, h),
            rng.uniform(0.02, 0.04) * w,
            rng.uniform(0, 6.3),
            alpha(pal.light, 150),
        )
    img.alpha_composite(layer)


def _starfield(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    _sparks(img, pal.spark, rng, rng.randint(25, 40), (0.0, 1.0))


def _sparks(
    img: Image.Image, color: RGB, rng: random.Random, count: int, band: tuple[float, float], *, star: bool = False
) -> None:
    """Glowing motes (or four-point stars) scattered over a vertical band of the image."""
    w, h = img.size
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(count):
        x, y = rng.uniform(0, w), rng.uniform(band[0], band[1]) * h
        r = rng.uniform(1.2, 3.4) * (2.2 if star else 1)
        if star:
            draw.polygon([(x, y - r), (x + r * 0.25, y), (x, y + r), (x - r * 0.25, y)], fill=rng.randint(150, 255))
            draw.polygon(
                [(x - r * 0.7, y), (x, y - r * 0.18), (x + r * 0.7, y), (x, y + r * 0.18)], fill=rng.randint(150, 255)
            )
        else:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(120, 255))
    img.alpha_composite(_glow_of(mask, color, 8, 1.8))
    dots = Image.new("RGB", img.size, lighten(color, 0.5))
    dots.putalpha(mask)
    img.alpha_composite(dots)


SCENERY: dict[str, Callable[[Image.Image, ElementPalette, random.Random], None]] = {
    "Flame": _flames,
    "Tide": _waves,
    "Verdant": _leaves,
    "Stone": _peaks,
    "Frost": _ice,
    "Volt": _storm,
    "Lumen": _rays,
    "Umbra": _moon,
    "Gale": _gusts,
}


# --- the sigil and the creature -------------------------------------------------------------------------


def _sigil(img: Image.Image, center: Point, radius: float, color: RGB, rank: int, rng: random.Random) -> None:
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
    img.alpha_composite(_glow_of(mask, color, 12, 1.3))
    lines = Image.new("RGB", img.size, lighten(color, 0.35))
    lines.putalpha(mask.point(lambda v: v * 2 // 3))
    img.alpha_composite(lines)


def _blob(cx: float, cy: float, rx: float, ry: float, rng: random.Random, wobble: float) -> list[Point]:
    """A closed shape symmetric about the vertical axis: a radius wobbling with even harmonics of the angle."""
    harmonics = [(k, rng.uniform(-wobble, wobble)) for k in (2, 3, 4)]
    pts = []
    for i in range(96):
        t = 2 * math.pi * i / 96
        r = 1 + sum(a * math.cos(k * t) for k, a in harmonics)
        pts.append((cx + rx * r * math.sin(t), cy - ry * r * math.cos(t)))
    return pts


def _mirror(points: list[Point], axis: float) -> list[Point]:
    return [(2 * axis - x, y) for x, y in points]


def _bezier(p0: Point, p1: Point, p2: Point, steps: int = 24) -> list[Point]:
    return [
        (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t**2 * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t**2 * p2[1],
        )
        for t in (i / steps for i in range(steps + 1))
    ]


def _tapered(draw: ImageDraw.ImageDraw, path: list[Point], thick: float, thin: float) -> None:
    """A stroke along `path` narrowing from `thick` to `thin`: tails, necks, serpent bodies."""
    for i, (x, y) in enumerate(path):
        r = thick + (thin - thick) * i / max(1, len(path) - 1)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)


def _spine(p0: Point, p1: Point, p2: Point) -> list[Point]:
    return _bezier(p0, p1, p2, 60)


@dataclass(frozen=True)
class Anatomy:
    """Where the drawn creature's head and heart are, for its eyes, chest rune and the sigil behind it."""

    head: Point
    head_r: float
    heart: Point
    size: float


class Sketch:
    """The creature's silhouette under construction, symmetric about `cx`, standing on `ground`."""

    def __init__(self, size: Size, traits: Traits, rng: random.Random) -> None:
        self.mask = Image.new("L", size, 0)
        self.draw = ImageDraw.Draw(self.mask)
        self.w, self.h = size
        self.traits = traits
        self.rng = rng
        self.cx = self.w / 2 + rng.uniform(-0.03, 0.03) * self.w
        self.ground = self.h * 0.93
        self.size = self.h * (0.17 + 0.09 * traits.hp)

    def both(self, points: list[Point]) -> None:
        self.draw.polygon(points, fill=255)
        self.draw.polygon(_mirror(points, self.cx), fill=255)

    def blob(self, cy: float, rx: float, ry: float, wobble: float = 0.08) -> None:
        self.draw.polygon(_blob(self.cx, cy, rx, ry, self.rng, wobble), fill=255)

    def horns(self, head_y: float, head_r: float) -> None:
        """Horns or ears: more and longer with attack; straight, curved or tufted by seed."""
        rng, attack = self.rng, self.traits.attack
        style = rng.choice(("ears", "curved", "straight"))
        count = 1 + round(attack * 1.6 + rng.uniform(0, 0.6))
        for i in range(count):
            a = math.radians(28 + 24 * i + rng.uniform(-6, 6))
            base = (self.cx + head_r * 0.82 * math.sin(a), head_y - head_r * 0.82 * math.cos(a))
            length = head_r * (0.6 + 1.0 * attack) * (1 - 0.25 * i)
            lean = a + (0.5 if style == "curved" else 0.15)
            tip = (base[0] + length * math.sin(lean), base[1] - length * math.cos(lean))
            half = head_r * (0.34 if style == "ears" else 0.16) * (1 - 0.2 * i)
            if style == "curved":
                edge = _bezier((base[0] - half, base[1]), (base[0] - half * 0.5, tip[1] + length * 0.2), tip, 16)
                edge += _bezier(
                    tip, (base[0] + half * 1.6, tip[1] + length * 0.45), (base[0] + half, base[1] + half), 16
                )
            else:
                edge = [(base[0] - half, base[1] + half * 0.4), tip, (base[0] + half, base[1] + half)]
            self.both(edge)

    def feather_wings(self, root: Point, span: float, lift: float) -> None:
        """Long feathers fanned outward from the shoulder, upper ones longest; `lift` raises the fan."""
        feathers = self.rng.randint(5, 7)
        for i in range(feathers):
            angle = -0.75 - lift + 1.25 * i / (feathers - 1)  # radians below the horizontal, outward
            length = span * (1.0 - 0.1 * i)
            width = length * 0.13
            outline = [(t * length, math.sin(t * math.pi) ** 0.6 * width) for t in (k / 16 for k in range(17))]
            outline += [
                (t * length, -(math.sin(t * math.pi) ** 0.6) * width * 0.5) for t in (k / 16 for k in range(16, -1, -1))
            ]
            c, si = math.cos(angle), math.sin(angle)
            self.both([(root[0] + x * c - y * si, root[1] + x * si + y * c) for x, y in outline])

    def bat_wings(self, root: Point, span: float) -> None:
        """A membrane stretched between finger bones, its trailing edge scalloped between the fingertips."""
        wrist = (root[0] + span * 0.45, root[1] - span * 0.55)
        fingers = self.rng.randint(3, 4)
        tips = [(wrist[0] + span * (0.6 - 0.12 * k), wrist[1] + span * (-0.05 + 0.35 * k)) for k in range(fingers)] + [
            (root[0] + span * 0.1, root[1] + span * 0.35)
        ]
        edge: list[Point] = [root, wrist, tips[0]]
        for a, b in itertools.pairwise(tips):
            mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            inward = (mid[0] + (wrist[0] - mid[0]) * 0.35, mid[1] + (wrist[1] - mid[1]) * 0.35)
            edge += _bezier(a, inward, b, 12)[1:]
        self.both(edge)
        for tip in tips[:-1]:
            bone = [wrist, tip]
            self.draw.line(bone, fill=255, width=5)
            self.draw.line(_mirror(bone, self.cx), fill=255, width=5)

    def legs(self, top: float, spread: float, count: int, thick: float) -> None:
        for i in range(count // 2):
            offset = spread * (1 - 0.45 * i)
            for side in (-1, 1):
                x = self.cx + side * offset
                self.draw.rounded_rectangle((x - thick / 2, top, x + thick / 2, self.ground), thick / 2, fill=255)
                self.draw.ellipse(
                    (x - thick * 0.8, self.ground - thick * 0.5, x + thick * 0.8, self.ground + thick * 0.3), fill=255
                )

    def tail(self, start: Point, length: float, thick: float) -> None:
        side = 1 if self.rng.random() < 0.5 else -1
        tip = (start[0] + side * length, start[1] - length * self.rng.uniform(0.5, 1.1))
        bend = (start[0] + side * length * 1.05, start[1] + thick * 2)
        _tapered(self.draw, _spine(start, bend, tip), thick, 2)
        if self.rng.random() < 0.5:  # a tuft or a flame at the end
            self.draw.polygon(_blob(tip[0], tip[1], thick * 1.2, thick * 1.8, self.rng, 0.1), fill=255)


def _critter(s: Sketch) -> Anatomy:
    """Four-legged or two-legged beast: fox, hare, mole, cat."""
    t, rng = s.traits, s.rng
    rx, ry = s.size * (0.75 + 0.45 * t.defense), s.size * rng.uniform(0.75, 0.9)
    body_y = s.ground - ry - s.h * 0.07
    head_r = s.size * rng.uniform(0.55, 0.68)
    head_y = body_y - ry * 0.8 - head_r * 0.5
    s.tail((s.cx + rx * 0.7, body_y + ry * 0.3), s.size * (0.9 + 1.1 * t.speed), s.size * 0.2)
    s.legs(body_y, rx * 0.55, rng.choice((2, 4)), s.size * 0.22)
    s.blob(body_y, rx, ry)
    s.horns(head_y, head_r)
    s.blob(head_y, head_r, head_r * 0.9, 0.06)
    return Anatomy((s.cx, head_y), head_r, (s.cx, body_y), s.size)


def _bird(s: Sketch) -> Anatomy:
    """Hawk, owl, roc, griffin: great feathered wings, a fanned tail and a beak."""
    t, rng = s.traits, s.rng
    rx, ry = s.size * 0.62, s.size * 0.85
    body_y = s.ground - ry - s.h * 0.1
    head_r = s.size * rng.uniform(0.45, 0.55)
    head_y = body_y - ry * 0.9 - head_r * 0.35
    s.feather_wings((s.cx + rx * 0.4, body_y - ry * 0.45), s.w * (0.2 + 0.1 * t.speed), rng.uniform(-0.1, 0.25))
    for k in range(5):
        a = math.radians(-30 + 15 * k)
        length = s.size * (0.9 + 0.3 * t.speed)
        tip = (s.cx + length * math.sin(a), body_y + ry * 0.6 + length * math.cos(a))
        s.draw.polygon(
            _blob((s.cx + tip[0]) / 2, (body_y + ry * 0.6 + tip[1]) / 2, s.size * 0.12, length / 2, rng, 0.02), fill=255
        )
    s.legs(body_y + ry * 0.5, rx * 0.35, 2, s.size * 0.1)
    s.blob(body_y, rx, ry)
    if rng.random() < 0.6:
        s.horns(head_y, head_r * 0.8)
    s.blob(head_y, head_r, head_r, 0.05)
    beak = [
        (s.cx - head_r * 0.2, head_y + head_r * 0.35),
        (s.cx, head_y + head_r * 0.95),
        (s.cx + head_r * 0.2, head_y + head_r * 0.35),
    ]
    s.draw.polygon(beak, fill=255)
    return Anatomy((s.cx, head_y - head_r * 0.1), head_r, (s.cx, body_y), s.size)


def _golem(s: Sketch) -> Anatomy:
    """Tortoise, colossus, treant: a broad domed back, heavy arms, crystals on the shoulders, a low head."""
    t, rng = s.traits, s.rng
    rx, ry = s.size * (1.0 + 0.4 * t.defense), s.size * 0.85
    body_y = s.ground - ry - s.size * 0.35
    for side in (-1, 1):
        arm = _spine(
            (s.cx + side * rx * 0.75, body_y - ry * 0.3),
            (s.cx + side * rx * 1.25, body_y),
            (s.cx + side * rx * 1.05, s.ground - s.size * 0.1),
        )
        _tapered(s.draw, arm, s.size * 0.26, s.size * 0.2)
    s.legs(body_y, rx * 0.45, 2, s.size * 0.38)
    for k in range(rng.randint(2, 4)):
        a = math.radians(20 + 22 * k + rng.uniform(-5, 5))
        base = (s.cx + rx * 0.85 * math.sin(a), body_y - ry * 0.85 * math.cos(a))
        tall = s.size * rng.uniform(0.3, 0.55) * (0.6 + t.attack)
        tip = (base[0] + tall * math.sin(a * 0.7), base[1] - tall * math.cos(a * 0.7))
        s.both([(base[0] - s.size * 0.1, base[1] + 6), tip, (base[0] + s.size * 0.1, base[1] + 8)])
    s.blob(body_y, rx, ry, 0.05)
    head_r = s.size * rng.uniform(0.42, 0.52)
    head_y = body_y - ry * 0.55
    s.blob(head_y, head_r * 1.1, head_r * 0.85, 0.04)
    return Anatomy((s.cx, head_y), head_r, (s.cx, body_y + ry * 0.15), s.size)


def _wisp(s: Sketch) -> Anatomy:
    """Sprite, sylph, seraph, siren: a floating teardrop trailing into a flowing tail, arms like ribbons."""
    t, rng = s.traits, s.rng
    head_r = s.size * rng.uniform(0.6, 0.72)
    head_y = s.ground - s.size * 2.45
    flow = []
    for i in range(41):
        k = i / 40
        x = s.cx + math.sin(k * math.pi * rng.uniform(1.2, 2.0)) * s.size * 0.35 * k
        flow.append((x, head_y + head_r * 0.6 + k * s.size * 1.9))
    _tapered(s.draw, flow, s.size * 0.62, 3)
    for side in (-1, 1):
        arm = _bezier(
            (s.cx + side * s.size * 0.4, head_y + head_r * 1.0),
            (s.cx + side * s.size * 1.2, head_y + head_r * 0.5),
            (s.cx + side * s.size * (1.0 + 0.6 * t.magic), head_y - head_r * rng.uniform(0.2, 0.9)),
            30,
        )
        _tapered(s.draw, arm, s.size * 0.16, 2)
    if t.speed + t.dodge > 0.7:
        s.feather_wings(
            (s.cx + s.size * 0.3, head_y + head_r * 0.9), s.w * (0.16 + 0.08 * t.speed), rng.uniform(0.0, 0.3)
        )
    s.blob(head_y, head_r, head_r * 1.05, 0.04)
    if rng.random() < 0.5:
        s.horns(head_y, head_r * 0.8)
    return Anatomy((s.cx, head_y), head_r, (s.cx, head_y + head_r * 1.4), s.size)


def _serpent(s: Sketch) -> Anatomy:
    """Eel, serpent, wyrm, drake: a coiled body rising in an S to a crested head."""
    t, rng = s.traits, s.rng
    head_r = s.size * rng.uniform(0.5, 0.6)
    head_y = s.ground - s.size * 2.5
    s.draw.ellipse(
        (s.cx - s.size * 1.3, s.ground - s.size * 0.55, s.cx + s.size * 1.3, s.ground + s.size * 0.05), fill=255
    )
    sway = s.size * rng.uniform(0.5, 0.9) * (1 if rng.random() < 0.5 else -1)
    lower = _spine(
        (s.cx + s.size * 1.0, s.ground - s.size * 0.3),
        (s.cx - sway * 1.6, s.ground - s.size * 1.1),
        (s.cx, head_y + head_r * 0.8),
    )
    _tapered(s.draw, lower, s.size * 0.5, s.size * 0.3)
    for k in range(2, len(lower) - 4, 7):
        x, y = lower[k]
        fin = s.size * (0.25 + 0.3 * t.attack)
        s.draw.polygon([(x - 6, y), (x + sway * 0.15, y - fin), (x + 10, y + 2)], fill=255)
    if t.speed + t.dodge > 0.9 or rng.random() < 0.3:
        s.bat_wings((s.cx + s.size * 0.25, head_y + head_r * 2.2), s.w * (0.18 + 0.1 * t.speed))
    s.horns(head_y, head_r)
    s.blob(head_y, head_r * 1.05, head_r * 0.85, 0.05)
    return Anatomy((s.cx, head_y), head_r, lower[len(lower) // 2], s.size)


def _moth(s: Sketch) -> Anatomy:
    """Moth, beetle, mantis, spider: two pairs of patterned wings (or legs), antennae, a small body."""
    t, rng = s.traits, s.rng
    body_y = s.ground - s.size * 1.35
    head_r = s.size * 0.42
    head_y = body_y - s.size * 0.85
    for angle, scale in ((-0.55, 1.0), (0.55, 0.72)):
        wing = Image.new("L", s.mask.size, 0)
        wd = ImageDraw.Draw(wing)
        length = s.size * (1.45 + 0.5 * t.speed) * scale
        cx = s.cx + math.cos(angle) * length * 0.62
        cy = body_y + math.sin(angle) * length * 0.62
        wd.polygon(_blob(cx, cy, length * 0.55, length * 0.42, rng, 0.12), fill=255)
        spot = length * 0.14
        wd.ellipse((cx - spot, cy - spot, cx + spot, cy + spot), fill=0)
        s.mask.paste(255, (0, 0), wing)
        # The mirror image about the creature's axis: flipped about the image centre, then shifted onto `cx`.
        s.mask.paste(
            255,
            (0, 0),
            ImageOps.mirror(wing).transform(wing.size, Image.Transform.AFFINE, (1, 0, s.w - 2 * s.cx, 0, 1, 0)),
        )
    s.blob(body_y, s.size * 0.34, s.size * 0.85, 0.05)
    s.blob(head_y, head_r, head_r * 0.9, 0.04)
    for side in (-1, 1):
        antenna = _bezier(
            (s.cx + side * head_r * 0.3, head_y - head_r * 0.7),
            (s.cx + side * head_r * 0.6, head_y - head_r * 2.2),
            (s.cx + side * head_r * 1.8, head_y - head_r * 2.3),
            24,
        )
        _tapered(s.draw, antenna, 4, 2.5)
    return Anatomy((s.cx, head_y), head_r, (s.cx, body_y), s.size)


BODY_PLANS: dict[str, Callable[[Sketch], Anatomy]] = {
    "critter": _critter,
    "bird": _bird,
    "golem": _golem,
    "wisp": _wisp,
    "serpent": _serpent,
    "moth": _moth,
}


def _body_plan(traits: Traits, rng: random.Random) -> Callable[[Sketch], Anatomy]:
    """Stats lean the choice (defence to golems, speed to birds, magic to wisps), the seed decides it."""
    weights = {
        "critter": 0.9,
        "bird": 0.2 + 1.6 * traits.speed,
        "golem": 0.1 + 2.2 * traits.defense,
        "wisp": 0.1 + 1.8 * traits.magic,
        "serpent": 0.2 + 1.2 * traits.hp,
        "moth": 0.2 + 1.4 * traits.dodge,
    }
    name = rng.choices(list(weights), weights=list(weights.values()))[0]
    log.debug("body plan %s", name)
    return BODY_PLANS[name]


def _creature(img: Image.Image, pal: ElementPalette, rarity: RGB, traits: Traits, rng: random.Random) -> Point:
    """Draw the creature's silhouette, rim light, markings and eyes; return its heart (for the sigil)."""
    sketch = Sketch(img.size, traits, rng)
    anatomy = _body_plan(traits, rng)(sketch)
    mask = sketch.mask

    img.alpha_composite(_glow_of(mask, mix(pal.light, rarity, 0.35), 26, 1.6))
    body = vertical_gradient(img.size, ((0.0, darken(pal.mid, 0.55)), (1.0, darken(pal.deep, 0.5)))).convert("RGBA")
    body.putalpha(mask)
    img.alpha_composite(body)

    marks, mark_draw = _layer(img.size)
    hx, hy = anatomy.heart
    size = anatomy.size
    for i in range(rng.randint(2, 4)):
        y = hy - size * 0.3 + i * size * 0.25
        stripe = _bezier(
            (sketch.cx - size * 0.9, y - size * 0.1),
            (sketch.cx - size * rng.uniform(0.2, 0.45), y + size * 0.12),
            (sketch.cx - size * 0.22, y),
            10,
        )
        for line in (stripe, _mirror(stripe, sketch.cx)):
            mark_draw.line(line, fill=alpha(pal.mid, 150), width=max(3, round(size * 0.05)), joint="curve")
    mark_draw.polygon(star_points(hx, hy, size * 0.16, 4), fill=alpha(lighten(rarity, 0.3), 230))
    marks.putalpha(ImageChops.multiply(marks.getchannel("A"), mask))
    img.alpha_composite(marks)

    rim = ImageChops.subtract(mask, ImageChops.offset(mask, 3, 5))
    rim_layer = Image.new("RGB", img.size, lighten(pal.light, 0.25))
    rim_layer.putalpha(rim.filter(ImageFilter.GaussianBlur(1.2)))
    img.alpha_composite(rim_layer)

    eyes = Image.new("L", img.size, 0)
    eye_draw = ImageDraw.Draw(eyes)
    (ex0, ey), head_r = anatomy.head, anatomy.head_r
    ew, eh = head_r * (0.2 + 0.08 * traits.magic), head_r * rng.uniform(0.1, 0.17)
    ey += head_r * 0.08
    for side in (-1, 1):
        ex = ex0 + side * head_r * 0.4
        eye_draw.ellipse((ex - ew, ey - eh, ex + ew, ey + eh), fill=255)
    if traits.magic > 0.6:
        eye_draw.polygon(star_points(ex0, ey - head_r * 0.5, head_r * 0.16, 4), fill=255)
    img.alpha_composite(_glow_of(eyes, pal.light, 10 + 14 * traits.magic, 2.5))
    lit = Image.new("RGB", img.size, lighten(pal.spark, 0.6))
    lit.putalpha(eyes)
    img.alpha_composite(lit)
    return anatomy.heart


def _vignette(img: Image.Image) -> Image.Image:
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = arr.shape[:2]
    ys, xs = np.ogrid[0:h, 0:w]
    d = ((xs - w / 2) / (w / 2)) ** 2 + ((ys - h * 0.45) / (h * 0.6)) ** 2
    shade = np.clip(1.0 - 0.35 * d, 0.45, 1.0)[..., None]
    return Image.fromarray((arr * shade).astype(np.uint8), "RGB")


def procedural_art(spec: ArtSpec, size: Size = ART_SIZE) -> Image.Image:
    """The Esprit's own painting, RGB, the same bytes for the same Esprit everywhere."""
    rng = random.Random(zlib.crc32(spec.esprit_id.encode("utf-8")))
    pal = element_palette(spec.element)
    rarity = hex_rgb(spec.rarity.color)
    traits = Traits.of(spec)
    big = (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)
    w, h = big
    sky = vertical_gradient(big, ((0.0, pal.deep), (0.55, mix(pal.deep, pal.mid, 0.75)), (1.0, darken(pal.mid, 0.35))))
    img = sky.convert("RGBA")
    center = (w * rng.uniform(0.4, 0.6), h * 0.5)
    img.alpha_composite(radial_glow(big, center, h * 0.9, mix(pal.light, rarity, 0.3), 0.45))
    SCENERY.get(spec.element, _starfield)(img, pal, rng)
    heart_rng = random.Random(rng.random())
    creature_layer = Image.new("RGBA", big, (0, 0, 0, 0))
    heart = _creature(creature_layer, pal, rarity, traits, heart_rng)
    _sigil(img, (heart[0], heart[1] - h * 0.08), h * 0.44, rarity, spec.rarity.rank, rng)
    img.alpha_composite(radial_glow(big, heart, h * 0.45, lighten(pal.light, 0.3), 0.35))
    img.alpha_composite(creature_layer)
    _sparks(img, pal.spark, rng, 4 + round(traits.magic * 16), (0.05, 0.85))
    if traits.crit > 0.3:
        _sparks(img, lighten(rarity, 0.4), rng, round(traits.crit * 8), (0.05, 0.7), star=True)
    mist = Image.new("RGB", big, BLACK)
    mist.putalpha(Image.linear_gradient("L").resize(big).point(lambda v: max(0, v - 150) * 2))
    img.alpha_composite(mist)
    return _vignette(img).resize(size, Image.Resampling.LANCZOS)


# --- art files, with the procedural fallback -------------------------------------------------------------


@lru_cache(maxsize=128)
def _art(spec: ArtSpec, size: Size, path: Path, stamp: tuple[int, int] | None, dir_exists: bool) -> Image.Image:
    if size != ART_SIZE:
        return ImageOps.fit(_art(spec, ART_SIZE, path, stamp, dir_exists), size, Image.Resampling.LANCZOS)
    if stamp is None:
        if dir_exists:
            log.warning("no art file %s for Esprit %r; drawing procedural art", path, spec.esprit_id)
        return procedural_art(spec, size)
    try:
        with Image.open(path) as opened:
            opened.load()
            return ImageOps.fit(opened.convert("RGB"), size, Image.Resampling.LANCZOS)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        log.warning("art file %s for Esprit %r is unreadable (%s); drawing procedural art", path, spec.esprit_id, exc)
        return procedural_art(spec, size)


def esprit_art(spec: ArtSpec, size: Size, assets_dir: Path) -> Image.Image:
    """The Esprit's art at `size` (RGB, cached; never draw on it): its file if readable, else procedural.

    The file's modification time and size are part of the cache key, so replaced art shows up without a
    restart. Smaller sizes are scaled from the full-size art, so a mini card matches its big card.
    """
    path = assets_dir / f"{spec.esprit_id}.png"
    try:
        info = path.stat()
        stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    return _art(spec, size, path, stamp, assets_dir.is_dir())
