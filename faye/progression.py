"""The progression rules, pure: XP and levels per rarity, stats at a level and rank, training, ascension and
release prices. The services apply them inside a transaction; the renderer, the simulator and the tests call the
same functions, so a card, a projection and a training never disagree.

An Esprit's `current_xp` is the XP into its current level. At its level cap it gains no more XP (what would
overflow the cap is not banked): ascending lifts the cap, and the Esprit starts earning again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from faye.config import EspritDef, ProgressionSettings, RarityGrowth

#: The stats that grow with level and rank; crit_rate and dodge are chances and stay as they are.
GROWING_STATS: Final = ("hp", "attack", "defense", "speed", "magic", "magic_resist")


@dataclass(frozen=True, slots=True)
class Growth:
    """An Esprit's level and XP before and after some XP was offered to it."""

    level: int
    xp: int
    """XP into `level`."""
    xp_gained: int
    """What it took of the XP offered (less when it reached its cap)."""
    levels_gained: int


def xp_to_next(growth: RarityGrowth, level: int) -> int:
    """XP from `level` to `level + 1`."""
    return round(growth.xp_base * growth.xp_growth ** (level - 1))


def level_cap(rules: ProgressionSettings, rank: int) -> int:
    return rules.ascension.level_cap(rank)


def gain(rules: ProgressionSettings, rarity: str, level: int, xp: int, offered: int, cap: int) -> Growth:
    """Offer `offered` XP to an Esprit at `level` with `xp` into it: it levels up until the XP runs out or it
    reaches `cap`, where it keeps nothing more."""
    growth = rules.rarities[rarity]
    start = level
    taken = 0
    left = max(0, offered)
    while level < cap and left > 0:
        need = xp_to_next(growth, level) - xp
        if left < need:
            xp += left
            taken += left
            left = 0
            break
        left -= need
        taken += need
        level += 1
        xp = 0
    if level >= cap:
        xp = 0
    return Growth(level=level, xp=xp, xp_gained=taken, levels_gained=level - start)


def xp_for_levels(rules: ProgressionSettings, rarity: str, level: int, xp: int, levels: int) -> int:
    """XP that lifts an Esprit at `level` (with `xp` into it) by `levels` levels."""
    growth = rules.rarities[rarity]
    return sum(xp_to_next(growth, lv) for lv in range(level, level + levels)) - xp


def faylen_for_xp(rules: ProgressionSettings, xp: int) -> int:
    """What `xp` XP of training costs: ceil(xp / xp_per_faylen), never a fraction of a faylen given away."""
    return math.ceil(xp / rules.xp_per_faylen - 1e-9) if xp > 0 else 0


def xp_for_faylen(rules: ProgressionSettings, faylen: int) -> int:
    """XP that `faylen` faylen buy: floor(faylen x xp_per_faylen)."""
    return math.floor(faylen * rules.xp_per_faylen + 1e-9)


def stats_at(
    rules: ProgressionSettings, rarity: str, base: Mapping[str, float], level: int, rank: int
) -> dict[str, float]:
    """Every stat at `level` and ascension `rank` from the `base` stats (level 1, rank 0): the growing ones
    scaled and rounded, the chances as they are."""
    growth = rules.rarities[rarity].stat_growth
    factor = (1 + growth * (level - 1)) * (1 + rules.ascension.stat_bonus * rank)
    stats: dict[str, float] = {name: round(base[name] * factor) for name in GROWING_STATS}
    stats["hp"] = max(1, stats["hp"])
    stats["crit_rate"] = base["crit_rate"]
    stats["dodge"] = base["dodge"]
    return stats


def base_stats(definition: EspritDef) -> dict[str, float]:
    """An Esprit's stats at level 1, rank 0, from the game data."""
    return dict(definition.stats.model_dump())


def max_hp(rules: ProgressionSettings, rarity: str, base: Mapping[str, float], level: int, rank: int) -> int:
    return int(stats_at(rules, rarity, base, level, rank)["hp"])


def ascension_cost(rules: ProgressionSettings, rarity: str, rank: int) -> tuple[int, int]:
    """(duplicates, virelite) to climb from `rank` to `rank + 1`; the caller refuses a rank at max_rank."""
    return rules.ascension.copies_per_rank[rank], rules.rarities[rarity].ascension_virelite[rank]


def release_reward(rules: ProgressionSettings, rarity: str, level: int) -> tuple[int, int]:
    """(faylen, virelite) a release of one Esprit pays."""
    growth = rules.rarities[rarity]
    return growth.release_faylen + growth.release_faylen_per_level * (level - 1), growth.release_virelite
