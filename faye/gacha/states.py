"""The pity state space: every combination of pity counters, with what the rule does in each.

The rule's probabilities depend only on the counters of the tiers that have pity, and a counter at hard - 1
already makes its tier (or a higher one) certain, so counters in 0..hard-1 cover every reachable situation.
Those combinations are enumerated once per tier list; each state's probabilities come from
`RarityTable.probabilities` and each successor from `RarityTable.advance`. The exact Markov chain
(`faye.gacha.exact`) and the vectorised simulator (`faye.gacha.simulate`) both read these tables, so neither
re-codes the rule and both agree with live summons by construction.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from faye.config import TIERS_FILE
from faye.errors import ConfigError
from faye.gacha.pity import Counters, RarityTable

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

#: The state of a fresh account (every counter 0); also the state right after a pull of the highest pity tier.
FRESH = 0
#: Beyond this many counter combinations the tables stop being a quick computation (a few pity tiers with
#: hard pity in the hundreds); the designer tools refuse rather than stall.
MAX_STATES = 250_000


@dataclass(frozen=True, eq=False)
class PityStates:
    """State i is the pity counters `counters[i]`; `probs[i, k]` is the chance of tier k on the next pull and
    `successor[i, k]` the state after it. States are numbered in mixed radix, the lowest pity tier fastest."""

    table: RarityTable
    pity_tiers: tuple[int, ...]
    """Indices of the tiers with pity, lowest first."""
    hards: tuple[int, ...]
    counters: IndexArray
    """(states, pity tiers): each state's counter of each pity tier."""
    probs: FloatArray
    """(states, tiers)."""
    successor: IndexArray
    """(states, tiers)."""

    @classmethod
    def of(cls, table: RarityTable) -> PityStates:
        pity_tiers = tuple(i for i, rule in enumerate(table.rules) if rule.pity is not None)
        hards = tuple(rule.pity.hard for rule in table.rules if rule.pity is not None)
        count = math.prod(hards)
        if count > MAX_STATES:
            raise ConfigError(
                [
                    f"{TIERS_FILE}: tiers: the pity rules combine into {count:,} counter states (the product of "
                    f"the hard pity values {list(hards)}); the designer tools handle at most {MAX_STATES:,}"
                ]
            )
        counters = np.empty((count, len(hards)), dtype=np.intp)
        probs = np.empty((count, table.size), dtype=np.float64)
        after = np.empty((count, table.size, table.size), dtype=np.intp)
        full = list(table.fresh())
        for state, reversed_combo in enumerate(itertools.product(*(range(h) for h in reversed(hards)))):
            combo = reversed_combo[::-1]
            for tier, value in zip(pity_tiers, combo, strict=True):
                full[tier] = value
            counters[state] = combo
            probs[state] = table.probabilities(full)
            after[state] = [table.advance(full, drawn) for drawn in range(table.size)]
        successor = _encode(after[:, :, list(pity_tiers)], hards)
        return cls(table, pity_tiers, hards, counters, probs, successor)

    @property
    def size(self) -> int:
        return int(self.probs.shape[0])

    @property
    def tiers(self) -> int:
        return self.table.size

    def index(self, counters: Sequence[int]) -> int:
        """The state of an engine counters tuple (one counter per tier, as `RarityTable` keeps them).

        Counters of tiers without pity do not change any probability and are ignored; a counter past its hard
        pity behaves exactly like hard - 1 (the tier is certain either way), so it is clamped there.
        """
        return int(_encode(np.asarray([counters[tier] for tier in self.pity_tiers], dtype=np.intp), self.hards))

    def engine_counters(self, state: int) -> Counters:
        """A counters tuple for `RarityTable` in this state (0 for the tiers without pity)."""
        full = list(self.table.fresh())
        for tier, value in zip(self.pity_tiers, self.counters[state], strict=True):
            full[tier] = int(value)
        return tuple(full)

    @cached_property
    def thresholds(self) -> FloatArray:
        """(states, tiers - 1): a uniform u draws tier #{j : u >= thresholds[state, j]}, as `RarityTable.choose`.

        Cumulative probabilities from the lowest tier; tiers with probability 0 are skipped because their
        threshold equals the previous one, and past the highest possible tier the thresholds are +inf, so
        rounding that leaves u above the float sum lands on that tier, never on an impossible one.
        """
        cumulative = np.cumsum(self.probs, axis=1)[:, :-1]
        possible = self.probs > 0.0
        highest = self.tiers - 1 - np.argmax(possible[:, ::-1], axis=1)
        beyond = np.arange(self.tiers - 1)[None, :] >= highest[:, None]
        return np.where(beyond, np.inf, cumulative)


def _encode(counters: IndexArray, hards: Sequence[int]) -> IndexArray:
    """State numbers of pity counters (last axis: one counter per pity tier), clamped to 0..hard-1."""
    strides = np.cumprod((1, *hards[:-1]), dtype=np.intp)[: len(hards)]
    clamped = np.clip(counters, 0, np.asarray(hards, dtype=np.intp) - 1)
    encoded: IndexArray = (clamped * strides).sum(axis=-1)
    return encoded
