"""Bad input for every command: a clear refusal, the right exit code, one JSON document, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import Faye

PLAYER_COMMANDS = [
    ["balance"],
    ["profile"],
    ["daily"],
    ["summon"],
    ["inventory"],
    ["esprit", "show", "1"],
    ["active", "set", "1"],
]


@pytest.mark.parametrize("command", PLAYER_COMMANDS, ids=lambda c: " ".join(c))
def test_unknown_user_is_refused(faye: Faye, command: list[str]) -> None:
    code, doc = faye.json(*command, "--user", "ghost")
    assert (code, doc["error"]["code"]) == (1, "not_registered")
    result = faye(*command, "--user", "ghost")
    assert result.exit_code == 1
    assert "not registered" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", PLAYER_COMMANDS, ids=lambda c: " ".join(c))
def test_missing_user_is_a_usage_error(faye: Faye, command: list[str]) -> None:
    code, doc = faye.json(*command)
    assert (code, doc["error"]["code"]) == (2, "usage_error")
    assert "--user" in doc["error"]["message"]


@pytest.mark.parametrize("amount", ["0", "11", "-1", "2"])
def test_summon_amount_must_be_1_or_10(faye: Faye, player: str, amount: str) -> None:
    code, doc = faye.json("summon", "--user", player, "--amount", amount)
    assert (code, doc["error"]["code"]) == (2, "invalid_amount")
    code, balance = faye.json("balance", "--user", player)
    assert balance["gems"] == 1600


def test_summon_amount_not_a_number(faye: Faye, player: str) -> None:
    code, doc = faye.json("summon", "--user", player, "--amount", "ten")
    assert (code, doc["error"]["code"]) == (2, "usage_error")


def test_insufficient_funds_is_a_refusal(faye: Faye, player: str) -> None:
    assert faye.json("summon", "--user", player, "--amount", "10")[0] == 0
    code, doc = faye.json("summon", "--user", player, "--amount", "10")
    assert (code, doc["error"]["code"]) == (1, "insufficient_funds")
    assert doc["error"]["needed"] == 1440


def test_another_players_esprit(faye: Faye, player: str) -> None:
    code, ben = faye.json("start", "--user", "ben", "--accept-policy")
    theirs = str(ben["starter"]["id"])
    for command in (["esprit", "show", theirs], ["active", "set", theirs]):
        code, doc = faye.json(*command, "--user", player)
        assert (code, doc["error"]["code"]) == (1, "not_owner")


def test_unknown_esprit_id(faye: Faye, player: str) -> None:
    code, doc = faye.json("esprit", "show", "999", "--user", player)
    assert (code, doc["error"]["code"]) == (1, "not_found")
    code, doc = faye.json("esprit", "show", "abc", "--user", player)
    assert (code, doc["error"]["code"]) == (2, "usage_error")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--rarity", "Shiny"], "invalid_argument"),
        (["--page", "0"], "invalid_argument"),
        (["--sort", "price"], "usage_error"),
    ],
)
def test_inventory_bad_filters(faye: Faye, player: str, args: list[str], code: str) -> None:
    exit_code, doc = faye.json("inventory", "--user", player, *args)
    assert (exit_code, doc["error"]["code"]) == (2, code)


@pytest.mark.parametrize(("args", "code"), [(["--by", "luck"], "usage_error"), (["--limit", "0"], "invalid_argument")])
def test_leaderboard_bad_options(faye: Faye, args: list[str], code: str) -> None:
    exit_code, doc = faye.json("leaderboard", *args)
    assert (exit_code, doc["error"]["code"]) == (2, code)


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def test_malformed_json_config(faye: Faye, config_copy: Path) -> None:
    (config_copy / "rarity_tiers.json").write_text('{"tiers": [', encoding="utf-8")
    code, doc = faye.json("leaderboard", "--config-dir", str(config_copy))
    assert (code, doc["error"]["code"]) == (2, "invalid_config")
    assert "rarity_tiers.json" in doc["error"]["message"]
    assert "line 1" in doc["error"]["message"]
    result = faye("leaderboard", "--config-dir", str(config_copy))
    assert result.exit_code == 2
    assert "rarity_tiers.json" in result.stderr
    assert "Traceback" not in result.output


def test_missing_config_field_names_file_and_field(faye: Faye, config_copy: Path) -> None:
    path = config_copy / "game_settings.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["summon"]["ten_cost"]
    path.write_text(json.dumps(data), encoding="utf-8")
    code, doc = faye.json("balance", "--user", "x", FAYE_CONFIG_DIR=str(config_copy))
    assert (code, doc["error"]["code"]) == (2, "invalid_config")
    assert "game_settings.json: summon.ten_cost: Field required" in doc["error"]["problems"]


def test_missing_config_directory(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("leaderboard", "--config-dir", str(tmp_path / "nowhere"))
    assert (code, doc["error"]["code"]) == (2, "invalid_config")


def test_unsupported_database_url(faye: Faye) -> None:
    code, doc = faye.json("leaderboard", "--db", "mysql://localhost/faye")
    assert (code, doc["error"]["code"]) == (2, "database_unavailable")
    assert "mysql" in doc["error"]["message"]


def test_unreachable_database_file(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("leaderboard", "--db", str(tmp_path / "missing-dir" / "x.db"))
    assert (code, doc["error"]["code"]) == (2, "database_unavailable")


def test_bad_faye_now(faye: Faye) -> None:
    code, doc = faye.json("leaderboard", FAYE_NOW="yesterday-ish")
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")
    assert "FAYE_NOW" in doc["error"]["message"]


def test_internal_error_is_reported_without_traceback(faye: Faye, player: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from faye.services.economy import EconomyService

    async def broken(self: EconomyService, user_id: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(EconomyService, "profile", broken)
    result = faye("balance", "--user", player)
    assert result.exit_code == 3
    assert "internal error" in result.stderr
    assert "Traceback" not in result.output
    code, doc = faye.json("balance", "--user", player)
    assert (code, doc["error"]["code"]) == (3, "internal_error")
