"""A cold `faye balance --json` loads only what it uses (issue 10): the one command's module, no Rich, no
imaging, numeric or migration library, and the game data from the validated-config cache.

What a process imports is behaviour these tests can check exactly; how long it takes is measured by
benchmarks/bench_cli_startup.py, never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from cli import main
from tests.cli.conftest import run_process

REPO = Path(__file__).resolve().parents[2]

#: Modules `faye balance --json` has no use for, each a cost at every start: imaging, numbers and plots, the
#: migrations, Rich (the JSON document needs none), every command module but the player's, and the services it
#: does not call (FayeApp builds each on first use).
UNUSED = frozenset(
    {
        "numpy",
        "PIL",
        "matplotlib",
        "alembic",
        "rich",
        "cli.output",
        "cli.commands.render",
        "cli.commands.sim",
        "cli.commands.sim_battles",
        "cli.commands.script",
        "cli.commands.admin",
        "cli.commands.play",
        "cli.commands.demo",
        "cli.commands.db",
        "cli.commands.data",
        "cli.commands.trade",
        "cli.commands.auction",
        "cli.commands.battle",
        "cli.commands.banners",
        "cli.commands.config_cmd",
        "cli.commands.serve_metrics",
        "faye.services.auction",
        "faye.services.trades",
        "faye.services.battles",
        "faye.services.admin",
        "faye.services.privacy",
    }
)

#: `faye balance --json` as the console script runs it, then what it loaded: printed after its JSON document.
PROBE = """
import json, sys
sys.argv = ["faye", "balance", "--user", "ana", "--json"]
from cli.main import main
try:
    main()
except SystemExit as exit:
    code = exit.code
from faye.config import GameConfig
print(json.dumps({"code": code, "modules": sorted(sys.modules), "validator_built": GameConfig.__pydantic_complete__}))
"""


def test_balance_json_loads_only_what_it_uses(tmp_path: Path) -> None:
    env = {"FAYE_DATABASE_URL": str(tmp_path / "cold.db"), "FAYE_CACHE_DIR": str(tmp_path / "cache")}
    started = run_process(["start", "--user", "ana", "--accept-policy", "--json"], env)  # validates, caches
    assert started.returncode == 0, started.stderr
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={k: v for k, v in os.environ.items() if not k.startswith("FAYE_")} | env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    balance, report = (json.loads(line) for line in probe.stdout.splitlines())
    assert report["code"] == 0, probe.stderr
    assert balance["user_id"] == "ana"
    loaded = set(report["modules"])
    assert "cli.commands.player" in loaded  # the probe ran the command
    assert {name for name in loaded if name in UNUSED or name.partition(".")[0] in UNUSED} == set()
    assert report["validator_built"] is False  # the game data came from the cache: nothing was validated


def test_every_command_is_listed_where_its_module_registers_it() -> None:
    """`COMMANDS` and the modules' `register` functions agree: no command is hidden, none points nowhere."""
    for module in set(main.COMMANDS.values()):
        registered = main.registered(module)
        names = {main.command_name(info) for info in registered.registered_commands}
        names |= {info.name for info in registered.registered_groups}
        assert names == {name for name, where in main.COMMANDS.items() if where == module}, module


def test_help_lists_every_command_and_a_typo_still_gets_suggestions() -> None:
    runner = CliRunner()
    listing = runner.invoke(main.app, ["--help"], terminal_width=200)
    assert listing.exit_code == 0
    for name in main.COMMANDS:
        assert f" {name} " in listing.stdout
    typo = runner.invoke(main.app, ["balanc"])
    assert typo.exit_code == 2
    assert "Did you mean 'balance'?" in typo.output


def test_a_command_is_built_as_on_a_whole_app() -> None:
    """Built alone, a command has the help, panel and parameters it has when its whole module is built."""
    whole = typer.main.get_group(main.registered("player")).commands
    alone = main.command_of("balance")
    assert alone.help == whole["balance"].help
    assert getattr(alone, "rich_help_panel", None) == getattr(whole["balance"], "rich_help_panel", None) == "Play"
    assert [p.name for p in alone.params] == [p.name for p in whole["balance"].params]
