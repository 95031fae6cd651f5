"""Every number on the command line is bounded at the edge: exit 2 naming the option, nothing changed."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import Faye, run_process

BEYOND_64_BITS = str(2**63)
HUGE = "10000000000000000000"


def state(faye: Faye, player: str) -> tuple[Any, Any, Any]:
    """What a refused command must leave as it was: the wallet, the collection, the auction house."""
    balance = faye.json("balance", "--user", player)[1]
    inventory = faye.json("inventory", "--user", player)[1]
    listings = faye.json("auction", "browse")[1]
    return balance, inventory, listings


@pytest.mark.parametrize(
    ("args", "field", "label"),
    [
        (["esprit", "show", BEYOND_64_BITS], "esprit_id", "ESPRIT_ID"),
        (["esprit", "show", str(2**53)], "esprit_id", "ESPRIT_ID"),
        (["esprit", "show", "0"], "esprit_id", "ESPRIT_ID"),
        (["active", "set", BEYOND_64_BITS], "esprit_id", "ESPRIT_ID"),
        (["inventory", "--page", HUGE], "page", "--page"),
        (["inventory", "--page", "0"], "page", "--page"),
        (["auction", "browse", "--min-price", BEYOND_64_BITS], "min_price", "--min-price"),
        (["auction", "browse", "--max-price", "-1"], "max_price", "--max-price"),
        (["auction", "browse", "--page", HUGE], "page", "--page"),
        (["auction", "buy", BEYOND_64_BITS], "listing_id", "LISTING_ID"),
        (["auction", "cancel", BEYOND_64_BITS], "listing_id", "LISTING_ID"),
        (["auction", "list", "1", "--price", BEYOND_64_BITS], "price", "--price"),
        (["auction", "list", "1", "--price", "100", "--hours", "inf"], "hours", "--hours"),
        (["auction", "list", "1", "--price", "100", "--hours", "nan"], "hours", "--hours"),
        (["auction", "list", "1", "--price", "100", "--hours", "1e10"], "hours", "--hours"),
        (["auction", "list", "1", "--price", "100", "--hours", "0"], "hours", "--hours"),
        (["leaderboard", "--limit", HUGE], "limit", "--limit"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_out_of_range_numbers_exit_2_naming_the_option(
    faye: Faye, player: str, args: list[str], field: str, label: str
) -> None:
    before = state(faye, player)
    needs_user = args[0] not in ("leaderboard",) and args[:2] != ["auction", "browse"]
    full = [*args, "--user", player] if needs_user else args
    code, doc = faye.json(*full)
    assert (code, doc["error"]["code"], doc["error"]["field"]) == (2, "invalid_argument", field)
    assert doc["error"]["message"].startswith(f"{label}: ")
    shown = faye(*full)
    assert shown.exit_code == 2
    assert label in shown.stderr
    assert "Traceback" not in shown.output
    assert state(faye, player) == before


def test_a_grant_beyond_its_bound_is_an_invalid_amount(faye: Faye, player: str) -> None:
    before = state(faye, player)
    code, doc = faye.json("admin", "grant", player, "--amount", BEYOND_64_BITS)
    assert (code, doc["error"]["code"], doc["error"]["option"]) == (2, "invalid_amount", "--amount")
    assert state(faye, player) == before


def test_a_number_that_is_not_a_number_stays_a_usage_error(faye: Faye, player: str) -> None:
    code, doc = faye.json("inventory", "--user", player, "--page", "1e3")
    assert (code, doc["error"]["code"]) == (2, "usage_error")


def test_the_bounds_are_in_the_help(faye: Faye) -> None:
    assert "1,000,000" in faye("inventory", "--help").stdout


@pytest.mark.postgres
def test_an_id_past_32_bits_is_just_not_found_on_postgres(postgres_url: str, faye: Faye) -> None:
    env = {"FAYE_DATABASE_URL": postgres_url}
    code, doc = faye.json("start", "--user", "pat", "--accept-policy", **env)
    assert code == 0, doc
    for command in (
        ["esprit", "show", "2147483648", "--user", "pat"],
        ["auction", "buy", "2147483648", "--user", "pat"],
    ):
        code, doc = faye.json(*command, **env)
        assert code == 1, doc
        assert doc["error"]["code"] in ("not_found", "listing_unavailable")


# --- designer tools -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["sim", "summons", "--pulls", BEYOND_64_BITS], "invalid_amount"),
        (["sim", "summons", "--pulls", str(10**10 + 1)], "invalid_amount"),
        (["sim", "summons", "--players", "1000000000"], "invalid_amount"),
        (["sim", "summons", "--players", "1e9"], "usage_error"),
        (["sim", "summons", "--pulls", "1000000", "--players", "1"], "invalid_amount"),
        (["sim", "summons", "--seed", "-1"], "invalid_argument"),
        (["sim", "summons", "--seed", BEYOND_64_BITS], "invalid_argument"),
        (["sim", "economy", "--players", "1000000000"], "invalid_amount"),
        (["sim", "economy", "--days", "1000000"], "invalid_amount"),
        (["sim", "economy", "--players", "100000", "--days", "3650"], "invalid_amount"),
        (["sim", "economy", "--seed", "-1"], "invalid_argument"),
        (["render", "card", "ember_fox_kit", "--output", "card.png", "--level", BEYOND_64_BITS], "invalid_argument"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_designer_tools_refuse_sizes_at_once(faye: Faye, args: list[str], error: str) -> None:
    started = time.perf_counter()
    code, doc = faye.json(*args)
    assert (code, doc["error"]["code"]) == (2, error)
    assert time.perf_counter() - started < 10


def test_the_largest_seed_is_a_seed(faye: Faye) -> None:
    code, doc = faye.json("sim", "summons", "--pulls", "1000", "--players", "10", "--seed", str(2**63 - 1))
    assert code == 0, doc


def test_rates_refuse_a_config_with_nan_instead_of_printing_invalid_json(faye: Faye, tmp_path: Path) -> None:
    config = tmp_path / "nan-config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config)
    path = config / "rarity_tiers.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"weight": 0.014', '"weight": NaN'), encoding="utf-8")
    result = faye("rates", "--json", "--config-dir", str(config))
    assert result.exit_code == 2
    doc = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the JSON output"))
    assert doc["error"]["code"] == "invalid_config"
    assert any(p.startswith("rarity_tiers.json: tiers.4.weight: NaN") for p in doc["error"]["problems"])


# --- the clock ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "now",
    ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "2026-03-01T09:00:00", "garbage"],
)
def test_faye_now_beyond_the_games_clock_exits_2_naming_it(faye: Faye, now: str) -> None:
    code, doc = faye.json("balance", "--user", "ana", FAYE_NOW=now)
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")
    assert "FAYE_NOW" in doc["error"]["message"]
    shown = faye("daily", "--user", "ana", FAYE_NOW=now)
    assert shown.exit_code == 2
    assert "FAYE_NOW" in shown.stderr
    assert "Traceback" not in shown.output


def test_faye_seed_beyond_its_bound_exits_2(faye: Faye) -> None:
    code, doc = faye.json("leaderboard", FAYE_SEED="-1")
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")
    assert "FAYE_SEED" in doc["error"]["message"]


def test_play_refuses_waits_it_cannot_make_and_goes_on(tmp_path: Path) -> None:
    env = {"FAYE_DATABASE_URL": str(tmp_path / "play.db"), "FAYE_SEED": "3", "FAYE_NOW": "2199-12-01T00:00:00+00:00"}
    lines = [
        "start --accept-policy",
        "wait inf",
        "wait nan",
        "wait 1e10",
        "wait -5",
        "wait soon",
        "wait 8000",  # past 2199-12-31
        "wait 24",
        f"esprit show {BEYOND_64_BITS}",
        f"inventory --page {HUGE}",
        "balance --json",
        "exit",
    ]
    done = run_process(["play", "--user", "pia"], env, input="\n".join(lines) + "\n")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert out.count("wait: a wait is between 0 and 8,784 hours") == 4
    assert "wait takes a number of hours, not 'soon'" in out
    assert "wait: the game's clock is between 2000-01-01 and 2199-12-31 UTC" in out
    assert "it is now 2199-12-02 00:00 UTC" in out  # only `wait 24` moved the clock
    assert "ESPRIT_ID: an Esprit id is between" in out
    assert "--page: a page number is between" in out
    assert '"user_id": "pia"' in out  # the session went on to the end
    assert "Traceback" not in out
