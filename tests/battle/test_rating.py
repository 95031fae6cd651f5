"""The Elo update of duels: the documented figures, zero-sum, and the underdog's bigger gain."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from faye.battle.engine import Winner
from faye.battle.rating import elo, expected


def test_equal_ratings_move_by_half_of_k_on_a_win_and_not_on_a_draw() -> None:
    assert elo(1200, 1200, "attacker", 32) == (1216, 1184)
    assert elo(1200, 1200, "defender", 32) == (1184, 1216)
    assert elo(1200, 1200, "draw", 32) == (1200, 1200)


def test_the_formula_with_a_rating_gap() -> None:
    # E = 1 / (1 + 10 ** (400 / 400)) = 1/11 for the weaker side: a win gains round(32 x 10/11) = 29.
    assert expected(1000, 1400) == 1 / 11
    assert elo(1000, 1400, "attacker", 32) == (1029, 1371)
    assert elo(1000, 1400, "defender", 32) == (997, 1403)
    assert elo(1000, 1400, "draw", 32) == (1013, 1387)


@given(
    a=st.integers(0, 4000),
    b=st.integers(0, 4000),
    winner=st.sampled_from(["attacker", "defender", "draw"]),
    k=st.integers(1, 400),
)
def test_ratings_are_zero_sum_and_move_the_right_way(a: int, b: int, winner: Winner, k: int) -> None:
    new_a, new_b = elo(a, b, winner, k)
    assert new_a + new_b == a + b
    assert abs(new_a - a) <= k
    if winner == "attacker":
        assert new_a >= a
    if winner == "defender":
        assert new_a <= a
    if winner == "draw":
        assert (new_a - a) * (b - a) >= 0  # a draw lifts the lower rating towards the higher


def test_beating_a_stronger_player_pays_more_than_beating_a_weaker_one() -> None:
    up = elo(1200, 1500, "attacker", 32)[0] - 1200
    down = elo(1500, 1200, "attacker", 32)[0] - 1500
    assert up > 16 > down > 0
