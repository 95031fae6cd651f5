"""The creature layer: its form's body plan drawn into masks, then shaded in its element's colours.

The shading is the same for every form, so forms differ by outline, not by style: a dark body with its
pattern in the element's mid tone, far limbs a shade darker, a rim of light, glowing parts and eyes, and the
rune on its chest in the rarity colour.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from faye.render.colors import RGB, ElementPalette, alpha, darken, lighten, mix
from faye.render.data import ArtSpec
from faye.render.layers import Size, vertical_gradient
from faye.render.paint.dress import heart_rune
from faye.render.paint.forms import body_plan
from faye.render.paint.sketch import Anatomy, Part, Sketch, Traits
from faye.render.paint.tools import glow_of


@dataclass(frozen=True)
class Creature:
    layer: Image.Image
    """RGBA: the shaded creature, transparent around it."""
    silhouette: Image.Image
    """'L': its outline, body and limbs (what the silhouette tests compare)."""
    anatomy: Anatomy
    unit: float


def sketch(spec: ArtSpec, size: Size, rng: random.Random) -> tuple[Sketch, Anatomy]:
    """The creature's masks, drawn by its form's body plan."""
    drawing = Sketch(size, spec, Traits.of(spec), rng)
    return drawing, body_plan(spec.form, rng)(drawing)


def paint_creature(spec: ArtSpec, size: Size, pal: ElementPalette, rarity: RGB, rng: random.Random) -> Creature:
    drawing, anatomy = sketch(spec, size, rng)
    masks = drawing.masks
    front, back = masks[Part.FRONT], masks[Part.BACK]
    silhouette = ImageChops.lighter(front, back)
    img = Image.new("RGBA", size, (0, 0, 0, 0))

    def fill(mask: Image.Image, top: RGB, bottom: RGB) -> None:
        body = vertical_gradient(size, ((0.0, top), (1.0, bottom))).convert("RGBA")
        body.putalpha(mask)
        img.alpha_composite(body)

    fill(back, darken(pal.mid, 0.72), darken(pal.deep, 0.7))
    fill(front, darken(pal.mid, 0.5), darken(pal.deep, 0.45))
    _paint(
        img,
        ImageChops.multiply(masks[Part.MARKS], front),
        alpha(mix(pal.mid, pal.light, 0.25), 120 + 12 * drawing.rank),
    )

    rune = Image.new("L", size, 0)
    ImageDraw.Draw(rune).polygon(heart_rune(anatomy.heart, drawing.u, drawing.rank), fill=230)
    _paint(img, ImageChops.multiply(rune, front), alpha(lighten(rarity, 0.3), 255))

    _rim(img, silhouette, (3, 5), lighten(pal.light, 0.25))
    if drawing.rank >= 3:
        _rim(img, silhouette, (-3, -4), lighten(rarity, 0.2))

    shine = masks[Part.GLOW]
    if shine.getbbox() is not None:
        img.alpha_composite(glow_of(shine, pal.light, 12, 2.0))
        _paint(img, shine, alpha(lighten(pal.spark, 0.4), 210))

    eyes = Image.new("L", size, 0)
    pen = ImageDraw.Draw(eyes)
    for x, y in anatomy.eyes:
        r = anatomy.eye_r
        pen.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=255)
    img.alpha_composite(glow_of(eyes, pal.light, 8 + 10 * drawing.traits.magic, 2.5))
    _paint(img, eyes, alpha(lighten(pal.spark, 0.6), 255))
    return Creature(img, silhouette, anatomy, drawing.u)


def _paint(img: Image.Image, mask: Image.Image, color: tuple[int, int, int, int]) -> None:
    """Composite one colour through `mask` (scaled by the colour's alpha)."""
    layer = Image.new("RGB", img.size, color[:3])
    layer.putalpha(mask.point(lambda v: v * color[3] // 255))
    img.alpha_composite(layer)


def _rim(img: Image.Image, silhouette: Image.Image, shift: tuple[int, int], color: RGB) -> None:
    """Light catching one edge of the silhouette: the mask minus itself moved by `shift`."""
    edge = ImageChops.subtract(silhouette, ImageChops.offset(silhouette, *shift))
    layer = Image.new("RGB", img.size, color)
    layer.putalpha(edge.filter(ImageFilter.GaussianBlur(1.2)))
    img.alpha_composite(layer)
