"""One guard around the whole command: a bug anywhere (drawing, output) is exit 3 with an incident report, a
closed stdout ends quietly, a picture that cannot be saved does not undo a summon, a database that cannot be
opened is exit 2 with nothing else on stderr."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import cli.banner_output
import cli.commands.config_cmd
import cli.design
import cli.output
from cli.runtime import EXIT_BROKEN_PIPE, EXIT_INTERNAL, HINTS
from faye import render as faye_render
from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import NOW, Faye, run_process

Setup = Callable[[Faye], None]


def nothing(faye: Faye) -> None:
    pass


def listed(faye: Faye) -> None:
    """Ana's starter (Esprit 1) in listing 1; Ben, who can afford it."""
    faye.json("start", "--user", "ben", "--accept-policy")
    code, doc = faye.json("auction", "list", "1", "--user", "ana", "--price", "100")
    assert code == 0, doc


def summoned(faye: Faye) -> None:
    """Ana after a 10-pull (seed 7): Esprits 7 and 8 are two Cobblestone Moles."""
    code, doc = faye.json("summon", "--user", "ana", "--amount", "10")
    assert code == 0, doc


#: Every presenter, the command that calls it, and what that command needs first (Ana is registered).
PRESENTERS: list[tuple[object, str, list[str], Setup]] = [
    (cli.output, "show_registration", ["start", "--user", "ben", "--accept-policy"], nothing),
    (cli.output, "show_profile", ["balance", "--user", "ana"], nothing),
    (cli.output, "show_daily", ["daily", "--user", "ana"], nothing),
    (cli.output, "show_summon", ["summon", "--user", "ana"], nothing),
    (cli.output, "show_inventory", ["inventory", "--user", "ana"], nothing),
    (cli.output, "show_esprit", ["esprit", "show", "1", "--user", "ana"], nothing),
    (cli.output, "show_active", ["active", "set", "1", "--user", "ana"], nothing),
    (cli.output, "show_leaderboard", ["leaderboard"], nothing),
    (cli.output, "show_reset", ["admin", "reset-db", "--yes"], nothing),
    (cli.output, "show_grant", ["admin", "grant", "ana", "--amount", "5"], nothing),
    (cli.output, "show_audit", ["admin", "audit"], nothing),
    (cli.output, "show_listing_created", ["auction", "list", "1", "--user", "ana", "--price", "100"], nothing),
    (cli.output, "show_listing_page", ["auction", "browse"], listed),
    (cli.output, "show_purchase", ["auction", "buy", "1", "--user", "ben"], listed),
    (cli.output, "show_cancellation", ["auction", "cancel", "1", "--user", "ana"], listed),
    (cli.output, "show_auction_history", ["auction", "history", "--user", "ana"], listed),
    (cli.output, "show_training", ["esprit", "train", "1", "--levels", "1", "--user", "ana"], nothing),
    (cli.output, "show_ascension", ["esprit", "ascend", "7", "--user", "ana"], summoned),
    (cli.output, "show_release", ["esprit", "release", "2", "--dry-run", "--user", "ana"], summoned),
    (cli.output, "show_lock", ["esprit", "lock", "1", "--user", "ana"], nothing),
    (cli.output, "show_history", ["esprit", "history", "1", "--user", "ana"], nothing),
    (cli.banner_output, "show_banners", ["banners", "--user", "ana"], nothing),
    (cli.banner_output, "show_history", ["history", "--user", "ana"], summoned),
    (cli.banner_output, "show_luck", ["luck", "--user", "ana"], summoned),
    (cli.banner_output, "show_prune", ["admin", "prune-pulls"], nothing),
    (cli.design, "show_rates", ["rates"], nothing),
    (cli.design, "show_summons", ["sim", "summons", "--pulls", "2000", "--players", "10"], nothing),
    (cli.design, "show_economy", ["sim", "economy", "--players", "10", "--days", "3"], nothing),
    (cli.design, "show_progression", ["sim", "progression", "--players", "10", "--days", "3"], nothing),
    (cli.design, "show_banner_copies", ["sim", "banner", "solheart_2026_01", "--players", "10"], nothing),
    (cli.design, "show_collection", ["sim", "collection", "--tier", "Epic", "--players", "10"], nothing),
    (cli.commands.config_cmd, "show_validation", ["config", "validate"], nothing),
    (faye_render, "render_profile", ["balance", "--user", "ana", "--image", "me.png"], nothing),
    (faye_render, "render_summon", ["summon", "--user", "ana", "--image", "pull.png"], nothing),
    (faye_render, "render_card", ["esprit", "show", "1", "--user", "ana", "--image", "card.png"], nothing),
]


@pytest.fixture
def incidents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Incident reports go to a folder of this test's own."""
    folder = tmp_path / "incidents"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def incident_report(result: Result, incidents: Path) -> str:
    """The one incident report the failed command wrote, named on stderr; its text."""
    match = re.search(r"internal error ([0-9a-f]{8}).*Details: (\S+\.log)", result.stderr)
    assert match is not None, result.stderr
    (report,) = incidents.iterdir()
    assert str(report) == match.group(2)
    assert match.group(1) in report.name
    return report.read_text(encoding="utf-8")


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def test_the_presenter_list_is_complete() -> None:
    listed_names = {name for module, name, _, _ in PRESENTERS if module is not faye_render}
    shown = {name for module in (cli.output, cli.design) for name in vars(module) if name.startswith("show_")}
    assert shown - {"show_level_ups", "show_balance"} <= listed_names  # those two are parts of other views


@pytest.mark.parametrize(
    ("module", "name", "command", "setup"), PRESENTERS, ids=[f"{name}" for _, name, _, _ in PRESENTERS]
)
def test_a_presenter_that_raises_is_an_incident(
    faye: Faye,
    player: str,
    incidents: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    command: list[str],
    setup: Setup,
) -> None:
    setup(faye)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"{name} tripped over a cable")

    monkeypatch.setattr(module, name, broken)
    result = faye(*command)
    assert result.exit_code == EXIT_INTERNAL, result.output
    assert_no_traceback(result)
    assert "internal error" in result.stderr
    report = incident_report(result, incidents)
    assert "Traceback" in report
    assert f"{name} tripped over a cable" in report


def test_a_crash_after_a_summon_says_the_summon_stands(
    faye: Faye, player: str, incidents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the screen caught fire")

    monkeypatch.setattr(cli.output, "show_summon", broken)
    result = faye("summon", "--user", player)
    assert result.exit_code == EXIT_INTERNAL
    assert "the command itself was carried out" in result.stderr
    assert faye.json("balance", "--user", player)[1]["gems"] == 1600 - 160


def test_an_internal_error_in_json_names_its_report(
    faye: Faye, player: str, incidents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("no more ink")

    monkeypatch.setattr(faye_render, "render_summon", broken)
    code, doc = faye.json("summon", "--user", player, "--image", "pull.png")
    assert code == EXIT_INTERNAL
    error = doc["error"]
    assert (error["code"], error["completed"]) == ("internal_error", True)
    assert "no more ink" in Path(error["report"]).read_text(encoding="utf-8")
    assert error["incident"] in error["report"]


def test_a_picture_that_cannot_be_saved_does_not_undo_the_summon(faye: Faye, player: str) -> None:
    code, doc = faye.json("summon", "--user", player, "--amount", "10", "--image", "/dev/full")
    assert code == 0, doc
    assert len(doc["esprits"]) == 10
    assert "image" not in doc
    (warning,) = doc["warnings"]
    assert (warning["code"], warning["path"]) == ("image_not_saved", "/dev/full")
    assert "/dev/full" in warning["message"]
    assert "No space left" in warning["message"]
    code, balance = faye.json("balance", "--user", player)
    assert balance["gems"] == doc["balance"]["gems"]  # what the answer says is what happened
    assert doc["cost"] == {"currency": "gems", "amount": 1440}
    code, inventory = faye.json("inventory", "--user", player)
    assert inventory["total"] == 11  # the starter and ten: one summon, nothing to retry


def test_a_picture_that_cannot_be_saved_is_a_warning_on_stderr(faye: Faye, player: str) -> None:
    result = faye("summon", "--user", player, "--image", "/dev/full")
    assert result.exit_code == 0
    assert "Card saved" not in result.stdout
    assert "/dev/full" in result.stderr
    assert "the command itself succeeded" in result.stderr
    assert "✦" in result.stdout or "Esprit" in result.stdout  # the summon is shown


def test_a_path_refused_up_front_spends_nothing(faye: Faye, player: str, tmp_path: Path) -> None:
    code, doc = faye.json("summon", "--user", player, "--image", str(tmp_path / "missing" / "pull.png"))
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")
    assert faye.json("balance", "--user", player)[1]["gems"] == 1600


def test_refusals_show_player_text_literally(faye: Faye) -> None:
    result = faye("balance", "--user", "x[/]")
    assert result.exit_code == 1
    assert "'x[/]' is not registered yet" in result.stderr
    assert HINTS["not_registered"] in result.stderr
    result = faye("balance", "--user", "[link=https://evil.example]Faye Support[/link]")
    assert result.exit_code == 1
    assert "[link=https://evil.example]" in result.stderr


def test_a_refusal_keeps_its_lines(faye: Faye, tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config)
    (config / "rarity_tiers.json").write_text('{"tiers": [', encoding="utf-8")
    result = faye("leaderboard", "--config-dir", str(config))
    assert result.exit_code == 2
    first, second = result.stderr.splitlines()
    assert first == "✗ invalid game data:"
    assert second.startswith("  - rarity_tiers.json: not valid JSON")


def test_the_cli_adds_its_hint_by_code(faye: Faye) -> None:
    code, doc = faye.json("balance", "--user", "ghost")
    error = doc["error"]
    assert (code, error["code"], error["kind"]) == (1, "not_registered", "refused")
    assert error["hint"] == HINTS["not_registered"]
    assert error["message"] == f"'ghost' is not registered yet; {HINTS['not_registered']}"


def test_a_bug_in_a_play_session_ends_that_command_not_the_session(
    faye: Faye, player: str, incidents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the screen caught fire")

    monkeypatch.setattr(cli.output, "show_profile", broken)
    result = faye("play", "--user", player, input='balance\ninventory --search "x[/]"\nbalance --json\nexit\n')
    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    assert "the screen caught fire" in incident_report(result, incidents)
    assert '"faylen": 1000' in result.stdout  # the session went on after the incident
    assert "See you soon" in result.stdout


def test_interrupted_is_130_quietly(faye: Faye, player: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from faye.services.economy import EconomyService

    async def interrupted(self: EconomyService, user_id: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(EconomyService, "profile", interrupted)
    result = faye("balance", "--user", player)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "")


# --- real processes: pipes and the SQLite driver's thread -------------------------------------------------


def run_into_closed_pipe(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run `faye ARGS` with stdout a pipe whose reader is already gone (`| head -c0` that won the race)."""
    reader, writer = os.pipe()
    os.close(reader)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")} | env
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cli", *args],
            env=full_env,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)
    return done.returncode, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["rates"],
        ["rates", "--json"],
        ["balance", "--user", "ana"],
        ["balance", "--user", "ana", "--json"],
        ["balance", "--user", "ghost", "--json"],  # the refusal's JSON document meets the closed pipe
        ["summon", "--user", "ana", "--amount", "ten", "--json"],  # so does a usage error's
    ],
    ids=" ".join,
)
def test_a_closed_stdout_ends_quietly(tmp_path: Path, args: list[str]) -> None:
    env = {"FAYE_DATABASE_URL": str(tmp_path / "pipe.db"), "FAYE_NOW": NOW}
    assert run_process(["start", "--user", "ana", "--accept-policy", "--json"], env).returncode == 0
    code, stderr = run_into_closed_pipe(args, env)
    assert (code, stderr) == (EXIT_BROKEN_PIPE, "")


@pytest.mark.slow
def test_a_shell_pipe_into_head_ends_quietly(tmp_path: Path) -> None:
    # Whether faye still writes when head has gone depends on timing: either way, nothing on stderr.
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")}
    command = f"{sys.executable} -m cli sim summons --pulls 20000 --players 10 --json | head -c1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout == "{"
    assert done.returncode in (0, EXIT_BROKEN_PIPE)
    assert done.stderr == ""


def unopenable(tmp_path: Path, kind: str) -> Path:
    if kind == "a directory":
        path = tmp_path / "a-directory.db"
        path.mkdir()
    elif kind == "a missing folder":
        path = tmp_path / "missing" / "x.db"
    else:
        if os.geteuid() == 0:
            pytest.skip("root reads any file")
        path = tmp_path / "locked.db"
        path.write_bytes(b"")
        path.chmod(0)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["a directory", "a missing folder", "an unreadable file"])
def test_a_database_that_cannot_be_opened_is_exit_2_and_nothing_else(tmp_path: Path, kind: str) -> None:
    path = unopenable(tmp_path, kind)
    # The driver's thread used to race the event loop's end: a traceback on about one run in three (a directory).
    runs = 10 if kind == "a directory" else 5
    for run in range(runs):
        json_flag = ["--json"] if run % 2 else []
        done = run_process(["balance", "--user", "ana", *json_flag], {"FAYE_DATABASE_URL": str(path)})
        assert done.returncode == 2, done.stdout + done.stderr
        assert "Event loop is closed" not in done.stderr
        assert "Traceback" not in done.stderr
        if json_flag:
            assert json.loads(done.stdout)["error"]["code"] == "database_unavailable"
            assert done.stderr == ""
        else:
            assert done.stderr.startswith("✗ "), done.stderr
            assert len(done.stderr.splitlines()) == 1, done.stderr
