"""The XP curve: total_xp_for and level_for are inverse to each other."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from faye.config import GameConfig, LevelCurve

#: Curves the game data may hold: their whole XP stays within faye.config's bound (1000 x 1.5^59 summed is under
#: 10^14), which steeper or longer curves than these can break.
curves = st.builds(
    LevelCurve,
    base=st.integers(1, 1000),
    growth=st.floats(1.0, 1.5),
    max_level=st.integers(1, 60),
)


@given(curves, st.data())
def test_level_for_inverts_total_xp_for(curve: LevelCurve, data: st.DataObject) -> None:
    level = data.draw(st.integers(1, curve.max_level))
    start = curve.total_xp_for(level)
    assert curve.level_for(start) == level
    if level > 1:
        assert curve.level_for(start - 1) == level - 1
    if level < curve.max_level:
        assert curve.level_for(start + curve.xp_to_next(level) - 1) == level
        assert curve.total_xp_for(level + 1) == start + curve.xp_to_next(level)


@given(curves, st.integers(0, 10**7), st.integers(0, 10**6))
def test_level_for_is_monotone_and_bounded(curve: LevelCurve, xp: int, more: int) -> None:
    level = curve.level_for(xp)
    assert 1 <= level <= curve.max_level
    assert curve.level_for(xp + more) >= level
    assert curve.total_xp_for(level) <= xp
    if level < curve.max_level:
        assert xp < curve.total_xp_for(level + 1)


@given(curves)
def test_every_level_costs_at_least_one_xp(curve: LevelCurve) -> None:
    assert curve.total_xp_for(1) == 0
    for level in range(1, curve.max_level):
        assert curve.xp_to_next(level) >= 1
        assert curve.total_xp_for(level + 1) > curve.total_xp_for(level)


def test_level_stops_at_max() -> None:
    curve = LevelCurve(base=10, growth=1.0, max_level=5)
    assert curve.level_for(40) == 5
    assert curve.level_for(10**9) == 5
    assert curve.level_for(39) == 4


def test_shipped_curve(config: GameConfig) -> None:
    curve = config.settings.xp
    assert curve.xp_to_next(1) == curve.base
    assert curve.level_for(0) == 1
    assert curve.level_for(curve.base) == 2
    assert curve.level_for(curve.base - 1) == 1
    assert curve.total_xp_for(3) == curve.base + round(curve.base * curve.growth)
