"""PNG encoding that meets both budgets: a few milliseconds per image and at most 300 KB.

Cards and profiles (~220k pixels) are saved in full colour at zlib level 1: ~10 ms and ~150-180 KB, and
deflating harder costs 3x the time for 15 % fewer bytes. The 10-pull board is 2.8x larger and would weigh
~450 KB in full colour, so it is reduced to 256 colours: the palette is chosen by median cut on a quarter-size
thumbnail (a twentieth of the work of the full image, nearly the same palette) and applied with
Floyd-Steinberg dithering, which keeps glows and gradients smooth (Pillow's fast octree palette bands them
visibly). Every step is deterministic, so the same image always gives the same bytes.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image

FAST = 1
THUMBNAIL = 4


def encode(image: Image.Image, *, paletted: bool = False) -> bytes:
    """PNG bytes: full colour (alpha kept) by default; `paletted` for large opaque images."""
    if paletted:
        rgb = image.convert("RGB")
        thumb = rgb.resize((max(1, rgb.width // THUMBNAIL), max(1, rgb.height // THUMBNAIL)), Image.Resampling.BOX)
        palette = thumb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        image = rgb.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
    buffer = BytesIO()
    image.save(buffer, "PNG", compress_level=6 if paletted else FAST)
    return buffer.getvalue()
