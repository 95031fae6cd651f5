"""Per-player rate limits: parsed with a clear error, counted in the database per window, all or nothing, and
shared by two processes."""

from __future__ import annotations

import dataclasses
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

import pytest

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import RateLimited
from faye.limits import RateLimit, parse_limits
from faye.models import RateBucket
from faye.services.limits import LimitService
from faye.settings import Settings
from tests.conftest import count_rows, open_app, register
from tests.service import limits_worker


def test_limits_parse_and_bad_parts_are_named() -> None:
    assert parse_limits("summon=1/1, *=20/60") == {"summon": RateLimit(1, 1), "*": RateLimit(20, 60)}
    assert parse_limits("") == {}
    for bad, says in (
        ("summon=x/1", "ACTION=COUNT/SECONDS"),
        ("daily=1/1", "unknown action 'daily'"),
        ("summon=0/1", "COUNT must be"),
        ("summon=1/1,summon=2/2", "limited twice"),
    ):
        with pytest.raises(ValueError, match=says):
            parse_limits(bad)
    with pytest.raises(ValueError, match="ACTION=COUNT"):
        Settings(rate_limits="summon=1")


def limited(app: FayeApp, **limits: RateLimit) -> LimitService:
    return LimitService(dataclasses.replace(app.context, rate_limits=limits))


async def test_a_window_holds_count_actions_then_refuses_until_it_ends(app: FayeApp, clock: FixedClock) -> None:
    limits = limited(app, summon=RateLimit(2, 10))
    await limits.take("ana", "summon")
    await limits.take("ana", "summon")
    opened = clock.now()
    clock.advance(timedelta(seconds=9))
    with pytest.raises(RateLimited) as refused:
        await limits.take("ana", "summon")
    assert refused.value.details["retry_at"] == opened + timedelta(seconds=10)
    await limits.take("ben", "summon")  # per player
    clock.advance(timedelta(seconds=1))
    await limits.take("ana", "summon")  # a new window


async def test_a_refused_take_counts_nothing(app: FayeApp) -> None:
    limits = limited(app, summon=RateLimit(1, 60), **{"*": RateLimit(5, 60)})
    await limits.take("ana", "*", "summon")
    for _ in range(3):
        with pytest.raises(RateLimited):
            await limits.take("ana", "*", "summon")
    for _ in range(4):  # the refused ones left the command count at 1: four more fit
        await limits.take("ana", "*")
    with pytest.raises(RateLimited, match="too many commands"):
        await limits.take("ana", "*")


async def test_no_limits_write_nothing_and_summons_are_limited_when_configured(db_url: str, clock: FixedClock) -> None:
    async with open_app(db_url, clock) as app:
        await register(app, "ana")
        await app.summons.summon("ana", 1)
        await app.summons.summon("ana", 1)
        assert await count_rows(app, RateBucket) == 0
    settings = Settings(database_url=db_url, rate_limits="summon=1/1")
    async with FayeApp.open(settings, clock=clock) as app:
        await app.summons.summon("ana", 1)
        with pytest.raises(RateLimited):
            await app.summons.summon("ana", 1)
        clock.advance(timedelta(seconds=1))
        await app.summons.summon("ana", 1)
        await app.privacy.forget("ana", "ana")
        assert await count_rows(app, RateBucket) == 0, "forgetting a player deletes their counters"


@pytest.mark.slow
async def test_two_processes_share_one_limit(db_url: str) -> None:
    """Two processes take the same player's limit of 5 at one frozen instant, 4 times each: 5 get through."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    with ProcessPoolExecutor(2, mp_context=context, initializer=limits_worker.init, initargs=(barrier,)) as pool:
        results = [f.result(timeout=300) for f in [pool.submit(limits_worker.take, db_url, 4) for _ in range(2)]]
    assert sum(results) == 5, results


async def test_migration_0009_adds_the_table_and_keeps_every_row(db_url: str, clock: FixedClock) -> None:
    async with open_app(db_url, clock) as app:
        await register(app, "ana")
        await app.summons.summon("ana", 1)
        await app.context.db.downgrade("0008_forget")
        assert (await app.context.db.schema_state()).current == "0008_forget"
        await app.context.db.upgrade()
        assert (await app.context.db.schema_state()).current == "0009_rate_limits"
        assert (await app.economy.profile("ana")).collection_size == 2
        await limited(app, summon=RateLimit(1, 1)).take("ana", "summon")
        assert await count_rows(app, RateBucket) == 1
