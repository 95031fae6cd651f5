"""One pull as shifts of the pity-counter grid: the exact walks' fast step when the rule has the usual shape.

The pity states are the combinations of counters, numbered in mixed radix (`faye.gacha.states`), so a mass
vector over them reshapes into a grid with one axis per pity tier. Under the usual rule a pull of a tier does
the same thing to every state: each pity counter either restarts at 0 or steps up by one (held at hard - 1). A
pull is then a few multiplications and slice copies over the grid instead of a scatter through the successor
table, several times quicker for the copies walk (`faye.gacha.banner_odds.copies_passage`), which makes one
such step per pull for thousands of pulls. `GridMoves.of` checks that shape against the successor table itself
and answers None when a rule does something else, so the scatter (`Moves`) stays the general step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from faye.gacha.states import FloatArray, PityStates

#: What a pull of a tier does to one pity counter.
RESTART, STEP = 0, 1


@dataclass(frozen=True, eq=False)
class Group:
    """Tiers that move the counters alike, with their summed chance in every state (shaped as the grid)."""

    chances: FloatArray
    source: tuple[slice, ...]
    """The states the group's pulls come from, as grid slices (a stepped counter never stands at hard - 1)."""
    target: tuple[slice, ...]
    """Where they land: a restarted counter at 0, a stepped one one further."""
    summed: tuple[int, ...]
    """The grid axes whose counters restart: their mass is summed."""

    @classmethod
    def of(cls, chances: FloatArray, effect: tuple[int, ...]) -> Group | None:
        """The group of tiers with this `effect` (per pity tier, lowest first: RESTART or STEP), or None when a
        stepped counter could stand at hard - 1 (held there, not stepped: not a shift)."""
        ndim = chances.ndim
        axes = [ndim - 1 - pity for pity in range(len(effect))]
        source = [slice(None)] * ndim
        target = [slice(None)] * ndim
        for axis, what in zip(axes, effect, strict=True):
            if what == RESTART:
                target[axis] = slice(0, 1)
            else:
                last = [slice(None)] * ndim
                last[axis] = slice(-1, None)
                if np.any(chances[tuple(last)] > 0.0):
                    return None
                source[axis], target[axis] = slice(None, -1), slice(1, None)
        summed = tuple(axis for axis, what in zip(axes, effect, strict=True) if what == RESTART)
        return cls(chances, tuple(source), tuple(target), summed)

    def flow(self, grid: FloatArray) -> FloatArray:
        """What `grid` (..., *shape) sends through this group, shaped for `target`."""
        lead = (slice(None),) * (grid.ndim - self.chances.ndim)
        part = grid[lead + self.source] * self.chances[self.source]
        last = self.chances.ndim - 1
        if last in self.summed:
            # numpy sums a short contiguous axis row by row; a product with ones goes through BLAS, ~5x quicker.
            part = (part @ np.ones(part.shape[-1]))[..., None]
        rest = tuple(a - self.chances.ndim for a in self.summed if a != last)
        return part.sum(axis=rest, keepdims=True) if rest else part


@dataclass(frozen=True, eq=False)
class GridMoves:
    """A pull as `Moves.pull` does it, by the grid's shifts; from `GridMoves.of`."""

    shape: tuple[int, ...]
    """The grid: the highest pity tier's counter first (mixed radix, the lowest tier fastest)."""
    others: tuple[Group, ...]
    chased: Group

    @classmethod
    def of(cls, states: PityStates, tier: int) -> GridMoves | None:
        """The grid step for a walk that keeps the pulls of `tier` apart, or None when some tier's pull does not
        restart-or-step every counter alike in every state where it can happen."""
        shape = tuple(reversed(states.hards))
        effects: dict[tuple[int, ...], FloatArray] = {}
        chased: Group | None = None
        for k in range(states.tiers):
            possible = states.probs[:, k] > 0.0
            effect = _effect(states, k, possible)
            if effect is None:
                return None
            chances = states.probs[:, k].reshape(shape)
            if k == tier:
                chased = Group.of(chances, effect)
                if chased is None:
                    return None
            elif possible.any():
                effects[effect] = effects[effect] + chances if effect in effects else chances
        others = [Group.of(c, e) for e, c in effects.items()]
        if chased is None or any(group is None for group in others):
            return None
        return cls(shape, tuple(g for g in others if g is not None), chased)

    def pull(self, mass: FloatArray) -> tuple[FloatArray, FloatArray]:
        """From mass (..., states): the mass after a pull of another tier, and the mass that pulled the chased
        tier (at its successor states), both of the same shape."""
        grid = mass.reshape(mass.shape[:-1] + self.shape)
        lead = (slice(None),) * (grid.ndim - len(self.shape))
        after = np.zeros_like(grid)
        for group in self.others:
            after[lead + group.target] += group.flow(grid)
        landed = np.zeros_like(grid)
        landed[lead + self.chased.target] = self.chased.flow(grid)
        return after.reshape(mass.shape), landed.reshape(mass.shape)


def _effect(states: PityStates, tier: int, possible: np.ndarray) -> tuple[int, ...] | None:
    """What a pull of `tier` does to each pity counter wherever it can happen, if it is the same everywhere."""
    before = states.counters[possible]
    after = states.counters[states.successor[possible, tier]]
    effect: list[int] = []
    for pity, hard in enumerate(states.hards):
        if np.all(after[:, pity] == 0):
            effect.append(RESTART)
        elif np.all(after[:, pity] == np.minimum(before[:, pity] + 1, hard - 1)):
            effect.append(STEP)
        else:
            return None
    return tuple(effect)
