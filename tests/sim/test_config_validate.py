"""`faye config validate`: the shipped data is valid; each kind of mistake is listed with its file and field."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import Faye

Edit = Callable[[dict[str, Any]], None]


def test_shipped_config_is_valid(faye: Faye) -> None:
    code, doc = faye.json("config", "validate")
    assert code == 0
    assert doc["valid"] is True
    assert doc["problems"] == []
    result = faye("config", "validate")
    assert result.exit_code == 0
    assert "is valid" in result.stdout


def _set_rarity(esprit_rarity: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["esprits"] = [e for e in data["esprits"] if e["rarity"] != esprit_rarity]

    return edit


BROKEN: list[tuple[str, str, Edit, list[str]]] = [
    (
        "unknown key",
        "rarity_tiers.json",
        lambda d: d["tiers"][5].update(pitty=d["tiers"][5].pop("pity")),
        ["tiers.5.pitty", "unknown key"],
    ),
    (
        "nested unknown key",
        "game_settings.json",
        lambda d: d["summon"].update(single_costs=5),
        ["summon.single_costs", "unknown key"],
    ),
    ("weight 0", "rarity_tiers.json", lambda d: d["tiers"][0].update(weight=0), ["tiers.0.weight", "greater than 0"]),
    (
        "soft_start > hard",
        "rarity_tiers.json",
        lambda d: d["tiers"][3]["pity"].update(soft_start=11),
        ["tiers.3.pity", "soft_start (11) must be <= hard (10)"],
    ),
    (
        "soft_step 0",
        "rarity_tiers.json",
        lambda d: d["tiers"][5]["pity"].update(soft_step=0),
        ["tiers.5.pity.soft_step", "greater than 0"],
    ),
    ("tier without Esprits", "esprits.json", _set_rarity("Mythic"), ["esprits.json", "Mythic"]),
    (
        "unknown starter id",
        "game_settings.json",
        lambda d: d["starter_pool"].append("nobody"),
        ["starter_pool[4]", "nobody"],
    ),
    (
        "single cost 0",
        "game_settings.json",
        lambda d: d["summon"].update(single_cost=0),
        ["summon.single_cost", "greater than 0"],
    ),
    (
        "ten cost 0",
        "game_settings.json",
        lambda d: d["summon"].update(ten_cost=0),
        ["summon.ten_cost", "greater than 0"],
    ),
]


@pytest.mark.parametrize(("filename", "edit", "needles"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_copy_exits_2_naming_file_and_field(
    faye: Faye, tmp_path: Path, filename: str, edit: Edit, needles: list[str]
) -> None:
    copy = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, copy)
    data = json.loads((copy / filename).read_text(encoding="utf-8"))
    edit(data)
    (copy / filename).write_text(json.dumps(data), encoding="utf-8")
    code, doc = faye.json("config", "validate", "--config-dir", str(copy))
    assert (code, doc["error"]["code"]) == (2, "invalid_config")
    problems = doc["error"]["problems"]
    assert any(p.startswith(f"{filename}: ") and all(n in p for n in needles) for p in problems), problems
    result = faye("config", "validate", "--config-dir", str(copy))
    assert result.exit_code == 2
    assert filename in result.stderr
    assert "Traceback" not in result.output


def test_every_problem_is_listed_at_once(faye: Faye, tmp_path: Path) -> None:
    copy = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, copy)
    settings = json.loads((copy / "game_settings.json").read_text(encoding="utf-8"))
    settings["summon"]["ten_cost"] = 0
    settings["daily"]["base"]["gemz"] = 10
    settings["inventory_pagesize"] = 5
    (copy / "game_settings.json").write_text(json.dumps(settings), encoding="utf-8")
    code, doc = faye.json("config", "validate", "--config-dir", str(copy))
    assert code == 2
    fields = " ".join(doc["error"]["problems"])
    assert "summon.ten_cost" in fields
    assert "daily.base.gemz" in fields
    assert "inventory_pagesize" in fields


def test_game_still_ignores_unknown_keys(tmp_path: Path) -> None:
    """The strict pass is for designers; the game itself keeps loading files with extra keys."""
    from faye.config import load_config

    copy = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, copy)
    tiers = json.loads((copy / "rarity_tiers.json").read_text(encoding="utf-8"))
    tiers["comment"] = "designers' note"
    (copy / "rarity_tiers.json").write_text(json.dumps(tiers), encoding="utf-8")
    assert len(load_config(copy).tiers) == 6


def test_missing_directory(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("config", "validate", "--config-dir", str(tmp_path / "nowhere"))
    assert (code, doc["error"]["code"]) == (2, "invalid_config")
    assert "not found" in doc["error"]["problems"][0]
