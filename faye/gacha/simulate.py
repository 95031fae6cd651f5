"""Monte Carlo summons: many simulated players pulling at once, vectorised with numpy.

Each simulated player is one pity state (`PityStates`); a pull is, for every player at once: a 32-bit uniform,
a lookup of the tier it selects in that player's state, and a lookup of the next state. The tier lookup is a
table indexed by (state, top bits of the uniform): most of its cells lie inside one tier's interval and answer
outright; the few a threshold cuts through (about 2 % of pulls) compare the full uniform with the state's
thresholds. Either way the tier is exactly the one `RarityTable.choose` picks for u = r / 2**32, because the
tables come from `PityStates` (the rule's own probabilities and successors).

Every block of `STREAM` players has its own random stream (spawned from the seed), and players are simulated
in chunks of `CHUNK` at a time: memory holds one chunk whatever the number of pulls, and a seed gives the same
result whatever the chunk size. numpy's bincount holds the GIL and contended hand-offs of the GIL cost as much
as these microsecond-long numpy calls, so threads were measured to make it slower; a large run instead spreads
its chunks over worker processes (faye.gacha.pool), and since the streams belong to the players, not to the
workers, a seed gives the same result whatever the number of workers too. Below `POOL_PULLS` pulls a run stays
in one process: starting workers (a Python with numpy each) costs more than the run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from faye.choices import DEFAULT_SEED, SIM_DEFAULT_PLAYERS
from faye.config import GameConfig
from faye.errors import InvalidAmount
from faye.gacha.exact import Passage, PityChain, scatter, wilson_interval
from faye.gacha.pity import RarityTable
from faye.gacha.states import FloatArray, IndexArray, PityStates
from faye.inputs import POOL_PULLS, WORKERS, check_summons_size

#: Players per random stream.
STREAM = 1 << 12
#: Players simulated together (a multiple of STREAM): one step is one pull for each of them.
CHUNK = 1 << 15
#: Most cells of the tier lookup table (2 bytes each): small enough to stay in a core's cache.
TABLE_CELLS = 1 << 18
MAX_TABLE_BITS = 8
#: Report progress about every this many pulls.
PROGRESS_EVERY = 1 << 20

Progress = Callable[[int], None]
Counts = NDArray[np.int64]
UIntArray = NDArray[np.unsignedinteger]


class Sampler:
    """Vectorised pulls over `PityStates`.

    A player's state is kept as its row in the tier lookup table (`state << bits`), so a pull needs no
    multiplication; what a pull drew is a code, `tier * states + state`, which is both the index of the next
    row in `next_row` and what the simulation counts (by tier and by the pity counters before the pull).
    """

    def __init__(self, states: PityStates) -> None:
        self.states = states
        n, tiers = states.size, states.tiers
        self.codes = n * tiers
        self.bits = max(1, min(MAX_TABLE_BITS, int(math.log2(max(1, TABLE_CELLS // n)))))
        self.shift = 32 - self.bits
        self.code_type = np.dtype(np.uint16) if self.codes < np.iinfo(np.uint16).max else np.dtype(np.uint32)
        self.unsure = int(np.iinfo(self.code_type).max)
        # u = r / 2**32 >= t  <=>  r >= ceil(t * 2**32): the rule's thresholds as integers; +inf (and a float sum
        # a hair above 1) become 2**32, which no 32-bit draw reaches.
        scaled = np.ceil(np.minimum(states.thresholds, 1.0) * 2.0**32)
        self.limits = np.where(np.isinf(states.thresholds), 2.0**32, scaled).astype(np.uint64)
        width = 1 << self.shift
        low = np.arange(1 << self.bits, dtype=np.uint64) * width
        first = (low[None, :, None] >= self.limits[:, None, :]).sum(axis=2)
        last = ((low + (width - 1))[None, :, None] >= self.limits[:, None, :]).sum(axis=2)
        code = first * n + np.arange(n)[:, None]
        self.table = np.where(first == last, code, self.unsure).astype(self.code_type).ravel()
        successor = states.successor.T.ravel()  # by code: tier-major
        self.next_row = (successor << self.bits).astype(np.uint32)

    def rows(self, states: IndexArray) -> NDArray[np.uint32]:
        return (states.astype(np.uint32)) << np.uint32(self.bits)

    def pull(self, draws: NDArray[np.uint32], rows: NDArray[np.uint32], codes: UIntArray, key: UIntArray) -> None:
        """One pull for each player: `codes` gets what was drawn, `rows` moves to the next states.

        `draws` are uniform 32-bit integers; `key` is scratch space of the same length.
        """
        np.right_shift(draws, self.shift, out=key)
        np.add(key, rows, out=key)
        np.take(self.table, key, out=codes)
        unsure = np.flatnonzero(codes == self.unsure)
        if unsure.size:
            state = rows[unsure] >> np.uint32(self.bits)
            tier = (draws[unsure, None] >= self.limits[state]).sum(axis=1)
            codes[unsure] = tier * self.states.size + state
        np.take(self.next_row, codes, out=rows)

    def tiers_of(self, codes: UIntArray) -> IndexArray:
        tiers: IndexArray = codes.astype(np.intp) // self.states.size
        return tiers


def uniform_draws(rng: np.random.Generator, count: int) -> NDArray[np.uint32]:
    """`count` uniform 32-bit integers: the raw 64-bit output split in two halves, the cheapest there is."""
    raw: NDArray[np.uint32] = rng.bit_generator.random_raw((count + 1) // 2).view(np.uint32)[:count]
    return raw


@dataclass(frozen=True)
class Plan:
    """Who pulls how much: `players` each make `units` units of `unit` pulls; the first `extra` one more."""

    players: int
    unit: int
    units: int
    extra: int

    @classmethod
    def of(cls, pulls: int, players: int, unit: int) -> Plan:
        units, extra = divmod(pulls // unit, players)
        return cls(players, unit, units, extra)

    @property
    def steps(self) -> int:
        return (self.units + (1 if self.extra else 0)) * self.unit

    def active(self, step: int, first: int, width: int) -> int:
        """How many of players first..first+width-1 pull at `step` (the ones with an extra unit come first)."""
        if step < self.units * self.unit:
            return width
        if step < self.steps:
            return min(max(self.extra - first, 0), width)
        return 0

    def pulls_of(self, extra: bool) -> int:
        return (self.units + (1 if extra else 0)) * self.unit


@dataclass(frozen=True, eq=False)
class Tally:
    """What a simulation counted. `codes[tier * states + state]`: pulls of that tier made in that state."""

    codes: Counts
    first: Counts
    """(pity tiers, pulls): from a fresh start, players whose first pull of that pity tier or higher was pull
    n + 1 (a counter still equal to the pulls made means it never reset). Empty unless started fresh."""
    best: Counts
    """10-pulls by the best tier they held (empty unless the pulls were 10-pulls)."""

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.codes + other.codes, self.first + other.first, self.best + other.best)


class Simulation:
    """A run of `pulls` summons by `players` simulated players, from the long-run pity distribution or fresh."""

    def __init__(
        self,
        states: PityStates,
        stationary: FloatArray,
        *,
        pulls: int,
        players: int,
        ten: bool = False,
        fresh: bool = False,
        seed: int = DEFAULT_SEED,
    ) -> None:
        self.sampler = Sampler(states)
        self.stationary = stationary
        self.plan = Plan.of(pulls, players, 10 if ten else 1)
        self.ten = ten
        self.fresh = fresh
        self.seed = seed
        self.early_steps = min(self.plan.steps, max(states.hards, default=0)) if fresh else 0

    @property
    def pulls(self) -> int:
        return self.plan.players * self.plan.units * self.plan.unit + self.plan.extra * self.plan.unit

    @property
    def streams(self) -> int:
        return -(-self.plan.players // STREAM)

    def chunks(self, chunk: int = CHUNK, workers: int = 1) -> list[tuple[int, int]]:
        """(first stream, streams) of each chunk: `chunk` players (whole streams), fewer so `workers` all get one.
        (Finer chunks, to balance workers slowed by other programs, measured slower: more numpy calls a pull.)"""
        per_chunk = max(1, min(chunk // STREAM, -(-self.streams // workers)))
        return [(first, min(per_chunk, self.streams - first)) for first in range(0, self.streams, per_chunk)]

    def run(self, progress: Progress | None = None, chunk: int = CHUNK, workers: int = 1) -> Tally:
        """Simulate every player, `chunk` players at a time (rounded down to whole streams), adding up the tallies;
        with `workers` > 1 the chunks run in that many processes (faye.gacha.pool), to the same tally."""
        chunks = self.chunks(chunk, workers)
        if workers > 1 and len(chunks) > 1:
            from faye.gacha.pool import run_in_pool

            return run_in_pool(self, chunks, min(workers, len(chunks)), progress)
        total: Tally | None = None
        for first, count in chunks:
            tally = self.chunk(first, count, progress)
            total = tally if total is None else total + tally
        assert total is not None  # at least one player
        return total

    def chunk(self, first: int, count: int, progress: Progress | None = None) -> Tally:
        """The players of streams first .. first + count - 1. Stream i is the i-th child of the seed's
        SeedSequence (as `SeedSequence(seed).spawn` makes it), built here so a worker needs only the numbers."""
        streams = [
            np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(i,))))
            for i in range(first, first + count)
        ]
        return self._chunk(first * STREAM, streams, progress)

    def _chunk(self, first: int, streams: list[np.random.Generator], progress: Progress | None) -> Tally:
        """Players first, first + 1, ... (STREAM for each stream), pull after pull: a step is one pull each."""
        sampler, plan = self.sampler, self.plan
        n = sampler.states.size
        width = min(len(streams) * STREAM, plan.players - first)
        offsets = range(0, width, STREAM)
        blocks = [(rng, offset, min(STREAM, width - offset)) for rng, offset in zip(streams, offsets, strict=True)]
        if self.fresh:
            start = np.zeros(width, dtype=np.intp)
        else:
            start = np.concatenate([rng.choice(n, size=size, p=self.stationary) for rng, _, size in blocks])
        rows = sampler.rows(start)
        draws = np.empty(width, dtype=np.uint32)
        key = np.empty(width, dtype=np.uint32)
        codes = np.empty(width, dtype=sampler.code_type)
        best = np.zeros(width, dtype=sampler.code_type)
        counts = np.zeros(sampler.codes, dtype=np.int64)
        first_hits = np.zeros((len(sampler.states.pity_tiers), self.early_steps), dtype=np.int64)
        tens = np.zeros(sampler.states.tiers if self.ten else 0, dtype=np.int64)
        report_every = max(1, PROGRESS_EVERY // width)
        unreported = 0
        for step in range(plan.steps):
            active = plan.active(step, first, width)
            if active == 0:
                break
            for rng, offset, size in blocks:
                pulling = min(size, active - offset)
                if pulling <= 0:
                    break
                draws[offset : offset + pulling] = uniform_draws(rng, pulling)
            sampler.pull(draws[:active], rows[:active], codes[:active], key[:active])
            counted = np.bincount(codes[:active], minlength=sampler.codes)
            counts += counted
            if step < self.early_steps:
                self._first_hits(counted, step, first_hits)
            if self.ten:
                np.maximum(best[:active], codes[:active], out=best[:active])
                if step % 10 == 9:
                    tens += np.bincount(sampler.tiers_of(best[:active]), minlength=sampler.states.tiers)
                    best[:active] = 0
            unreported += active
            if progress is not None and step % report_every == report_every - 1:
                progress(unreported)
                unreported = 0
        if progress is not None and unreported:
            progress(unreported)
        return Tally(counts, first_hits, tens)

    def _first_hits(self, counted: Counts, step: int, into: Counts) -> None:
        """From a fresh start, a pull at `step` whose pity counter still equals `step` is the first of its kind."""
        states = self.sampler.states
        by_tier = counted.reshape(states.tiers, states.size)
        for position, tier in enumerate(states.pity_tiers):
            untouched = states.counters[:, position] == step
            into[position, step] = by_tier[tier:, untouched].sum()


@dataclass(frozen=True)
class Spread:
    """How many pulls something takes: mean and percentiles (the smallest n with CDF(n) >= p)."""

    mean: float
    p50: int | None
    p90: int | None
    p99: int | None
    max: int | None

    @classmethod
    def of(cls, passage: Passage) -> Spread:
        return cls(
            passage.mean, passage.percentile(0.5), passage.percentile(0.9), passage.percentile(0.99), passage.max
        )

    @classmethod
    def observed(cls, histogram: Counts) -> Spread | None:
        """From counts of 1, 2, ... pulls (None when nothing was counted)."""
        seen = np.flatnonzero(histogram)
        if seen.size == 0:
            return None
        counted = histogram[: seen[-1] + 1]
        return cls.of(Passage(counted / counted.sum(), guaranteed=True))


@dataclass(frozen=True)
class TierResult:
    """One tier of a simulation next to the exact numbers. Pull counts are of this tier *or higher*."""

    name: str
    count: int
    observed_rate: float
    exact_rate: float
    """What this run should give on average (the long-run rate, or from a fresh start the average over the
    players' pulls)."""
    consolidated_rate: float
    ci95: tuple[float, float]
    """Wilson 95 % interval of the observed rate."""
    within_ci: bool
    cost_each: float | None
    """Currency spent per pull of this tier."""
    exact_cost_each: float
    between: Spread | None
    """Pulls between two pulls of this tier or higher, from its pity counter (tiers with pity, long-run start)."""
    exact_between: Spread
    first: Spread | None
    """Pulls to get the first one (tiers with pity, fresh start, when every player pulled up to hard pity)."""
    exact_first: Spread
    histogram: list[int]
    """Observed counts of 1, 2, ... pulls: `first` from a fresh start, else `between` (tiers with pity)."""
    exact_pmf: list[float]
    """The exact probabilities for the same counts."""
    ten_pull_at_least_one: float | None
    """Share of 10-pulls holding this tier or higher (10-pull runs)."""
    exact_ten_pull_at_least_one: float | None


@dataclass(frozen=True)
class SummonReport:
    pulls: int
    players: int
    mode: str
    fresh: bool
    seed: int
    seconds: float
    pulls_per_second: float
    currency: str
    cost_per_pull: float
    states: int
    tiers: list[TierResult]
    workers: int = 1
    """Processes the run used (one below `POOL_PULLS` pulls, whatever was asked)."""
    tier_or_higher: bool = True


def simulate_summons(
    config: GameConfig,
    *,
    pulls: int,
    players: int = SIM_DEFAULT_PLAYERS,
    ten: bool = False,
    fresh: bool = False,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    progress: Progress | None = None,
) -> SummonReport:
    """Simulate `pulls` summons on up to `workers` processes and set each tier's observations beside the exact
    chain's numbers; the result depends on the seed only, not on `workers`.

    Refuses InvalidAmount for sizes beyond faye.inputs (a run that would not end in minutes) and for 10-pulls
    that do not divide `pulls`; InvalidArgument for a number of workers out of bounds."""
    check_summons_size(pulls, players)
    WORKERS.check(workers)
    if ten and pulls % 10:
        raise InvalidAmount(f"10-pulls need a multiple of 10 pulls, got {pulls}", field="pulls", amount=pulls)
    chain = PityChain.of(RarityTable.from_config(config))
    simulation = Simulation(
        chain.states, chain.stationary, pulls=pulls, players=players, ten=ten, fresh=fresh, seed=seed
    )
    used = min(workers, len(simulation.chunks(workers=workers))) if pulls >= POOL_PULLS else 1
    started = time.perf_counter()
    tally = simulation.run(progress, workers=used)
    seconds = time.perf_counter() - started
    return _report(config, chain, simulation, tally, seconds, used)


def _report(
    config: GameConfig, chain: PityChain, simulation: Simulation, tally: Tally, seconds: float, workers: int
) -> SummonReport:
    states, plan = chain.states, simulation.plan
    total = simulation.pulls
    summon = config.settings.summon
    cost_per_pull = summon.ten_cost / 10 if simulation.ten else float(summon.single_cost)
    start = chain.fresh if simulation.fresh else chain.stationary
    counts = tally.codes.reshape(states.tiers, states.size)
    per_tier = counts.sum(axis=1)
    if simulation.fresh:
        expected = _per_player(plan, lambda pulls: chain.expected_counts(start, pulls)) / total
    else:
        expected = chain.rates
    ten_observed = ten_exact = None
    if simulation.ten:
        tens = int(tally.best.sum())
        every_ten = _per_player(plan, lambda pulls: chain.expected(start, pulls // 10, chain.ten_pull, every=10))
        ten_exact = every_ten / tens
        ten_observed = np.cumsum(tally.best[::-1])[::-1] / tens  # best tier >= t: holds t or higher
    fresh_passages = chain.passages(chain.fresh)
    tiers = []
    for tier, rule in enumerate(states.table.rules):
        count = int(per_tier[tier])
        interval = wilson_interval(count, total)
        between_exact = chain.passages(chain.after(tier), [tier])[0]
        histogram = np.zeros(0, dtype=np.int64)
        between = first = None
        if tier in states.pity_tiers:
            position = states.pity_tiers.index(tier)
            hard = states.hards[position]
            if simulation.fresh:
                if plan.pulls_of(False) >= hard:  # every player got one: a complete sample
                    histogram = tally.first[position, :hard]
                    first = Spread.observed(histogram)
            else:
                histogram = _gaps(counts, states.counters[:, position], tier, hard)
                between = Spread.observed(histogram)
        exact_pmf = fresh_passages[tier].pmf if simulation.fresh else between_exact.pmf
        tiers.append(
            TierResult(
                name=rule.name,
                count=count,
                observed_rate=count / total,
                exact_rate=float(expected[tier]),
                consolidated_rate=float(chain.rates[tier]),
                ci95=interval,
                within_ci=bool(interval[0] <= expected[tier] <= interval[1]),
                cost_each=cost_per_pull * total / count if count else None,
                exact_cost_each=cost_per_pull / float(chain.rates[tier]),
                between=between,
                exact_between=Spread.of(between_exact),
                first=first,
                exact_first=Spread.of(fresh_passages[tier]),
                histogram=[int(c) for c in histogram],
                exact_pmf=[float(p) for p in exact_pmf] if histogram.size else [],
                ten_pull_at_least_one=None if ten_observed is None else float(ten_observed[tier]),
                exact_ten_pull_at_least_one=None if ten_exact is None else float(ten_exact[tier]),
            )
        )
    return SummonReport(
        pulls=total,
        players=plan.players,
        mode="ten" if simulation.ten else "single",
        fresh=simulation.fresh,
        seed=simulation.seed,
        seconds=seconds,
        pulls_per_second=total / seconds if seconds > 0 else 0.0,
        currency=summon.currency.value,
        cost_per_pull=cost_per_pull,
        states=states.size,
        tiers=tiers,
        workers=workers,
    )


def _per_player(plan: Plan, expected: Callable[[int], FloatArray]) -> FloatArray:
    """Sum an expectation over the players: `extra` of them made one more unit of pulls."""
    total = (plan.players - plan.extra) * expected(plan.pulls_of(False))
    if plan.extra:
        total = total + plan.extra * expected(plan.pulls_of(True))
    return total


def _gaps(counts: Counts, counter: IndexArray, tier: int, hard: int) -> Counts:
    """Pulls of `tier` or higher by the pity counter before them: counter + 1 is the gap since the last one.

    Counting every such pull in a fixed window of a stationary run gives the gap distribution without the
    inspection paradox (the gap straddling the start is measured whole, because the counter remembers it).
    """
    taken = counts[tier:].sum(axis=0).astype(np.float64)
    return scatter(counter, taken, hard).astype(np.int64)
