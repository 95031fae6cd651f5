"""The rarity and pity rule.

A tier's counter counts pulls since the player's last pull of that tier or any higher tier. On a pull, with
k = counter + 1, a tier with pity has probability `base` for k < soft_start, `base + soft_step x (k - soft_start
+ 1)` from soft_start on, and 1 from `hard` on (never above 1). Probabilities are assigned from the highest tier
down: each pity tier takes its probability, capped by the mass not yet assigned; tiers without pity share what
remains in proportion to their base weights. Live summons and the simulator both call this module, so the
rates players get are the rates the designers computed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from faye.config import GameConfig, PityRule, RarityTier

Counters = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TierRule:
    name: str
    base: float
    """Base probability, normalised over all tiers."""
    pity: PityRule | None

    def pity_probability(self, counter: int) -> float:
        """This tier's own chance on the next pull, given its counter (only meaningful with pity)."""
        if self.pity is None:
            return self.base
        k = counter + 1
        if k >= self.pity.hard:
            return 1.0
        if k < self.pity.soft_start:
            return self.base
        return min(1.0, self.base + self.pity.soft_step * (k - self.pity.soft_start + 1))


class RarityTable:
    """The rule for one tier list (lowest to highest). Stateless: counters are passed in and returned."""

    def __init__(self, tiers: Sequence[RarityTier]) -> None:
        total = math.fsum(t.weight for t in tiers)
        self.rules: tuple[TierRule, ...] = tuple(TierRule(t.name, t.weight / total, t.pity) for t in tiers)
        self._pity_desc = tuple(i for i in reversed(range(len(self.rules))) if self.rules[i].pity is not None)
        self._free = tuple(i for i, r in enumerate(self.rules) if r.pity is None)
        self._free_weight = math.fsum(self.rules[i].base for i in self._free)

    @classmethod
    def from_config(cls, config: GameConfig) -> RarityTable:
        return cls(config.tiers)

    @property
    def size(self) -> int:
        return len(self.rules)

    def fresh(self) -> Counters:
        return (0,) * len(self.rules)

    def probabilities(self, counters: Sequence[int]) -> tuple[float, ...]:
        """The probability of each tier on the next pull."""
        probs = [0.0] * len(self.rules)
        remaining = 1.0
        for i in self._pity_desc:
            p = min(self.rules[i].pity_probability(counters[i]), remaining)
            probs[i] = p
            remaining -= p
        remaining = max(remaining, 0.0)
        for i in self._free:
            probs[i] = remaining * self.rules[i].base / self._free_weight
        return tuple(probs)

    def advance(self, counters: Sequence[int], drawn: int) -> Counters:
        """Counters after a pull of tier `drawn`: reset for that tier and every tier below it."""
        return tuple(0 if i <= drawn else c + 1 for i, c in enumerate(counters))

    def choose(self, probs: Sequence[float], u: float) -> int:
        """The tier a uniform `u` in [0, 1) selects (cumulative from the lowest tier)."""
        acc = 0.0
        last = 0
        for i, p in enumerate(probs):
            if p <= 0.0:
                continue
            acc += p
            last = i
            if u < acc:
                return i
        return last  # float rounding left u just above the sum: the highest possible tier takes it

    def pull(self, counters: Sequence[int], u: float) -> tuple[int, Counters]:
        """One pull: the tier drawn and the counters after it."""
        drawn = self.choose(self.probabilities(counters), u)
        return drawn, self.advance(counters, drawn)
