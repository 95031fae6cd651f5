"""Putting a backup back over the live database, for operators (`faye db restore FILE`).

SQLite. The file is first copied, through the online backup API and read-only, to a staging file beside the live
database, and everything is checked on that copy, never on the operator's file (opening it as a Faye database
would switch it to WAL mode): it must be a SQLite database (refused InvalidArgument otherwise), a Faye one (its
schema has a revision, or the tables from before migrations), and not from a newer Faye (SchemaTooNew, as
faye.schema refuses it everywhere). Without `apply` the result is only the preview: the live database's revision
and row counts beside the file's, and whether the file would be upgraded.

With `apply`, a file at an older revision is upgraded on the staging copy, as `faye db upgrade` would (every row
kept), so the live database never holds a schema this Faye cannot run; a failed upgrade leaves the live database
as it was. The staging copy then goes into the live database through the backup API again: SQLite writes every
page under its own write lock, so a bot with the file open sees the old database or the new one, never a mix
(a file copied over an open database could be torn, or lose to a stale write-ahead log). The live database is
then audited, and the result carries the report; an operator decides what to do with any problem (the backup
had it too).

PostgreSQL: pg_restore (a `pg_dump --format=custom` file, what `faye db backup` prints) or psql (a `.sql` file)
restore in one transaction; Faye says the command (the password left out, as for the backup), to be followed by
`faye db upgrade` and `faye admin audit`.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url

from faye import audit, schema
from faye.db import SQLITE_BUSY_TIMEOUT_S, Database, safe_url
from faye.errors import DatabaseBusy, DatabaseUnavailable, InvalidArgument
from faye.results import AuditReport
from faye.services.admin import read_snapshot

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""
COUNTED = ("user", "useresprit", "ledgerentry", "auctionlisting", "trade", "pull")
"""The tables whose row counts the preview shows (those a database has)."""


@dataclass(frozen=True, kw_only=True)
class DatabaseSummary:
    """One side of the preview."""

    revision: str | None
    """None: no database there yet (or an empty one)."""
    counts: dict[str, int] = field(default_factory=dict)
    """Rows per table of COUNTED."""


@dataclass(frozen=True, kw_only=True)
class Restore:
    """`faye db restore`: what would be replaced by what, and (applied) how the result audits; on PostgreSQL the
    command to run."""

    source: str
    target: str
    method: str
    """"sqlite_backup", "pg_restore" or "psql"."""
    applied: bool = False
    current: DatabaseSummary | None = None
    """The live database before (SQLite)."""
    incoming: DatabaseSummary | None = None
    """The file, as it is (SQLite)."""
    upgrade_from: str | None = None
    """The file's revision when it is older than this Faye's: it is (or would be) upgraded on the way in."""
    command: str | None = None
    audit: AuditReport | None = None
    """The live database's audit after the restore."""


def _sqlite_copy(source: str, target: str, *, read_only: bool) -> None:
    """Copy every page of the SQLite database `source` into `target` in one step (one snapshot of the source,
    one write under the target's lock)."""
    uri = f"file:{quote(source)}{'?mode=ro' if read_only else ''}"
    reader = sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_S)
    try:
        writer = sqlite3.connect(target, timeout=SQLITE_BUSY_TIMEOUT_S)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def _require_sqlite_file(source: Path) -> None:
    if not source.is_file():
        raise InvalidArgument(f"{source} does not exist or is not a file", field="file")
    with source.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise InvalidArgument(f"{source} is not a SQLite database, so not a Faye backup", field="file")


def _live_path(database: Database) -> Path:
    path = make_url(database.url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise InvalidArgument(f"{path or 'this database'} is not a SQLite file that can be restored into", field="db")
    return Path(path)


@contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    """A temporary file name in `folder` (beside the live database, so the copy needs no other disk), removed
    after with its journal files."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=".faye-restore.", suffix=".db")
    os.close(handle)
    Path(name).unlink()  # the backup API makes the file; an empty one would do, but this leaves no doubt
    try:
        yield Path(name)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def _counts(connection: Connection) -> dict[str, int]:
    present = set(inspect(connection).get_table_names())
    return {
        table: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
        for table in COUNTED
        if table in present
    }


async def _summary(database: Database) -> DatabaseSummary:
    """The database's revision and row counts (refuses SchemaTooNew like every command)."""
    state = await database.schema_state()
    async with database.read() as session:
        counts = await session.run_sync(lambda sync: _counts(sync.connection()))
    return DatabaseSummary(revision=state.current, counts=counts)


async def _audit(database: Database) -> AuditReport:
    async with database.read() as session:
        return audit.report(await read_snapshot(session))


def _postgres(database: Database, source: Path) -> Restore:
    dsn = make_url(database.url)._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
    if source.suffix == ".sql":
        method = "psql"
        command = (
            f"psql --single-transaction --set ON_ERROR_STOP=1 --file {shlex.quote(str(source))} {shlex.quote(dsn)}"
        )
    else:
        method = "pg_restore"
        command = (
            f"pg_restore --clean --if-exists --single-transaction --no-owner --dbname {shlex.quote(dsn)} "
            f"{shlex.quote(str(source))}"
        )
    return Restore(source=str(source), target=safe_url(database.url), method=method, command=command)


async def restore(database: Database, source: Path, *, apply: bool) -> Restore:
    """Preview (`apply` False) or restore the backup `source` into `database` (module docstring).

    Refuses InvalidArgument (field file: missing, not SQLite, not Faye, the live database itself; field db: not
    a SQLite file), SchemaTooNew (the file or the live database is from a newer Faye), DatabaseUnavailable (a
    copy failed) and DatabaseBusy (the live database stayed locked past the busy timeout).
    """
    if database.dialect == "postgresql":
        return _postgres(database, source)
    live = _live_path(database)
    _require_sqlite_file(source)
    if live.exists() and live.samefile(source):
        raise InvalidArgument(f"{source} is the live database itself; restore from a backup of it", field="file")
    if not live.parent.is_dir():
        raise InvalidArgument(f"the folder {live.parent} does not exist", field="db")
    current = await _summary(database) if live.exists() else None
    with _staging(live.parent) as staged:
        try:
            await asyncio.to_thread(_sqlite_copy, str(source), str(staged), read_only=True)
        except sqlite3.DatabaseError as exc:
            raise InvalidArgument(f"{source} cannot be read as a SQLite database: {exc}", field="file") from None
        copy = Database(str(staged))
        try:
            incoming = await _summary(copy)
            if incoming.revision is None:
                raise InvalidArgument(
                    f"{source} is a SQLite database but not a Faye one (no Faye tables)", field="file"
                )
            upgrade_from = incoming.revision if incoming.revision != schema.HEAD else None
            if apply and upgrade_from is not None:
                await copy.upgrade()
        finally:
            await copy.dispose()
        result = Restore(
            source=str(source),
            target=str(live),
            method="sqlite_backup",
            current=current,
            incoming=incoming,
            upgrade_from=upgrade_from,
        )
        if not apply:
            return result
        try:
            await asyncio.to_thread(_sqlite_copy, str(staged), str(live), read_only=True)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy(f"{live} stayed locked by another writer; nothing changed, try again") from None
            raise DatabaseUnavailable(f"cannot restore into {live}: {exc}") from None
    report = await _audit(database)
    return replace(result, applied=True, audit=report)
