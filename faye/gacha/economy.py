"""Economy projection: free players living on daily rewards and spending them on summons, day by day.

A free player registers on day 1 (the starting grant), claims the daily reward every day (so the streak grows
to its cap), and summons by a `Strategy`. Rewards, XP, levels and level-up rewards follow game_settings.json
through the config's own methods; pulls go through the simulator's `Sampler`, so pity is the rule's own.
Players are simulated together with numpy, one day at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faye.choices import DEFAULT_SEED, ECONOMY_DEFAULT_DAYS, ECONOMY_DEFAULT_PLAYERS, Strategy
from faye.config import Currency, GameConfig
from faye.gacha.pity import RarityTable
from faye.gacha.simulate import Sampler, uniform_draws
from faye.gacha.states import FRESH, IndexArray, PityStates
from faye.inputs import check_economy_size

#: Ledger reasons, the same words the game writes.
STARTING, DAILY, LEVEL_UP, SUMMON = "starting_grant", "daily", "level_up", "summon"

Ints = NDArray[np.int64]


@dataclass(frozen=True)
class Milestone:
    """When players first got a tier or higher from a summon."""

    name: str
    reached: float
    """Share of players who got one within the projection."""
    p50_days: int | None
    p90_days: int | None
    by_day: list[float]
    """Share of players who had one by the end of each day."""


@dataclass(frozen=True)
class Flow:
    """Where one currency came from and went, per player on average over the whole projection."""

    currency: str
    sources: dict[str, float]
    sinks: dict[str, float]
    end_balance: float
    balance: list[float]
    """Mean balance at the end of each day."""


@dataclass(frozen=True)
class EconomyReport:
    players: int
    days: int
    strategy: str
    seed: int
    seconds: float
    currency: str
    """The summon currency."""
    single_cost: int
    ten_cost: int
    pulls_per_player: float
    pulls_per_day: list[float]
    """Mean pulls per player on each day."""
    level: list[float]
    """Mean level at the end of each day."""
    tiers: list[Milestone]
    currencies: list[Flow]
    tier_or_higher: bool = True


class _Players:
    """The simulated players' wallets, levels and pity states, with the game's rules for changing them."""

    def __init__(self, config: GameConfig, sampler: Sampler, players: int, rng: np.random.Generator) -> None:
        self.config = config
        self.sampler = sampler
        self.rng = rng
        self.currencies = list(Currency)
        self.flows = {c: {STARTING: 0, DAILY: 0, LEVEL_UP: 0, SUMMON: 0} for c in self.currencies}
        starting = config.settings.starting
        curve = config.settings.xp
        self.wallet = np.zeros((len(self.currencies), players), dtype=np.int64)
        for row, currency in enumerate(self.currencies):
            self.wallet[row] = starting.currencies()[currency]
            self.flows[currency][STARTING] = starting.currencies()[currency] * players
        self.level_xp = np.array([curve.total_xp_for(level) for level in range(1, curve.max_level + 1)])
        self.level_reward = np.array([dict(curve.level_up_reward.items())[c] for c in self.currencies])
        self.xp = np.full(players, curve.total_xp_for(starting.level), dtype=np.int64)
        self.level = np.full(players, starting.level, dtype=np.int64)
        self.rows = sampler.rows(np.full(players, FRESH, dtype=np.intp))
        self._daily: dict[object, Ints] = {}  # rewards by level, per streak bonus (it stops growing at its cap)

    def credit(self, who: IndexArray | slice, amounts: Ints, reason: str) -> None:
        """Add (currencies, players) `amounts` to the wallets of `who`, booked under `reason`."""
        self.wallet[:, who] += amounts
        for row, currency in enumerate(self.currencies):
            self.flows[currency][reason] += int(amounts[row].sum())

    def grant_xp(self, who: IndexArray | slice, amount: int) -> None:
        """XP, then any level-ups and their rewards, as `grant_xp` does for a real player."""
        self.xp[who] += amount
        reached = np.maximum(self.level[who], np.searchsorted(self.level_xp, self.xp[who], side="right"))
        gained = reached - self.level[who]
        self.level[who] = reached
        self.credit(who, self.level_reward[:, None] * gained[None, :], LEVEL_UP)

    def claim_daily(self, streak: int) -> None:
        daily = self.config.settings.daily
        bonus = daily.streak_bonus(streak)
        if bonus not in self._daily:
            levels = range(1, self.config.settings.xp.max_level + 1)
            paid = [daily.reward(level, streak) for level in levels]
            self._daily[bonus] = np.array([[pay.get(c, 0) for pay in paid] for c in self.currencies])
        self.credit(slice(None), self._daily[bonus][:, self.level - 1], DAILY)
        self.grant_xp(slice(None), daily.xp)

    def summon(self, who: IndexArray, amount: int) -> IndexArray:
        """`who` pay for and make `amount` pulls each; returns the best tier each of them got."""
        summon = self.config.settings.summon
        row = self.currencies.index(summon.currency)
        cost = np.zeros((len(self.currencies), who.size), dtype=np.int64)
        cost[row] = -summon.cost(amount)
        self.credit(who, cost, SUMMON)
        rows = self.rows[who]
        codes = np.empty(who.size, dtype=self.sampler.code_type)
        key = np.empty(who.size, dtype=np.uint32)
        best = np.zeros(who.size, dtype=np.intp)
        for _ in range(amount):
            self.sampler.pull(uniform_draws(self.rng, who.size), rows, codes, key)
            np.maximum(best, self.sampler.tiers_of(codes), out=best)
        self.rows[who] = rows
        self.grant_xp(who, summon.xp_per_pull * amount)
        return best

    def funds(self) -> Ints:
        row: Ints = self.wallet[self.currencies.index(self.config.settings.summon.currency)]
        return row


def project_economy(
    config: GameConfig,
    *,
    players: int = ECONOMY_DEFAULT_PLAYERS,
    days: int = ECONOMY_DEFAULT_DAYS,
    strategy: Strategy = Strategy.SINGLE,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
) -> EconomyReport:
    """Project `players` free players over `days` days of dailies and summons; refuses InvalidAmount for sizes
    beyond faye.inputs (a run that would not end in a minute)."""
    check_economy_size(players, days)
    started = time.perf_counter()
    states = PityStates.of(RarityTable.from_config(config))
    sampler = Sampler(states)
    group = _Players(config, sampler, players, np.random.Generator(np.random.PCG64(seed)))
    summon = config.settings.summon
    top_pity = states.pity_tiers[-1] if states.pity_tiers else None
    first_day = np.zeros((states.tiers, players), dtype=np.int64)  # 0: not yet
    spending = np.zeros(players, dtype=bool)
    pulls_per_day, level, balance = [], [], []
    for day in range(1, days + 1):
        group.claim_daily(streak=day)
        pulled = 0
        while True:
            funds = group.funds()
            if strategy is Strategy.SINGLE:
                amount, wants = 1, funds >= summon.single_cost
            elif strategy is Strategy.TEN or top_pity is None:
                amount, wants = 10, funds >= summon.ten_cost
            else:
                counter = states.counters[group.rows >> np.uint32(sampler.bits), -1]
                guarantee = summon.ten_cost * -(-(states.hards[-1] - counter) // 10)
                spending |= funds >= guarantee
                amount, wants = 10, spending & (funds >= summon.ten_cost)
            who = np.flatnonzero(wants)
            if who.size == 0:
                break
            best = group.summon(who, amount)
            pulled += who.size * amount
            for tier in range(states.tiers):
                new = who[(best >= tier) & (first_day[tier, who] == 0)]
                first_day[tier, new] = day
            if top_pity is not None:
                spending[who[best >= top_pity]] = False
        pulls_per_day.append(pulled / players)
        level.append(float(group.level.mean()))
        balance.append(group.wallet.mean(axis=1))
        if progress is not None:
            progress(1)
    balances = np.array(balance)
    return EconomyReport(
        players=players,
        days=days,
        strategy=strategy.value,
        seed=seed,
        seconds=time.perf_counter() - started,
        currency=summon.currency.value,
        single_cost=summon.single_cost,
        ten_cost=summon.ten_cost,
        pulls_per_player=float(sum(pulls_per_day)),
        pulls_per_day=pulls_per_day,
        level=level,
        tiers=[_milestone(rule.name, first_day[tier], days) for tier, rule in enumerate(states.table.rules)],
        currencies=[
            Flow(
                currency=currency.value,
                sources={r: group.flows[currency][r] / players for r in (STARTING, DAILY, LEVEL_UP)},
                sinks={SUMMON: -group.flows[currency][SUMMON] / players},
                end_balance=float(balances[-1, row]),
                balance=[float(b) for b in balances[:, row]],
            )
            for row, currency in enumerate(group.currencies)
        ],
    )


def _milestone(name: str, first_day: Ints, days: int) -> Milestone:
    by_day = np.cumsum(np.bincount(first_day, minlength=days + 1)[1:]) / first_day.size
    p50, p90 = (np.flatnonzero(by_day >= p) for p in (0.5, 0.9))
    return Milestone(
        name=name,
        reached=float(by_day[-1]),
        p50_days=int(p50[0]) + 1 if p50.size else None,
        p90_days=int(p90[0]) + 1 if p90.size else None,
        by_day=[float(share) for share in by_day],
    )
