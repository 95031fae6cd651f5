"""The database layer under the services: URLs, SQLite pragmas, schema creation, unreachable databases."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from faye.app import FayeApp
from faye.config import GameConfig
from faye.db import Database, normalize_url
from faye.errors import DatabaseUnavailable
from faye.models import EspritData
from tests.conftest import PG_ENV, PG_SKIP_REASON, count_rows, open_app


async def test_prepare_seeds_every_esprit(app: FayeApp, config: GameConfig) -> None:
    assert await count_rows(app, EspritData) == len(config.esprits)


async def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    async with open_app(f"sqlite+aiosqlite:///{tmp_path / 'pragmas.db'}") as app, app.context.db.read() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar_one() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
        assert (await session.execute(text("PRAGMA busy_timeout"))).scalar_one() > 0


async def test_opening_twice_is_harmless(app: FayeApp, db_url: str, config: GameConfig) -> None:
    async with open_app(db_url) as again:
        assert await count_rows(again, EspritData) == len(config.esprits)


def test_file_path_becomes_an_aiosqlite_url(tmp_path: Path) -> None:
    url = normalize_url(str(tmp_path / "game.db"))
    assert url == f"sqlite+aiosqlite:///{tmp_path / 'game.db'}"
    assert normalize_url("sqlite:///x.db").startswith("sqlite+aiosqlite:///")
    assert normalize_url("postgresql://u:secret@h/db") == "postgresql+asyncpg://u:secret@h/db"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url ://"])
def test_unsupported_url(url: str) -> None:
    with pytest.raises(DatabaseUnavailable):
        Database(url)


async def test_missing_postgres_database(config: GameConfig) -> None:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_SKIP_REASON)
    missing = make_url(base).set(drivername="postgresql+asyncpg", database=f"faye_t_missing_{uuid.uuid4().hex}")
    database = Database(missing.render_as_string(hide_password=False))
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            await database.prepare(config)
        assert "faye_t_missing_" in caught.value.message
    finally:
        await database.dispose()
