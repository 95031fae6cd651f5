"""Render tests: the CLI tests' isolated `faye` runner and `player`, and image helpers."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image

from tests.cli.conftest import cli_env, faye, player  # noqa: F401  (the CLI tests' isolated runner and player)

GOLDEN_DIR = Path(__file__).parent / "golden"
MAX_BYTES = 300 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def opened(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(BytesIO(png))
    image.load()
    return image


def assert_matches_golden(name: str, png: bytes, *, shrink: int = 2, tolerance: float = 2.0) -> None:
    """Compare with tests/render/golden/NAME.png, at 1/`shrink` size, by mean absolute difference (0-255).

    Golden files are small (downscaled), and the tolerance absorbs anti-aliasing differences between Pillow
    and FreeType versions while still catching any real change of layout, colour or art. After an intended
    change of the look, regenerate them: FAYE_UPDATE_GOLDEN=1 pytest tests/render -k golden
    """
    image = opened(png).convert("RGBA")
    small = image.resize((image.width // shrink, image.height // shrink), Image.Resampling.LANCZOS)
    path = GOLDEN_DIR / f"{name}.png"
    if os.environ.get("FAYE_UPDATE_GOLDEN") == "1":
        GOLDEN_DIR.mkdir(exist_ok=True)
        small.save(path, optimize=True)
    golden = Image.open(path).convert("RGBA")
    assert golden.size == small.size, f"{name}: size {small.size}, golden {golden.size}"
    diff = np.abs(np.asarray(small, dtype=np.int16) - np.asarray(golden, dtype=np.int16)).mean()
    assert diff <= tolerance, f"{name}: mean difference {diff:.2f} > {tolerance}; if intended, FAYE_UPDATE_GOLDEN=1"
