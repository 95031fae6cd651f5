"""The designers' balance simulator: every Esprit against every other, N battles a pair, as a win-rate matrix,
its summaries per rarity tier, element and role, and the outliers worth a designer's look (`faye sim battles`).

Teams. A side is `team_size` copies of one Esprit, all at the same level and ascension rank.

Seeds. The battles of the pair (attacker a, defender d) take consecutive seeds from a start drawn from
`SeedSequence(seed, spawn_key=(key(a), key(d)))`, where key is a stable 63-bit hash of the esprit_id: a pair's
battles depend on the seed and the two Esprits alone, never on the chunk, the number of workers or where the
Esprits stand in esprits.json, so a `--what-if` run on changed data fights its unchanged pairs with the very
same seeds.

Scores. A battle scores 1 for a win and 1/2 for a draw. `matrix[a][d]` is a's score attacking d (rows attack).
Seat-neutral, a scores `(matrix[a][d] + 1 - matrix[d][a]) / 2` against d (as attacker and as defender), and an
Esprit's win rate is that score's mean over every other Esprit.

Outliers. Tier band: an Esprit is "above" ("below") when its win rate is more than `band` above (below) the mean
win rate of the other Esprits of its tier; a tier of one Esprit has no band. Element check: between the Esprits
of elements A and B *of the same tier* (so that a tier's strength does not pass for an element's), A's mean
seat-neutral score against B is what the advantage table intends: above 0.5 when A's damage multiplier against
B is greater than B's against A, below 0.5 when it is smaller; a pair on the wrong side is flagged. Pairs the
table leaves even (no advantage, or each beating the other) are not flagged: with one or two Esprits of an
element in a tier, their score measures those Esprits more than the element.

Work. Every pair is one `fight_many` call of the vectorised engine; pairs are spread over worker processes
(faye.gacha.pool) in chunks of consecutive pairs, whose counts add up to the same matrix whatever the workers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from faye.battle.engine import Fighter, fight_many, fighter
from faye.battle.settings import BattleSettings
from faye.choices import DEFAULT_SEED
from faye.config import GameConfig
from faye.errors import InvalidArgument
from faye.inputs import (
    ASCENSION,
    LEVEL,
    MATRIX_DEFAULT_BAND,
    MATRIX_DEFAULT_BATTLES,
    TEAM_SIZE,
    TIER_BAND,
    WORKERS,
    check_matrix_size,
)

#: Fewest battles a matrix spreads over workers: starting them costs up to about half a second (when they cannot
#: be forked, a forkserver importing numpy, then the workers; see faye.gacha.pool), what one core needs for the
#: 44 x 44 matrix at about 20 battles a pair (a pair's batch costs about a millisecond whatever its size up to a
#: few hundred battles).
POOL_BATTLES = 40_000
#: Chunks per worker: enough that a worker slowed by another program does not hold up the end.
CHUNKS_PER_WORKER = 8

Progress = Callable[[int], None]
Counts = NDArray[np.int64]
Direction = Literal["above", "below"]
Intent = Literal["favoured", "even", "unfavoured"]


def esprit_key(esprit_id: str) -> int:
    """A stable 63-bit number for an Esprit, for its pairs' seeds (Python's own hash changes every run)."""
    return int.from_bytes(hashlib.blake2b(esprit_id.encode(), digest_size=8).digest(), "big") >> 1


def pair_seeds(seed: int, attacker: str, defender: str, battles: int) -> NDArray[np.uint64]:
    """The seeds of the pair's `battles` battles (module docstring: Seeds): consecutive numbers from the pair's
    own 64-bit start, which the engine hashes before use (faye.battle.rng), so neighbours fight unrelated battles.
    (Drawing every seed from the SeedSequence instead took a tenth of the whole matrix's time.)"""
    sequence = np.random.SeedSequence(seed, spawn_key=(esprit_key(attacker), esprit_key(defender)))
    start = sequence.generate_state(1, np.uint64)[0]
    seeds: NDArray[np.uint64] = start + np.arange(battles, dtype=np.uint64)  # wraps modulo 2**64
    return seeds


@dataclass(frozen=True, eq=False)
class Tally:
    """What the battles of some pairs came to, by (attacker, defender): wins of the attacker, draws, rounds."""

    wins: Counts
    draws: Counts
    rounds: Counts

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.wins + other.wins, self.draws + other.draws, self.rounds + other.rounds)


class MatrixRun:
    """Every team against every team, `battles` battles a pair; pair p is attacker p // n against defender p % n.

    A worker process receives the whole run once and then only (first pair, pairs) numbers (faye.gacha.pool)."""

    def __init__(
        self, teams: Sequence[Sequence[Fighter]], ids: Sequence[str], battles: int, seed: int, rules: BattleSettings
    ) -> None:
        self.teams = [list(team) for team in teams]
        self.ids = list(ids)
        self.battles = battles
        self.seed = seed
        self.rules = rules

    @property
    def pairs(self) -> int:
        return len(self.ids) ** 2

    def chunks(self, workers: int) -> list[tuple[int, int]]:
        """(first pair, pairs) of each chunk: one for one worker, else `CHUNKS_PER_WORKER` a worker."""
        size = -(-self.pairs // (workers * CHUNKS_PER_WORKER)) if workers > 1 else self.pairs
        return [(first, min(size, self.pairs - first)) for first in range(0, self.pairs, size)]

    def run(self, progress: Progress | None = None, workers: int = 1) -> Tally:
        chunks = self.chunks(workers)
        if workers > 1 and len(chunks) > 1:
            from faye.gacha.pool import run_in_pool

            return run_in_pool(self, chunks, workers, progress)
        return self.chunk(0, self.pairs, progress)

    def chunk(self, first: int, count: int, progress: Progress | None = None) -> Tally:
        """The pairs first .. first + count - 1, each one `fight_many` call; progress after each pair."""
        n = len(self.ids)
        wins, draws, rounds = (np.zeros((n, n), dtype=np.int64) for _ in range(3))
        for pair in range(first, first + count):
            a, d = divmod(pair, n)
            seeds = pair_seeds(self.seed, self.ids[a], self.ids[d], self.battles)
            outcomes = fight_many(self.teams[a], self.teams[d], seeds, self.rules)
            wins[a, d] = np.count_nonzero(outcomes.winner == 1)
            draws[a, d] = np.count_nonzero(outcomes.winner == 0)
            rounds[a, d] = int(outcomes.rounds.sum(dtype=np.int64))
            if progress is not None:
                progress(self.battles)
        return Tally(wins, draws, rounds)


# --- the report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EspritResult:
    esprit_id: str
    name: str
    tier: str
    element: str
    role: str
    win_rate: float
    """Seat-neutral score against every other Esprit (module docstring: Scores)."""
    as_attacker: float
    as_defender: float
    outlier: Direction | None
    """Against its tier's band (module docstring: Outliers)."""


@dataclass(frozen=True)
class TierResult:
    tier: str
    esprits: int
    win_rate: float
    """The mean of its Esprits' win rates."""
    low: float
    high: float


@dataclass(frozen=True)
class Versus:
    """A group's mean seat-neutral score against another group, over the pairs of the same tier (None: no such
    pair)."""

    against: str
    win_rate: float | None
    pairs: int


@dataclass(frozen=True)
class ElementVersus(Versus):
    multiplier: float
    """The advantage table's damage multiplier of this element against `against`."""
    returned: float
    """The multiplier of `against` against this element."""
    intent: Intent
    as_intended: bool | None


@dataclass(frozen=True)
class GroupResult:
    """An element or a role: its Esprits' mean win rate, and its scores against the others."""

    name: str
    esprits: int
    win_rate: float
    versus: list[Versus]


@dataclass(frozen=True)
class EspritOutlier:
    esprit_id: str
    name: str
    tier: str
    win_rate: float
    tier_others: float
    """The mean win rate of the other Esprits of its tier."""
    direction: Direction
    kind: str = "esprit"


@dataclass(frozen=True)
class ElementOutlier:
    attacker: str
    defender: str
    win_rate: float
    intent: Intent
    direction: Direction
    kind: str = "element"


Outlier = EspritOutlier | ElementOutlier


@dataclass(frozen=True)
class BattleReport:
    level: int
    ascension: int
    team_size: int
    battles_per_pair: int
    seed: int
    esprits: list[EspritResult]
    matrix: list[list[float]]
    """Rows attack, columns defend: the row's score (win 1, draw 1/2), in the order of `esprits`."""
    tiers: list[TierResult]
    elements: list[GroupResult]
    roles: list[GroupResult]
    outliers: list[Outlier]
    band: float
    draws: float
    """The share of all battles that ended in a draw (the round limit)."""
    mean_rounds: float
    battles: int
    workers: int
    seconds: float


def battle_matrix(
    config: GameConfig,
    rules: BattleSettings,
    *,
    level: int | None = None,
    ascension: int = 0,
    battles: int = MATRIX_DEFAULT_BATTLES,
    team_size: int = 1,
    band: float = MATRIX_DEFAULT_BAND,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    progress: Progress | None = None,
) -> BattleReport:
    """Every Esprit of `config` against every one (itself too), `battles` battles a pair, on up to `workers`
    processes; the result depends on the seed, not on `workers`. `level` defaults to the cap of `ascension`.

    Refuses InvalidArgument for a level, rank, team size, band or number of workers out of bounds (the level
    above the cap the rank allows, the rank above ascension.max_rank) and InvalidAmount for a matrix that would
    not end in minutes."""
    level = check_growth(config, level, ascension)
    TEAM_SIZE.check(team_size)
    TIER_BAND.check(band)
    WORKERS.check(workers)
    esprits = config.esprits
    check_matrix_size(len(esprits), battles)
    teams = [[fighter(e, level, ascension, config.progression)] * team_size for e in esprits]
    run = MatrixRun(teams, [e.esprit_id for e in esprits], battles, seed, rules)
    used = min(workers, len(run.chunks(workers))) if run.pairs * battles >= POOL_BATTLES else 1
    started = time.perf_counter()
    tally = run.run(progress, workers=used)
    seconds = time.perf_counter() - started
    return _report(config, rules, tally, level, ascension, team_size, battles, band, seed, used, seconds)


def check_growth(config: GameConfig, level: int | None, ascension: int) -> int:
    """The level to fight at (`level`, or the cap of `ascension`): InvalidArgument naming the level or the
    ascension when the progression rules do not allow it."""
    ASCENSION.check(ascension)
    rules = config.progression.ascension
    if ascension > rules.max_rank:
        raise InvalidArgument(
            f"an ascension rank is at most {rules.max_rank} (progression.json: ascension.max_rank), not {ascension}",
            field="ascension",
            value=ascension,
            max=rules.max_rank,
        )
    cap = rules.level_cap(ascension)
    if level is None:
        return cap
    LEVEL.check(level)
    if level > cap:
        raise InvalidArgument(
            f"at ascension rank {ascension} the level cap is {cap}, not {level}; ask for a higher rank",
            field="level",
            value=level,
            max=cap,
        )
    return level


def _report(
    config: GameConfig,
    rules: BattleSettings,
    tally: Tally,
    level: int,
    ascension: int,
    team_size: int,
    battles: int,
    band: float,
    seed: int,
    workers: int,
    seconds: float,
) -> BattleReport:
    esprits = config.esprits
    n = len(esprits)
    matrix = (tally.wins + tally.draws / 2) / battles
    neutral = (matrix + 1 - matrix.T) / 2
    others = ~np.eye(n, dtype=bool) if n > 1 else np.ones((1, 1), dtype=bool)
    win_rate = np.where(others, neutral, 0).sum(axis=1) / others.sum(axis=1)
    as_attacker = np.where(others, matrix, 0).sum(axis=1) / others.sum(axis=1)
    as_defender = np.where(others, 1 - matrix.T, 0).sum(axis=1) / others.sum(axis=1)
    tiers = np.array([e.rarity for e in esprits])
    outliers: list[Outlier] = []
    directions: list[Direction | None] = []
    for i, esprit in enumerate(esprits):
        mates = (tiers == esprit.rarity) & (np.arange(n) != i)
        direction: Direction | None = None
        if mates.any():
            mean = float(win_rate[mates].mean())
            if abs(win_rate[i] - mean) > band:
                direction = "above" if win_rate[i] > mean else "below"
                outliers.append(
                    EspritOutlier(esprit.esprit_id, esprit.name, esprit.rarity, float(win_rate[i]), mean, direction)
                )
        directions.append(direction)
    same_tier = tiers[:, None] == tiers[None, :]
    elements = [
        _intended(group, rules, outliers)
        for group in _groups([e.element for e in esprits], win_rate, neutral, same_tier)
    ]
    return BattleReport(
        level=level,
        ascension=ascension,
        team_size=team_size,
        battles_per_pair=battles,
        seed=seed,
        esprits=[
            EspritResult(
                esprit_id=e.esprit_id,
                name=e.name,
                tier=e.rarity,
                element=e.element,
                role=e.role,
                win_rate=float(win_rate[i]),
                as_attacker=float(as_attacker[i]),
                as_defender=float(as_defender[i]),
                outlier=directions[i],
            )
            for i, e in enumerate(esprits)
        ],
        matrix=matrix.tolist(),
        tiers=[
            TierResult(tier, int(members.sum()), float(rates.mean()), float(rates.min()), float(rates.max()))
            for tier in config.tier_names
            if (members := tiers == tier).any()
            for rates in (win_rate[members],)
        ],
        elements=elements,
        roles=_groups([e.role for e in esprits], win_rate, neutral, same_tier),
        outliers=outliers,
        band=band,
        draws=float(tally.draws.sum() / (n * n * battles)),
        mean_rounds=float(tally.rounds.sum() / (n * n * battles)),
        battles=n * n * battles,
        workers=workers,
        seconds=seconds,
    )


def _groups(
    names: list[str], win_rate: NDArray[np.float64], neutral: NDArray[np.float64], same_tier: NDArray[np.bool_]
) -> list[GroupResult]:
    """Per group (in order of first appearance): its mean win rate, and its mean seat-neutral score against
    every other group over the pairs of the same tier."""
    labels = np.array(names)
    order = list(dict.fromkeys(names))
    groups = []
    for name in order:
        mine = labels == name
        versus = []
        for other in order:
            if other == name:
                continue
            pairs = same_tier & mine[:, None] & (labels == other)[None, :]
            count = int(pairs.sum())
            versus.append(Versus(other, float(neutral[pairs].mean()) if count else None, count))
        groups.append(GroupResult(name, int(mine.sum()), float(win_rate[mine].mean()), versus))
    return groups


def _intended(group: GroupResult, rules: BattleSettings, outliers: list[Outlier]) -> GroupResult:
    """An element's scores with what the advantage table intends (module docstring: Outliers); each pair that
    misses it is added to `outliers`."""
    versus: list[Versus] = []
    for pair in group.versus:
        multiplier = rules.elements.multiplier(group.name, pair.against)
        returned = rules.elements.multiplier(pair.against, group.name)
        intent: Intent = "favoured" if multiplier > returned else "unfavoured" if multiplier < returned else "even"
        direction = None if pair.win_rate is None else _missed(intent, pair.win_rate)
        if direction is not None and pair.win_rate is not None:
            outliers.append(ElementOutlier(group.name, pair.against, pair.win_rate, intent, direction))
        as_intended = None if pair.win_rate is None or intent == "even" else direction is None
        versus.append(ElementVersus(pair.against, pair.win_rate, pair.pairs, multiplier, returned, intent, as_intended))
    return GroupResult(group.name, group.esprits, group.win_rate, versus)


def _missed(intent: Intent, win_rate: float) -> Direction | None:
    """Which way a pair's score misses its intent, or None if it meets it (an even pair has none to miss)."""
    if intent == "favoured" and win_rate <= 0.5:
        return "below"
    if intent == "unfavoured" and win_rate >= 0.5:
        return "above"
    return None
