"""Runs in spawned OS processes: open an own FayeApp, wait at the barrier with every other process, make one
auction call, and report the error code or "ok". Free of pytest so each process imports little beyond faye."""

from __future__ import annotations

import asyncio
from typing import Any

from faye.app import FayeApp
from faye.errors import FayeError
from faye.settings import Settings

BARRIER_TIMEOUT_S = 120.0
_barrier: Any = None


def init(barrier: Any) -> None:
    global _barrier
    _barrier = barrier


def act(database_url: str, action: str, user_id: str, target: int) -> str:
    return asyncio.run(_act(database_url, action, user_id, target))


async def _act(database_url: str, action: str, user_id: str, target: int) -> str:
    async with FayeApp.open(Settings(database_url=database_url)) as app:
        await app.economy.profile(user_id)  # warm a pooled connection: the race is about the write only
        _barrier.wait(BARRIER_TIMEOUT_S)
        try:
            if action == "buy":
                await app.auction.buy(user_id, target)
            elif action == "cancel":
                await app.auction.cancel(user_id, target)
            elif action == "list":
                await app.auction.create_listing(user_id, target, 100)
            else:
                raise ValueError(f"unknown action {action!r}")
        except FayeError as exc:
            return exc.code
    return "ok"
