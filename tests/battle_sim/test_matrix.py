"""The battle matrix: the same numbers for a seed whatever the workers, cells the engine's own batches, summaries
consistent with the matrix, outliers and what-if moves found where the data was changed."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from faye.battle import matrix
from faye.battle.engine import fight_many, fighter
from faye.battle.matrix import BattleReport, ElementOutlier, ElementVersus, battle_matrix, check_growth, pair_seeds
from faye.battle.what_if import compare
from faye.errors import InvalidAmount, InvalidArgument
from tests.battle_sim.conftest import BOOSTED, SmallData, load


def numbers(report: BattleReport) -> dict[str, object]:
    """The report without what depends on the machine (how long it took, on how many processes)."""
    document = asdict(report)
    del document["seconds"], document["workers"]
    return document


def test_a_seed_gives_one_matrix_whatever_the_workers(small_data: SmallData, monkeypatch: pytest.MonkeyPatch) -> None:
    config, rules = load(small_data())
    monkeypatch.setattr(matrix, "POOL_BATTLES", 1)
    one = battle_matrix(config, rules, battles=6, seed=5, workers=1)
    two = battle_matrix(config, rules, battles=6, seed=5, workers=2)
    assert (one.workers, two.workers) == (1, 2)
    assert numbers(one) == numbers(two)
    assert numbers(battle_matrix(config, rules, battles=6, seed=5)) == numbers(one)
    assert numbers(battle_matrix(config, rules, battles=6, seed=6)) != numbers(one)


def test_progress_counts_every_battle(small_data: SmallData, monkeypatch: pytest.MonkeyPatch) -> None:
    config, rules = load(small_data())
    monkeypatch.setattr(matrix, "POOL_BATTLES", 1)
    for workers in (1, 2):
        seen: list[int] = []
        battle_matrix(config, rules, battles=3, workers=workers, progress=seen.append)
        assert sum(seen) == len(config.esprits) ** 2 * 3


def test_a_cell_is_the_engines_batch_for_that_pair(small_data: SmallData) -> None:
    config, rules = load(small_data())
    report = battle_matrix(config, rules, battles=40, level=10, ascension=0, team_size=2, seed=9)
    esprits = config.esprits
    for a, d in [(0, 5), (5, 0), (7, 7), (len(esprits) - 1, 2)]:
        team_a = [fighter(esprits[a], 10, 0, config.progression)] * 2
        team_d = [fighter(esprits[d], 10, 0, config.progression)] * 2
        outcomes = fight_many(team_a, team_d, pair_seeds(9, esprits[a].esprit_id, esprits[d].esprit_id, 40), rules)
        score = (np.count_nonzero(outcomes.winner == 1) + np.count_nonzero(outcomes.winner == 0) / 2) / 40
        assert report.matrix[a][d] == score


def test_summaries_agree_with_the_matrix(small_data: SmallData) -> None:
    config, rules = load(small_data())
    report = battle_matrix(config, rules, battles=30, seed=2)
    m = np.array(report.matrix)
    n = len(report.esprits)
    off = ~np.eye(n, dtype=bool)
    # Seat-neutral scores of a against b and b against a add up to 1, so the win rates average 1/2 exactly.
    assert np.mean([e.win_rate for e in report.esprits]) == pytest.approx(0.5, abs=1e-12)
    for i, esprit in enumerate(report.esprits):
        assert esprit.as_attacker == pytest.approx(m[i][off[i]].mean())
        assert esprit.as_defender == pytest.approx(1 - m[:, i][off[:, i]].mean())
        assert esprit.win_rate == pytest.approx((esprit.as_attacker + esprit.as_defender) / 2)
    for tier in report.tiers:
        rates = [e.win_rate for e in report.esprits if e.tier == tier.tier]
        assert (tier.esprits, tier.low, tier.high) == (len(rates), min(rates), max(rates))
        assert tier.win_rate == pytest.approx(np.mean(rates))
    assert np.allclose(m * 60, np.round(m * 60))  # whole and half battles of 30


def test_seats_only_break_ties_of_speed(small_data: SmallData) -> None:
    """Seats differ only in who moves first at equal speed, so between Esprits of different speeds the
    attacker's and the defender's scores share out the battles: a against b and b against a sum to 1 on average."""
    config, rules = load(small_data())
    report = battle_matrix(config, rules, battles=100, seed=4)
    m = np.array(report.matrix)
    speed = np.array([e.stats.speed for e in config.esprits])
    apart = speed[:, None] != speed[None, :]
    assert abs((m + m.T - 1)[apart].mean()) < 0.02


def test_an_overwhelming_esprit_is_flagged_above_its_tier(small_data: SmallData) -> None:
    config, rules = load(small_data(boost=6.0))
    report = battle_matrix(config, rules, battles=10)
    boosted = next(e for e in report.esprits if e.esprit_id == BOOSTED)
    assert boosted.outlier == "above"
    assert boosted.win_rate > 0.9
    flagged = [o for o in report.outliers if o.kind == "esprit" and o.direction == "above"]
    assert BOOSTED in [getattr(o, "esprit_id", None) for o in flagged]
    plain = battle_matrix(*load(small_data("plain")), battles=10)
    assert next(e for e in plain.esprits if e.esprit_id == BOOSTED).outlier is None


def test_element_pairs_carry_the_tables_intent(small_data: SmallData) -> None:
    config, rules = load(small_data())
    report = battle_matrix(config, rules, battles=10)
    seen = 0
    for group in report.elements:
        for pair in group.versus:
            assert isinstance(pair, ElementVersus)
            there = rules.elements.multiplier(group.name, pair.against)
            back = rules.elements.multiplier(pair.against, group.name)
            assert pair.intent == ("favoured" if there > back else "unfavoured" if there < back else "even")
            if pair.win_rate is not None and pair.intent != "even":
                seen += 1
                assert pair.as_intended == (
                    (pair.win_rate > 0.5) if pair.intent == "favoured" else (pair.win_rate < 0.5)
                )
    assert seen
    missed = {(o.attacker, o.defender) for o in report.outliers if isinstance(o, ElementOutlier)}
    expected = {
        (g.name, p.against)
        for g in report.elements
        for p in g.versus
        if isinstance(p, ElementVersus) and p.as_intended is False
    }
    assert missed == expected


def test_pair_seeds_follow_the_esprits_not_their_order(small_data: SmallData) -> None:
    directory = small_data()
    config, rules = load(directory)
    path = directory / "esprits.json"
    data = json.loads(path.read_text())
    data["esprits"].reverse()
    path.write_text(json.dumps(data))
    reordered, _ = load(directory)
    first = battle_matrix(config, rules, battles=8)
    second = battle_matrix(reordered, rules, battles=8)
    index = {e.esprit_id: i for i, e in enumerate(first.esprits)}
    flipped = [index[e.esprit_id] for e in second.esprits]
    assert np.array_equal(np.array(second.matrix), np.array(first.matrix)[np.ix_(flipped, flipped)])
    assert compare(first, second, 1e-9, directory).moved == []


def test_what_if_names_the_boosted_esprit(small_data: SmallData, tmp_path: Path) -> None:
    before = battle_matrix(*load(small_data()), battles=10)
    after = battle_matrix(*load(small_data("boosted", boost=6.0)), battles=10)
    result = compare(before, after, 0.05, tmp_path)
    assert result.moved[0].esprit_id == BOOSTED
    top = result.moved[0]
    assert top.before is not None
    assert top.after is not None
    assert top.change is not None
    assert top.change == pytest.approx(top.after - top.before)
    assert top.change > 0.3
    assert all(m.change is not None and abs(m.change) > 0.05 for m in result.moved)


def test_team_size_fields_copies(small_data: SmallData) -> None:
    config, rules = load(small_data())
    alone = battle_matrix(config, rules, battles=10)
    three = battle_matrix(config, rules, battles=10, team_size=3)
    assert three.team_size == 3
    assert three.matrix != alone.matrix


@pytest.mark.parametrize(
    ("level", "ascension", "field"),
    [(21, 0, "level"), (31, 1, "level"), (0, 0, "level"), (20, 6, "ascension"), (20, -1, "ascension")],
)
def test_growth_beyond_the_rules_is_refused(small_data: SmallData, level: int, ascension: int, field: str) -> None:
    config, _ = load(small_data())
    with pytest.raises(InvalidArgument) as refused:
        check_growth(config, level, ascension)
    assert refused.value.details["field"] == field


def test_growth_defaults_to_the_ranks_cap(small_data: SmallData) -> None:
    config, _ = load(small_data())
    assert (check_growth(config, None, 0), check_growth(config, None, 5), check_growth(config, 7, 2)) == (20, 70, 7)


def test_a_matrix_too_large_is_refused(small_data: SmallData) -> None:
    config, rules = load(small_data())
    with pytest.raises(InvalidAmount) as refused:
        battle_matrix(config, rules, battles=100_001)
    assert refused.value.details["field"] == "battles"
    with pytest.raises(InvalidArgument):
        battle_matrix(config, rules, battles=1, team_size=4)
