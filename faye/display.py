"""How game values read in every front-end: currency icons, wallets, medals, stat values, the rarest pulls.

Plain strings, no markup, so the terminal (Rich) and Discord (markdown embeds) show the same words and icons,
and the rules behind them (which pulls stand out, what a pity counter is out of) are decided once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from faye.results import Balance, SummonResult

CURRENCY_ICONS: Final = {"faylen": "🪙", "virelite": "💎", "gems": "✦"}
#: Stats stored as fractions (0.15) and shown as percentages (15%).
RATE_STATS: Final = frozenset({"crit_rate", "dodge"})
#: The top three places of a leaderboard.
MEDALS: Final = {1: "🥇", 2: "🥈", 3: "🥉"}
#: The rank given to a tier the game data no longer knows: below every tier it does.
UNKNOWN_RANK: Final = -1
#: What each battle action (faye.battle.engine) is called in a log.
BATTLE_ACTIONS: Final = {
    "power_strike": "Power strike",
    "taunt": "Taunt",
    "heal": "Heal",
    "spark": "Spark",
    "magic_burst": "Magic burst",
    "ambush": "Ambush",
}


def money(values: Mapping[str, int]) -> str:
    """'🪙 1,000 faylen  ✦ 160 gems', or 'nothing' for an empty reward."""
    return "  ".join(f"{CURRENCY_ICONS.get(c, '')} {v:,} {c}" for c, v in values.items()) or "nothing"


def wallet(balance: Balance) -> str:
    """Every currency a player holds, always all three and in the same order, so wallets compare at a glance."""
    return money({"faylen": balance.faylen, "virelite": balance.virelite, "gems": balance.gems})


def medal(rank: int) -> str | None:
    """The medal of the top three places; None below them (each front-end numbers those in its own style)."""
    return MEDALS.get(rank)


def stat_label(stat: str) -> str:
    """'magic resist' for 'magic_resist'."""
    return stat.replace("_", " ")


def stat_value(stat: str, value: float) -> str:
    """'15%' for a rate stat, '1,250' for the others."""
    return f"{value:.0%}" if stat in RATE_STATS else f"{int(value):,}"


def plural(count: int, word: str) -> str:
    """'1 Esprit', '3 Esprits', '2 days'."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# --- summons --------------------------------------------------------------------------------------------


def standouts(ranks: Sequence[int]) -> frozenset[int]:
    """Indexes of the pulls that stand out: those of the summon's rarest tier, when some pull is of a lower one.

    When every pull shares one tier (a single pull, or ten of a kind) nothing stands out, so nothing is marked:
    a star on every line would say nothing. The terminal's ★, Discord's ★ and the reveal board's BEST badge all
    follow this rule.
    """
    if not ranks or max(ranks) == min(ranks):
        return frozenset()
    top = max(ranks)
    return frozenset(i for i, rank in enumerate(ranks) if rank == top)


def rarest_pulls(result: SummonResult, tier_rank: Mapping[str, int]) -> frozenset[int]:
    """`standouts` of a summon's pulls, ranked by the game data's tier order."""
    return standouts([tier_rank.get(esprit.rarity, UNKNOWN_RANK) for esprit in result.esprits])


def best_rarity(rarities: Iterable[str], tier_rank: Mapping[str, int]) -> str:
    """The highest tier among `rarities` (a summon's colour); a tier the game data no longer knows ranks last."""
    return max(rarities, key=lambda rarity: tier_rank.get(rarity, UNKNOWN_RANK))


def pity_counters(result: SummonResult) -> str:
    """'Epic 3/10 · Legendary 41/90': pulls since the last of each pity tier, out of the pull that guarantees it.

    The caps come with the result (the rule the summon was drawn under), never from the front-end's config.
    """
    return " · ".join(
        f"{tier} {pulls}/{result.hard_pity[tier]}" if tier in result.hard_pity else f"{tier} {pulls}"
        for tier, pulls in result.pity.items()
    )


def battle_action(name: str) -> str:
    """A log's name for a battle action ('power_strike' -> 'Power strike'); an unknown one as it is."""
    return BATTLE_ACTIONS.get(name, name)
