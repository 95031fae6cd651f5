"""The free-player economy projection: the game's reward rules, conservation, strategies, determinism."""

from __future__ import annotations

import pytest

from faye.choices import Strategy
from faye.config import Currency, GameConfig
from faye.errors import InvalidAmount
from faye.gacha.economy import ASCEND, DAILY, LEVEL_UP, STARTING, SUMMON, TRAIN, project_economy


def test_currency_is_conserved(config: GameConfig) -> None:
    """Starting grant + dailies + level-up rewards - summons = what is left, for every currency."""
    report = project_economy(config, players=500, days=60, seed=1)
    for flow in report.currencies:
        assert sum(flow.sources.values()) - sum(flow.sinks.values()) == pytest.approx(flow.end_balance)
        assert flow.balance[-1] == pytest.approx(flow.end_balance)
        assert flow.sources[STARTING] == getattr(config.settings.starting, flow.currency)
    gems = next(f for f in report.currencies if f.currency == report.currency)
    spent = gems.sinks[SUMMON]
    single, ten = config.settings.summon.single_cost, config.settings.summon.ten_cost
    assert spent == pytest.approx(report.pulls_per_player * single)  # single strategy: every pull is a single
    assert ten > 0
    assert report.pulls_per_player == pytest.approx(sum(report.pulls_per_day))


def test_first_day_follows_the_settings(config: GameConfig) -> None:
    """Day 1: the starting grant plus a first daily (streak 1, level 1), spent on single pulls."""
    report = project_economy(config, players=50, days=1, seed=0)
    settings = config.settings
    currency = settings.summon.currency
    funds = getattr(settings.starting, currency.value) + settings.daily.reward(settings.starting.level, 1)[currency]
    assert report.pulls_per_day[0] >= funds // settings.summon.single_cost
    paid = next(f for f in report.currencies if f.currency == currency.value).sources[DAILY]
    assert paid == settings.daily.reward(settings.starting.level, 1)[currency]


def test_daily_rewards_grow_with_the_streak(config: GameConfig) -> None:
    daily = config.settings.daily
    days = 10
    assert daily.streak_bonus(days) == daily.streak_bonus_cap  # the shipped cap is reached within 10 days
    report = project_economy(config, players=10, days=days, seed=0)
    faylen = next(f for f in report.currencies if f.currency == Currency.FAYLEN.value)
    at_level_one = sum(daily.reward(1, day)[Currency.FAYLEN] for day in range(1, days + 1))
    assert faylen.sources[DAILY] >= at_level_one  # levels only add


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_strategy_gets_a_legendary_within_a_season(config: GameConfig, strategy: Strategy) -> None:
    report = project_economy(config, players=1_000, days=90, strategy=strategy, seed=4)
    legendary = report.tiers[-1]
    assert legendary.reached == 1.0
    assert legendary.p50_days is not None
    assert legendary.p90_days is not None
    assert 1 <= legendary.p50_days <= legendary.p90_days <= 90
    assert len(legendary.by_day) == 90
    assert legendary.by_day[-1] == 1.0
    assert report.currencies[0].sources[LEVEL_UP] > 0


def test_strategies_spend_as_documented(config: GameConfig) -> None:
    single = project_economy(config, players=200, days=30, strategy=Strategy.SINGLE, seed=0)
    ten = project_economy(config, players=200, days=30, strategy=Strategy.TEN, seed=0)
    save = project_economy(config, players=200, days=30, strategy=Strategy.SAVE, seed=0)
    cost = config.settings.summon
    assert single.currencies[2].end_balance < cost.single_cost
    assert ten.currencies[2].end_balance < cost.ten_cost
    assert all(pulls % 10 == 0 for pulls in ten.pulls_per_day)  # everyone pulls the same whole 10-pulls here
    assert save.pulls_per_day[0] == 0  # saving for the 9 ten-pulls that reach hard pity 90
    assert save.tiers[-1].p50_days is None  # 30 days are not enough to save 12,960 gems


def test_same_seed_same_projection(config: GameConfig) -> None:
    first = project_economy(config, players=300, days=20, seed=7)
    again = project_economy(config, players=300, days=20, seed=7)
    assert first.tiers == again.tiers
    assert first.currencies == again.currencies


@pytest.mark.parametrize(
    ("kwargs", "field"), [({"players": 0}, "players"), ({"days": -1}, "days"), ({"days": 0}, "days")]
)
def test_bad_numbers_are_refused(config: GameConfig, kwargs: dict[str, int], field: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        project_economy(config, **kwargs)  # type: ignore[arg-type]
    assert caught.value.details["field"] == field


def test_the_starter_is_trained_and_ascended(config: GameConfig) -> None:
    """The progression sinks: faylen goes to training, virelite to ascension, and the starter grows."""
    report = project_economy(config, players=300, days=30, seed=2)
    faylen, virelite, gems = (next(f for f in report.currencies if f.currency == c.value) for c in Currency)
    assert set(faylen.sinks) == {SUMMON, TRAIN}
    assert set(virelite.sinks) == {SUMMON, ASCEND}
    assert faylen.sinks[TRAIN] > 0
    assert virelite.sinks[ASCEND] > 0
    assert set(gems.sinks) == {SUMMON}
    assert len(report.partner_level) == len(report.partner_rank) == 30
    assert report.partner_level == sorted(report.partner_level)
    assert report.partner_rank == sorted(report.partner_rank)
    top = config.progression.ascension
    assert 1 < report.partner_level[-1] <= top.level_cap(top.max_rank)
    assert 0 < report.partner_rank[-1] <= top.max_rank
