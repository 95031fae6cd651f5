"""Runs in spawned OS processes for the rate-limit race: take one player's limit several times at one instant."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import RateLimited
from faye.settings import Settings

BARRIER_TIMEOUT_S = 120.0
_barrier: Any = None


def init(barrier: Any) -> None:
    global _barrier
    _barrier = barrier


def take(database_url: str, times: int) -> int:
    """How many of `times` takes of the `*` limit (5 a minute) got through."""
    return asyncio.run(_take(database_url, times))


async def _take(database_url: str, times: int) -> int:
    clock = FixedClock(datetime(2026, 6, 1, tzinfo=UTC))
    async with FayeApp.open(Settings(database_url=database_url, rate_limits="*=5/60"), clock=clock) as app:
        _barrier.wait(BARRIER_TIMEOUT_S)
        taken = 0
        for _ in range(times):
            try:
                await app.limits.take("ana", "*")
            except RateLimited:
                continue
            taken += 1
    return taken
