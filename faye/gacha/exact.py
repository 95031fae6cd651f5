"""Exact rates, without sampling: the pity rule as a Markov chain over `PityStates`.

Everything is a walk of probability mass through the state tables: the long-run (stationary) distribution,
the number of pulls until a pull of a tier or higher (an absorbing walk), the chance a 10-pull holds one, and
expected counts over a finite number of pulls. Pity makes every walk that ends at a pity tier end exactly
(the mass left is 0.0 after hard pity), so these are sums of finitely many terms, not approximations.

"Pulls to get one" of a tier counts pulls until a pull of that tier *or higher*: that is what the tier's pity
counter measures (it resets on that tier or any higher one), and what an odds disclosure promises.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

import numpy as np

from faye.gacha.pity import RarityTable
from faye.gacha.states import FRESH, FloatArray, IndexArray, PityStates

#: A walk stops once this little mass is left (only tiers no pity covers ever get there).
TAIL = 1e-13
#: ... or after this many pulls, whatever is left.
MAX_WALK = 200_000
#: Percentiles are "the smallest n with CDF(n) >= p"; sums of floats may fall short of p by rounding.
ROUNDING = 1e-12
#: From a fresh start, the chain counts as in the long run once its distribution is this close (L1); rounding
#: keeps it from getting much closer than 1e-12.
SETTLED = 1e-9
TEN_PULL = 10

Measure = Callable[[FloatArray], FloatArray]


@dataclass(frozen=True, eq=False)
class Passage:
    """The distribution of the number of pulls until the first pull of a tier or higher."""

    pmf: FloatArray
    """pmf[n - 1] = P(first such pull is pull n)."""
    guaranteed: bool
    """True when pity makes it certain by pull len(pmf) (the walk's mass ran out exactly)."""
    known_mean: float | None = None
    """The mean, computed apart and exactly, when the walk stopped short of the distribution's tail."""

    @cached_property
    def cdf(self) -> FloatArray:
        return np.cumsum(self.pmf)

    @property
    def mean(self) -> float:
        if self.known_mean is not None:
            return self.known_mean
        return float(np.dot(np.arange(1, len(self.pmf) + 1), self.pmf))

    @property
    def max(self) -> int | None:
        """The most pulls it can take (the hard pity), or None when nothing guarantees it."""
        return len(self.pmf) if self.guaranteed else None

    def percentile(self, p: float) -> int | None:
        """The smallest n with CDF(n) >= p (None if the walk stopped before reaching p)."""
        reached = np.flatnonzero(self.cdf >= p - ROUNDING)
        return int(reached[0]) + 1 if reached.size else None

    def within(self, pulls: int) -> float:
        """P(at least one within `pulls` pulls)."""
        return float(self.cdf[min(pulls, len(self.pmf)) - 1]) if pulls > 0 and len(self.pmf) else 0.0


class PityChain:
    """The exact behaviour of the rule over many pulls, computed from the state tables."""

    def __init__(self, states: PityStates) -> None:
        self.states = states
        n, tiers = states.probs.shape
        self._draws = np.arange(tiers)
        self._start = np.zeros(n)
        self._start[FRESH] = 1.0
        # P(tier j or higher) in each state: the mass a walk towards tier j loses there on the next pull.
        self._at_least = np.cumsum(states.probs[:, ::-1], axis=1)[:, ::-1]

    @classmethod
    def of(cls, table: RarityTable) -> PityChain:
        return cls(PityStates.of(table))

    @property
    def fresh(self) -> FloatArray:
        """A new account: all counters 0."""
        return self._start.copy()

    def walk(self, starts: FloatArray, tiers: Sequence[int]) -> Iterator[tuple[FloatArray, FloatArray, FloatArray]]:
        """Pull by pull, walk mass from each row of `starts` (rows, states) until a pull of `tiers[row]` or
        higher takes it; a tier index equal to the number of tiers means never (the full chain).

        Yields, for each pull: the mass walking before it (rows, states), the mass the pull takes (rows,) and
        the mass still walking after it (rows,). Ends once every row is absorbed down to `TAIL` (exactly 0.0
        when pity guarantees the tier), or after `MAX_WALK` pulls; callers of the full chain stop it themselves.
        """
        rows, n = starts.shape
        goal = np.asarray(tiers, dtype=np.intp)
        absorbing = goal < self.states.tiers
        # Per row: the chance each state's next pull ends the walk, and the flow of each (state, draw) that
        # does not (its successor is where that mass goes).
        taking = self._at_least[:, np.minimum(goal, self.states.tiers - 1)].T * absorbing[:, None]
        staying = self.states.probs[None, :, :] * (self._draws[None, None, :] < goal[:, None, None])
        successor = self.states.successor.ravel()
        mass = np.array(starts, dtype=np.float64)
        live: IndexArray = np.arange(rows)
        left = np.zeros(rows)
        for _ in range(MAX_WALK):
            taken = np.zeros(rows)
            taken[live] = np.einsum("rs,rs->r", mass, taking[live])
            flow = mass[:, :, None] * staying[live]
            targets = (np.arange(live.size)[:, None] * n + successor[None, :]).ravel()
            after = scatter(targets, flow.ravel(), live.size * n).reshape(live.size, n)
            left[live] = after.sum(axis=1)
            walking = np.zeros((rows, n))
            walking[live] = mass
            yield walking, taken, left.copy()
            keep = ~absorbing[live] | (left[live] > TAIL)
            if not keep.any():
                return
            live = live[keep]
            mass = after[keep]

    def passages(self, start: FloatArray, tiers: Sequence[int] | None = None) -> list[Passage]:
        """For each tier (default: all), the distribution of pulls until a pull of it or higher from `start`."""
        chosen = list(range(self.states.tiers)) if tiers is None else list(tiers)
        starts = np.broadcast_to(start, (len(chosen), start.shape[0]))
        taken: list[FloatArray] = []
        rest = np.ones(len(chosen))
        for _, take, left in self.walk(starts, chosen):
            taken.append(take)
            rest = left
        out = []
        for pmf, residue in zip(np.array(taken).T, rest, strict=True):
            length = int(np.max(np.flatnonzero(pmf > 0.0), initial=0)) + 1
            out.append(Passage(pmf[:length].copy(), guaranteed=bool(residue == 0.0)))
        return out

    @cached_property
    def stationary(self) -> FloatArray:
        """The long-run share of pulls made in each state.

        Every pull of the highest pity tier (or higher) returns the counters to the fresh state, so the chain
        renews there: a state's long-run share is its expected visits between two such returns divided by the
        expected cycle length. Pity bounds the cycle, so this is a finite, exact sum.
        """
        visits = np.zeros(self.states.size)
        renewal = self.states.pity_tiers[-1] if self.states.pity_tiers else 0
        for mass, _, _ in self.walk(self._start[None, :], [renewal]):
            visits += mass[0]
        total: float = visits.sum()
        return visits / total

    @cached_property
    def rates(self) -> FloatArray:
        """Long-run ("consolidated") rate of each tier, pity included."""
        return self.stationary @ self.states.probs

    def after(self, tier: int) -> FloatArray:
        """In the long run, the state right after a pull of `tier` or higher: where each gap between such pulls
        starts. Pulls to get one from there is the distribution of pulls *between* them."""
        probs, successor = self.states.probs, self.states.successor
        weight = self.stationary[:, None] * probs * (self._draws[None, :] >= tier)
        landing = scatter(successor.ravel(), weight.ravel(), self.states.size)
        total: float = landing.sum()
        return landing / total

    def expected(self, start: FloatArray, terms: int, measure: Measure, every: int = 1) -> FloatArray:
        """The sum of `measure(distribution before pull t)` over t = 0, every, 2 x every, ... (`terms` terms):
        expected totals over a player's pulls from `start`.

        Walks the full chain only until it has settled into the long run; each remaining term is then
        `measure(stationary)`, so a million pulls cost no more than the few thousand it takes to forget the start.
        """
        total = np.zeros(self.states.tiers)
        done = 0
        if terms <= 0:
            return total
        for pull, (mass, _, _) in enumerate(self.walk(start[None, :], [self.states.tiers])):
            distribution = mass[0]
            if pull % every == 0:
                total += measure(distribution)
                done += 1
                if done == terms:
                    return total
            if np.abs(distribution - self.stationary).sum() < SETTLED:
                break
        return total + (terms - done) * measure(self.stationary)

    def expected_counts(self, start: FloatArray, pulls: int) -> FloatArray:
        """Expected number of pulls of each tier in the first `pulls` pulls from `start`."""
        return self.expected(start, pulls, lambda distribution: distribution @ self.states.probs)

    def ten_pull(self, start: FloatArray) -> FloatArray:
        """P(a 10-pull from `start` holds at least one pull of each tier or higher)."""
        got = np.zeros(self.states.tiers)
        tiers = list(range(self.states.tiers))
        starts = np.broadcast_to(start, (len(tiers), start.shape[0]))
        for pull, (_, take, _) in enumerate(self.walk(starts, tiers), start=1):
            got += take
            if pull == TEN_PULL:
                break
        return got


@dataclass(frozen=True)
class TierOdds:
    """One row of the odds disclosure. Rates are fractions (0.006 is 0.6 %)."""

    name: str
    base_rate: float
    consolidated_rate: float
    """Long-run share of pulls, pity included."""
    mean_pulls: float
    """Pulls to get one (this tier or higher) from a fresh account, on average."""
    p50_pulls: int | None
    p90_pulls: int | None
    p99_pulls: int | None
    max_pulls: int | None
    """Hard-pity maximum; None when no pity guarantees the tier."""
    ten_pull_at_least_one: float
    """P(a 10-pull holds this tier or higher), in the long run."""
    ten_pull_at_least_one_fresh: float
    """... from a fresh account."""
    has_pity: bool


@dataclass(frozen=True)
class EspritOdds:
    """One Esprit's long-run chance per pull on one banner (a fraction)."""

    esprit_id: str
    name: str
    tier: str
    featured: bool
    """Featured on the banner (its tier's featured share and guarantee apply)."""
    rate: float
    """Long-run share of the banner's pulls that are this Esprit, pity and guarantee included."""


@dataclass(frozen=True)
class Disclosure:
    """The odds players are shown, computed exactly for a tier list (and, with `banner`, each of its Esprits)."""

    tiers: list[TierOdds]
    states: int
    """How many pity counter combinations the chain has."""
    tier_or_higher: bool = True
    """Pulls to get one and 10-pull odds count a tier or any higher one, as the pity counters do."""
    banner: str | None = None
    """The banner whose Esprits `esprits` lists (the tier table is every banner's: they share the pity rule)."""
    esprits: list[EspritOdds] = field(default_factory=list)
    """Every Esprit of the game with its long-run rate on `banner`, by tier from the lowest, then featured
    first; the rates add up to 1."""


def disclose(chain: PityChain) -> Disclosure:
    fresh = chain.fresh
    passages = chain.passages(fresh)
    long_run_ten = chain.ten_pull(chain.stationary)
    fresh_ten = np.array([passage.within(TEN_PULL) for passage in passages])
    rows = []
    for i, (rule, passage) in enumerate(zip(chain.states.table.rules, passages, strict=True)):
        rows.append(
            TierOdds(
                name=rule.name,
                base_rate=rule.base,
                consolidated_rate=float(chain.rates[i]),
                mean_pulls=passage.mean,
                p50_pulls=passage.percentile(0.5),
                p90_pulls=passage.percentile(0.9),
                p99_pulls=passage.percentile(0.99),
                max_pulls=passage.max,
                ten_pull_at_least_one=float(long_run_ten[i]),
                ten_pull_at_least_one_fresh=float(fresh_ten[i]),
                has_pity=rule.pity is not None,
            )
        )
    return Disclosure(tiers=rows, states=chain.states.size)


def scatter(index: IndexArray, weights: FloatArray, size: int) -> FloatArray:
    """Sum `weights` into `size` bins by `index` (np.bincount with weights, which returns floats)."""
    return cast(FloatArray, np.bincount(index, weights=weights, minlength=size))


def wilson_interval(count: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval for a rate (default 95 %): sound even for a handful of rare pulls."""
    if trials <= 0:
        return (0.0, 1.0)
    rate = count / trials
    denominator = 1 + z * z / trials
    centre = (rate + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))
