"""Engine from URL, SQLite pragmas, transaction helpers, schema creation and the static-data sync.

Write transactions on SQLite open with BEGIN IMMEDIATE, so two writers never both read a balance before either
writes it; on PostgreSQL the services take row locks (`SELECT ... FOR UPDATE`) or use conditional updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, event, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from faye import models, schema
from faye.config import EspritDef, GameConfig
from faye.errors import DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_S = 30
_WRITE = "faye_write"
_PREPARE_LOCK_KEY = zlib.crc32(b"faye.prepare")
T = TypeVar("T")


def normalize_url(value: str) -> str:
    """A file path or a URL -> an async SQLAlchemy URL (aiosqlite or asyncpg)."""
    if "://" not in value:
        return f"sqlite+aiosqlite:///{Path(value).expanduser().resolve()}"
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"not a database URL: {value!r} ({exc})") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise DatabaseUnavailable(
        f"unsupported database {backend!r} in {safe_url(value)}; expected sqlite+aiosqlite:// or "
        "postgresql+asyncpg:// (or a file path for SQLite)"
    )


def safe_url(value: str | URL) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(value).render_as_string(hide_password=True)
    except ArgumentError:
        return str(value)


def _install_sqlite_hooks(engine: AsyncEngine, *, foreign_keys: bool = True) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the sqlite3 driver's hands (its legacy mode breaks isolation); we emit our own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _require_directory(path: str | None) -> None:
    """Refuse a SQLite file in a missing folder up front, with a clear message (the driver only says 'unable to
    open database file', from a worker thread that can outlive the event loop)."""
    if path and path != ":memory:" and not path.startswith("file:"):
        folder = Path(path).parent
        if not folder.is_dir():
            raise DatabaseUnavailable(f"cannot create the SQLite database {path}: the folder {folder} does not exist")


class Database:
    """One engine and the two kinds of transaction the services use: `read()` and `write()`."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        backend = make_url(self.url).get_backend_name()
        self.dialect = "postgresql" if backend.startswith("postgres") else "sqlite"
        if self.dialect == "sqlite":
            _require_directory(make_url(self.url).database)
        self._connect_args: dict[str, Any] = {"timeout": SQLITE_BUSY_TIMEOUT_S} if self.dialect == "sqlite" else {}
        self.engine = create_async_engine(self.url, connect_args=self._connect_args)
        if self.dialect == "sqlite":
            _install_sqlite_hooks(self.engine)
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        self._local_writers: contextlib.AbstractAsyncContextManager[Any] = (
            asyncio.Lock() if self.dialect == "sqlite" else contextlib.nullcontext()
        )

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only transaction (a consistent snapshot on both backends)."""
        async with AsyncSession(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back whole if it raises.

        On SQLite, writers of this process queue on an asyncio lock before BEGIN IMMEDIATE: SQLite admits one
        writer at a time anyway, and waiting in line is far quicker than its busy handler's sleep-and-retry
        (benchmarks/bench_load.py, 8 clients: p99 fell from about 1 s to about 0.1 s). Other processes still meet the
        busy timeout, as before.
        """
        async with (
            self._local_writers,
            AsyncSession(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    async def prepare(self, config: GameConfig) -> None:
        """Bring an empty database to the current schema (or refuse an outdated one), then sync EspritData."""
        await self._migrate(schema.ensure_current)
        async with self._translate_errors(), self.write() as session:
            await sync_esprit_data(session, config)

    async def upgrade(self, target: str = "head") -> schema.SchemaState:
        """Migrate to the newest schema (`faye db upgrade`) or to `target`; returns the state before."""
        return await self._migrate(lambda connection: schema.upgrade(connection, target))

    async def downgrade(self, target: str) -> None:
        await self._migrate(lambda connection: schema.downgrade(connection, target))

    async def schema_state(self) -> schema.SchemaState:
        async with self._translate_errors(), self.engine.connect() as conn:
            return await conn.run_sync(schema.inspect_schema)

    async def _migrate(self, step: Callable[[Connection], T]) -> T:
        """Run a schema step in one write transaction, serialised across processes.

        SQLite gets its own connection with foreign keys off: batch migrations rebuild tables, and with keys on
        a rebuild would cascade (ON DELETE SET NULL) into the rows that point at the old table.
        """
        engine = create_async_engine(self.url, connect_args=self._connect_args, poolclass=NullPool)
        if self.dialect == "sqlite":
            _install_sqlite_hooks(engine, foreign_keys=False)
        try:
            async with self._translate_errors(), engine.execution_options(**{_WRITE: True}).begin() as conn:
                if self.dialect == "postgresql":
                    await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PREPARE_LOCK_KEY})
                result = await conn.run_sync(step)
                if self.dialect == "sqlite":
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise DatabaseUnavailable(f"the schema change broke {len(broken)} foreign keys: {broken[:5]}")
            return result
        finally:
            await engine.dispose()

    @asynccontextmanager
    async def _translate_errors(self) -> AsyncIterator[None]:
        try:
            yield
        except (OperationalError, InterfaceError, OSError) as exc:
            raise DatabaseUnavailable(f"cannot open the database at {safe_url(self.url)}: {_reason(exc)}") from None
        except DBAPIError as exc:
            raise DatabaseUnavailable(f"database error at {safe_url(self.url)}: {_reason(exc)}") from None

    async def dispose(self) -> None:
        await self.engine.dispose()


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def esprit_row(definition: EspritDef) -> models.EspritData:
    stats = definition.stats
    return models.EspritData(
        esprit_id=definition.esprit_id,
        name=definition.name,
        description=definition.description,
        rarity=definition.rarity,
        element=definition.element,
        role=definition.role,
        base_hp=stats.hp,
        base_attack=stats.attack,
        base_defense=stats.defense,
        base_speed=stats.speed,
        base_magic=stats.magic,
        base_magic_resist=stats.magic_resist,
        base_crit_rate=stats.crit_rate,
        base_dodge=stats.dodge,
    )


async def sync_esprit_data(session: AsyncSession, config: GameConfig) -> int:
    """Insert new and update changed Esprit definitions; never touch player data. Returns rows written.

    Esprits removed from the config stay in the table: players may still own them.
    """
    existing = {row.esprit_id: row for row in (await session.execute(select(models.EspritData))).scalars()}
    written = 0
    for definition in config.esprits:
        wanted = esprit_row(definition)
        row = existing.get(definition.esprit_id)
        if row is None:
            session.add(wanted)
            written += 1
            continue
        changed = {k: v for k, v in wanted.model_dump().items() if getattr(row, k) != v}
        for key, value in changed.items():
            setattr(row, key, value)
        written += bool(changed)
    await session.flush()
    return written
