"""How fast the card renderer draws and how big its PNGs are (goals: card <= 15 ms, 10-pull <= 100 ms,
profile <= 30 ms once static layers are cached; every image <= 300 KB).

Cold is the first render in a fresh process (fonts, frames and art drawn and cached); "new Esprit" is a card
whose art and face are not cached yet while fonts and frames are; warm is the steady state a bot sees.
Prints figures, asserts nothing. Run: .venv/bin/python benchmarks/bench_render.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from faye.render import clear_caches, render_card, render_profile, render_summon
from tests.render.samples import TEN_PULL, detail, game_config, profile, summon_result

RUNS = 30


def timed(render: Callable[[], bytes], runs: int = RUNS) -> tuple[list[float], int]:
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(render())
        times.append((time.perf_counter() - start) * 1000)
    return times, size


def row(label: str, times: list[float], size: int, goal: str = "") -> None:
    median = statistics.median(times)
    print(f"{label:<34}{median:>9.1f}{min(times):>9.1f}{size / 1024:>9.0f}   {goal}")


def main() -> None:
    config = game_config()
    card = config.esprits_by_id["solheart_phoenix"]
    owned = detail(config, "nyxveil_empress")
    ten = summon_result(config)
    one = summon_result(config, ("tempest_kirin",))
    player = profile(config)
    print(f"{'image':<34}{'median':>9}{'best':>9}{'KB':>9}   goal (ms, warm)")
    clear_caches()
    row("card, cold (first in process)", *timed(lambda: render_card(card, config), 1))
    fresh = iter([e for e in config.esprits if e.esprit_id not in {card.esprit_id, *TEN_PULL}])
    row("card, new Esprit (art not cached)", *timed(lambda: render_card(next(fresh), config), 10))
    row("card, warm (from esprits.json)", *timed(lambda: render_card(card, config, level=40)), "<= 15")
    row("card, warm (a player's Esprit)", *timed(lambda: render_card(owned, config)), "<= 15")
    row("single pull, warm", *timed(lambda: render_summon(one, config)), "<= 15")
    clear_caches()
    row("10-pull, cold", *timed(lambda: render_summon(ten, config), 1))
    row("10-pull, warm", *timed(lambda: render_summon(ten, config)), "<= 100")
    clear_caches()
    row("profile, cold", *timed(lambda: render_profile(player, config), 1))
    row("profile, warm", *timed(lambda: render_profile(player, config)), "<= 30")


if __name__ == "__main__":
    main()
