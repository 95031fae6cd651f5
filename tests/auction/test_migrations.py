"""Alembic: an old database reaches the new schema with every player's data; an outdated one is refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from faye.app import FayeApp
from faye.db import Database
from faye.errors import SchemaOutdated
from faye.schema import BASELINE, head_revision
from faye.services.admin import CONSOLE
from faye.settings import Settings
from tests.auction.legacy import baseline_with_players
from tests.conftest import open_app


async def test_baseline_database_migrates_without_losing_anything(db_url: str) -> None:
    await baseline_with_players(db_url)
    database = Database(db_url)
    try:
        before = await database.upgrade()
        state = await database.schema_state()
    finally:
        await database.dispose()
    assert before.current == BASELINE
    assert state.up_to_date
    async with open_app(db_url) as app:
        for user_id, faylen in (("old1", 1500), ("old2", 900)):
            profile = await app.economy.profile(user_id)
            assert (profile.faylen, profile.gems, profile.level, profile.xp, profile.daily_streak) == (
                faylen,
                1600,
                2,
                130,
                3,
            )
            assert profile.active_esprit is not None  # the table rebuild did not cascade into the users
            assert (profile.active_esprit.level, profile.active_esprit.hp) == (4, 100)
        assert (await app.admin.audit(CONSOLE)).consistent
        # The new feature works on the migrated data.
        esprit = (await app.economy.profile("old1")).active_esprit
        assert esprit is not None
        listing = (await app.auction.create_listing("old1", esprit.id, 100)).listing
        await app.auction.buy("old2", listing.id)
        assert (await app.admin.audit(CONSOLE)).consistent


async def test_outdated_database_is_refused_with_the_command_to_run(db_url: str) -> None:
    await baseline_with_players(db_url)
    with pytest.raises(SchemaOutdated, match="needs an upgrade"):
        async with FayeApp.open(Settings(database_url=db_url)):
            pass


async def test_database_from_before_migrations_is_adopted(db_url: str) -> None:
    await baseline_with_players(db_url)
    database = Database(db_url)
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text("DROP TABLE alembic_version"))
        legacy = await database.schema_state()
        assert (legacy.current, legacy.legacy) == (BASELINE, True)
        await database.upgrade()
        assert (await database.schema_state()).up_to_date
    finally:
        await database.dispose()
    async with open_app(db_url) as app:
        assert (await app.economy.profile("old2")).faylen == 900


async def test_models_and_migrations_agree(db_url: str) -> None:
    async with open_app(db_url) as app:

        def diff(connection: Connection) -> list[object]:
            return list(compare_metadata(MigrationContext.configure(connection), SQLModel.metadata))

        async with app.context.db.engine.connect() as conn:
            assert await conn.run_sync(diff) == []


async def test_downgrade_returns_escrowed_esprits(db_url: str) -> None:
    async with open_app(db_url) as app:
        esprit = (await app.onboarding.register("sel", "Sel", policy_accepted=True)).starter.id
        await app.auction.create_listing("sel", esprit, 100)
    database = Database(db_url)
    try:
        await database.downgrade(BASELINE)
        async with database.engine.connect() as conn:
            owner = (await conn.execute(text("SELECT owner_id FROM useresprit WHERE id = :e"), {"e": esprit})).scalar()
        assert owner == "sel"
        await database.upgrade()
        assert (await database.schema_state()).current == head_revision()
    finally:
        await database.dispose()
