"""Live configuration: what names a set of game data files, and where running bots are found to be told.

The digest is the sha256 of every data file's name and bytes (`faye.config.FILE_MODELS`, in that order), so two
processes agree on it exactly when they read the same files; the log line of a reload and `faye admin
reload-config` print its first 16 hex digits, and per-file digests say which files changed.

A bot (faye-discord) writes `faye-discord-<pid>.pid` into the run directory (Settings.run_dir) while it runs, with
the database it serves; SIGHUP makes it reload its game data. `faye admin reload-config` validates the files
first, then signals every bot of the same database found there, removing the files of bots that are gone.
"""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from faye import config as game_data

PID_PREFIX = "faye-discord-"
RELOAD_SIGNAL = signal.SIGHUP


@dataclass(frozen=True)
class DataDigest:
    """The files' digest, whole and per file (a missing file is "missing")."""

    files: dict[str, str]

    @property
    def whole(self) -> str:
        digest = hashlib.sha256()
        for name, part in self.files.items():
            digest.update(f"{name}:{part}\n".encode())
        return digest.hexdigest()[:16]

    def changed(self, before: DataDigest | None) -> list[str]:
        """The files whose bytes differ from `before` (every file when nothing is known of it)."""
        return [name for name, part in self.files.items() if before is None or before.files.get(name) != part]


def data_digest(config_dir: Path) -> DataDigest:
    files: dict[str, str] = {}
    for name in game_data.FILE_MODELS:
        try:
            files[name] = hashlib.sha256((config_dir / name).read_bytes()).hexdigest()
        except OSError:
            files[name] = "missing"
    return DataDigest(files)


@contextmanager
def announced(run_dir: Path, database: str) -> Iterator[Path]:
    """This bot's pid file in `run_dir` while the block runs (the database it serves inside)."""
    run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = run_dir / f"{PID_PREFIX}{os.getpid()}.pid"
    path.write_text(database)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Signalled:
    told: list[int]
    """Bots of this database that were sent the reload signal."""
    stale: list[int]
    """Pid files of bots no longer running, removed."""


def signal_bots(run_dir: Path, database: str, *, skip: int | None = None) -> Signalled:
    """Send the reload signal to every running bot of `database` announced in `run_dir` (but `skip`, the
    caller's own process when it has reloaded already)."""
    told: list[int] = []
    stale: list[int] = []
    for path in sorted(run_dir.glob(f"{PID_PREFIX}*.pid")) if run_dir.is_dir() else []:
        try:
            pid = int(path.stem.removeprefix(PID_PREFIX))
            serves = path.read_text()
        except (ValueError, OSError):
            continue
        if serves != database or pid == skip:
            continue
        try:
            os.kill(pid, RELOAD_SIGNAL)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
            stale.append(pid)
        except PermissionError:
            continue  # another user's process that reused the pid: not ours to tell
        else:
            told.append(pid)
    return Signalled(told, stale)
