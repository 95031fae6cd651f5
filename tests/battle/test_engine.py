"""The battle engine: its rules observed in the log, determinism, and the batch being the single fight."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faye.battle.engine import SIDES, Action, Battle, Fighter, fight, fight_many, turn_order
from faye.battle.settings import BattleSettings
from faye.config import GameConfig
from faye.errors import InvalidArgument

REPO = Path(__file__).resolve().parents[2]
Make = Callable[..., Fighter]

# --- helpers --------------------------------------------------------------------------------------------


def states(
    battle: Battle, attackers: list[Fighter], defenders: list[Fighter]
) -> Iterator[tuple[Action, dict[tuple[str, int], int]]]:
    """Each action with every Esprit's HP just before it, (side, slot) -> HP, replayed from the log."""
    hp: dict[tuple[str, int], int] = {
        (side, slot): f.hp
        for side, team in zip(SIDES, (attackers, defenders), strict=True)
        for slot, f in enumerate(team)
    }
    for action in battle.log:
        yield action, dict(hp)
        for hit in action.hits:
            hp[hit.side, hit.slot] = hit.hp_after


def calm(rules: BattleSettings) -> BattleSettings:
    """The rules without spread, so a hit's damage is exactly the formula's."""
    return rules.model_copy(update={"damage": rules.damage.model_copy(update={"spread": 0.0})})


def sure(f: Fighter, **changes: Any) -> Fighter:
    """`f` that never crits and never dodges (and any other changes)."""
    return replace(f, **{"crit_rate": 0.0, "dodge": 0.0, **changes})


# --- determinism ----------------------------------------------------------------------------------------

TEAMS = {
    "1v1": (["ember_fox_kit"], ["sparkwick_beetle"]),
    "3v3 mixed": (
        ["mossback_tortoise", "tidecaller_otter", "glimmer_moth"],
        ["acornpaw_squirrel", "duskwing_bat", "cobblestone_mole"],
    ),
    "2v3 taunt heal aoe": (["reefshell_crab", "fernheart_doe"], ["hoarfrost_owl", "gale_sparrow", "lanternback_toad"]),
    "1v3 tiers": (["glacier_lynx"], ["frostnip_hare", "thistledown_sprite", "glimmer_moth"]),
}


def team(make: Make, ids: list[str], level: int = 10) -> list[Fighter]:
    return [make(i, level) for i in ids]


@pytest.mark.parametrize("name", TEAMS)
def test_the_same_seed_gives_the_same_battle_and_another_seed_another(
    name: str, make: Make, rules: BattleSettings
) -> None:
    a, d = (team(make, ids) for ids in TEAMS[name])
    first = fight(a, d, 7, rules)
    assert fight(a, d, 7, rules) == first
    assert any(fight(a, d, seed, rules).log != first.log for seed in range(8, 12))


def test_a_battle_is_the_same_in_another_process(make: Make, rules: BattleSettings) -> None:
    a, d = (team(make, ids) for ids in TEAMS["3v3 mixed"])
    code = f"""
import json
from tests.battle.conftest import CONFIG_DIR
from faye.config import load_config
from faye.battle.engine import fight, fighter
game = load_config(CONFIG_DIR)
make = lambda i: fighter(game.esprits_by_id[i], 10, 0, game.progression)
a = [make(i) for i in {TEAMS["3v3 mixed"][0]!r}]
d = [make(i) for i in {TEAMS["3v3 mixed"][1]!r}]
print(json.dumps(fight(a, d, 2026, game.battle).to_json()))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    )
    here = json.loads(json.dumps(fight(a, d, 2026, rules).to_json()))
    assert json.loads(done.stdout) == here
    assert len(here["log"]) > 3


@pytest.mark.parametrize("name", TEAMS)
def test_each_battle_of_a_batch_is_the_single_fight_of_its_seed(name: str, make: Make, rules: BattleSettings) -> None:
    a, d = (team(make, ids) for ids in TEAMS[name])
    seeds = np.array([0, 1, 2, 3, 99, 2**63, 2**64 - 1, *range(1000, 1057)], dtype=np.uint64)
    batch = fight_many(a, d, seeds, rules)
    codes = {"attacker": 1, "defender": -1, "draw": 0}
    for i, seed in enumerate(seeds):
        single = fight(a, d, int(seed), rules)
        assert (codes[single.winner], single.rounds) == (batch.winner[i], batch.rounds[i]), int(seed)
        assert single.hp == (tuple(batch.attacker_hp[i]), tuple(batch.defender_hp[i]))
    assert len(set(batch.winner.tolist())) > 1 or len(set(batch.rounds.tolist())) > 1  # the seeds matter


def test_a_batch_does_not_depend_on_its_neighbours(make: Make, rules: BattleSettings) -> None:
    a, d = (team(make, ids) for ids in TEAMS["2v3 taunt heal aoe"])
    seeds = np.arange(40, dtype=np.uint64)
    whole = fight_many(a, d, seeds, rules)
    part = fight_many(a, d, seeds[::-3], rules)
    assert np.array_equal(whole.winner[::-3], part.winner)
    assert np.array_equal(whole.rounds[::-3], part.rounds)


# --- properties -----------------------------------------------------------------------------------------


@st.composite
def teams(draw: st.DrawFn, game: GameConfig) -> tuple[list[Fighter], list[Fighter]]:
    from faye.battle.engine import fighter

    def one() -> Fighter:
        esprit = draw(st.sampled_from(game.esprits))
        rank = draw(st.integers(0, game.progression.ascension.max_rank))
        level = draw(st.integers(1, game.progression.ascension.level_cap(rank)))
        return fighter(esprit, level, rank, game.progression)

    return [one() for _ in range(draw(st.integers(1, 3)))], [one() for _ in range(draw(st.integers(1, 3)))]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**64 - 1))
def test_every_battle_keeps_hp_in_bounds_ends_in_time_and_names_the_right_winner(
    data: st.DataObject, seed: int, game: GameConfig, rules: BattleSettings
) -> None:
    a, d = data.draw(teams(game))
    battle = fight(a, d, seed, rules)
    top = {(side, slot): f.hp for side, team_ in zip(SIDES, (a, d), strict=True) for slot, f in enumerate(team_)}
    assert 1 <= battle.rounds <= rules.max_rounds
    for action, hp in states(battle, a, d):
        assert hp[action.side, action.slot] > 0  # the fallen do not act
        assert action.round <= battle.rounds
        for hit in action.hits:
            assert 0 <= hit.hp_after <= top[hit.side, hit.slot]
            assert hit.hp_after == max(0, hp[hit.side, hit.slot] - hit.damage) + hit.healed
    assert [x.round for x in battle.log] == sorted(x.round for x in battle.log)
    left = [sum(side) for side in battle.hp]
    if (battle.winner == "attacker" and left[1] != 0) or (battle.winner == "defender" and left[0] != 0):
        assert battle.rounds == rules.max_rounds  # a win on HP share at the round limit
    shares = left[0] * sum(f.hp for f in d), left[1] * sum(f.hp for f in a)
    if left[0] and left[1]:
        expected = "attacker" if shares[0] > shares[1] else "defender" if shares[1] > shares[0] else "draw"
        assert battle.winner == expected
    else:
        assert battle.winner == ("attacker" if left[0] else "defender")


def test_a_stalemate_at_the_round_limit_goes_to_the_greater_share_of_hp(make: Make, rules: BattleSettings) -> None:
    short = rules.model_copy(update={"max_rounds": 2})
    walls = [make("cobblestone_mole")], [make("cobblestone_mole")]
    winners = set()
    for seed in range(20):
        battle = fight(*walls, seed, short)
        assert battle.rounds == 2
        assert all(hp for side in battle.hp for hp in side)
        shares = battle.hp[0][0] / walls[0][0].hp, battle.hp[1][0] / walls[1][0].hp
        assert battle.winner == (
            "attacker" if shares[0] > shares[1] else "defender" if shares[1] > shares[0] else "draw"
        )
        winners.add(battle.winner)
    assert {"attacker", "defender"} <= winners


def test_equal_shares_at_the_round_limit_are_a_draw(make: Make, rules: BattleSettings) -> None:
    evasive = rules.model_copy(update={"damage": rules.damage.model_copy(update={"dodge_cap": 1.0})})
    ghost = replace(make("duskwing_bat"), dodge=1.0)
    battle = fight([ghost], [ghost], 5, evasive)
    assert (battle.winner, battle.rounds) == ("draw", evasive.max_rounds)
    assert all(hit.dodged for action in battle.log for hit in action.hits)


# --- the rules, observed ------------------------------------------------------------------------------


def test_turn_order_is_by_speed_then_attackers_then_slot(make: Make) -> None:
    fast, slow = make("duskwing_bat"), make("mossback_tortoise")
    twin = replace(slow, esprit_id="twin")
    assert turn_order([slow, fast], [twin, fast]) == [
        ("attacker", 1),
        ("defender", 1),
        ("attacker", 0),
        ("defender", 0),
    ]


def exact(rules: BattleSettings) -> BattleSettings:
    """No spread, no enrage, Striker power 1 without crit bonus, crits that double: damage is the bare formula."""
    roles = rules.roles.model_copy(
        update={"Striker": rules.roles.Striker.model_copy(update={"power": 1.0, "crit_bonus": 0.0})}
    )
    enrage = rules.damage.enrage.model_copy(update={"per_round": 0.0})
    damage = rules.damage.model_copy(update={"spread": 0.0, "crit_multiplier": 2.0, "enrage": enrage})
    return rules.model_copy(update={"damage": damage, "roles": roles})


def dummy(make: Make, **changes: Any) -> Fighter:
    """A target that never dodges, hits back for 1 and acts last: defense 34 against attack 34 gives a base of 17."""
    plain = {"hp": 10_000, "attack": 0, "speed": 0, "defense": 34, "element": "Lumen", "role": "Striker"}
    return sure(make("cobblestone_mole"), **{**plain, **changes})


def striker(make: Make, **changes: Any) -> Fighter:
    """Attack 34: 34 x 34 / (34 + 34) = 17 against the dummy."""
    return sure(make("ember_fox_kit"), **{"attack": 34, "element": "Lumen", **changes})


def first_hit(attacker: Fighter, defender: Fighter, rules: BattleSettings, seed: int = 1) -> Action:
    return fight([attacker], [defender], seed, rules).log[0]


def test_a_hit_deals_power_times_a_squared_over_a_plus_d(make: Make, rules: BattleSettings) -> None:
    hit = first_hit(striker(make), dummy(make), exact(rules))
    assert (hit.action, hit.crit, hit.hits[0].damage) == ("power_strike", False, 17)
    shipped = first_hit(striker(make), dummy(make), calm(rules))
    assert shipped.hits[0].damage == int(17 * rules.roles.Striker.power)


def test_element_advantage_and_disadvantage_multiply_the_damage(make: Make, rules: BattleSettings) -> None:
    def damage(attacker: str, defender: str) -> int:
        return first_hit(striker(make, element=attacker), dummy(make, element=defender), exact(rules)).hits[0].damage

    assert "Verdant" in rules.elements.beats["Flame"]
    assert "Flame" in rules.elements.beats["Tide"]
    assert damage("Flame", "Lumen") == 17
    assert damage("Flame", "Verdant") == int(17 * rules.elements.advantage)
    assert damage("Flame", "Tide") == int(17 * rules.elements.disadvantage)
    assert damage("Lumen", "Umbra") == damage("Umbra", "Lumen") == int(17 * rules.elements.advantage)


def test_a_crit_multiplies_the_damage(make: Make, rules: BattleSettings) -> None:
    hit = first_hit(striker(make, crit_rate=1.0), dummy(make), exact(rules))
    assert (hit.crit, hit.hits[0].damage) == (True, 34)


def test_a_dodge_cancels_a_hit_and_dodging_is_capped(make: Make, rules: BattleSettings) -> None:
    battle = fight([striker(make)], [dummy(make, dodge=1.0)], 1, exact(rules))
    hits = [hit for action in battle.log if action.side == "attacker" for hit in action.hits]
    assert len(hits) == rules.max_rounds
    assert {h.damage for h in hits if h.dodged} == {0}
    assert {h.damage for h in hits if not h.dodged} == {17}  # dodge 1.0 is capped: some hits land


def test_a_taunting_guardian_draws_every_single_target_attack(make: Make, rules: BattleSettings) -> None:
    strikers = [make("ember_fox_kit"), make("sparkwick_beetle"), make("acornpaw_squirrel")]
    guarded = [make("glimmer_moth"), make("cobblestone_mole"), make("thistledown_sprite")]
    redirected = 0
    for seed in range(20):
        battle = fight(strikers, guarded, seed, rules)
        taunted = False
        for action, hp in states(battle, strikers, guarded):
            if action.side == "defender" and action.action == "taunt":
                taunted = True
            if taunted and action.side == "attacker" and hp["defender", 1] > 0:
                assert [(h.side, h.slot) for h in action.hits] == [("defender", 1)]
                redirected += 1
    assert redirected > 20
    # Without the Guardian the same strikers spread their blows over the team.
    unguarded = [make("glimmer_moth"), make("tidecaller_otter"), make("thistledown_sprite")]
    slots = {
        h.slot
        for seed in range(20)
        for a in fight(strikers, unguarded, seed, rules).log
        if a.side == "attacker"
        for h in a.hits
    }
    assert slots == {0, 1, 2}


def test_a_skirmisher_ambushes_the_weakest_foe_past_any_taunt(make: Make, rules: BattleSettings) -> None:
    skirmishers = [make("duskwing_bat"), make("frostnip_hare")]
    foes = [make("cobblestone_mole"), make("glimmer_moth"), make("ember_fox_kit")]
    ambushes = 0
    for seed in range(10):
        battle = fight(skirmishers, foes, seed, rules)
        for action, hp in states(battle, skirmishers, foes):
            if action.action == "ambush" and action.side == "attacker":
                living = {slot: hp["defender", slot] for slot in range(3) if hp["defender", slot] > 0}
                weakest = min(living, key=lambda s: (living[s], s))
                assert action.hits[0].slot == weakest
                ambushes += 1
    assert ambushes > 10


def test_a_support_heals_the_most_wounded_ally_never_above_max_hp(make: Make, rules: BattleSettings) -> None:
    support = rules.roles.Support
    healers = [make("tidecaller_otter"), make("ember_fox_kit"), make("mossback_tortoise")]
    foes = [make("sparkwick_beetle"), make("acornpaw_squirrel"), make("duskwing_bat")]
    top = {slot: f.hp for slot, f in enumerate(healers)}
    heals = 0
    for seed in range(20):
        last: int | None = None
        battle = fight(healers, foes, seed, rules)
        for action, hp in states(battle, healers, foes):
            if action.side != "attacker" or action.slot != 0:
                continue
            shares = {s: hp["attacker", s] / top[s] for s in top if hp["attacker", s] > 0}
            if action.action == "heal":
                (hit,) = action.hits
                assert hit.slot == min(shares, key=lambda s: (shares[s], s))
                assert shares[hit.slot] < support.heal_below
                assert hp["attacker", hit.slot] < hit.hp_after <= top[hit.slot]
                assert hit.healed == min(int(support.heal * healers[0].magic), top[hit.slot] - hp["attacker", hit.slot])
                assert last is None or action.round - last >= support.cooldown
                last = action.round
                heals += 1
            else:
                assert action.action == "spark"
    assert heals > 5


def test_a_mystic_bursts_every_living_foe(make: Make, rules: BattleSettings) -> None:
    mystics = [make("glimmer_moth", 20)]
    foes = [make("ember_fox_kit"), make("frostnip_hare"), make("cobblestone_mole")]
    bursts = 0
    for seed in range(10):
        battle = fight(mystics, foes, seed, rules)
        for action, hp in states(battle, mystics, foes):
            if action.side == "attacker":
                assert action.action == "magic_burst"
                assert [h.slot for h in action.hits] == [s for s in range(3) if hp["defender", s] > 0]
                bursts += 1
    assert bursts > 10


def test_higher_tiers_beat_lower_ones_at_equal_level(make: Make, rules: BattleSettings) -> None:
    seeds = np.arange(200, dtype=np.uint64)
    for high, low in [("solheart_phoenix", "ember_fox_kit"), ("glacier_lynx", "ashmane_pony")]:
        assert (fight_many([make(high)], [make(low)], seeds, rules).winner == 1).mean() > 0.9
        assert (fight_many([make(low)], [make(high)], seeds, rules).winner == -1).mean() > 0.9


def test_equal_tiers_usually_fight_for_several_rounds(make: Make, rules: BattleSettings) -> None:
    rounds = fight_many(
        [make("ember_fox_kit")], [make("sparkwick_beetle")], np.arange(500, dtype=np.uint64), rules
    ).rounds
    assert 4 <= np.median(rounds) <= 12
    assert rounds.max() < rules.max_rounds


# --- refusals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 4])
def test_a_team_has_one_to_three_esprits(size: int, make: Make, rules: BattleSettings) -> None:
    with pytest.raises(InvalidArgument, match="1 to 3") as caught:
        fight([make("ember_fox_kit")] * size, [make("ember_fox_kit")], 1, rules)
    assert caught.value.details == {"field": "attacker"}


def test_an_unknown_role_or_element_is_refused(make: Make, rules: BattleSettings) -> None:
    with pytest.raises(InvalidArgument, match="unknown role 'Bard'"):
        fight([make("ember_fox_kit")], [replace(make("ember_fox_kit"), role="Bard")], 1, rules)
    with pytest.raises(InvalidArgument, match="element 'Aether'"):
        fight([replace(make("ember_fox_kit"), element="Aether")], [make("ember_fox_kit")], 1, rules)


def test_seeds_are_a_flat_array_of_integers(make: Make, rules: BattleSettings) -> None:
    f = [make("ember_fox_kit")]
    with pytest.raises(InvalidArgument, match="one-dimensional"):
        fight_many(f, f, np.zeros((2, 2), dtype=np.uint64), rules)
    with pytest.raises(InvalidArgument, match="integers"):
        fight_many(f, f, np.zeros(3), rules)  # type: ignore[arg-type]  # what an untyped caller may pass
    assert np.array_equal(
        fight_many(f, f, np.array([-1]), rules).rounds,
        fight_many(f, f, np.array([2**64 - 1], dtype=np.uint64), rules).rounds,
    )
