"""Duel ratings: the Elo update, pure.

A's expected score against B is E = 1 / (1 + 10 ** ((R_B - R_A) / 400)); A scores S = 1 for a win, 1/2 for a
draw, 0 for a loss. A gains delta = K x (S - E), rounded half away from zero to an integer, and B loses exactly
that delta, so the ratings of both sides always add up to what they were (no points are made or lost). Two equal
ratings with K = 32 move by 16 on a win and not at all on a draw.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faye.battle.engine import Winner  # the engine loads numpy; a rating needs only the names

SCORES: dict[Winner, float] = {"attacker": 1.0, "draw": 0.5, "defender": 0.0}


def expected(rating: int, opponent: int) -> float:
    """The expected score of `rating` against `opponent`, 0 to 1."""
    return 1 / (1 + 10 ** ((opponent - rating) / 400))


def elo(attacker: int, defender: int, winner: Winner, k: int) -> tuple[int, int]:
    """The new (attacker, defender) ratings after a duel `winner` won (or drew)."""
    change = k * (SCORES[winner] - expected(attacker, defender))
    delta = int(math.copysign(math.floor(abs(change) + 0.5), change))
    return attacker + delta, defender - delta
