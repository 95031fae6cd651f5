"""The validated game data cached between processes: served only for the very same files and code, rebuilt
from the files for anything else (changed data, changed code, a corrupt, truncated or foreign entry), never
hiding a problem in the data."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faye import config_cache
from faye.config import ESPRITS_FILE, GameConfig, load_config
from faye.config_cache import MAGIC, data_key, entry_path, load_cached_config
from faye.errors import ConfigError
from faye.settings import DEFAULT_CONFIG_DIR, Settings


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders `load_config` validated from the files (a cache hit validates none)."""
    seen: list[Path] = []

    def counting(directory: Path, assets_dir: Path | None = None) -> GameConfig:
        seen.append(directory)
        return load_config(directory, assets_dir)

    monkeypatch.setattr(config_cache, "load_config", counting)
    return seen


def edit_json(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def rename_first_esprit(name: str) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        data["esprits"][0]["name"] = name

    return change


def test_the_second_load_is_served_from_the_cache_and_equals_the_files(
    config_dir: Path, cache_dir: Path, validations: list[Path]
) -> None:
    first = load_cached_config(config_dir, None, cache_dir)
    second = load_cached_config(config_dir, None, cache_dir)
    assert validations == [config_dir]
    assert second is not first
    assert second == first == load_config(config_dir)
    assert entry_path(cache_dir, config_dir, None).is_file()


def test_cached_properties_survive_the_round_trip(config_dir: Path, cache_dir: Path) -> None:
    """The derived lookups are rebuilt or restored consistently: the same objects as the config's own fields."""
    load_cached_config(config_dir, None, cache_dir)
    cached = load_cached_config(config_dir, None, cache_dir)
    fresh = load_config(config_dir)
    for esprit in cached.esprits:
        assert cached.esprits_by_id[esprit.esprit_id] is esprit
    assert [[e.esprit_id for e in tier] for tier in cached.esprits_by_tier] == [
        [e.esprit_id for e in tier] for tier in fresh.esprits_by_tier
    ]
    assert all(e in cached.esprits for tier in cached.esprits_by_tier for e in tier)
    assert cached.tier_rank == fresh.tier_rank
    assert cached.tier_names == fresh.tier_names


def test_a_changed_data_file_is_never_served_from_the_cache(
    config_dir: Path, cache_dir: Path, validations: list[Path]
) -> None:
    load_cached_config(config_dir, None, cache_dir)
    edit_json(config_dir / ESPRITS_FILE, rename_first_esprit("Renamed By A Designer"))
    assert load_cached_config(config_dir, None, cache_dir).esprits[0].name == "Renamed By A Designer"
    assert load_cached_config(config_dir, None, cache_dir).esprits[0].name == "Renamed By A Designer"
    assert len(validations) == 2  # the first load and the changed file; the last one is a hit again


def test_every_data_file_is_part_of_the_key(config_dir: Path) -> None:
    before = data_key(config_dir, None)
    keys = {before}
    for path in sorted(config_dir.glob("*.json")):
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        keys.add(data_key(config_dir, None))
        path.write_bytes(original)
    assert len(keys) == len(list(config_dir.glob("*.json"))) + 1
    assert data_key(config_dir, None) == before


def test_the_assets_folder_is_part_of_the_entry(config_dir: Path, cache_dir: Path, tmp_path: Path) -> None:
    art = tmp_path / "art"
    art.mkdir()
    assert load_cached_config(config_dir, art, cache_dir).assets_dir == art
    assert load_cached_config(config_dir, None, cache_dir).assets_dir is None
    assert load_cached_config(config_dir, art, cache_dir).assets_dir == art


def test_changed_code_is_a_miss(
    config_dir: Path, cache_dir: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached_config(config_dir, None, cache_dir)
    monkeypatch.setattr(config_cache, "code_version", lambda: b"another faye/config.py")
    load_cached_config(config_dir, None, cache_dir)
    assert len(validations) == 2


def test_the_code_version_covers_the_validating_sources() -> None:
    root = Path(config_cache.__file__).parent
    assert {path.relative_to(root).as_posix() for path in config_cache.SOURCES} == {
        "config.py",
        "inputs.py",
        "battle/settings.py",
    }
    assert all(path.is_file() for path in config_cache.SOURCES)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda path, key: path.write_bytes(b"not a cache entry at all"), id="garbage"),
        pytest.param(lambda path, key: path.write_bytes(path.read_bytes()[:-100]), id="truncated"),
        pytest.param(lambda path, key: path.write_bytes(MAGIC + key + b"\x80\x05garbage"), id="corrupt-pickle"),
        pytest.param(lambda path, key: path.write_bytes(MAGIC + key + pickle.dumps({"not": "a config"})), id="foreign"),
        pytest.param(lambda path, key: path.write_bytes(MAGIC + b"\0" * 32 + path.read_bytes()[50:]), id="other-key"),
        pytest.param(lambda path, key: path.write_bytes(b""), id="empty"),
    ],
)
def test_a_bad_entry_is_ignored_and_rewritten(
    config_dir: Path, cache_dir: Path, validations: list[Path], spoil: Callable[[Path, bytes], None]
) -> None:
    expected = load_cached_config(config_dir, None, cache_dir)
    path = entry_path(cache_dir, config_dir, None)
    key = data_key(config_dir, None)
    assert key is not None
    spoil(path, key)
    assert load_cached_config(config_dir, None, cache_dir) == expected
    assert len(validations) == 2
    assert load_cached_config(config_dir, None, cache_dir) == expected
    assert len(validations) == 2  # rewritten: a hit again


def test_an_entry_that_is_a_directory_is_ignored(config_dir: Path, cache_dir: Path) -> None:
    entry_path(cache_dir, config_dir, None).mkdir(parents=True)
    assert load_cached_config(config_dir, None, cache_dir) == load_config(config_dir)


def test_a_cache_folder_that_cannot_be_created_only_costs_the_validation(
    config_dir: Path, tmp_path: Path, validations: list[Path]
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert load_cached_config(config_dir, None, blocked) == load_config(config_dir)
    assert load_cached_config(config_dir, None, blocked) == load_config(config_dir)
    assert len(validations) == 2


def test_no_cache_folder_turns_the_cache_off(config_dir: Path, tmp_path: Path, validations: list[Path]) -> None:
    load_cached_config(config_dir, None, None)
    load_cached_config(config_dir, None, None)
    assert len(validations) == 2
    assert not any(tmp_path.rglob("*.pickle"))


def test_invalid_data_is_refused_every_time_and_never_cached(config_dir: Path, cache_dir: Path) -> None:
    edit_json(config_dir / ESPRITS_FILE, lambda data: data["esprits"][0].update(rarity="Nonexistent"))
    for _ in range(2):
        with pytest.raises(ConfigError) as caught:
            load_cached_config(config_dir, None, cache_dir)
        assert any("Nonexistent" in problem for problem in caught.value.problems)
    assert not any(cache_dir.rglob("*.pickle"))


def test_a_missing_file_is_named_as_load_config_names_it(config_dir: Path, cache_dir: Path) -> None:
    (config_dir / ESPRITS_FILE).unlink()
    assert data_key(config_dir, None) is None
    with pytest.raises(ConfigError) as caught:
        load_cached_config(config_dir, None, cache_dir)
    assert any(problem.startswith(f"{ESPRITS_FILE}: file not found") for problem in caught.value.problems)


def test_a_file_changed_while_loading_is_not_stored(
    config_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry would carry the old key and the new contents: the next process validates afresh instead."""

    def edited_meanwhile(directory: Path, assets_dir: Path | None = None) -> GameConfig:
        loaded = load_config(directory, assets_dir)
        edit_json(directory / ESPRITS_FILE, rename_first_esprit("Edited Meanwhile"))
        return loaded

    monkeypatch.setattr(config_cache, "load_config", edited_meanwhile)
    load_cached_config(config_dir, None, cache_dir)
    assert not entry_path(cache_dir, config_dir, None).exists()


def test_the_cache_folder_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FAYE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings().cache_dir == tmp_path / "xdg" / "faye"
    monkeypatch.setenv("FAYE_CACHE_DIR", str(tmp_path / "mine"))
    assert Settings().cache_dir == tmp_path / "mine"
    monkeypatch.setenv("FAYE_CACHE_DIR", "")
    assert Settings().cache_dir is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_an_entry_owned_by_someone_else_is_not_unpickled(
    config_dir: Path, cache_dir: Path, validations: list[Path]
) -> None:
    load_cached_config(config_dir, None, cache_dir)
    os.chown(entry_path(cache_dir, config_dir, None), 12345, -1)
    load_cached_config(config_dir, None, cache_dir)
    assert len(validations) == 2
    assert entry_path(cache_dir, config_dir, None).stat().st_uid == os.getuid()  # replaced by our own
