"""`faye rates`, `faye sim summons`, `faye sim economy`: JSON shapes, PNG plots, bad input, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import Faye

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_rates_json_is_the_disclosure(faye: Faye) -> None:
    code, doc = faye.json("rates")
    assert code == 0
    assert [t["name"] for t in doc["tiers"]] == ["Common", "Uncommon", "Rare", "Epic", "Mythic", "Legendary"]
    keys = {"name", "base_rate", "consolidated_rate", "mean_pulls", "p50_pulls", "p90_pulls", "p99_pulls"}
    for tier in doc["tiers"]:
        assert keys | {"max_pulls", "ten_pull_at_least_one"} <= set(tier)
    legendary = doc["tiers"][-1]
    assert legendary["base_rate"] == pytest.approx(0.006)
    assert legendary["consolidated_rate"] == pytest.approx(0.016052, abs=5e-7)
    assert legendary["mean_pulls"] == pytest.approx(62.297, abs=5e-4)
    assert [legendary[k] for k in ("p50_pulls", "p90_pulls", "p99_pulls", "max_pulls")] == [76, 80, 83, 90]
    assert legendary["ten_pull_at_least_one"] == pytest.approx(0.156, abs=5e-4)
    assert doc["tier_or_higher"] is True


def test_rates_for_people(faye: Faye) -> None:
    result = faye("rates")
    assert result.exit_code == 0
    assert "Odds disclosure" in result.stdout
    assert "Legendary" in result.stdout
    assert "1.605%" in result.stdout


def test_rates_read_another_config_dir(faye: Faye, tmp_path: Path) -> None:
    copy = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, copy)
    tiers = copy / "rarity_tiers.json"
    tiers.write_text(tiers.read_text().replace('"soft_start": 74', '"soft_start": 90'))
    code, doc = faye.json("rates", "--config-dir", str(copy))
    assert code == 0
    assert doc["tiers"][-1]["consolidated_rate"] == pytest.approx(0.014347, abs=5e-7)
    code, doc = faye.json("rates", FAYE_CONFIG_DIR=str(copy))
    assert doc["tiers"][-1]["mean_pulls"] == pytest.approx(69.70, abs=5e-3)


def test_rates_with_a_broken_config_exit_2(faye: Faye, tmp_path: Path) -> None:
    code, doc = faye.json("rates", "--config-dir", str(tmp_path / "nowhere"))
    assert (code, doc["error"]["code"]) == (2, "invalid_config")


def test_sim_summons_json_shape(faye: Faye) -> None:
    code, doc = faye.json("sim", "summons", "--pulls", "200000", "--seed", "3")
    assert code == 0
    assert doc["pulls"] == 200_000
    assert isinstance(doc["seconds"], float)
    assert len(doc["tiers"]) == 6
    for tier in doc["tiers"]:
        assert {"name", "count", "observed_rate", "exact_rate", "ci95"} <= set(tier)
        low, high = tier["ci95"]
        assert 0 <= low <= tier["observed_rate"] <= high <= 1
    assert sum(t["count"] for t in doc["tiers"]) == 200_000
    again = faye.json("sim", "summons", "--pulls", "200000", "--seed", "3")[1]
    assert [t["count"] for t in again["tiers"]] == [t["count"] for t in doc["tiers"]]


def test_sim_summons_ten_fresh_for_people(faye: Faye) -> None:
    result = faye("sim", "summons", "--pulls", "100000", "--mode", "ten", "--fresh", "--players", "1000")
    assert result.exit_code == 0, result.output
    assert "100,000 simulated pulls (ten)" in result.stdout
    assert "new accounts" in result.stdout
    assert "10×" in result.stdout


def test_sim_summons_plot_writes_a_png(faye: Faye, tmp_path: Path) -> None:
    target = tmp_path / "summons.png"
    code, doc = faye.json("sim", "summons", "--pulls", "300000", "--plot", str(target))
    assert code == 0
    assert doc["plot"] == str(target)
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["sim", "summons", "--pulls", "0"], 2, "invalid_amount"),
        (["sim", "summons", "--pulls", "-3"], 2, "invalid_amount"),
        (["sim", "summons", "--players", "0"], 2, "invalid_amount"),
        (["sim", "summons", "--pulls", "15", "--mode", "ten"], 2, "invalid_amount"),
        (["sim", "summons", "--mode", "eleven"], 2, "usage_error"),
        (["sim", "summons", "--plot", "out.jpg"], 2, "invalid_argument"),
        (["sim", "summons", "--plot", "no/such/dir/out.png"], 2, "invalid_argument"),
        (["sim", "economy", "--players", "0"], 2, "invalid_amount"),
        (["sim", "economy", "--days", "-1"], 2, "invalid_amount"),
        (["sim", "economy", "--strategy", "whale"], 2, "usage_error"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_bad_numbers_exit_2_with_a_message(faye: Faye, args: list[str], code: int, error: str) -> None:
    exit_code, doc = faye.json(*args)
    assert (exit_code, doc["error"]["code"]) == (code, error)
    assert doc["error"]["message"]
    result = faye(*args)
    assert result.exit_code == code
    assert "Traceback" not in result.output


def test_sim_economy_json(faye: Faye, tmp_path: Path) -> None:
    target = tmp_path / "economy.png"
    code, doc = faye.json(
        "sim", "economy", "--players", "500", "--days", "45", "--strategy", "ten", "--plot", str(target)
    )
    assert code == 0
    assert (doc["players"], doc["days"], doc["strategy"]) == (500, 45, "ten")
    assert len(doc["pulls_per_day"]) == 45
    assert [t["name"] for t in doc["tiers"]][-1] == "Legendary"
    legendary = doc["tiers"][-1]
    assert {"reached", "p50_days", "p90_days", "by_day"} <= set(legendary)
    gems = next(f for f in doc["currencies"] if f["currency"] == "gems")
    assert {"starting_grant", "daily", "level_up"} == set(gems["sources"])
    assert set(gems["sinks"]) == {"summon"}
    assert len(gems["balance"]) == 45
    assert target.read_bytes().startswith(PNG_SIGNATURE)


def test_sim_economy_for_people(faye: Faye) -> None:
    result = faye("sim", "economy", "--players", "200", "--days", "30", "--strategy", "save")
    assert result.exit_code == 0, result.output
    assert "First pull of the tier or higher" in result.stdout
    assert "strategy 'save'" in result.stdout
