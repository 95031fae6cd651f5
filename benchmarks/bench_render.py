"""How fast the card renderer draws and how big its PNGs are, today's code path beside the new one.

"today" is the same drawing with the encoder this commit replaced (Pillow's adaptive-filter PNG at level 1, a
quarter-size palette and level 6 for the board), kept here only to compare; for the first board in a fresh
process, "today" is a fresh process with the disk cache turned off (FAYE_RENDER_CACHE=''), which paints every
Esprit's art as every process used to. Goals (issue 10): warm card and warm 10-pull <= 0.6x today, the first
10-pull in a fresh process <= 0.3x, every image <= 300 KB. Prints figures, asserts nothing.
Run: .venv/bin/python benchmarks/bench_render.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO

from PIL import Image

from faye.render.card import card_image
from faye.render.data import card_from_def, summon_data
from faye.render.png import encode
from faye.render.summon import summon_image
from faye.settings import DEFAULT_ASSETS_DIR
from tests.render.samples import game_config, summon_result

RUNS = 30
FRESH_RUNS = 3
FRESH = (
    "import time\n"
    "from faye.render import render_summon\n"
    "from tests.render.samples import game_config, summon_result\n"
    "c = game_config(); r = summon_result(c)\n"
    "s = time.perf_counter(); png = render_summon(r, c)\n"
    "print((time.perf_counter() - s) * 1000, len(png))\n"
)


def todays_encode(image: Image.Image, *, paletted: bool = False) -> bytes:
    """The encoder before issue 10, for comparison only."""
    if paletted:
        rgb = image.convert("RGB")
        thumb = rgb.resize((max(1, rgb.width // 4), max(1, rgb.height // 4)), Image.Resampling.BOX)
        palette = thumb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        image = rgb.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
    buffer = BytesIO()
    image.save(buffer, "PNG", compress_level=6 if paletted else 1)
    return buffer.getvalue()


def timed(render: Callable[[], bytes], runs: int = RUNS) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(render())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def fresh_process(cache: str) -> tuple[float, int]:
    """The median first 10-pull board in a new Python process (imports of Pillow and numpy included)."""
    env = {**os.environ, "FAYE_RENDER_CACHE": cache}
    runs = []
    for _ in range(FRESH_RUNS):
        out = subprocess.run([sys.executable, "-c", FRESH], env=env, capture_output=True, text=True, check=True)
        ms, size = out.stdout.split()
        runs.append((float(ms), int(size)))
    return statistics.median(ms for ms, _ in runs), runs[-1][1]


def row(label: str, today: tuple[float, int], new: tuple[float, int], goal: float) -> None:
    ratio = new[0] / today[0]
    verdict = "ok" if ratio <= goal else "MISSED"
    print(
        f"{label:<32}{today[0]:>9.1f}{new[0]:>9.1f}{ratio:>8.2f}x  (goal <= {goal}x, {verdict})"
        f"{today[1] / 1024:>8.0f}{new[1] / 1024:>8.0f}"
    )


def main() -> None:
    config = game_config()
    assets = DEFAULT_ASSETS_DIR
    card = card_from_def(config.esprits_by_id["solheart_phoenix"], config, level=40)
    board = summon_data(summon_result(config), config)
    card_image(card, assets)
    summon_image(board, assets)
    print(f"{'image':<32}{'today ms':>9}{'new ms':>9}{'ratio':>9}{'':<26}{'KB':>8}{'KB':>8}")
    row(
        "card, warm",
        timed(lambda: todays_encode(card_image(card, assets))),
        timed(lambda: encode(card_image(card, assets))),
        0.6,
    )
    row(
        "10-pull board, warm",
        timed(lambda: todays_encode(summon_image(board, assets), paletted=True)),
        timed(lambda: encode(summon_image(board, assets), paletted=True)),
        0.6,
    )
    with tempfile.TemporaryDirectory() as cache:
        fresh_process(cache)  # fills the disk cache, as the first command on a machine does
        row("10-pull board, fresh process", fresh_process(""), fresh_process(cache), 0.3)


if __name__ == "__main__":
    main()
