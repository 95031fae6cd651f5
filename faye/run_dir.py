"""Where running Faye processes announce themselves: bots' pid files (faye.reload) and the `faye server` socket.

The standard library only, and not much of it: the `faye` console script reads this before it imports anything
else (cli.client), so it must not cost a start-up what it is there to save.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

ENV: Final = "FAYE_RUN_DIR"


def default_run_dir() -> Path:
    """$XDG_RUNTIME_DIR/faye, else faye-<uid> in the temporary folder."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base:
        return Path(base) / "faye"
    import tempfile  # only here: it costs a few milliseconds to import

    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"faye-{uid}"


def run_dir() -> Path:
    """FAYE_RUN_DIR from the environment, else the default (Settings.run_dir also reads a .env file)."""
    explicit = os.environ.get(ENV)
    return Path(explicit) if explicit else default_run_dir()
