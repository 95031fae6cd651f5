"""Profiles and the daily reward: formula, cooldown, streaks, level scaling and level-up rewards."""

from __future__ import annotations

import math
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import update
from sqlmodel import col

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.config import GameConfig
from faye.errors import CooldownActive, NotRegistered
from faye.models import User
from tests.conftest import START, assert_conserved, ledger_rows, register, user_row

HOUR = timedelta(hours=1)


def expected_daily(config: GameConfig, level: int, streak: int) -> dict[str, int]:
    """The documented formula in exact arithmetic: (base + per_level x (level - 1)) x (1 + bonus), floored."""
    daily = config.settings.daily
    bonus = min(Fraction(str(daily.streak_bonus_cap)), Fraction(str(daily.streak_bonus_per_day)) * (streak - 1))
    out = {}
    for currency, base in daily.base.items():
        per_level = getattr(daily.per_level, currency.value)
        amount = math.floor((base + per_level * (level - 1)) * (1 + bonus))
        if amount > 0:
            out[currency.value] = amount
    return out


async def set_level(app: FayeApp, user_id: str, level: int) -> None:
    """Test setup only: put a player at the start of `level` (moves no currency)."""
    xp = app.config.settings.xp.total_xp_for(level)
    async with app.context.db.write() as session:
        await session.execute(update(User).where(col(User.user_id) == user_id).values(level=level, xp=xp))


async def test_profile_of_unknown_player(app: FayeApp) -> None:
    with pytest.raises(NotRegistered) as caught:
        await app.economy.profile("ghost")
    assert caught.value.code == "not_registered"
    assert caught.value.details["user_id"] == "ghost"


async def test_daily_of_unknown_player(app: FayeApp) -> None:
    with pytest.raises(NotRegistered):
        await app.economy.daily("ghost")


async def test_daily_pays_the_formula(app: FayeApp, config: GameConfig) -> None:
    reg = await register(app, "u1")
    claim = await app.economy.daily("u1")
    daily = config.settings.daily
    expected = expected_daily(config, level=1, streak=1)
    assert expected == {c.value: v for c, v in daily.base.items() if v}  # level 1, streak 1: just the base
    assert claim.rewards == expected
    assert claim.streak == 1
    assert claim.streak_bonus == 0
    assert claim.xp_gained == daily.xp
    assert claim.claimed_at == START
    assert claim.next_claim_at == START + timedelta(hours=daily.cooldown_hours)
    profile = await app.economy.profile("u1")
    for currency, amount in expected.items():
        assert getattr(profile, currency) == getattr(reg.profile, currency) + amount
        assert getattr(claim.balance, currency) == getattr(profile, currency)
    assert profile.xp == reg.profile.xp + daily.xp
    assert profile.daily_streak == 1
    assert profile.next_daily_at == claim.next_claim_at
    rows = await ledger_rows(app, "u1", reason="daily")
    assert {r.currency: r.delta for r in rows} == expected
    assert len(rows) == len(expected)
    await assert_conserved(app)


async def test_second_daily_within_cooldown_is_refused(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    await register(app, "u1")
    await app.economy.daily("u1")
    before = await app.economy.profile("u1")
    rows_before = len(await ledger_rows(app, "u1"))
    for wait in (timedelta(0), HOUR, timedelta(hours=23, minutes=59, seconds=59)):
        clock.set(START + wait)
        with pytest.raises(CooldownActive) as caught:
            await app.economy.daily("u1")
        assert caught.value.details["next_claim_at"] == START + timedelta(hours=config.settings.daily.cooldown_hours)
        assert caught.value.code == "cooldown_active"
    after = await app.economy.profile("u1")
    assert (after.faylen, after.virelite, after.gems, after.xp, after.daily_streak) == (
        before.faylen,
        before.virelite,
        before.gems,
        before.xp,
        before.daily_streak,
    )
    assert len(await ledger_rows(app, "u1")) == rows_before


async def test_daily_opens_exactly_at_the_cooldown(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    await register(app, "u1")
    await app.economy.daily("u1")
    clock.advance(timedelta(hours=config.settings.daily.cooldown_hours))
    claim = await app.economy.daily("u1")
    assert claim.streak == 2


async def test_streak_grows_with_bonus_after_25h(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    await register(app, "u1")
    await app.economy.daily("u1")
    clock.advance(timedelta(hours=25))
    before = await app.economy.profile("u1")
    claim = await app.economy.daily("u1")
    assert claim.streak == 2
    assert claim.streak_bonus == pytest.approx(config.settings.daily.streak_bonus_per_day)
    assert claim.rewards == expected_daily(config, level=before.level, streak=2)
    assert claim.rewards["faylen"] > config.settings.daily.base.faylen
    profile = await app.economy.profile("u1")
    assert profile.daily_streak == 2
    assert profile.faylen == before.faylen + claim.rewards["faylen"]


async def test_streak_resets_after_49h(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    await register(app, "u1")
    await app.economy.daily("u1")
    clock.advance(timedelta(hours=25))
    assert (await app.economy.daily("u1")).streak == 2
    clock.advance(timedelta(hours=49))
    claim = await app.economy.daily("u1")
    assert claim.streak == 1
    assert claim.streak_bonus == 0
    assert claim.rewards == expected_daily(config, level=1, streak=1)
    assert (await app.economy.profile("u1")).daily_streak == 1


async def test_streak_kept_at_exactly_the_window(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    await register(app, "u1")
    await app.economy.daily("u1")
    clock.advance(timedelta(hours=config.settings.daily.streak_window_hours))
    assert (await app.economy.daily("u1")).streak == 2


async def test_streak_bonus_is_capped(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    daily = config.settings.daily
    await register(app, "u1")
    claims = []
    for _ in range(9):
        level = (await app.economy.profile("u1")).level  # XP from the dailies levels the player up
        claims.append(await app.economy.daily("u1"))
        clock.advance(timedelta(hours=25))
    assert [c.streak for c in claims] == list(range(1, 10))
    assert claims[-1].streak_bonus == pytest.approx(daily.streak_bonus_cap)
    assert all(c.streak_bonus <= daily.streak_bonus_cap + 1e-9 for c in claims)
    assert claims[-1].rewards == expected_daily(config, level=level, streak=9)
    await assert_conserved(app)


@pytest.mark.parametrize("level", [2, 10, 30])
async def test_daily_scales_with_level(app: FayeApp, config: GameConfig, level: int) -> None:
    await register(app, "u1")
    await set_level(app, "u1", level)
    claim = await app.economy.daily("u1")
    expected = expected_daily(config, level=level, streak=1)
    assert claim.rewards == expected
    per_level = config.settings.daily.per_level
    assert expected["faylen"] == config.settings.daily.base.faylen + per_level.faylen * (level - 1)
    await assert_conserved(app)


async def test_daily_reward_is_exact_at_level_6_streak_5(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    await register(app, "u1")
    await set_level(app, "u1", 6)
    for _ in range(4):
        await app.economy.daily("u1")
        clock.advance(timedelta(hours=25))
    assert (await app.economy.profile("u1")).level == 6
    claim = await app.economy.daily("u1")
    assert claim.streak == 5
    assert claim.rewards == expected_daily(config, level=6, streak=5)  # gems: (160 + 4 x 5) x 1.4 = 252


async def test_dailies_grant_xp_and_level_up_pays_the_reward(
    app: FayeApp, clock: FixedClock, config: GameConfig
) -> None:
    curve = config.settings.xp
    xp_per_daily = config.settings.daily.xp
    await register(app, "u1")
    claims_to_level_2 = math.ceil(curve.total_xp_for(2) / xp_per_daily)
    claims = []
    for _ in range(claims_to_level_2):
        claims.append(await app.economy.daily("u1"))
        clock.advance(timedelta(hours=25))
    assert all(c.level_ups == [] for c in claims[:-1])
    last = claims[-1]
    reward = {c.value: v for c, v in curve.level_up_reward.items() if v}
    assert [(lu.level, lu.rewards) for lu in last.level_ups] == [(2, reward)]
    assert last.balance.level == 2
    profile = await app.economy.profile("u1")
    assert profile.level == 2
    assert profile.xp == claims_to_level_2 * xp_per_daily
    assert profile.xp_into_level == profile.xp - curve.total_xp_for(2)
    assert profile.xp_for_next_level == curve.xp_to_next(2)
    rows = await ledger_rows(app, "u1", reason="level_up")
    assert {r.currency: r.delta for r in rows} == reward
    assert all(r.reference == "level 2" for r in rows)
    await assert_conserved(app)


async def test_summon_xp_levels_up_and_pays(app: FayeApp, config: GameConfig) -> None:
    curve = config.settings.xp
    await register(app, "u1")
    xp_gain = config.settings.summon.xp_per_pull * 10
    assert curve.level_for(xp_gain) == 2, "shipped config: one 10-pull reaches level 2"
    result = await app.summons.summon("u1", 10)
    reward = {c.value: v for c, v in curve.level_up_reward.items() if v}
    assert [(lu.level, lu.rewards) for lu in result.level_ups] == [(2, reward)]
    assert len(await ledger_rows(app, "u1", reason="level_up")) == len(reward)
    profile = await app.economy.profile("u1")
    start = config.settings.starting
    assert profile.faylen == start.faylen + reward.get("faylen", 0)
    assert profile.virelite == start.virelite + reward.get("virelite", 0)
    await assert_conserved(app)


async def test_profile_reports_next_daily(app: FayeApp, clock: FixedClock, config: GameConfig) -> None:
    await register(app, "u1")
    await app.economy.daily("u1")
    opens = START + timedelta(hours=config.settings.daily.cooldown_hours)
    clock.advance(HOUR)
    assert (await app.economy.profile("u1")).next_daily_at == opens
    clock.set(opens)
    assert (await app.economy.profile("u1")).next_daily_at is None
    row = await user_row(app, "u1")
    assert row is not None
    assert row.last_daily_claim == START
