"""Runs in spawned OS processes for the battle races: open an own FayeApp on the test database (at the test's
instant, with its own seed), wait at the barrier with every other process, fight one battle, and report how it
went — "first_clear", "replay", "lost", "won", "draw" — or the error code.

Kept free of pytest and test helpers so that each process imports little more than faye.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from faye.app import FayeApp
from faye.errors import FayeError
from faye.results import BattleReport
from faye.settings import Settings

BARRIER_TIMEOUT_S = 120.0
_barrier: Any = None


def init(barrier: Any) -> None:
    """Process-pool initializer: the barrier is inherited at process start (it cannot be pickled later)."""
    global _barrier
    _barrier = barrier


def act(database_url: str, now: datetime, seed: int, action: str, user_id: str, target: str) -> str:
    """One battle at the instant `now` (the daily limits count on its day) with the RNG seeded `seed`."""
    return asyncio.run(_act(Settings(database_url=database_url, now=now, seed=seed), action, user_id, target))


def _outcome(report: BattleReport) -> str:
    if report.kind == "duel":
        return {"attacker": "won", "defender": "lost", "draw": "draw"}[report.winner]
    if report.winner != "attacker":
        return "lost"
    assert report.rewards is not None
    return "first_clear" if report.rewards.first_clear else "replay"


async def _act(settings: Settings, action: str, user_id: str, target: str) -> str:
    async with FayeApp.open(settings) as app:
        await app.battles.standing(user_id)  # a warm pooled connection: the race is about the write only
        _barrier.wait(BARRIER_TIMEOUT_S)
        try:
            if action == "trial":  # `target` is the stage
                report = await app.battles.trial(user_id, int(target))
            elif action == "duel":  # `target` is the opponent
                report = await app.battles.duel(user_id, target)
            else:
                raise ValueError(f"unknown action {action!r}")
        except FayeError as exc:
            return exc.code
    return _outcome(report)
