"""Migration 0003: ids (and XP) are 64-bit on PostgreSQL, every row kept; ids past 2**31 work on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from faye.db import Database
from faye.errors import InvalidArgument, NotFound
from faye.inputs import ESPRIT_ID
from faye.services.admin import CONSOLE
from tests.auction.legacy import CREATED, baseline_with_players
from tests.conftest import open_app, register

AUCTION = "0002_auction"
BIGINT_IDS = "0003_bigint_ids"
TABLES = ("espritdata", '"user"', "useresprit", "auctionlisting", "ledgerentry", "pitycounter")
WIDE = (
    ("useresprit", "id"),
    ("auctionlisting", "id"),
    ("ledgerentry", "id"),
    ("user", "active_esprit_id"),
    ("auctionlisting", "esprit_id"),
    ("user", "xp"),
)
BEYOND_32_BITS = 2**31 + 5


async def auction_release_with_rows(db_url: str) -> None:
    """A database as the auction release left it: the baseline's players, one open and one sold listing."""
    await baseline_with_players(db_url)
    database = Database(db_url)
    try:
        await database.upgrade(AUCTION)
        async with database.engine.begin() as conn:
            escrowed = (
                await conn.execute(
                    text(
                        "INSERT INTO useresprit (owner_id, esprit_data_id, current_hp, current_level, current_xp, "
                        "acquired_at) VALUES (NULL, 'ember_fox_kit', 120, 1, 0, :t) RETURNING id"
                    ),
                    {"t": CREATED},
                )
            ).scalar_one()
            sold = (await conn.execute(text("SELECT active_esprit_id FROM \"user\" WHERE user_id = 'old2'"))).scalar()
            for esprit, status, buyer in ((escrowed, "open", None), (sold, "sold", "old1")):
                await conn.execute(
                    text(
                        "INSERT INTO auctionlisting (seller_id, esprit_id, price, fee, tax, status, buyer_id, "
                        "created_at, expires_at) VALUES ('old2', :e, 300, 6, 15, :s, :b, :t, :t)"
                    ),
                    {"e": esprit, "s": status, "b": buyer, "t": CREATED},
                )
    finally:
        await database.dispose()


async def snapshot(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (its own engine: statements prepared before a schema change go stale)."""
    database = Database(db_url)
    try:
        async with database.engine.connect() as conn:
            return {
                table: [tuple(row) for row in (await conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))).all()]
                for table in TABLES
            }
    finally:
        await database.dispose()


async def test_migration_keeps_every_row(db_url: str) -> None:
    await auction_release_with_rows(db_url)
    before = await snapshot(db_url)
    database = Database(db_url)
    try:
        await database.upgrade(BIGINT_IDS)
        assert (await database.schema_state()).current == BIGINT_IDS
    finally:
        await database.dispose()
    assert await snapshot(db_url) == before
    assert len(before["auctionlisting"]) == 2
    assert len(before["ledgerentry"]) == 6


async def test_postgres_columns_and_sequences_become_bigint(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite's INTEGER is already 64-bit")
    await auction_release_with_rows(db_url)
    database = Database(db_url)
    try:
        await database.upgrade(BIGINT_IDS)
        async with database.engine.connect() as conn:
            for table, column in WIDE:
                kind = (
                    await conn.execute(
                        text(
                            "SELECT data_type FROM information_schema.columns "
                            "WHERE table_name = :t AND column_name = :c"
                        ),
                        {"t": table, "c": column},
                    )
                ).scalar_one()
                assert (table, column, kind) == (table, column, "bigint")
            sequences = (await conn.execute(text("SELECT sequencename, data_type FROM pg_sequences"))).all()
        assert {name: kind for name, kind in sequences} == {
            "useresprit_id_seq": "bigint",
            "auctionlisting_id_seq": "bigint",
            "ledgerentry_id_seq": "bigint",
        }
    finally:
        await database.dispose()


async def test_ids_beyond_32_bits_work_after_the_migration(db_url: str) -> None:
    await auction_release_with_rows(db_url)
    database = Database(db_url)
    try:
        await database.upgrade(BIGINT_IDS)
        async with database.engine.begin() as conn:
            if database.dialect == "postgresql":  # a restart past 2**31 fails on a 32-bit sequence
                for sequence in ("useresprit_id_seq", "auctionlisting_id_seq", "ledgerentry_id_seq"):
                    await conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART WITH {BEYOND_32_BITS}"))
            else:  # SQLite numbers a new row max(id) + 1
                await conn.execute(
                    text(
                        "INSERT INTO useresprit (id, owner_id, esprit_data_id, current_hp, current_level, current_xp, "
                        "acquired_at) VALUES (:i, 'old1', 'ember_fox_kit', 120, 1, 0, :t)"
                    ),
                    {"i": BEYOND_32_BITS - 1, "t": CREATED},
                )
        await database.upgrade()  # the next migrations keep the rows, and give that Esprit its history
    finally:
        await database.dispose()
    async with open_app(db_url) as app:
        starter = (await register(app, "newbie")).starter.id
        assert starter >= BEYOND_32_BITS
        assert (await app.collection.esprit("newbie", starter)).id == starter
        await app.collection.set_active("newbie", starter)
        listing = (await app.auction.create_listing("newbie", starter, 100)).listing
        assert listing.id >= BEYOND_32_BITS or database.dialect == "sqlite"
        await app.auction.buy("old1", listing.id)
        assert (await app.collection.esprit("old1", starter)).id == starter
        with pytest.raises(NotFound):
            await app.collection.esprit("old1", ESPRIT_ID.max)
        with pytest.raises(InvalidArgument):  # beyond what any front-end can send: refused before the query
            await app.collection.esprit("old1", 2**63)
        assert (await app.admin.audit(CONSOLE)).consistent
