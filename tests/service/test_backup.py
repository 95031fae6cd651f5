"""`faye db backup`: a consistent copy of a live SQLite database, taken while players write, that audits clean."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from faye.app import FayeApp
from faye.backup import backup
from faye.db import Database
from faye.errors import InvalidArgument
from faye.services.admin import CONSOLE
from tests.conftest import assert_conserved, open_app, register

PLAYERS = ("ana", "ben", "cy")


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_backup_under_a_write_load_is_consistent(app: FayeApp, db_url: str, tmp_path: Path) -> None:
    for user in PLAYERS:
        await register(app, user)
        await app.admin.grant(CONSOLE, user, "gems", 200 * app.config.settings.summon.ten_cost)
    done, under_way = asyncio.Event(), asyncio.Event()
    writes = 0

    async def keep_summoning(user: str) -> None:
        nonlocal writes
        while not done.is_set():
            await app.summons.summon(user, 10)
            writes += 1
            if writes >= 3:
                under_way.set()

    writers = [asyncio.create_task(keep_summoning(user)) for user in PLAYERS]
    await under_way.wait()  # the load is under way before the copy starts
    target = tmp_path / "copy.db"
    try:
        made = await backup(app.context.db, target)
        during = writes
    finally:
        done.set()
        await asyncio.gather(*writers)
    assert made.method == "sqlite_backup"
    assert made.bytes == target.stat().st_size > 0
    assert made.audit is not None
    assert made.audit.problems == []
    assert during < writes, "the writers went on while the copy was taken"
    async with open_app(str(target)) as copy:
        await assert_conserved(copy)
        pulled = [(await copy.collection.inventory(user)).total - 1 for user in PLAYERS]
        assert all(n % 10 == 0 for n in pulled), "a 10-pull is in the copy whole or not at all"
        assert sum(pulled) > 0


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_backup_never_overwrites_and_needs_its_folder(app: FayeApp, tmp_path: Path) -> None:
    existing = tmp_path / "there.db"
    existing.write_bytes(b"keep me")
    with pytest.raises(InvalidArgument, match="exists already"):
        await backup(app.context.db, existing)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(InvalidArgument, match="does not exist"):
        await backup(app.context.db, tmp_path / "missing" / "copy.db")


async def test_postgresql_gets_the_pg_dump_command_without_the_password(tmp_path: Path) -> None:
    database = Database("postgresql+asyncpg://faye:s3cret@db.example:5433/game")
    try:
        made = await backup(database, tmp_path / "game.dump")
    finally:
        await database.dispose()
    assert made.method == "pg_dump"
    assert (
        made.command
        == f"pg_dump --format=custom --file {tmp_path / 'game.dump'} postgresql://faye@db.example:5433/game"
    )
    assert not (tmp_path / "game.dump").exists()
