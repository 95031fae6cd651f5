"""Options every command shares, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print exactly one JSON document on stdout (for scripts and CI).")
]
UserOpt = Annotated[
    str, typer.Option("--user", "-u", envvar="FAYE_USER", show_envvar=True, help="The acting player's id.")
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="FAYE_DATABASE_URL",
        show_envvar=True,
        help="SQLite file path or database URL (sqlite+aiosqlite://..., postgresql+asyncpg://...). Default: ./faye.db",
    ),
]
ConfigDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--config-dir",
        envvar="FAYE_CONFIG_DIR",
        show_envvar=True,
        help="Directory with the game data JSON files. Default: the repository's data/config.",
    ),
]
ImageOpt = Annotated[
    Path | None,
    typer.Option("--image", help="Also save the result as a PNG card image to this path."),
]
