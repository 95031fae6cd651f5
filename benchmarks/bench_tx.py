"""The 10-pull transaction through SummonService.summon against the same writes done raw, in one run.

SQLite (temp file, WAL, synchronous=NORMAL) against the sqlite3 module, and PostgreSQL (--pg URL or
FAYE_TEST_POSTGRES_URL) against asyncpg. The raw version does what the service must, in one transaction: the
conditional UPDATE ... RETURNING of the balance (which locks the player), the ledger row, the pity rows read with
the last pull number and written back, ten Esprit rows (RETURNING their ids), their ten pull records and ten
history events, the XP update RETURNING the balance and the active Esprit, and the active Esprit's share of the
XP. Prints ops/s and the ratio service/raw. Nothing is asserted.

    python benchmarks/bench_tx.py [--seconds 2] [--pg postgresql+asyncpg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from faye.app import FayeApp
from faye.settings import Settings

PLAYER = "bench"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def prepare(url: str) -> tuple[str, int, int, list[str], list[tuple[str, int]]]:
    """Create the schema and one rich player through FayeApp; returns what the raw version needs."""
    async with FayeApp.open(Settings(database_url=url, seed=1)) as app:
        await app.onboarding.register(PLAYER, "Bench", policy_accepted=True)
        summon = app.config.settings.summon
        esprits = [(e.esprit_id, e.stats.hp) for e in app.config.esprits_by_id.values()]
        return summon.currency.value, summon.cost(10), summon.xp_per_pull * 10, list(app.config.tier_names), esprits


async def enrich(url: str, currency: str) -> None:
    async with FayeApp.open(Settings(database_url=url, seed=1)) as app, app.context.db.write() as session:
        from sqlalchemy import text

        await session.execute(text(f'UPDATE "user" SET {currency} = 10000000000 WHERE user_id = :u'), {"u": PLAYER})


async def rate(run: Callable[[], Awaitable[object]], seconds: float) -> float:
    await run()  # warm
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        await run()
        count += 1
    return count / (time.perf_counter() - start)


async def service_rate(url: str, seconds: float) -> float:
    async with FayeApp.open(Settings(database_url=url, seed=1)) as app:
        return await rate(lambda: app.summons.summon(PLAYER, 10), seconds)


def sqlite_raw(
    path: Path, currency: str, cost: int, xp: int, tiers: list[str], esprits: list[tuple[str, int]]
) -> tuple[Callable[[], Awaitable[None]], sqlite3.Connection]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    now = NOW.replace(tzinfo=None).isoformat(sep=" ")
    pulled = [esprits[i % len(esprits)] for i in range(10)]

    async def once() -> None:
        conn.execute("BEGIN IMMEDIATE")
        (balance,) = conn.execute(
            f'UPDATE "user" SET {currency} = {currency} - ? WHERE user_id = ? AND {currency} >= ? RETURNING {currency}',
            (cost, PLAYER, cost),
        ).fetchone()
        conn.execute(
            "INSERT INTO ledgerentry (user_id, currency, delta, balance_after, reason, reference, created_at)"
            " VALUES (?, ?, ?, ?, 'summon', '10-pull', ?)",
            (PLAYER, currency, -cost, balance, now),
        )
        rows = conn.execute(
            "SELECT last.n, tier, pulls_since, guaranteed FROM (SELECT max(n) AS n FROM pull WHERE user_id = ?) AS last"
            " LEFT JOIN pitycounter ON pitycounter.user_id = ? AND pity_group = 'standard'",
            (PLAYER, PLAYER),
        ).fetchall()
        last = rows[0][0] or 0
        conn.executemany(
            "UPDATE pitycounter SET pulls_since = ?, guaranteed = 0 WHERE user_id = ? AND pity_group = 'standard'"
            " AND tier = ?",
            [(3, PLAYER, t) for t in tiers],
        )
        values = ",".join("(?, ?, ?, 1, 0, 0, 0, ?)" for _ in pulled)
        params = [p for eid, hp in pulled for p in (PLAYER, eid, hp, now)]
        ids = conn.execute(
            "INSERT INTO useresprit (owner_id, esprit_data_id, current_hp, current_level, current_xp, ascension,"
            f" locked, acquired_at) VALUES {values} RETURNING id",
            params,
        ).fetchall()
        conn.executemany(
            "INSERT INTO pull (user_id, n, banner_id, pity_group, tier, esprit_data_id, esprit_id, featured,"
            " pity_before, guaranteed_before, at) VALUES (?, ?, 'standard', 'standard', ?, ?, ?, 0, ?, '[]', ?)",
            [
                (PLAYER, last + n, tiers[0], eid, pk, json.dumps({t: 3 for t in tiers}), now)
                for n, ((pk,), (eid, _)) in enumerate(zip(ids, pulled, strict=True), start=1)
            ],
        )
        conn.executemany(
            "INSERT INTO espritevent (esprit_id, kind, owner_id, detail, at) VALUES (?, 'created', ?, ?, ?)",
            [
                (pk, PLAYER, json.dumps({"source": "summon", "species": eid, "pull": n, "of": 10}), now)
                for n, ((pk,), (eid, _)) in enumerate(zip(ids, pulled, strict=True), start=1)
            ],
        )
        row = conn.execute(
            'UPDATE "user" SET xp = xp + ? WHERE user_id = ?'
            " RETURNING user_id, username, faylen, virelite, gems, level, xp, active_esprit_id",
            (xp, PLAYER),
        ).fetchone()
        conn.execute(
            "SELECT useresprit.id, owner_id, current_level, current_xp, ascension, name, rarity, base_hp"
            " FROM useresprit JOIN espritdata ON espritdata.esprit_id = useresprit.esprit_data_id"
            " WHERE useresprit.id = ?",
            (row[-1],),
        ).fetchone()
        conn.execute(
            "UPDATE useresprit SET current_level = current_level, current_xp = current_xp + 1 WHERE id = ?", (row[-1],)
        )
        conn.execute("COMMIT")

    return once, conn


async def pg_raw(
    url: str, currency: str, cost: int, xp: int, tiers: list[str], esprits: list[tuple[str, int]]
) -> tuple[Callable[[], Awaitable[None]], Any]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    pulled = [esprits[i % len(esprits)] for i in range(10)]
    values = ",".join(f"(${4 * i + 1}, ${4 * i + 2}, ${4 * i + 3}, 1, 0, 0, false, ${4 * i + 4})" for i in range(10))
    params = [p for eid, hp in pulled for p in (PLAYER, eid, hp, NOW)]

    async def once() -> None:
        async with conn.transaction():
            balance = await conn.fetchval(
                f'UPDATE "user" SET {currency} = {currency} - $1 WHERE user_id = $2 AND {currency} >= $1'
                f" RETURNING {currency}",
                cost,
                PLAYER,
            )
            await conn.execute(
                "INSERT INTO ledgerentry (user_id, currency, delta, balance_after, reason, reference, created_at)"
                " VALUES ($1, $2, $3, $4, 'summon', '10-pull', $5)",
                PLAYER,
                currency,
                -cost,
                balance,
                NOW,
            )
            rows = await conn.fetch(
                "SELECT last.n, tier, pulls_since, guaranteed FROM (SELECT max(n) AS n FROM pull WHERE user_id = $1)"
                " AS last LEFT JOIN pitycounter ON pitycounter.user_id = $1 AND pity_group = 'standard'",
                PLAYER,
            )
            last = rows[0][0] or 0
            await conn.executemany(
                "UPDATE pitycounter SET pulls_since = $1, guaranteed = false WHERE user_id = $2"
                " AND pity_group = 'standard' AND tier = $3",
                [(3, PLAYER, t) for t in tiers],
            )
            ids = await conn.fetch(
                "INSERT INTO useresprit (owner_id, esprit_data_id, current_hp, current_level, current_xp, ascension,"
                f" locked, acquired_at) VALUES {values} RETURNING id",
                *params,
            )
            await conn.executemany(
                "INSERT INTO pull (user_id, n, banner_id, pity_group, tier, esprit_data_id, esprit_id, featured,"
                " pity_before, guaranteed_before, at)"
                " VALUES ($1, $2, 'standard', 'standard', $3, $4, $5, false, $6, '[]', $7)",
                [
                    (PLAYER, last + n, tiers[0], eid, row["id"], json.dumps({t: 3 for t in tiers}), NOW)
                    for n, (row, (eid, _)) in enumerate(zip(ids, pulled, strict=True), start=1)
                ],
            )
            await conn.executemany(
                "INSERT INTO espritevent (esprit_id, kind, owner_id, detail, at) VALUES ($1, 'created', $2, $3, $4)",
                [
                    (row["id"], PLAYER, json.dumps({"source": "summon", "species": eid, "pull": n, "of": 10}), NOW)
                    for n, (row, (eid, _)) in enumerate(zip(ids, pulled, strict=True), start=1)
                ],
            )
            player = await conn.fetchrow(
                'UPDATE "user" SET xp = xp + $1 WHERE user_id = $2'
                " RETURNING user_id, username, faylen, virelite, gems, level, xp, active_esprit_id",
                xp,
                PLAYER,
            )
            active = player["active_esprit_id"]
            await conn.fetchrow(
                "SELECT useresprit.id, owner_id, current_level, current_xp, ascension, name, rarity, base_hp"
                " FROM useresprit JOIN espritdata ON espritdata.esprit_id = useresprit.esprit_data_id"
                " WHERE useresprit.id = $1",
                active,
            )
            await conn.execute("UPDATE useresprit SET current_xp = current_xp + 1 WHERE id = $1", active)

    return once, conn


def report(name: str, service: float, raw: float) -> None:
    print(f"{name:<11} service {service:8.0f} ops/s   raw {raw:8.0f} ops/s   ratio {service / raw:.3f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="duration of each measurement")
    parser.add_argument("--pg", default=os.environ.get("FAYE_TEST_POSTGRES_URL"), help="PostgreSQL URL")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        currency, cost, xp, tiers, esprits = await prepare(url)
        await enrich(url, currency)
        service = await service_rate(url, args.seconds)
        once, conn = sqlite_raw(path, currency, cost, xp, tiers, esprits)
        raw = await rate(once, args.seconds)
        conn.close()
        report("SQLite", service, raw)

    if not args.pg:
        print("PostgreSQL skipped: pass --pg URL or set FAYE_TEST_POSTGRES_URL")
        return
    import asyncpg

    base = args.pg.replace("postgresql+asyncpg://", "postgresql://")
    name = f"bench_tx_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(base)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = args.pg.rsplit("/", 1)[0] + f"/{name}"
        currency, cost, xp, tiers, esprits = await prepare(url)
        await enrich(url, currency)
        service = await service_rate(url, args.seconds)
        once, pg = await pg_raw(url, currency, cost, xp, tiers, esprits)
        raw = await rate(once, args.seconds)
        await pg.close()
        report("PostgreSQL", service, raw)
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
