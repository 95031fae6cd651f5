"""Esprit progression for a free player: how many days, and how much faylen and virelite, one Esprit of a rarity
takes to reach each level and each ascension rank.

The players are the economy projection's (`faye.gacha.economy`): registration's starting grant, the daily reward
every day, level-ups and their rewards, and summons by a `Strategy` with the gems they get — the same code, so
the two never drift apart. The Esprit followed is each player's first pull of the rarity (whichever species:
by symmetry they all grow alike); the pull's tier comes from the pity tables (the rule's own), and every later
pull of that tier is a duplicate of its species with chance 1 / (Esprits in the tier), as the game picks the
species uniformly within the tier — so in the long run a pull is a duplicate with the exact chance
`PityChain.rates[tier] / species` (`ProgressionReport.copy_rate`).

The policy (`faye.gacha.economy.Partners`): the player makes the Esprit active as soon as it is pulled (so it
gains the active share of the XP its player earns from then on: dailies and later summons), and at the end of
each day, after its summons, it ascends the Esprit as many ranks as its duplicates and virelite pay for, then
trains it with all its faylen, up to the level cap. Prices and XP are faye.progression's (`xp_to_next`,
`level_cap`, `faylen_for_xp`, `ascension_cost`), so the simulation and the game never disagree.

Milestones are level L (1 = the day it was pulled, to the highest cap) and rank r (1 to max_rank): per milestone
the p10/p50/p90 day it was reached over all players (None when fewer players reached it), the share who reached
it within the run, and the faylen and virelite spent on the Esprit by then (p10/p50/p90 over those who did; the
faylen of the training that crossed the level counts only up to the level).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faye.choices import DEFAULT_SEED, Strategy
from faye.config import GameConfig
from faye.errors import InvalidArgument
from faye.gacha.economy import Partners, players_of
from faye.gacha.exact import PityChain
from faye.gacha.pity import RarityTable
from faye.inputs import PROGRESSION_DEFAULT_DAYS, PROGRESSION_DEFAULT_PLAYERS, check_progression_size

#: The percentiles reported (of players: p10, p50, p90).
PERCENTS = (10, 50, 90)


@dataclass(frozen=True)
class Percentiles:
    p10: int | None
    p50: int | None
    p90: int | None


@dataclass(frozen=True)
class ProgressMilestone:
    """Level `value` (kind "level") or ascension rank `value` (kind "rank") of the Esprit."""

    kind: str
    value: int
    rank: int
    """The rank itself, or for a level the lowest rank whose cap allows it."""
    level_cap: int
    """The level cap at `rank`."""
    reached: float
    """Share of players who reached it within the run."""
    day: Percentiles
    """Day it was reached (day 1 = registration): the day by which 10 %, half and 90 % of the players had."""
    faylen: Percentiles
    """Faylen spent training the Esprit by then, among the players who reached it."""
    virelite: Percentiles
    """Virelite spent ascending the Esprit by then, among the players who reached it."""


@dataclass(frozen=True)
class ProgressionReport:
    rarity: str
    players: int
    days: int
    strategy: str
    seed: int
    seconds: float
    species: int
    """Esprits in the rarity's tier."""
    tier_rate: float
    """Exact long-run share of pulls in the tier (pity included)."""
    copy_rate: float
    """Exact long-run chance that a pull is a duplicate of the Esprit: tier_rate / species."""
    pulls_per_player: float
    copies_per_player: float
    """Mean duplicates pulled after the Esprit, spent or not."""
    levels: list[ProgressMilestone]
    ranks: list[ProgressMilestone]


def simulate_progression(
    config: GameConfig,
    *,
    rarity: str | None = None,
    players: int = PROGRESSION_DEFAULT_PLAYERS,
    days: int = PROGRESSION_DEFAULT_DAYS,
    strategy: Strategy = Strategy.SINGLE,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
) -> ProgressionReport:
    """Follow one Esprit of `rarity` (default: the highest tier) for `players` free players over `days` days;
    deterministic for a seed. Refuses InvalidArgument (an unknown rarity, field "rarity") and InvalidAmount
    (sizes beyond faye.inputs)."""
    tier_name = config.tier_names[-1] if rarity is None else config.resolve_tier(rarity)
    if tier_name is None:
        raise InvalidArgument(
            f"unknown rarity {rarity!r}; expected one of {', '.join(config.tier_names)}", field="rarity", value=rarity
        )
    ascension = config.progression.ascension
    top = ascension.level_cap(ascension.max_rank)
    check_progression_size(players, days, top + ascension.max_rank)
    started = time.perf_counter()
    tier = config.tier_names.index(tier_name)
    group = players_of(
        config,
        players,
        strategy,
        seed,
        lambda rng: Partners(
            config, np.full(players, tier, dtype=np.intp), np.zeros(players, dtype=bool), rng, record=True
        ),
    )
    followed = group.partners
    pulls = 0
    for day in range(1, days + 1):
        pulls += group.live(day)
        if progress is not None:
            progress(1)
    rates = PityChain.of(RarityTable.from_config(config)).rates
    species = len(config.esprits_by_tier[tier])
    per_rank = max(1, ascension.cap_per_rank)  # with no cap per rank, the top cap is the base cap
    levels = [
        _milestone(followed, "level", level, max(0, -(-(level - ascension.base_cap) // per_rank)), level - 1, days)
        for level in range(1, top + 1)  # the rank: the lowest whose cap is at least the level
    ]
    ranks = [
        _milestone(followed, "rank", rank, rank, top + rank - 1, days) for rank in range(1, ascension.max_rank + 1)
    ]
    return ProgressionReport(
        rarity=tier_name,
        players=players,
        days=days,
        strategy=strategy.value,
        seed=seed,
        seconds=time.perf_counter() - started,
        species=species,
        tier_rate=float(rates[tier]),
        copy_rate=float(rates[tier]) / species,
        pulls_per_player=pulls / players,
        copies_per_player=float(followed.duplicates.mean()),
        levels=levels,
        ranks=ranks,
    )


def _milestone(partners: Partners, kind: str, value: int, rank: int, row: int, days: int) -> ProgressMilestone:
    reached = partners.reached[row]
    got = reached > 0
    ordered = np.sort(np.where(got, reached, days + 1))
    day = [int(ordered[-(-percent * ordered.size // 100) - 1]) for percent in PERCENTS]  # integer ceil
    return ProgressMilestone(
        kind=kind,
        value=value,
        rank=rank,
        level_cap=int(partners.caps[rank]),
        reached=float(got.mean()),
        day=Percentiles(*(d if d <= days else None for d in day)),
        faylen=_spread(partners.faylen_at[row, got]),
        virelite=_spread(partners.virelite_at[row, got]),
    )


def _spread(values: NDArray[np.int64]) -> Percentiles:
    if values.size == 0:
        return Percentiles(None, None, None)
    p10, p50, p90 = (int(v) for v in np.quantile(values, np.array(PERCENTS) / 100, method="inverted_cdf"))
    return Percentiles(p10, p50, p90)
