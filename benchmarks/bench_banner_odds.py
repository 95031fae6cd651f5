"""How fast `faye sim banner` computes the exact pulls for N copies; prints figures, asserts nothing.
Run: .venv/bin/python benchmarks/bench_banner_odds.py

Goal (issue 13): exact for N up to 7 copies of a featured Esprit and budgets up to 2,000 pulls, in under a second.
For each chase (the featured Legendary, which pity and the guarantee bound; a featured Mythic, which nothing
bounds; a Legendary the banner does not feature) and N in 1, 3, 7 with a budget of 2,000, it prints:

- baseline: the walk as it was, one scatter through the successor table per pull, on until the mass left is
  below 1e-13 (thousands of pulls past the 99th percentile for a chase pity does not bound);
- now: the grid step (`faye.gacha.grid`), the walk stopping past the budget and the 99th percentile, the mean
  from one linear solve (`chase_mean`); and the ratio, with the two means side by side (they must agree).

Each figure is the best of RUNS runs (the machine may be shared).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from unittest import mock

from faye.config import load_config
from faye.gacha.banner_odds import Chase, copies_passage
from faye.gacha.banners import BannerRule
from faye.gacha.exact import Passage, PityChain
from faye.gacha.pity import RarityTable
from faye.settings import DEFAULT_CONFIG_DIR

BANNER = "solheart_2026_01"
BUDGET = 2_000
RUNS = 3


def best(run: Callable[[], Passage]) -> tuple[float, Passage]:
    times: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        passage = run()
        times.append(time.perf_counter() - started)
    return min(times), passage


def main() -> None:
    config = load_config(DEFAULT_CONFIG_DIR)
    rule = BannerRule.of(config, config.banners_by_id[BANNER])
    chain = PityChain.of(RarityTable.from_config(config))
    top, mythic = rule.tiers[-1], next(draw for draw in rule.tiers if draw.featured)
    chases = {
        "featured Legendary": top.featured[0].esprit_id,
        "featured Mythic": mythic.featured[0].esprit_id,
        "other Legendary": top.others[0].esprit_id,
    }
    print(f"{'chase':<20} {'N':>2} {'baseline s':>10} {'now s':>8} {'ratio':>7} {'pulls walked':>14} {'means':>23}")
    for label, esprit_id in chases.items():
        chase = Chase.of(config, rule, esprit_id)
        for copies in (1, 3, 7):
            with mock.patch("faye.gacha.banner_odds.GridMoves.of", return_value=None):
                before, old = best(lambda c=chase, n=copies: copies_passage(chain, c, n, covered=2.0))
            after, new = best(lambda c=chase, n=copies: copies_passage(chain, c, n, budget=BUDGET))
            print(
                f"{label:<20} {copies:>2} {before:>10.3f} {after:>8.3f} {after / before:>6.2f}x "
                f"{len(old.pmf):>6}->{len(new.pmf):<6} {old.mean:>11.4f}/{new.mean:<11.4f}"
            )


if __name__ == "__main__":
    main()
