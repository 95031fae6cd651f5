"""How fast the designer tools are; prints figures, asserts nothing. Run: .venv/bin/python benchmarks/bench_sim.py

- baseline: bare numpy drawing 10,000,000 samples from 6 fixed probabilities (float32 uniforms against
  cumulative thresholds, chunks of 65,536, counted with bincount): the speed of sampling without any pity;
- the simulator: 10,000,000 pulls of the shipped six tiers with two pity tiers (Epic, Legendary), every pull
  through the pity state tables, and its ratio to the baseline (goal: at least 0.5x); it runs on one core;
- `faye sim summons --pulls 10000000` as a whole OS process: wall time (goal < 2 s) and peak RSS (< 300 MB);
- exact rates of the whole config (state tables, stationary distribution, disclosure): goal < 50 ms.

Each figure is the best of several runs (the machine may be shared), with the median beside it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from faye.config import load_config
from faye.gacha.exact import PityChain, disclose
from faye.gacha.pity import RarityTable
from faye.gacha.simulate import Simulation
from faye.settings import DEFAULT_CONFIG_DIR

PULLS = 10_000_000
CHUNK = 65_536
PLAYERS = 1 << 16
RUNS = 5
REPO = Path(__file__).resolve().parent.parent


def baseline(samples: int, probs: np.ndarray, seed: int = 0) -> np.ndarray:
    """Fixed probabilities, no pity: count float32 uniforms past each cumulative threshold, chunk by chunk."""
    rng = np.random.default_rng(seed)
    thresholds = np.cumsum(probs)[:-1].astype(np.float32)
    counts = np.zeros(len(probs), dtype=np.int64)
    tiers = np.empty(CHUNK, dtype=np.uint8)
    for start in range(0, samples, CHUNK):
        size = min(CHUNK, samples - start)
        u = rng.random(size, dtype=np.float32)
        drawn = tiers[:size]
        drawn[:] = 0
        for threshold in thresholds:
            drawn += u >= threshold
        counts += np.bincount(drawn, minlength=len(probs))
    return counts


def timed(work: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """(best, median) seconds of `runs` calls."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return min(seconds), statistics.median(seconds)


def whole_process(args: list[str], runs: int = RUNS) -> tuple[float, float, float]:
    """(best, median) wall seconds and the peak RSS in MB of `python -m cli ARGS` as its own process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")}
    seconds, peak = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "cli", *args], env=env, cwd=REPO, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"faye {' '.join(args)} failed")
        peak = max(peak, usage.ru_maxrss)  # kilobytes on Linux
    return min(seconds), statistics.median(seconds), peak / 1024


def main() -> None:
    config = load_config(DEFAULT_CONFIG_DIR)
    table = RarityTable.from_config(config)
    chain = PityChain.of(table)
    pity = [rule.name for rule in table.rules if rule.pity is not None]
    print(f"{os.cpu_count()} CPUs · numpy {np.__version__} · {PULLS:,} pulls · best (median) of {RUNS} runs\n")

    base = np.array([rule.base for rule in table.rules])
    baseline(CHUNK, base)
    best, median = timed(lambda: baseline(PULLS, base))
    base_rate = PULLS / best
    print(f"baseline, no pity       {base_rate / 1e6:7.1f} M samples/s  ({PULLS / median / 1e6:.1f})")

    simulation = Simulation(chain.states, chain.stationary, pulls=PULLS, players=PLAYERS, seed=0)
    simulation.run()
    best, median = timed(simulation.run)
    rate = PULLS / best
    print(
        f"simulator, with pity    {rate / 1e6:7.1f} M pulls/s    ({PULLS / median / 1e6:.1f})"
        f"  = {rate / base_rate:.2f}x the baseline  [{len(table.rules)} tiers, pity: {', '.join(pity)}; one core]"
    )

    best, median, peak = whole_process(["sim", "summons", "--pulls", str(PULLS), "--json"])
    print(f"faye sim summons --pulls {PULLS:,}   {best:.2f} s ({median:.2f})  peak RSS {peak:.0f} MB")
    best, median, _ = whole_process(["--help"])
    print(f"faye --help             {best:.2f} s ({median:.2f})")

    disclose(PityChain.of(table))
    best, median = timed(lambda: disclose(PityChain.of(RarityTable.from_config(config))), runs=20)
    states = chain.states.size
    print(f"exact rates, whole config  {best * 1e3:.1f} ms ({median * 1e3:.1f})  [{states} pity states]")


if __name__ == "__main__":
    main()
