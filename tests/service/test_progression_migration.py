"""Migration 0004: a database of the bigint-ids release — players, Esprits, an open and a sold listing — reaches
progression with every row kept, every Esprit at rank 0 and unlocked, and the history each Esprit would have had;
the game works on it afterwards, and it goes back down to 0003 when nothing new was written."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from faye.db import Database
from faye.services.admin import CONSOLE
from faye.services.progression import ReleaseSelection
from tests.conftest import assert_conserved, open_app
from tests.service.test_bigint_ids import BIGINT_IDS, auction_release_with_rows

PROGRESSION = "0004_progression"
TABLES = ('"user"', "useresprit", "auctionlisting", "ledgerentry", "pitycounter", "espritdata")
SPECIES = "ember_fox_kit"


async def bigint_release_with_rows(db_url: str) -> dict[str, int]:
    """The rows of test_bigint_ids at 0003, the sold Esprit now the buyer's (old1's, not active), as after a real
    sale. Returns the ids: the open and the sold listing, the escrowed and the sold Esprit."""
    await auction_release_with_rows(db_url)
    database = Database(db_url)
    try:
        await database.upgrade(BIGINT_IDS)
        async with database.engine.begin() as conn:
            rows = (await conn.execute(text("SELECT id, esprit_id, status FROM auctionlisting"))).all()
            ids = {f"{status}_listing": int(lid) for lid, _, status in rows}
            ids |= {f"{status}_esprit": int(eid) for _, eid, status in rows}
            await conn.execute(text("UPDATE \"user\" SET active_esprit_id = NULL WHERE user_id = 'old2'"))
            await conn.execute(text("UPDATE useresprit SET owner_id = 'old1' WHERE id = :e"), {"e": ids["sold_esprit"]})
    finally:
        await database.dispose()
    return ids


async def read_rows(db_url: str, tables: tuple[str, ...] = TABLES) -> dict[str, list[dict[str, Any]]]:
    """Every row of `tables` by column name (its own engine: statements prepared before a schema change go stale)."""
    database = Database(db_url)
    try:
        async with database.engine.connect() as conn:
            return {
                table: [dict(row._mapping) for row in (await conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")))]
                for table in tables
            }
    finally:
        await database.dispose()


async def migrate(db_url: str, step: str, target: str) -> str | None:
    """Upgrade or downgrade to `target`; the revision the database is at afterwards."""
    database = Database(db_url)
    try:
        await (database.upgrade(target) if step == "up" else database.downgrade(target))
        return (await database.schema_state()).current
    finally:
        await database.dispose()


async def events(db_url: str) -> list[tuple[int, str, str | None, dict[str, Any], Any]]:
    rows = (await read_rows(db_url, ("espritevent",)))["espritevent"]
    return [
        (
            row["esprit_id"],
            row["kind"],
            row["owner_id"],
            json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"],
            row["at"],
        )
        for row in rows
    ]


async def test_upgrade_keeps_every_row_and_gives_every_esprit_its_history(db_url: str) -> None:
    ids = await bigint_release_with_rows(db_url)
    before = await read_rows(db_url)
    assert await migrate(db_url, "up", PROGRESSION) == PROGRESSION
    after = await read_rows(db_url)

    for table in TABLES:
        assert len(after[table]) == len(before[table]), table
        for old, new in zip(before[table], after[table], strict=True):
            assert {column: new[column] for column in old} == old, table
    assert len(before["useresprit"]) == 3
    assert len(before["auctionlisting"]) == 2
    assert [(e["ascension"], bool(e["locked"])) for e in after["useresprit"]] == [(0, False)] * 3

    listings = {row["id"]: row for row in before["auctionlisting"]}
    expected = [
        (
            esprit["id"],
            "created",
            esprit["owner_id"] or "old2",
            {"source": "before_history", "species": SPECIES},
            esprit["acquired_at"],
        )
        for esprit in before["useresprit"]
    ] + [
        (
            ids["open_esprit"],
            "escrowed",
            None,
            {"listing_id": ids["open_listing"]},
            listings[ids["open_listing"]]["created_at"],
        )
    ]
    assert await events(db_url) == expected


async def test_the_game_works_on_the_migrated_esprits(db_url: str) -> None:
    ids = await bigint_release_with_rows(db_url)
    await migrate(db_url, "up", PROGRESSION)
    await migrate(db_url, "up", "head")  # the game opens only on the newest schema
    async with open_app(db_url) as app:
        report = await app.admin.audit(CONSOLE)
        assert report.problems == []
        assert (report.esprits, report.open_listings) == (3, 1)
        await assert_conserved(app, escrowed=1)

        sold = ids["sold_esprit"]
        detail = await app.collection.esprit("old1", sold)
        assert (detail.ascension, detail.locked) == (0, False)
        release = await app.progression.release("old1", ReleaseSelection(ids=(sold,)))
        assert release.ids == [sold]
        assert [e.kind for e in (await app.progression.history("old1", sold)).events] == ["created", "released"]
        await app.auction.cancel("old2", ids["open_listing"])  # the backfilled escrow ends as any other
        assert [e.kind for e in (await app.progression.history("old2", ids["open_esprit"])).events] == [
            "created",
            "escrowed",
            "returned",
        ]
        report = await app.admin.audit(CONSOLE)
        assert report.problems == []
        await assert_conserved(app)
    listings = (await read_rows(db_url, ("auctionlisting",)))["auctionlisting"]
    assert [(row["id"], row["esprit_id"], row["status"]) for row in listings if row["status"] == "sold"] == [
        (ids["sold_listing"], sold, "sold")
    ]  # the listing a released Esprit was sold through stays on record


async def test_downgrade_to_bigint_ids_without_new_data(db_url: str) -> None:
    await bigint_release_with_rows(db_url)
    before = await read_rows(db_url)
    await migrate(db_url, "up", "head")
    assert await migrate(db_url, "down", BIGINT_IDS) == BIGINT_IDS
    assert await read_rows(db_url) == before
    database = Database(db_url)
    try:
        async with database.engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
    finally:
        await database.dispose()
    assert "espritevent" not in tables
    assert await migrate(db_url, "up", "head") != BIGINT_IDS  # and up again
