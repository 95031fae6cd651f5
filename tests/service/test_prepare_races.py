"""Races around the schema and the roster, on SQLite and PostgreSQL.

- 25 processes starting the game at once on an empty database: the Esprit-definition sync used to run after
  the advisory-locked migration, outside its lock, and the losers of the race failed on a duplicate key.
- `admin reset-db` racing a registration: the reset deleted the Esprit definitions while the registration's new
  Esprit pointed at one (a foreign-key violation). Now the registration either happens before the reset (and is
  deleted) or after it (and survives), never an error.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest
from sqlalchemy import Connection, text

from faye import db
from faye.app import FayeApp
from faye.config import GameConfig
from faye.models import EspritData, User
from faye.services.admin import CONSOLE
from tests.conftest import AppFactory, assert_conserved, count_rows, open_app, register
from tests.service import start_worker

STARTERS = 25
RESET_TRIALS = 20
RACE_GUARD_S = 300  # only so that a hang fails the run; never a timing assertion


async def test_a_first_start_writes_the_definitions_under_the_migration_lock(
    db_url: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The property the 25-process race depends on, checked directly: the sync writes holding the advisory lock
    (on SQLite, inside the migration's BEGIN IMMEDIATE), so no other starter can read an empty table meanwhile."""
    if backend != "postgres":
        pytest.skip("the advisory lock is PostgreSQL's")
    held: list[int] = []
    original = db.sync_esprit_rows

    def checked(connection: Connection, config: GameConfig) -> int:
        held.append(
            connection.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            ).scalar_one()
        )
        return original(connection, config)

    monkeypatch.setattr(db, "sync_esprit_rows", checked)
    async with open_app(db_url) as game:
        assert await count_rows(game, EspritData) == len(game.config.esprits)
    assert held == [1]


@pytest.mark.slow
async def test_first_start_from_many_processes_at_once(db_url: str, config: GameConfig) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(STARTERS)
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(STARTERS, mp_context=context, initializer=start_worker.init, initargs=(barrier,)) as pool:
        calls = [loop.run_in_executor(pool, start_worker.first_start, db_url) for _ in range(STARTERS)]
        outcomes = Counter(await asyncio.wait_for(asyncio.gather(*calls), RACE_GUARD_S))
    assert outcomes == {"ok": STARTERS}
    async with open_app(db_url) as game:
        assert await count_rows(game, EspritData) == len(config.esprits)
        await register(game, "u1")  # and the game works on what they made
        await assert_conserved(game)


async def test_reset_racing_registrations_never_fails(app: FayeApp, app_factory: AppFactory) -> None:
    resetter = await app_factory()
    joiner = await app_factory()
    await register(app, "old")
    kept = deleted = 0
    for trial in range(RESET_TRIALS):
        user_id = f"new{trial:02d}"
        reset, joined = await asyncio.wait_for(
            asyncio.gather(
                resetter.admin.reset(CONSOLE),
                joiner.onboarding.register(user_id, user_id, policy_accepted=True),
                return_exceptions=True,
            ),
            RACE_GUARD_S,
        )
        assert not isinstance(reset, BaseException), repr(reset)
        assert not isinstance(joined, BaseException), repr(joined)
        if await count_rows(app, User, User.user_id == user_id):  # registered after the reset: whole
            kept += 1
            profile = await app.economy.profile(user_id)
            assert profile.active_esprit is not None
            assert profile.faylen == app.config.settings.starting.faylen
        else:  # registered before it, and deleted with everyone else
            deleted += 1
        assert await count_rows(app, User) <= 1
        await assert_conserved(app)
        assert (await app.admin.audit(CONSOLE)).consistent
    assert kept + deleted == RESET_TRIALS
