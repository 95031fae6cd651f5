"""Counter-based random numbers for battles: every draw is a hash of (seed, counter), never a stream's next value.

A battle's draws therefore depend only on its own seed and on where in the battle they are made (round, actor,
purpose), not on how many battles run beside it: battle i of a batch is exactly the battle of seeds[i] alone,
on any machine. The hash is splitmix64's output function over numpy uint64 arrays (integer arithmetic wraps
modulo 2**64, identically everywhere). A 64-bit hash holds four 16-bit lanes, each a uniform in [0, 1) with a
resolution of 1/65,536, so one hash serves four decisions of one action.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

_GAMMA: Final = 0x9E3779B97F4A7C15
_M1: Final = np.uint64(0xBF58476D1CE4E5B9)
_M2: Final = np.uint64(0x94D049BB133111EB)
_MASK: Final = (1 << 64) - 1
_LANE: Final = np.uint64(0xFFFF)
_SCALE: Final = 1.0 / 65_536


def _mix(z: NDArray[np.uint64]) -> NDArray[np.uint64]:
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def seed_keys(seeds: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Each seed hashed once, so nearby seeds (0, 1, 2…) start from unrelated keys."""
    return _mix(seeds.copy())


def draw(keys: NDArray[np.uint64], counter: int) -> NDArray[np.uint64]:
    """The 64-bit hash of each key at `counter` (splitmix64's `counter`-th output from that key)."""
    return _mix(keys + np.uint64(((counter + 1) * _GAMMA) & _MASK))


def lane(hashes: NDArray[np.uint64], index: int) -> NDArray[np.float64]:
    """Uniforms in [0, 1) from 16-bit lane `index` (0 to 3) of each hash; exact multiples of 1/65,536."""
    return ((hashes >> np.uint64(16 * index)) & _LANE).astype(np.float64) * _SCALE
