"""What a command's start costs: the ordinary start of an existing database reads its one stored revision in
plain SQL (Alembic is imported only to change the schema), the game data comes from the cache, and nothing on
the path loads numpy, Pillow or matplotlib. Checked in real child processes, by the modules they loaded; how
long anything takes is benchmarks/bench_cli_startup.py's business, never a test's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from faye import schema
from faye.config import GameConfig
from faye.db import esprit_values
from faye.models import EspritData, table_of
from tests.conftest import open_app, register

#: Modules an ordinary command must not load: the schema tool and the renderer's and simulator's libraries.
HEAVY = ("alembic", "mako", "numpy", "PIL", "matplotlib")
MARK = "loaded-modules:"
#: Runs the real `faye` entry point, then reports the heavy modules the process loaded (at exit, after all).
CHILD = f"""
import atexit, json, runpy, sys
atexit.register(lambda: print({MARK!r} + json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & {set(HEAVY)!r})),
                              file=sys.stderr))
sys.argv = ["faye", *sys.argv[1:]]
runpy.run_module("cli", run_name="__main__")
"""


def run_faye(tmp_path: Path, db_url: str, *args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """`faye ARGS` in a child process in `tmp_path` (its game-data cache there too); its result and the heavy
    modules it loaded."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FAYE_")}
    env.update(FAYE_DATABASE_URL=db_url, FAYE_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith(MARK)]
    assert lines, f"the child reported nothing: {result.stderr}"
    return result, json.loads(lines[-1].removeprefix(MARK))


def test_head_and_known_revisions_match_the_migration_scripts() -> None:
    """Adding a migration means updating faye.schema.HEAD and KNOWN_REVISIONS: the ordinary start compares the
    stored revision with them without asking Alembic."""
    assert schema.script_head() == schema.HEAD
    assert schema.script_revisions() == schema.KNOWN_REVISIONS
    assert schema.head_revision() == schema.HEAD


def test_the_start_compares_every_column_of_the_esprit_definitions(config: GameConfig) -> None:
    """The start compares plain column values with the stored rows (no ORM object per Esprit): all of them."""
    columns = {column.name for column in table_of(EspritData).columns}
    for definition in config.esprits:
        assert set(esprit_values(definition)) == columns


async def test_a_command_on_an_existing_database_loads_no_heavy_module(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'cold.db'}"
    async with open_app(db_url) as app:
        await register(app, "ana")
    for attempt in ("the first start validates the game data", "the next one reads it from the cache"):
        result, loaded = run_faye(tmp_path, db_url, "balance", "--user", "ana", "--json")
        assert result.returncode == 0, (attempt, result.stderr)
        assert json.loads(result.stdout)["user_id"] == "ana"
        assert loaded == [], attempt
        assert list((tmp_path / "cache" / "config").glob("*.pickle")), attempt


async def test_a_refusal_on_an_existing_database_loads_no_heavy_module(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'cold.db'}"
    async with open_app(db_url) as app:
        await register(app, "ana")
    result, loaded = run_faye(tmp_path, db_url, "balance", "--user", "nobody", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]["code"] == "not_registered"
    assert loaded == []


def test_an_empty_database_is_created_at_head_by_alembic(tmp_path: Path) -> None:
    """The other side of the rule: changing the schema is Alembic's job, and it runs when there is one to make."""
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    result, loaded = run_faye(tmp_path, db_url, "start", "--user", "ana", "--accept-policy", "--json")
    assert result.returncode == 0, result.stderr
    assert "alembic" in loaded
    current, _ = run_faye(tmp_path, db_url, "db", "current", "--json")
    assert json.loads(current.stdout)["current"] == schema.HEAD
