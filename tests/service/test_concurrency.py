"""Races: many simultaneous claims and summons by one player, as tasks on separate engines and as separate
OS processes. Exactly the affordable number may succeed; the balance always matches the ledger."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from faye.app import FayeApp
from faye.config import GameConfig
from faye.errors import FayeError
from faye.models import UserEsprit
from tests.conftest import START, AppFactory, assert_conserved, count_rows, ledger_rows, register
from tests.service import race_worker

RACERS = 50
APPS = 10
AFFORDABLE = 7
RACE_GUARD_S = 600  # only so a deadlock fails the run instead of hanging it; never a timing assertion


def codes_of(results: Sequence[object]) -> Counter[str]:
    codes: Counter[str] = Counter()
    for result in results:
        if isinstance(result, FayeError):
            codes[result.code] += 1
        elif isinstance(result, BaseException):
            raise result
        else:
            codes["ok"] += 1
    return codes


async def budget_for_pulls(app: FayeApp, user_id: str, pulls: int) -> int:
    """Register `user_id` and leave them exactly `pulls` single summons' worth of the summon currency, spending
    down with real summons and topping up with an admin grant (so the ledger tells the whole story)."""
    settings = app.config.settings.summon
    currency = settings.currency.value
    await register(app, user_id)
    balance = getattr(await app.economy.profile(user_id), currency)
    while balance >= settings.single_cost:
        result = await app.summons.summon(user_id, 10 if balance >= settings.ten_cost else 1)
        balance = getattr(result.balance, currency)
    target = pulls * settings.single_cost
    if target > balance:
        await app.admin.grant("admin-1", user_id, currency, target - balance)
    profile = await app.economy.profile(user_id)
    assert getattr(profile, currency) == target
    curve = app.config.settings.xp
    assert curve.level_for(profile.xp + pulls * settings.xp_per_pull) == profile.level, (
        "precondition: the race must not cross a level-up, whose reward would refill the balance"
    )
    return target


async def check_daily_race(app: FayeApp, config: GameConfig, codes: Counter[str]) -> None:
    assert codes == {"ok": 1, "cooldown_active": RACERS - 1}
    rows = await ledger_rows(app, "u1", reason="daily")
    expected = sorted(c.value for c, v in config.settings.daily.base.items() if v)
    assert sorted(r.currency for r in rows) == expected
    profile = await app.economy.profile("u1")
    assert profile.daily_streak == 1
    assert profile.xp == config.settings.daily.xp
    await assert_conserved(app)


async def check_summon_race(app: FayeApp, config: GameConfig, codes: Counter[str], owned_before: int) -> None:
    currency = config.settings.summon.currency.value
    assert codes == {"ok": AFFORDABLE, "insufficient_funds": RACERS - AFFORDABLE}
    profile = await app.economy.profile("u1")
    assert getattr(profile, currency) == 0
    assert await count_rows(app, UserEsprit, UserEsprit.owner_id == "u1") == owned_before + AFFORDABLE
    assert profile.collection_size == owned_before + AFFORDABLE
    single = [r for r in await ledger_rows(app, "u1", reason="summon") if r.reference == "1-pull"]
    assert [r.balance_after for r in single[-AFFORDABLE:]] == [
        config.settings.summon.single_cost * k for k in reversed(range(AFFORDABLE))
    ]
    await assert_conserved(app)


# --- tasks on separate engines --------------------------------------------------------------------------


@pytest.mark.crowd
async def test_daily_race_between_tasks(app: FayeApp, app_factory: AppFactory, config: GameConfig) -> None:
    await register(app, "u1")
    apps = [await app_factory() for _ in range(APPS)]
    results = await asyncio.gather(*(apps[i % APPS].economy.daily("u1") for i in range(RACERS)), return_exceptions=True)
    await check_daily_race(app, config, codes_of(results))


@pytest.mark.crowd
async def test_summon_race_between_tasks(app: FayeApp, app_factory: AppFactory, config: GameConfig) -> None:
    await budget_for_pulls(app, "u1", AFFORDABLE)
    owned_before = await count_rows(app, UserEsprit, UserEsprit.owner_id == "u1")
    apps = [await app_factory() for _ in range(APPS)]
    results = await asyncio.gather(
        *(apps[i % APPS].summons.summon("u1", 1) for i in range(RACERS)), return_exceptions=True
    )
    await check_summon_race(app, config, codes_of(results), owned_before)


# --- separate OS processes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def race_pool() -> Iterator[tuple[ProcessPoolExecutor, Any]]:
    """RACERS spawned processes, reused by every process race in this module (spawning is the slow part).

    Each race submits RACERS calls; every call blocks at the shared barrier until all RACERS processes hold
    one, so each call runs in its own process, opening its own FayeApp and engine.
    """
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(RACERS)
    with ProcessPoolExecutor(
        max_workers=RACERS, mp_context=ctx, initializer=race_worker.init, initargs=(barrier,)
    ) as pool:
        yield pool, barrier


async def race_in_processes(
    race_pool: tuple[ProcessPoolExecutor, Any], db_url: str, action: str, user_id: str
) -> Counter[str]:
    pool, barrier = race_pool
    barrier.reset()
    loop = asyncio.get_running_loop()
    calls = [
        loop.run_in_executor(pool, race_worker.race, db_url, START.isoformat(), action, user_id) for _ in range(RACERS)
    ]
    results = await asyncio.wait_for(asyncio.gather(*calls), RACE_GUARD_S)
    assert len({pid for _, pid in results}) == RACERS, "every call must run in its own OS process"
    assert os.getpid() not in {pid for _, pid in results}
    return Counter(code for code, _ in results)


@pytest.mark.slow
async def test_daily_race_between_processes(
    app: FayeApp, db_url: str, config: GameConfig, race_pool: tuple[ProcessPoolExecutor, Any]
) -> None:
    await register(app, "u1")
    codes = await race_in_processes(race_pool, db_url, "daily", "u1")
    await check_daily_race(app, config, codes)


@pytest.mark.slow
async def test_summon_race_between_processes(
    app: FayeApp, db_url: str, config: GameConfig, race_pool: tuple[ProcessPoolExecutor, Any]
) -> None:
    await budget_for_pulls(app, "u1", AFFORDABLE)
    owned_before = await count_rows(app, UserEsprit, UserEsprit.owner_id == "u1")
    codes = await race_in_processes(race_pool, db_url, "summon", "u1")
    await check_summon_race(app, config, codes, owned_before)
