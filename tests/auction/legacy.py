"""A database as the foundation release left it, for the migration tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from faye.db import Database
from faye.schema import BASELINE

CREATED = datetime(2025, 12, 1, 8, tzinfo=UTC)


async def baseline_with_players(db_url: str) -> None:
    """A database as the foundation release left it: two players, their Esprits, ledgers and pity."""
    database = Database(db_url)
    try:
        await database.upgrade(BASELINE)
        async with database.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO espritdata VALUES ('ember_fox_kit', 'Ember Fox Kit', 'lore', 'Common', 'Flame', "
                    "'Striker', 120, 34, 22, 41, 18, 20, 0.05, 0.04)"
                )
            )
            for user_id, faylen in (("old1", 1500), ("old2", 900)):
                await conn.execute(
                    text(
                        'INSERT INTO "user" (user_id, username, faylen, virelite, gems, level, xp, daily_streak, '
                        "policy_accepted_at, created_at) VALUES (:u, :u, :f, 5, 1600, 2, 130, 3, :t, :t)"
                    ),
                    {"u": user_id, "f": faylen, "t": CREATED},
                )
                esprit = (
                    await conn.execute(
                        text(
                            "INSERT INTO useresprit (owner_id, esprit_data_id, current_hp, current_level, current_xp, "
                            "acquired_at) VALUES (:u, 'ember_fox_kit', 100, 4, 7, :t) RETURNING id"
                        ),
                        {"u": user_id, "t": CREATED},
                    )
                ).scalar_one()
                await conn.execute(
                    text('UPDATE "user" SET active_esprit_id = :e WHERE user_id = :u'), {"e": esprit, "u": user_id}
                )
                for currency, amount in (("faylen", faylen), ("virelite", 5), ("gems", 1600)):
                    await conn.execute(
                        text(
                            "INSERT INTO ledgerentry (user_id, currency, delta, balance_after, reason, created_at) "
                            "VALUES (:u, :c, :a, :a, 'starting_grant', :t)"
                        ),
                        {"u": user_id, "c": currency, "a": amount, "t": CREATED},
                    )
                await conn.execute(
                    text("INSERT INTO pitycounter (user_id, tier, pulls_since) VALUES (:u, 'Legendary', 42)"),
                    {"u": user_id},
                )
    finally:
        await database.dispose()
