"""Read commands never write: on a read-only SQLite file (`?mode=ro`) and a read-only PostgreSQL database
(`default_transaction_read_only`), every command that only reads works, and one that must write fails with a
clear database_unavailable, never a traceback. Expired listings go home in the writers' transactions instead.

Opening the game used to run the expiry sweep and the Esprit-definition sync in write transactions, so even
`faye balance` exited 3 on a read-only database.
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cli.main import app as cli_app
from faye.clock import FixedClock
from faye.db import Database
from faye.errors import DatabaseUnavailable
from faye.services.admin import CONSOLE
from tests.conftest import PG_ENV, START, open_app, register

LATER = START + timedelta(hours=3)
READ_COMMANDS = [
    ("balance", "--user", "sel"),
    ("inventory", "--user", "sel"),
    ("leaderboard",),
    ("auction", "browse"),
    ("auction", "history", "--user", "sel"),
    ("admin", "audit"),
    ("db", "current"),
]


async def seed_game(db_url: str) -> int:
    """Two players, one listing that expires after an hour (unswept at LATER); returns the listing id."""
    async with open_app(db_url, FixedClock(START)) as game:
        esprit = (await register(game, "sel")).starter.id
        await register(game, "buy")
        return (await game.auction.create_listing("sel", esprit, 100, hours=1)).listing.id


async def read_only(backend: str, db_url: str) -> str:
    """The URL of the same database, now refusing every write."""
    url = make_url(db_url)
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///file:{url.database}?mode=ro&uri=true"
    database = Database(db_url)
    try:
        async with database.engine.begin() as conn:  # from the next session on, every transaction is read-only
            await conn.execute(text(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'))
    finally:
        await database.dispose()
    return db_url


async def faye(url: str, *args: str) -> Result:
    """`faye ARGS` in a thread (the command runs its own event loop), on `url`, at LATER."""
    env = {"FAYE_DATABASE_URL": url, "FAYE_NOW": LATER.isoformat(), "FAYE_SEED": "7"}
    runner = CliRunner()
    return await asyncio.to_thread(runner.invoke, cli_app, list(args), env=env, catch_exceptions=False)


async def test_read_commands_work_on_a_read_only_database(
    db_url: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [k for k in os.environ if k.startswith("FAYE_") and k != PG_ENV]:
        monkeypatch.delenv(key)  # only this test's settings reach the commands
    await seed_game(db_url)
    url = await read_only(backend, db_url)
    for command in READ_COMMANDS:
        result = await faye(url, *command)
        assert result.exit_code == 0, (command, result.output)
        assert "Traceback" not in result.output
    browse = await faye(url, "auction", "browse", "--json")
    assert json.loads(browse.stdout)["total"] == 0, "an expired listing is not for sale, swept or not"

    daily = await faye(url, "daily", "--user", "sel", "--json")
    assert daily.exit_code == 2, daily.output
    error = json.loads(daily.stdout)["error"]
    assert error["code"] == "database_unavailable"
    assert "read-only" in error["message"]
    assert "Traceback" not in daily.output


async def test_a_read_only_database_refuses_writes_as_unavailable(db_url: str, backend: str) -> None:
    await seed_game(db_url)
    url = await read_only(backend, db_url)
    async with open_app(url, FixedClock(LATER)) as game:
        assert (await game.admin.audit(CONSOLE)).consistent
        assert (await game.auction.browse()).total == 0
        with pytest.raises(DatabaseUnavailable, match="read-only"):
            await game.economy.daily("sel")
        with pytest.raises(DatabaseUnavailable, match="read-only"):
            await game.auction.expire()


async def test_sqlite_in_a_folder_nobody_can_write_is_opened_immutable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without write access to the folder SQLite cannot create the `-shm` file that reading a WAL database
    needs (as root the test cannot take that access away, so `os.access` answers as for another user)."""
    path = tmp_path / "game.db"
    await seed_game(str(path))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
    database = Database(str(path))
    try:
        assert "immutable=1" in database.url
        assert "mode=ro" in database.url
    finally:
        await database.dispose()
    async with open_app(str(path), FixedClock(LATER)) as game:
        assert (await game.economy.profile("sel")).username == "Sel"
        with pytest.raises(DatabaseUnavailable, match="read-only"):
            await game.economy.daily("sel")


# --- the sweep runs in the writers' transactions ---------------------------------------------------------


async def test_cancelling_an_expired_listing_returns_the_esprit_and_sweeps_the_rest(db_url: str) -> None:
    clock = FixedClock(START)
    async with open_app(db_url, clock) as game:
        await register(game, "sel")
        pulled = (await game.summons.summon("sel", 1)).esprits[0].id
        starter = (await game.collection.inventory("sel", sort="newest")).items[1].id
        first = (await game.auction.create_listing("sel", starter, 100, hours=1)).listing.id
        second = (await game.auction.create_listing("sel", pulled, 100, hours=1)).listing.id
        clock.advance(timedelta(hours=2))
        cancelled = await game.auction.cancel("sel", first)
        assert cancelled.listing.status == "cancelled"
        owned = {item.id for item in (await game.collection.inventory("sel")).items}
        assert owned == {starter, pulled}, "the other expired listing went home in the same transaction"
        assert await game.auction.expire() == []
        report = await game.admin.audit(CONSOLE)
        assert report.consistent, report.problems
        assert second not in {li.id for li in (await game.auction.history("sel")).open}


async def test_a_purchase_sweeps_both_players_expired_listings(db_url: str) -> None:
    clock = FixedClock(START)
    async with open_app(db_url, clock) as game:
        sold = (await register(game, "sel")).starter.id
        kept = (await game.summons.summon("sel", 1)).esprits[0].id
        own = (await register(game, "buy")).starter.id
        stale_seller = (await game.auction.create_listing("sel", kept, 100, hours=1)).listing.id
        stale_buyer = (await game.auction.create_listing("buy", own, 100, hours=1)).listing.id
        fresh = (await game.auction.create_listing("sel", sold, 100, hours=48)).listing.id
        clock.advance(timedelta(hours=2))
        await game.auction.buy("buy", fresh)
        assert {item.id for item in (await game.collection.inventory("sel")).items} == {kept}
        assert {item.id for item in (await game.collection.inventory("buy")).items} == {own, sold}
        assert await game.auction.expire() == []
        assert {stale_seller, stale_buyer}.isdisjoint(li.id for li in (await game.auction.browse()).items)
        assert (await game.admin.audit(CONSOLE)).consistent
