"""Error codes the front-ends match on, and runtime settings from the environment."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from faye import errors
from faye.settings import DEFAULT_CONFIG_DIR, Settings


def all_error_classes() -> list[type[errors.FayeError]]:
    found = []
    pending = [errors.FayeError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_error_codes_are_unique_snake_case() -> None:
    classes = [c for c in all_error_classes() if c.__module__ == "faye.errors"]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes)), codes
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in codes)
    assert {"not_registered", "insufficient_funds", "cooldown_active", "not_owner", "forbidden"} <= set(codes)


def test_to_dict_is_json_ready() -> None:
    at = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    err = errors.CooldownActive("wait", next_claim_at=at)
    assert err.to_dict() == {
        "code": "cooldown_active",
        "kind": "refused",
        "message": "wait",
        "next_claim_at": at.isoformat(),
    }
    assert str(err) == "wait"


def test_config_error_lists_problems() -> None:
    err = errors.ConfigError(["a.json: x: bad", "b.json: y: worse"])
    assert err.problems == ["a.json: x: bad", "b.json: y: worse"]
    assert "a.json: x: bad" in err.message
    assert err.to_dict()["problems"] == err.problems


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("FAYE_ADMIN_IDS", " 111, 222 ,,333")
    monkeypatch.setenv("FAYE_SEED", "42")
    monkeypatch.setenv("FAYE_NOW", "2026-01-01T12:00:00+00:00")
    monkeypatch.setenv("FAYE_DATABASE_URL", "sqlite+aiosqlite:///x.db")
    settings = Settings()
    assert settings.admin_ids == frozenset({"111", "222", "333"})
    assert settings.seed == 42
    assert settings.now == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert settings.database_url == "sqlite+aiosqlite:///x.db"
    assert settings.config_dir == DEFAULT_CONFIG_DIR


def test_settings_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("FAYE_ADMIN_IDS", "FAYE_SEED", "FAYE_NOW", "FAYE_DATABASE_URL", "FAYE_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.admin_ids == frozenset()
    assert settings.seed is None
    assert settings.now is None
    assert (DEFAULT_CONFIG_DIR / "esprits.json").is_file()
