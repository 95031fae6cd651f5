"""The fixed vocabularies of the game's queries, in a module light enough for a front-end's `--help`."""

from __future__ import annotations

from typing import Final

SUMMON_AMOUNTS: Final = (1, 10)
INVENTORY_SORTS: Final = ("rarity", "level", "name", "newest")
LEADERBOARD_RANKINGS: Final = ("level", "xp", "faylen", "collection")
AUCTION_SORTS: Final = ("newest", "price", "rarity")
