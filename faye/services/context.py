"""What every service needs, built once by FayeApp, and the game data in force (swapped whole by a reload)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

from faye.clock import Clock
from faye.config import GameConfig
from faye.db import Database
from faye.gacha import RarityTable
from faye.limits import RateLimit
from faye.reload import DataDigest


@dataclass(frozen=True)
class Rules:
    """The game data and what is built from it, in force together; `digest` names the files they came from."""

    config: GameConfig
    rarity: RarityTable
    digest: DataDigest | None = None

    @classmethod
    def of(cls, config: GameConfig, digest: DataDigest | None = None) -> Rules:
        return cls(config, RarityTable.from_config(config), digest)


class LiveRules:
    """The rules of a running game, replaced whole by `swap` (FayeApp.reload_config).

    An interaction calls `pin` when it starts: from then on, in its own asyncio task (and the tasks it starts),
    `current` stays the rules it started with, so a summon in flight finishes on the old rates while the next
    interaction starts on the new ones. Where nothing pinned (the CLI, a timer), `current` is the newest."""

    def __init__(self, rules: Rules) -> None:
        self._newest = rules
        self._pinned: ContextVar[Rules | None] = ContextVar(f"faye_rules_{id(self)}", default=None)

    @property
    def current(self) -> Rules:
        pinned = self._pinned.get()
        return pinned if pinned is not None else self._newest

    @property
    def newest(self) -> Rules:
        return self._newest

    def pin(self) -> None:
        """Keep the rules in force now for the rest of the calling task."""
        self._pinned.set(self._newest)

    def swap(self, rules: Rules) -> Rules:
        """Put `rules` in force for everything not pinned to older ones; the rules it replaced."""
        replaced, self._newest = self._newest, rules
        return replaced


@dataclass(frozen=True)
class ServiceContext:
    db: Database
    rules: LiveRules
    clock: Clock
    rng: random.Random
    admin_ids: frozenset[str]
    rate_limits: Mapping[str, RateLimit] = field(default_factory=dict)
    """The operator's per-player limits (faye.limits; empty: none), counted by faye.services.limits."""

    @property
    def config(self) -> GameConfig:
        return self.rules.current.config

    @property
    def rarity(self) -> RarityTable:
        return self.rules.current.rarity
