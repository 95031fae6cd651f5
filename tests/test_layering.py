"""The fast `faye --help`: the CLI's entry point loads no database, numeric, imaging or validation library.

Which package may import which is checked by import-linter (`lint-imports`, contracts in pyproject.toml); this
checks what actually gets loaded at run time, which static analysis cannot see (lazy imports, import side effects).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: Top-level packages a bare `faye --help` must not pay for: each one costs tens to hundreds of milliseconds.
HEAVY = frozenset(
    {
        "sqlalchemy",
        "sqlmodel",
        "aiosqlite",
        "asyncpg",
        "alembic",
        "numpy",
        "PIL",
        "matplotlib",
        "pydantic",
        "pydantic_core",
        "pydantic_settings",
        "discord",
    }
)

IMPORT_ONLY = "import cli.main"
HELP = """
import contextlib, io
import cli.main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    cli.main.app(["--help"], prog_name="faye")
"""
REPORT = "\nimport json, sys\nprint(json.dumps(sorted({name.partition('.')[0] for name in sys.modules})))\n"


def loaded_after(code: str) -> set[str]:
    """Top-level packages in sys.modules once `code` has run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", code + REPORT], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("code", [IMPORT_ONLY, HELP], ids=["import cli.main", "faye --help"])
def test_the_cli_entry_point_loads_nothing_heavy(code: str) -> None:
    loaded = loaded_after(code)
    assert "cli" in loaded  # the probe ran
    assert loaded & HEAVY == set()


def test_the_probe_sees_heavy_modules_when_they_are_loaded() -> None:
    """The check can fail: the app's own start-up does load the database and validation libraries."""
    assert {"sqlalchemy", "pydantic"} <= loaded_after("import faye.app")
