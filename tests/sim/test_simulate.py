"""The vectorised simulator: exactly the rule's draw, rates within their intervals, deterministic per seed."""

from __future__ import annotations

import numpy as np
import pytest

from faye.config import GameConfig
from faye.errors import InvalidAmount
from faye.gacha.exact import PityChain
from faye.gacha.simulate import CHUNK, STREAM, Sampler, Simulation, simulate_summons, uniform_draws
from faye.gacha.states import PityStates
from tests.sim.conftest import GENSHIN, top_tier

#: Observed rates must lie within this many standard errors of the exact ones (a seeded run, so no flakes;
#: wide enough that a correct simulator never needs a lucky seed).
Z = 4.0


def test_sampler_draws_exactly_what_the_rule_chooses(chain: PityChain) -> None:
    """Every state, random uniforms plus both sides of every threshold: tier and next state as the engine."""
    states, table = chain.states, chain.states.table
    sampler = Sampler(states)
    rng = np.random.default_rng(11)
    for state in range(0, states.size, 7):
        counters = states.engine_counters(state)
        probs = table.probabilities(counters)
        edges = [int(np.ceil(t * 2**32)) + d for t in np.cumsum(probs)[:-1] for d in (-1, 0, 1)]
        draws = np.clip(np.array([*uniform_draws(rng, 300), 0, 2**32 - 1, *edges]), 0, 2**32 - 1).astype(np.uint32)
        rows = sampler.rows(np.full(draws.size, state, dtype=np.intp))
        codes = np.empty(draws.size, dtype=sampler.code_type)
        sampler.pull(draws, rows, codes, np.empty(draws.size, dtype=np.uint32))
        tiers = [table.choose(probs, int(r) / 2**32) for r in draws]
        assert sampler.tiers_of(codes).tolist() == tiers
        after = [states.index(table.advance(counters, tier)) for tier in tiers]
        assert (rows >> np.uint32(sampler.bits)).tolist() == after


def test_large_run_matches_the_exact_rates(config: GameConfig) -> None:
    report = simulate_summons(config, pulls=10_000_000, seed=1)
    assert report.pulls == 10_000_000
    assert sum(t.count for t in report.tiers) == report.pulls
    for tier in report.tiers:
        error = np.sqrt(tier.exact_rate * (1 - tier.exact_rate) / report.pulls)
        assert abs(tier.observed_rate - tier.exact_rate) < Z * error, tier.name
        assert tier.exact_rate == tier.consolidated_rate  # long-run start: the long-run rates
        low, high = tier.ci95
        assert low < tier.observed_rate < high
    legendary = report.tiers[-1]
    assert legendary.between is not None
    assert (legendary.between.p50, legendary.between.p90) == (76, 80)
    assert legendary.between.mean == pytest.approx(62.297, abs=0.5)
    assert legendary.exact_between.mean == pytest.approx(62.297, abs=1e-3)


def test_fresh_run_reproduces_the_disclosure(config: GameConfig) -> None:
    """New accounts pulling past hard pity: their first Legendary matches the published percentiles."""
    report = simulate_summons(config, pulls=3_000_000, players=20_000, fresh=True, seed=2)
    legendary = report.tiers[-1]
    assert legendary.first is not None
    assert (legendary.first.p50, legendary.first.p90, legendary.first.p99) == (76, 80, 83)
    assert legendary.first.mean == pytest.approx(62.297, abs=0.6)
    assert sum(legendary.histogram) == 20_000  # every player got one by pull 90
    assert legendary.exact_rate != pytest.approx(legendary.consolidated_rate, rel=1e-3)  # 150 pulls each: transient
    for tier in report.tiers:
        error = np.sqrt(tier.exact_rate * (1 - tier.exact_rate) / report.pulls)
        assert abs(tier.observed_rate - tier.exact_rate) < Z * error, tier.name


def test_ten_pull_composition(config: GameConfig) -> None:
    report = simulate_summons(config, pulls=5_000_000, ten=True, seed=3)
    epic = next(t for t in report.tiers if t.name == "Epic")
    assert epic.ten_pull_at_least_one == 1.0  # Epic hard pity is 10
    legendary = report.tiers[-1]
    assert legendary.exact_ten_pull_at_least_one == pytest.approx(0.15626, abs=1e-5)
    assert legendary.ten_pull_at_least_one == pytest.approx(legendary.exact_ten_pull_at_least_one, abs=0.004)
    assert report.cost_per_pull == config.settings.summon.ten_cost / 10


def test_same_seed_same_result_and_another_seed_differs(config: GameConfig) -> None:
    first = simulate_summons(config, pulls=500_000, players=5_000, seed=42)
    again = simulate_summons(config, pulls=500_000, players=5_000, seed=42)
    other = simulate_summons(config, pulls=500_000, players=5_000, seed=43)
    assert [t.count for t in first.tiers] == [t.count for t in again.tiers]
    assert [t.histogram for t in first.tiers] == [t.histogram for t in again.tiers]
    assert [t.count for t in first.tiers] != [t.count for t in other.tiers]


def test_result_does_not_depend_on_the_chunk_size(chain: PityChain) -> None:
    """Each block of players has its own random stream, so simulating more of them at once changes nothing."""
    simulation = Simulation(chain.states, chain.stationary, pulls=2_000_003, players=100_000, seed=5)
    tallies = [simulation.run(chunk=chunk) for chunk in (STREAM, 3 * STREAM, CHUNK, 1 << 17)]
    for tally in tallies[1:]:
        assert np.array_equal(tally.codes, tallies[0].codes)
    assert tallies[0].codes.sum() == 2_000_003


def test_fresh_ten_pull_result_does_not_depend_on_the_chunk_size(chain: PityChain) -> None:
    simulation = Simulation(chain.states, chain.stationary, pulls=300_000, players=9_000, ten=True, fresh=True, seed=8)
    small, large = simulation.run(chunk=STREAM), simulation.run(chunk=CHUNK)
    assert np.array_equal(small.codes, large.codes)
    assert np.array_equal(small.first, large.first)
    assert np.array_equal(small.best, large.best)


def test_uneven_pulls_per_player(chain: PityChain) -> None:
    """7 pulls for 3 players: the first makes 3, the others 2; fresh, so every state is predictable."""
    simulation = Simulation(chain.states, chain.stationary, pulls=7, players=3, fresh=True, seed=0)
    assert [simulation.plan.active(step, 0, 3) for step in range(4)] == [3, 3, 1, 0]
    assert simulation.run().codes.sum() == 7


def test_progress_adds_up_to_the_pulls(config: GameConfig) -> None:
    seen: list[int] = []
    simulate_summons(config, pulls=3_000_000, players=40_000, seed=0, progress=seen.append)
    assert sum(seen) == 3_000_000


def test_a_two_tier_reference_simulates_to_its_exact_rate() -> None:
    chain = PityChain.of(top_tier(GENSHIN))
    tally = Simulation(chain.states, chain.stationary, pulls=4_000_000, players=40_000, seed=9).run()
    top = tally.codes.reshape(2, -1).sum(axis=1)[1] / 4_000_000
    assert abs(top - 0.016052) < Z * np.sqrt(0.016052 * 0.983948 / 4_000_000)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pulls": 0}, "pulls"),
        ({"pulls": -5}, "pulls"),
        ({"pulls": 100, "players": 0}, "players"),
        ({"pulls": 105, "ten": True}, "pulls"),
    ],
)
def test_bad_numbers_are_refused(config: GameConfig, kwargs: dict[str, int], field: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        simulate_summons(config, **kwargs)  # type: ignore[arg-type]
    assert caught.value.details["field"] == field


def test_small_state_space_uses_a_fine_lookup(chain: PityChain) -> None:
    sampler = Sampler(chain.states)
    assert sampler.bits == 8
    assert sampler.table.nbytes <= 1 << 19
    tiny = Sampler(PityStates.of(top_tier(None)))
    assert tiny.states.size == 1
    assert tiny.bits == 8
