"""Exact odds on one banner: each Esprit's long-run rate, the pulls for N copies of one, the pulls to own a set.

Pulls for copies are a walk of probability mass, pull by pull, over (pity state of the banner's group, whether
a guarantee is pending in the chased Esprit's tier, copies so far), one grid shift per pull (`faye.gacha.grid`;
the `PityStates` scatter for a rule of another shape). It ends when no mass is left (pity and the guarantee bound
the chase, as for a featured top-tier Esprit), or once past the budget and the 99th percentile, with the mean
from one linear solve instead of the long tail (`chase_mean`). Only the chased tier's guarantee matters: the tier draw
never looks at a guarantee, and other tiers' guarantees only decide which other Esprit a miss gives.

Collection completion is exact where the draws are independent: with Esprit i drawn at its long-run rate p_i on
every pull, the pulls to own every Esprit of a set have the mean of the Poisson embedding,
E[T] = ∫0^∞ (1 − ∏_i (1 − e^{−p_i t})) dt, integrated here by Gauss–Legendre panels spaced in log t (no 2^n
state space, so the whole roster is as quick as one tier). Pity makes real draws slightly dependent; the
Monte Carlo beside it (faye.gacha.banner_sim) keeps the pity and shows how much that changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from faye.config import Banner, EspritDef, GameConfig
from faye.errors import InvalidArgument, NotFound
from faye.gacha.banners import BannerRule, TierDraw
from faye.gacha.exact import MAX_WALK, ROUNDING, TAIL, EspritOdds, Passage, PityChain, scatter
from faye.gacha.grid import GridMoves
from faye.gacha.states import FRESH, FloatArray, IndexArray, PityStates

#: The exact walk reports its progress in thousandths of the probability mass.
PROGRESS = 1000
#: A row of the walk (copies so far) holding at most this mass is dropped: it could change a mean by ~1e-12.
NEGLIGIBLE = TAIL * 1e-3
#: A chase pity does not bound is walked until this share of players is done (the percentiles up to it are exact).
COVERED = 0.99
#: Gauss–Legendre nodes per panel, and panels per unit of log t, for the collection integral.
NODES = 16
PANELS_PER_E = 8
#: The integral runs from t where every Esprit is still almost surely missing ...
START_FACTOR = 1e-6
#: ... to t where the chance one is still missing is below e**-CUTOFF.
CUTOFF = 45.0

Progress = Callable[[int], None]


def find_banner(config: GameConfig, banner_id: str | None, at: datetime | None = None) -> Banner:
    """The banner of `banner_id` (the standard one for None), or NotFound naming it and the banners open at `at`
    (every banner when no instant is given: the designer tools have no clock)."""
    if banner_id is None:
        return config.standard_banner
    banner = config.banners_by_id.get(banner_id)
    if banner is None:
        if at is None:
            choices = f"banners: {', '.join(config.banners_by_id)}"
        else:
            choices = f"open now: {', '.join(b.banner_id for b in config.open_banners(at))}"
        raise NotFound(f"there is no banner {banner_id!r}; {choices}", banner=banner_id)
    return banner


def esprit_odds(rule: BannerRule, tier_rates: Sequence[float] | FloatArray) -> list[EspritOdds]:
    """Every Esprit's long-run rate on the banner, from the chain's tier rates (`BannerRule.esprit_rates`)."""
    return [
        EspritOdds(esprit_id=e.esprit_id, name=e.name, tier=e.rarity, featured=featured, rate=rate)
        for e, featured, rate in rule.esprit_rates([float(r) for r in tier_rates])
    ]


@dataclass(frozen=True, eq=False)
class Chase:
    """The Esprit a player pulls for, and what a pull of its tier does.

    `step[g, hit, after]`: for a pull of the tier with a guarantee pending (g = 1) or not (g = 0), the chance it
    is the chased Esprit (hit = 1) or not, with a guarantee pending after it or not.
    """

    esprit: EspritDef
    tier: int
    featured: bool
    step: FloatArray

    @classmethod
    def of(cls, config: GameConfig, rule: BannerRule, esprit_id: str | None) -> Chase:
        """The chase of `esprit_id`, or by default of the banner's first featured Esprit of its highest featured
        tier. Any Esprit of the game may be chased: one the banner does not feature comes among the tier's
        others (uniformly), with the guarantee making some of the tier's pulls featured instead.

        Refuses InvalidArgument (field "esprit") for an unknown id, or no id on a banner featuring nobody."""
        if esprit_id is None:
            featured = [draw.featured[0] for draw in rule.tiers if draw.featured]
            if not featured:
                raise InvalidArgument(
                    f"the banner {rule.banner.banner_id!r} features no Esprit; name the one to chase",
                    field="esprit",
                )
            esprit = featured[-1]
        else:
            found = config.esprits_by_id.get(esprit_id)
            if found is None:
                raise InvalidArgument(f"unknown Esprit {esprit_id!r}", field="esprit", value=esprit_id)
            esprit = found
        tier = config.tier_rank[esprit.rarity]
        draw = rule.tiers[tier]
        is_featured = esprit in draw.featured
        return cls(esprit, tier, is_featured, _step(draw, is_featured))

    def most_pulls(self, states: PityStates, copies: int) -> int | None:
        """The most pulls the chase can take, when pity and the guarantee bound it, else None.

        Bounded when the chased tier is the highest (nothing resets its pity counter but itself) and has pity,
        and each of its pulls is the chased Esprit or makes the next one surely it: one or two hard-pity waits
        a copy."""
        if self.tier != states.tiers - 1 or self.tier not in states.pity_tiers:
            return None
        hard = states.hards[states.pity_tiers.index(self.tier)]
        if self.step[0, 1].sum() == 1.0:
            return copies * hard
        if self.step[0, 0, 0] == 0.0 and self.step[1, 1].sum() == 1.0:
            return 2 * copies * hard
        return None


def _step(draw: TierDraw, featured: bool) -> FloatArray:
    """`Chase.step` for a tier drawn by `draw` (as `BannerRule.draw` does it)."""
    step = np.zeros((2, 2, 2))
    hit_featured = 1.0 / len(draw.featured) if featured else 0.0
    hit_other = 0.0 if featured else 1.0 / len(draw.others)
    sets = 1 if draw.featured and draw.guarantee else 0
    for pending in (0, 1):
        if not draw.featured:
            chance = 0.0
        elif pending or not draw.others:
            chance = 1.0
        else:
            chance = draw.share
        step[pending, 1, 0] += chance * hit_featured
        step[pending, 0, 0] += chance * (1.0 - hit_featured)
        step[pending, 1, sets] += (1.0 - chance) * hit_other
        step[pending, 0, sets] += (1.0 - chance) * (1.0 - hit_other)
    return step


def copies_passage(
    chain: PityChain,
    chase: Chase,
    copies: int,
    progress: Progress | None = None,
    *,
    budget: int = 0,
    covered: float = COVERED,
) -> Passage:
    """The exact distribution of pulls until the `copies`-th copy of the chased Esprit, from a fresh account.

    When pity and the guarantee bound the chase, the walk goes to the end (the distribution is complete). Else it
    stops once it has passed `budget` pulls and absorbed `covered` of the mass (every percentile up to it is
    exact), and the mean comes from `chase_mean`, exactly, without walking the long tail; should that linear
    system be singular, the walk goes on until the mass left is at most `TAIL` and stays above 0 for two more
    hard-pity cycles, or `MAX_WALK` pulls. `progress` gets the mass absorbed as it goes, in thousandths
    (`PROGRESS` in all)."""
    states = chain.states
    n = states.size
    moves: Moves | GridMoves = GridMoves.of(states, chase.tier) or Moves.of(states.probs, states.successor, chase.tier)
    # (pending after, pending before): what a pull of the chased tier does, missed or hit.
    misses, hits = chase.step[:, 0, :].T.copy(), chase.step[:, 1, :].T.copy()
    mass = np.zeros((copies, 2, n))
    mass[0, 0, FRESH] = 1.0
    pmf: list[float] = []
    absorbed = 0.0
    reported = 0
    low = 0  # rows of fewer copies than `low` hold (next to) no mass any more, and are no longer walked
    # Below `TAIL`, a chase pity bounds reaches exactly 0 within a pity cycle per copy left: walk on that far.
    settle = 2 * max(states.hards, default=0)
    most = chase.most_pulls(states, copies)
    mean = None if most is not None else chase_mean(states, chase, copies)
    settling: int | None = None
    for pull in range(1, MAX_WALK + 1):
        after, landed = moves.pull(mass[low:])
        # The chased tier's pulls: (copies, pending before, states) -> (copies, pending after, states).
        after += misses @ landed
        gained = hits @ landed
        after[1:] += gained[:-1]
        done = float(gained[-1].sum())
        pmf.append(done)
        mass[low:] = after
        absorbed += done
        while low < copies - 1 and float(mass[low].sum()) <= (0.0 if most is not None else NEGLIGIBLE):
            mass[low] = 0.0
            low += 1
        if progress is not None and int(absorbed * PROGRESS) > reported:
            progress(int(absorbed * PROGRESS) - reported)
            reported = int(absorbed * PROGRESS)
        if mean is not None and pull >= budget and absorbed >= covered - ROUNDING:
            break
        left = float(mass[low:].sum())
        if left == 0.0:
            break
        if left <= TAIL:
            settling = settling if settling is not None else pull + settle
            if pull >= settling:
                break
    if progress is not None and reported < PROGRESS:
        progress(PROGRESS - reported)
    if most is not None:
        # The chances of the longest chases underflow to 0 before they end: the bound is `most` all the same.
        return Passage(np.pad(np.array(pmf), (0, max(0, most - len(pmf)))), guaranteed=True)
    return Passage(np.array(pmf), guaranteed=not mass.any(), known_mean=mean)


def chase_mean(states: PityStates, chase: Chase, copies: int) -> float | None:
    """The exact mean of pulls for `copies` copies, without walking the distribution's tail.

    The tier draws never look at the guarantee, so the number J of the chased tier's pulls it takes is
    independent of when those pulls come: E[T] = sum_j P(J >= j) E[tau_j - tau_(j-1)], with tau_j the pull of
    the tier's j-th pull. The gaps come from one linear solve over the pity states (u: the expected pulls to the
    tier's next pull from each state; M: the state right after it), J from the guarantee's small chain. None when
    that system is singular (a state the chased tier can never be reached from)."""
    n = states.size
    rows = np.arange(n)
    others = np.zeros((n, n))
    chased = np.zeros((n, n))
    for k in range(states.tiers):
        np.add.at(chased if k == chase.tier else others, (rows, states.successor[:, k]), states.probs[:, k])
    try:
        solved = np.linalg.solve(np.eye(n) - others, np.column_stack([np.ones(n), chased]))
    except np.linalg.LinAlgError:
        return None
    gaps, then = solved[:, 0], solved[:, 1:]
    if not np.all(np.isfinite(solved)):
        return None
    tally = np.zeros((copies, 2))  # (copies so far, guarantee pending) before the tier's next pull
    tally[0, 0] = 1.0
    at = np.zeros(n)  # the pity state right after the tier's last pull (fresh before the first)
    at[FRESH] = 1.0
    gap = float(at @ gaps)
    settled = False
    total = 0.0
    for _ in range(MAX_WALK * 10):
        alive = float(tally.sum())
        if alive <= TAIL * 1e-5:  # what is left could change the mean by less than 1e-16 of itself
            break
        total += alive * gap
        hit = tally @ chase.step[:, 1, :]
        tally = tally @ chase.step[:, 0, :]
        tally[1:] += hit[:-1]
        if not settled:
            moved = at @ then
            settled = float(np.abs(moved - at).sum()) <= ROUNDING
            at = moved
            gap = float(at @ gaps)
    return total


class Moves:
    """One pull as a sparse transition of the pity states, in one scatter: the pulls of every other tier go to
    their successors, those of the chased tier to theirs in a block of their own (the guarantee and the copies
    then decide what they were). Per state each distinct successor of the other tiers appears once, with the
    summed chance of the tiers that lead there: the tiers below a pity tier all step its counter alike, so a
    state has a few successors, not one per tier."""

    def __init__(self, targets: IndexArray, chances: FloatArray) -> None:
        self.targets = targets
        """(states, successors): the other tiers' successors (padded with chance 0), then the chased tier's."""
        self.chances = chances
        self._index: dict[int, IndexArray] = {}

    @classmethod
    def of(cls, probs: FloatArray, successor: IndexArray, tier: int) -> Moves:
        n, tiers = probs.shape
        grouped: list[dict[int, float]] = [{} for _ in range(n)]
        for state in range(n):
            for k in range(tiers):
                if k != tier and probs[state, k] > 0.0:
                    target = int(successor[state, k])
                    grouped[state][target] = grouped[state].get(target, 0.0) + float(probs[state, k])
        width = max((len(g) for g in grouped), default=0) + 1
        targets = np.tile(np.arange(n)[:, None], (1, width))
        chances = np.zeros((n, width))
        for state, group in enumerate(grouped):
            for column, (target, chance) in enumerate(group.items()):
                targets[state, column] = target
                chances[state, column] = chance
        targets[:, -1] = successor[:, tier]
        chances[:, -1] = probs[:, tier]
        return cls(targets, chances)

    def pull(self, mass: FloatArray) -> tuple[FloatArray, FloatArray]:
        """From mass (..., states): the mass after a pull of another tier, and the mass that pulled the chased
        tier (at its successor states), both of the same shape."""
        n = mass.shape[-1]
        rows = mass.size // n
        index = self._index.get(rows)
        if index is None:
            offsets = np.arange(rows)[:, None, None] * n
            chased = np.arange(self.targets.shape[1]) == self.targets.shape[1] - 1
            index = (offsets + self.targets[None] + chased * rows * n).ravel()
            self._index[rows] = index
        flow = mass.reshape(rows, n, 1) * self.chances[None]
        moved = scatter(index, flow.ravel(), 2 * rows * n)
        return moved[: rows * n].reshape(mass.shape), moved[rows * n :].reshape(mass.shape)


def collection_mean(rates: Sequence[float] | FloatArray) -> float:
    """Expected pulls to own every Esprit drawn independently at these per-pull chances (they may add up to
    less than 1: the other pulls give Esprits outside the set): ∫0^∞ (1 − ∏_i (1 − e^{−p_i t})) dt.

    In log t the integrand is smooth and the panels follow each Esprit's own scale, so the rarest and the
    commonest are integrated alike; 1 − ∏ is computed as −expm1(Σ log(−expm1(−p_i t))), without cancellation."""
    p = np.asarray(rates, dtype=np.float64)
    if p.size == 0:
        return 0.0
    if np.any(p <= 0.0):
        raise ValueError("every Esprit of a set to collect needs a positive rate")
    start = START_FACTOR / float(p.max())
    end = (math.log(p.size) + CUTOFF) / float(p.min())
    nodes, weights = np.polynomial.legendre.leggauss(NODES)
    # [0, start] in t, where every Esprit is still missing (almost surely), then panels even in log t.
    head = _missing(start * (nodes + 1) / 2, p) @ weights * start / 2
    panels = max(1, math.ceil(PANELS_PER_E * math.log(end / start)))
    edges = np.linspace(math.log(start), math.log(end), panels + 1)
    half = np.diff(edges)[:, None] / 2
    t = np.exp((edges[:-1, None] + half * (nodes[None, :] + 1)).ravel())
    body = _missing(t, p) * t @ (half * weights[None, :]).ravel()
    return float(head + body)


def _missing(t: FloatArray, rates: FloatArray) -> FloatArray:
    """P(some Esprit still missing at Poisson time t): 1 − ∏_i (1 − e^{−p_i t}), without cancellation."""
    result: FloatArray = -np.expm1(np.log(-np.expm1(-np.outer(t, rates))).sum(axis=1))
    return result
