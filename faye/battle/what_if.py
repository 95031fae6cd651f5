"""What moved between two battle matrices: the same run (seed, level, battles) on the game data and on a changed
copy of it (`faye sim battles --what-if DIR`).

The pairs of the two runs fight with the same seeds (faye.battle.matrix derives them from the seed and the two
Esprits' ids), so a change of win rate comes from the change of data, not from the dice; Esprits are matched by
esprit_id, and one that only one side has counts as moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from faye.battle.matrix import BattleReport


@dataclass(frozen=True)
class Moved:
    """One Esprit whose win rate changed by more than the threshold (None: it is not in that side's data)."""

    esprit_id: str
    name: str
    tier: str
    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True)
class WhatIf:
    """The matrix on the game data (`before`) and on the changed data in the directory `what_if` (`after`)."""

    what_if: str
    threshold: float
    before: BattleReport
    after: BattleReport
    moved: list[Moved]


def compare(before: BattleReport, after: BattleReport, threshold: float, config_dir: Path) -> WhatIf:
    """The Esprits whose win rate moved by more than `threshold`, the largest move first (then new and gone
    Esprits, by id)."""
    old = {e.esprit_id: e for e in before.esprits}
    new = {e.esprit_id: e for e in after.esprits}
    moved: list[Moved] = []
    for esprit_id in sorted(old.keys() | new.keys()):
        was, now = old.get(esprit_id), new.get(esprit_id)
        shown = now or was
        assert shown is not None  # the id came from one of them
        change = None if was is None or now is None else now.win_rate - was.win_rate
        if change is None or abs(change) > threshold:
            moved.append(
                Moved(
                    esprit_id=esprit_id,
                    name=shown.name,
                    tier=shown.tier,
                    before=None if was is None else was.win_rate,
                    after=None if now is None else now.win_rate,
                    change=change,
                )
            )
    moved.sort(key=lambda m: (m.change is None, -abs(m.change or 0.0), m.esprit_id))
    return WhatIf(what_if=str(config_dir), threshold=threshold, before=before, after=after, moved=moved)
