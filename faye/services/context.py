"""What every service needs, built once by FayeApp."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faye.clock import Clock
from faye.config import GameConfig
from faye.db import Database
from faye.gacha import RarityTable


@dataclass(frozen=True)
class ServiceContext:
    db: Database
    config: GameConfig
    clock: Clock
    rng: random.Random
    rarity: RarityTable
    admin_ids: frozenset[str]
