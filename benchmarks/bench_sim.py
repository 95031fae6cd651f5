"""How fast the designer tools are; prints figures, asserts nothing. Run: .venv/bin/python benchmarks/bench_sim.py

- baseline: bare numpy drawing 10,000,000 samples from 6 fixed probabilities (float32 uniforms against
  cumulative thresholds, chunks of 65,536, counted with bincount): the speed of sampling without any pity;
- the simulator: 10,000,000 pulls of the shipped six tiers with two pity tiers (Epic, Legendary), every pull
  through the pity state tables, and its ratio to the baseline (goal: at least 0.5x), on one core;
- the simulator on every core: 10**8 and 4 x 10**8 pulls on 1 worker and on N (the CPU count) in the same run,
  and the ratio (goal: at least 1.7x on 2 cores; forked workers start in milliseconds), tallies checked equal;
- `faye sim summons --pulls 10000000` as a whole OS process: wall time (goal < 2 s) and peak RSS (< 300 MB);
  and 10**7 against 10**8 pulls on every core: the peak RSS of the largest process and of the whole process tree
  (workers included, sampled from /proc), which must stay flat in the number of pulls;
- exact rates of the whole config (state tables, stationary distribution, disclosure): goal < 50 ms.

Each figure is the best of several runs (the machine may be shared), with the median beside it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from faye.config import load_config
from faye.gacha.exact import PityChain, disclose
from faye.gacha.pity import RarityTable
from faye.gacha.simulate import Simulation
from faye.settings import DEFAULT_CONFIG_DIR

PULLS = 10_000_000
LARGE = 100_000_000
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


def tree_rss(root: int) -> tuple[int, int]:
    """(largest process, whole tree) resident kilobytes of `root` and its descendants now, from /proc (Linux)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:  # the process ended meanwhile
            continue
        parents[int(entry)] = int(fields["PPid"])
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree = {root}
    for _ in range(4):  # faye -> workers, or faye -> forkserver -> workers (and resource tracker)
        tree |= {pid for pid, parent in parents.items() if parent in tree}
    sizes = [rss.get(pid, 0) for pid in tree]
    return max(sizes), sum(sizes)


def sampled_process(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds and the peak RSS in MB (largest process, whole tree) of `python -m cli ARGS` and its workers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "cli", *args], env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            largest, whole = tree_rss(child.pid)
            peak[0], peak[1] = max(peak[0], largest), max(peak[1], whole)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = child.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"faye {' '.join(args)} failed")
    return time.perf_counter() - start, peak[0] / 1024, peak[1] / 1024


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

    cores = os.cpu_count() or 1
    for pulls in (LARGE, 4 * LARGE):
        large = Simulation(chain.states, chain.stationary, pulls=pulls, players=PLAYERS, seed=0)
        if not np.array_equal(large.run(workers=1).codes, large.run(workers=cores).codes):
            raise SystemExit("the workers' tally differs from one process's")
        one, one_median = timed(partial(large.run, workers=1), runs=3)
        many, many_median = timed(partial(large.run, workers=cores), runs=3)
        print(
            f"simulator, {pulls:,} pulls: 1 worker {pulls / one / 1e6:.1f} M pulls/s "
            f"({pulls / one_median / 1e6:.1f}), {cores} workers {pulls / many / 1e6:.1f} M pulls/s "
            f"({pulls / many_median / 1e6:.1f})  = {one / many:.2f}x one core, tallies equal"
        )

    best, median, peak = whole_process(["sim", "summons", "--pulls", str(PULLS), "--json"])
    print(f"faye sim summons --pulls {PULLS:,}   {best:.2f} s ({median:.2f})  peak RSS {peak:.0f} MB")
    for pulls in (PULLS, LARGE):
        seconds, largest, whole = sampled_process(["sim", "summons", "--pulls", str(pulls), "--json"])
        print(
            f"faye sim summons --pulls {pulls:,} (default --workers)   {seconds:.2f} s  peak RSS {largest:.0f} MB "
            f"largest process, {whole:.0f} MB all processes"
        )
    best, median, _ = whole_process(["--help"])
    print(f"faye --help             {best:.2f} s ({median:.2f})")

    disclose(PityChain.of(table))
    best, median = timed(lambda: disclose(PityChain.of(RarityTable.from_config(config))), runs=20)
    states = chain.states.size
    print(f"exact rates, whole config  {best * 1e3:.1f} ms ({median * 1e3:.1f})  [{states} pity states]")


if __name__ == "__main__":
    main()
