"""The battle image: both teams facing each other with their final HP, the winner marked, the fallen dimmed.

Reports are fought by the real engine (faye.battle.engine.fight) on teams built as the service builds them
(faye.services.battle_teams.Member), so the image is drawn from exactly what a battle command returns.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from faye.battle.engine import fight
from faye.config import GameConfig
from faye.render import battle, render_battle
from faye.render.battle import HEADER, BattleData, battle_data, battle_image, board_size, final_hp
from faye.render.card import MINI
from faye.results import BattleFighter, BattleReport
from faye.services.battle_teams import Member
from faye.settings import DEFAULT_ASSETS_DIR
from tests.render.conftest import MAX_BYTES, opened


def member(config: GameConfig, esprit_id: str, level: int, *, mine: int | None = None) -> Member:
    return Member(id=mine, definition=config.esprits_by_id[esprit_id], level=level, ascension=0)


def fought(config: GameConfig, mine: list[Member], theirs: list[Member], *, stage: int | None = 2) -> BattleReport:
    battle = fight([m.fighter(config) for m in mine], [m.fighter(config) for m in theirs], 7, config.battle)
    return BattleReport(
        kind="trial" if stage is not None else "duel",
        winner=battle.winner,
        rounds=battle.rounds,
        seed=7,
        attackers=[m.view(config) for m in mine],
        defenders=[m.view(config) for m in theirs],
        log=[action.to_json() for action in battle.log],
        stage=stage,
    )


@pytest.fixture
def lopsided(config: GameConfig) -> BattleReport:
    """A level-40 Esprit against two level-1 enemies: the player wins, both enemies fall."""
    mine = [member(config, "gale_sparrow", 40, mine=5)]
    theirs = [member(config, "mossback_tortoise", 1), member(config, "tidecaller_otter", 1)]
    report = fought(config, mine, theirs)
    assert report.winner == "attacker"
    return report


def test_final_hp_is_each_fighters_last_hp_after(config: GameConfig, lopsided: BattleReport) -> None:
    battle = fight(
        [member(config, "gale_sparrow", 40, mine=5).fighter(config)],
        [member(config, "mossback_tortoise", 1).fighter(config), member(config, "tidecaller_otter", 1).fighter(config)],
        7,
        config.battle,
    )
    assert final_hp(lopsided) == (list(battle.hp[0]), list(battle.hp[1]))
    assert final_hp(lopsided)[1] == [0, 0]


def test_an_untouched_fighter_keeps_its_max_hp(config: GameConfig, lopsided: BattleReport) -> None:
    assert final_hp(replace(lopsided, log=[])) == (
        [f.hp for f in lopsided.attackers],
        [f.hp for f in lopsided.defenders],
    )


def test_the_data_names_the_outcome_the_stage_and_both_teams(config: GameConfig, lopsided: BattleReport) -> None:
    data = battle_data(lopsided, config)
    assert data.title == "VICTORY"
    stage = config.battle.trials.stages[1]
    assert data.subtitle == f"TRIAL 2 · {stage.name.upper()} · {lopsided.rounds} ROUNDS"
    assert data.labels == ("YOUR TEAM", "ENEMIES")
    assert [f.face.name for f in data.teams[0]] == ["Gale Sparrow"]
    assert [f.face.name for f in data.teams[1]] == ["Mossback Tortoise", "Tidecaller Otter"]
    assert [f.hp for f in data.teams[1]] == [0, 0]
    assert [f.level for f in data.teams[0]] == [40]
    duel = battle_data(replace(lopsided, kind="duel", stage=None, winner="defender"), config)
    assert (duel.title, duel.labels[1]) == ("DEFEAT", "DEFENDER")
    assert duel.subtitle.startswith("DUEL · ")


def test_the_image_is_both_teams_side_by_side(config: GameConfig, lopsided: BattleReport) -> None:
    png = render_battle(lopsided, config)
    assert len(png) <= MAX_BYTES
    image = opened(png)
    data = battle_data(lopsided, config)
    assert image.size == board_size(data)
    assert image.size[0] > 3 * MINI[0] > image.size[1]
    three = replace(data, teams=(data.teams[0] * 3, data.teams[1]))
    assert board_size(three)[0] > board_size(data)[0]


def pixels(data: BattleData) -> np.ndarray:
    return np.asarray(battle_image(data, DEFAULT_ASSETS_DIR).convert("RGB"), dtype=np.int16)


def test_the_winner_is_marked(config: GameConfig, lopsided: BattleReport, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same cards on both sides, lit alike whoever wins: only the winning side's cards change (halo and
    badge), and a draw marks neither."""
    monkeypatch.setattr(battle, "OUTCOME_COLOURS", {})
    data = battle_data(lopsided, config)
    team = tuple(replace(f, hp=f.max_hp) for f in data.teams[0])
    same = replace(data, teams=(team, team))
    cards = slice(HEADER, HEADER + MINI[1])
    left_wins, right_wins, draw = (pixels(replace(same, winner=w))[cards] for w in ("attacker", "defender", "draw"))
    half = left_wins.shape[1] // 2
    left, right = slice(None, half), slice(half, None)
    assert np.abs(left_wins[:, left] - draw[:, left]).mean() > 1
    assert (left_wins[:, right] == draw[:, right]).all()
    assert np.abs(right_wins[:, right] - draw[:, right]).mean() > 1
    assert (right_wins[:, left] == draw[:, left]).all()


def test_a_fallen_esprit_is_dimmed(config: GameConfig, lopsided: BattleReport) -> None:
    data = battle_data(lopsided, config)
    standing = replace(data, teams=(data.teams[0], tuple(replace(f, hp=f.max_hp) for f in data.teams[1])))
    fallen, alive = pixels(data), pixels(standing)
    right = slice(fallen.shape[1] // 2, None)
    assert fallen[:, right].mean() < alive[:, right].mean()


def test_an_esprit_gone_from_the_game_data_keeps_its_name_and_tier(config: GameConfig, lopsided: BattleReport) -> None:
    gone = BattleFighter(
        id=9,
        esprit_id="retired_one",
        name="Retired One",
        tier="Mythic",
        element="Umbra",
        role="Mystic",
        level=3,
        ascension=0,
        hp=100,
    )
    report = replace(lopsided, attackers=[gone], log=[])
    (fighter,) = battle_data(report, config).teams[0]
    assert (fighter.face.name, fighter.face.rarity.name, fighter.hp) == ("Retired One", "Mythic", 100)
    opened(render_battle(report, config))
