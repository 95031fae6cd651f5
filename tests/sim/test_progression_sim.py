"""`faye.gacha.progression_sim` and `faye sim progression`: determinism, monotone milestones, a hand computation on a
tiny config, duplicates at the exact rate, the game's prices on arrays, the CLI's JSON, plot and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from faye import progression
from faye.config import GameConfig, load_config
from faye.errors import InvalidAmount, InvalidArgument
from faye.gacha.economy import faylen_for_xp, xp_for_faylen
from faye.gacha.progression_sim import Percentiles, ProgressionReport, ProgressMilestone, simulate_progression
from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import Faye

INFINITY = 10**9
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _days(milestones: list[ProgressMilestone], field: str) -> list[int]:
    return [INFINITY if (d := getattr(m.day, field)) is None else d for m in milestones]


def _edited(tmp_path: Path, edits: dict[str, Any]) -> GameConfig:
    """A copy of the shipped config with some keys replaced: {file: {dotted.key: value}}."""
    copy = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, copy)
    for name, changes in edits.items():
        path = copy / name
        data = json.loads(path.read_text())
        for dotted, value in changes.items():
            *parents, key = dotted.split(".")
            node = data
            for parent in parents:
                node = node[int(parent)] if isinstance(node, list) else node[parent]
            node[key] = value
        path.write_text(json.dumps(data))
    return load_config(copy)


def test_same_seed_same_progression(config: GameConfig) -> None:
    first = simulate_progression(config, rarity="Rare", players=300, days=60, seed=5)
    again = simulate_progression(config, rarity="Rare", players=300, days=60, seed=5)
    other = simulate_progression(config, rarity="Rare", players=300, days=60, seed=6)
    assert (first.levels, first.ranks, first.copies_per_player) == (again.levels, again.ranks, again.copies_per_player)
    assert (first.ranks, first.copies_per_player) != (other.ranks, other.copies_per_player)


@pytest.mark.parametrize("rarity", ["Common", "Epic", "Legendary"])
def test_later_milestones_are_never_earlier(config: GameConfig, rarity: str) -> None:
    report = simulate_progression(config, rarity=rarity, players=400, days=240, seed=2)
    for milestones in (report.levels, report.ranks):
        for field in ("p10", "p50", "p90"):
            days = _days(milestones, field)
            assert days == sorted(days)
            assert all(_days(milestones, "p10")[i] <= _days(milestones, "p90")[i] for i in range(len(days)))
        shares = [m.reached for m in milestones]
        assert shares == sorted(shares, reverse=True)
        faylen = [m.faylen.p50 for m in milestones if m.faylen.p50 is not None]
        assert faylen == sorted(faylen)
    for rank in report.ranks:  # a level above a cap needs the rank that lifts it
        above = report.levels[rank.level_cap - 10]  # level cap(rank - 1) + 1
        assert above.rank == rank.value
        assert _days([above], "p50") >= _days([rank], "p50")
    assert report.levels[0].faylen == Percentiles(0, 0, 0)  # level 1 is the day it was pulled


def _tiny(
    tmp_path: Path, *, virelite: int, one_species: bool, share: float = 0.0, faylen: int = 500, xp_base: int = 1000
) -> GameConfig:
    """Every pull a Legendary, `xp_base` XP a level, 2 XP a faylen, 2 x `faylen` at the start and `faylen` a day,
    11 single pulls on day 1 and one a day after (no level-up gems), `share` of the player's XP for the Esprit;
    each rank costs `virelite` (5 at the start, 1 a day); with `one_species`, the only Legendary left (the others
    become Mythics), so every later pull is a duplicate."""
    legendary = {
        "xp_base": xp_base,
        "xp_growth": 1.0,
        "stat_growth": 0.06,
        "ascension_virelite": [virelite] * 5,
        "release_faylen": 1500,
        "release_faylen_per_level": 60,
        "release_virelite": 8,
    }
    edits: dict[str, Any] = {
        "rarity_tiers.json": {"tiers.5.pity": {"soft_start": 1, "soft_step": 1, "hard": 1}},
        "progression.json": {"xp_per_faylen": 2, "active_share": share, "rarities.Legendary": legendary},
        "game_settings.json": {
            "starting.faylen": 2 * faylen,
            "starting.virelite": 5,
            "daily.base.faylen": faylen,
            "daily.base.virelite": 1,
            "daily.per_level.faylen": 0,
            "daily.per_level.gems": 0,
            "daily.streak_bonus_per_day": 0,
            "xp.level_up_reward": {"faylen": 0, "virelite": 0, "gems": 0},
        },
    }
    if one_species:
        esprits = json.loads((DEFAULT_CONFIG_DIR / "esprits.json").read_text())["esprits"]
        legendaries = [i for i, e in enumerate(esprits) if e["rarity"] == "Legendary"]
        edits["esprits.json"] = {f"esprits.{i}.rarity": "Mythic" for i in legendaries[1:]}
        # The limited banners feature those Legendaries; the standard banner is all this simulation draws on.
        edits["banners.json"] = {"banners": [{"banner_id": "standard", "name": "Standard", "kind": "standard"}]}
    return _edited(tmp_path, edits)


def test_a_hand_computed_progression(tmp_path: Path) -> None:
    """No ascension (it costs too much): levels 2-4 on day 1 (1,500 faylen buy 3,000 XP), then one level a day
    (500 faylen), to the rank-0 cap 20."""
    config = _tiny(tmp_path, virelite=10**9, one_species=False)
    report = simulate_progression(config, rarity="legendary", players=20, days=30, seed=0)
    assert report.rarity == "Legendary"
    assert report.tier_rate == pytest.approx(1.0)
    assert report.pulls_per_player == 11 + 29
    for milestone in report.levels:
        level = milestone.value
        if level <= 20:
            day = max(1, level - 3)
            assert milestone.day == Percentiles(day, day, day), level
            assert milestone.faylen == Percentiles(*[500 * (level - 1)] * 3), level
            assert milestone.virelite == Percentiles(0, 0, 0)
            assert milestone.reached == 1.0
        else:
            assert (milestone.reached, milestone.day) == (0.0, Percentiles(None, None, None))
    assert all(rank.reached == 0.0 for rank in report.ranks)


def test_a_hand_computed_ascension(tmp_path: Path) -> None:
    """One Legendary species: day 1's 11 pulls are the Esprit and 10 duplicates, enough for the 1+1+2+2+3 ranks,
    and the 6 virelite of day 1 pay five ranks at 1 each, before any training; then levels as without ascension,
    on to the top cap 70."""
    config = _tiny(tmp_path, virelite=1, one_species=True)
    report = simulate_progression(config, rarity="Legendary", players=20, days=80, seed=0)
    assert report.species == 1
    assert report.copy_rate == pytest.approx(1.0)
    assert report.copies_per_player == 10 + 79
    for milestone in report.ranks:
        assert (milestone.reached, milestone.day) == (1.0, Percentiles(1, 1, 1))
        assert milestone.virelite == Percentiles(*[milestone.value] * 3)
        assert milestone.faylen == Percentiles(0, 0, 0)
    for milestone in report.levels:
        day = max(1, milestone.value - 3)
        assert milestone.day == Percentiles(day, day, day), milestone.value
        assert milestone.faylen == Percentiles(*[500 * (milestone.value - 1)] * 3)
        spent = 5 if milestone.value > 1 else 0  # level 1 is the pull itself, before the day's ascensions
        assert milestone.virelite == Percentiles(spent, spent, spent)


def test_the_active_share_counts_from_the_pull_on(tmp_path: Path) -> None:
    """No faylen, half the player's XP for the Esprit: on day 1 the daily (claimed before any pull) and the pull
    that brought it feed the Esprit active then, the other 10 single pulls give 5 XP each; later days give half
    the daily's 25 XP (12) and a pull's 5. At 50 XP a level: level 2 on day 1 (50), 3 on day 4 (101), 4 on day
    7 (152)."""
    config = _tiny(tmp_path, virelite=10**9, one_species=False, share=0.5, faylen=0, xp_base=50)
    report = simulate_progression(config, rarity="Legendary", players=10, days=10, seed=0)
    days = [m.day.p50 for m in report.levels[:5]]
    assert days == [1, 1, 4, 7, 10]  # level 5 at 200 XP: 50 + 17 x 9 = 203
    assert all(m.faylen == Percentiles(0, 0, 0) for m in report.levels[:5])


def test_duplicates_come_at_the_exact_rate(config: GameConfig) -> None:
    report = simulate_progression(config, rarity="Common", players=2_000, days=120, seed=3)
    rates = report.tier_rate, report.copy_rate
    assert rates[1] == pytest.approx(rates[0] / report.species)
    pulls = report.pulls_per_player * report.players
    expected = (report.pulls_per_player - 1) * report.copy_rate  # the first Common pull is the Esprit itself
    spread = 4 * np.sqrt(pulls * report.copy_rate) / report.players
    assert report.copies_per_player == pytest.approx(expected, abs=spread)


def test_the_simulation_prices_training_as_the_game(config: GameConfig) -> None:
    xp = np.arange(0, 5_000, dtype=np.int64)
    for rate in (0.3, 1.0, 2.0, 3.7):
        rules = config.progression.model_copy(update={"xp_per_faylen": rate})
        assert faylen_for_xp(rules, xp).tolist() == [progression.faylen_for_xp(rules, int(x)) for x in xp]
        assert xp_for_faylen(rules, xp).tolist() == [progression.xp_for_faylen(rules, int(f)) for f in xp]


def test_costs_follow_the_rules(config: GameConfig) -> None:
    """The faylen spent to reach a level is at most what its XP costs (give or take each training's rounding);
    the virelite spent by a rank is exactly its price."""
    report = simulate_progression(config, rarity="Uncommon", players=200, days=120, seed=1)
    rules = config.progression
    growth = rules.rarities["Uncommon"]
    for milestone in report.levels:
        if milestone.faylen.p90 is not None:
            xp = sum(progression.xp_to_next(growth, level) for level in range(1, milestone.value))
            # the active share paid some; each day's training rounds its own price up (less than a faylen)
            assert milestone.faylen.p90 <= progression.faylen_for_xp(rules, xp) + report.days
    for milestone in report.ranks:
        if milestone.reached:
            price = sum(progression.ascension_cost(rules, "Uncommon", r)[1] for r in range(milestone.value))
            assert milestone.virelite == Percentiles(price, price, price)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"rarity": "Mega"}, InvalidArgument, "rarity"),
        ({"days": 0}, InvalidAmount, "days"),
        ({"players": 0}, InvalidAmount, "players"),
        ({"players": 20_001}, InvalidAmount, "players"),
    ],
)
def test_bad_input_is_refused(config: GameConfig, kwargs: dict[str, Any], error: type[Exception], field: str) -> None:
    with pytest.raises(error) as caught:
        simulate_progression(config, **kwargs)
    assert caught.value.details["field"] == field  # type: ignore[attr-defined]


def test_sim_progression_json_and_plot(faye: Faye, tmp_path: Path) -> None:
    target = tmp_path / "progression.png"
    args = ("sim", "progression", "--rarity", "epic", "--days", "40", "--players", "100", "--seed", "4")
    code, doc = faye.json(*args, "--plot", str(target))
    assert code == 0
    assert (doc["rarity"], doc["days"], doc["players"], doc["seed"]) == ("Epic", 40, 100, 4)
    assert doc["plot"] == str(target)
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    assert [m["value"] for m in doc["levels"]] == list(range(1, 71))
    assert [m["value"] for m in doc["ranks"]] == [1, 2, 3, 4, 5]
    for milestone in doc["levels"] + doc["ranks"]:
        assert {"kind", "value", "rank", "level_cap", "reached", "day", "faylen", "virelite"} <= set(milestone)
        assert set(milestone["day"]) == {"p10", "p50", "p90"}
        assert 0 <= milestone["reached"] <= 1
    assert 0 < doc["copy_rate"] < doc["tier_rate"] < 1
    again = faye.json(*args)[1]
    assert again["levels"] == doc["levels"]
    assert again["ranks"] == doc["ranks"]


def test_sim_progression_for_people(faye: Faye) -> None:
    result = faye("sim", "progression", "--rarity", "Common", "--days", "30", "--players", "100")
    assert result.exit_code == 0, result.output
    assert "One Common Esprit" in result.stdout
    assert "Ascension" in result.stdout
    assert "1 (pulled)" in result.stdout


@pytest.mark.parametrize(
    ("args", "error", "option"),
    [
        (["--days", "0"], "invalid_amount", "--days"),
        (["--days", "3651"], "invalid_amount", "--days"),
        (["--players", "0"], "invalid_amount", "--players"),
        (["--rarity", "Mega"], "invalid_argument", "--rarity"),
        (["--plot", "out.jpg"], "invalid_argument", "--plot"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_sim_progression_bad_input_exits_2(faye: Faye, args: list[str], error: str, option: str) -> None:
    code, doc = faye.json("sim", "progression", *args)
    assert (code, doc["error"]["code"]) == (2, error)
    assert option in doc["error"]["message"]
    result = faye("sim", "progression", *args)
    assert result.exit_code == 2
    assert option in result.output
    assert "Traceback" not in result.output


def test_report_is_plain_data(config: GameConfig) -> None:
    report = simulate_progression(config, rarity="Mythic", players=50, days=10)
    assert isinstance(report, ProgressionReport)
    assert report.rarity == "Mythic"
    assert len(report.levels) == config.progression.ascension.level_cap(config.progression.ascension.max_rank)
