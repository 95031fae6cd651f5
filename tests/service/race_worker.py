"""Runs in spawned OS processes for the race tests: open an own FayeApp on the test database, wait at the
barrier with every other process, make one call, report the error code or "ok".

Kept free of pytest and test helpers so that each process imports little more than faye.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from typing import Any

from faye.app import FayeApp
from faye.errors import FayeError
from faye.settings import Settings

BARRIER_TIMEOUT_S = 120.0
_barrier: Any = None


def init(barrier: Any) -> None:
    """Process-pool initializer: the barrier is inherited at process start (it cannot be pickled later)."""
    global _barrier
    _barrier = barrier


def race(database_url: str, now: str, action: str, user_id: str) -> tuple[str, int]:
    """The error code (or "ok") and the id of the process that made the call."""
    return asyncio.run(_race(database_url, datetime.fromisoformat(now), action, user_id)), os.getpid()


async def _race(database_url: str, now: datetime, action: str, user_id: str) -> str:
    async with FayeApp.open(Settings(database_url=database_url, now=now)) as app:
        await app.economy.profile(user_id)  # a warm pooled connection: the race is about the write only
        _barrier.wait(BARRIER_TIMEOUT_S)
        try:
            if action == "daily":
                await app.economy.daily(user_id)
            elif action == "summon":
                await app.summons.summon(user_id, 1)
            else:
                raise ValueError(f"unknown action {action!r}")
        except FayeError as exc:
            return exc.code
    return "ok"
