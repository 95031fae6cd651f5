"""Esprit art, loaded and cached: the designer's PNG when there is one, otherwise the procedural painting.

A designer's art lives at `<assets_dir>/<esprit_id>.png` (data/assets/esprits by default; FAYE_ASSETS_DIR or
`--assets-dir` point elsewhere). It replaces the procedural art on every card, board and profile, fitted into
the same art window: an RGB file fills it, an RGBA file is composited over the Esprit's own scene and sigil,
so a cut-out creature stands in its element's landscape. `art_problem` is the one rule for a usable file,
shared with `faye config validate`.

Caches are keyed by content: a file is identified by the digest of its bytes (re-read only when its size,
times or inode change), so replaced art shows without a restart and two copies of one file are decoded once;
procedural art is keyed by the Esprit's ArtSpec and kept on disk between processes (see `disk`). A missing
or unusable file never breaks a card: the procedural art stands in, and a warning says why (a missing file
only warns once an art directory exists, so a fresh checkout without art stays quiet).
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageOps

from faye.render.data import ArtSpec
from faye.render.disk import cached_layer
from faye.render.layers import Size
from faye.render.paint import ART_SIZE, procedural_art, with_backdrop

log = logging.getLogger(__name__)

MIN_SIDE = 128
"""The smallest designer art accepted, in pixels per side (a mini card's art window is 160x138)."""
MAX_SIDE = 4096
"""The largest, so a huge file cannot stall a render or fill memory."""
MODES = ("RGB", "RGBA")

Stamp = tuple[int, int, int, int]

__all__ = ["ART_SIZE", "MIN_SIDE", "art_path", "art_problem", "esprit_art", "procedural_art"]


def art_path(assets_dir: Path, esprit_id: str) -> Path:
    return assets_dir / f"{esprit_id}.png"


def art_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be an Esprit's art (None when it can): unreadable, not a PNG, too small or
    too large, or not RGB/RGBA."""
    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                return f"not a PNG (it is {image.format or 'unknown'})"
            width, height = image.size
            if min(width, height) < MIN_SIDE:
                return f"{width}x{height} is too small; art needs at least {MIN_SIDE}x{MIN_SIDE} pixels"
            if max(width, height) > MAX_SIDE:
                return f"{width}x{height} is too large; art may be at most {MAX_SIDE}x{MAX_SIDE} pixels"
            if image.mode not in MODES:
                return f"colour mode {image.mode} is not supported; save it as RGB or RGBA"
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return f"cannot be read as an image ({exc})"
    return None


@lru_cache(maxsize=256)
def _digest(path: Path, stamp: Stamp) -> str:
    """The sha256 of the file as it is at `stamp`; '' if it vanished meanwhile (procedural art then)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@lru_cache(maxsize=128)
def _designer_art(spec: ArtSpec, digest: str, path: Path) -> Image.Image | None:
    """The decoded file at the art window's size (RGB), or None when it is unusable (with a warning).

    Keyed by the file's digest: the same content is decoded once, changed content again.
    """
    problem = art_problem(path)
    if problem is not None:
        log.warning("art file %s for Esprit %r is unusable, %s; drawing procedural art", path, spec.esprit_id, problem)
        return None
    with Image.open(path) as opened:
        opened.load()
        fitted = ImageOps.fit(opened, ART_SIZE, Image.Resampling.LANCZOS)
    if fitted.mode == "RGBA":
        return with_backdrop(spec, fitted)
    return fitted.convert("RGB")


@lru_cache(maxsize=128)
def _procedural(spec: ArtSpec) -> Image.Image:
    """Painted once per machine: later processes read it from the disk cache (keyed by the spec and the code)."""
    return cached_layer(f"procedural art {spec!r}", "RGB", ART_SIZE, lambda: procedural_art(spec))


@lru_cache(maxsize=256)
def _scaled(spec: ArtSpec, digest: str, size: Size, assets_dir: Path) -> Image.Image:
    """`size` from the full-size art, so a mini card matches its big card."""
    return ImageOps.fit(_full(spec, digest, assets_dir), size, Image.Resampling.LANCZOS)


def _full(spec: ArtSpec, digest: str, assets_dir: Path) -> Image.Image:
    if digest:
        path = art_path(assets_dir, spec.esprit_id)
        art = _designer_art(spec, digest, path)
        if art is not None:
            return art
    return _procedural(spec)


def _stamp(path: Path) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def art_key(spec: ArtSpec, assets_dir: Path) -> str:
    """What the Esprit's art is right now: the digest of its designer file, or '' for procedural art.

    Cheap (one stat while the file is unchanged), so callers put it in their own cache keys.
    """
    path = art_path(assets_dir, spec.esprit_id)
    stamp = _stamp(path)
    if stamp is None:
        if assets_dir.is_dir():
            _warn_missing(path, spec.esprit_id)
        return ""
    return _digest(path, stamp)


@lru_cache(maxsize=256)
def _warn_missing(path: Path, esprit_id: str) -> None:
    log.warning("no art file %s for Esprit %r; drawing procedural art", path, esprit_id)


def esprit_art(spec: ArtSpec, size: Size, assets_dir: Path, key: str | None = None) -> Image.Image:
    """The Esprit's art at `size` (RGB, cached; never draw on it): its designer file if usable, else procedural.

    `key` is `art_key(spec, assets_dir)` when the caller already has it.
    """
    digest = art_key(spec, assets_dir) if key is None else key
    if size == ART_SIZE:
        return _full(spec, digest, assets_dir)
    return _scaled(spec, digest, size, assets_dir)
