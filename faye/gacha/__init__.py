"""Pure rarity math: the one implementation of the rarity and pity rule (no database, no I/O)."""

from __future__ import annotations

from faye.gacha.pity import RarityTable, TierRule

__all__ = ["RarityTable", "TierRule"]
