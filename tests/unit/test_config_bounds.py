"""Game data the game could not run with, or could not even read, is refused with its file (and field) named."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faye.config import MAX_FILE_BYTES, load_config, validate_config
from faye.errors import ConfigError
from faye.settings import DEFAULT_CONFIG_DIR

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def problems_of(config_dir: Path) -> list[str]:
    """What load_config refuses (every problem named by file), and that `faye config validate` says the same."""
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir)
    problems = caught.value.problems
    assert set(problems) <= set(validate_config(config_dir))
    return problems


def set_text(config_dir: Path, filename: str, old: str, new: str) -> None:
    path = config_dir / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit(config_dir: Path, filename: str, change: Edit) -> None:
    path = config_dir / filename
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"weight": 0.55', '"weight": NaN', "rarity_tiers.json: tiers.0.weight: NaN is not a number"),
        ('"weight": 0.006', '"weight": Infinity', "rarity_tiers.json: tiers.5.weight: Infinity is not a number"),
        ('"weight": 0.25', '"weight": -Infinity', "rarity_tiers.json: tiers.1.weight: -Infinity is not a number"),
        ('"weight": 0.13', '"weight": 1e400', "rarity_tiers.json: tiers.2.weight: 1e400 is beyond a float's range"),
    ],
)
def test_non_finite_numbers_are_refused_by_field(config_dir: Path, old: str, new: str, expected: str) -> None:
    set_text(config_dir, "rarity_tiers.json", old, new)
    (problem,) = problems_of(config_dir)
    assert problem.startswith(expected)


def test_infinite_growth_is_refused(config_dir: Path) -> None:
    set_text(config_dir, "game_settings.json", '"growth": 1.2', '"growth": Infinity')
    assert problems_of(config_dir) == [
        "game_settings.json: xp.growth: Infinity is not a number; numbers here are finite"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["daily"].update(cooldown_hours=1e12), "game_settings.json: daily.cooldown_hours: "),
        (lambda d: d["daily"].update(streak_window_hours=1e12), "game_settings.json: daily.streak_window_hours: "),
        (lambda d: d["starting"].update(level=1e9), "game_settings.json: starting.level: "),
        (lambda d: d["starting"].update(level=61), "starting.level (61) must be <= xp.max_level (60)"),
        (lambda d: d["starting"].update(gems=2**63), "game_settings.json: starting.gems: "),
        (lambda d: d["summon"].update(single_cost=2**63), "game_settings.json: summon.single_cost: "),
        (lambda d: d["summon"].update(ten_cost=10**9 + 1), "game_settings.json: summon.ten_cost: "),
        (lambda d: d["daily"]["base"].update(faylen=2**63), "game_settings.json: daily.base.faylen: "),
        (lambda d: d["xp"]["level_up_reward"].update(gems=10**13), "game_settings.json: xp.level_up_reward.gems: "),
        (lambda d: d["xp"].update(max_level=10**6), "game_settings.json: xp.max_level: "),
        (lambda d: d["xp"].update(growth=11), "game_settings.json: xp.growth: "),
        (lambda d: d["xp"].update(growth=10), "game_settings.json: xp: reaching max_level 60 takes more than"),
        (lambda d: d["xp"].update(max_level=1000, growth=2), "game_settings.json: xp: reaching max_level 1000"),
        (lambda d: d["daily"]["per_level"].update(gems=10**12), "daily: a claim at level 60 with the full streak"),
        (lambda d: d["daily"].update(streak_bonus_cap=1e6), "game_settings.json: daily.streak_bonus_cap: "),
        (lambda d: d["auction"].update(max_price=2**31), "game_settings.json: auction.max_price: "),
        (lambda d: d["auction"].update(max_hours=1e9), "game_settings.json: auction.max_hours: "),
        (lambda d: d["auction"].update(max_open_listings=2**63), "game_settings.json: auction.max_open_listings: "),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_numbers_the_game_cannot_run_with_are_refused(config_dir: Path, change: Edit, expected: str) -> None:
    edit(config_dir, "game_settings.json", change)
    problems = problems_of(config_dir)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["tiers"][3]["pity"].update(hard=10**12), "rarity_tiers.json: tiers.3.pity.hard: "),
        (lambda d: d["tiers"][0].update(weight=1e300), "rarity_tiers.json: tiers.0.weight: "),
    ],
)
def test_tier_numbers_are_bounded(config_dir: Path, change: Edit, expected: str) -> None:
    edit(config_dir, "rarity_tiers.json", change)
    assert any(expected in problem for problem in problems_of(config_dir))


def test_stats_are_bounded(config_dir: Path) -> None:
    edit(config_dir, "esprits.json", lambda d: d["esprits"][0]["stats"].update(attack=2**63))
    assert any(p.startswith("esprits.json: esprits.0.stats.attack: ") for p in problems_of(config_dir))


# --- files that cannot be game data ---------------------------------------------------------------------


def test_deep_nesting_is_refused_without_recursion_error(config_dir: Path) -> None:
    (config_dir / "stat_icons.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert problems_of(config_dir) == ["stat_icons.json: nested too deeply; game data is a few levels deep"]


def test_nesting_the_parser_takes_is_refused_by_the_model(config_dir: Path) -> None:
    (config_dir / "stat_icons.json").write_text('{"stats": ' + "[" * 500 + "]" * 500 + "}", encoding="utf-8")
    (problem,) = problems_of(config_dir)
    assert problem.startswith("stat_icons.json: stats: ")


def test_thousands_of_digits_are_refused_by_field(config_dir: Path) -> None:
    set_text(config_dir, "game_settings.json", '"single_cost": 160', '"single_cost": ' + "9" * 5_000)
    assert problems_of(config_dir) == [
        "game_settings.json: summon.single_cost: a number of 5,000 digits; numbers here have at most 30"
    ]


def test_a_link_to_dev_zero_is_refused_unread(config_dir: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    (config_dir / "esprits.json").unlink()
    os.symlink("/dev/zero", config_dir / "esprits.json")
    assert problems_of(config_dir) == [
        "esprits.json: not a regular file (a device, a pipe or a directory); expected a JSON file"
    ]


def test_a_pipe_is_refused_without_waiting_for_a_writer(config_dir: Path) -> None:
    (config_dir / "stat_icons.json").unlink()
    os.mkfifo(config_dir / "stat_icons.json")
    assert problems_of(config_dir)[0].startswith("stat_icons.json: not a regular file")


def test_a_huge_file_is_refused_by_size(config_dir: Path) -> None:
    with (config_dir / "esprits.json").open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    assert problems_of(config_dir) == ["esprits.json: larger than 4 MiB; a data file is a small JSON document"]


def test_invalid_utf8_is_refused_by_file(config_dir: Path) -> None:
    (config_dir / "stat_icons.json").write_bytes(b'{"stats": {"hp": "\xff\xfe"}}')
    assert problems_of(config_dir) == ["stat_icons.json: not valid UTF-8 (byte 18: invalid start byte)"]


def test_a_huge_string_is_quoted_short(config_dir: Path) -> None:
    edit(config_dir, "esprits.json", lambda d: d["esprits"][0].update(name="x" * 1_000_000))
    (problem,) = problems_of(config_dir)
    assert problem.startswith("esprits.json: esprits.0.name: ")
    assert len(problem) < 200


def test_the_shipped_game_data_is_within_every_bound() -> None:
    assert validate_config(DEFAULT_CONFIG_DIR) == []
