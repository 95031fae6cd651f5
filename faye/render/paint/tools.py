"""Drawing tools the painters share: soft glows, layers, and the curves creatures are built from.

Everything works in supersampled pixels on 'L' masks or RGBA layers; nothing here knows what an Esprit is.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter

from faye.render.colors import RGB
from faye.render.layers import Size

Point = tuple[float, float]


def blurred(layer: Image.Image, radius: float) -> Image.Image:
    """A cheap wide blur: shrink, blur, grow back. Glows need softness, not precision."""
    k = 4
    small = layer.resize((max(1, layer.width // k), max(1, layer.height // k)), Image.Resampling.BILINEAR)
    return small.filter(ImageFilter.GaussianBlur(radius / k)).resize(layer.size, Image.Resampling.BILINEAR)


def glow_of(mask: Image.Image, color: RGB, radius: float, gain: float = 1.0) -> Image.Image:
    """An RGBA glow of one colour around the shapes in an 'L' mask."""
    soft = blurred(mask, radius)
    if gain != 1.0:
        soft = soft.point(lambda v: min(255, round(v * gain)))
    layer = Image.new("RGB", mask.size, color)
    layer.putalpha(soft)
    return layer


def new_layer(size: Size) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A transparent RGBA layer and a pen on it."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    return layer, ImageDraw.Draw(layer)


def blob(cx: float, cy: float, rx: float, ry: float, rng: random.Random, wobble: float) -> list[Point]:
    """A closed shape symmetric about the vertical axis: a radius wobbling with even harmonics of the angle."""
    harmonics = [(k, rng.uniform(-wobble, wobble)) for k in (2, 3, 4)]
    pts = []
    for i in range(96):
        t = 2 * math.pi * i / 96
        r = 1 + sum(a * math.cos(k * t) for k, a in harmonics)
        pts.append((cx + rx * r * math.sin(t), cy - ry * r * math.cos(t)))
    return pts


def mirror(points: list[Point], axis: float) -> list[Point]:
    return [(2 * axis - x, y) for x, y in points]


def bezier(p0: Point, p1: Point, p2: Point, steps: int = 24) -> list[Point]:
    return [
        (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t**2 * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t**2 * p2[1],
        )
        for t in (i / steps for i in range(steps + 1))
    ]


def tapered(draw: ImageDraw.ImageDraw, path: list[Point], thick: float, thin: float) -> None:
    """A stroke along `path` narrowing from `thick` to `thin`: tails, necks, serpent bodies."""
    for i, (x, y) in enumerate(path):
        r = thick + (thin - thick) * i / max(1, len(path) - 1)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)


def spine(p0: Point, p1: Point, p2: Point) -> list[Point]:
    return bezier(p0, p1, p2, 60)


def through(points: list[Point], steps: int = 12) -> list[Point]:
    """A smooth curve through every point (Catmull-Rom), `steps` samples per segment."""
    if len(points) < 3:
        (x0, y0), (x1, y1) = points[0], points[-1]
        return [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps + 1)]
    padded = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1 : i + 3]
        for k in range(steps):
            t = k / steps
            t2, t3 = t * t, t * t * t
            out.append(
                (
                    0.5
                    * (
                        2 * p1[0]
                        + (p2[0] - p0[0]) * t
                        + (2 * p0[0] - 5 * p1[0] + 4 * p2[0] - p3[0]) * t2
                        + (3 * p1[0] - p0[0] - 3 * p2[0] + p3[0]) * t3
                    ),
                    0.5
                    * (
                        2 * p1[1]
                        + (p2[1] - p0[1]) * t
                        + (2 * p0[1] - 5 * p1[1] + 4 * p2[1] - p3[1]) * t2
                        + (3 * p1[1] - p0[1] - 3 * p2[1] + p3[1]) * t3
                    ),
                )
            )
    out.append(points[-1])
    return out


def oval(center: Point, rx: float, ry: float, angle: float = 0.0, count: int = 48) -> list[Point]:
    """An ellipse as a polygon, turned by `angle` radians (clockwise on screen)."""
    cx, cy = center
    c, s = math.cos(angle), math.sin(angle)
    pts = []
    for i in range(count):
        t = 2 * math.pi * i / count
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * c - y * s, cy + x * s + y * c))
    return pts


def polar(origin: Point, length: float, angle: float) -> Point:
    """The point `length` away from `origin` at `angle` radians (0 = right, positive = down on screen)."""
    return (origin[0] + length * math.cos(angle), origin[1] + length * math.sin(angle))


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
