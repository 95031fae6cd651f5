"""Simulated players on a banner, beside the exact odds: pulls for N copies of one Esprit, pulls to own a set.

A simulated pull is the summons simulator's (`Sampler`: the tier from the `PityStates` tables of the pity rule),
then the banner's Esprit draw vectorised over the players: a pending guarantee or a uniform below the featured
share makes the pull featured, a non-featured one sets the guarantee (when the tier has one), and the Esprit is
uniform among the tier's featured ones or its others, as `BannerRule.draw` does it. Players pull together, one
numpy step per pull, and leave as soon as they are done. The exact numbers come from faye.gacha.banner_odds;
the simulation keeps what the exact collection mean leaves out (pity makes the draws slightly dependent) and is
an independent check of the exact walk for copies.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faye.choices import DEFAULT_SEED, ECONOMY_DEFAULT_DAYS, Strategy
from faye.config import GameConfig
from faye.errors import InvalidArgument
from faye.gacha.banner_odds import Chase, collection_mean, copies_passage, esprit_odds, find_banner
from faye.gacha.banners import BannerRule
from faye.gacha.economy import project_economy
from faye.gacha.exact import MAX_WALK, EspritOdds, PityChain, wilson_interval
from faye.gacha.pity import RarityTable
from faye.gacha.simulate import Counts, Sampler, Spread, uniform_draws
from faye.gacha.states import FRESH, IndexArray, PityStates
from faye.inputs import BANNER_BUDGET, BANNER_COPIES, BANNER_PLAYERS

Progress = Callable[[int], None]

#: Free players projected for the collection's days (their average daily pulls settle well before this many).
ECONOMY_PLAYERS = 1_000
#: A collection run stops once a player still missing an Esprit is this unlikely (independent draws).
UNLIKELY = 1e-6
Z95 = 1.959963984540054


class BannerSampler:
    """Vectorised pulls on one banner. Esprits are numbered as `roster` lists them: by tier, featured first."""

    def __init__(self, states: PityStates, rule: BannerRule) -> None:
        self.sampler = Sampler(states)
        self.roster = tuple(e for draw in rule.tiers for e in (*draw.featured, *draw.others))
        self.index = {e.esprit_id: i for i, e in enumerate(self.roster)}
        self.draws = [
            (
                np.array([self.index[e.esprit_id] for e in draw.featured], dtype=np.intp),
                np.array([self.index[e.esprit_id] for e in draw.others], dtype=np.intp),
                draw.share,
                draw.guarantee and draw.has_featured,
            )
            for draw in rule.tiers
        ]

    def fresh(self, players: int) -> tuple[NDArray[np.uint32], NDArray[np.bool_]]:
        """New accounts: every player's pity row (as `Sampler` keeps it) and no guarantee pending in any tier."""
        rows = self.sampler.rows(np.full(players, FRESH, dtype=np.intp))
        return rows, np.zeros((players, len(self.draws)), dtype=np.bool_)

    def pull(self, rows: NDArray[np.uint32], pending: NDArray[np.bool_], rng: np.random.Generator) -> IndexArray:
        """One pull for each player: the Esprits drawn; `rows` and `pending` move on in place."""
        count = rows.size
        draws = uniform_draws(rng, count)
        codes = np.empty(count, dtype=self.sampler.code_type)
        key = np.empty(count, dtype=np.uint32)
        self.sampler.pull(draws, rows, codes, key)
        tiers = self.sampler.tiers_of(codes)
        share, pick = rng.random(count), rng.random(count)
        esprits = np.empty(count, dtype=np.intp)
        for tier, (featured, others, chance, guarantee) in enumerate(self.draws):
            who = np.flatnonzero(tiers == tier)
            if not who.size:
                continue
            if not featured.size:
                esprits[who] = others[_pick(pick[who], others.size)]
                continue
            hit = pending[who, tier] | (share[who] < chance) if others.size else np.ones(who.size, dtype=np.bool_)
            chosen = featured[_pick(pick[who], featured.size)]
            if others.size:
                chosen = np.where(hit, chosen, others[_pick(pick[who], others.size)])
            esprits[who] = chosen
            pending[who, tier] = ~hit & guarantee
        return esprits


def _pick(uniform: np.ndarray, size: int) -> IndexArray:
    """A uniform index below `size` for each uniform in [0, 1)."""
    picked: IndexArray = np.minimum((uniform * size).astype(np.intp), size - 1)
    return picked


def _players_until(
    sampler: BannerSampler,
    players: int,
    seed: int,
    horizon: int,
    done_after: Callable[[IndexArray, IndexArray], np.ndarray],
    progress: Progress | None,
) -> Counts:
    """Pull for every player until `done_after(players, esprits)` says they are done (or `horizon` pulls): each
    player's pulls (0 for one still not done at the horizon). `done_after` gets the players still pulling (their
    numbers) and what they just drew, and keeps whatever it counts itself."""
    rng = np.random.Generator(np.random.PCG64(seed))
    rows, pending = sampler.fresh(players)
    who = np.arange(players)
    needed = np.zeros(players, dtype=np.int64)
    for pull in range(1, horizon + 1):
        done = done_after(who, sampler.pull(rows, pending, rng))
        if done.any():
            needed[who[done]] = pull
            keep = ~done
            rows, pending, who = rows[keep], pending[keep], who[keep]
            if progress is not None:
                progress(int(done.sum()))
        if not who.size:
            break
    return needed


@dataclass(frozen=True)
class Simulated:
    """What the simulated players took: pulls to be done, with a 95 % interval of the mean."""

    players: int
    seed: int
    spread: Spread | None
    mean_ci95: tuple[float, float]
    unfinished: int
    """Players not done when the run stopped (left out of the numbers above)."""
    seconds: float


def _simulated(needed: Counts, seed: int, seconds: float) -> tuple[Simulated, Counts]:
    finished = needed[needed > 0]
    histogram = np.bincount(finished - 1) if finished.size else np.zeros(0, dtype=np.int64)
    half = Z95 * float(finished.std(ddof=1)) / math.sqrt(finished.size) if finished.size > 1 else math.inf
    mean = float(finished.mean()) if finished.size else math.nan
    summary = Simulated(
        players=int(needed.size),
        seed=seed,
        spread=Spread.observed(histogram),
        mean_ci95=(mean - half, mean + half),
        unfinished=int(needed.size - finished.size),
        seconds=seconds,
    )
    return summary, histogram


@dataclass(frozen=True)
class CopiesReport:
    """Pulls for N copies of one Esprit on a banner from a fresh account: exact, and simulated beside it."""

    banner_id: str
    banner_name: str
    esprit_id: str
    esprit_name: str
    tier: str
    featured: bool
    copies: int
    budget: int | None
    """The budget asked for (None: none; the `within_budget` fields are None too)."""
    exact: Spread
    """Mean and percentiles (the smallest n with P(N copies within n pulls) >= p); max when pity bounds it."""
    exact_within_budget: float | None
    """P(N copies within `budget` pulls)."""
    exact_cdf: list[float]
    """exact_cdf[n - 1] = P(N copies within n pulls), up to the budget or 0.999999, whichever is further."""
    exact_seconds: float
    states: int
    """Pity states x 2 guarantee states x N copy counts the exact walk went through, per pull."""
    simulated: Simulated
    simulated_within_budget: float | None
    simulated_within_budget_ci95: tuple[float, float] | None
    simulated_cdf: list[float]
    """The share of simulated players done within n pulls, over the same n as exact_cdf."""
    mean_agrees: bool
    """The exact mean lies in the simulated mean's 95 % interval."""
    budget_agrees: bool | None
    """The exact chance within the budget lies in the simulated one's 95 % (Wilson) interval."""


def pulls_for_copies(
    config: GameConfig,
    banner_id: str | None,
    *,
    esprit_id: str | None = None,
    copies: int,
    budget: int | None = None,
    players: int,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> CopiesReport:
    """The exact distribution of pulls for `copies` copies of one Esprit (default: the banner's top featured
    one) from a fresh account, and `players` simulated players beside it. `progress` counts `PROGRESS` steps for
    the exact walk (thousandths of its mass), then one per simulated player done.

    Refuses InvalidAmount for copies, budget or players out of faye.inputs' bounds, NotFound for an unknown
    banner and InvalidArgument (field "esprit") for an unknown Esprit (see `Chase.of`)."""
    BANNER_COPIES.check(copies)
    if budget is not None:
        BANNER_BUDGET.check(budget)
    BANNER_PLAYERS.check(players)
    banner = find_banner(config, banner_id)
    rule = BannerRule.of(config, banner)
    chase = Chase.of(config, rule, esprit_id)
    chain = PityChain.of(RarityTable.from_config(config))
    started = time.perf_counter()
    passage = copies_passage(chain, chase, copies, progress, budget=budget or 0)
    exact_seconds = time.perf_counter() - started
    sampler = BannerSampler(chain.states, rule)
    target = sampler.index[chase.esprit.esprit_id]
    got = np.zeros(players, dtype=np.int64)

    def done_after(who: IndexArray, esprits: IndexArray) -> np.ndarray:
        got[who] += esprits == target
        done: np.ndarray = got[who] >= copies
        return done

    started = time.perf_counter()
    # Every player pulls until done (the exact walk may stop at its 99th percentile; the simulated mean may not).
    needed = _players_until(sampler, players, seed, MAX_WALK, done_after, progress)
    simulated, histogram = _simulated(needed, seed, time.perf_counter() - started)
    within: int | None = None
    interval: tuple[float, float] | None = None
    exact_within: float | None = None
    agrees: bool | None = None
    if budget is not None:
        within = int(np.count_nonzero((needed > 0) & (needed <= budget)))
        interval = wilson_interval(within, players)
        exact_within = passage.within(budget)
        agrees = bool(interval[0] <= exact_within <= interval[1])
    shown = max(budget or 0, passage.percentile(1 - 1e-6) or len(passage.pmf))
    exact_cdf = np.concatenate([passage.cdf, np.full(max(0, shown - len(passage.pmf)), passage.cdf[-1])])[:shown]
    observed = np.cumsum(np.pad(histogram, (0, max(0, shown - histogram.size)))[:shown]) / players
    low, high = simulated.mean_ci95
    return CopiesReport(
        banner_id=banner.banner_id,
        banner_name=banner.name,
        esprit_id=chase.esprit.esprit_id,
        esprit_name=chase.esprit.name,
        tier=chase.esprit.rarity,
        featured=chase.featured,
        copies=copies,
        budget=budget,
        exact=Spread.of(passage),
        exact_within_budget=exact_within,
        exact_cdf=[float(p) for p in exact_cdf],
        exact_seconds=exact_seconds,
        states=chain.states.size * 2 * copies,
        simulated=simulated,
        simulated_within_budget=None if within is None else within / players,
        simulated_within_budget_ci95=interval,
        simulated_cdf=[float(p) for p in observed],
        mean_agrees=bool(low <= passage.mean <= high),
        budget_agrees=agrees,
    )


@dataclass(frozen=True)
class CollectionReport:
    """Pulls (and a free player's days) to own every Esprit of a tier, or of the whole roster, on a banner."""

    banner_id: str
    banner_name: str
    tier: str | None
    """None: the whole roster."""
    esprits: list[EspritOdds]
    """The Esprits to own, with their long-run rates on the banner."""
    exact_mean: float
    """Expected pulls with every pull drawn independently at the long-run rates (the Poisson-embedding integral)."""
    simulated: Simulated
    """Simulated players pulling with pity and the guarantee."""
    pulls_per_day: float
    """A free player's average pulls a day over the economy projection's first `economy_days` days."""
    economy_days: int
    exact_days: float
    simulated_days: float | None
    exact_seconds: float


def complete_collection(
    config: GameConfig,
    banner_id: str | None,
    *,
    tier: str | None = None,
    players: int,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> CollectionReport:
    """Pulls to own every Esprit of `tier` (a tier's canonical name; None for the whole roster) on a banner, exact
    for independent draws and simulated with pity; days for a free player from the economy projection.
    `progress` counts one per simulated player done.

    Refuses InvalidAmount for players out of bounds, NotFound for an unknown banner, InvalidArgument (field
    "tier") for a tier the game data does not have."""
    BANNER_PLAYERS.check(players)
    banner = find_banner(config, banner_id)
    if tier is not None and tier not in config.tier_rank:
        raise InvalidArgument(
            f"unknown rarity {tier!r}; expected one of {', '.join(config.tier_names)}", field="tier", value=tier
        )
    rule = BannerRule.of(config, banner)
    chain = PityChain.of(RarityTable.from_config(config))
    odds = [o for o in esprit_odds(rule, chain.rates) if tier is None or o.tier == tier]
    started = time.perf_counter()
    exact = collection_mean([o.rate for o in odds])
    exact_seconds = time.perf_counter() - started
    sampler = BannerSampler(chain.states, rule)
    wanted = np.full(len(sampler.roster), -1, dtype=np.intp)
    for position, o in enumerate(odds):
        wanted[sampler.index[o.esprit_id]] = position
    owned = np.zeros((players, len(odds)), dtype=np.bool_)
    missing = np.full(players, len(odds), dtype=np.int64)

    def done_after(who: IndexArray, esprits: IndexArray) -> np.ndarray:
        slot = wanted[esprits]
        hit = np.flatnonzero(slot >= 0)
        new = ~owned[who[hit], slot[hit]]
        owned[who[hit[new]], slot[hit[new]]] = True
        missing[who[hit[new]]] -= 1
        done: np.ndarray = missing[who] == 0
        return done

    rarest = min(o.rate for o in odds)
    horizon = min(MAX_WALK, math.ceil(math.log(len(odds) * players / UNLIKELY) / rarest))
    started = time.perf_counter()
    needed = _players_until(sampler, players, seed, horizon, done_after, progress)
    simulated, _ = _simulated(needed, seed, time.perf_counter() - started)
    economy = project_economy(
        config, players=ECONOMY_PLAYERS, days=ECONOMY_DEFAULT_DAYS, strategy=Strategy.SINGLE, seed=seed
    )
    per_day = economy.pulls_per_player / economy.days
    return CollectionReport(
        banner_id=banner.banner_id,
        banner_name=banner.name,
        tier=tier,
        esprits=odds,
        exact_mean=exact,
        simulated=simulated,
        pulls_per_day=per_day,
        economy_days=economy.days,
        exact_days=exact / per_day,
        simulated_days=None if simulated.spread is None else simulated.spread.mean / per_day,
        exact_seconds=exact_seconds,
    )
