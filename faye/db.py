"""Engine from URL, SQLite pragmas, transaction helpers, schema creation and the static-data sync.

Write transactions on SQLite open with BEGIN IMMEDIATE, so two writers never both read a balance before either
writes it; on PostgreSQL the services take row locks (`SELECT ... FOR UPDATE`) or use conditional updates. The
hot path (a summon) writes through `Database.transact`: one synchronous function on a Core connection, run on
SQLite in one worker thread, on PostgreSQL through the greenlet bridge.

Lock order. Every transaction takes its locks in this one order, so that no two ever wait for each other in a
circle (PostgreSQL; SQLite's BEGIN IMMEDIATE admits one writer at a time and cannot deadlock):

1. the roster: an advisory lock that registration takes shared and the reset takes exclusive, so a reset sees
   every registration begun before it and every later one waits for it (`players.lock_roster`);
2. players, by user id (`players.lock_players`);
3. auction listings, by id; a listing is only ever locked by a transaction that already holds its seller;
4. Esprits, by id.

A foreign-key check is a lock too: writing `useresprit.owner_id`, a ledger row or a listing takes KEY SHARE on the
player it names, so that player must be locked (step 2) before the row is written. This is why the expiry sweep
locks the sellers of the expired listings before it touches a listing: it used to lock the listing first and
then wait for the seller inside the foreign-key check, while a buy or a cancel held the seller and waited for the
listing.

Every PostgreSQL session carries a `lock_timeout` and a `statement_timeout` (LOCK_TIMEOUT_S, STATEMENT_TIMEOUT_S,
or Settings), so a stalled process holding a player's row cannot block that player for ever. A transaction that
loses a deadlock or a serialisation conflict, or gives up on a lock, is run once more (`retried`, on each service
method that writes); failing again, it is DatabaseBusy. So is SQLite's "database is locked" after its busy
timeout. A write refused because the file or the server is read-only is DatabaseUnavailable, saying so.

Reading never writes: `prepare` inspects the database and writes (under the migration's lock) only when the schema
or the Esprit definitions differ from this Faye's, so every command that only reads works on a read-only file.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import os
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from threading import Thread
from typing import Any, Concatenate, ParamSpec, TypeVar, cast
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, insert, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from faye import models, schema
from faye.config import EspritDef, GameConfig
from faye.errors import DatabaseBusy, DatabaseUnavailable, FayeError

SQLITE_BUSY_TIMEOUT_S = 30
SQLITE_WORKER_STOP_S = 5
"""How long a failed SQLite open waits for aiosqlite's worker thread to stop (it takes microseconds)."""
LOCK_TIMEOUT_S = 5.0
"""PostgreSQL: how long a statement waits for a lock (a player's row) before the request fails as busy."""
STATEMENT_TIMEOUT_S = 30.0
"""PostgreSQL: the longest any one statement of a service may run."""
MIGRATION_LOCK_TIMEOUT_S = 60.0
"""Schema changes wait longer for their locks (behind every open transaction) and have no statement timeout."""
_RETRYABLE = {"40001": "serialisation conflict", "40P01": "deadlock", "55P03": "lock timeout"}
_STATEMENT_TIMEOUT = "57014"
_READ_ONLY_TRANSACTION = "25006"
_WRITE = "faye_write"
_PREPARE_LOCK_KEY = zlib.crc32(b"faye.prepare")
T = TypeVar("T")
P = ParamSpec("P")


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
    _install_sqlite_pragmas(engine.sync_engine, foreign_keys=foreign_keys)

    @event.listens_for(engine.sync_engine, "do_connect")
    def _on_do_connect(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["async_creator_fn"] = _open_sqlite


def _install_sqlite_pragmas(engine: Engine, *, foreign_keys: bool = True) -> None:
    """Every SQLite connection, async or not: WAL, foreign keys, the busy timeout, and our own BEGIN."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the sqlite3 driver's hands (its legacy mode breaks isolation); we emit our own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


async def _open_sqlite(*args: Any, **kwargs: Any) -> Any:
    """aiosqlite's connect, waiting for its worker thread when the file cannot be opened.

    On a failed open aiosqlite queues its worker thread's stop without waiting for it; if the event loop closes
    first (`asyncio.run` returning with the error), the thread reports to a closed loop and prints "Event loop
    is closed" tracebacks on stderr, now and then. Joining the thread here, while the loop runs, ends that race.
    """
    import aiosqlite

    connection = aiosqlite.connect(*args, **kwargs)
    worker = cast(Thread, getattr(connection, "_thread", connection))  # before aiosqlite 0.22 it is the thread
    worker.daemon = True  # as SQLAlchemy's own connect does: a stuck query never blocks the interpreter's exit
    try:
        return await connection
    except BaseException:
        worker.join(timeout=SQLITE_WORKER_STOP_S)  # its last job is a no-op stop: microseconds
        raise


def _require_directory(path: str | None) -> None:
    """Refuse a SQLite file in a missing folder up front, with a clear message (the driver only says 'unable to
    open database file', from a worker thread that can outlive the event loop)."""
    if path and path != ":memory:" and not path.startswith("file:"):
        folder = Path(path).parent
        if not folder.is_dir():
            raise DatabaseUnavailable(f"cannot create the SQLite database {path}: the folder {folder} does not exist")


def _readable_sqlite(url: str) -> str:
    """The URL to read a SQLite file with: as given, unless the file sits in a folder this process cannot write
    and has no write-ahead log beside it. SQLite cannot then create the `-shm` index that reading a WAL database
    needs, so the file is opened read-only and immutable: nobody can be writing it (nobody can create its log)."""
    parsed = make_url(url)
    path = parsed.database
    if not path or path == ":memory:" or path.startswith("file:") or parsed.query:
        return url
    file = Path(path)
    if not file.is_file() or os.access(file.parent, os.W_OK) or Path(f"{path}-wal").exists():
        return url
    immutable = parsed.set(database=f"file:{quote(path)}", query={"mode": "ro", "immutable": "1", "uri": "true"})
    return immutable.render_as_string(hide_password=False)


def _server_settings(lock_timeout_s: float, statement_timeout_s: float) -> dict[str, Any]:
    """asyncpg connect arguments: the session's timeouts in milliseconds (0 turns one off)."""
    return {
        "server_settings": {
            "lock_timeout": str(round(lock_timeout_s * 1000)),
            "statement_timeout": str(round(statement_timeout_s * 1000)),
        }
    }


class _Conflict(DatabaseBusy):
    """A deadlock, a serialisation failure or a lock timeout: the same transaction may well succeed run again."""


def retried(method: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, Coroutine[Any, Any, T]]:
    """Run a service method once more when its transaction lost a deadlock or a serialisation conflict, or gave up
    waiting for a lock; a second such failure is DatabaseBusy (nothing changed, the caller may try later).

    The retry is of the whole method, not of the `async with db.write()` block (a `with` body cannot run twice):
    each writing service method is one transaction whose inputs are plain values, so running it again re-reads
    every row and re-checks every rule. Decorate only methods with exactly one write transaction.
    """

    @functools.wraps(method)
    async def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(*args, **kwargs)
        except _Conflict:
            pass  # rolled back whole; once more, outside this handler so a second failure does not chain to it
        try:
            return await method(*args, **kwargs)
        except _Conflict as exc:
            raise DatabaseBusy(exc.message, **exc.details) from None

    return run


def in_session(
    work: Callable[Concatenate[Connection, P], T],
) -> Callable[Concatenate[AsyncSession, P], Coroutine[Any, Any, T]]:
    """The async door to a helper written for `Database.transact` (`ledger.move = in_session(move_sync)`): the
    same function run on the connection of a service's AsyncSession, inside its transaction, so one
    implementation serves `write()` and `transact()` alike."""

    async def run(session: AsyncSession, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await session.run_sync(lambda sync: work(sync.connection(), *args, **kwargs))

    run.__doc__ = f"`{work.__name__}` in the session's transaction."
    return run


def _classify(exc: DBAPIError, where: str) -> FayeError | None:
    """The FayeError a driver error means, or None when it is not the database's state but a bug."""
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    sqlite_error = str(getattr(orig, "sqlite_errorname", "") or "")
    if sqlstate in _RETRYABLE:
        return _Conflict(
            f"the database is busy ({_RETRYABLE[sqlstate]} with another request); nothing changed, try again",
            reason=_RETRYABLE[sqlstate],
        )
    if sqlstate == _STATEMENT_TIMEOUT or sqlite_error.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseBusy(
            "the database is busy (a lock or a statement waited too long); nothing changed, try again",
            reason="timeout",
        )
    if sqlstate == _READ_ONLY_TRANSACTION or sqlite_error.startswith("SQLITE_READONLY"):
        return DatabaseUnavailable(f"the database is read-only: {where} cannot be written", reason="read_only")
    if isinstance(exc, OperationalError | InterfaceError):
        return DatabaseUnavailable(f"cannot use the database at {where}: {_reason(exc)}")
    return None


@dataclass
class Contention:
    """What this process's transactions met, for the metrics (faye.metrics reads it at each scrape)."""

    busy: Counter[str] = field(default_factory=Counter)
    """Conflicts and waits that gave up, by reason ("deadlock", "serialisation conflict", "lock timeout",
    "timeout"), counted each time, also when `retried` then ran the method again and it went through."""
    writes: int = 0
    queued_seconds: float = 0.0
    """The time writers spent in this process's queue for SQLite's one writer (0 on PostgreSQL)."""


class Database:
    """One engine and the kinds of transaction the services use: `read()`, `write()` and the hot path's
    `transact()`.

    `lock_timeout_s` and `statement_timeout_s` bound every PostgreSQL statement (module docstring); None means
    LOCK_TIMEOUT_S and STATEMENT_TIMEOUT_S.
    """

    def __init__(
        self,
        url: str,
        *,
        lock_timeout_s: float | None = None,
        statement_timeout_s: float | None = None,
    ) -> None:
        lock_timeout_s = LOCK_TIMEOUT_S if lock_timeout_s is None else lock_timeout_s
        statement_timeout_s = STATEMENT_TIMEOUT_S if statement_timeout_s is None else statement_timeout_s
        self.url = normalize_url(url)
        backend = make_url(self.url).get_backend_name()
        self.dialect = "postgresql" if backend.startswith("postgres") else "sqlite"
        if self.dialect == "sqlite":
            _require_directory(make_url(self.url).database)
            self.url = _readable_sqlite(self.url)
            self._connect_args: dict[str, Any] = {"timeout": SQLITE_BUSY_TIMEOUT_S}
            self._migrate_args = self._connect_args
        else:
            self._connect_args = _server_settings(lock_timeout_s, statement_timeout_s)
            self._migrate_args = _server_settings(max(lock_timeout_s, MIGRATION_LOCK_TIMEOUT_S), 0)
        self.engine = create_async_engine(self.url, connect_args=self._connect_args)
        if self.dialect == "sqlite":
            _install_sqlite_hooks(self.engine)
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        self._sync_writer: Engine | None = None
        if self.dialect == "sqlite":
            # The same file through the plain sqlite3 driver, for `transact`: its connections move between the
            # default executor's threads (one at a time), hence check_same_thread off.
            sync_url = make_url(self.url).set(drivername="sqlite+pysqlite")
            self._sync_writer = create_engine(
                sync_url, connect_args={**self._connect_args, "check_same_thread": False}
            ).execution_options(**{_WRITE: True})
            _install_sqlite_pragmas(self._sync_writer.engine)
        self._local_writers: contextlib.AbstractAsyncContextManager[Any] = (
            asyncio.Lock() if self.dialect == "sqlite" else contextlib.nullcontext()
        )
        self.contention = Contention()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only transaction (a consistent snapshot on both backends)."""
        async with (
            self._translate_errors(opening=False),
            AsyncSession(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
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
            self._translate_errors(opening=False),
            self._queued(),
            AsyncSession(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    async def transact(self, work: Callable[[Connection], T]) -> T:
        """A write transaction as one synchronous function of a Core connection: committed when `work` returns,
        rolled back whole if it raises (its FayeError reaches the caller as it is).

        This is the hot path's transaction (a summon): `write()` pays, per statement, the ORM's bookkeeping and
        on SQLite about four hand-offs to aiosqlite's thread; here SQLite runs the whole of `work` in one worker
        thread on the plain sqlite3 driver (one hand-off per transaction), and PostgreSQL runs it on an asyncpg
        connection through SQLAlchemy's greenlet bridge (one round trip per statement, as before). Both queue
        and translate errors exactly as `write()` does. A thread cannot be stopped: a caller cancelled while it
        works waits for the transaction to end (it may still commit) before the cancellation goes on, so this
        process's writer queue is never handed on while the transaction runs.
        """
        async with self._translate_errors(opening=False), self._queued():
            if self._sync_writer is None:
                async with self._write_engine.begin() as conn:
                    return await conn.run_sync(work)
            writer = self._sync_writer

            def run() -> T:
                with writer.begin() as conn:
                    return work(conn)

            # In this task's context (as asyncio.to_thread): the rules the interaction pinned (faye.services.context).
            done = asyncio.get_running_loop().run_in_executor(None, contextvars.copy_context().run, run)
            try:
                return await asyncio.shield(done)
            except asyncio.CancelledError:
                await asyncio.wait([done])
                raise

    @asynccontextmanager
    async def _queued(self) -> AsyncIterator[None]:
        """This process's turn to write, timed for the metrics."""
        started = time.perf_counter()
        async with self._local_writers:
            self.contention.writes += 1
            if self.dialect == "sqlite":
                self.contention.queued_seconds += time.perf_counter() - started
            yield

    async def prepare(self, config: GameConfig) -> None:
        """Make the database ready for this Faye: create an empty one at the newest schema, refuse an outdated one
        (SchemaOutdated) or one a newer Faye wrote (SchemaTooNew), and bring the Esprit definitions in line.

        It reads first and writes only when something differs, so an ordinary start writes nothing (and works on
        a read-only file). The write, when needed, is one transaction under the migration's lock, the schema and
        the definitions together: 25 processes starting at once on an empty database create it once.
        """
        async with self._translate_errors(), self.engine.connect() as conn:
            ready = await conn.run_sync(lambda connection: _is_ready(connection, config))
        if not ready:
            await self._migrate(lambda connection: _make_ready(connection, config))

    async def upgrade(self, target: str = "head") -> schema.SchemaState:
        """Migrate to the newest schema (`faye db upgrade`) or to `target`; returns the state before."""
        return await self._migrate(lambda connection: schema.upgrade(connection, target))

    async def downgrade(self, target: str) -> None:
        """Step the schema back to `target`; refuses (SchemaTooNew) a database this Faye does not know."""
        await self._migrate(lambda connection: schema.downgrade(connection, target))

    async def schema_state(self) -> schema.SchemaState:
        async with self._translate_errors(), self.engine.connect() as conn:
            return await conn.run_sync(schema.inspect_schema)

    async def _migrate(self, step: Callable[[Connection], T]) -> T:
        """Run a schema step in one write transaction, serialised across processes.

        SQLite gets its own connection with foreign keys off: batch migrations rebuild tables, and with keys on
        a rebuild would cascade (ON DELETE SET NULL) into the rows that point at the old table.
        """
        engine = create_async_engine(self.url, connect_args=self._migrate_args, poolclass=NullPool)
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
    async def _translate_errors(self, *, opening: bool = True) -> AsyncIterator[None]:
        """Driver errors -> DatabaseBusy / DatabaseUnavailable. While `opening` (prepare, migrations) any driver
        error means the database cannot be used; inside a service's transaction, only those that describe the
        database's state do, and anything else (a constraint the code broke) stays a bug."""
        try:
            yield
        except DBAPIError as exc:
            error = _classify(exc, safe_url(self.url))
            if isinstance(error, DatabaseBusy):
                self.contention.busy[str(error.details.get("reason", "busy"))] += 1
            if error is None and opening:
                error = DatabaseUnavailable(f"database error at {safe_url(self.url)}: {_reason(exc)}")
            if error is None:
                raise
            raise error from None
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot open the database at {safe_url(self.url)}: {_reason(exc)}") from None

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._sync_writer is not None:
            self._sync_writer.engine.dispose()


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


_ESPRIT_DATA = models.table_of(models.EspritData)


def esprit_values(definition: EspritDef) -> dict[str, Any]:
    """The `esprit_data` row of a definition, as column values: plain values, no ORM object, because every
    start compares all of them with the stored rows."""
    stats = definition.stats
    return {
        "esprit_id": definition.esprit_id,
        "name": definition.name,
        "description": definition.description,
        "rarity": definition.rarity,
        "element": definition.element,
        "role": definition.role,
        "base_hp": stats.hp,
        "base_attack": stats.attack,
        "base_defense": stats.defense,
        "base_speed": stats.speed,
        "base_magic": stats.magic,
        "base_magic_resist": stats.magic_resist,
        "base_crit_rate": stats.crit_rate,
        "base_dodge": stats.dodge,
    }


def _esprit_changes(connection: Connection, config: GameConfig) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The definitions missing from the table, and per stored definition that differs, its changed columns."""
    stored = {row.esprit_id: row._asdict() for row in connection.execute(select(_ESPRIT_DATA))}
    missing: list[dict[str, Any]] = []
    changed: dict[str, Any] = {}
    for definition in config.esprits:
        wanted = esprit_values(definition)
        have = stored.get(definition.esprit_id)
        if have is None:
            missing.append(wanted)
        elif differs := {key: value for key, value in wanted.items() if have.get(key) != value}:
            changed[definition.esprit_id] = differs
    return missing, changed


def sync_esprit_rows(connection: Connection, config: GameConfig) -> int:
    """Insert new and update changed Esprit definitions; never touch player data. Returns rows written (none when
    nothing differs: then it only reads).

    Esprits removed from the config stay in the table: players may still own them.
    """
    missing, changed = _esprit_changes(connection, config)
    if missing:
        connection.execute(insert(_ESPRIT_DATA), missing)
    for esprit_id, values in changed.items():
        connection.execute(update(_ESPRIT_DATA).where(_ESPRIT_DATA.c.esprit_id == esprit_id).values(values))
    return len(missing) + len(changed)


async def sync_esprit_data(session: AsyncSession, config: GameConfig) -> int:
    """`sync_esprit_rows` inside a service's transaction (the reset's reseed)."""
    return await session.run_sync(lambda sync_session: sync_esprit_rows(sync_session.connection(), config))


def _is_ready(connection: Connection, config: GameConfig) -> bool:
    """True when the database is at this Faye's schema with its Esprit definitions: nothing to write."""
    state = schema.inspect_schema(connection)
    if state.current is None:
        return False
    schema.require_current(state)
    missing, changed = _esprit_changes(connection, config)
    return not missing and not changed


def _make_ready(connection: Connection, config: GameConfig) -> None:
    """Under the migration's lock, and checked again there: another process may have done it meanwhile."""
    schema.ensure_current(connection)
    sync_esprit_rows(connection, config)
