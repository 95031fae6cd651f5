"""The battle matrix's fixtures: small copies of the game data (three Esprits a tier), one of them boostable."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from faye.battle.settings import BattleSettings
from faye.config import GameConfig, load_config
from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import cli_env, faye  # noqa: F401  (the CLI tests' isolated `faye` runner)

PER_TIER = 3
#: The Esprit a boosted copy makes overwhelmingly strong: a Common, so its tier mates are far below it.
BOOSTED = "mossback_tortoise"
GROWING = ("hp", "attack", "defense", "speed", "magic", "magic_resist")

SmallData = Callable[..., Path]


@pytest.fixture
def small_data(tmp_path: Path) -> SmallData:
    """`small_data(name, boost=1.0)`: a copy of data/config with the first three Esprits of each tier (the
    boosted one among them), its starters, banners and trials trimmed to match, and BOOSTED's growing stats
    multiplied by `boost`."""

    def make(name: str = "small", boost: float = 1.0) -> Path:
        target = tmp_path / name
        shutil.copytree(DEFAULT_CONFIG_DIR, target)
        esprits = json.loads((target / "esprits.json").read_text())["esprits"]
        kept: list[dict[str, object]] = []
        for tier in [t["name"] for t in json.loads((target / "rarity_tiers.json").read_text())["tiers"]]:
            members = [e for e in esprits if e["rarity"] == tier]
            members.sort(key=lambda e: e["esprit_id"] != BOOSTED)
            kept.extend(members[:PER_TIER])
        for esprit in kept:
            if esprit["esprit_id"] == BOOSTED:
                stats = esprit["stats"]
                assert isinstance(stats, dict)
                for stat in GROWING:
                    stats[stat] = round(stats[stat] * boost)
        (target / "esprits.json").write_text(json.dumps({"esprits": kept}))
        ids = [str(e["esprit_id"]) for e in kept]
        settings = json.loads((target / "game_settings.json").read_text())
        settings["starter_pool"] = ids[:2]
        (target / "game_settings.json").write_text(json.dumps(settings))
        banners = json.loads((target / "banners.json").read_text())
        banners["banners"] = [b for b in banners["banners"] if b["kind"] == "standard"]
        (target / "banners.json").write_text(json.dumps(banners))
        battle = json.loads((target / "battle.json").read_text())
        stage = battle["trials"]["stages"][0]
        stage["enemies"] = [{"esprit_id": ids[0], "level": 1}]
        battle["trials"]["stages"] = [stage]
        (target / "battle.json").write_text(json.dumps(battle))
        return target

    return make


def load(directory: Path) -> tuple[GameConfig, BattleSettings]:
    config = load_config(directory)
    return config, config.battle
