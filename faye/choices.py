"""The fixed vocabularies of the game's queries, in a module light enough for a front-end's `--help`."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

SUMMON_AMOUNTS: Final = (1, 10)
INVENTORY_SORTS: Final = ("rarity", "level", "name", "newest")
LEADERBOARD_RANKINGS: Final = ("level", "xp", "faylen", "collection", "rating")
AUCTION_SORTS: Final = ("newest", "price", "rarity")

# --- designer tools (faye.gacha): here so `faye sim --help` shows them without importing numpy ---------------

SIM_MODES: Final = ("single", "ten")
#: Seeds default to a fixed value, so a run without --seed is reproducible too.
DEFAULT_SEED: Final = 0
SIM_DEFAULT_PLAYERS: Final = 1 << 16
SIM_DEFAULT_PULLS: Final = 1_000_000
ECONOMY_DEFAULT_PLAYERS: Final = 10_000
ECONOMY_DEFAULT_DAYS: Final = 90


class Strategy(StrEnum):
    """How a simulated free player spends the summon currency."""

    SINGLE = "single"
    """A single pull whenever one is affordable."""
    TEN = "ten"
    """10-pulls only, whenever one is affordable; what is left waits for the next."""
    SAVE = "save"
    """Save until the 10-pulls that reach the top pity tier's hard pity are affordable, then 10-pull until it
    comes (a guaranteed top-tier pull per spree). Without any pity tier, the same as `ten`."""
