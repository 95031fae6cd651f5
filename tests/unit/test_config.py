"""Game data loading: the shipped files are valid, and every kind of mistake names its file and field."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faye.config import Currency, GameConfig, load_config
from faye.errors import ConfigError
from faye.settings import DEFAULT_CONFIG_DIR


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def edit_json(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def problems_of(config_dir: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir)
    err = caught.value
    assert err.code == "invalid_config"
    assert err.problems, "a ConfigError must list its problems"
    assert err.details["problems"] == err.problems
    for problem in err.problems:
        assert problem in err.message
    return err.problems


def one_problem_matching(problems: list[str], *needles: str) -> str:
    hits = [p for p in problems if all(n in p for n in needles)]
    assert hits, f"no problem mentions {needles}: {problems}"
    return hits[0]


# --- the shipped game ----------------------------------------------------------------------------------


def test_shipped_config_loads(config: GameConfig) -> None:
    assert isinstance(config, GameConfig)
    assert config.settings.summon.currency in set(Currency)
    assert config.settings.inventory_page_size >= 1


def test_shipped_config_has_enough_esprits(config: GameConfig) -> None:
    assert len(config.esprits) >= 40
    per_tier = Counter(e.rarity for e in config.esprits)
    for tier in config.tier_names:
        assert per_tier[tier] >= 4, f"tier {tier} has only {per_tier[tier]} Esprits"
    assert set(per_tier) == set(config.tier_names)


def test_shipped_esprits_are_unique(config: GameConfig) -> None:
    names = [e.name for e in config.esprits]
    ids = [e.esprit_id for e in config.esprits]
    assert len(set(names)) == len(names)
    assert len(set(ids)) == len(ids)


def test_shipped_cross_references(config: GameConfig) -> None:
    assert config.cross_check() == []
    assert all(i in config.esprits_by_id for i in config.settings.starter_pool)
    assert set(config.visuals) >= set(config.tier_names)
    assert config.tier_rank[config.tier_names[0]] == 0
    assert config.tier_rank[config.tier_names[-1]] == len(config.tier_names) - 1
    for tier, members in zip(config.tier_names, config.esprits_by_tier, strict=True):
        assert [e.esprit_id for e in members] == sorted(e.esprit_id for e in members)
        assert all(e.rarity == tier for e in members)


def test_resolve_tier_is_case_insensitive(config: GameConfig) -> None:
    assert config.resolve_tier("legendary") == "Legendary"
    assert config.resolve_tier("EPIC") == "Epic"
    assert config.resolve_tier("ultra") is None


def test_copied_config_loads(config_dir: Path, config: GameConfig) -> None:
    assert load_config(config_dir) == config


# --- broken copies --------------------------------------------------------------------------------------


def test_malformed_json_names_file_and_line(config_dir: Path) -> None:
    path = config_dir / "game_settings.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + " oops,"  # line 3 now has garbage after a value
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = one_problem_matching(problems_of(config_dir), "game_settings.json")
    assert "not valid JSON" in problem
    assert "line 3" in problem


def test_missing_field_names_file_and_dotted_path(config_dir: Path) -> None:
    edit_json(config_dir / "game_settings.json", lambda d: d["summon"].pop("single_cost"))
    problem = one_problem_matching(problems_of(config_dir), "game_settings.json", "summon.single_cost")
    assert "required" in problem.lower()


def test_soft_start_above_hard(config_dir: Path) -> None:
    def change(data: Any) -> None:
        epic = next(t for t in data["tiers"] if t["name"] == "Epic")
        epic["pity"] = {"soft_start": 12, "soft_step": 0.3, "hard": 10}

    edit_json(config_dir / "rarity_tiers.json", change)
    problems = problems_of(config_dir)
    problem = one_problem_matching(problems, "rarity_tiers.json", "soft_start")
    assert "tiers.3.pity" in problem
    assert "(12)" in problem
    assert "(10)" in problem


def test_unknown_rarity_on_an_esprit(config_dir: Path) -> None:
    edit_json(config_dir / "esprits.json", lambda d: d["esprits"][2].update(rarity="Ultra"))
    problem = one_problem_matching(problems_of(config_dir), "esprits.json", "esprits[2].rarity")
    assert "Ultra" in problem


def test_unknown_starter_pool_id(config_dir: Path) -> None:
    edit_json(config_dir / "game_settings.json", lambda d: d["starter_pool"].append("no_such_esprit"))
    problem = one_problem_matching(problems_of(config_dir), "game_settings.json", "starter_pool[")
    assert "no_such_esprit" in problem


def test_negative_weight(config_dir: Path) -> None:
    edit_json(config_dir / "rarity_tiers.json", lambda d: d["tiers"][1].update(weight=-0.25))
    problem = one_problem_matching(problems_of(config_dir), "rarity_tiers.json", "tiers.1.weight")
    assert "-0.25" in problem


def test_missing_file(config_dir: Path) -> None:
    (config_dir / "stat_icons.json").unlink()
    problem = one_problem_matching(problems_of(config_dir), "stat_icons.json")
    assert "not found" in problem


def test_missing_directory(tmp_path: Path) -> None:
    problem = one_problem_matching(problems_of(tmp_path / "nowhere"), "nowhere")
    assert "not found" in problem


def test_tier_without_esprits(config_dir: Path) -> None:
    edit_json(
        config_dir / "esprits.json",
        lambda d: d.update(esprits=[e for e in d["esprits"] if e["rarity"] != "Mythic"]),
    )
    problem = one_problem_matching(problems_of(config_dir), "esprits.json", "Mythic")
    assert "no Esprit" in problem


def test_every_problem_is_reported_at_once(config_dir: Path) -> None:
    edit_json(config_dir / "game_settings.json", lambda d: d["summon"].pop("single_cost"))
    edit_json(config_dir / "rarity_tiers.json", lambda d: d["tiers"][0].update(weight=0))
    problems = problems_of(config_dir)
    one_problem_matching(problems, "game_settings.json", "summon.single_cost")
    one_problem_matching(problems, "rarity_tiers.json", "tiers.0.weight")


def test_duplicate_esprit_name(config_dir: Path) -> None:
    def change(data: Any) -> None:
        data["esprits"][1]["name"] = data["esprits"][0]["name"]

    edit_json(config_dir / "esprits.json", change)
    problem = one_problem_matching(problems_of(config_dir), "esprits.json", "duplicate name")
    assert "Ember Fox Kit" in problem or "esprits" in problem


def test_every_tier_with_pity_is_refused(config_dir: Path) -> None:
    def change(data: Any) -> None:
        for tier in data["tiers"]:
            tier["pity"] = {"soft_start": 5, "soft_step": 0.1, "hard": 10}

    edit_json(config_dir / "rarity_tiers.json", change)
    one_problem_matching(problems_of(config_dir), "rarity_tiers.json", "no pity")
