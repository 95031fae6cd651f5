"""A database this Faye does not understand is refused and left untouched, on SQLite and PostgreSQL: a revision
written by a newer Faye (SchemaTooNew, naming it and saying this Faye is older), or a version table with two
rows (every revision named). Neither starting the game nor upgrading nor downgrading touches it.

Before, an unknown revision read as "outdated, upgrade it" and the upgrade then crashed; two rows crashed every
command.
"""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app as cli_app
from faye.db import Database
from faye.errors import DatabaseUnavailable, FayeError, SchemaTooNew
from faye.schema import BASELINE, head_revision
from tests.conftest import PG_ENV, open_app, register

FUTURE = "9999_future"


async def versions(db_url: str) -> list[str]:
    database = Database(db_url)
    try:
        async with database.engine.connect() as conn:
            rows = await conn.execute(text("SELECT version_num FROM alembic_version ORDER BY version_num"))
            return [str(row[0]) for row in rows]
    finally:
        await database.dispose()


async def set_versions(db_url: str, *revisions: str) -> None:
    database = Database(db_url)
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text("DELETE FROM alembic_version"))
            for revision in revisions:
                await conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
    finally:
        await database.dispose()


async def refusals(db_url: str) -> list[FayeError]:
    """What starting the game, reading the revision, upgrading and downgrading each raise."""
    database = Database(db_url)
    caught: list[FayeError] = []
    try:
        for attempt in (database.schema_state, database.upgrade, lambda: database.downgrade(BASELINE)):
            with pytest.raises(FayeError) as error:
                await attempt()
            caught.append(error.value)
    finally:
        await database.dispose()
    with pytest.raises(FayeError) as error:
        async with open_app(db_url):
            pass
    caught.append(error.value)
    return caught


async def test_a_newer_faye_s_database_is_refused_and_untouched(db_url: str) -> None:
    async with open_app(db_url) as game:
        await register(game, "u1")
    await set_versions(db_url, FUTURE)
    for error in await refusals(db_url):
        assert isinstance(error, SchemaTooNew), error
        assert FUTURE in error.message
        assert "older" in error.message
        assert "faye db" not in error.message, "service messages name no front-end"
        assert error.details["current"] == FUTURE
        assert error.details["head"] == head_revision()
    assert await versions(db_url) == [FUTURE]


async def test_two_known_revisions_are_refused_naming_both(db_url: str) -> None:
    async with open_app(db_url):
        pass
    await set_versions(db_url, BASELINE, head_revision())
    for error in await refusals(db_url):
        assert isinstance(error, DatabaseUnavailable), error
        assert BASELINE in error.message
        assert head_revision() in error.message
    assert await versions(db_url) == sorted([BASELINE, head_revision()])


async def test_two_revisions_one_unknown_are_too_new(db_url: str) -> None:
    async with open_app(db_url):
        pass
    await set_versions(db_url, head_revision(), FUTURE)
    for error in await refusals(db_url):
        assert isinstance(error, SchemaTooNew), error
        assert FUTURE in error.message
        assert head_revision() in error.message
    assert await versions(db_url) == sorted([head_revision(), FUTURE])


async def test_the_cli_refuses_a_newer_database_with_exit_2(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in os.environ if k.startswith("FAYE_") and k != PG_ENV]:
        monkeypatch.delenv(key)
    async with open_app(db_url) as game:
        await register(game, "u1")
    await set_versions(db_url, FUTURE)
    runner = CliRunner()
    for command in (["db", "upgrade", "--json"], ["balance", "--user", "u1", "--json"]):
        result = await asyncio.to_thread(
            runner.invoke, cli_app, command, env={"FAYE_DATABASE_URL": db_url}, catch_exceptions=False
        )
        assert result.exit_code == 2, (command, result.output)
        assert json.loads(result.stdout)["error"]["code"] == "schema_too_new"
    assert await versions(db_url) == [FUTURE]
