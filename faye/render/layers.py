"""Static layers: gradients, glows, rounded masks and the card shell, each drawn once and cached.

These are the expensive parts of an image (blurs, per-pixel gradients, supersampled edges) and they depend
only on sizes and colours, so they are memoised on those plain values. Cached images are shared between
threads and must never be drawn on: callers paste them, or `.copy()` first.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from faye.render.colors import PANEL, RGB, alpha, darken, hex_rgb, lighten, mix

Size = tuple[int, int]
Stops = tuple[tuple[float, RGB], ...]


@lru_cache(maxsize=64)
def rounded_mask(size: Size, radius: int) -> Image.Image:
    """An 'L' mask of a rounded rectangle with smooth (supersampled) corners."""
    k = 4
    big = Image.new("L", (size[0] * k, size[1] * k), 0)
    ImageDraw.Draw(big).rounded_rectangle((0, 0, size[0] * k - 1, size[1] * k - 1), radius * k, fill=255)
    return big.resize(size, Image.Resampling.LANCZOS)


@lru_cache(maxsize=64)
def vertical_gradient(size: Size, stops: Stops) -> Image.Image:
    """RGB, blending through `stops` ((position 0..1, colour), ...) from top to bottom."""
    width, height = size
    t = np.linspace(0.0, 1.0, height)
    where = [p for p, _ in stops]
    channels = [np.interp(t, where, [c[i] for _, c in stops]) for i in range(3)]
    column = np.stack(channels, axis=-1).round().astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(np.broadcast_to(column[:, None, :], (height, width, 3))), "RGB")


def radial_alpha(size: Size, center: tuple[float, float], radius: float, strength: float) -> np.ndarray:
    """Alpha 0..255 falling off smoothly (quadratically) from `center` to `radius`."""
    width, height = size
    ys, xs = np.ogrid[0:height, 0:width]
    d = np.sqrt((xs - center[0]) ** 2 + (ys - center[1]) ** 2) / radius
    falloff = np.clip(1.0 - d, 0.0, 1.0) ** 2
    result: np.ndarray = (falloff * 255 * strength).astype(np.uint8)
    return result


@lru_cache(maxsize=64)
def radial_glow(size: Size, center: tuple[float, float], radius: float, color: RGB, strength: float) -> Image.Image:
    """RGBA light of one colour, brightest at `center`."""
    layer = Image.new("RGB", size, color)
    layer.putalpha(Image.fromarray(radial_alpha(size, center, radius, strength), "L"))
    return layer


@lru_cache(maxsize=64)
def halo(size: Size, radius: int, color: RGB, spread: int, gain: float = 1.0) -> Image.Image:
    """The glow around a rounded box of `size`, `spread` larger on every side; `gain` > 1 makes it burn hotter."""
    full = (size[0] + 2 * spread, size[1] + 2 * spread)
    mask = Image.new("L", full, 0)
    ImageDraw.Draw(mask).rounded_rectangle((spread, spread, spread + size[0], spread + size[1]), radius, fill=255)
    soft = mask.filter(ImageFilter.GaussianBlur(spread / 2.2)).point(lambda v: min(255, round(v * gain)))
    layer = Image.new("RGB", full, color)
    layer.putalpha(soft)
    return layer


def metal(color: RGB) -> Stops:
    """A bevelled-metal ramp of the rarity colour: bright top, true colour in the middle, shadowed bottom."""
    return ((0.0, lighten(color, 0.55)), (0.5, color), (1.0, darken(color, 0.4)))


@lru_cache(maxsize=32)
def card_shell(size: Size, color_hex: str, rank: int, scale: float) -> Image.Image:
    """The card's body: dark panel lit from the top in the rarity colour, a metal frame, inner glow, ornaments.

    RGB: every card is drawn opaque (so translucent ink blends) and gets its rounded corners at the end, from
    `cut_corners`. `scale` is 1 for a full card and smaller for mini cards; higher
    ranks earn more ornament (corner studs from rank 2, a double frame from rank 4).
    """
    color = hex_rgb(color_hex)
    width, height = size
    radius = card_radius(scale)
    border = max(2, round(6 * scale))
    shell = vertical_gradient(
        size, ((0.0, mix(PANEL, color, 0.22)), (0.35, PANEL), (1.0, darken(PANEL, 0.45)))
    ).convert("RGBA")
    shell.alpha_composite(radial_glow(size, (width / 2, 0.0), width * 0.9, color, 0.35))

    ring = Image.new("L", size, 0)
    ring_draw = ImageDraw.Draw(ring)
    ring_draw.rounded_rectangle((0, 0, width - 1, height - 1), radius, fill=255)
    ring_draw.rounded_rectangle(
        (border, border, width - 1 - border, height - 1 - border), max(1, radius - border), fill=0
    )
    glow = Image.new("RGBA", size, alpha(color, 0))
    glow.putalpha(ring.filter(ImageFilter.GaussianBlur(9 * scale)).point(lambda v: min(255, v * 2)))
    shell.alpha_composite(glow)
    frame = vertical_gradient(size, metal(color)).convert("RGBA")
    frame.putalpha(ring)
    shell.alpha_composite(frame)

    draw = ImageDraw.Draw(shell)
    inset = border + max(2, round(4 * scale))
    draw.rounded_rectangle(
        (inset, inset, width - 1 - inset, height - 1 - inset),
        max(1, radius - inset),
        outline=alpha(lighten(color, 0.2), 110),
        width=1,
    )
    if rank >= 4:
        outer = max(1, border // 2)
        draw.rounded_rectangle(
            (outer, outer, width - 1 - outer, height - 1 - outer),
            radius - outer,
            outline=alpha(darken(color, 0.55), 200),
            width=1,
        )
    if rank >= 2:
        stud = max(2, round(5 * scale))
        corner = inset + max(3, round(9 * scale))
        for x, y in (
            (corner, corner),
            (width - corner, corner),
            (corner, height - corner),
            (width - corner, height - corner),
        ):
            draw.polygon(
                [(x, y - stud), (x + stud, y), (x, y + stud), (x - stud, y)], fill=alpha(lighten(color, 0.4), 230)
            )
    return shell.convert("RGB")


def card_radius(scale: float) -> int:
    return round(22 * scale)


def cut_corners(img: Image.Image, radius: int) -> Image.Image:
    """The finished RGB image as RGBA with transparent rounded corners."""
    out = img.convert("RGBA")
    out.putalpha(rounded_mask(img.size, radius))
    return out


def pen(img: Image.Image) -> ImageDraw.ImageDraw:
    """A drawing context that blends translucent ink into an opaque RGB image (plain RGBA drawing replaces)."""
    return ImageDraw.Draw(img, "RGBA")


def overlay(img: Image.Image, layer: Image.Image, xy: tuple[int, int] = (0, 0)) -> None:
    """Composite an RGBA layer over an opaque RGB image."""
    img.paste(layer, xy, layer)
