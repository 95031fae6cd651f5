"""The rarity and pity rule in faye.gacha.pity: probabilities, counters, the draw, and exact reference rates."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faye.config import GameConfig, PityRule, RarityTier
from faye.gacha import RarityTable, TierRule

EPIC_PITY = PityRule(soft_start=9, soft_step=0.45, hard=10)
LEGENDARY_PITY = PityRule(soft_start=74, soft_step=0.06, hard=90)


def shipped_like() -> RarityTable:
    return RarityTable(
        [
            RarityTier(name="Common", weight=0.55),
            RarityTier(name="Uncommon", weight=0.25),
            RarityTier(name="Rare", weight=0.13),
            RarityTier(name="Epic", weight=0.05, pity=EPIC_PITY),
            RarityTier(name="Mythic", weight=0.014),
            RarityTier(name="Legendary", weight=0.006, pity=LEGENDARY_PITY),
        ]
    )


def two_tier(pity: PityRule, top_weight: float = 0.006) -> RarityTable:
    return RarityTable(
        [RarityTier(name="Common", weight=1 - top_weight), RarityTier(name="Top", weight=top_weight, pity=pity)]
    )


def expected_pulls_to_top(table: RarityTable) -> float:
    """E[pulls until the top tier] = sum over k of P(no top tier in the first k pulls), from the exact rule."""
    top = table.size - 1
    counters = list(table.fresh())
    survival, mean = 1.0, 0.0
    for _ in range(10_000):
        mean += survival
        p = table.probabilities(counters)[top]
        survival *= 1 - p
        if survival == 0:
            return mean
        counters = list(table.advance(counters, 0))
    raise AssertionError("the top tier was never guaranteed")


# --- strategies -----------------------------------------------------------------------------------------


@st.composite
def pity_rules(draw: st.DrawFn) -> PityRule:
    hard = draw(st.integers(1, 120))
    soft_start = draw(st.integers(1, hard))
    step = draw(st.floats(0.001, 1.0))
    return PityRule(soft_start=soft_start, soft_step=step, hard=hard)


@st.composite
def tier_lists(draw: st.DrawFn) -> list[RarityTier]:
    n = draw(st.integers(2, 7))
    tiers = []
    for i in range(n):
        weight = draw(st.floats(1e-4, 10.0))
        pity = draw(st.none() | pity_rules())
        tiers.append(RarityTier(name=f"T{i}", weight=weight, pity=pity))
    if all(t.pity is not None for t in tiers):
        free = draw(st.integers(0, n - 1))
        tiers[free] = RarityTier(name=tiers[free].name, weight=tiers[free].weight)
    return tiers


@st.composite
def table_and_counters(draw: st.DrawFn) -> tuple[RarityTable, list[int]]:
    table = RarityTable(draw(tier_lists()))
    counters = [draw(st.integers(0, (r.pity.hard + 3) if r.pity else 150)) for r in table.rules]
    return table, counters


# --- probabilities --------------------------------------------------------------------------------------


@given(table_and_counters())
def test_probabilities_are_a_distribution(case: tuple[RarityTable, list[int]]) -> None:
    table, counters = case
    probs = table.probabilities(counters)
    assert len(probs) == table.size
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert math.fsum(probs) == pytest.approx(1.0, abs=1e-9)


@given(st.lists(st.integers(0, 200), min_size=6, max_size=6))
def test_shipped_tiers_sum_to_one(counters: list[int]) -> None:
    assert math.fsum(shipped_like().probabilities(counters)) == pytest.approx(1.0, abs=1e-12)


def test_base_weights_are_normalised() -> None:
    table = RarityTable([RarityTier(name="A", weight=3), RarityTier(name="B", weight=1)])
    assert [r.base for r in table.rules] == [0.75, 0.25]
    assert table.probabilities(table.fresh()) == pytest.approx((0.75, 0.25))


def test_fresh_counters_give_the_base_rates() -> None:
    table = shipped_like()
    assert table.probabilities(table.fresh()) == pytest.approx((0.55, 0.25, 0.13, 0.05, 0.014, 0.006))


def test_pity_probability_formula() -> None:
    rule = TierRule(name="Top", base=0.006, pity=PityRule(soft_start=74, soft_step=0.06, hard=90))
    # k = counter + 1 is the number of the coming pull since the last top-tier pull
    for counter in range(0, 73):
        assert rule.pity_probability(counter) == pytest.approx(0.006)
    assert rule.pity_probability(73) == pytest.approx(0.006 + 0.06 * 1)  # k = 74 = soft_start
    assert rule.pity_probability(74) == pytest.approx(0.006 + 0.06 * 2)
    for counter in range(73, 89):
        k = counter + 1
        assert rule.pity_probability(counter) == pytest.approx(min(1.0, 0.006 + 0.06 * (k - 74 + 1)))
    assert rule.pity_probability(89) == 1.0  # k = 90 = hard
    assert rule.pity_probability(500) == 1.0


@given(pity_rules(), st.floats(1e-4, 0.5), st.integers(0, 200))
def test_pity_probability_never_exceeds_one(rule: PityRule, base: float, counter: int) -> None:
    p = TierRule(name="X", base=base, pity=rule).pity_probability(counter)
    assert base <= p <= 1.0
    if counter + 1 >= rule.hard:
        assert p == 1.0
    elif counter + 1 < rule.soft_start:
        assert p == base


def test_tier_without_pity_keeps_its_base() -> None:
    rule = TierRule(name="Common", base=0.4, pity=None)
    assert rule.pity_probability(10_000) == 0.4


def test_hard_pity_guarantees_the_top_tier() -> None:
    table = shipped_like()
    probs = table.probabilities([0, 0, 0, 0, 0, 89])
    assert probs[5] == 1.0
    assert sum(probs[:5]) == 0.0


def test_hard_pity_guarantees_the_tier_or_higher() -> None:
    table = shipped_like()
    probs = table.probabilities([0, 0, 0, 9, 0, 0])
    assert math.fsum(probs[3:]) == pytest.approx(1.0)
    assert probs[:3] == (0.0, 0.0, 0.0)
    assert probs[5] == pytest.approx(0.006)  # the higher pity tier keeps its own chance


@given(table_and_counters(), st.data())
def test_hard_pity_of_any_tier_means_that_tier_or_higher(
    case: tuple[RarityTable, list[int]], data: st.DataObject
) -> None:
    table, counters = case
    pity_tiers = [i for i, r in enumerate(table.rules) if r.pity is not None]
    if not pity_tiers:
        return
    i = data.draw(st.sampled_from(pity_tiers))
    rule = table.rules[i].pity
    assert rule is not None
    counters[i] = rule.hard - 1
    probs = table.probabilities(counters)
    assert math.fsum(probs[i:]) == pytest.approx(1.0, abs=1e-9)
    assert all(p == 0.0 for p in probs[:i])


@given(table_and_counters())
def test_free_tiers_share_the_rest_in_proportion(case: tuple[RarityTable, list[int]]) -> None:
    table, counters = case
    probs = table.probabilities(counters)
    free = [i for i, r in enumerate(table.rules) if r.pity is None]
    pity_mass = math.fsum(probs[i] for i, r in enumerate(table.rules) if r.pity is not None)
    free_base = math.fsum(table.rules[i].base for i in free)
    for i in free:
        assert probs[i] == pytest.approx(max(0.0, 1 - pity_mass) * table.rules[i].base / free_base, abs=1e-12)


def test_free_tiers_share_the_rest_worked_example() -> None:
    table = shipped_like()
    # Epic at soft pity (k = 9): 0.05 + 0.45 = 0.5; Legendary base 0.006; the rest 0.494 is shared.
    probs = table.probabilities([0, 0, 0, 8, 0, 0])
    assert probs[5] == pytest.approx(0.006)
    assert probs[3] == pytest.approx(0.5)
    free_base = 0.55 + 0.25 + 0.13 + 0.014
    for i, base in ((0, 0.55), (1, 0.25), (2, 0.13), (4, 0.014)):
        assert probs[i] == pytest.approx(0.494 * base / free_base)


def test_higher_pity_tier_is_served_first() -> None:
    table = shipped_like()
    probs = table.probabilities([0, 0, 0, 9, 0, 89])  # both at hard pity: the higher tier wins
    assert probs[5] == 1.0
    assert probs[3] == 0.0


# --- counters -------------------------------------------------------------------------------------------


@given(st.lists(st.integers(0, 1000), min_size=6, max_size=6), st.integers(0, 5))
def test_advance_resets_drawn_and_lower_increments_higher(counters: list[int], drawn: int) -> None:
    after = shipped_like().advance(counters, drawn)
    for i, (before, now) in enumerate(zip(counters, after, strict=True)):
        assert now == (0 if i <= drawn else before + 1)


def test_advance_example() -> None:
    table = shipped_like()
    assert table.advance((3, 4, 5, 6, 7, 8), 3) == (0, 0, 0, 0, 8, 9)
    assert table.advance((3, 4, 5, 6, 7, 8), 0) == (0, 5, 6, 7, 8, 9)
    assert table.advance((3, 4, 5, 6, 7, 8), 5) == (0, 0, 0, 0, 0, 0)


def test_pull_returns_the_chosen_tier_and_advanced_counters() -> None:
    table = shipped_like()
    counters = (0, 0, 0, 9, 0, 5)  # Epic at hard pity
    drawn, after = table.pull(counters, 0.0)
    assert drawn == 3
    assert after == (0, 0, 0, 0, 1, 6)


def test_epic_pity_window_holds_over_a_long_run() -> None:
    """Every 10 consecutive pulls contain an Epic or higher, whatever u is (here a worst case: u = 0)."""
    table = shipped_like()
    counters = table.fresh()
    drawn_tiers = []
    for _ in range(100):
        drawn, counters = table.pull(counters, 0.0)
        drawn_tiers.append(drawn)
    assert all(max(drawn_tiers[i : i + 10]) >= 3 for i in range(0, 91))


# --- choose ---------------------------------------------------------------------------------------------


def test_choose_is_cumulative_from_the_lowest_tier() -> None:
    table = shipped_like()
    probs = (0.5, 0.25, 0.25)
    assert table.choose(probs, 0.0) == 0
    assert table.choose(probs, 0.4999) == 0
    assert table.choose(probs, 0.5) == 1
    assert table.choose(probs, 0.75) == 2


def test_choose_near_one_skips_zero_probability_tiers() -> None:
    table = shipped_like()
    below_one = 1.0 - 2**-53
    assert table.choose((0.5, 0.5, 0.0), below_one) == 1
    # float sums falling short of 1 must not hand u to a tier that cannot be drawn
    short = (0.1, 0.1, 0.1, 0.0, 0.0)  # sums to 0.30000000000000004 at most
    assert table.choose(short, 0.999) == 2
    assert table.choose((0.0, 1.0, 0.0, 0.0), below_one) == 1


@given(table_and_counters(), st.floats(0.0, 1.0, exclude_max=True))
def test_choose_never_returns_a_zero_probability_tier(case: tuple[RarityTable, list[int]], u: float) -> None:
    table, counters = case
    probs = table.probabilities(counters)
    assert probs[table.choose(probs, u)] > 0.0


@given(table_and_counters())
def test_choose_at_the_top_of_the_unit_interval(case: tuple[RarityTable, list[int]]) -> None:
    table, counters = case
    probs = table.probabilities(counters)
    chosen = table.choose(probs, 1.0 - 2**-53)
    assert probs[chosen] > 0.0
    assert chosen == max(i for i, p in enumerate(probs) if p > 0.0)


# --- exact reference rates ------------------------------------------------------------------------------


def test_reference_soft_and_hard_pity_mean() -> None:
    table = two_tier(PityRule(soft_start=74, soft_step=0.06, hard=90))
    mean = expected_pulls_to_top(table)
    assert mean == pytest.approx(62.297, abs=1e-3)
    assert 1 / mean == pytest.approx(0.016052, abs=1e-6)


def test_reference_hard_pity_only_mean() -> None:
    table = two_tier(PityRule(soft_start=90, soft_step=0.06, hard=90))
    mean = expected_pulls_to_top(table)
    assert mean == pytest.approx(69.70, abs=0.01)
    assert mean == pytest.approx((1 - 0.994**90) / 0.006, rel=1e-12)


def test_from_config_follows_the_shipped_tiers(config: GameConfig) -> None:
    table = RarityTable.from_config(config)
    assert [r.name for r in table.rules] == list(config.tier_names)
    assert math.fsum(r.base for r in table.rules) == pytest.approx(1.0)
    assert [r.pity for r in table.rules] == [t.pity for t in config.tiers]
