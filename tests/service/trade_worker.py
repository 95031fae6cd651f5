"""Runs in spawned OS processes: open an own FayeApp at a fixed instant, wait at the barrier with every other
process, make one trade-related call, and report the error code or "ok". Free of pytest."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from faye.app import FayeApp
from faye.errors import FayeError
from faye.services.progression import ReleaseSelection
from faye.services.trades import Offer
from faye.settings import Settings

BARRIER_TIMEOUT_S = 120.0
_barrier: Any = None


def init(barrier: Any) -> None:
    global _barrier
    _barrier = barrier


def act(database_url: str, now: str, action: str, user_id: str, target: int, other: str = "") -> str:
    return asyncio.run(_act(database_url, datetime.fromisoformat(now), action, user_id, target, other))


async def _act(database_url: str, now: datetime, action: str, user_id: str, target: int, other: str) -> str:
    async with FayeApp.open(Settings(database_url=database_url, now=now)) as app:
        await app.economy.profile(user_id)  # warm a pooled connection: the race is about the write only
        _barrier.wait(BARRIER_TIMEOUT_S)
        try:
            if action == "confirm":
                await app.trades.confirm(user_id, target)
            elif action == "offer":
                await app.trades.offer(user_id, other, Offer(esprits=(target,)), Offer())
            elif action == "list":
                await app.auction.create_listing(user_id, target, 100)
            elif action == "release":
                await app.progression.release(user_id, ReleaseSelection(ids=(target,)))
            elif action == "active":
                await app.collection.set_active(user_id, target)
            elif action == "ascend":
                await app.progression.ascend(user_id, target)
            elif action == "summon":
                await app.summons.summon(user_id, 1)
            elif action == "train":
                await app.progression.train(user_id, target, faylen=1)
            else:
                raise ValueError(f"unknown action {action!r}")
        except FayeError as exc:
            return exc.code
    return "ok"
