"""`faye db restore`: a backup goes back over the live SQLite database through the backup API, older schemas are
upgraded on the way in, and whatever is not a Faye backup from this Faye or an older one is refused untouched."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from faye.app import FayeApp
from faye.backup import backup
from faye.db import Database
from faye.errors import InvalidArgument, SchemaTooNew
from faye.restore import restore
from faye.schema import HEAD
from faye.services.admin import CONSOLE
from tests.conftest import assert_conserved, open_app, register
from tests.service.test_banner_migration import trades_release_with_counters

SQLITE = pytest.mark.parametrize("backend", ["sqlite"])


async def revision_of(path: Path) -> str | None:
    database = Database(str(path))
    try:
        return (await database.schema_state()).current
    finally:
        await database.dispose()


@SQLITE
async def test_a_preview_changes_nothing_and_a_restore_brings_the_backup_back(app: FayeApp, tmp_path: Path) -> None:
    await register(app, "ana")
    saved = tmp_path / "saved.db"
    await backup(app.context.db, saved)
    await register(app, "ben")
    await app.admin.grant(CONSOLE, "ana", "gems", 500)
    preview = await restore(app.context.db, saved, apply=False)
    assert not preview.applied
    assert preview.audit is None
    assert preview.upgrade_from is None
    assert preview.current is not None
    assert preview.incoming is not None
    assert (preview.current.revision, preview.incoming.revision) == (HEAD, HEAD)
    assert (preview.current.counts["user"], preview.incoming.counts["user"]) == (2, 1)
    assert (await app.economy.profile("ben")).user_id == "ben", "the preview replaced nothing"
    done = await restore(app.context.db, saved, apply=True)
    assert done.applied
    assert done.audit is not None
    assert done.audit.problems == []
    assert done.audit.players == 1
    # The app kept its connections open through the restore, and reads the restored database on them.
    assert (await app.admin.audit(CONSOLE)).players == 1
    assert (await app.economy.profile("ana")).gems == app.config.settings.starting.gems
    await assert_conserved(app)
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".faye-restore.")], "the staging copy is gone"


@SQLITE
async def test_an_older_backup_is_upgraded_on_the_way_in(app: FayeApp, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    await trades_release_with_counters(f"sqlite+aiosqlite:///{old}")
    preview = await restore(app.context.db, old, apply=False)
    assert preview.upgrade_from == "0005_trades"
    assert await revision_of(old) == "0005_trades", "the file itself is not touched"
    done = await restore(app.context.db, old, apply=True)
    assert done.applied
    assert done.upgrade_from == "0005_trades"
    assert (await app.context.db.schema_state()).current == HEAD
    assert preview.incoming is not None
    assert done.audit is not None
    assert done.audit.players == preview.incoming.counts["user"] > 0
    await assert_conserved(app, escrowed=1)  # the open listing of that release


@SQLITE
async def test_a_file_that_is_not_a_faye_database_is_refused(app: FayeApp, tmp_path: Path) -> None:
    await register(app, "ana")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, just bytes" * 100)
    with pytest.raises(InvalidArgument, match="not a SQLite database") as refused:
        await restore(app.context.db, junk, apply=True)
    assert refused.value.details["field"] == "file"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(InvalidArgument, match="not a Faye one"):
        await restore(app.context.db, other, apply=True)
    with pytest.raises(InvalidArgument, match="does not exist"):
        await restore(app.context.db, tmp_path / "missing.db", apply=True)
    assert (await app.economy.profile("ana")).user_id == "ana"


@SQLITE
async def test_a_backup_from_a_newer_faye_is_refused(app: FayeApp, tmp_path: Path) -> None:
    await register(app, "ana")
    newer = tmp_path / "newer.db"
    await backup(app.context.db, newer)
    async with open_app(str(newer)) as copy, copy.context.db.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaTooNew, match="9999_future"):
        await restore(app.context.db, newer, apply=True)
    assert (await app.context.db.schema_state()).current == HEAD


@SQLITE
async def test_the_live_database_is_not_its_own_backup(app: FayeApp, db_url: str) -> None:
    live = Path(db_url.removeprefix("sqlite+aiosqlite:///"))
    with pytest.raises(InvalidArgument, match="live database itself"):
        await restore(app.context.db, live, apply=True)


async def test_postgresql_gets_the_pg_restore_command_without_the_password(tmp_path: Path) -> None:
    database = Database("postgresql+asyncpg://faye:s3cret@db.example:5433/game")
    try:
        dump = await restore(database, tmp_path / "game.dump", apply=True)
        plain = await restore(database, tmp_path / "game.sql", apply=True)
    finally:
        await database.dispose()
    dsn = "postgresql://faye@db.example:5433/game"
    assert (dump.method, plain.method) == ("pg_restore", "psql")
    assert dump.command == (
        f"pg_restore --clean --if-exists --single-transaction --no-owner --dbname {dsn} {tmp_path / 'game.dump'}"
    )
    assert plain.command == f"psql --single-transaction --set ON_ERROR_STOP=1 --file {tmp_path / 'game.sql'} {dsn}"
    assert not dump.applied
    assert "s3cret" not in str(dump)
