"""The battle matrix's sizes and thresholds, with their bounds (the faye.inputs kind of definitions).

Light on purpose, as faye.inputs is: the CLI builds `faye sim battles --help` from these without importing numpy
or the engine. They belong in faye.inputs beside the other simulators' sizes; they wait here until it takes them.
"""

from __future__ import annotations

from typing import Final

from faye.errors import InvalidAmount
from faye.inputs import Bound

BATTLES_PER_PAIR: Final = Bound(int, "battles", "the number of battles per pair", 1, 100_000, amount=True)
MATRIX_DEFAULT_BATTLES: Final = 1_000
MATRIX_BATTLES: Final = 50_000_000
"""Most battles one matrix may hold (Esprits squared x battles per pair): about a quarter of an hour on two cores."""
ASCENSION: Final = Bound(int, "ascension", "an ascension rank", 0, 20)
"""What a rank can be at all (faye.config.MAX_RANK); the game data's ascension.max_rank is the rule."""
TEAM_SIZE: Final = Bound(int, "team_size", "a team size", 1, 3)
TIER_BAND: Final = Bound(float, "band", "a tier band", 0.0, 1.0, exclusive_min=True)
MATRIX_DEFAULT_BAND: Final = 0.1
MOVE_THRESHOLD: Final = Bound(float, "threshold", "a win-rate change", 0.0, 1.0, exclusive_min=True)
MATRIX_DEFAULT_THRESHOLD: Final = 0.05


def check_matrix_size(esprits: int, battles: int) -> None:
    """Refuse a matrix that would not end in minutes: InvalidAmount naming battles."""
    BATTLES_PER_PAIR.check(battles)
    total = esprits * esprits * battles
    if total > MATRIX_BATTLES:
        raise InvalidAmount(
            f"a matrix holds at most {MATRIX_BATTLES:,} battles, not {total:,} ({esprits} x {esprits} pairs x "
            f"{battles:,}); ask for fewer battles per pair",
            field="battles",
            amount=battles,
            max=MATRIX_BATTLES // max(1, esprits * esprits),
        )
