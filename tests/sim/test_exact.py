"""Exact rates from the Markov chain: published reference numbers, and the chain's own consistency."""

from __future__ import annotations

import math

import numpy as np
import pytest

from faye.config import PityRule, RarityTier
from faye.errors import ConfigError
from faye.gacha.exact import PityChain, disclose
from faye.gacha.pity import RarityTable
from faye.gacha.states import FRESH, MAX_STATES, PityStates
from tests.sim.conftest import GENSHIN, HARD_ONLY, top_tier


def test_genshin_rule_reference_numbers() -> None:
    top = disclose(PityChain.of(top_tier(GENSHIN))).tiers[-1]
    assert top.base_rate == pytest.approx(0.006)
    assert top.consolidated_rate == pytest.approx(0.016052, abs=5e-7)
    assert top.mean_pulls == pytest.approx(62.297, abs=5e-4)
    assert (top.p50_pulls, top.p90_pulls, top.p99_pulls, top.max_pulls) == (76, 80, 83, 90)
    assert top.has_pity


def test_flat_rate_with_hard_pity_only() -> None:
    top = disclose(PityChain.of(top_tier(HARD_ONLY))).tiers[-1]
    assert top.consolidated_rate == pytest.approx(0.014347, abs=5e-7)
    assert top.mean_pulls == pytest.approx(69.70, abs=5e-3)
    assert top.mean_pulls == pytest.approx((1 - 0.994**90) / 0.006, rel=1e-12)
    assert top.max_pulls == 90


def test_no_pity_is_geometric() -> None:
    top = disclose(PityChain.of(top_tier(None))).tiers[-1]
    assert top.consolidated_rate == pytest.approx(0.006)
    assert top.mean_pulls == pytest.approx(1 / 0.006, rel=1e-9)
    assert top.max_pulls is None  # nothing guarantees it
    assert top.p50_pulls == math.ceil(math.log(0.5) / math.log(0.994))
    assert top.ten_pull_at_least_one == pytest.approx(1 - 0.994**10)


def test_genshin_rule_is_the_top_tier_of_the_shipped_config(chain: PityChain) -> None:
    """The higher pity tier is served first, so Epic pity leaves the Legendary numbers untouched."""
    legendary = disclose(chain).tiers[-1]
    assert legendary.name == "Legendary"
    assert legendary.consolidated_rate == pytest.approx(0.016052, abs=5e-7)
    assert legendary.mean_pulls == pytest.approx(62.297, abs=5e-4)
    assert (legendary.p50_pulls, legendary.p90_pulls, legendary.p99_pulls, legendary.max_pulls) == (76, 80, 83, 90)
    assert legendary.ten_pull_at_least_one == pytest.approx(0.156, abs=5e-4)
    assert legendary.ten_pull_at_least_one_fresh == pytest.approx(1 - 0.994**10)


def test_shipped_epic_is_guaranteed_in_every_ten_pull(chain: PityChain) -> None:
    epic = next(t for t in disclose(chain).tiers if t.name == "Epic")
    assert epic.max_pulls == 10
    assert epic.ten_pull_at_least_one_fresh == pytest.approx(1.0)
    assert epic.ten_pull_at_least_one == pytest.approx(1.0)


def test_stationary_distribution_is_a_fixed_point(chain: PityChain) -> None:
    pi = chain.stationary
    assert pi.sum() == pytest.approx(1.0, abs=1e-12)
    assert (pi >= 0).all()
    states = chain.states
    after = np.bincount(states.successor.ravel(), weights=(pi[:, None] * states.probs).ravel(), minlength=states.size)
    assert np.abs(after - pi).sum() < 1e-12


def test_long_run_rates_sum_to_one_and_renewal_holds(chain: PityChain) -> None:
    assert chain.rates.sum() == pytest.approx(1.0, abs=1e-12)
    for tier, passage in enumerate(chain.passages(chain.fresh)):
        assert passage.pmf.sum() == pytest.approx(1.0, abs=1e-9)
        # pulls between two pulls of a tier or higher average 1 / its long-run rate (renewal)
        between = chain.passages(chain.after(tier), [tier])[0]
        assert between.mean == pytest.approx(1 / chain.rates[tier:].sum(), rel=1e-9)


def test_expected_counts_match_the_rule_pull_by_pull() -> None:
    """Two pulls from a fresh account, written out with RarityTable alone."""
    table = RarityTable(
        [
            RarityTier(name="A", weight=0.7),
            RarityTier(name="B", weight=0.3, pity=PityRule(soft_start=2, soft_step=0.5, hard=3)),
        ]
    )
    chain = PityChain.of(table)
    first = table.probabilities(table.fresh())
    second = [0.0, 0.0]
    for drawn, p in enumerate(first):
        for tier, q in enumerate(table.probabilities(table.advance(table.fresh(), drawn))):
            second[tier] += p * q
    expected = np.array(first) + np.array(second)
    assert chain.expected_counts(chain.fresh, 2) == pytest.approx(expected, abs=1e-12)
    assert chain.expected_counts(chain.stationary, 1000) == pytest.approx(1000 * chain.rates)


def test_expected_counts_settle_into_the_long_run(chain: PityChain) -> None:
    million = chain.expected_counts(chain.fresh, 1_000_000)
    assert million.sum() == pytest.approx(1_000_000)
    assert million / 1_000_000 == pytest.approx(chain.rates, rel=1e-3)


def test_state_numbers_round_trip(chain: PityChain) -> None:
    states = chain.states
    assert states.size == 10 * 90
    assert states.index(states.table.fresh()) == FRESH
    for state in (0, 1, 9, 10, 457, states.size - 1):
        assert states.index(states.engine_counters(state)) == state
    # counters of tiers without pity are ignored; counters past hard pity behave as hard - 1
    assert states.index((5, 5, 5, 3, 5, 20)) == states.index((0, 0, 0, 3, 0, 20))
    assert states.index((0, 0, 0, 50, 0, 500)) == states.index((0, 0, 0, 9, 0, 89))


def test_state_tables_come_from_the_rule(chain: PityChain) -> None:
    states = chain.states
    table = states.table
    for state in range(0, states.size, 37):
        counters = states.engine_counters(state)
        assert tuple(states.probs[state]) == table.probabilities(counters)
        for drawn in range(table.size):
            assert states.successor[state, drawn] == states.index(table.advance(counters, drawn))


def test_thresholds_choose_like_the_rule(chain: PityChain) -> None:
    states, table = chain.states, chain.states.table
    rng = np.random.default_rng(3)
    for state in range(0, states.size, 11):
        probs = table.probabilities(states.engine_counters(state))
        for u in [*rng.random(50), 0.0, 1.0 - 2**-53]:
            assert int((u >= states.thresholds[state]).sum()) == table.choose(probs, u)


def test_a_config_without_pity_has_one_state() -> None:
    chain = PityChain.of(RarityTable([RarityTier(name="A", weight=2), RarityTier(name="B", weight=1)]))
    assert chain.states.size == 1
    assert chain.rates == pytest.approx([2 / 3, 1 / 3])


def test_too_many_pity_states_are_refused() -> None:
    huge = PityRule(soft_start=500, soft_step=0.1, hard=600)
    tiers = [
        RarityTier(name="A", weight=1),
        RarityTier(name="B", weight=1, pity=huge),
        RarityTier(name="C", weight=1, pity=huge),
    ]
    assert MAX_STATES < 600 * 600
    with pytest.raises(ConfigError) as caught:
        PityStates.of(RarityTable(tiers))
    assert "rarity_tiers.json" in caught.value.problems[0]
