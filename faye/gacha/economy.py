"""Economy projection: free players living on daily rewards and spending them on summons, day by day.

A free player registers on day 1 (the starting grant), claims the daily reward every day (so the streak grows
to its cap), and summons by a `Strategy`. Rewards, XP, levels and level-up rewards follow game_settings.json
through the config's own methods; pulls go through the simulator's `Sampler`, so pity is the rule's own.
Players are simulated together with numpy, one day at a time.

The progression sinks: every player grows one partner Esprit (`Partners`), by this policy, at the end of each
day after its summons: first it ascends the partner as many ranks as its duplicates and virelite pay for, then
it trains it with all its faylen, up to the level cap. The partner is active, so it also gains the active share
of the XP its player earns (dailies, summons). In the economy projection the partner is the starter (drawn from
the starter pool, active from registration); `faye.gacha.progression_sim` follows one Esprit of a chosen rarity
instead. Costs and XP come from faye.progression's rules (tables built from them, or the same formulas on
arrays), so the projection charges what a real training or ascension charges.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faye import progression
from faye.choices import DEFAULT_SEED, ECONOMY_DEFAULT_DAYS, ECONOMY_DEFAULT_PLAYERS, Strategy
from faye.config import Currency, GameConfig, ProgressionSettings
from faye.gacha.pity import RarityTable
from faye.gacha.simulate import Sampler, uniform_draws
from faye.gacha.states import FRESH, IndexArray, PityStates
from faye.inputs import check_economy_size

#: Ledger reasons, the same words the game writes.
STARTING, DAILY, LEVEL_UP, SUMMON = "starting_grant", "daily", "level_up", "summon"
TRAIN, ASCEND = "train", "ascend"
#: The currency each progression sink takes (the progression service's own).
SINK_CURRENCY = {TRAIN: Currency.FAYLEN, ASCEND: Currency.VIRELITE}

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


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
    partner_level: list[float]
    """Mean level of the players' partner (their starter, trained and ascended) at the end of each day."""
    partner_rank: list[float]
    """Mean ascension rank of the partner at the end of each day."""
    tier_or_higher: bool = True


def faylen_for_xp(rules: ProgressionSettings, xp: Ints) -> Ints:
    """`faye.progression.faylen_for_xp` on an array: the same formula (the tests hold the two equal)."""
    price: Ints = np.where(xp > 0, np.ceil(xp / rules.xp_per_faylen - 1e-9), 0).astype(np.int64)
    return price


def xp_for_faylen(rules: ProgressionSettings, faylen: Ints) -> Ints:
    """`faye.progression.xp_for_faylen` on an array: the same formula (the tests hold the two equal)."""
    xp: Ints = np.floor(faylen * rules.xp_per_faylen + 1e-9).astype(np.int64)
    return xp


class Partners:
    """Every simulated player's partner Esprit: its level, XP, ascension rank and spare duplicates, and the
    faylen and virelite spent on it.

    XP is kept as the total from level 1 (`total[tier, L]` is what level L takes, summed from
    faye.progression.xp_to_next), clamped at the level cap: exactly faye.progression.gain, which keeps no XP
    beyond the cap. A player without its partner yet (`owned` false) gets it from its first pull of the
    partner's tier; every later pull of that tier is a duplicate with chance 1 / (Esprits in the tier), as the
    game picks the species uniformly within the tier.

    With `record`, the day each level and rank was first reached, and the faylen and virelite spent on the
    partner by then, are kept per player (`reached`, `faylen_at`, `virelite_at`: rows are levels 1..top, then
    ranks 1..max_rank; day 0 = not yet).
    """

    def __init__(
        self, config: GameConfig, tier: IndexArray, owned: Bools, rng: np.random.Generator, *, record: bool = False
    ) -> None:
        rules = config.progression
        ascension = rules.ascension
        self.rules = rules
        self.rng = rng
        self.tier = tier
        self.present = np.unique(tier)
        self.owned = owned.copy()
        self.max_rank = ascension.max_rank
        self.top = ascension.level_cap(ascension.max_rank)
        self.caps = np.array([ascension.level_cap(rank) for rank in range(self.max_rank + 1)], dtype=np.int64)
        self.total = np.zeros((len(config.tier_names), self.top + 2), dtype=np.int64)
        self.copies_needed = np.zeros(self.max_rank, dtype=np.int64)
        self.virelite_needed = np.zeros((len(config.tier_names), self.max_rank), dtype=np.int64)
        for t, name in enumerate(config.tier_names):
            growth = rules.rarities[name]
            self.total[t, 2:] = np.cumsum([progression.xp_to_next(growth, level) for level in range(1, self.top + 1)])
            for rank in range(self.max_rank):
                self.copies_needed[rank], self.virelite_needed[t, rank] = progression.ascension_cost(rules, name, rank)
        self.species = np.array([len(members) for members in config.esprits_by_tier], dtype=np.int64)
        players = tier.size
        self.level = np.ones(players, dtype=np.int64)
        self.xp = np.zeros(players, dtype=np.int64)
        self.rank = np.zeros(players, dtype=np.int64)
        self.copies = np.zeros(players, dtype=np.int64)
        """Duplicates held, not yet consumed by an ascension."""
        self.duplicates = np.zeros(players, dtype=np.int64)
        """Duplicates pulled, consumed or not."""
        self.pending = np.zeros(players, dtype=np.int64)
        self.faylen_spent = np.zeros(players, dtype=np.int64)
        self.virelite_spent = np.zeros(players, dtype=np.int64)
        self.record = record
        self.day = 0
        rows = self.top + self.max_rank if record else 0
        self.reached = np.zeros((rows, players), dtype=np.int32)
        self.faylen_at = np.zeros((rows, players), dtype=np.int64)
        self.virelite_at = np.zeros((rows, players), dtype=np.int64)

    @classmethod
    def starters(cls, config: GameConfig, players: int, rng: np.random.Generator) -> Partners:
        """Each player's starter, drawn from the starter pool as registration does, owned from day 1."""
        pool = config.settings.starter_pool
        tiers = np.array([config.tier_names.index(config.esprits_by_id[e].rarity) for e in pool], dtype=np.intp)
        return cls(config, tiers[rng.integers(len(pool), size=players)], np.ones(players, dtype=bool), rng)

    def offer(self, who: IndexArray | slice, player_xp: int) -> None:
        """The active share (rounded down) of `player_xp` XP earned by `who`, for the partners they own.

        It waits in `pending` until `settle` at the end of the day: the cap does not move before the day's
        ascensions, so one clamp then is the same as one per offer."""
        share = math.floor(player_xp * self.rules.active_share)
        if share > 0:
            self.pending[who] += share

    def settle(self) -> None:
        """Give the owned partners the XP offered to them today."""
        owners = np.flatnonzero(self.owned & (self.pending > 0))
        self._grow(owners, self.xp[owners] + self.pending[owners], None)
        self.pending[:] = 0

    def pulled(self, who: IndexArray, hits: Ints) -> None:
        """`who` each made `hits` pulls of their partner's tier: the first one gives a player without its partner
        the partner; each other one is a duplicate with chance 1 / (Esprits in the tier)."""
        first = (hits > 0) & ~self.owned[who]
        candidates = hits - first
        some = np.flatnonzero(candidates > 0)
        if some.size:
            players = who[some]
            drawn = self.rng.binomial(candidates[some], 1.0 / self.species[self.tier[players]])
            self.copies[players] += drawn
            self.duplicates[players] += drawn
        new = who[first]
        self.owned[new] = True
        self.pending[new] = 0  # offered before it was pulled: the XP went to the Esprit active then
        if self.record:
            self.reached[0, new] = self.day

    def ascend(self, virelite: Ints) -> Ints:
        """Ascend every owned partner as many ranks as its duplicates and `virelite` (the players' balances) pay
        for; returns the virelite each player paid."""
        paid = np.zeros(self.tier.size, dtype=np.int64)
        while True:
            able = np.flatnonzero(self.owned & (self.rank < self.max_rank))
            rank = self.rank[able]
            copies = self.copies_needed[rank]
            cost = self.virelite_needed[self.tier[able], rank]
            ok = (self.copies[able] >= copies) & (virelite[able] - paid[able] >= cost)
            players = able[ok]
            if players.size == 0:
                return paid
            self.copies[players] -= copies[ok]
            paid[players] += cost[ok]
            self.virelite_spent[players] += cost[ok]
            self.rank[players] += 1
            if self.record:
                row = self.top + self.rank[players] - 1
                self.reached[row, players] = self.day
                self.faylen_at[row, players] = self.faylen_spent[players]
                self.virelite_at[row, players] = self.virelite_spent[players]

    def train(self, faylen: Ints) -> Ints:
        """Train every owned partner with all of `faylen` (the players' balances) up to its level cap, as
        `train --faylen` does: only the XP taken is paid for. Returns the faylen each player paid."""
        paid = np.zeros(self.tier.size, dtype=np.int64)
        owners = np.flatnonzero(self.owned)
        xp = self.xp[owners]
        room = self._cap_xp(owners) - xp
        bought = np.minimum(xp_for_faylen(self.rules, faylen[owners]), room)
        buying = bought > 0
        owners, xp, bought = owners[buying], xp[buying], bought[buying]
        self._grow(owners, xp + bought, xp)
        price = faylen_for_xp(self.rules, bought)
        paid[owners] = price
        self.faylen_spent[owners] += price
        return paid

    def _cap_xp(self, who: IndexArray) -> Ints:
        cap: Ints = self.total[self.tier[who], self.caps[self.rank[who]]]
        return cap

    def _grow(self, who: IndexArray, xp: Ints, trained_from: Ints | None) -> None:
        """Set the XP of `who` (clamped at their cap) and their levels; `trained_from` is their XP before a
        training, to price the levels it reached."""
        xp = np.minimum(xp, self._cap_xp(who))
        old = self.level[who]
        new = old.copy()
        if self.present.size == 1:
            new[:] = np.searchsorted(self.total[self.present[0], 1:], xp, side="right")
        else:
            tiers = self.tier[who]
            for t in self.present:
                mine = tiers == t
                new[mine] = np.searchsorted(self.total[t, 1:], xp[mine], side="right")
        self.xp[who] = xp
        self.level[who] = new
        if self.record:
            self._reach(who, old, new, trained_from)

    def _reach(self, who: IndexArray, old: Ints, new: Ints, trained_from: Ints | None) -> None:
        moved = np.flatnonzero(new > old)
        if moved.size == 0:
            return
        players, low, high = who[moved], old[moved], new[moved]
        start = None if trained_from is None else trained_from[moved]
        for level in range(int(low.min()) + 1, int(high.max()) + 1):
            now = (low < level) & (level <= high)
            reaching = players[now]
            spent = self.faylen_spent[reaching]
            if start is not None:  # the part of this training that bought up to `level`
                spent = spent + faylen_for_xp(self.rules, self.total[self.tier[reaching], level] - start[now])
            self.reached[level - 1, reaching] = self.day
            self.faylen_at[level - 1, reaching] = spent
            self.virelite_at[level - 1, reaching] = self.virelite_spent[reaching]


class Players:
    """The simulated players' wallets, levels, pity states and partners, with the game's rules for changing
    them, and one day of a free player's life (`live`)."""

    def __init__(
        self,
        config: GameConfig,
        states: PityStates,
        players: int,
        rng: np.random.Generator,
        partners: Partners,
        strategy: Strategy,
    ) -> None:
        self.config = config
        self.states = states
        self.sampler = Sampler(states)
        self.rng = rng
        self.partners = partners
        self.strategy = strategy
        self.currencies = list(Currency)
        self.flows = {
            c: {STARTING: 0, DAILY: 0, LEVEL_UP: 0, SUMMON: 0} | {r: 0 for r, of in SINK_CURRENCY.items() if of is c}
            for c in self.currencies
        }
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
        self.rows = self.sampler.rows(np.full(players, FRESH, dtype=np.intp))
        self._daily: dict[object, Ints] = {}  # rewards by level, per streak bonus (it stops growing at its cap)
        self.top_pity = states.pity_tiers[-1] if states.pity_tiers else None
        self.first_day = np.zeros((states.tiers, players), dtype=np.int64)  # 0: not yet
        self.spending = np.zeros(players, dtype=bool)

    def credit(self, who: IndexArray | slice, amounts: Ints, reason: str) -> None:
        """Add (currencies, players) `amounts` to the wallets of `who`, booked under `reason`."""
        self.wallet[:, who] += amounts
        for row, currency in enumerate(self.currencies):
            self.flows[currency][reason] += int(amounts[row].sum())

    def grant_xp(self, who: IndexArray | slice, amount: int) -> None:
        """XP, then any level-ups and their rewards, as `grant_xp` does for a real player; the partner (the active
        Esprit) gets its share."""
        self.xp[who] += amount
        reached = np.maximum(self.level[who], np.searchsorted(self.level_xp, self.xp[who], side="right"))
        gained = reached - self.level[who]
        self.level[who] = reached
        self.credit(who, self.level_reward[:, None] * gained[None, :], LEVEL_UP)
        self.partners.offer(who, amount)

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
        """`who` pay for and make `amount` pulls each; returns the best tier each of them got. The partner's
        share of the summon's XP goes to the partner they had before it."""
        summon = self.config.settings.summon
        row = self.currencies.index(summon.currency)
        cost = np.zeros((len(self.currencies), who.size), dtype=np.int64)
        cost[row] = -summon.cost(amount)
        self.credit(who, cost, SUMMON)
        rows = self.rows[who]
        codes = np.empty(who.size, dtype=self.sampler.code_type)
        key = np.empty(who.size, dtype=np.uint32)
        best = np.zeros(who.size, dtype=np.intp)
        partner_tier = self.partners.tier[who]
        hits = np.zeros(who.size, dtype=np.int64)
        for _ in range(amount):
            self.sampler.pull(uniform_draws(self.rng, who.size), rows, codes, key)
            tiers = self.sampler.tiers_of(codes)
            np.maximum(best, tiers, out=best)
            hits += tiers == partner_tier
        self.rows[who] = rows
        self.grant_xp(who, summon.xp_per_pull * amount)
        self.partners.pulled(who, hits)
        return best

    def funds(self) -> Ints:
        row: Ints = self.wallet[self.currencies.index(self.config.settings.summon.currency)]
        return row

    def live(self, day: int) -> int:
        """Day `day`: the daily reward, summons by the strategy while affordable, then the partner's ascensions
        and training (the module's policy). Returns the pulls made."""
        states, summon = self.states, self.config.settings.summon
        self.partners.day = day
        self.claim_daily(streak=day)
        pulled = 0
        while True:
            funds = self.funds()
            if self.strategy is Strategy.SINGLE:
                amount, wants = 1, funds >= summon.single_cost
            elif self.strategy is Strategy.TEN or self.top_pity is None:
                amount, wants = 10, funds >= summon.ten_cost
            else:
                counter = states.counters[self.rows >> np.uint32(self.sampler.bits), -1]
                guarantee = summon.ten_cost * -(-(states.hards[-1] - counter) // 10)
                self.spending |= funds >= guarantee
                amount, wants = 10, self.spending & (funds >= summon.ten_cost)
            who = np.flatnonzero(wants)
            if who.size == 0:
                break
            best = self.summon(who, amount)
            pulled += who.size * amount
            for tier in range(states.tiers):
                new = who[(best >= tier) & (self.first_day[tier, who] == 0)]
                self.first_day[tier, new] = day
            if self.top_pity is not None:
                self.spending[who[best >= self.top_pity]] = False
        self.partners.settle()
        for reason, pay in ((ASCEND, self.partners.ascend), (TRAIN, self.partners.train)):
            currency = SINK_CURRENCY[reason]
            row = self.currencies.index(currency)
            paid = pay(self.wallet[row])
            self.wallet[row] -= paid
            self.flows[currency][reason] -= int(paid.sum())
        return pulled


def players_of(
    config: GameConfig,
    players: int,
    strategy: Strategy,
    seed: int,
    partners: Callable[[np.random.Generator], Partners],
) -> Players:
    """`players` new free players; their pulls draw from the seed's stream, their partners (built by `partners`
    from a second stream spawned from the seed) from their own, so adding the partners changed no pull."""
    partner_stream = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed).spawn(1)[0]))
    states = PityStates.of(RarityTable.from_config(config))
    rng = np.random.Generator(np.random.PCG64(seed))
    return Players(config, states, players, rng, partners(partner_stream), strategy)


def project_economy(
    config: GameConfig,
    *,
    players: int = ECONOMY_DEFAULT_PLAYERS,
    days: int = ECONOMY_DEFAULT_DAYS,
    strategy: Strategy = Strategy.SINGLE,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
) -> EconomyReport:
    """Project `players` free players over `days` days of dailies, summons and their starter's training and
    ascension; refuses InvalidAmount for sizes beyond faye.inputs (a run that would not end in a minute)."""
    check_economy_size(players, days)
    started = time.perf_counter()
    group = players_of(config, players, strategy, seed, lambda rng: Partners.starters(config, players, rng))
    summon = config.settings.summon
    pulls_per_day, level, balance, partner_level, partner_rank = [], [], [], [], []
    for day in range(1, days + 1):
        pulled = group.live(day)
        pulls_per_day.append(pulled / players)
        level.append(float(group.level.mean()))
        balance.append(group.wallet.mean(axis=1))
        partner_level.append(float(group.partners.level.mean()))
        partner_rank.append(float(group.partners.rank.mean()))
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
        tiers=[
            _milestone(rule.name, group.first_day[tier], days) for tier, rule in enumerate(group.states.table.rules)
        ],
        currencies=[
            Flow(
                currency=currency.value,
                sources={r: group.flows[currency][r] / players for r in (STARTING, DAILY, LEVEL_UP)},
                sinks={
                    r: -group.flows[currency][r] / players
                    for r in (SUMMON, *(r for r, of in SINK_CURRENCY.items() if of is currency))
                },
                end_balance=float(balances[-1, row]),
                balance=[float(b) for b in balances[:, row]],
            )
            for row, currency in enumerate(group.currencies)
        ],
        partner_level=partner_level,
        partner_rank=partner_rank,
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
