"""How fast the battle engine is; prints figures, asserts nothing. Run: .venv/bin/python benchmarks/bench_battle.py

- one at a time: `fight` (a batch of one, with its log) in a loop, battles/s;
- batched: `fight_many` over 1,000 seeds a call, battles/s, for 1v1 (every pair of a sample of Esprits of equal
  and of different tiers) and for 3v3 mixed teams;
- the projected time of the balance matrix, 44 x 44 pairs x 1,000 battles 1v1, on one core (goal for the
  simulator: under 60 s on two cores, so at least ~16,000 battles/s a core; target 20,000).

Each figure is the best of several runs (the machine may be shared), with the median beside it.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import numpy as np

from faye.battle.engine import Fighter, fight, fight_many, fighter
from faye.config import load_config
from faye.settings import DEFAULT_CONFIG_DIR

SEEDS = 1_000
SINGLE = 300
RUNS = 5
PAIRS_1V1 = 40


def timed(work: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """(best, median) seconds of `runs` calls."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds)


def main() -> None:
    config = load_config(DEFAULT_CONFIG_DIR)
    rules = config.battle
    fighters = [fighter(e, 20, 0, config.progression) for e in config.esprits]
    rng = np.random.default_rng(0)
    pairs = [tuple(rng.choice(len(fighters), 2, replace=False)) for _ in range(PAIRS_1V1)]
    ones: list[tuple[list[Fighter], list[Fighter]]] = [([fighters[a]], [fighters[d]]) for a, d in pairs]
    by_id = {f.esprit_id: f for f in fighters}
    threes = [
        (
            [by_id[i] for i in ("mossback_tortoise", "tidecaller_otter", "glimmer_moth")],
            [by_id[i] for i in ("acornpaw_squirrel", "duskwing_bat", "cobblestone_mole")],
        ),
        (
            [by_id[i] for i in ("virelite_golem", "sunpetal_sylph", "nightloom_spider")],
            [by_id[i] for i in ("glacier_lynx", "blazewing_hawk", "mistveil_heron")],
        ),
    ]
    seeds = np.arange(SEEDS, dtype=np.uint64)
    print(f"{os.cpu_count()} CPUs · numpy {np.__version__} · level 20 · best (median) of {RUNS} runs\n")

    for label, teams in (("1v1", ones), ("3v3", threes)):

        def singles(teams: list[tuple[list[Fighter], list[Fighter]]] = teams) -> None:
            for i in range(SINGLE):
                a, d = teams[i % len(teams)]
                fight(a, d, i, rules)

        def batches(teams: list[tuple[list[Fighter], list[Fighter]]] = teams) -> None:
            for a, d in teams:
                fight_many(a, d, seeds, rules)

        best, median = timed(singles)
        print(f"{label} fight, one at a time     {SINGLE / best:9,.0f} battles/s  ({SINGLE / median:,.0f})")
        count = len(teams) * SEEDS
        best, median = timed(batches)
        rate = count / best
        print(f"{label} fight_many, {SEEDS:,} seeds  {rate:9,.0f} battles/s  ({count / median:,.0f})")
        if label == "1v1":
            total = 44 * 44 * SEEDS
            print(f"    44 x 44 pairs x {SEEDS:,} battles = {total:,}: {total / rate:.1f} s on one core")


if __name__ == "__main__":
    main()
