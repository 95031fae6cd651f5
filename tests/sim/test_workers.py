"""The simulator on several processes: the same tally as one process, whatever the number of workers."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import threading

import numpy as np
import pytest

from faye.config import GameConfig
from faye.errors import InvalidArgument
from faye.gacha import pool, simulate
from faye.gacha.exact import PityChain
from faye.gacha.pool import start_method
from faye.gacha.simulate import STREAM, Simulation, Tally, simulate_summons
from faye.inputs import POOL_PULLS
from tests.cli.conftest import Faye

#: Per-tier counts of these runs as the one-process simulator gave them before workers existed.
LONG_RUN_COUNTS = [505659, 228783, 119241, 117555, 12841, 15924]
FRESH_TEN_COUNTS = [205184, 93334, 48226, 45664, 5194, 2398]
FRESH_TEN_BEST = [0, 0, 0, 33092, 4583, 2325]


def per_tier(chain: PityChain, tally: Tally) -> list[int]:
    counts: list[int] = tally.codes.reshape(chain.states.tiers, chain.states.size).sum(axis=1).tolist()
    return counts


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_workers_give_the_one_process_result(chain: PityChain, method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"this platform has no {method} start method")
    monkeypatch.setattr(pool, "start_method", lambda: multiprocessing.get_context(method))
    simulation = Simulation(chain.states, chain.stationary, pulls=1_000_003, players=20_000, seed=7)
    one = simulation.run(workers=1)
    assert per_tier(chain, one) == LONG_RUN_COUNTS
    for workers in (2, 3):
        many = simulation.run(workers=workers)
        assert np.array_equal(many.codes, one.codes), workers


def test_fresh_ten_pulls_on_workers_keep_every_tally(chain: PityChain) -> None:
    simulation = Simulation(chain.states, chain.stationary, pulls=400_000, players=9_000, ten=True, fresh=True, seed=8)
    one, two = simulation.run(workers=1), simulation.run(workers=2)
    assert per_tier(chain, one) == FRESH_TEN_COUNTS
    assert one.best.tolist() == FRESH_TEN_BEST
    assert np.array_equal(two.codes, one.codes)
    assert np.array_equal(two.first, one.first)
    assert np.array_equal(two.best, one.best)


def test_chunks_cover_every_stream_once_and_feed_every_worker(chain: PityChain) -> None:
    simulation = Simulation(chain.states, chain.stationary, pulls=10**6, players=10 * STREAM + 1, seed=0)
    for workers in (1, 2, 3, 16):
        chunks = simulation.chunks(workers=workers)
        covered = [stream for first, count in chunks for stream in range(first, first + count)]
        assert covered == list(range(simulation.streams))
        assert len(chunks) >= min(workers, simulation.streams)


def test_progress_from_workers_adds_up_to_the_pulls(chain: PityChain) -> None:
    seen: list[int] = []
    simulation = Simulation(chain.states, chain.stationary, pulls=3_000_001, players=40_000, seed=0)
    simulation.run(seen.append, workers=2)
    assert sum(seen) == 3_000_001


def test_small_runs_stay_in_one_process(config: GameConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    small = simulate_summons(config, pulls=POOL_PULLS - 1, players=1 << 16, workers=4, seed=3)
    assert small.workers == 1
    monkeypatch.setattr(simulate, "POOL_PULLS", 100_000)
    pooled = simulate_summons(config, pulls=200_000, players=1 << 16, workers=4, seed=3)
    alone = simulate_summons(config, pulls=200_000, players=1 << 16, workers=1, seed=3)
    assert (pooled.workers, alone.workers) == (4, 1)
    assert [t.count for t in pooled.tiers] == [t.count for t in alone.tiers]
    assert [t.histogram for t in pooled.tiers] == [t.histogram for t in alone.tiers]


def test_a_single_stream_cannot_be_split(config: GameConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulate, "POOL_PULLS", 1)
    assert simulate_summons(config, pulls=10_000, players=STREAM, workers=2).workers == 1


@pytest.mark.parametrize("workers", [0, -1, 257])
def test_bad_worker_counts_are_refused(config: GameConfig, workers: int) -> None:
    with pytest.raises(InvalidArgument) as refused:
        simulate_summons(config, pulls=1_000, workers=workers)
    assert refused.value.details["field"] == "workers"


def test_cli_reports_its_workers(faye: Faye) -> None:
    code, doc = faye.json("sim", "summons", "--pulls", "200000", "--workers", "2")
    assert code == 0
    assert doc["workers"] == 1  # below the pool threshold
    assert sum(t["count"] for t in doc["tiers"]) == 200_000


@pytest.mark.parametrize("value", ["0", "257", "two"])
def test_cli_refuses_bad_workers_with_exit_2(faye: Faye, value: str) -> None:
    result = faye("sim", "summons", "--pulls", "1000", "--workers", value)
    assert result.exit_code == 2
    assert "workers" in result.output
    assert "Traceback" not in result.output


FORKED_RUN = """
import numpy as np
from faye.config import load_config
from faye.gacha.exact import PityChain
from faye.gacha.pity import RarityTable
from faye.gacha.pool import start_method
from faye.gacha.simulate import Simulation
from faye.settings import DEFAULT_CONFIG_DIR

assert start_method().get_start_method() == "fork"
chain = PityChain.of(RarityTable.from_config(load_config(DEFAULT_CONFIG_DIR)))
simulation = Simulation(chain.states, chain.stationary, pulls=1_000_003, players=20_000, seed=7)
counts = simulation.run(workers=2).codes.reshape(chain.states.tiers, chain.states.size).sum(axis=1).tolist()
print(counts)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked only on Linux")
def test_a_single_threaded_process_forks_its_workers_to_the_same_tally() -> None:
    """In a fresh interpreter, where no test has left a thread behind to send the choice elsewhere."""
    run = subprocess.run([sys.executable, "-c", FORKED_RUN], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == LONG_RUN_COUNTS


def test_with_another_thread_alive_workers_are_not_forked() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert start_method().get_start_method() != "fork"
    finally:
        release.set()
        thread.join()
