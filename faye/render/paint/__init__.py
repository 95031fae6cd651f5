"""Procedural art: an Esprit painted from its own data, the same picture in every process and on every machine.

Seeded only by a CRC of the esprit_id (never Python's per-process `hash()`). Its element picks the palette and
the scenery (flames, tides, leaves, peaks, ice, storms, rays, moonlight, gusts); its form picks the body plan
(a fox, a heron, a tortoise …, see `forms`), whose proportions its stats and seed vary; its rarity colours
the sigil behind it and adds ornament (see `dress`).
"""

from __future__ import annotations

import random
import zlib

import numpy as np
from PIL import Image

from faye.render.colors import BLACK, ElementPalette, darken, element_palette, hex_rgb, lighten, mix
from faye.render.data import ArtSpec
from faye.render.layers import Size, radial_glow, vertical_gradient
from faye.render.paint.creature import Creature, paint_creature
from faye.render.paint.dress import aura, ornaments, sigil
from faye.render.paint.scenery import SCENERY, sparks, starfield
from faye.render.paint.sketch import Traits

ART_SIZE: Size = (360, 236)
"""The art window of a full card; mini cards scale this art down."""
SUPERSAMPLE = 2


def _seed(spec: ArtSpec, salt: str = "") -> random.Random:
    return random.Random(zlib.crc32(f"{salt}{spec.esprit_id}".encode()))


def _supersampled(size: Size) -> Size:
    return (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)


def _scene(spec: ArtSpec, big: Size, pal: ElementPalette, rng: random.Random) -> Image.Image:
    """The sky and the element's scenery, RGBA."""
    w, h = big
    rarity = hex_rgb(spec.rarity.color)
    sky = vertical_gradient(big, ((0.0, pal.deep), (0.55, mix(pal.deep, pal.mid, 0.75)), (1.0, darken(pal.mid, 0.35))))
    img = sky.convert("RGBA")
    img.alpha_composite(
        radial_glow(big, (w * rng.uniform(0.4, 0.6), h * 0.5), h * 0.9, mix(pal.light, rarity, 0.3), 0.45)
    )
    SCENERY.get(spec.element, starfield)(img, pal, rng)
    return img


def _finish(img: Image.Image, size: Size) -> Image.Image:
    """Mist at the foot and a vignette, then down to `size` (RGB)."""
    big = img.size
    mist = Image.new("RGB", big, BLACK)
    mist.putalpha(Image.linear_gradient("L").resize(big).point(lambda v: max(0, v - 150) * 2))
    img.alpha_composite(mist)
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = arr.shape[:2]
    ys, xs = np.ogrid[0:h, 0:w]
    d = ((xs - w / 2) / (w / 2)) ** 2 + ((ys - h * 0.45) / (h * 0.6)) ** 2
    shade = np.clip(1.0 - 0.35 * d, 0.45, 1.0)[..., None]
    return Image.fromarray((arr * shade).astype(np.uint8), "RGB").resize(size, Image.Resampling.LANCZOS)


def creature(spec: ArtSpec, size: Size = ART_SIZE) -> Creature:
    """The Esprit's creature alone, supersampled, exactly as `procedural_art` paints it (its own seed, so the
    scenery never changes it)."""
    pal = element_palette(spec.element)
    return paint_creature(spec, _supersampled(size), pal, hex_rgb(spec.rarity.color), _seed(spec, "creature:"))


def procedural_art(spec: ArtSpec, size: Size = ART_SIZE) -> Image.Image:
    """The Esprit's own painting, RGB, the same bytes for the same Esprit everywhere."""
    rng = _seed(spec)
    pal = element_palette(spec.element)
    rarity = hex_rgb(spec.rarity.color)
    traits = Traits.of(spec)
    big = _supersampled(size)
    h = big[1]
    img = _scene(spec, big, pal, rng)
    beast = creature(spec, size)
    heart = beast.anatomy.heart
    sigil(img, (big[0] / 2, heart[1] - h * 0.08), h * 0.44, rarity, spec.rarity.rank, rng)
    img.alpha_composite(radial_glow(big, heart, h * 0.45, lighten(pal.light, 0.3), 0.35))
    img.alpha_composite(aura(beast.silhouette, mix(pal.light, rarity, 0.35), spec.rarity.rank))
    img.alpha_composite(beast.layer)
    ornaments(img, beast.anatomy, lighten(rarity, 0.2), spec.rarity.rank, beast.unit, rng)
    sparks(img, pal.spark, rng, 4 + round(traits.magic * 16), (0.05, 0.85))
    if traits.crit > 0.3:
        sparks(img, lighten(rarity, 0.4), rng, round(traits.crit * 8), (0.05, 0.7), star=True)
    return _finish(img, size)


def backdrop(spec: ArtSpec, size: Size = ART_SIZE) -> Image.Image:
    """The scene without the creature (RGBA, supersampled): what shows through a designer's transparent art."""
    rng = _seed(spec)
    pal = element_palette(spec.element)
    big = _supersampled(size)
    img = _scene(spec, big, pal, rng)
    sigil(img, (big[0] / 2, big[1] * 0.42), big[1] * 0.44, hex_rgb(spec.rarity.color), spec.rarity.rank, rng)
    return img


def with_backdrop(spec: ArtSpec, art: Image.Image, size: Size = ART_SIZE) -> Image.Image:
    """A designer's RGBA art over its Esprit's scene, finished like procedural art (RGB at `size`)."""
    img = backdrop(spec, size)
    img.alpha_composite(art.resize(img.size, Image.Resampling.LANCZOS))
    return _finish(img, size)
