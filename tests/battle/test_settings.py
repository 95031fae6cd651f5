"""battle.json: the shipped file is valid and consistent with the other game data; each mistake is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from faye.battle.engine import fight_many, fighter
from faye.battle.settings import BattleSettings, battle_problems
from faye.config import EspritDef, GameConfig, load_config
from faye.errors import ConfigError
from tests.battle.conftest import CONFIG_DIR


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CONFIG_DIR / "battle.json").read_text())
    return data


def load(tmp_path: Path, data: dict[str, Any]) -> BattleSettings:
    path = tmp_path / "battle.json"
    path.write_text(json.dumps(data))
    return BattleSettings.model_validate_json(path.read_text())


def test_the_shipped_rules_are_valid_and_agree_with_the_game_data(game: GameConfig, rules: BattleSettings) -> None:
    assert battle_problems(rules, game.esprits, game.progression) == []
    assert len(rules.trials.stages) >= 10
    assert rules.duels.rating.initial == 1200
    assert rules.duels.rating.k == 32


def test_each_trial_stage_is_harder_than_the_one_before(game: GameConfig, rules: BattleSettings) -> None:
    def team(stage: int) -> list[Any]:
        return [
            fighter(game.esprits_by_id[e.esprit_id], e.level, e.ascension, game.progression)
            for e in rules.trials.stages[stage].enemies
        ]

    seeds = np.arange(100, dtype=np.uint64)
    for stage in range(1, len(rules.trials.stages)):
        harder = fight_many(team(stage), team(stage - 1), seeds, rules)
        assert (harder.winner == 1).mean() > 0.7, rules.trials.stages[stage].name


def mutate(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    node = data
    *parents, last = path.split(".")
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "where", "message"),
    [
        ("roles.Striker.power", -1.2, "roles.Striker.power", "greater than 0"),
        ("elements.disadvantage", -0.5, "elements.disadvantage", "greater than 0"),
        ("damage.crit_multiplier", -1.5, "damage.crit_multiplier", "greater than or equal to 1"),
        ("max_rounds", 0, "max_rounds", "greater than or equal to 1"),
        ("elements.beats.Flame", ["Frost", "Fire"], "elements", "element 'Fire' is missing from the table"),
        ("elements.beats.Flame", ["Flame"], "elements", "cannot beat itself"),
        ("roles.Wizard", {"power": 1.0}, "roles", "unknown role 'Wizard'"),
        ("damage.spread", 1.0, "damage.spread", "less than 1"),
        ("trials.stages.2.stage", 7, "trials", "stages[2].stage is 7"),
        ("trials.stages.0.enemies", [], "trials.stages.0.enemies", "at least 1 item"),
        ("duels.rating.k", 0, "duels.rating.k", "greater than or equal to 1"),
        ("damage.enrage.per_round", float("nan"), "damage.enrage.per_round", "finite"),
    ],
)
def test_a_bad_battle_file_is_refused_naming_the_field(
    tmp_path: Path, path: str, value: Any, where: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        load(tmp_path, mutate(shipped(), path, value))
    errors = caught.value.errors()
    assert any(".".join(map(str, e["loc"])) == where and message in e["msg"] for e in errors), errors


def test_a_missing_role_is_refused(tmp_path: Path) -> None:
    data = shipped()
    del data["roles"]["Mystic"]
    with pytest.raises(ValidationError, match=r"roles\.Mystic"):
        load(tmp_path, data)


def test_cross_file_problems_name_the_file_and_field(tmp_path: Path, game: GameConfig) -> None:
    data = shipped()
    stages = data["trials"]["stages"]
    stages[3]["enemies"][0]["esprit_id"] = "x"
    stages[4]["enemies"][1].update(level=45, ascension=1)
    stages[5]["enemies"][2]["ascension"] = 7
    del data["elements"]["beats"]["Lumen"]
    data["elements"]["beats"]["Umbra"] = []
    rules = load(tmp_path, data)
    esprits = list(game.esprits)
    esprits[0] = EspritDef.model_validate({**esprits[0].model_dump(), "role": "Bard"})
    lumen = [i for i, e in enumerate(game.esprits) if e.element == "Lumen"]
    assert lumen
    assert battle_problems(rules, esprits, game.progression) == [
        "esprits.json: esprits[0].role: unknown role 'Bard'; expected one of "
        "['Striker', 'Guardian', 'Support', 'Mystic', 'Skirmisher'], the roles battle.json has rules for",
        *(
            f"battle.json: elements.beats: no entry for element 'Lumen' (esprits.json: esprits[{i}], "
            f"{game.esprits[i].esprit_id!r}); every element an Esprit has needs one"
            for i in lumen
        ),
        "battle.json: trials.stages[3].enemies[0].esprit_id: unknown esprit 'x'; expected an id from esprits.json",
        "battle.json: trials.stages[4].enemies[1].level: 45 is above the level cap at ascension 1 (30); "
        "raise its ascension or lower its level",
        "battle.json: trials.stages[5].enemies[2].ascension: 7 is above progression.json's ascension.max_rank (5)",
    ]


def test_the_game_data_refuses_a_bad_battle_file_naming_file_and_field(tmp_path: Path) -> None:
    for source in CONFIG_DIR.glob("*.json"):
        shutil.copy(source, tmp_path / source.name)
    data = mutate(shipped(), "max_rounds", 0)
    data["trials"]["stages"][3]["enemies"][0]["esprit_id"] = "x"
    (tmp_path / "battle.json").write_text(json.dumps(data))
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert [p for p in caught.value.problems if p.startswith("battle.json: max_rounds: ")] != []
    data["max_rounds"] = 30
    (tmp_path / "battle.json").write_text(json.dumps(data))
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.problems == [
        "battle.json: trials.stages[3].enemies[0].esprit_id: unknown esprit 'x'; expected an id from esprits.json"
    ]
