"""How fast `faye --help` and a first real command start (goal: --help under 0.3 s).

Prints the median and best of several cold process starts; nothing is asserted. Run: make bench
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15


def timed(args: list[str], env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cli", *args], env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")}
        env["FAYE_DATABASE_URL"] = str(Path(tmp) / "bench.db")
        subprocess.run(
            [sys.executable, "-m", "cli", "start", "--user", "b", "--accept-policy"],
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"{'command':<32}{'median':>10}{'best':>10}   ({RUNS} cold starts each)")
        for label, args in [
            ("faye --help", ["--help"]),
            ("faye leaderboard --help", ["leaderboard", "--help"]),
            ("faye balance --json (SQLite)", ["balance", "--user", "b", "--json"]),
        ]:
            runs = timed(args, env)
            print(f"{label:<32}{statistics.median(runs) * 1000:>8.0f}ms{min(runs) * 1000:>8.0f}ms")


if __name__ == "__main__":
    main()
