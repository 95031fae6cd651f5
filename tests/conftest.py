"""Shared fixtures: the game data, a fresh database per test on SQLite and PostgreSQL, apps, ledger checks.

Service tests take `app` (or `db_url`) and so run once per backend. PostgreSQL runs only when
FAYE_TEST_POSTGRES_URL names a server (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test); each test
gets its own database there, created and dropped around it.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlmodel import col

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.config import Currency, GameConfig, load_config
from faye.models import LedgerEntry, User, UserEsprit
from faye.render.disk import ENV as RENDER_CACHE_ENV
from faye.settings import DEFAULT_CONFIG_DIR, Settings

PG_ENV = "FAYE_TEST_POSTGRES_URL"
PG_SKIP_REASON = "FAYE_TEST_POSTGRES_URL not set: PostgreSQL tests skipped"
START = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
SEED = 1234
ADMIN_ID = "admin-1"
CURRENCIES = tuple(c.value for c in Currency)


# --- databases ------------------------------------------------------------------------------------------


def _pg_admin_dsn(url: str) -> str:
    """The SQLAlchemy URL as a plain libpq DSN for asyncpg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A new, empty database for one test (or one hypothesis example); yields its URL."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / f'faye-{uuid.uuid4().hex}.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_SKIP_REASON)
    name = f"faye_t_{uuid.uuid4().hex}"
    dsn = _pg_admin_dsn(base)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield make_url(base).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    finally:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@pytest.fixture(autouse=True, scope="session")
def render_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One disk cache for the session's renders (subprocesses inherit it), never the developer's ~/.cache."""
    directory = tmp_path_factory.mktemp("render-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(RENDER_CACHE_ENV, str(directory))
        yield directory


@pytest.fixture(autouse=True, scope="session")
def config_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One game-data cache for the session, never the developer's ~/.cache (children that drop FAYE_* keep it
    through XDG_CACHE_HOME)."""
    directory = tmp_path_factory.mktemp("config-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAYE_CACHE_DIR", str(directory))
        patch.setenv("XDG_CACHE_HOME", str(directory))
        yield directory


@pytest.fixture(autouse=True, scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the session's bots announce themselves (faye.reload), never the machine's own run directory, so no
    test signals a real bot (children that drop FAYE_* keep it through XDG_RUNTIME_DIR)."""
    directory = tmp_path_factory.mktemp("run")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAYE_RUN_DIR", str(directory))
        patch.setenv("XDG_RUNTIME_DIR", str(directory.parent / "xdg-run"))
        yield directory


@pytest.fixture(autouse=True)
def crowd_turn(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A PostgreSQL test marked slow or crowd waits for every other such test of the run to finish first.

    One race holds 50 connections (one per process, or ten engines' pools); two at once on two xdist workers
    passed the server's max_connections (100) and failed with "too many clients". The lock file sits in the
    run's shared temporary root, so the workers of one run take turns and other tests go on beside them.
    """
    node = request.node
    crowded = node.get_closest_marker("slow") or node.get_closest_marker("crowd")
    if not (crowded and node.get_closest_marker("postgres")):
        yield
        return
    lock = tmp_path_factory.getbasetemp().parent / "postgres-crowd.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def config() -> GameConfig:
    return load_config(DEFAULT_CONFIG_DIR)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not os.environ.get(PG_ENV):
        pytest.skip(PG_SKIP_REASON)
    return str(request.param)


@pytest.fixture
async def db_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def open_app(
    db_url: str,
    clock: FixedClock | None = None,
    *,
    config: GameConfig | None = None,
    config_dir: Path | None = None,
    seed: int | None = SEED,
) -> AbstractAsyncContextManager[FayeApp]:
    """`async with open_app(url, clock) as app`: a FayeApp with its own engine on an existing database."""
    extra: dict[str, Any] = {} if config_dir is None else {"config_dir": config_dir}
    settings = Settings(database_url=db_url, seed=seed, admin_ids=frozenset({ADMIN_ID}), **extra)
    return FayeApp.open(settings, config=config, clock=clock)


@pytest.fixture
async def app(db_url: str, clock: FixedClock) -> AsyncIterator[FayeApp]:
    async with open_app(db_url, clock) as opened:
        yield opened


AppFactory = Callable[..., Awaitable[FayeApp]]


@pytest.fixture
async def app_factory(db_url: str, clock: FixedClock) -> AsyncIterator[AppFactory]:
    """Opens more FayeApps (each with its own engine and connections) on the test database; closes them after."""
    async with AsyncExitStack() as stack:

        async def factory(**kwargs: Any) -> FayeApp:
            """Keyword arguments as for `open_app` (config, config_dir, seed, clock)."""
            return await stack.enter_async_context(open_app(db_url, kwargs.pop("clock", clock), **kwargs))

        yield factory


# --- helpers the tests import ---------------------------------------------------------------------------


async def register(app: FayeApp, user_id: str, username: str | None = None) -> Any:
    return await app.onboarding.register(user_id, username or user_id.title(), policy_accepted=True)


async def ledger_sums(app: FayeApp) -> dict[tuple[str, str], int]:
    """sum(delta) per (user_id, currency) over the whole ledger."""
    async with app.context.db.read() as session:
        rows = (
            await session.execute(
                select(col(LedgerEntry.user_id), col(LedgerEntry.currency), func.sum(LedgerEntry.delta)).group_by(
                    col(LedgerEntry.user_id), col(LedgerEntry.currency)
                )
            )
        ).all()
    return {(user_id, currency): int(total) for user_id, currency, total in rows}


async def balances(app: FayeApp) -> dict[tuple[str, str], int]:
    """Every player's balance per (user_id, currency), straight from the user table."""
    async with app.context.db.read() as session:
        users = (await session.execute(select(User))).scalars().all()
    return {(u.user_id, c): getattr(u, c) for u in users for c in CURRENCIES}


async def ledger_rows(app: FayeApp, user_id: str | None = None, reason: str | None = None) -> list[LedgerEntry]:
    stmt = select(LedgerEntry).order_by(col(LedgerEntry.id))
    if user_id is not None:
        stmt = stmt.where(col(LedgerEntry.user_id) == user_id)
    if reason is not None:
        stmt = stmt.where(col(LedgerEntry.reason) == reason)
    async with app.context.db.read() as session:
        return list((await session.execute(stmt)).scalars().all())


async def count_rows(app: FayeApp, model: Any, *where: Any) -> int:
    async with app.context.db.read() as session:
        stmt = select(func.count()).select_from(model)
        for clause in where:
            stmt = stmt.where(clause)
        return int((await session.execute(stmt)).scalar_one())


async def user_row(app: FayeApp, user_id: str) -> User | None:
    async with app.context.db.read() as session:
        return await session.get(User, user_id)


async def assert_conserved(app: FayeApp, *, escrowed: int = 0) -> None:
    """No negative balance; each balance equals its ledger sum; each balance_after is the running sum;
    every Esprit has an existing owner (except `escrowed` ones held by an open listing, which have none)."""
    bals = await balances(app)
    sums = await ledger_sums(app)
    negative = {k: v for k, v in bals.items() if v < 0}
    assert not negative, f"negative balances: {negative}"
    assert set(sums) <= set(bals), f"ledger rows for unknown players: {set(sums) - set(bals)}"
    mismatched = {k: (v, sums.get(k, 0)) for k, v in bals.items() if v != sums.get(k, 0)}
    assert not mismatched, f"balance != ledger sum (balance, ledger): {mismatched}"
    running: dict[tuple[str, str], int] = defaultdict(int)
    for row in await ledger_rows(app):
        key = (row.user_id, row.currency)
        running[key] += row.delta
        assert row.balance_after == running[key], f"ledger row {row.id} {key}: balance_after != running sum"
        assert row.balance_after >= 0
    async with app.context.db.read() as session:
        orphans = (
            await session.execute(
                select(func.count())
                .select_from(UserEsprit)
                .outerjoin(User, col(User.user_id) == col(UserEsprit.owner_id))
                .where(col(UserEsprit.owner_id).is_not(None), col(User.user_id).is_(None))
            )
        ).scalar_one()
        ownerless = (
            await session.execute(
                select(func.count()).select_from(UserEsprit).where(col(UserEsprit.owner_id).is_(None))
            )
        ).scalar_one()
    assert orphans == 0, f"{orphans} Esprits owned by a player who does not exist"
    assert ownerless == escrowed, f"{ownerless} Esprits without an owner, expected {escrowed} in escrow"
