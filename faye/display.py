"""How game values read in every front-end: currency icons, wallets, stat values.

Plain strings, no markup, so the terminal (Rich) and Discord (markdown embeds) show the same words and icons.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

CURRENCY_ICONS: Final = {"faylen": "🪙", "virelite": "💎", "gems": "✦"}
#: Stats stored as fractions (0.15) and shown as percentages (15%).
RATE_STATS: Final = frozenset({"crit_rate", "dodge"})


def money(values: Mapping[str, int]) -> str:
    """'🪙 1,000 faylen  ✦ 160 gems', or 'nothing' for an empty reward."""
    return "  ".join(f"{CURRENCY_ICONS.get(c, '')} {v:,} {c}" for c, v in values.items()) or "nothing"


def stat_label(stat: str) -> str:
    """'magic resist' for 'magic_resist'."""
    return stat.replace("_", " ")


def stat_value(stat: str, value: float) -> str:
    """'15%' for a rate stat, '1,250' for the others."""
    return f"{value:.0%}" if stat in RATE_STATS else f"{int(value):,}"


def plural(count: int, word: str) -> str:
    """'1 Esprit', '3 Esprits', '2 days'."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
