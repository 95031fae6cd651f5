"""Scenery, one per element: flames, tides, leaves, peaks, ice, storms, rays, moonlight, gusts; and sparks.

Each painter draws onto the art's RGBA canvas with the Esprit's own seeded RNG, so the same Esprit always
stands in the same landscape.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from faye.render.colors import RGB, ElementPalette, alpha, darken, lighten, mix
from faye.render.paint.tools import Point, blurred, glow_of, new_layer


def _flames(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = new_layer(img.size)
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
    img.alpha_composite(blurred(layer, 10))
    sparks(img, pal.spark, rng, rng.randint(18, 30), (0.35, 1.0))


def _waves(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = new_layer(img.size)
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
    layer, draw = new_layer(img.size)
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
    sparks(img, pal.spark, rng, rng.randint(10, 16), (0.0, 1.0))


def _peaks(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = new_layer(img.size)
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
    img.alpha_composite(blurred(layer, 10))
    img.alpha_composite(layer)


def _ice(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = new_layer(img.size)
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
    clouds, draw = new_layer(img.size)
    for _ in range(9):
        cx, cy, r = rng.uniform(0, w), rng.uniform(-0.05, 0.18) * h, rng.uniform(0.08, 0.16) * w
        draw.ellipse((cx - r, cy - r * 0.55, cx + r, cy + r * 0.55), fill=alpha(darken(pal.mid, 0.3), 170))
    img.alpha_composite(blurred(clouds, 8))
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
    img.alpha_composite(glow_of(bolts, pal.light, 14, 2.5))
    core = Image.new("RGB", img.size, pal.spark)
    core.putalpha(bolts)
    img.alpha_composite(core)


def _rays(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = new_layer(img.size)
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
    img.alpha_composite(blurred(layer, 6))
    sparks(img, pal.spark, rng, rng.randint(10, 16), (0.0, 1.0), star=True)


def _moon(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    sparks(img, lighten(pal.light, 0.5), rng, rng.randint(30, 45), (0.0, 0.7))
    mask = Image.new("L", img.size, 0)
    draw = ImageDraw.Draw(mask)
    cx = w * (0.18 if rng.random() < 0.5 else 0.82)
    cy, r = h * 0.22, h * 0.13
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    shift = r * rng.uniform(0.35, 0.55)
    draw.ellipse((cx - r + shift, cy - r - shift * 0.4, cx + r + shift, cy + r - shift * 0.4), fill=0)
    img.alpha_composite(glow_of(mask, pal.light, 22, 1.4))
    face = Image.new("RGB", img.size, lighten(pal.spark, 0.3))
    face.putalpha(mask)
    img.alpha_composite(face)


def _gusts(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    w, h = img.size
    layer, draw = new_layer(img.size)
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


def starfield(img: Image.Image, pal: ElementPalette, rng: random.Random) -> None:
    sparks(img, pal.spark, rng, rng.randint(25, 40), (0.0, 1.0))


def sparks(
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
    img.alpha_composite(glow_of(mask, color, 8, 1.8))
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
