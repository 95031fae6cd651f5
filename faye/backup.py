"""Consistent copies of a live database, for operators.

SQLite: the online backup API (`sqlite3.Connection.backup`), all pages in one step, so the copy is one read
snapshot of the live file even while the bot writes (a file copy could catch half a transaction, or miss what
sits in the write-ahead log). The copy is written beside its target and renamed into place, then opened like any
Faye database: its schema revision is read and, at this Faye's revision, the audit runs on it.

PostgreSQL: `pg_dump` takes a consistent snapshot itself; Faye says the command to run (the password left out:
pg_dump reads PGPASSWORD or ~/.pgpass).
"""

from __future__ import annotations

import asyncio
import os
import shlex
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from faye import audit, schema
from faye.db import Database
from faye.errors import DatabaseUnavailable, InvalidArgument
from faye.results import Backup
from faye.services.admin import read_snapshot


def _copy(source: str, target: Path) -> int:
    """Copy the SQLite file `source` to `target` through the backup API; returns the copy's size in bytes."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        reader = sqlite3.connect(f"file:{quote(source)}?mode=ro", uri=True)
        try:
            writer = sqlite3.connect(temporary)
            try:
                reader.backup(writer)  # pages=-1: every page in one step, one snapshot
            finally:
                writer.close()
        finally:
            reader.close()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target.stat().st_size


def _require_new(target: Path) -> None:
    if target.exists():
        raise InvalidArgument(f"{target} exists already; back up to a new file", field="file")
    if not target.parent.is_dir():
        raise InvalidArgument(f"the folder {target.parent} does not exist", field="file")


async def backup(database: Database, target: Path) -> Backup:
    """Copy the database to `target` and check the copy (module docstring).

    Refuses InvalidArgument for a target that exists or whose folder does not, and DatabaseUnavailable when the
    database cannot be read. On PostgreSQL nothing is written: the result carries the pg_dump command.
    """
    url = make_url(database.url)
    if database.dialect == "postgresql":
        # URL.set() leaves a field as it is when given None; the tuple's own _replace drops the password.
        dsn = url._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
        command = f"pg_dump --format=custom --file {shlex.quote(str(target))} {shlex.quote(dsn)}"
        return Backup(target=str(target), method="pg_dump", command=command)
    source = url.database
    if not source or source == ":memory:" or source.startswith("file:"):
        raise InvalidArgument(f"{source or 'this database'} is not a SQLite file that can be backed up", field="db")
    _require_new(target)
    try:
        size = await asyncio.to_thread(_copy, source, target)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"cannot back up {source}: {exc}") from None
    copy = Database(str(target))
    try:
        state = await copy.schema_state()
        report = None
        if state.current == schema.HEAD:
            async with copy.read() as session:
                report = audit.report(await read_snapshot(session))
    finally:
        await copy.dispose()
    return Backup(target=str(target), method="sqlite_backup", bytes=size, revision=state.current, audit=report)
