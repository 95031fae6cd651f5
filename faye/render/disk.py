"""Painted layers kept on disk between processes, so a fresh process (a CLI `summon --image`) skips painting.

Procedural art costs ~100 ms per Esprit and a 10-pull board needs ten; decoding a cached copy costs ~1 ms.
An entry is named by the sha256 of what it depends on (the caller's key, e.g. the ArtSpec's repr) and of the
painting code itself (`CODE_VERSION`, the digest of faye/render's sources), so changed data or changed code
is a miss, never a stale picture. The cache is an optimisation only: a directory that cannot be created or
written, or an entry that is truncated or not an image of the expected size, is skipped silently and the
layer painted again. Entries are written to a temporary file and renamed, so readers never see half a file.

The directory is FAYE_RENDER_CACHE (an empty value turns the cache off), else $XDG_CACHE_HOME/faye/render,
else ~/.cache/faye/render.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from PIL import Image

from faye.files import write_atomically
from faye.render.png import encode

ENV = "FAYE_RENDER_CACHE"
SOURCES = Path(__file__).parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """The digest of every Python source under faye/render: any change to how things are painted is a miss."""
    digest = hashlib.sha256()
    for path in sorted(SOURCES.rglob("*.py")):
        digest.update(path.relative_to(SOURCES).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir() -> Path | None:
    """Where entries live right now (read on every call, so tests and operators can point it elsewhere)."""
    configured = os.environ.get(ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "faye" / "render"


def entry_path(directory: Path, key: str) -> Path:
    name = hashlib.sha256(f"{code_version()}\n{key}".encode()).hexdigest()
    return directory / f"{name}.png"


def _load(path: Path, mode: str, size: tuple[int, int]) -> Image.Image | None:
    try:
        with Image.open(path) as opened:
            opened.load()
            if opened.format != "PNG" or opened.mode != mode or opened.size != size:
                return None
            return opened.copy()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def _store(path: Path, image: Image.Image) -> None:
    write_atomically(path, encode(image))


def cached_layer(key: str, mode: str, size: tuple[int, int], paint: Callable[[], Image.Image]) -> Image.Image:
    """The image `paint()` makes for `key` (of `mode` and `size`): from disk when a valid entry exists, else
    painted and stored for the next process."""
    directory = cache_dir()
    if directory is None:
        return paint()
    path = entry_path(directory, key)
    image = _load(path, mode, size)
    if image is None:
        image = paint()
        _store(path, image)
    return image
