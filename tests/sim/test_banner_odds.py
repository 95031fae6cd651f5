"""Exact odds on banners: reference numbers, per-Esprit rates, pulls for copies, the collection integral."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest

from faye.config import Banner, FeaturedTier, GameConfig
from faye.disclosure import disclose_rates
from faye.errors import InvalidAmount, InvalidArgument, NotFound
from faye.gacha.banner_odds import PROGRESS, Chase, Moves, chase_mean, collection_mean, copies_passage, find_banner
from faye.gacha.banner_sim import complete_collection, pulls_for_copies
from faye.gacha.banners import BannerRule
from faye.gacha.exact import PityChain
from faye.gacha.grid import GridMoves
from faye.gacha.states import FRESH
from tests.conftest import START

LIMITED = "solheart_2026_01"
#: Top tier from fresh (62.297), and the one featured Legendary on a 0.5-share guarantee banner: x 1.5.
TOP_MEAN = 62.297
FEATURED_MEAN = 93.4455


@pytest.fixture(scope="module")
def rule(config: GameConfig) -> BannerRule:
    return BannerRule.of(config, config.banners_by_id[LIMITED])


def test_the_featured_legendary_takes_one_and_a_half_top_tier_waits(
    config: GameConfig, chain: PityChain, rule: BannerRule
) -> None:
    top = chain.passages(chain.fresh, [chain.states.tiers - 1])[0]
    assert top.mean == pytest.approx(TOP_MEAN, abs=5e-4)
    chase = Chase.of(config, rule, None)
    assert (chase.esprit.esprit_id, chase.featured) == ("solheart_phoenix", True)
    one = copies_passage(chain, chase, 1)
    assert one.mean == pytest.approx(1.5 * top.mean, rel=1e-12)
    assert one.mean == pytest.approx(FEATURED_MEAN, abs=1e-3)
    assert one.guaranteed
    assert one.max == 180
    assert one.pmf.sum() == pytest.approx(1.0, abs=1e-12)


def test_copies_renew_after_each_featured_top_tier_pull(config: GameConfig, chain: PityChain, rule: BannerRule) -> None:
    """After the featured Legendary both the pity counters (the top tier resets every counter) and the guarantee
    are fresh again, so N copies are N independent waits: the distribution is the N-fold convolution."""
    chase = Chase.of(config, rule, None)
    one = copies_passage(chain, chase, 1)
    two = copies_passage(chain, chase, 2)
    assert two.mean == pytest.approx(2 * FEATURED_MEAN, abs=2e-3)
    assert two.mean == pytest.approx(2 * one.mean, rel=1e-12)
    convolved = np.convolve(one.pmf, one.pmf)
    assert two.pmf[0] == 0.0
    assert np.allclose(two.pmf[1:], convolved, rtol=0, atol=1e-15)  # pmf[n - 1] = P(n pulls): two waits
    assert two.max == 360


def test_a_featured_mythic_does_not_renew(config: GameConfig, chain: PityChain, rule: BannerRule) -> None:
    """A Mythic pull leaves the Legendary counter running, so two copies are not two independent waits."""
    chase = Chase.of(config, rule, "tempest_kirin")
    one = copies_passage(chain, chase, 1)
    two = copies_passage(chain, chase, 2)
    assert not one.guaranteed
    assert one.max is None
    assert two.mean != pytest.approx(2 * one.mean, rel=1e-6)


def test_long_run_featured_share_is_two_thirds(config: GameConfig, chain: PityChain, rule: BannerRule) -> None:
    legendary = rule.tiers[-1]
    assert legendary.featured_long_run == pytest.approx(2 / 3)
    rates = {o.esprit_id: o for o in disclose_rates(config, LIMITED).esprits}
    featured = rates["solheart_phoenix"]
    assert featured.featured
    assert featured.tier == "Legendary"
    top = float(chain.rates[-1])
    assert featured.rate == pytest.approx(top * 2 / 3, rel=1e-12)
    # Renewal: one featured Legendary per featured wait, so its long-run rate is 1 / the mean wait.
    assert featured.rate == pytest.approx(1 / copies_passage(chain, Chase.of(config, rule, None), 1).mean, rel=1e-9)
    others = [o for o in rates.values() if o.tier == "Legendary" and not o.featured]
    assert len(others) == 4
    assert sum(o.rate for o in others) == pytest.approx(top / 3, rel=1e-12)


@pytest.mark.parametrize("banner_id", [None, "standard", LIMITED])
def test_every_esprit_once_and_the_rates_sum_to_one(config: GameConfig, banner_id: str | None) -> None:
    disclosure = disclose_rates(config, banner_id)
    assert disclosure.banner == (banner_id or "standard")
    assert sorted(o.esprit_id for o in disclosure.esprits) == sorted(e.esprit_id for e in config.esprits)
    assert math.fsum(o.rate for o in disclosure.esprits) == pytest.approx(1.0, abs=1e-12)
    assert all(o.rate > 0 for o in disclosure.esprits)
    assert disclosure.tiers == disclose_rates(config).tiers  # one tier table for every banner


def test_standard_banner_features_nobody(config: GameConfig) -> None:
    disclosure = disclose_rates(config)
    assert not any(o.featured for o in disclosure.esprits)
    legendary = [o.rate for o in disclosure.esprits if o.tier == "Legendary"]
    assert legendary == pytest.approx([legendary[0]] * 5)


def test_an_unknown_banner_is_not_found_naming_the_open_ones(config: GameConfig) -> None:
    with pytest.raises(NotFound, match=r"'nope'.*open now: standard, solheart_2026_01$"):
        disclose_rates(config, "nope", at=START)
    with pytest.raises(NotFound, match="banners: standard, solheart_2026_01, "):
        find_banner(config, "nope")


def test_a_non_featured_esprit_of_a_featured_tier(config: GameConfig, chain: PityChain, rule: BannerRule) -> None:
    """Everwinter Wyrm is one of four others. Legendary pulls renew the counters, so the wait is K top-tier waits
    where K counts Legendary pulls: from no guarantee, 1/2 featured (still none), 1/8 the Wyrm, 3/8 another
    (a guarantee: the next is featured). E0 = 1 + E0/2 + 3/8 (1 + E0) gives E0 = 11 (Wald: 11 x 62.297)."""
    chase = Chase.of(config, rule, "everwinter_wyrm")
    assert not chase.featured
    assert chase.step[0, 1].sum() == pytest.approx(0.5 / 4)
    assert chase.step[1, 1].sum() == 0.0  # a pending guarantee makes the pull featured: never this one
    top = chain.passages(chain.fresh, [chain.states.tiers - 1])[0]
    passage = copies_passage(chain, chase, 1)
    assert passage.mean == pytest.approx(11 * top.mean, rel=1e-9)
    assert not passage.guaranteed  # a run of featured pulls can go on and on


def test_chase_refusals(config: GameConfig, rule: BannerRule) -> None:
    with pytest.raises(InvalidArgument, match="unknown Esprit 'nope'"):
        Chase.of(config, rule, "nope")
    with pytest.raises(InvalidArgument, match="features no Esprit"):
        Chase.of(config, BannerRule.of(config, config.standard_banner), None)
    for copies in (0, 11, 10**9):
        with pytest.raises(InvalidAmount):
            pulls_for_copies(config, LIMITED, copies=copies, players=10)
    with pytest.raises(InvalidAmount):
        pulls_for_copies(config, LIMITED, copies=1, budget=10_001, players=10)
    with pytest.raises(InvalidArgument, match="unknown rarity"):
        complete_collection(config, None, tier="Shiny", players=10)


def test_pulls_for_copies_report_agrees_with_its_simulation(config: GameConfig) -> None:
    report = pulls_for_copies(config, LIMITED, copies=2, budget=200, players=3_000, seed=5)
    assert report.exact.mean == pytest.approx(2 * FEATURED_MEAN, abs=2e-3)
    assert (report.exact.p50, report.exact.max) == (183, 360)
    assert report.exact_within_budget == pytest.approx(report.exact_cdf[199])
    assert report.mean_agrees
    assert report.budget_agrees
    assert report.simulated.unfinished == 0
    assert len(report.simulated_cdf) == len(report.exact_cdf)
    again = pulls_for_copies(config, LIMITED, copies=2, budget=200, players=3_000, seed=5)
    assert again.simulated.spread == report.simulated.spread


def test_collection_integral_is_the_coupon_collector_for_equal_rates() -> None:
    for n, p in ((1, 0.2), (5, 0.1), (44, 1 / 44), (30, 0.001)):
        harmonic = math.fsum(1 / k for k in range(1, n + 1))
        assert collection_mean([p] * n) == pytest.approx(harmonic / p, rel=1e-10)


def test_collection_integral_by_inclusion_exclusion() -> None:
    rates = [0.3, 0.05, 0.01, 0.2, 0.0013]
    exact = math.fsum(
        (-1) ** (size + 1) / math.fsum(subset)
        for size in range(1, len(rates) + 1)
        for subset in itertools.combinations(rates, size)
    )
    assert collection_mean(rates) == pytest.approx(exact, rel=1e-10)


def test_collection_report(config: GameConfig) -> None:
    report = complete_collection(config, LIMITED, tier="Legendary", players=500, seed=3)
    assert next(o.esprit_id for o in report.esprits) == "solheart_phoenix"
    assert len(report.esprits) == 5
    rarest = min(o.rate for o in report.esprits)
    assert report.exact_mean > 1 / rarest  # at least the wait for the rarest
    assert report.simulated.unfinished == 0
    assert report.simulated.spread is not None
    assert report.simulated.spread.mean == pytest.approx(report.exact_mean, rel=0.1)  # pity: close, not equal
    assert report.exact_days == pytest.approx(report.exact_mean / report.pulls_per_day)
    roster = complete_collection(config, None, players=200, seed=3)
    assert len(roster.esprits) == len(config.esprits)


def test_a_banner_featuring_with_no_others_left(config: GameConfig, chain: PityChain) -> None:
    """Every Legendary featured: a pull of the tier is always featured, and the chase of one is a fifth of them."""
    legendary = [e.esprit_id for e in config.esprits if e.rarity == "Legendary"]
    banner = Banner.model_validate(
        {
            "banner_id": "all_top",
            "name": "All",
            "kind": "limited",
            "start": "2026-01-01T00:00:00Z",
            "end": "2026-02-01T00:00:00Z",
            "featured": {"Legendary": FeaturedTier(esprits=tuple(legendary))},
        }
    )
    rule = BannerRule.of(config, banner)
    chase = Chase.of(config, rule, legendary[0])
    top = chain.passages(chain.fresh, [chain.states.tiers - 1])[0]
    assert copies_passage(chain, chase, 1).mean == pytest.approx(5 * top.mean, rel=1e-9)


def test_progress_counts_the_walk_then_every_player(config: GameConfig) -> None:
    steps: list[int] = []
    pulls_for_copies(config, LIMITED, copies=1, players=50, seed=1, progress=steps.append)
    assert sum(steps) == PROGRESS + 50
    assert all(step > 0 for step in steps)


@pytest.mark.parametrize("tier", range(6))
def test_the_grid_step_is_the_scatter_step(chain: PityChain, tier: int) -> None:
    """The shipped rule restarts or steps every counter: the grid's shifts move the mass exactly as the
    successor table does, for whichever tier the walk keeps apart."""
    states = chain.states
    grid = GridMoves.of(states, tier)
    assert grid is not None
    mass = np.random.default_rng(tier).random((3, 2, states.size))
    for fast, general in zip(grid.pull(mass), Moves.of(states.probs, states.successor, tier).pull(mass), strict=True):
        assert np.allclose(fast, general, rtol=1e-12, atol=1e-15)


def test_a_rule_that_is_not_a_shift_keeps_the_scatter_step(chain: PityChain) -> None:
    """Should a tier's pull send one state somewhere a restart-or-step does not, the grid step declines."""
    successor = chain.states.successor.copy()
    successor[5, 0] = FRESH  # a Common pull from state 5 restarting everything, unlike from any other state
    assert GridMoves.of(dataclasses.replace(chain.states, successor=successor), 0) is None


def test_an_unbounded_chase_stops_at_its_99th_percentile_with_the_exact_mean(
    config: GameConfig, chain: PityChain, rule: BannerRule
) -> None:
    """A featured Mythic has no pity: the walk stops once past the budget and 99 % of the mass, and the mean
    from `chase_mean` is the one the walk to the far tail (mass left below 1e-13) gives."""
    chase = Chase.of(config, rule, "tempest_kirin")
    short = copies_passage(chain, chase, 3, budget=300)
    full = copies_passage(chain, chase, 3, covered=2.0)  # never covered: walks to the tail
    tail = float(np.dot(np.arange(1, len(full.pmf) + 1), full.pmf))
    assert short.mean == pytest.approx(tail, rel=1e-10)
    assert chase_mean(chain.states, chase, 3) == short.mean
    assert len(short.pmf) == full.percentile(0.99)
    assert len(short.pmf) < len(full.pmf)
    assert [short.percentile(p) for p in (0.5, 0.9, 0.99)] == [full.percentile(p) for p in (0.5, 0.9, 0.99)]
    assert short.within(300) == pytest.approx(full.within(300), abs=1e-15)
    assert not short.guaranteed
    assert short.max is None
    past = copies_passage(chain, chase, 3, budget=len(full.pmf) // 2)  # a budget beyond the 99th percentile
    assert len(past.pmf) == len(full.pmf) // 2
    assert past.within(len(full.pmf) // 2) == pytest.approx(full.within(len(full.pmf) // 2), abs=1e-15)
