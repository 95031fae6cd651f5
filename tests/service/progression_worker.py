"""Runs in spawned OS processes for the progression (and privacy) races: open an own FayeApp on the test database,
wait at the barrier with every other process, make one call, and report the error code or "ok".

Kept free of pytest and test helpers so that each process imports little more than faye.
"""

from __future__ import annotations

import asyncio
from typing import Any

from faye.app import FayeApp
from faye.errors import FayeError
from faye.services.progression import ReleaseSelection
from faye.settings import Settings

BARRIER_TIMEOUT_S = 120.0
_barrier: Any = None


def init(barrier: Any) -> None:
    """Process-pool initializer: the barrier is inherited at process start (it cannot be pickled later)."""
    global _barrier
    _barrier = barrier


def act(database_url: str, action: str, user_id: str, target: int, using: tuple[int, ...] = ()) -> str:
    return asyncio.run(_act(database_url, action, user_id, target, using))


async def _act(database_url: str, action: str, user_id: str, target: int, using: tuple[int, ...]) -> str:
    async with FayeApp.open(Settings(database_url=database_url)) as app:
        await app.economy.profile(user_id)  # a warm pooled connection: the race is about the write only
        _barrier.wait(BARRIER_TIMEOUT_S)
        try:
            if action == "release":
                await app.progression.release(user_id, ReleaseSelection(ids=(target,)))
            elif action == "list":
                await app.auction.create_listing(user_id, target, 100)
            elif action == "ascend":
                await app.progression.ascend(user_id, target, using=list(using))
            elif action == "train":  # `target` is the Esprit, `using` holds the faylen to spend
                await app.progression.train(user_id, target, faylen=using[0])
            elif action == "summon":  # `target` is how many
                await app.summons.summon(user_id, target)
            elif action == "buy":  # `target` is the listing
                await app.auction.buy(user_id, target)
            elif action == "forget":  # the player asks for their own data to be deleted
                await app.privacy.forget(user_id, user_id)
            else:
                raise ValueError(f"unknown action {action!r}")
        except FayeError as exc:
            return exc.code
    return "ok"
