"""Runs in spawned OS processes for the first-start race: wait at the barrier with every other process, then
open the game on the shared database (creating it if it is empty) and report "ok" or what went wrong.

Free of pytest, so each process imports little more than faye.
"""

from __future__ import annotations

import asyncio
from typing import Any

from faye.app import FayeApp
from faye.config import load_config
from faye.errors import FayeError
from faye.settings import Settings

BARRIER_TIMEOUT_S = 120.0
_barrier: Any = None


def init(barrier: Any) -> None:
    """Process-pool initializer: the barrier is inherited at process start (it cannot be pickled later)."""
    global _barrier
    _barrier = barrier


def first_start(database_url: str) -> str:
    """The outcome: "ok", a FayeError's code, or the type and first line of anything else (a bug)."""
    return asyncio.run(_first_start(database_url))


async def _first_start(database_url: str) -> str:
    settings = Settings(database_url=database_url)
    config = load_config(settings.config_dir)  # the slow part of opening, done before the race starts
    _barrier.wait(BARRIER_TIMEOUT_S)
    try:
        async with FayeApp.open(settings, config=config) as app:
            await app.leaderboard.top("level")
    except FayeError as exc:
        return exc.code
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return "ok"
