"""Mixed-workload load test: daily, 10-pull, browse, list and buy from 1, 8 and 32 concurrent clients.

SQLite runs the clients as asyncio tasks in one process (its deployment: one bot process, one file);
PostgreSQL spreads them over several OS processes (its deployment: several bot processes, one server).
Prints operations per second and p50/p99 latency per scenario, and the refusals the game gave (cooldowns,
insufficient funds, listings sold a moment earlier). Any other error is printed and counted: there should be
none. Nothing is asserted.

    python benchmarks/bench_load.py [--seconds 4] [--postgres postgresql+asyncpg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from faye.app import FayeApp
from faye.errors import FayeError
from faye.services.admin import CONSOLE
from faye.settings import Settings

PLAYERS = 64
MIX = (("daily", 10), ("summon10", 20), ("browse", 40), ("list", 15), ("buy", 15))
CLIENTS = (1, 8, 32)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.refusals += other.refusals
        self.errors += other.errors


async def operation(app: FayeApp, rng: random.Random, user: str) -> None:
    kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    if kind == "daily":
        await app.economy.daily(user)
    elif kind == "summon10":
        await app.summons.summon(user, 10)
    elif kind == "browse":
        await app.auction.browse(sort=rng.choice(["newest", "price", "rarity"]))
    elif kind == "list":
        items = (await app.collection.inventory(user, sort="newest")).items
        if items:
            await app.auction.create_listing(user, rng.choice(items).id, rng.randint(10, 400))
    else:
        listings = [li for li in (await app.auction.browse()).items if li.seller_id != user]
        if listings:
            await app.auction.buy(user, rng.choice(listings).id)


async def client(app: FayeApp, seed: int, deadline: float, tally: Tally) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        user = f"p{rng.randrange(PLAYERS):02d}"
        start = time.perf_counter()
        try:
            await operation(app, rng, user)
        except FayeError as refusal:
            tally.refusals[refusal.code] += 1
        except Exception as exc:  # the point of a load test: anything here is a bug to report
            tally.errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
        tally.latencies.append(time.perf_counter() - start)


async def run_clients(url: str, clients: int, seconds: float, seed: int) -> Tally:
    tally = Tally()
    async with FayeApp.open(Settings(database_url=url, seed=seed)) as app:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(client(app, seed * 1000 + i, deadline, tally) for i in range(clients)))
    return tally


def process_main(url: str, clients: int, seconds: float, seed: int) -> Tally:
    return asyncio.run(run_clients(url, clients, seconds, seed))


async def setup(url: str) -> None:
    async with FayeApp.open(Settings(database_url=url, seed=1)) as app:
        for i in range(PLAYERS):
            user = f"p{i:02d}"
            await app.onboarding.register(user, user, policy_accepted=True)
            await app.admin.grant(CONSOLE, user, "gems", 5_000_000)
            await app.admin.grant(CONSOLE, user, "faylen", 5_000_000)


def scenario(url: str, clients: int, processes: int, seconds: float) -> tuple[Tally, float]:
    started = time.perf_counter()
    if processes == 1:
        tally = asyncio.run(run_clients(url, clients, seconds, seed=clients))
    else:
        context = multiprocessing.get_context("spawn")
        shares = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
        with context.Pool(processes) as pool:
            parts = pool.starmap(process_main, [(url, n, seconds, clients * 10 + i) for i, n in enumerate(shares) if n])
        tally = Tally()
        for part in parts:
            tally.merge(part)
    return tally, time.perf_counter() - started


def report(label: str, tally: Tally, elapsed: float, seconds: float) -> None:
    ops = len(tally.latencies)
    lat = sorted(tally.latencies)
    p50 = statistics.median(lat) * 1000 if lat else 0.0
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0.0
    refused = sum(tally.refusals.values())
    print(
        f"{label:<30}{ops / seconds:>9.0f}{p50:>10.1f}{p99:>10.1f}{ops:>8}{refused:>9}{sum(tally.errors.values()):>8}"
    )
    for error, count in tally.errors.items():
        print(f"    ERROR x{count}: {error}")


async def create_pg_database(base: str) -> str:
    import asyncpg
    from sqlalchemy.engine import make_url

    name = f"faye_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(make_url(base).set(drivername="postgresql").render_as_string(hide_password=False))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return make_url(base).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)


async def drop_pg_database(base: str, url: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    conn = await asyncpg.connect(make_url(base).set(drivername="postgresql").render_as_string(hide_password=False))
    await conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="duration of each scenario")
    parser.add_argument("--postgres", default=os.environ.get("FAYE_TEST_POSTGRES_URL"), help="server URL")
    args = parser.parse_args()
    print(f"{'scenario':<30}{'ops/s':>9}{'p50 ms':>10}{'p99 ms':>10}{'ops':>8}{'refused':>9}{'errors':>8}")
    refusals: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for clients in CLIENTS:
            url = str(Path(tmp) / f"load-{clients}.db")
            asyncio.run(setup(url))
            tally, elapsed = scenario(url, clients, 1, args.seconds)
            report(f"SQLite  {clients:>2} clients, 1 process", tally, elapsed, args.seconds)
            refusals += tally.refusals
    if args.postgres:
        for clients in CLIENTS:
            processes = min(clients, 4)
            url = asyncio.run(create_pg_database(args.postgres))
            try:
                asyncio.run(setup(url))
                tally, elapsed = scenario(url, clients, processes, args.seconds)
                report(f"Postgres {clients:>2} clients, {processes} proc", tally, elapsed, args.seconds)
                refusals += tally.refusals
            finally:
                asyncio.run(drop_pg_database(args.postgres, url))
    else:
        print("PostgreSQL skipped: pass --postgres URL or set FAYE_TEST_POSTGRES_URL")
    print("refusals (the game saying no, as designed):", dict(refusals.most_common()))


if __name__ == "__main__":
    main()
