"""The validated game data kept on disk between processes, so a command does not re-validate every file.

Every CLI command is a fresh process, and building the GameConfig from the six JSON files runs pydantic over
every Esprit each time. `load_cached_config` stores the validated config (pickled) and serves it again to any
process that finds the very same input: an entry is keyed by the sha256 of every data file's bytes, of the
assets folder it names, of the sources that define what "valid" means (faye/config.py, the bounds in
faye/inputs.py and the battle rules' validators in faye/battle/settings.py), of Faye's version and of the pydantic
and Python that pickled it. A changed file, changed code or a different interpreter is a miss, never a stale
config.

One entry per (config folder, assets folder) pair, so a designer editing the data rewrites one file rather
than piling up copies. Entries are written to a temporary file and renamed (readers never see half of one).
The cache is an optimisation only: an entry that cannot be read, is truncated or corrupt, carries another key,
or is not owned by this user is ignored and rewritten; a folder that cannot be written is skipped silently.
Problems in the data are never cached: they are raised by `load_config` on every start, as before, and
`faye config validate` always validates from the files.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from functools import cache
from pathlib import Path

import pydantic

from faye import __version__, config
from faye.config import GameConfig, load_config
from faye.files import write_atomically

MAGIC = b"faye-config-cache\n"
"""The first bytes of every entry: a file without them is not ours."""
SOURCES = (
    Path(config.__file__),
    Path(config.__file__).with_name("inputs.py"),
    Path(config.__file__).with_name("battle") / "settings.py",
)
"""The code whose change must invalidate every entry: the models and validators, and the bounds they apply."""


@cache
def code_version() -> bytes:
    """The digest of the validating code and of what pickled it (Faye, pydantic, Python)."""
    digest = hashlib.sha256(f"{__version__}\n{pydantic.VERSION}\n{sys.version_info[:2]}\n".encode())
    for path in SOURCES:
        digest.update(path.read_bytes())
    return digest.digest()


def data_key(config_dir: Path, assets_dir: Path | None) -> bytes | None:
    """The key of this exact input, or None when a file is not one `load_config` would read (missing, not a
    regular file, too large, unreadable): then there is nothing to cache, and `load_config` names the problem."""
    digest = hashlib.sha256(code_version())
    digest.update(f"{assets_dir}\n".encode())
    for name in config.FILE_MODELS:
        path = config_dir / name
        try:
            with path.open("rb") as file:
                info = os.fstat(file.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > config.MAX_FILE_BYTES:
                    return None
                data = file.read(config.MAX_FILE_BYTES + 1)
        except OSError:
            return None
        digest.update(f"{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.digest()


def entry_path(cache_dir: Path, config_dir: Path, assets_dir: Path | None) -> Path:
    """The one entry of this (config folder, assets folder) pair."""
    where = f"{config_dir.resolve()}\n{assets_dir.resolve() if assets_dir is not None else ''}"
    return cache_dir / "config" / f"{hashlib.sha256(where.encode()).hexdigest()[:32]}.pickle"


def _read(path: Path, key: bytes) -> GameConfig | None:
    """The entry's config when it carries `key` and is ours; None for anything else (module docstring)."""
    try:
        with path.open("rb") as file:
            if hasattr(os, "getuid") and os.fstat(file.fileno()).st_uid != os.getuid():
                return None  # unpickling runs code: only a file this user wrote is trusted
            if file.read(len(MAGIC) + len(key)) != MAGIC + key:
                return None
            loaded = pickle.load(file)
    except Exception:  # a truncated or corrupt pickle raises nearly anything (EOFError, UnpicklingError, ...)
        return None
    return loaded if isinstance(loaded, GameConfig) else None


def _write(path: Path, key: bytes, loaded: GameConfig) -> None:
    write_atomically(path, MAGIC + key + pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))


def load_cached_config(config_dir: Path, assets_dir: Path | None, cache_dir: Path | None) -> GameConfig:
    """What `load_config(config_dir, assets_dir)` returns, from `cache_dir` when an entry for exactly these files
    exists (None turns the cache off). Raises ConfigError as `load_config` does.

    The key is taken again after loading and the entry written only if it has not moved: a file changed while
    it was being read is validated afresh by the next process rather than stored under the wrong contents.
    """
    key = data_key(config_dir, assets_dir) if cache_dir is not None else None
    if cache_dir is None or key is None:
        return load_config(config_dir, assets_dir)
    path = entry_path(cache_dir, config_dir, assets_dir)
    cached = _read(path, key)
    if cached is not None:
        return cached
    loaded = load_config(config_dir, assets_dir)
    if data_key(config_dir, assets_dir) == key:
        _write(path, key, loaded)
    return loaded
