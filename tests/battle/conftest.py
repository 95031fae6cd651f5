"""The battle tests' data: the shipped game data and battle rules, and fighters built from them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faye.battle.engine import Fighter, fighter
from faye.battle.settings import BattleSettings
from faye.config import GameConfig, load_config

CONFIG_DIR = Path(__file__).resolve().parents[2] / "data" / "config"


@pytest.fixture(scope="session")
def game() -> GameConfig:
    return load_config(CONFIG_DIR)


@pytest.fixture(scope="session")
def rules(game: GameConfig) -> BattleSettings:
    return game.battle


@pytest.fixture(scope="session")
def make(game: GameConfig) -> Callable[..., Fighter]:
    """`make(esprit_id, level=10, ascension=0)`: the shipped Esprit as a fighter."""

    def build(esprit_id: str, level: int = 10, ascension: int = 0) -> Fighter:
        return fighter(game.esprits_by_id[esprit_id], level, ascension, game.progression)

    return build
