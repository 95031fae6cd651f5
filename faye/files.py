"""Writing a cache file so that a reader never sees half of it: the bytes go to a temporary file beside it,
which then replaces it in one rename. Shared by the caches of game data and of painted art."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` whole or not at all; False (and nothing left behind) when the folder cannot be
    made or written: a cache that cannot be written is only a slower start, never an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
