"""`faye rates --banner --esprits`, `faye sim banner`, `faye sim collection`: JSON shapes, plots, bad input."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.cli.conftest import Faye
from tests.sim.test_cli import PNG_SIGNATURE

LIMITED = "solheart_2026_01"


def test_rates_esprits_json(faye: Faye) -> None:
    code, doc = faye.json("rates", "--banner", LIMITED, "--esprits")
    assert code == 0
    assert doc["banner"] == LIMITED
    assert len(doc["tiers"]) == 6
    rows = doc["esprits"]
    assert len(rows) == 44
    assert set(rows[0]) == {"esprit_id", "name", "tier", "featured", "rate"}
    assert math.fsum(row["rate"] for row in rows) == pytest.approx(1.0, abs=1e-12)
    phoenix = next(row for row in rows if row["esprit_id"] == "solheart_phoenix")
    assert phoenix["featured"] is True
    assert phoenix["rate"] == pytest.approx(doc["tiers"][-1]["consolidated_rate"] * 2 / 3)


def test_rates_without_esprits_lists_none_and_defaults_to_standard(faye: Faye) -> None:
    code, doc = faye.json("rates")
    assert code == 0
    assert (doc["banner"], doc["esprits"]) == ("standard", [])


def test_rates_esprits_for_people(faye: Faye) -> None:
    result = faye("rates", "--banner", LIMITED, "--esprits")
    assert result.exit_code == 0, result.output
    assert "Each Esprit on Ember Rising I" in result.stdout
    assert "Solheart Phoenix" in result.stdout
    assert "1.070%" in result.stdout


def test_sim_banner_json(faye: Faye, tmp_path: Path) -> None:
    target = tmp_path / "copies.png"
    args = ("sim", "banner", LIMITED, "--copies", "2", "--budget", "200", "--players", "2000", "--seed", "4")
    code, doc = faye.json(*args, "--plot", str(target))
    assert code == 0
    assert (doc["esprit_id"], doc["featured"], doc["copies"], doc["budget"]) == ("solheart_phoenix", True, 2, 200)
    assert doc["exact"]["mean"] == pytest.approx(2 * 93.4455, abs=2e-3)
    assert doc["exact"]["max"] == 360
    assert doc["exact_within_budget"] == pytest.approx(doc["exact_cdf"][199])
    simulated = doc["simulated"]
    assert (simulated["players"], simulated["seed"], simulated["unfinished"]) == (2000, 4, 0)
    low, high = simulated["mean_ci95"]
    assert low < simulated["spread"]["mean"] < high
    assert doc["mean_agrees"] is True
    assert doc["budget_agrees"] is True
    assert doc["plot"] == str(target)
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    assert faye.json(*args)[1]["simulated"]["spread"] == simulated["spread"]  # seeded


def test_sim_banner_without_budget_and_an_esprit_it_does_not_feature(faye: Faye) -> None:
    code, doc = faye.json("sim", "banner", LIMITED, "--esprit", "everwinter_wyrm", "--players", "500")
    assert code == 0
    assert (doc["featured"], doc["budget"], doc["exact_within_budget"], doc["budget_agrees"]) == (
        False,
        None,
        None,
        None,
    )
    assert doc["exact"]["max"] is None


def test_sim_banner_for_people(faye: Faye) -> None:
    result = faye("sim", "banner", LIMITED, "--budget", "90", "--players", "1000")
    assert result.exit_code == 0, result.output
    assert "Solheart Phoenix" in result.stdout
    assert "Within 90" in result.stdout
    assert "93.446" in result.stdout


def test_sim_collection_json(faye: Faye) -> None:
    code, doc = faye.json("sim", "collection", "--tier", "legendary", "--banner", LIMITED, "--players", "300")
    assert code == 0
    assert doc["tier"] == "Legendary"
    assert next(e["esprit_id"] for e in doc["esprits"]) == "solheart_phoenix"
    assert doc["exact_mean"] > 0
    assert doc["pulls_per_day"] > 0
    assert doc["exact_days"] == pytest.approx(doc["exact_mean"] / doc["pulls_per_day"])
    assert doc["simulated"]["players"] == 300


def test_sim_collection_for_people(faye: Faye) -> None:
    result = faye("sim", "collection", "--tier", "Mythic", "--players", "200")
    assert result.exit_code == 0, result.output
    assert "Owning every Mythic Esprit (5 Esprits) on Wanderlight" in result.stdout
    assert "Exact (independent)" in result.stdout


@pytest.mark.parametrize(
    ("args", "error", "option"),
    [
        (["rates", "--banner", "nope"], "invalid_argument", "--banner"),
        (["sim", "banner", "nope"], "invalid_argument", "BANNER"),
        (["sim", "banner", LIMITED, "--esprit", "nope"], "invalid_argument", "--esprit"),
        (["sim", "banner", "standard"], "invalid_argument", "--esprit"),
        (["sim", "banner", LIMITED, "--copies", "0"], "invalid_amount", "--copies"),
        (["sim", "banner", LIMITED, "--copies", str(10**9)], "invalid_amount", "--copies"),
        (["sim", "banner", LIMITED, "--budget", "10001"], "invalid_amount", "--budget"),
        (["sim", "banner", LIMITED, "--budget", "0"], "invalid_amount", "--budget"),
        (["sim", "banner", LIMITED, "--players", "0"], "invalid_amount", "--players"),
        (["sim", "banner", LIMITED, "--plot", "out.jpg"], "invalid_argument", None),
        (["sim", "collection", "--tier", "Shiny"], "invalid_argument", "--tier"),
        (["sim", "collection", "--banner", "nope"], "invalid_argument", "--banner"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_bad_input_exits_2_naming_the_option(faye: Faye, args: list[str], error: str, option: str | None) -> None:
    code, doc = faye.json(*args)
    assert (code, doc["error"]["code"]) == (2, error)
    if option is not None:
        assert doc["error"]["option"] == option
        assert doc["error"]["message"].startswith(f"{option}: ")
    result = faye(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
