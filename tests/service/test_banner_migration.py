"""Migrations 0006 and 0007 from the trading release: every player's pity counters become the standard group's
(nothing built up towards pity is lost), every other row stays as it was, the game summons on the result from
those counters, and the database goes back down to 0005 with the counters intact."""

from __future__ import annotations

from sqlalchemy import select, text

from faye.db import Database
from faye.models import PULLS
from faye.schema import HEAD
from tests.conftest import ADMIN_ID, assert_conserved, open_app
from tests.service.test_progression_migration import TABLES, bigint_release_with_rows, migrate, read_rows

TRADES = "0005_trades"
COUNTERS = {("old1", "Epic"): 7, ("old1", "Legendary"): 63, ("old2", "Legendary"): 88}


async def trades_release_with_counters(db_url: str) -> None:
    """The rows of the earlier migration tests at 0005, with pity counters part-way to pity."""
    await bigint_release_with_rows(db_url)
    database = Database(db_url)
    try:
        await database.upgrade(TRADES)
        async with database.engine.begin() as conn:
            await conn.execute(text("DELETE FROM pitycounter"))
            await conn.execute(
                text("INSERT INTO pitycounter (user_id, tier, pulls_since) VALUES (:u, :t, :n)"),
                [{"u": user, "t": tier, "n": value} for (user, tier), value in COUNTERS.items()],
            )
    finally:
        await database.dispose()


def counters(rows: list[dict[str, object]]) -> dict[tuple[object, object], object]:
    return {(r["user_id"], r["tier"]): r["pulls_since"] for r in rows}


async def test_upgrade_keeps_every_counter_as_the_standard_groups(db_url: str) -> None:
    await trades_release_with_counters(db_url)
    before = await read_rows(db_url)
    assert counters(before["pitycounter"]) == COUNTERS
    assert await migrate(db_url, "up", HEAD) == HEAD
    after = await read_rows(db_url, (*TABLES, "pull", "battler"))
    for table in TABLES:
        if table != "pitycounter":
            assert after[table] == before[table], table
    migrated = after["pitycounter"]
    assert counters(migrated) == counters(before["pitycounter"])
    assert {r["pity_group"] for r in migrated} == {"standard"}
    assert not any(r["guaranteed"] for r in migrated)
    assert after["pull"] == []
    assert after["battler"] == []


async def test_the_game_summons_from_the_migrated_counters(db_url: str) -> None:
    await trades_release_with_counters(db_url)
    await migrate(db_url, "up", HEAD)
    async with open_app(db_url) as app:
        await app.admin.grant(ADMIN_ID, "old2", "gems", app.config.settings.summon.single_cost)
        result = await app.summons.summon("old2", 1)
        async with app.context.db.read() as session:
            pity_before = (await session.execute(select(PULLS.c.pity_before))).scalar_one()
        assert pity_before["Legendary"] == COUNTERS[("old2", "Legendary")]
        assert result.pity["Legendary"] in (0, COUNTERS[("old2", "Legendary")] + 1)
        await assert_conserved(app, escrowed=1)  # the open listing of the earlier release


async def test_downgrade_to_trades_keeps_the_standard_counters(db_url: str) -> None:
    await trades_release_with_counters(db_url)
    before = await read_rows(db_url)
    await migrate(db_url, "up", HEAD)
    assert await migrate(db_url, "down", TRADES) == TRADES
    assert await read_rows(db_url) == before
